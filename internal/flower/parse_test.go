package flower

import (
	"slices"
	"strings"
	"testing"

	"termtem/internal/errs"
	"termtem/internal/people"
)

func TestParseBase(t *testing.T) {
	in := mustParse(t, baseText())
	if in.Code != "test" || in.Version != 1 || len(in.Indicators) != 7 || in.Published().IsZero() {
		t.Fatalf("parsed %+v", in)
	}
	if in.Indicator("SAF02") == nil || in.Indicator("NOPE") != nil {
		t.Error("Indicator lookup")
	}
	// worst_of comes after what it depends on.
	pos := func(code string) int { return slices.Index(in.order, in.Indicator(code)) }
	if pos("HLT99") < pos("HLT02") || pos("HLT99") < pos("HLT03") {
		t.Error("evaluation order")
	}
	if got := in.Reference("line").At(day("2023-06-01")); got != 1000 {
		t.Errorf("reference 2023 = %v", got)
	}
	if got := in.Reference("line").At(day("2019-01-01")); got != 1000 {
		t.Errorf("reference before all = %v", got)
	}
	if got := in.Reference("line").At(day("2025-01-01")); got != 2000 {
		t.Errorf("reference 2025 = %v", got)
	}
}

func TestParseDefault(t *testing.T) {
	in := Default()
	if in.Code != "termtem-default" || in.Version != 1 {
		t.Fatalf("default: %s v%d", in.Code, in.Version)
	}
	per := map[people.Dimension]int{}
	for _, ind := range in.Indicators {
		per[ind.Dimension]++
		if strings.TrimSpace(ind.Source) == "" {
			t.Errorf("%s has no source", ind.Code)
		}
		if ind.Answer.Number != nil {
			for i, th := range ind.Answer.Number.Thresholds {
				if th.Source == "" {
					t.Errorf("%s threshold %d has no source", ind.Code, i)
				}
			}
		}
	}
	for _, d := range people.Dimensions {
		if per[d] < 8 || per[d] > 12 {
			t.Errorf("%s has %d indicators", d, per[d])
		}
	}
	for _, code := range []string{"SAF02", "SAF03", "SAF04", "SAF06", "SAF08", "HLT09"} {
		ind := in.Indicator(code)
		urgent := false
		for _, o := range ind.Answer.Options {
			urgent = urgent || o.Urgent
		}
		if !urgent {
			t.Errorf("%s has no urgent red option", code)
		}
	}
	for _, code := range []string{"ECO06", "EDU02", "EDU03", "EDU06", "HLT01", "HLT02", "HLT03", "HLT04", "HLT05"} {
		if in.Indicator(code).Answer.Kind != Derived {
			t.Errorf("%s should be derived", code)
		}
	}
	// Sensitive safety questions are not family-facing.
	for _, code := range []string{"SAF02", "SAF03", "SAF06", "SAF08"} {
		if in.Indicator(code).FamilyFacing {
			t.Errorf("%s should not be asked in self-assessment", code)
		}
	}
}

