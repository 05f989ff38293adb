package flower

import (
	"sort"
	"time"

	"termtem/internal/people"
)

// Instrument is one published version of the assessment: what is asked,
// of whom, and how answers map to levels. A version never changes once
// published; a new meaning is a new version, so old assessments keep the
// meaning they were made with (an assessment stores Code and Version).
type Instrument struct {
	Code        string          `json:"code"`    // e.g. "termtem-default"
	Version     int             `json:"version"` // 1, 2, …
	Title       Text            `json:"title"`
	Description Text            `json:"description,omitempty"`
	PublishedAt string          `json:"published_at"` // C.E. date, YYYY-MM-DD
	Dimensions  []DimensionSpec `json:"dimensions"`
	// References are dated values that number thresholds may be relative
	// to, such as the poverty line (a new figure each year).
	References []Reference  `json:"references,omitempty"`
	Indicators []*Indicator `json:"indicators"`

	published time.Time
	byCode    map[string]*Indicator
	order     []*Indicator // evaluation order: what an indicator depends on comes first
}

// Published is PublishedAt as a time (midnight UTC).
func (in *Instrument) Published() time.Time { return in.published }

// Indicator returns the indicator with code, or nil.
func (in *Instrument) Indicator(code string) *Indicator { return in.byCode[code] }

// Dimension returns the spec of a dimension (zero value if absent, which a
// parsed instrument never has).
func (in *Instrument) Dimension(d people.Dimension) DimensionSpec {
	for _, s := range in.Dimensions {
		if s.Dimension == d {
			return s
		}
	}
	return DimensionSpec{Dimension: d, Rule: Rule{Kind: RuleWorst}}
}

// Reference returns the dated reference with code, or nil.
func (in *Instrument) Reference(code string) *Reference {
	for i := range in.References {
		if in.References[i].Code == code {
			return &in.References[i]
		}
	}
	return nil
}

// DimensionSpec says how a dimension's level follows from its indicators.
type DimensionSpec struct {
	Dimension people.Dimension `json:"dimension"`
	Rule      Rule             `json:"rule"`
	Letter    Text             `json:"letter"` // the petal's label, 1–3 characters
}

// RuleKind names a dimension rule.
type RuleKind string

const (
	// RuleWorst: red if any indicator is red, else yellow if any is yellow,
	// else green only if every applicable indicator is answered and green;
	// otherwise unknown. The default, and the strictest about unknowns.
	RuleWorst RuleKind = "worst"
	// RuleWorstOfAnswered: red if any is red, else yellow if any is
	// yellow, else green if at least MinAnswered (at least 1) indicators
	// are answered and all answered are green; otherwise unknown.
	RuleWorstOfAnswered RuleKind = "worst_of_answered"
)

// Rule is a dimension rule.
type Rule struct {
	Kind        RuleKind `json:"kind"`
	MinAnswered int      `json:"min_answered,omitempty"`
}

// Reference is a dated series, e.g. the poverty line in baht per person
// per month. The value in force on a date is the latest From on or before it.
type Reference struct {
	Code   string       `json:"code"`
	Label  Text         `json:"label"`
	Unit   string       `json:"unit"`
	Source string       `json:"source"`
	Values []DatedValue `json:"values"`
}

// DatedValue is a reference value from a date on.
type DatedValue struct {
	From   string  `json:"from"` // C.E. date, YYYY-MM-DD
	Value  float64 `json:"value"`
	Source string  `json:"source,omitempty"`
	from   time.Time
}

// At returns the value in force on t: the latest value from on or before
// t, or the earliest value if t precedes them all.
func (r *Reference) At(t time.Time) float64 {
	vs := r.Values
	i := sort.Search(len(vs), func(i int) bool { return vs[i].from.After(t) })
	if i == 0 {
		return vs[0].Value
	}
	return vs[i-1].Value
}

// Indicator is one question of the instrument.
type Indicator struct {
	Code      string           `json:"code"` // ECO01, SAF02, …
	Dimension people.Dimension `json:"dimension"`
	Subject   Subject          `json:"subject"`
	AppliesTo AppliesTo        `json:"applies_to"`
	Title     Text             `json:"title"`    // a few words, for lists and the deprivation chart
	Question  Text             `json:"question"` // plain words; families read it when FamilyFacing
	// FamilyFacing indicators are asked in the family self-assessment.
	FamilyFacing bool `json:"family_facing,omitempty"`
	// Sensitivity marks answers that are PDPA-sensitive (health, safety).
	Sensitivity people.Sensitivity `json:"sensitivity,omitempty"`
	Answer      AnswerSpec         `json:"answer"`
	Source      string             `json:"source"` // where the indicator and its levels come from; "prop" = proposed here
}

// AppliesTo limits an indicator to some subjects. Empty means everyone of
// the indicator's subject kind. For a child, an age band and a list of life
// stages must both hold when both are given; an unknown age or stage does
// not exclude (it is safer to ask than to skip).
type AppliesTo struct {
	MinMonths *int               `json:"min_months,omitempty"` // child's age in completed months, inclusive
	MaxMonths *int               `json:"max_months,omitempty"` // inclusive
	Stages    []people.LifeStage `json:"stages,omitempty"`
	// Conditions the child must have (people.Conditions, e.g. "disability").
	Conditions []string `json:"conditions,omitempty"`
	// WithChildUnderMonths: a household with a child younger than this.
	WithChildUnderMonths *int `json:"with_child_under_months,omitempty"`
}

