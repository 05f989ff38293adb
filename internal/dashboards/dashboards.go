// Package dashboards is what the district quality-of-life committee
// (พชข.), the child-protection committees and executives see of their
// area: counts and shares of children and households by dimension and
// level, by life stage and by place, the monthly trend and the movement
// between levels, the flow of referrals and cases, and the gaps in
// continuity of care. Every count they see passes through internal/suppress.
// It holds the rules (periods, life stages by birth year, the dated
// eligibility rules of the newborn child-support grant) and the published
// shape of a table; the store fills them. It knows nothing of HTTP or SQL.
package dashboards

import (
	"strconv"
	"time"

	"termtem/internal/errs"
	"termtem/internal/suppress"
)

// Dimensions and levels in the order tables show them.
var (
	Dimensions = []string{"economy", "safety", "education", "health"}
	Levels     = []string{"red", "yellow", "green", "unknown"}
)

// KnownDimension reports whether d is one of the flower's dimensions.
func KnownDimension(d string) bool {
	for _, x := range Dimensions {
		if x == d {
			return true
		}
	}
	return false
}

// Head is a row or column of a table: a key the page translates (a level,
// a status) or a name (a place, an organisation) in both languages.
type Head struct {
	Key string `json:"key"`
	TH  string `json:"name_th,omitempty"`
	EN  string `json:"name_en,omitempty"`
}

// Name is the head's name in lang, when it has one.
func (h Head) Name(lang string) string {
	if lang == "en" && h.EN != "" {
		return h.EN
	}
	return h.TH
}

// Cell is a published count: N is zero unless Mark is Shown.
type Cell struct {
	N    int64         `json:"n"`
	Mark suppress.Mark `json:"-"`
}

// Text is the count as published.
func (c Cell) Text() string {
	return suppress.Label(c.Mark, c.N, func(n int64) string { return strconv.FormatInt(n, 10) })
}

// Shown reports whether the count itself is published.
func (c Cell) Shown() bool { return c.Mark == suppress.Shown }

// Status is the publication state in one word, for the API.
func (c Cell) Status() string {
	switch c.Mark {
	case suppress.Small:
		return "lt5"
	case suppress.Hidden:
		return "hidden"
	}
	return "shown"
}

// Table is one published table of counts with its totals. When Withheld,
// nothing of it may be shown but its title.
type Table struct {
	ID        string   `json:"id"`
	Rows      []Head   `json:"rows"`
	Cols      []Head   `json:"columns"`
	Cells     [][]Cell `json:"cells"`
	RowTotals []Cell   `json:"row_totals"`
	ColTotals []Cell   `json:"column_totals"`
	Grand     Cell     `json:"total"`
	Withheld  bool     `json:"withheld"`
	// raw are the counts before suppression, for breakdowns built from
	// several tables (never published: unexported, not in JSON).
	raw [][]int64
}

// NewTable publishes counts (rows × cols) after suppression. Rows with no
// count at all are kept: an empty place is a fact, not a secret.
func NewTable(id string, rows, cols []Head, counts [][]int64) Table {
	return newTable(id, rows, cols, counts, suppress.Options{})
}

// NewFlowerTable publishes dimension × level counts, whose row totals are
// all the number of subjects (known to the reader).
func NewFlowerTable(id string, rows, cols []Head, counts [][]int64) Table {
	return newTable(id, rows, cols, counts, suppress.Options{FixedRowTotals: true})
}

// NewBreakdown publishes counts that break down a row of another table
// (its column totals are that row). It is published only when that row is
// shown whole, and then keeps its column totals fixed, so that nothing in
// it and the other table together can be subtracted; otherwise it is
// withheld.
func NewBreakdown(id string, rows, cols []Head, counts [][]int64, parent []Cell, parentTotal Cell) Table {
	whole := parentTotal.Shown()
	for _, c := range parent {
		whole = whole && c.Shown()
	}
	if !whole {
		t := newTable(id, rows, cols, counts, suppress.Options{})
		return t.withhold()
	}
	return newTable(id, rows, cols, counts, suppress.Options{FixedColTotals: true})
}

// withhold hides everything.
func (t Table) withhold() Table {
	hide := func(cs []Cell) {
		for i := range cs {
			cs[i] = Cell{Mark: suppress.Hidden}
		}
	}
	for _, row := range t.Cells {
		hide(row)
	}
	hide(t.RowTotals)
	hide(t.ColTotals)
	t.Grand, t.Withheld = Cell{Mark: suppress.Hidden}, true
	return t
}

func newTable(id string, rows, cols []Head, counts [][]int64, opt suppress.Options) Table {
	return Published(id, rows, cols, counts, suppress.ProtectWith(counts, opt))
}

// Published is counts (rows × cols) with the marks suppression gave them
// elsewhere (suppress.ProtectLinked, for tables linked across places).
func Published(id string, rows, cols []Head, counts [][]int64, pub suppress.Table) Table {
	if len(rows) == 0 {
		pub.ColTotal = make([]suppress.Mark, len(cols)) // nothing counted: zeros, shown
	}
	t := Table{ID: id, Rows: rows, Cols: cols, Withheld: pub.Withheld, raw: counts, Cells: make([][]Cell, len(rows)),
		RowTotals: make([]Cell, len(rows)), ColTotals: make([]Cell, len(cols))}
	var grand int64
	colSum := make([]int64, len(cols))
	for i := range rows {
		t.Cells[i] = make([]Cell, len(cols))
		var rowSum int64
		for j := range cols {
			n := counts[i][j]
			t.Cells[i][j] = cell(n, pub.Cells[i][j])
			rowSum += n
			colSum[j] += n
		}
		t.RowTotals[i] = cell(rowSum, pub.RowTotal[i])
		grand += rowSum
	}
	for j := range cols {
		t.ColTotals[j] = cell(colSum[j], pub.ColTotal[j])
	}
	t.Grand = cell(grand, pub.Grand)
	return t
}

