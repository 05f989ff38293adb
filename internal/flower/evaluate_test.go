package flower

import (
	"math"
	"testing"

	"termtem/internal/errs"
	"termtem/internal/people"
)

func TestDimensionRules(t *testing.T) {
	worst := DimensionSpec{Dimension: people.Safety, Rule: Rule{Kind: RuleWorst}}
	ofAnswered := DimensionSpec{Dimension: people.Safety, Rule: Rule{Kind: RuleWorstOfAnswered}}
	atLeast2 := DimensionSpec{Dimension: people.Safety, Rule: Rule{Kind: RuleWorstOfAnswered, MinAnswered: 2}}
	rs := func(levels ...Level) []IndicatorResult {
		var out []IndicatorResult
		for i, l := range levels {
			out = append(out, IndicatorResult{Code: string(rune('A' + i)), Dimension: people.Safety, Level: l})
		}
		// An indicator of another dimension never counts.
		return append(out, IndicatorResult{Code: "X", Dimension: people.Health, Level: Red})
	}
	for _, tc := range []struct {
		name   string
		spec   DimensionSpec
		levels []Level
		want   Level
	}{
		{"worst: nothing applies", worst, nil, Unknown},
		{"worst: nothing answered", worst, []Level{Unknown, Unknown}, Unknown},
		{"worst: all green", worst, []Level{Green, Green}, Green},
		{"worst: green and unknown is not green", worst, []Level{Green, Unknown}, Unknown},
		{"worst: a yellow", worst, []Level{Green, Yellow, Unknown}, Yellow},
		{"worst: a red wins", worst, []Level{Yellow, Red, Green, Unknown}, Red},
		{"of answered: none", ofAnswered, []Level{Unknown}, Unknown},
		{"of answered: green and unknown", ofAnswered, []Level{Green, Unknown}, Green},
		{"of answered: yellow", ofAnswered, []Level{Yellow, Unknown}, Yellow},
		{"of answered: red", ofAnswered, []Level{Red, Yellow}, Red},
		{"min 2: one green", atLeast2, []Level{Green, Unknown}, Unknown},
		{"min 2: two green", atLeast2, []Level{Green, Green, Unknown}, Green},
		{"min 2: one yellow still yellow", atLeast2, []Level{Yellow, Unknown}, Yellow},
	} {
		got := dimensionLevel(tc.spec, rs(tc.levels...))
		if got.Level != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got.Level, tc.want)
		}
	}
}

func TestEvaluateChild(t *testing.T) {
	in := mustParse(t, baseText())
	f := child("2020-01-15", "2026-02-01") // 72 months: SAF02, EDU03, HLT02, HLT03, HLT99 apply; SAF03 does not
	derived := map[string]DerivedValue{
		"EDU03": {Number: f64(85), RecordIDs: []string{"att1"}},
		"HLT02": {Option: "up_to_date", RecordIDs: []string{"v1", "v2"}},
		"HLT03": {Number: f64(-2.5), RecordIDs: []string{"g1"}},
	}
	res, err := Evaluate(in, f, map[string]Answer{"SAF02": {Option: "severe", Note: " seen bruises "}}, derived)
	if err != nil {
		t.Fatal(err)
	}
	if res.Instrument != "test" || res.Version != 1 || res.SubjectID != "c1" {
		t.Errorf("header %+v", res)
	}
	want := map[string]Level{"SAF02": Red, "EDU03": Yellow, "HLT02": Green, "HLT03": Yellow, "HLT99": Yellow}
	if len(res.Indicators) != len(want) {
		t.Fatalf("indicators %+v", res.Indicators)
	}
	for code, l := range want {
		r, ok := res.Indicator(code)
		if !ok || r.Level != l {
			t.Errorf("%s: %+v, want %s", code, r, l)
		}
	}
	saf, _ := res.Indicator("SAF02")
	if !saf.Answered || saf.Derived || !saf.Urgent || saf.Note != "seen bruises" {
		t.Errorf("SAF02 %+v", saf)
	}
	edu, _ := res.Indicator("EDU03")
	if !edu.Derived || edu.Answered || edu.RecordIDs[0] != "att1" || *edu.Number != 85 {
		t.Errorf("EDU03 %+v", edu)
	}
	hlt99, _ := res.Indicator("HLT99")
	if !hlt99.Derived || hlt99.Option != "yellow" || len(hlt99.RecordIDs) != 3 {
		t.Errorf("HLT99 %+v", hlt99)
	}
	levels := res.Levels()
	if levels[people.Economy] != Unknown || levels[people.Safety] != Red || levels[people.Education] != Yellow || levels[people.Health] != Yellow {
		t.Errorf("levels %v", levels)
	}
	if len(res.Concerns) != 4 || res.Concerns[0].Code != "SAF02" || res.Concerns[0].Level != Red {
		t.Errorf("concerns %+v", res.Concerns)
	}
	for i := 1; i < len(res.Concerns); i++ {
		if res.Concerns[i].Level != Yellow {
			t.Errorf("concern %d %+v", i, res.Concerns[i])
		}
	}
	if len(res.Urgent) != 1 || res.Urgent[0].Code != "SAF02" {
		t.Errorf("urgent %+v", res.Urgent)
	}
	if d := res.Dimension(people.Health); d.Applicable != 3 || d.Known != 3 || d.Yellow != 2 {
		t.Errorf("health %+v", d)
	}
}