// AnswerKind is how an indicator is answered.
type AnswerKind string

const (
	Choice  AnswerKind = "choice"  // one of the options
	Number  AnswerKind = "number"  // a measured or counted value
	Derived AnswerKind = "derived" // proposed from service records (staff may confirm or override)
)

// AnswerSpec is the answer of an indicator. A derived indicator also has
// Options or Number: the shape the derivation produces, which is also what
// staff answer when they confirm or override it.
type AnswerSpec struct {
	Kind    AnswerKind   `json:"kind"`
	Options []Option     `json:"options,omitempty"`
	Number  *NumberSpec  `json:"number,omitempty"`
	Derived *DerivedSpec `json:"derived,omitempty"`
}

// Option is one answer of a choice, with its level.
type Option struct {
	Code   string `json:"code"`
	Label  Text   `json:"label"`
	Level  Level  `json:"level"`
	Urgent bool   `json:"urgent,omitempty"` // a red that opens an urgent alert
	Source string `json:"source,omitempty"`
}

// Option returns the option with code, or nil.
func (a *AnswerSpec) Option(code string) *Option {
	for i := range a.Options {
		if a.Options[i].Code == code {
			return &a.Options[i]
		}
	}
	return nil
}

// Direction says which way a number gets better.
type Direction string

const (
	HigherBetter Direction = "higher_better"
	LowerBetter  Direction = "lower_better"
	TwoSided     Direction = "two_sided" // green in the middle (z-scores)
)

// NumberSpec is a number answer: its physical bounds (a value outside them
// is a mistake, not a level) and the thresholds that map it to levels.
type NumberSpec struct {
	Unit      string    `json:"unit"` // baht, percent, hours, count, grams, z
	UnitLabel Text      `json:"unit_label"`
	Min       float64   `json:"min"` // inclusive physical bounds
	Max       float64   `json:"max"`
	Integer   bool      `json:"integer,omitempty"`
	Direction Direction `json:"direction"`
	// Reference, when set, makes thresholds multiples of that dated
	// reference value on the assessment date (e.g. 1.2 × the poverty line).
	Reference  string      `json:"reference,omitempty"`
	Thresholds []Threshold `json:"thresholds"`
}

// Threshold maps the values in [From, Below) to a level. A missing From
// is minus infinity, a missing Below plus infinity. Together the
// thresholds must cover the bounds without gap or overlap.
type Threshold struct {
	From   *float64 `json:"from,omitempty"`
	Below  *float64 `json:"below,omitempty"`
	Level  Level    `json:"level"`
	Urgent bool     `json:"urgent,omitempty"`
	Label  Text     `json:"label"`
	Source string   `json:"source"`
}

func (t Threshold) contains(v float64) bool {
	return (t.From == nil || v >= *t.From) && (t.Below == nil || v < *t.Below)
}

// DerivedSource names what a derived indicator is computed from.
type DerivedSource string

const (
	FromVaccinations DerivedSource = "epi_vaccines"     // options: up_to_date, one_overdue, overdue_2plus
	FromDSPM         DerivedSource = "dspm"             // options: pass, not_yet_due, rescreen_pending, delayed_or_missed
	FromEnrolment    DerivedSource = "school_enrolment" // options: enrolled, out_of_school (drop-out records)
	FromNewbornGrant DerivedSource = "newborn_grant"    // options: received_or_not_eligible, eligible_not_received
	FromAttendance   DerivedSource = "attendance"       // number: percent of class time
	FromWeightForAge DerivedSource = "weight_for_age"   // number: z-score
	FromHeightForAge DerivedSource = "height_for_age"   // number: z-score
	FromBMIForAge    DerivedSource = "bmi_for_age"      // number: z-score (5–19 years)
	FromBirthWeight  DerivedSource = "birth_weight"     // number: grams
	FromWorstOf      DerivedSource = "worst_of"         // options: green, yellow, red — the worst of other indicators
)

// derivedShapes: the option codes a source produces, or nil for a number.
var derivedShapes = map[DerivedSource][]string{
	FromVaccinations: {"up_to_date", "one_overdue", "overdue_2plus"},
	FromDSPM:         {"pass", "not_yet_due", "rescreen_pending", "delayed_or_missed"},
	FromEnrolment:    {"enrolled", "out_of_school"},
	FromNewbornGrant: {"received_or_not_eligible", "eligible_not_received"},
	FromAttendance:   nil,
	FromWeightForAge: nil,
	FromHeightForAge: nil,
	FromBMIForAge:    nil,
	FromBirthWeight:  nil,
	FromWorstOf:      {"green", "yellow", "red"},
}

// DerivedSpec says where a derived indicator comes from.
type DerivedSpec struct {
	From DerivedSource `json:"from"`
	// Indicators, for worst_of: the indicators whose worst level this one takes.
	Indicators []string `json:"indicators,omitempty"`
}