func cell(n int64, m suppress.Mark) Cell {
	if m != suppress.Shown {
		n = 0
	}
	return Cell{N: n, Mark: m}
}

// Share is a shown count as a percentage of a shown total, or "" when
// either is not published (a share would give the hidden count away).
func Share(c, total Cell) string {
	if !c.Shown() || !total.Shown() || total.N == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(c.N)*100/float64(total.N), 'f', 1, 64) + "%"
}

// Mean is an average of hours, published only over at least
// suppress.Threshold things.
type Mean struct {
	Hours float64 `json:"hours"`
	N     int64   `json:"n"`
	Shown bool    `json:"shown"`
}

// NewMean publishes sum/n, or nothing when n is too small.
func NewMean(sum, n int64) Mean {
	if n < suppress.Threshold {
		return Mean{}
	}
	return Mean{Hours: float64(sum) / float64(n), N: n, Shown: true}
}

// Days is the mean in days, one decimal.
func (m Mean) Days() string {
	if !m.Shown {
		return "—"
	}
	return strconv.FormatFloat(m.Hours/24, 'f', 1, 64)
}

// Period is the months a dashboard covers (trend, movement, referrals)
// and the day the current figures are judged on (ages, overdue, unseen).
type Period struct {
	From time.Time // first day of the first month
	To   time.Time // first day of the last month
	On   time.Time // the day "now" means
}

// MaxMonths bounds a period: longer asks the counters for nothing useful
// and is most likely a typing slip (a 50-year range).
const MaxMonths = 60

// FromMonth and ToMonth are the period's months as YYYY-MM.
func (p Period) FromMonth() string { return p.From.Format("2006-01") }
func (p Period) ToMonth() string   { return p.To.Format("2006-01") }

// Months lists the period's months as YYYY-MM.
func (p Period) Months() []string {
	var out []string
	for m := p.From; !m.After(p.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// ParsePeriod reads a period from YYYY-MM months; empty means the twelve
// months up to today's.
func ParsePeriod(from, to string, now time.Time) (Period, error) {
	this := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	p := Period{From: this.AddDate(0, -11, 0), To: this, On: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)}
	var err error
	if to != "" {
		if p.To, err = time.Parse("2006-01", to); err != nil {
			return p, BadParam("to", "dashboards.month_format", nil)
		}
		if p.To.Before(this) {
			// A past period is judged at its own end.
			p.On = p.To.AddDate(0, 1, -1)
		}
		if from == "" {
			p.From = p.To.AddDate(0, -11, 0)
		}
	}
	if from != "" {
		if p.From, err = time.Parse("2006-01", from); err != nil {
			return p, BadParam("from", "dashboards.month_format", nil)
		}
	}
	if p.To.After(this) {
		return p, BadParam("to", "dashboards.future", nil)
	}
	if p.From.After(p.To) {
		return p, BadParam("from", "dashboards.reversed", nil)
	}
	if n := len(p.Months()); n > MaxMonths {
		return p, BadParam("from", "dashboards.too_long", map[string]any{"Max": MaxMonths})
	}
	return p, nil
}

// Stage is a life stage of children by the age they reach in the year of
// the reference day (the counters keep birth years, not birthdays).
type Stage struct {
	Key      string
	MinAge   int
	MaxAge   int
	isSchool bool
}

// Stages are the childhood stages of people.LifeStages, by age reached.
var Stages = []Stage{
	{"newborn", 0, 0, false},
	{"toddler", 1, 2, false},
	{"preschool", 3, 5, false},
	{"primary", 6, 11, true},
	{"lower_secondary", 12, 14, true},
	{"upper_secondary", 15, 17, true},
}

// StageOfBirthYear is the stage of a child born in year, judged in the
// year of on; false for adults and the unborn.
func StageOfBirthYear(year string, on time.Time) (Stage, bool) {
	y, err := strconv.Atoi(year)
	if err != nil {
		return Stage{}, false
	}
	age := on.Year() - y
	for _, s := range Stages {
		if age >= s.MinAge && age <= s.MaxAge {
			return s, true
		}
	}
	return Stage{}, false
}

// SchoolAge reports whether a child born in year is of compulsory school
// age (6 to 15 reached this year: primary and lower secondary).
func SchoolAge(year string, on time.Time) bool {
	y, err := strconv.Atoi(year)
	if err != nil {
		return false
	}
	age := on.Year() - y
	return age >= 6 && age <= 15
}

// ChildYears are the birth years of children (ages 0–17 reached this year).
func ChildYears(on time.Time) (first, last string) {
	return strconv.Itoa(on.Year() - 17), strconv.Itoa(on.Year())
}

// Indicators are what a map of places can be coloured by: the share of
// children red in a dimension, or of children in a continuity gap.
var Indicators = []string{"red_economy", "red_safety", "red_education", "red_health",
	"unseen", "not_enrolled", "dspm_missed", "handoff_waiting", "grant_missing"}

// KnownIndicator reports whether code is one of Indicators.
func KnownIndicator(code string) bool {
	for _, x := range Indicators {
		if x == code {
			return true
		}
	}
	return false
}

// BadParam is a wrong value in a page's address (a query parameter or a
// path segment): 400 with the parameter named, not a form error.
func BadParam(field, messageID string, data map[string]any) error {
	return &errs.Error{Code: errs.BadRequest, MessageID: messageID, Field: field, Data: data}
}
