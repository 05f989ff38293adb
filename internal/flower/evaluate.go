package flower

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/errs"
	"termtem/internal/people"
)

// MaxNoteLen bounds an answer's note and override reason.
const MaxNoteLen = 2000

// SubjectFacts is what the instrument needs to know about who is assessed.
type SubjectFacts struct {
	Subject     Subject
	ID          string
	BirthDate   string // child: C.E. date, possibly partial ("2019", "2019-05")
	Sex         people.Sex
	Nationality people.Nationality
	Schooling   people.Schooling
	Conditions  []string // child: condition categories on record (people.Conditions)
	// ChildBirthDates, for a household: its children's birth dates ("" if unknown).
	ChildBirthDates []string
	On              time.Time // the assessment date
}

// ChildFacts describes a child on a date.
func ChildFacts(p people.Person, schooling people.Schooling, conditions []string, on time.Time) SubjectFacts {
	return SubjectFacts{Subject: Child, ID: p.ID, BirthDate: p.BirthDate, Sex: p.Sex, Nationality: p.Nationality,
		Schooling: schooling, Conditions: conditions, On: on}
}

// HouseholdFacts describes a household from its current members: those
// who are children on the date (unknown ages count as children).
func HouseholdFacts(id string, members []people.Person, on time.Time) SubjectFacts {
	f := SubjectFacts{Subject: Household, ID: id, On: on}
	for _, m := range members {
		if people.IsChild(m.BirthDate, on) {
			f.ChildBirthDates = append(f.ChildBirthDates, m.BirthDate)
		}
	}
	return f
}

// AgeMonths is a child's age in completed months on the assessment date.
func (f SubjectFacts) AgeMonths() (int, bool) {
	if f.Subject != Child {
		return 0, false
	}
	return people.AgeInMonths(f.BirthDate, f.On)
}

// Stage is a child's life stage on the assessment date.
func (f SubjectFacts) Stage() people.LifeStage {
	if f.Subject != Child {
		return people.StageUnknown
	}
	return people.StageAt(f.BirthDate, false, f.Schooling, f.On)
}

// Applies reports whether the indicator is asked of the subject.
func (ind *Indicator) Applies(f SubjectFacts) bool {
	if ind.Subject != f.Subject {
		return false
	}
	ap := ind.AppliesTo
	if f.Subject == Household {
		if ap.WithChildUnderMonths == nil {
			return true
		}
		for _, b := range f.ChildBirthDates {
			m, ok := people.AgeInMonths(b, f.On)
			if !ok || m < *ap.WithChildUnderMonths {
				return true // an unknown age does not exclude
			}
		}
		return false
	}
	if m, ok := f.AgeMonths(); ok {
		if (ap.MinMonths != nil && m < *ap.MinMonths) || (ap.MaxMonths != nil && m > *ap.MaxMonths) {
			return false
		}
	}
	if st := f.Stage(); len(ap.Stages) > 0 && st != people.StageUnknown && !slices.Contains(ap.Stages, st) {
		return false
	}
	for _, c := range ap.Conditions {
		if !slices.Contains(f.Conditions, c) {
			return false
		}
	}
	return true
}

// Applicable lists the indicators asked of the subject, in instrument order.
func (in *Instrument) Applicable(f SubjectFacts) []*Indicator {
	var out []*Indicator
	for _, ind := range in.Indicators {
		if ind.Applies(f) {
			out = append(out, ind)
		}
	}
	return out
}

// Answer is a person's answer to one indicator.
type Answer struct {
	Option string   `json:"option,omitempty"`
	Number *float64 `json:"number,omitempty"`
	Note   string   `json:"note,omitempty"`
	// OverrideReason is required when the answer differs from the value
	// derived from records.
	OverrideReason string `json:"override_reason,omitempty"`
}

// DerivedValue is an indicator's value proposed from service records.
type DerivedValue struct {
	Option    string   `json:"option,omitempty"`
	Number    *float64 `json:"number,omitempty"`
	RecordIDs []string `json:"record_ids,omitempty"` // the records it came from
	// Detail are machine-readable facts behind the value, e.g. the overdue
	// doses ("MMR-1") or the screening point ("dspm-18").
	Detail []string `json:"detail,omitempty"`
}

// IndicatorResult is one indicator's outcome.
type IndicatorResult struct {
	Code      string           `json:"code"`
	Dimension people.Dimension `json:"dimension"`
	Level     Level            `json:"level"`
	Urgent    bool             `json:"urgent,omitempty"`
	Option    string           `json:"option,omitempty"`
	Number    *float64         `json:"number,omitempty"`
	// Answered: a person answered (staff or family). Derived: the level was
	// proposed from records or other indicators and not changed by a person.
	Answered       bool     `json:"answered,omitempty"`
	Derived        bool     `json:"derived,omitempty"`
	Overridden     bool     `json:"overridden,omitempty"`
	OverrideReason string   `json:"override_reason,omitempty"`
	RecordIDs      []string `json:"record_ids,omitempty"`
	Detail         []string `json:"detail,omitempty"`
	Note           string   `json:"note,omitempty"`
}