func TestParseErrors(t *testing.T) {
	type tc struct {
		name     string
		old, new string // replace old by new in baseText (once)
		field    string
		id       string
		lineOf   string // the expected line is the one containing this text in the mutated file
	}
	tests := []tc{
		{"option level missing", `"label": {"th": "เล็กน้อย", "en": "mild"}, "level": "yellow"}`, `"label": {"th": "เล็กน้อย", "en": "mild"}}`,
			"indicators[SAF02].answer.options[1].level", "flower.level_missing", `"code": "mild"`},
		{"option level invalid", `"en": "mild"}, "level": "yellow"`, `"en": "mild"}, "level": "purple"`,
			"indicators[SAF02].answer.options[1].level", "field.choice", `"purple"`},
		{"urgent not red", `"en": "mild"}, "level": "yellow"`, `"en": "mild"}, "level": "yellow", "urgent": true`,
			"indicators[SAF02].answer.options[1].urgent", "flower.urgent_not_red", `"code": "mild"`},
		{"one option", `"level": "green"},
       {"code": "alone", "label": {"th": "เคย", "en": "yes"}, "level": "red", "urgent": true}`, `"level": "green"}`,
			"indicators[SAF03].answer.options", "flower.options_count", ""},
		{"no green option", `{"code": "never", "label": {"th": "ไม่เคย", "en": "never"}, "level": "green"}`, `{"code": "never", "label": {"th": "ไม่เคย", "en": "never"}, "level": "yellow"}`,
			"indicators[SAF03].answer.options", "flower.no_green", ""},
		{"duplicate option", `{"code": "mild"`, `{"code": "none"`,
			"indicators[SAF02].answer.options[1].code", "flower.code_duplicate", ""},
		{"threshold gap", `{"from": 1.2, "level": "green"`, `{"from": 1.3, "level": "green"`,
			"indicators[ECO01].answer.number.thresholds[2]", "flower.threshold_gap", `"from": 1.3`},
		{"threshold overlap", `{"from": 1.2, "level": "green"`, `{"from": 1.1, "level": "green"`,
			"indicators[ECO01].answer.number.thresholds[2]", "flower.threshold_overlap", `"from": 1.1`},
		{"threshold gap at the top", `{"from": 90, "level": "green", "source": "prop"}`, `{"from": 90, "below": 100, "level": "green", "source": "prop"}`,
			"indicators[EDU03].answer.number.thresholds[2]", "flower.threshold_gap", `"below": 100`},
		{"threshold gap at the bottom", `{"below": -3, "level": "red", "source": "WHO"}`, `{"from": -7, "below": -3, "level": "red", "source": "WHO"}`,
			"indicators[HLT03].answer.number.thresholds[0]", "flower.threshold_gap", `"from": -7`},
		{"threshold empty", `{"from": 80, "below": 90,`, `{"from": 90, "below": 80,`,
			"indicators[EDU03].answer.number.thresholds[1]", "flower.threshold_empty", ""},
		{"threshold level missing", `{"from": 80, "below": 90, "level": "yellow", "source": "prop"}`, `{"from": 80, "below": 90, "source": "prop"}`,
			"indicators[EDU03].answer.number.thresholds[1].level", "flower.level_missing", ""},
		{"threshold source missing", `{"from": 80, "below": 90, "level": "yellow", "source": "prop"}`, `{"from": 80, "below": 90, "level": "yellow"}`,
			"indicators[EDU03].answer.number.thresholds[1].source", "field.required", ""},
		{"direction", `{"below": 80, "level": "red"`, `{"below": 80, "level": "green"`,
			"indicators[EDU03].answer.number.thresholds[1].level", "flower.direction", ""},
		{"bounds", `"min": 0, "max": 100, "integer": true`, `"min": 100, "max": 0, "integer": true`,
			"indicators[EDU03].answer.number.max", "flower.bounds", ""},
		{"unknown reference", `"reference": "line"`, `"reference": "lines"`,
			"indicators[ECO01].answer.number.reference", "flower.reference_unknown", `"reference": "lines"`},
		{"duplicate indicator", `{"code": "SAF03"`, `{"code": "SAF02"`,
			"indicators[SAF02].code", "flower.code_duplicate", ""},
		{"bad indicator code", `{"code": "SAF03"`, `{"code": "saf 3"`,
			"indicators[2].code", "flower.code_format", `"saf 3"`},
		{"rule missing", `{"dimension": "health", "rule": {"kind": "worst"}, `, `{"dimension": "health", `,
			"dimensions[health].rule", "flower.rule_missing", `{"dimension": "health"`},
		{"rule unknown", `{"dimension": "health", "rule": {"kind": "worst"}`, `{"dimension": "health", "rule": {"kind": "best"}`,
			"dimensions[health].rule.kind", "field.choice", ""},
		{"dimension missing", `,
    {"dimension": "health", "rule": {"kind": "worst"}, "letter": {"th": "สข", "en": "H"}}`, ``,
			"dimensions", "flower.dimension_missing", ""},
		{"dimension unknown", `{"dimension": "economy", "rule"`, `{"dimension": "money", "rule"`,
			"dimensions[0].dimension", "field.choice", ""},
		{"letter too long", `"letter": {"th": "ศก", "en": "E"}`, `"letter": {"th": "ศก", "en": "ECON"}`,
			"dimensions[economy].letter.en", "flower.letter", ""},
		{"unknown dependency", `["HLT02", "HLT03"]`, `["HLT02", "NOPE1"]`,
			"indicators[HLT99].answer.derived.indicators[1]", "flower.depends_unknown", ""},
		{"self dependency", `["HLT02", "HLT03"]`, `["HLT99"]`,
			"indicators[HLT99].answer.derived.indicators[0]", "flower.depends_self", ""},
		{"derived option missing", `{"code": "one_overdue", "label": {"th": "ค้าง 1", "en": "one overdue"}, "level": "yellow"},`, ``,
			"indicators[HLT02].answer.options", "flower.derived_options", ""},
		{"derived source unknown", `"from": "epi_vaccines"`, `"from": "vaccines"`,
			"indicators[HLT02].answer.derived.from", "field.choice", ""},
		{"derived needs number", `"derived": {"from": "attendance"},`, `"derived": {"from": "dspm"},`,
			"indicators[EDU03].answer.options", "field.required", ""},
		{"choice with number", `"answer": {"kind": "choice", "options": [
       {"code": "never"`, `"answer": {"kind": "choice", "number": {"unit": "x"}, "options": [
       {"code": "never"`, "indicators[SAF03].answer.number", "flower.answer_shape", ""},
		{"answer kind missing", `"answer": {"kind": "choice", "options": [
       {"code": "never"`, `"answer": {"options": [
       {"code": "never"`, "indicators[SAF03].answer.kind", "field.required", ""},
		{"household age band", `"subject": "household",`, `"subject": "household", "applies_to": {"min_months": 3},`,
			"indicators[ECO01].applies_to", "flower.applies_subject", ""},
		{"age band reversed", `{"min_months": 12, "max_months": 179}`, `{"min_months": 179, "max_months": 12}`,
			"indicators[SAF02].applies_to.max_months", "flower.age_band", ""},
		{"stage unknown", `"applies_to": {"max_months": 59}`, `"applies_to": {"max_months": 59, "stages": ["baby"]}`,
			"indicators[SAF03].applies_to.stages[0]", "field.choice", ""},
		{"question missing", `"question": {"th": "ปล่อยไหม", "en": "Left alone?"}`, `"question": {"th": "ปล่อยไหม"}`,
			"indicators[SAF03].question.en", "field.required", ""},
		{"indicator source missing", `"source": "MICS"},
    {"code": "SAF03"`, `"source": ""},
    {"code": "SAF03"`, "indicators[SAF02].source", "field.required", ""},
		{"version", `"version": 1`, `"version": 0`, "version", "flower.version", `"version": 0`},
		{"date", `"published_at": "2026-01-01"`, `"published_at": "1 Jan 2026"`, "published_at", "flower.date", `"published_at"`},
		{"code", `"code": "test"`, `"code": "Test Me"`, "code", "flower.code_format", ""},
		{"reference order", `{"from": "2024-01-01", "value": 2000}`, `{"from": "2019-01-01", "value": 2000}`,
			"references[line].values[1].from", "flower.reference_order", ""},
		{"reference value", `"value": 1000}`, `"value": -5}`, "references[line].values[0].value", "flower.positive", ""},
		{"subject", `"subject": "household"`, `"subject": "family"`, "indicators[ECO01].subject", "field.choice", ""},
		{"sensitivity", `"family_facing": true,`, `"family_facing": true, "sensitivity": "secret",`,
			"indicators[ECO01].sensitivity", "field.choice", ""},
		// File-level problems.
		{"unknown field", `"version": 1,`, `"version": 1, "colour": "red",`, "colour", "flower.file_unknown_field", `"colour"`},
		{"wrong type", `"version": 1`, `"version": "one"`, "version", "flower.file_type", `"version": "one"`},
		{"syntax", `"published_at": "2026-01-01",`, `"published_at": "2026-01-01"`, "file", "flower.file_syntax", `"dimensions"`},
		{"trailing data", "\n  ]\n}", "\n  ]\n} {}", "file", "flower.file_syntax", ""},
		{"truncated", "\n  ]\n}", "\n  ]", "file", "flower.file_syntax", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := baseText()
			if !strings.Contains(base, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			text := strings.Replace(base, tt.old, tt.new, 1)
			_, err := Parse([]byte(text))
			if err == nil {
				t.Fatal("no error")
			}
			var found *errs.Error
			for _, p := range Problems(err) {
				if p.Field == tt.field && p.MessageID == tt.id {
					found = p
				}
			}
			if found == nil {
				for _, p := range Problems(err) {
					t.Logf("got %s %s line %d %v", p.Field, p.MessageID, p.Line, p.Data)
				}
				t.Fatalf("want %s %s", tt.field, tt.id)
			}
			if found.Code != errs.Invalid {
				t.Errorf("code %s", found.Code)
			}
			if tt.lineOf != "" {
				want := lineContaining(text, tt.lineOf)
				if found.Line != want {
					t.Errorf("line %d, want %d", found.Line, want)
				}
			}
		})
	}
}