func TestEvaluateUnknownNeverGreen(t *testing.T) {
	in := mustParse(t, baseText())
	res, err := Evaluate(in, child("2020-01-15", "2026-02-01"), map[string]Answer{"SAF02": {Option: "none"}},
		map[string]DerivedValue{"HLT02": {Option: "up_to_date"}})
	if err != nil {
		t.Fatal(err)
	}
	// Health: HLT02 green, HLT03 unknown → HLT99 (worst of both) unknown, health unknown.
	if l := res.Levels()[people.Health]; l != Unknown {
		t.Errorf("health %s", l)
	}
	if r, _ := res.Indicator("HLT99"); r.Level != Unknown {
		t.Errorf("worst_of green+unknown = %s", r.Level)
	}
	// A yellow is known whatever else is missing.
	res2, _ := Evaluate(in, child("2020-01-15", "2026-02-01"), nil, map[string]DerivedValue{"HLT02": {Option: "one_overdue"}})
	if r, _ := res2.Indicator("HLT99"); r.Level != Yellow {
		t.Errorf("worst_of yellow+unknown = %s", r.Level)
	}
	if l := res.Levels()[people.Safety]; l != Green {
		t.Errorf("safety %s", l)
	}
	// Education: worst_of_answered with nothing answered.
	if l := res.Levels()[people.Education]; l != Unknown {
		t.Errorf("education %s", l)
	}
}

