package reports

import (
	"context"
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

// Committee is the figures of a district and a period counted directly
// from the records, with the small-cell rule applied here: what a
// committee meeting's agenda is drawn from (internal/web/district_figures,
// which needs the referrals' directions the dashboards do not break down).
// The report and the map use the dashboards' published tables instead
// (BuildReport, MapFigures).
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
	Indicator  Indicator
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

// BuildCommittee counts a district's agenda figures. The district must be
// in the viewer's scope (checked by the caller).
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
	return c, nil
}

// MonthText renders the row's month, e.g. "พ.ย. 2569".
func (t TrendRow) MonthText(lang string) string { return monthText(t.Month, lang) }

// day is t's date in Bangkok, as assessment dates are kept.
func day(t time.Time) string { return t.In(thai.Bangkok()).Format(time.DateOnly) }

// redShare is the share red among the assessed (unknown excluded).
func redShare(levels map[string]int) maps.Figure {
	total := 0
	for _, l := range flower.Levels {
		total += levels[string(l)]
	}
	return maps.Suppress(levels[string(flower.Red)], total)
}
