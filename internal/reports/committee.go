package reports

import (
	"context"
	"time"

	"termtem/internal/audit"
	"termtem/internal/dashboards"
	"termtem/internal/errs"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// Period is a run of whole months, From's first day to To's last.
type Period struct {
	From, To time.Time // first days of the first and last months
}

// MaxMonths is the longest period a report covers (a month a row in the
// trend table; a longer look is a different question).
const MaxMonths = 24

// ParsePeriod reads "YYYY-MM" months (C.E., as a month field sends them);
// empty: the twelve months up to now's month. A reversed, too long or
// future period is refused, naming the field.
func ParsePeriod(from, to string, now time.Time) (Period, error) {
	now = now.In(thai.Bangkok())
	month := func(s, field string, def time.Time) (time.Time, error) {
		if s == "" {
			return def, nil
		}
		t, err := time.ParseInLocation("2006-01", s, time.UTC)
		if err != nil || t.Year() < 1900 {
			return time.Time{}, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.month_format", Field: field}
		}
		return t, nil
	}
	this := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	t, err := month(to, "to", this)
	if err != nil {
		return Period{}, err
	}
	f, err := month(from, "from", t.AddDate(0, -11, 0))
	if err != nil {
		return Period{}, err
	}
	switch {
	case t.After(this):
		return Period{}, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.period_future", Field: "to"}
	case f.After(t):
		return Period{}, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.period_reversed", Field: "from"}
	case monthsBetween(f, t) > MaxMonths:
		return Period{}, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.period_too_long", Field: "from",
			Data: map[string]any{"Max": MaxMonths}}
	}
	return Period{From: f, To: t}, nil
}

func monthsBetween(f, t time.Time) int {
	return (t.Year()-f.Year())*12 + int(t.Month()-f.Month()) + 1
}

// Months lists the period's months.
func (p Period) Months() []time.Time {
	var out []time.Time
	for m := p.From; !m.After(p.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// End is the period's last day.
func (p Period) End() time.Time { return monthEnd(p.To) }

// monthEnd is a month's last day, or today for the current month (nobody
// has been assessed in the future).
func monthEnd(m time.Time) time.Time { return m.AddDate(0, 1, -1) }

// FromText and ToText render the months, e.g. "ม.ค. 2569" / "Jan 2026".
func (p Period) FromText(lang string) string { return monthText(p.From, lang) }
func (p Period) ToText(lang string) string   { return monthText(p.To, lang) }

// FromValue and ToValue are the months as the form's month fields hold them.
func (p Period) FromValue() string { return p.From.Format("2006-01") }
func (p Period) ToValue() string   { return p.To.Format("2006-01") }

func monthText(m time.Time, lang string) string {
	s := thai.FormatDate(m, lang) // "1 ม.ค. 2569": drop the day
	for i, r := range s {
		if r == ' ' {
			return s[i+1:]
		}
	}
	return s
}

// Dashboards is the period as the dashboards read it (the same months,
// and the day "now" means for ages and gaps).
func (p Period) Dashboards(now time.Time) dashboards.Period {
	dp, err := dashboards.ParsePeriod(p.FromValue(), p.ToValue(), now)
	if err != nil { // checked already by ParsePeriod; keep the months
		dp = dashboards.Period{From: p.From, To: p.To, On: p.End()}
	}
	return dp
}

// Report is the committee report of a district and a period: the
// district's dashboard tables, as published, and the map.
type Report struct {
	District places.Place
	Zone     places.Place
	Period   Period
	Made     time.Time
	// Dashboard: the flower of the children (dimension × level), the
	// trend of the map's dimension (month × level), the referral flow
	// (service × status) and the continuity gaps (gap × gap/others).
	Dashboard store.Dashboard
	// Map: every district coloured by the indicator, this one in the area.
	Indicator Indicator
	Map       []DistrictFigure
}

// BuildReport assembles a district's report from its dashboard. The
// store refuses (403) a district outside the viewer's area; each reading
// is audited there.
func BuildReport(ctx context.Context, db *store.DB, g *Geography, district places.Place, p Period, in Indicator, now time.Time, actor audit.Event) (*Report, error) {
	if district.Kind != places.District {
		return nil, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.report_district", Field: "area"}
	}
	c := &Report{District: district, Zone: g.ZoneOf(district), Period: p, Made: now, Indicator: in}
	dp := p.Dashboards(now)
	q := store.DashboardQuery{PlaceID: district.ID, Period: dp, Dimension: in.Dimension()}
	var err error
	if c.Dashboard, err = db.Dashboard(ctx, q, actor); err != nil {
		return nil, err
	}
	area := Area{Place: district, Districts: []places.Place{district}}
	if c.Map, err = MapFigures(ctx, db, g, in, area, dp, actor); err != nil {
		return nil, err
	}
	return c, nil
}

// MonthText renders a "YYYY-MM" month, e.g. "พ.ย. 2569" (the key itself
// when it is not a month).
func MonthText(month, lang string) string {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return monthText(m, lang)
}
