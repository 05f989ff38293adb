package directory

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"termtem/internal/errs"
	"termtem/internal/people"
)

// Eligibility is written as rules, one a line, each "field operator value":
//
//	age >= 6            (years, whole)
//	age <= 15
//	income <= 3000      (baht per person per month, the household's ECO01)
//	place in 1011,1003  (the child lives in one of these places, by code)
//	nationality in thai,stateless
//
// All rules must hold. A rule whose fact is unknown for a child (no birth
// date, no income recorded) neither admits nor refuses: the match says
// "to check".

// Field is what a rule looks at.
type Field string

// The fields a rule may name.
const (
	Age         Field = "age"
	Income      Field = "income"
	Place       Field = "place"
	Nationality Field = "nationality"
)

// Rule is one parsed line.
type Rule struct {
	Field  Field
	Op     string
	Number int      // age, income
	Values []string // place codes, nationalities (for "in")
	Line   int
}

var numericOps = []string{"<", "<=", ">", ">=", "="}

// ParseRules reads the eligibility text. An unreadable line is refused with
// its number and what is wrong, so that no rule is silently ignored.
// knownPlace says whether a place code exists (nil: not checked).
func ParseRules(text string, knownPlace func(code string) bool) ([]Rule, error) {
	var out []Rule
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		bad := func(id string, data map[string]any) error {
			if data == nil {
				data = map[string]any{}
			}
			data["Line"], data["Text"] = i+1, line
			e := errs.Field("eligibility", id, data)
			e.Line = i + 1
			return e
		}
		if len(f) != 3 {
			return nil, bad("directory.rule_shape", nil)
		}
		r := Rule{Field: Field(strings.ToLower(f[0])), Op: f[1], Line: i + 1}
		switch r.Field {
		case Age, Income:
			if !slices.Contains(numericOps, r.Op) {
				return nil, bad("directory.rule_operator", map[string]any{"Field": f[0]})
			}
			n, err := strconv.Atoi(f[2])
			if err != nil || n < 0 || (r.Field == Age && n > 120) {
				return nil, bad("directory.rule_number", map[string]any{"Field": f[0]})
			}
			r.Number = n
		case Place, Nationality:
			if r.Op != "in" && r.Op != "=" {
				return nil, bad("directory.rule_operator", map[string]any{"Field": f[0]})
			}
			for _, v := range strings.Split(f[2], ",") {
				v = strings.ToLower(strings.TrimSpace(v))
				if v == "" {
					continue
				}
				if r.Field == Nationality && !slices.Contains(people.Nationalities, people.Nationality(v)) {
					return nil, bad("directory.rule_nationality", map[string]any{"Value": v})
				}
				if r.Field == Place && knownPlace != nil && !knownPlace(v) {
					return nil, bad("directory.rule_place", map[string]any{"Value": v})
				}
				r.Values = append(r.Values, v)
			}
			if len(r.Values) == 0 {
				return nil, bad("directory.rule_shape", nil)
			}
		default:
			return nil, bad("directory.rule_field", map[string]any{"Field": f[0]})
		}
		out = append(out, r)
	}
	return out, nil
}

// Facts are what is known of a child for eligibility. A nil pointer or an
// empty value is unknown.
type Facts struct {
	AgeYears    *int
	Income      *int     // baht per person per month
	PlaceCodes  []string // the codes of the child's community and all above it
	Nationality people.Nationality
}

// Verdict is the outcome of the rules for one child.
type Verdict string

// Verdicts, best first.
const (
	Eligible   Verdict = "eligible"
	ToCheck    Verdict = "to_check" // some fact is unknown
	Ineligible Verdict = "ineligible"
)

// Evaluate applies all rules. The first refusing rule is returned with an
// Ineligible verdict, so the form can say why.
func Evaluate(rules []Rule, f Facts) (Verdict, *Rule) {
	v := Eligible
	for i := range rules {
		r := &rules[i]
		ok, known := r.holds(f)
		switch {
		case !known:
			v = ToCheck
		case !ok:
			return Ineligible, r
		}
	}
	return v, nil
}

func (r Rule) holds(f Facts) (ok, known bool) {
	switch r.Field {
	case Age:
		if f.AgeYears == nil {
			return false, false
		}
		return compare(*f.AgeYears, r.Op, r.Number), true
	case Income:
		if f.Income == nil {
			return false, false
		}
		return compare(*f.Income, r.Op, r.Number), true
	case Place:
		if len(f.PlaceCodes) == 0 {
			return false, false
		}
		for _, c := range f.PlaceCodes {
			if slices.Contains(r.Values, strings.ToLower(c)) {
				return true, true
			}
		}
		return false, true
	case Nationality:
		if f.Nationality == people.NationalityUnknown {
			return false, false
		}
		return slices.Contains(r.Values, string(f.Nationality)), true
	}
	return false, false
}

func compare(a int, op string, b int) bool {
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return a == b
}

// String writes the rule back as its line.
func (r Rule) String() string {
	if r.Field == Place || r.Field == Nationality {
		return fmt.Sprintf("%s %s %s", r.Field, r.Op, strings.Join(r.Values, ","))
	}
	return fmt.Sprintf("%s %s %d", r.Field, r.Op, r.Number)
}

// AgeRange is the narrowest age range the rules allow (HSDS minimum_age
// and maximum_age); -1 where open.
func AgeRange(rules []Rule) (min, max int) {
	min, max = -1, -1
	for _, r := range rules {
		if r.Field != Age {
			continue
		}
		switch r.Op {
		case ">=", "=":
			min = max2(min, r.Number)
		case ">":
			min = max2(min, r.Number+1)
		}
		switch r.Op {
		case "<=", "=":
			max = min2(max, r.Number)
		case "<":
			max = min2(max, r.Number-1)
		}
	}
	return min, max
}

func max2(a, b int) int {
	if a < 0 || b > a {
		return b
	}
	return a
}

func min2(a, b int) int {
	if a < 0 || b < a {
		return b
	}
	return a
}
