package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"termtem/internal/committees"
	"termtem/internal/dashboards"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
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

// districtFigures draws a district's figures from its published dashboard
// (store.Dashboard, the last three months: children red in each dimension
// and the change from the first month to the last, referrals not yet
// accepted, the continuity gaps), every count exactly as the dashboards
// show it ("< 5" and hidden cells included), and from the directory
// (services of the district with long waits). A district outside the
// viewer's area gives no figures.
func (h *Handler) districtFigures(r *http.Request, lang string, district places.Place) ([]districtFigure, error) {
	ctx := r.Context()
	now := h.DB.Now()
	period, err := dashboards.ParsePeriod(now.AddDate(0, -2, 0).Format("2006-01"), now.Format("2006-01"), now)
	if err != nil {
		return nil, err
	}
	actor := httpx.Actor(r)
	var out []districtFigure
	cell := func(text string, c dashboards.Cell, unit, source string) {
		f := districtFigure{Text: text, Suppressed: !c.Shown()}
		if c.Shown() {
			f.Figure = &committees.Figure{Label: text, Value: int(c.N), Unit: unit, Source: source}
		}
		out = append(out, f)
	}
	src := "dashboard:" + district.Code
	var first store.Dashboard
	for i, dim := range dashboards.Dimensions {
		d, err := h.DB.Dashboard(ctx, store.DashboardQuery{PlaceID: district.ID, Period: period, Dimension: dim}, actor)
		if err != nil {
			if e := errs.As(err); e.Code == errs.Forbidden || e.Code == errs.NotFound {
				return nil, nil // not the viewer's area: no figures
			}
			return nil, err
		}
		if i == 0 {
			first = d
		}
		if d.FlowerChildren.Withheld || i >= len(d.FlowerChildren.Cells) {
			continue
		}
		red := d.FlowerChildren.Cells[i][0] // columns: red, yellow, green, unknown
		trend := ""
		if t := d.Trend; !t.Withheld && len(t.Cells) >= 2 {
			trend = h.Cat.T(lang, "meeting.agenda_trend_counts", map[string]any{"From": t.Cells[0][0].Text(), "To": t.Cells[len(t.Cells)-1][0].Text()})
		}
		text := h.Cat.T(lang, "meeting.agenda_red", map[string]any{"Dimension": flower.DimensionName(people.Dimension(dim), lang), "Count": red.Text()}) + trend
		cell(text, red, "children", src)
	}
	if t := first.ReferralServices; !t.Withheld && len(t.ColTotals) > 0 {
		sent := t.ColTotals[0] // sent, not yet answered
		cell(h.Cat.T(lang, "meeting.agenda_stuck", map[string]any{"Count": sent.Text()}), sent, "referrals", src)
	}
	if t := first.Gaps; !t.Withheld {
		for r, head := range t.Rows {
			if r >= len(t.Cells) || len(t.Cells[r]) == 0 {
				continue
			}
			name := h.Cat.T(lang, "dashboards.gap."+head.Key, map[string]any{"N": first.UnseenDays})
			c := t.Cells[r][0]
			cell(h.Cat.T(lang, "meeting.agenda_gap", map[string]any{"Name": name, "Count": c.Text()}), c, "children", src)
		}
	}
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
	var b strings.Builder
	for i, f := range figs {
		fmt.Fprintf(&b, "%d. %s\n", i+1, f.Text)
	}
	return b.String()
}
