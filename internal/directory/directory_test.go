package directory

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
)

func TestParseRulesRefusesWhatCannotBeEvaluated(t *testing.T) {
	known := func(c string) bool { return c == "1011" || c == "101103" }
	for _, tc := range []struct {
		text, msg string
		line      int
	}{
		{"age >= 6\nheight > 120", "directory.rule_field", 2},
		{"age about 6", "directory.rule_operator", 1},
		{"age >= six", "directory.rule_number", 1},
		{"age >= 300", "directory.rule_number", 1},
		{"income <= -5", "directory.rule_number", 1},
		{"place in 9999", "directory.rule_place", 1},
		{"place >= 1011", "directory.rule_operator", 1},
		{"nationality in martian", "directory.rule_nationality", 1},
		{"\n\nage", "directory.rule_shape", 3},
		{"place in ,", "directory.rule_shape", 1},
	} {
		_, err := ParseRules(tc.text, known)
		e := errs.As(err)
		if err == nil || e.MessageID != tc.msg || e.Line != tc.line || e.Field != "eligibility" {
			t.Errorf("%q: %v (%s line %d), want %s line %d", tc.text, err, e.MessageID, e.Line, tc.msg, tc.line)
		}
	}
	rules, err := ParseRules("# ages\nage >= 6\nage <= 15\nplace in 1011\nnationality in thai,stateless\nincome <= 3000", known)
	if err != nil || len(rules) != 5 {
		t.Fatalf("rules %v, %v", rules, err)
	}
	if min, max := AgeRange(rules); min != 6 || max != 15 {
		t.Errorf("age range %d–%d", min, max)
	}
}

func intp(n int) *int { return &n }