// DimensionResult is one petal.
type DimensionResult struct {
	Dimension  people.Dimension `json:"dimension"`
	Level      Level            `json:"level"`
	Applicable int              `json:"applicable"` // indicators asked of the subject
	Known      int              `json:"known"`      // of which with a level (answered or derived)
	Red        int              `json:"red"`
	Yellow     int              `json:"yellow"`
}

// Result is an evaluated assessment.
type Result struct {
	Instrument string            `json:"instrument"`
	Version    int               `json:"version"`
	Subject    Subject           `json:"subject"`
	SubjectID  string            `json:"subject_id,omitempty"`
	On         time.Time         `json:"on"`
	Indicators []IndicatorResult `json:"indicators"` // applicable ones, instrument order
	Dimensions []DimensionResult `json:"dimensions"` // flower order
	// Concerns are the red then the yellow indicators: the deprivation chart.
	Concerns []IndicatorResult `json:"concerns"`
	// Urgent are the red indicators marked urgent.
	Urgent []IndicatorResult `json:"urgent"`
}

// Levels maps each dimension to its level (for RenderSVG).
func (r Result) Levels() map[people.Dimension]Level {
	m := make(map[people.Dimension]Level, len(r.Dimensions))
	for _, d := range r.Dimensions {
		m[d.Dimension] = d.Level
	}
	return m
}

// Dimension returns one dimension's result.
func (r Result) Dimension(d people.Dimension) DimensionResult {
	for _, x := range r.Dimensions {
		if x.Dimension == d {
			return x
		}
	}
	return DimensionResult{Dimension: d, Level: Unknown}
}

// Indicator returns one indicator's result, if it applied.
func (r Result) Indicator(code string) (IndicatorResult, bool) {
	for _, x := range r.Indicators {
		if x.Code == code {
			return x, true
		}
	}
	return IndicatorResult{}, false
}

// Evaluate turns answers and derived values into levels. Answers win over
// derived values; an answer that differs from a derived value needs an
// override reason. Errors (the first found: unknown or inapplicable answers,
// then indicators in evaluation order) are
// errs.Field errors named answers[CODE], answers[CODE].option, …: an answer
// to an unknown indicator or to one that does not apply to the subject,
// an option not in the list, a number outside physical bounds.
func Evaluate(in *Instrument, subject SubjectFacts, answers map[string]Answer, derived map[string]DerivedValue) (Result, error) {
	res := Result{Instrument: in.Code, Version: in.Version, Subject: subject.Subject, SubjectID: subject.ID, On: subject.On}
	if in.byCode == nil {
		return res, errs.Internalf("flower: instrument %s v%d was not made by Parse", in.Code, in.Version)
	}
	codes := make([]string, 0, len(answers))
	for c := range answers {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		ind := in.Indicator(c)
		if ind == nil {
			return res, errs.Field("answers["+c+"]", "flower.unknown_indicator", nil)
		}
		if !ind.Applies(subject) {
			return res, errs.Field("answers["+c+"]", "flower.not_applicable", nil)
		}
	}
	results := map[string]*IndicatorResult{}
	for _, ind := range in.order {
		if !ind.Applies(subject) {
			continue
		}
		r := &IndicatorResult{Code: ind.Code, Dimension: ind.Dimension, Level: Unknown}
		results[ind.Code] = r
		dv, hasDerived := derived[ind.Code]
		if ind.Answer.Kind != Derived {
			hasDerived = false
		}
		if ind.Answer.Kind == Derived && ind.Answer.Derived.From == FromWorstOf {
			dv, hasDerived = worstOf(ind, results), true
			if dv.Option == "" {
				hasDerived = false
			}
		}
		if a, ok := answers[ind.Code]; ok {
			if err := checkAnswer(in, ind, a, subject.On, r); err != nil {
				return res, err
			}
			r.Answered, r.Note = true, strings.TrimSpace(a.Note)
			if hasDerived {
				r.RecordIDs, r.Detail = dv.RecordIDs, dv.Detail
				if !sameValue(a, dv) {
					reason := strings.TrimSpace(a.OverrideReason)
					if reason == "" {
						return res, errs.Field("answers["+ind.Code+"].override_reason", "flower.override_reason", nil)
					}
					r.Overridden, r.OverrideReason = true, reason
				}
			}
			continue
		}
		if hasDerived {
			probe := Answer{Option: dv.Option, Number: dv.Number}
			if err := checkAnswer(in, ind, probe, subject.On, r); err != nil {
				// A derived value the instrument cannot place stays unknown.
				*r = IndicatorResult{Code: ind.Code, Dimension: ind.Dimension, Level: Unknown}
				continue
			}
			r.Derived, r.RecordIDs, r.Detail = true, dv.RecordIDs, dv.Detail
		}
	}
	for _, ind := range in.Indicators {
		if r, ok := results[ind.Code]; ok {
			res.Indicators = append(res.Indicators, *r)
		}
	}
	for _, spec := range in.Dimensions {
		res.Dimensions = append(res.Dimensions, dimensionLevel(spec, res.Indicators))
	}
	for _, lvl := range []Level{Red, Yellow} {
		for _, r := range res.Indicators {
			if r.Level == lvl {
				res.Concerns = append(res.Concerns, r)
			}
		}
	}
	for _, r := range res.Indicators {
		if r.Urgent {
			res.Urgent = append(res.Urgent, r)
		}
	}
	return res, nil
}

