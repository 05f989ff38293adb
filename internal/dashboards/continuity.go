package dashboards

import (
	"time"
)

// Continuity gaps are children the system of care has lost sight of. Each
// is judged on the period's reference day from counters kept by birth
// month or year, so the rule can change without touching the records.

// UnseenDays are the choices of "no agency has seen the child for N days".
var UnseenDays = []int{90, 180, 365}

// Unseen reports whether a child last seen in lastMonth (YYYY-MM, "" for
// never) has not been seen for days on the day on: the whole month ended
// more than days before.
func Unseen(lastMonth string, days int, on time.Time) bool {
	if lastMonth == "" {
		return true
	}
	m, err := time.Parse("2006-01", lastMonth)
	if err != nil {
		return true
	}
	end := m.AddDate(0, 1, 0) // the first day after the month
	return end.Before(on.AddDate(0, 0, -days))
}

// DSPMAges are the national developmental screening points (months), in
// the order of the counters' screened column.
var DSPMAges = []int{9, 18, 30, 42, 60}

// DSPMGraceMonths: a screening not done a month after its age is missed.
const DSPMGraceMonths = 1

// AgeMonths is the completed months from a birth month to on (the birth
// taken mid-month).
func AgeMonths(birthMonth string, on time.Time) (int, bool) {
	b, err := time.Parse("2006-01", birthMonth)
	if err != nil {
		return 0, false
	}
	b = b.AddDate(0, 0, 14)
	if on.Before(b) {
		return 0, false
	}
	m := (on.Year()-b.Year())*12 + int(on.Month()) - int(b.Month())
	if on.Day() < b.Day() {
		m--
	}
	return m, true
}

// DSPMDue reports whether a child born in birthMonth is of screening age
// (under six) with at least one screening past its month of grace, and
// whether one of those was missed (screened has '1' for each age done).
func DSPMDue(birthMonth, screened string, on time.Time) (due, missed bool) {
	age, ok := AgeMonths(birthMonth, on)
	if !ok || age >= 72 {
		return false, false
	}
	for i, a := range DSPMAges {
		if age >= a+DSPMGraceMonths {
			due = true
			if i >= len(screened) || screened[i] != '1' {
				missed = true
			}
		}
	}
	return due, missed
}

// GrantRule is one dated version of the rules of the newborn child-support
// grant (เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด). The rule in force on a day is
// the latest whose InForce has come.
type GrantRule struct {
	Version string
	InForce time.Time
	// BornFrom: children born on or after this day.
	BornFrom time.Time
	// UnderMonths: the child must be younger than this.
	UnderMonths int
	// IncomePerPerson: the household income ceiling, baht per person per
	// year. The platform has no income figure; it takes a red or yellow
	// economy petal as the sign of a household under it (see
	// docs/dashboards.md).
	IncomePerPerson int
	MonthlyBaht     int
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// GrantRules are the versions in force over the years. The latest follows
// THAI-FACTS.md (2022 rules); the earlier ones are the programme's first
// years as publicly reported, to be checked against the Cabinet
// resolutions before they are used for anything but history.
var GrantRules = []GrantRule{
	{"2558", day("2015-10-01"), day("2015-10-01"), 12, 36000, 400},
	{"2559", day("2016-10-01"), day("2015-10-01"), 36, 36000, 600},
	{"2562", day("2019-10-01"), day("2015-10-01"), 72, 100000, 600},
}

// GrantRuleOn returns the rule in force on a day.
func GrantRuleOn(on time.Time) (GrantRule, bool) {
	var out GrantRule
	found := false
	for _, r := range GrantRules {
		if !r.InForce.After(on) {
			out, found = r, true
		}
	}
	return out, found
}

// GrantEligible reports whether a child born in birthMonth, Thai or not,
// whose economy petal is economy, is entitled under the rule in force on
// on. A child born in the rule's first month counts when the month itself
// is not before BornFrom's.
func GrantEligible(birthMonth string, thai bool, economy string, on time.Time) bool {
	r, ok := GrantRuleOn(on)
	if !ok || !thai || (economy != "red" && economy != "yellow") {
		return false
	}
	b, err := time.Parse("2006-01", birthMonth)
	if err != nil || b.Before(time.Date(r.BornFrom.Year(), r.BornFrom.Month(), 1, 0, 0, 0, 0, time.UTC)) {
		return false
	}
	age, ok := AgeMonths(birthMonth, on)
	return ok && age < r.UnderMonths
}