func lineContaining(text, s string) int {
	i := strings.Index(text, s)
	if i < 0 {
		return -1
	}
	return strings.Count(text[:i], "\n") + 1
}

func TestParseCycle(t *testing.T) {
	extra := `,
    {"code": "HLT98", "dimension": "health", "subject": "child",
     "title": {"th": "ก", "en": "a"}, "question": {"th": "ก", "en": "a"},
     "answer": {"kind": "derived", "derived": {"from": "worst_of", "indicators": ["HLT99"]}, "options": [
       {"code": "green", "label": {"th": "เขียว", "en": "green"}, "level": "green"},
       {"code": "yellow", "label": {"th": "เหลือง", "en": "yellow"}, "level": "yellow"},
       {"code": "red", "label": {"th": "แดง", "en": "red"}, "level": "red"}]},
     "source": "prop"}`
	ok := strings.Replace(baseFile, "EXTRA", extra, 1)
	in := mustParse(t, ok) // HLT98 → HLT99 → HLT02, HLT03: fine
	if slices.Index(in.order, in.Indicator("HLT98")) < slices.Index(in.order, in.Indicator("HLT99")) {
		t.Error("HLT98 must come after HLT99")
	}
	cyc := strings.Replace(ok, `["HLT02", "HLT03"]`, `["HLT02", "HLT98"]`, 1)
	_, err := Parse([]byte(cyc))
	var got *errs.Error
	for _, p := range Problems(err) {
		if p.MessageID == "flower.cycle" {
			got = p
		}
	}
	if got == nil {
		t.Fatalf("no cycle error: %v", err)
	}
	if path, _ := got.Data["Path"].(string); path != "HLT99 → HLT98 → HLT99" {
		t.Errorf("path %q", path)
	}
	if !strings.HasPrefix(got.Field, "indicators[HLT99].answer.derived.indicators") || got.Line == 0 {
		t.Errorf("field %s line %d", got.Field, got.Line)
	}
}