func TestEvaluateReferenceByDate(t *testing.T) {
	in := mustParse(t, baseText())
	for _, tc := range []struct {
		on     string
		income float64
		want   Level
	}{
		{"2023-06-01", 1100, Yellow}, // line 1000: 1.1×
		{"2023-06-01", 1200, Green},  // 1.2×
		{"2023-06-01", 999, Red},
		{"2025-06-01", 1200, Red}, // line 2000
		{"2025-06-01", 2300, Yellow},
	} {
		res, err := Evaluate(in, household(tc.on), map[string]Answer{"ECO01": {Number: f64(tc.income)}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := res.Indicator("ECO01"); r.Level != tc.want {
			t.Errorf("%s %v: %s, want %s", tc.on, tc.income, r.Level, tc.want)
		}
	}
}

func TestEvaluateOverride(t *testing.T) {
	in := mustParse(t, baseText())
	f := child("2020-01-15", "2026-02-01")
	derived := map[string]DerivedValue{"HLT02": {Option: "overdue_2plus", RecordIDs: []string{"v1"}}}
	// Confirming the derived value needs no reason.
	res, err := Evaluate(in, f, map[string]Answer{"HLT02": {Option: "overdue_2plus"}}, derived)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := res.Indicator("HLT02"); !r.Answered || r.Overridden || r.Level != Red || r.RecordIDs[0] != "v1" {
		t.Errorf("confirm %+v", r)
	}
	// Overriding it does.
	_, err = Evaluate(in, f, map[string]Answer{"HLT02": {Option: "up_to_date"}}, derived)
	if e := errs.As(err); e.Field != "answers[HLT02].override_reason" || e.MessageID != "flower.override_reason" {
		t.Errorf("override without reason: %v", err)
	}
	res, err = Evaluate(in, f, map[string]Answer{"HLT02": {Option: "up_to_date", OverrideReason: "card shows all doses"}}, derived)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := res.Indicator("HLT02"); !r.Overridden || r.Level != Green || r.OverrideReason != "card shows all doses" {
		t.Errorf("override %+v", r)
	}
	// Numbers too.
	derived = map[string]DerivedValue{"HLT03": {Number: f64(-3.2)}}
	if _, err := Evaluate(in, f, map[string]Answer{"HLT03": {Number: f64(-3.2)}}, derived); err != nil {
		t.Errorf("same number: %v", err)
	}
	if _, err := Evaluate(in, f, map[string]Answer{"HLT03": {Number: f64(-1)}}, derived); errs.As(err).MessageID != "flower.override_reason" {
		t.Errorf("other number: %v", err)
	}
}

func TestEvaluateBadAnswers(t *testing.T) {
	in := mustParse(t, baseText())
	f := child("2020-01-15", "2026-02-01") // 6 years
	for _, tc := range []struct {
		name    string
		subject SubjectFacts
		answers map[string]Answer
		field   string
		id      string
	}{
		{"unknown indicator", f, map[string]Answer{"ZZZ01": {Option: "x"}}, "answers[ZZZ01]", "flower.unknown_indicator"},
		{"not for this age", f, map[string]Answer{"SAF03": {Option: "never"}}, "answers[SAF03]", "flower.not_applicable"},
		{"not for a child", f, map[string]Answer{"ECO01": {Number: f64(5000)}}, "answers[ECO01]", "flower.not_applicable"},
		{"not for a household", household("2026-01-01"), map[string]Answer{"SAF02": {Option: "none"}}, "answers[SAF02]", "flower.not_applicable"},
		{"option outside the list", f, map[string]Answer{"SAF02": {Option: "sometimes"}}, "answers[SAF02].option", "field.choice"},
		{"option missing", f, map[string]Answer{"SAF02": {}}, "answers[SAF02].option", "field.required"},
		{"number for a choice", f, map[string]Answer{"SAF02": {Number: f64(1)}}, "answers[SAF02].number", "flower.answer_kind"},
		{"option for a number", f, map[string]Answer{"HLT03": {Option: "low"}}, "answers[HLT03].option", "flower.answer_kind"},
		{"number missing", f, map[string]Answer{"EDU03": {}}, "answers[EDU03].number", "field.required"},
		{"above physical bounds", f, map[string]Answer{"EDU03": {Number: f64(120)}}, "answers[EDU03].number", "flower.out_of_bounds"},
		{"below physical bounds", household("2026-01-01"), map[string]Answer{"ECO01": {Number: f64(-1)}}, "answers[ECO01].number", "flower.out_of_bounds"},
		{"not a number", f, map[string]Answer{"EDU03": {Number: f64(math.NaN())}}, "answers[EDU03].number", "flower.number"},
		{"not whole", f, map[string]Answer{"EDU03": {Number: f64(85.5)}}, "answers[EDU03].number", "flower.whole_number"},
	} {
		_, err := Evaluate(in, tc.subject, tc.answers, nil)
		e := errs.As(err)
		if err == nil || e.Field != tc.field || e.MessageID != tc.id || e.Code != errs.Invalid {
			t.Errorf("%s: %v, want %s %s", tc.name, err, tc.field, tc.id)
		}
	}
	long := make([]rune, MaxNoteLen+1)
	for i := range long {
		long[i] = 'ก'
	}
	_, err := Evaluate(in, f, map[string]Answer{"SAF02": {Option: "none", Note: string(long)}}, nil)
	if e := errs.As(err); e.Field != "answers[SAF02].note" || e.MessageID != "field.too_long" {
		t.Errorf("long note: %v", err)
	}
}

// The brief's example: a weight of 500 kg is refused, not scored.
func TestEvaluateWeightBounds(t *testing.T) {
	in := Default()
	f := child("2022-01-15", "2026-02-01")
	_, err := Evaluate(in, f, map[string]Answer{"HLT01": {Number: f64(500000)}}, nil)
	if e := errs.As(err); e.MessageID != "flower.out_of_bounds" || e.Data["Max"] != 6500.0 {
		t.Errorf("birth weight 500 kg: %v %v", err, e.Data)
	}
}

func TestEvaluateDerivedOutsideInstrument(t *testing.T) {
	in := mustParse(t, baseText())
	res, err := Evaluate(in, child("2020-01-15", "2026-02-01"), nil, map[string]DerivedValue{
		"HLT02": {Option: "bogus"},
		"HLT03": {Number: f64(99)},
		"SAF02": {Option: "severe"}, // not a derived indicator: ignored
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"HLT02", "HLT03", "SAF02"} {
		if r, _ := res.Indicator(code); r.Level != Unknown || r.Derived {
			t.Errorf("%s %+v", code, r)
		}
	}
}

func TestApplies(t *testing.T) {
	in := Default()
	count := func(f SubjectFacts) map[string]bool {
		m := map[string]bool{}
		for _, ind := range in.Applicable(f) {
			m[ind.Code] = true
		}
		return m
	}
	baby := count(child("2025-11-01", "2026-02-01")) // 3 months
	if !baby["SAF03"] || baby["SAF02"] || !baby["EDU06"] || baby["EDU03"] || !baby["HLT02"] || baby["ECO01"] {
		t.Errorf("baby %v", baby)
	}
	pupil := SubjectFacts{Subject: Child, BirthDate: "2017-05-01", Schooling: people.InPrimary, On: day("2026-02-01")}
	p := count(pupil)
	if !p["EDU02"] || !p["EDU03"] || !p["EDU07"] || p["EDU06"] || p["EDU10"] || !p["SAF02"] {
		t.Errorf("pupil %v", p)
	}
	pupil.Conditions = []string{"disability"}
	if !count(pupil)["EDU10"] {
		t.Error("EDU10 for a child with a disability")
	}
	// Unknown age does not exclude.
	if !count(SubjectFacts{Subject: Child, On: day("2026-02-01")})["SAF03"] {
		t.Error("unknown age")
	}
	hh := count(household("2026-02-01", "2015-01-01"))
	if !hh["ECO01"] || hh["SAF10"] || hh["SAF02"] {
		t.Errorf("household with a 11-year-old %v", hh)
	}
	if !count(household("2026-02-01", "2015-01-01", "2023-06-01"))["SAF10"] {
		t.Error("household with a toddler asks SAF10")
	}
}

func TestHouseholdFacts(t *testing.T) {
	members := []people.Person{{BirthDate: "1990-01-01"}, {BirthDate: "2023-01-01"}, {BirthDate: ""}}
	f := HouseholdFacts("h9", members, day("2026-01-01"))
	if f.Subject != Household || f.ID != "h9" || len(f.ChildBirthDates) != 2 {
		t.Errorf("%+v", f)
	}
	c := ChildFacts(people.Person{ID: "p1", BirthDate: "2023-01-01", Sex: people.Male}, people.InChildcare, nil, day("2026-01-01"))
	if m, ok := c.AgeMonths(); !ok || m != 36 || c.Stage() != people.StagePreschool {
		t.Errorf("%+v %d", c, m)
	}
}

func TestEvaluateNeedsParse(t *testing.T) {
	_, err := Evaluate(&Instrument{Code: "x"}, child("2020-01-01", "2026-01-01"), nil, nil)
	if !errs.Is(err, errs.Internal) {
		t.Errorf("unparsed instrument: %v", err)
	}
}