// checkAnswer validates an answer against the indicator and fills r's
// value and level.
func checkAnswer(in *Instrument, ind *Indicator, a Answer, on time.Time, r *IndicatorResult) error {
	field := "answers[" + ind.Code + "]"
	if utf8.RuneCountInString(a.Note) > MaxNoteLen {
		return errs.Field(field+".note", "field.too_long", map[string]any{"Max": MaxNoteLen})
	}
	if utf8.RuneCountInString(a.OverrideReason) > MaxNoteLen {
		return errs.Field(field+".override_reason", "field.too_long", map[string]any{"Max": MaxNoteLen})
	}
	spec := &ind.Answer
	if spec.Options != nil {
		if a.Number != nil {
			return errs.Field(field+".number", "flower.answer_kind", nil)
		}
		if a.Option == "" {
			return errs.Field(field+".option", "field.required", nil)
		}
		o := spec.Option(a.Option)
		if o == nil {
			return errs.Field(field+".option", "field.choice", nil)
		}
		r.Option, r.Level, r.Urgent = o.Code, o.Level, o.Urgent
		return nil
	}
	n := spec.Number
	if a.Option != "" {
		return errs.Field(field+".option", "flower.answer_kind", nil)
	}
	if a.Number == nil {
		return errs.Field(field+".number", "field.required", nil)
	}
	x := *a.Number
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return errs.Field(field+".number", "flower.number", nil)
	}
	if x < n.Min || x > n.Max {
		return errs.Field(field+".number", "flower.out_of_bounds", map[string]any{"Min": n.Min, "Max": n.Max, "Unit": n.Unit})
	}
	if n.Integer && x != math.Trunc(x) {
		return errs.Field(field+".number", "flower.whole_number", nil)
	}
	v := x
	if n.Reference != "" {
		v = x / in.Reference(n.Reference).At(on)
	}
	for _, t := range n.Thresholds {
		if t.contains(v) {
			r.Level, r.Urgent = t.Level, t.Urgent
			break
		}
	}
	r.Number = &x
	return nil
}

func sameValue(a Answer, d DerivedValue) bool {
	if d.Number != nil || a.Number != nil {
		return d.Number != nil && a.Number != nil && math.Abs(*d.Number-*a.Number) < 1e-9
	}
	return a.Option == d.Option
}

// worstOf derives an indicator from the worst level of others (those that
// apply to the subject): red or yellow if any is; green only if all are
// known and green; otherwise nothing (unknown is never made green).
func worstOf(ind *Indicator, results map[string]*IndicatorResult) DerivedValue {
	worst, missing := Unknown, false
	var ids []string
	for _, c := range ind.Answer.Derived.Indicators {
		r, ok := results[c]
		if !ok {
			continue
		}
		if r.Level == Unknown {
			missing = true
			continue
		}
		if r.Level.Worse(worst) {
			worst = r.Level
		}
		ids = append(ids, r.RecordIDs...)
	}
	if worst == Unknown || (worst == Green && missing) {
		return DerivedValue{}
	}
	return DerivedValue{Option: string(worst), RecordIDs: ids, Detail: ind.Answer.Derived.Indicators}
}

// dimensionLevel applies a dimension's rule to its indicators' levels.
func dimensionLevel(spec DimensionSpec, rs []IndicatorResult) DimensionResult {
	d := DimensionResult{Dimension: spec.Dimension, Level: Unknown}
	for _, r := range rs {
		if r.Dimension != spec.Dimension {
			continue
		}
		d.Applicable++
		switch r.Level {
		case Red:
			d.Red++
		case Yellow:
			d.Yellow++
		}
		if r.Level != Unknown {
			d.Known++
		}
	}
	switch {
	case d.Red > 0:
		d.Level = Red
	case d.Yellow > 0:
		d.Level = Yellow
	case spec.Rule.Kind == RuleWorstOfAnswered:
		if d.Known > 0 && d.Known >= spec.Rule.MinAnswered {
			d.Level = Green
		}
	default: // worst: green only when every applicable indicator is known
		if d.Applicable > 0 && d.Known == d.Applicable {
			d.Level = Green
		}
	}
	return d
}