func TestEvaluate(t *testing.T) {
	rules, err := ParseRules("age >= 6\nage <= 15\nplace in 1011\nnationality in thai,stateless\nincome <= 3000", nil)
	if err != nil {
		t.Fatal(err)
	}
	child := Facts{AgeYears: intp(9), Income: intp(2500), PlaceCodes: []string{"101103-C01", "101103", "1011", "10"}, Nationality: people.Stateless}
	for _, tc := range []struct {
		name    string
		mod     func(f *Facts)
		want    Verdict
		refused string
	}{
		{"all hold", func(*Facts) {}, Eligible, ""},
		{"too old", func(f *Facts) { f.AgeYears = intp(16) }, Ineligible, "age <= 15"},
		{"elsewhere", func(f *Facts) { f.PlaceCodes = []string{"1001", "10"} }, Ineligible, "place in 1011"},
		{"nationality", func(f *Facts) { f.Nationality = people.Myanmar }, Ineligible, "nationality in thai,stateless"},
		{"income unknown", func(f *Facts) { f.Income = nil }, ToCheck, ""},
		{"richer", func(f *Facts) { f.Income = intp(3001) }, Ineligible, "income <= 3000"},
	} {
		f := child
		tc.mod(&f)
		v, r := Evaluate(rules, f)
		got := ""
		if r != nil {
			got = r.String()
		}
		if v != tc.want || got != tc.refused {
			t.Errorf("%s: %s %q, want %s %q", tc.name, v, got, tc.want, tc.refused)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := func() Service {
		return Service{OrganisationID: "o", AreaPlaceID: "p", NameTH: " สอนเสริม ", Dimension: people.Education, Indicators: []string{"edu03", "EDU03"},
			ReferralKind: "school_reentry", Capacity: 10, Free: true, FeeNote: "x"}
	}
	s := ok()
	if err := Validate(&s, nil); err != nil || s.NameTH != "สอนเสริม" || !reflect.DeepEqual(s.Indicators, []string{"EDU03"}) || s.FeeNote != "" {
		t.Fatalf("%+v %v", s, err)
	}
	for _, tc := range []struct {
		mod          func(*Service)
		field, msgID string
	}{
		{func(s *Service) { s.Capacity = -1 }, "capacity", "directory.capacity_negative"},
		{func(s *Service) { s.Indicators = []string{"XYZ99"} }, "indicators", "directory.indicator_unknown"},
		{func(s *Service) { s.Indicators = []string{"HLT01"} }, "indicators", "directory.indicator_dimension"},
		{func(s *Service) { s.Dimension = "wealth" }, "dimension", "field.choice"},
		{func(s *Service) { s.NameTH = "" }, "name_th", "field.required"},
		{func(s *Service) { s.ContactEmail = "not an email" }, "contact_email", "directory.email"},
		{func(s *Service) { s.Eligibility = "age > many" }, "eligibility", "directory.rule_number"},
	} {
		s := ok()
		tc.mod(&s)
		e := errs.As(Validate(&s, nil))
		if e.Field != tc.field || e.MessageID != tc.msgID {
			t.Errorf("want %s %s, got %s %s", tc.field, tc.msgID, e.Field, e.MessageID)
		}
	}
}

func TestMatchServicesOrder(t *testing.T) {
	child := []string{"101103-C01", "101103", "1011", "10"}
	svc := func(id string, wait int, elig string, codes ...string) Service {
		return Service{ID: id, Active: true, Indicators: codes, WaitingDays: wait, Eligibility: elig}
	}
	cands := []Candidate{
		{Service: svc("far-red", 3, "", "EDU02"), ProviderPath: []string{"1001", "10"}, AreaCode: "10"},
		{Service: svc("near-yellow", 1, "", "EDU03"), ProviderPath: []string{"101103"}, AreaCode: "1011"},
		{Service: svc("near-red-long", 30, "", "EDU02"), ProviderPath: []string{"101103", "1011"}, AreaCode: "1011"},
		{Service: svc("near-red-short", 7, "", "EDU02"), ProviderPath: []string{"101103-C01", "101103"}, AreaCode: "101103"},
		{Service: svc("too-old", 0, "age <= 5", "EDU02"), ProviderPath: []string{"101103"}, AreaCode: "1011"},
		{Service: svc("unknown-income", 0, "income <= 100", "EDU02"), ProviderPath: []string{"101103"}, AreaCode: "1011"},
		{Service: svc("other-district", 0, "", "EDU02"), ProviderPath: []string{"1001"}, AreaCode: "1001"},
		{Service: svc("not-for-this", 0, "", "HLT02"), ProviderPath: []string{"101103"}, AreaCode: "1011"},
	}
	concerns := []Concern{{"EDU03", flower.Yellow}, {"EDU02", flower.Red}}
	got := MatchServices(cands, concerns, Facts{AgeYears: intp(9), PlaceCodes: child}, child)
	var ids []string
	for _, m := range got {
		ids = append(ids, m.Service.ID)
	}
	want := []string{"near-red-short", "near-red-long", "far-red", "near-yellow", "unknown-income", "too-old"}
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("order %v, want %v", ids, want)
	}
	if got[len(got)-1].Refused != "age <= 5" || got[0].Distance != 0 || got[2].Distance != 3 {
		t.Errorf("%+v", got)
	}
}

func TestHSDSRoundTrip(t *testing.T) {
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) // HSDS keeps the day it was assured
	s := Service{ID: "0190a0a0-0000-7000-8000-000000000001", OrganisationID: "org-1", OrgNameTH: "มูลนิธิ", NameTH: "สอนเสริม", NameEN: "Tutoring",
		DescriptionTH: "ช่วยเด็กที่ขาดเรียน", Dimension: people.Education, Indicators: []string{"EDU02", "EDU03"}, ReferralKind: "school_reentry",
		Eligibility: "age >= 6\nage <= 15\nnationality in thai,stateless", HowToRefer: "โทรนัด", Capacity: 12, WaitingDays: 14,
		OpeningHours: "จ.–ศ. 16:00–18:00", ContactPhone: "02-000-0000", ContactEmail: "help@example.org", AreaCode: "1011", Free: true,
		Active: true, ConfirmedAt: at, UpdatedAt: at}
	b, err := json.Marshal(HSDSPage{Contents: []HSDSService{ToHSDS(s)}, TotalItems: 1})
	if err != nil {
		t.Fatal(err)
	}
	list, err := ParseHSDS(b)
	if err != nil || len(list) != 1 {
		t.Fatal(list, err)
	}
	if *list[0].MinimumAge != 6 || *list[0].MaximumAge != 15 || list[0].Status != "active" {
		t.Errorf("hsds %+v", list[0])
	}
	back, err := FromHSDS(list[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	if back.NameEN != "Tutoring" || back.Dimension != people.Education || !reflect.DeepEqual(back.Indicators, s.Indicators) ||
		back.Eligibility != s.Eligibility || back.WaitingDays != 14 || back.Capacity != 12 || back.AreaCode != "1011" ||
		!back.Free || back.ContactPhone != s.ContactPhone || back.OpeningHours != s.OpeningHours || !back.ConfirmedAt.Equal(at) {
		t.Errorf("back %+v", back)
	}
	// Another directory's service: ages only, no Termtem attributes.
	foreign := []byte(`[{"id":"x","name":"Food bank","status":"active","organization_id":"org-1","minimum_age":3,
		"service_areas":[{"id":"a","extent":"9999","extent_type":"text"}]}]`)
	l2, err := ParseHSDS(foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FromHSDS(l2[0], 4); errs.As(err).Field != "contents[4].attributes" {
		t.Errorf("no dimension: %v", err)
	}
	if _, err := ParseHSDS([]byte(`{"contents": "no"}`)); errs.As(err).MessageID != "directory.hsds_json" {
		t.Errorf("bad json: %v", err)
	}
}
