package exports

import (
	"testing"
	"time"

	"termtem/internal/errs"
	"termtem/internal/people"
)

func TestValidate(t *testing.T) {
	none := func(string) bool { return false }
	for _, c := range []struct {
		req          Request
		field, msgID string
	}{
		{Request{Format: CSV, Fields: []string{"sex"}}, "area_id", "field.required"},
		{Request{AreaID: "a", Format: "pdf", Fields: []string{"sex"}}, "format", "field.choice"},
		{Request{AreaID: "a", Format: CSV}, "fields", "exports.fields_required"},
		{Request{AreaID: "a", Format: XLSX, Fields: []string{"sex", "hiv"}}, "fields", "field.choice"},
		{Request{AreaID: "a", Format: CSV, Fields: []string{"sex", "sex"}}, "fields", "exports.field_twice"},
		{Request{AreaID: "a", Format: CSV, Fields: []string{"last_home_visit"}}, "fields", "exports.field_not_allowed"},
	} {
		err := c.req.Validate(none)
		e := errs.As(err)
		if err == nil || e.Field != c.field || e.MessageID != c.msgID {
			t.Errorf("%+v: %v, want %s %s", c.req, err, c.field, c.msgID)
		}
	}
	ok := Request{AreaID: "a", Format: CSV, Fields: []string{"conditions"}}
	if err := ok.Validate(func(c string) bool { return c == "health" }); err != nil {
		t.Fatalf("granted health: %v", err)
	}
	f := Request{AreaID: "a", Format: FHIR, Fields: []string{"whatever"}}
	if err := f.Validate(none); err != nil || f.Fields != nil {
		t.Fatalf("FHIR carries its own resources: %v %v", err, f.Fields)
	}
}

func TestCells(t *testing.T) {
	r := &Row{Person: people.Person{GivenName: "=HYPERLINK(\"http://x\",\"y\")", FamilyName: "+1", Nickname: "\tx", BirthDate: "2020-02-29", NationalID: "1101199000032"},
		Community: "@ชุมชน", Address: "-", Records: []people.Record{
			{Kind: people.Vaccination, OccurredOn: "2020-05-01", Data: people.RecordData{Vaccine: "OPV", Dose: 1}},
			{Kind: people.Vaccination, OccurredOn: "2020-02-29", Data: people.RecordData{Vaccine: "BCG", Dose: 1}},
		}}
	got := Cells(r, []string{"given_name", "family_name", "nickname", "community", "address", "national_id", "birth_date_be", "age_years", "vaccinations"},
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), nil)
	want := []string{"'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'\tx", "'@ชุมชน", "'-", "1101199000032", "29/2/2563", "6", "BCG1 OPV1"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cell %d: %q, want %q", i, got[i], want[i])
		}
	}
}