func TestParseManyProblems(t *testing.T) {
	text := strings.Replace(baseText(), `"version": 1`, `"version": 0`, 1)
	text = strings.Replace(text, `"level": "yellow"}`, `"level": "teal"}`, 1)
	_, err := Parse([]byte(text))
	ps := Problems(err)
	if len(ps) < 2 {
		t.Fatalf("problems %v", ps)
	}
	if first := errs.As(err); first.MessageID != "flower.version" {
		t.Errorf("first problem %v", first)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, s := range []string{"", "  \n"} {
		_, err := Parse([]byte(s))
		if e := errs.As(err); e.MessageID != "flower.file_empty" {
			t.Errorf("%q: %v", s, err)
		}
	}
	big := make([]byte, MaxFileSize+1)
	for i := range big {
		big[i] = ' '
	}
	big[0] = '{'
	if _, err := Parse(big); errs.As(err).MessageID != "flower.file_too_large" {
		t.Errorf("big: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(baseText()))
	f.Add(DefaultFileBytes())
	f.Add([]byte(`{"indicators": [null, {"answer": {"kind": "number", "number": {"thresholds": [{}]}}}]}`))
	f.Add([]byte(`{"dimensions": [{"dimension": "economy"}], "references": [{"values": [{}]}]}`))
	f.Add([]byte(`[1, {"a": [[[[]]]]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := Parse(data)
		if err != nil {
			if in != nil {
				t.Fatal("instrument with error")
			}
			for _, p := range Problems(err) {
				if p.MessageID == "" || p.Code != errs.Invalid {
					t.Fatalf("bad problem %+v", p)
				}
			}
			return
		}
		// A valid instrument evaluates without panicking.
		for _, f := range []SubjectFacts{child("2020-01-01", "2026-01-01"), household("2026-01-01", "2024-01-01")} {
			if _, err := Evaluate(in, f, nil, nil); err != nil {
				t.Fatalf("evaluate: %v", err)
			}
		}
		_ = RenderSVG(nil, SVGOptions{Letters: in.Letters("th")})
	})
}
