package web

import (
	"context"
	"fmt"
	"strings"

	"termtem/internal/committees"
	"termtem/internal/flower"
	"termtem/internal/maps"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/reports"
	"termtem/internal/store"
)

// districtFigure is one figure of a district's intelligence: a line of a
// meeting's agenda, and (when it is a number that may be shown) a figure
// of evidence for a system constraint.
type districtFigure struct {
	Text       string
	Figure     *committees.Figure // nil: suppressed (< 5) or not a number
	Suppressed bool
}

// LongWait is the waiting time from which a service is on the agenda.
const LongWait = 30

// districtFigures draws a district's figures from the committee report
// (the last three months: red counts by dimension and the trend, referrals
// stuck, children unseen by any agency, hand-offs not acknowledged; small
// cells shown as "< 5") and from the directory (services of the district
// with long waits). The district must be in the viewer's area: others get
// no figures.
func (h *Handler) districtFigures(ctx context.Context, lang string, district places.Place) ([]districtFigure, error) {
	scope, err := reports.ViewerScope(ctx, h.DB)
	if err != nil || !scope.Sees(district) {
		return nil, err
	}
	g, err := reports.LoadGeography(ctx, h.DB)
	if err != nil {
		return nil, err
	}
	now := h.DB.Now()
	to := now.Format("2006-01")
	from := now.AddDate(0, -2, 0).Format("2006-01")
	p, err := reports.ParsePeriod(from, to, now)
	if err != nil {
		return nil, err
	}
	in, _ := reports.IndicatorByCode("")
	c, err := reports.BuildCommittee(ctx, h.DB, g, district, p, in, now)
	if err != nil {
		return nil, err
	}
	var out []districtFigure
	count := func(text string, n maps.Count, unit, source string) {
		f := districtFigure{Text: text, Suppressed: n.Suppressed}
		if !n.Suppressed {
			f.Figure = &committees.Figure{Label: text, Value: n.N, Unit: unit, Source: source}
		}
		out = append(out, f)
	}
	src := "report:" + district.Code
	for i, d := range people.Dimensions {
		if i >= len(c.Levels) || len(c.Levels[i].Cells) == 0 {
			continue
		}
		red := c.Levels[i].Cells[0]
		trend := ""
		if n := len(c.Trend); n >= 2 {
			trend = h.Cat.T(lang, "meeting.agenda_trend", map[string]any{"From": c.Trend[0].Red[i].Percent(), "To": c.Trend[n-1].Red[i].Percent()})
		}
		text := h.Cat.T(lang, "meeting.agenda_red", map[string]any{"Dimension": flower.DimensionName(d, lang), "Count": red.String()}) + trend
		count(text, red, "children", src)
	}
	for i, dir := range reports.ReferralDirections {
		if i >= len(c.Referrals) {
			continue
		}
		sent := c.Referrals[i].Cells[0] // sent, not yet answered
		count(h.Cat.T(lang, "meeting.agenda_stuck."+dir, map[string]any{"Count": sent.String()}), sent, "referrals", src)
	}
	unseen := maps.SuppressCount(c.Unseen.Count)
	if c.Unseen.Suppressed {
		unseen = maps.Count{Suppressed: true}
	}
	count(h.Cat.T(lang, "meeting.agenda_unseen", map[string]any{"Count": unseen.String(), "Days": c.UnseenDays}), unseen, "children", src)
	count(h.Cat.T(lang, "meeting.agenda_handoffs", map[string]any{"Count": c.Handoffs.String()}), c.Handoffs, "children", src)
	services, err := h.DB.ListServices(ctx, store.ServiceFilter{ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	for _, s := range services {
		// Its area is the district, a sub-district of it, or the city.
		if s.WaitingDays < LongWait || !(strings.HasPrefix(s.AreaCode, district.Code) || strings.HasPrefix(district.Code, s.AreaCode)) {
			continue
		}
		text := h.Cat.T(lang, "meeting.agenda_wait", map[string]any{"Name": s.Name(lang), "Org": s.OrganisationName(lang), "Days": s.WaitingDays})
		out = append(out, districtFigure{Text: text, Figure: &committees.Figure{Label: text, Value: s.WaitingDays, Unit: "days", Source: "directory:" + s.ID}})
	}
	return out, nil
}

// committeeDistrict is the district a committee serves (a Bangkok-wide
// committee has none).
func (h *Handler) committeeDistrict(ctx context.Context, o organisations.Organisation) (places.Place, bool) {
	p, err := h.DB.GetPlace(ctx, o.PlaceID)
	if err != nil || p.Kind != places.District {
		return places.Place{}, false
	}
	return p, true
}

// agendaText is the agenda a new meeting starts from.
func agendaText(figs []districtFigure) string {
	s := ""
	for i, f := range figs {
		s += fmt.Sprintf("%d. %s\n", i+1, f.Text)
	}
	return s
}
