package reports

import (
	"context"
	"sort"
	"time"

	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/maps"
	"termtem/internal/people"
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

// Row is one line of a table of counts that add up to a total: each cell
// a count or "< 5", and shares of the total where shown.
type Row struct {
	Label string
	Cells []maps.Count
	Total maps.Count
	// TotalHidden: a small cell would be recovered from the total and the
	// other cells, so the total is not shown.
	TotalHidden bool
}

// SuppressRow applies the small-cell rule to the cells of a row that adds
// up to a shown total, with complementary suppression: when one cell is
// hidden, the smallest other non-zero cell is hidden too, so that no cell
// is the total minus the rest; when no other cell can be hidden, the total
// is.
func SuppressRow(counts []int) ([]maps.Count, maps.Count, bool) {
	cells := make([]maps.Count, len(counts))
	total, hidden := 0, 0
	for i, n := range counts {
		cells[i] = maps.SuppressCount(n)
		total += n
		if cells[i].Suppressed {
			hidden++
		}
	}
	if hidden == 1 {
		best := -1
		for i, n := range counts {
			if !cells[i].Suppressed && n > 0 && (best < 0 || n < counts[best]) {
				best = i
			}
		}
		if best >= 0 {
			cells[best] = maps.Count{Suppressed: true}
			hidden++
		}
	}
	tc := maps.SuppressCount(total)
	totalHidden := hidden == 1 // nothing else could be hidden: the total would tell
	return cells, tc, totalHidden
}

// Committee is the committee report of a district and a period.
type Committee struct {
	District places.Place
	Zone     places.Place
	Period   Period
	Made     time.Time
	// Levels: by dimension, children by the level of their latest staff
	// assessment at the period's end (red, yellow, green).
	Levels []Row
	// Trend: by month, the share red in each dimension at the month's end.
	Trend []TrendRow
	// Referrals: sent to, from and within the district's units in the
	// period, by status.
	Referrals []Row
	// Gaps: children not seen by any agency in the last UnseenDays of the
	// period, of the district's children; unacknowledged hand-offs.
	Unseen     maps.Figure
	UnseenDays int
	Handoffs   maps.Count
	// Map: every district coloured by the indicator, this one in the area.
	Indicator Indicator
	Map       []DistrictFigure
}

// TrendRow is one month of the trend.
type TrendRow struct {
	Month time.Time
	Red   []maps.Figure // by people.Dimensions
}

// LevelOrder is the order of the level columns.
var LevelOrder = []flower.Level{flower.Red, flower.Yellow, flower.Green}

// ReferralStatuses are the referral columns.
var ReferralStatuses = []cases.ReferralStatus{cases.Sent, cases.Accepted, cases.InProgress, cases.Completed, cases.Declined, cases.Revoked}

// ReferralDirections are the referral rows.
var ReferralDirections = []string{"in", "out", "within"}

// UnseenDays is how long without any service record counts as a gap.
const UnseenDays = 90

// BuildCommittee assembles a district's report. The district must be in
// the viewer's scope (checked by ResolveArea before).
func BuildCommittee(ctx context.Context, db *store.DB, g *Geography, district places.Place, p Period, in Indicator, now time.Time) (*Committee, error) {
	if district.Kind != places.District {
		return nil, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.report_district", Field: "area"}
	}
	// Months are Bangkok's: today's date there is the last day counted.
	now = time.Date(now.In(thai.Bangkok()).Year(), now.In(thai.Bangkok()).Month(), now.In(thai.Bangkok()).Day(), 0, 0, 0, 0, time.UTC)
	c := &Committee{District: district, Zone: g.ZoneOf(district), Period: p, Made: now, UnseenDays: UnseenDays, Indicator: in}
	end := p.End()
	if end.After(now) {
		end = now
	}
	ids := []string{district.ID}
	tally, err := db.ChildLevels(ctx, ids, end.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	for _, d := range people.Dimensions {
		counts := make([]int, len(LevelOrder))
		for i, l := range LevelOrder {
			counts[i] = tally[district.Code][d][string(l)]
		}
		cells, total, hidden := SuppressRow(counts)
		c.Levels = append(c.Levels, Row{Label: string(d), Cells: cells, Total: total, TotalHidden: hidden})
	}
	for _, m := range p.Months() {
		day := monthEnd(m)
		if day.After(now) {
			day = now
		}
		t, err := db.ChildLevels(ctx, ids, day.Format(time.DateOnly))
		if err != nil {
			return nil, err
		}
		row := TrendRow{Month: m}
		for _, d := range people.Dimensions {
			row.Red = append(row.Red, redShare(t[district.Code][d]))
		}
		c.Trend = append(c.Trend, row)
	}
	flow, err := db.ReferralFlow(ctx, district.ID, p.From.Format(time.DateOnly), end.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	for _, dir := range ReferralDirections {
		counts := make([]int, len(ReferralStatuses))
		for i, s := range ReferralStatuses {
			counts[i] = flow[dir][string(s)]
		}
		cells, total, hidden := SuppressRow(counts)
		c.Referrals = append(c.Referrals, Row{Label: dir, Cells: cells, Total: total, TotalHidden: hidden})
	}
	since := end.AddDate(0, 0, -UnseenDays).Format(time.DateOnly)
	children, unseen, handoffs, err := db.ContinuityGaps(ctx, district.ID, end.Format(time.DateOnly), since)
	if err != nil {
		return nil, err
	}
	c.Unseen = maps.Suppress(unseen, children)
	c.Handoffs = maps.SuppressCount(handoffs)
	area := Area{Place: district, Districts: []places.Place{district}}
	if c.Map, err = MapFigures(ctx, db, g, in, area, end); err != nil {
		return nil, err
	}
	sort.SliceStable(c.Map, func(i, j int) bool { return c.Map[i].District.Code < c.Map[j].District.Code })
	return c, nil
}

// MonthText renders the row's month, e.g. "พ.ย. 2569".
func (t TrendRow) MonthText(lang string) string { return monthText(t.Month, lang) }
