package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"termtem/internal/people"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func entries(t *testing.T, bundle string) ([]RawEntry, error) {
	t.Helper()
	br, err := NewBundleReader(strings.NewReader(bundle))
	if err != nil {
		return nil, err
	}
	var out []RawEntry
	for {
		e, err := br.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
}

func TestBundleReader(t *testing.T) {
	// Members in any order, unknown members skipped, a byte-order mark.
	es, err := entries(t, "\ufeff"+`{"entry":[{"resource":{"resourceType":"Patient","id":"a"}},{"fullUrl":"urn:uuid:x","resource":{"resourceType":"Patient"}}],
		"total":2,"resourceType":"Bundle","type":"collection"}`)
	if err != nil || len(es) != 2 || es[1].Index != 1 || es[1].FullURL != "urn:uuid:x" {
		t.Fatalf("entries %+v, %v", es, err)
	}
	for in, want := range map[string]string{
		``:                                      "fhir.empty",
		`[1,2]`:                                 "fhir.not_bundle",
		`{"resourceType":"Patient","id":"a"}`:   "fhir.not_bundle",
		`{"resourceType":"Bundle","entry":{}}`:  "fhir.entry_not_list",
		`{"resourceType":"Bundle","entry":[{"r`: "fhir.not_json",
		`not json`:                              "fhir.not_json",
	} {
		_, err := entries(t, in)
		var p *Problem
		if !errors.As(err, &p) || p.MessageID != want {
			t.Errorf("%q: %v, want %s", in, err, want)
		}
	}
	// An entry without a resource is a problem of that entry; the reader goes on.
	br, _ := NewBundleReader(strings.NewReader(`{"resourceType":"Bundle","entry":[{"fullUrl":"x"},{"resource":{"resourceType":"Patient","id":"b"}}]}`))
	_, err = br.Next()
	var p *Problem
	if !errors.As(err, &p) || p.MessageID != "fhir.resource_missing" || p.Field != "entry[0].resource" {
		t.Fatalf("entry without resource: %v", err)
	}
	if e, err := br.Next(); err != nil || e.Index != 1 {
		t.Fatalf("after a bad entry: %+v %v", e, err)
	}
}

func read(t *testing.T, resource string) (*Item, *Problem) {
	t.Helper()
	return Read(RawEntry{Index: 3, Resource: json.RawMessage(resource)}, now, nil)
}

func TestReadProblems(t *testing.T) {
	for _, c := range []struct{ resource, field, id string }{
		{`{"resourceType":"Medication","id":"m"}`, "entry[3].resource.resourceType", "fhir.resource_unknown"},
		{`{"id":"m"}`, "entry[3].resource.resourceType", "field.required"},
		{`{"resourceType":"Patient","id":"a b"}`, "entry[3].resource.id", "fhir.id_format"},
		{`{"resourceType":"Patient"}`, "entry[3].resource.id", "field.required"},
		{`{"resourceType":"Patient","id":"p","gender":"boy","name":[{"given":["ดาว"]}]}`, "entry[3].resource.gender", "fhir.code"},
		{`{"resourceType":"Patient","id":"p","name":[{"given":["ดาว"]}],"birthDate":"2099-01-01"}`, "entry[3].resource.birthDate", "date.future"},
		{`{"resourceType":"Patient","id":"p","name":[{"given":["ดาว"]}],"identifier":[{"system":"` + SystemThaiCID + `","value":"1234567890123"}]}`,
			"entry[3].resource.identifier[0].value", "person.national_id_checksum"},
		{`{"resourceType":"Patient","id":"p","name":"ดาว"}`, "entry[3].resource.name", "fhir.resource_shape"},
		{`{"resourceType":"Immunization","id":"i","patient":{"reference":"Patient/p"},"occurrenceDateTime":"2024-01-01","vaccineCode":{"coding":[{"system":"x","code":"BCG"}]}}`,
			"entry[3].resource.vaccineCode", "fhir.code"},
		{`{"resourceType":"Immunization","id":"i","status":"not-done","patient":{"reference":"Patient/p"}}`, "entry[3].resource.status", "fhir.not_completed"},
		{`{"resourceType":"Immunization","id":"i","vaccineCode":{"coding":[{"system":"` + SystemVaccine + `","code":"BCG"}]},"occurrenceDateTime":"2024-01-01"}`,
			"entry[3].resource.patient", "field.required"},
		{`{"resourceType":"Observation","id":"o","subject":{"reference":"Patient/p"},"effectiveDateTime":"2024-01-01","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"valueQuantity":{"value":3,"unit":"lb"}}`,
			"entry[3].resource.valueQuantity.code", "fhir.unit"},
		{`{"resourceType":"Observation","id":"o","subject":{"reference":"Patient/p"},"effectiveDateTime":"2024-01-01","code":{"coding":[{"system":"http://loinc.org","code":"85353-1"}]},"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8302-2"}]},"valueQuantity":{"value":50,"code":"cm"}}]}`,
			"entry[3].resource.component", "fhir.growth_weight"},
		{`{"resourceType":"Observation","id":"o","subject":{"reference":"Patient/p"},"effectiveDateTime":"2024-01-01","code":{"coding":[{"system":"` + SystemDSPMAge + `","code":"9"}]},"component":[]}`,
			"entry[3].resource.component", "fhir.dspm_domain_missing"},
		{`{"resourceType":"Encounter","id":"e","class":{"system":"` + SystemActCode + `","code":"AMB"},"subject":{"reference":"Patient/p"}}`, "entry[3].resource.class", "fhir.encounter_class"},
		{`{"resourceType":"Encounter","id":"e","class":{"system":"` + SystemActCode + `","code":"HH"},"subject":{"reference":"Patient/p"},"period":{"start":"2024-01-01"}}`,
			"entry[3].resource.reasonCode[0].text", "field.required"},
	} {
		_, p := read(t, c.resource)
		if p == nil || p.Field != c.field || p.MessageID != c.id || p.Index != 3 {
			t.Errorf("%s:\n got %+v, want %s %s", c.resource, p, c.field, c.id)
		}
	}
}

// What Termtem writes, it reads back as the same person and records.
func TestWriteThenRead(t *testing.T) {
	managed := true
	p := people.Person{ID: "0190a0a0-0000-7000-8000-000000000001", Title: "เด็กหญิง", GivenName: "มะลิ", FamilyName: "ใจดี", Nickname: "ลิลลี่",
		GivenNameLatin: "Mali", FamilyNameLatin: "Jaidee", Sex: people.Female, BirthDate: "2023-04-05", NationalID: "1101199000032", Phone: "0812345678"}
	var buf bytes.Buffer
	bw := NewBundleWriter(&buf, "t", "")
	if err := bw.Add(PatientOf(p)); err != nil {
		t.Fatal(err)
	}
	recs := []people.Record{
		{ID: "0190a0a0-0000-7000-8000-000000000002", Kind: people.Vaccination, OccurredOn: "2023-06-05", Data: people.RecordData{Vaccine: "DTP-HB-Hib", Dose: 1}},
		{ID: "0190a0a0-0000-7000-8000-000000000003", Kind: people.Growth, OccurredOn: "2023-06-05", Data: people.RecordData{WeightKg: 5.4, HeightCm: 58.5, HeadCm: 39}},
		{ID: "0190a0a0-0000-7000-8000-000000000004", Kind: people.DevelopmentScreening, OccurredOn: "2024-01-10",
			Data: people.RecordData{ScreeningAge: 9, Domains: &people.Domains{GM: "pass", FM: "pass", RL: "pass", EL: "suspected", PS: "pass"}}},
		{ID: "0190a0a0-0000-7000-8000-000000000005", Kind: people.HomeVisit, OccurredOn: "2024-02-01", Data: people.RecordData{Note: "เยี่ยมบ้าน"}},
		{ID: "0190a0a0-0000-7000-8000-000000000006", Kind: people.Condition, OccurredOn: "2024-02-01", Data: people.RecordData{Condition: "other", Managed: &managed}},
	}
	for _, r := range recs {
		if res, ok := ResourceOf(r, p.ID); ok {
			bw.Add(res)
		}
	}
	if err := bw.Close(); err != nil || bw.Entries() != 5 {
		t.Fatalf("entries %d, %v", bw.Entries(), err)
	}
	es, err := entries(t, buf.String())
	if err != nil || len(es) != 5 {
		t.Fatalf("read back: %d %v", len(es), err)
	}
	it, prob := Read(es[0], now, nil)
	if prob != nil {
		t.Fatal(prob)
	}
	got := *it.Person
	if got.GivenName != p.GivenName || got.FamilyName != p.FamilyName || got.Title != p.Title || got.Nickname != p.Nickname ||
		got.GivenNameLatin != "Mali" || got.FamilyNameLatin != "Jaidee" || got.Sex != p.Sex || got.BirthDate != p.BirthDate ||
		got.NationalID != p.NationalID || got.Phone != p.Phone || it.Key != "Patient/"+p.ID {
		t.Fatalf("person: %+v", got)
	}
	for i, want := range recs[:4] {
		it, prob := Read(es[i+1], now, nil)
		if prob != nil {
			t.Fatalf("%s: %+v", want.Kind, prob)
		}
		r := it.Record
		if r.Kind != want.Kind || r.OccurredOn != want.OccurredOn || it.Subject != "urn:uuid:"+p.ID {
			t.Fatalf("%s: %+v", want.Kind, r)
		}
		w := want.Data
		if r.Data.Vaccine != w.Vaccine || r.Data.Dose != w.Dose || r.Data.WeightKg != w.WeightKg || r.Data.HeightCm != w.HeightCm ||
			r.Data.HeadCm != w.HeadCm || r.Data.ScreeningAge != w.ScreeningAge || r.Data.Note != w.Note ||
			(w.Domains != nil && *r.Data.Domains != *w.Domains) {
			t.Fatalf("%s data: %+v, want %+v", want.Kind, r.Data, w)
		}
	}
}

// FuzzRead: no input makes the reader or the mapping panic, and every
// problem names its entry.
func FuzzRead(f *testing.F) {
	f.Add(`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","id":"p","name":[{"given":["ดาว"]}],"birthDate":"2020"}}]}`)
	f.Add(`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","id":"o","code":{"coding":[{"system":"` + SystemDSPMAge + `","code":"18"}]},"component":[{"code":{}}]}}]}`)
	f.Add(`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Immunization","id":"i","protocolApplied":[{"doseNumberPositiveInt":-1}]}}]}`)
	f.Add(`{"entry":[null,1,"x",{"resource":[]}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		br, err := NewBundleReader(strings.NewReader(in))
		if err != nil {
			return
		}
		for range 1000 {
			e, err := br.Next()
			if err != nil {
				var p *Problem
				if err != io.EOF && !errors.As(err, &p) {
					t.Fatalf("error not a problem: %v", err)
				}
				if p == nil || p.Index < 0 || p.MessageID == "fhir.not_json" {
					return
				}
				continue
			}
			if _, p := Read(e, now, nil); p != nil && !strings.HasPrefix(p.Field, "entry[") {
				t.Fatalf("problem without its entry: %+v", p)
			}
		}
	})
}
