package directory_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	. "termtem/internal/directory"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store/storetest"
)

func tabularServices() []Service {
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	return []Service{
		{ID: "svc-1", OrganisationID: "org-1", OrgCode: "SCH-1", OrgNameTH: "โรงเรียน", NameTH: "สอนเสริม", NameEN: "Tutoring",
			DescriptionTH: "ช่วยเด็ก, ที่ขาดเรียน \"มาก\"", DescriptionEN: "Helps children who missed school", Dimension: people.Education,
			Indicators: []string{"EDU02", "EDU03"}, ReferralKind: "school_reentry", Eligibility: "age >= 6\nage <= 15\nnationality in thai,stateless",
			HowToRefer: "=HYPERLINK(\"http://x\")", Capacity: 12, WaitingDays: 14, OpeningHours: "จ.–ศ. 16:00–18:00", ContactPhone: "+66 2 000 0000",
			ContactEmail: "help@example.org", AreaCode: "1011", Free: true, Active: true, ConfirmedAt: at, UpdatedAt: at},
		{ID: "svc-2", OrganisationID: "org-2", OrgNameTH: "มูลนิธิ", NameTH: "ทุน", Dimension: people.Economy, ReferralKind: "other",
			Eligibility: "income <= 3000", AreaCode: "10", FeeNote: "50 บาท", WaitingDays: 30, ConfirmedAt: at, UpdatedAt: at},
	}
}

// The tabular package carries every field of an entry: read back, each
// service is the one written.
func TestTabularRoundTrip(t *testing.T) {
	in := tabularServices()
	var buf bytes.Buffer
	if err := WriteTabular(&buf, in); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteTabular(&again, in); err != nil || !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("two exports of one directory differ (%v)", err)
	}
	files := storetest.Unzip(t, buf.Bytes())
	for _, name := range []string{"datapackage.json", "organization.csv", "service.csv", "location.csv", "service_at_location.csv", "phone.csv",
		"schedule.csv", "service_area.csv", "service_capacity.csv", "attribute.csv", "taxonomy_term.csv"} {
		if _, ok := files[name]; !ok {
			t.Errorf("no %s in the package", name)
		}
	}
	if !strings.Contains(files["service.csv"], "'=HYPERLINK") {
		t.Errorf("a formula is not kept as text:\n%s", files["service.csv"])
	}
	list, err := ReadTabular(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(in) {
		t.Fatalf("%d services read", len(list))
	}
	for i, got := range list {
		want := in[i]
		g := got.Service
		if g.ID != want.ID || g.OrganisationID != want.OrganisationID || g.NameTH != want.NameTH || g.NameEN != want.NameEN ||
			g.DescriptionTH != want.DescriptionTH || g.DescriptionEN != want.DescriptionEN || g.Dimension != want.Dimension ||
			!reflect.DeepEqual(g.Indicators, want.Indicators) || g.ReferralKind != want.ReferralKind || g.Eligibility != want.Eligibility ||
			g.HowToRefer != want.HowToRefer || g.Capacity != want.Capacity || g.WaitingDays != want.WaitingDays || g.OpeningHours != want.OpeningHours ||
			g.ContactPhone != want.ContactPhone || g.ContactEmail != want.ContactEmail || g.AreaCode != want.AreaCode || g.Free != want.Free ||
			g.FeeNote != want.FeeNote || g.Active != want.Active || !g.ConfirmedAt.Equal(want.ConfirmedAt) {
			t.Errorf("service %d\n got %+v\nwant %+v", i, g, want)
		}
		if got.OrgCode != want.OrgCode {
			t.Errorf("organisation code %q, want %q", got.OrgCode, want.OrgCode)
		}
	}
	// A validation error is pointed at the file, line and column it came
	// from: the third rule of the first service is attribute.csv's row of it.
	e := list[0].Locate(&errs.Error{Code: errs.Invalid, Field: "eligibility", Line: 3, MessageID: "m"})
	if e.File != "attribute.csv" || e.Field != "value" || e.Line < 2 {
		t.Errorf("rule located at %s:%d %s", e.File, e.Line, e.Field)
	}
	if line := strings.Split(files["attribute.csv"], "\n")[e.Line-1]; !strings.Contains(line, "nationality in thai,stateless") {
		t.Errorf("line %d of attribute.csv is %q", e.Line, line)
	}
	e = list[1].Locate(&errs.Error{Code: errs.Invalid, Field: "capacity", MessageID: "m"})
	if e.File != "service_capacity.csv" || e.Field != "maximum" || e.Line != 3 {
		t.Errorf("capacity located at %s:%d %s", e.File, e.Line, e.Field)
	}
	// Every indicator the package names is a real one of its dimension.
	for _, c := range list[0].Service.Indicators {
		if ind := flower.Default().Indicator(c); ind == nil || ind.Dimension != people.Education {
			t.Errorf("indicator %s", c)
		}
	}
}

// Every bad row is reported, each with its file, line and column, and
// nothing is returned for storing.
func TestTabularProblems(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTabular(&buf, tabularServices()); err != nil {
		t.Fatal(err)
	}
	files := storetest.Unzip(t, buf.Bytes())
	files["service.csv"] = strings.Replace(files["service.csv"], ",active,", ",open,", 1)
	files["service.csv"] = strings.Replace(files["service.csv"], "2026-05-01", "1/5/2026", 1)
	files["phone.csv"] += "p9,svc-404,02-111-1111,voice\n"
	files["service_capacity.csv"] = strings.Replace(files["service_capacity.csv"], ",12,12,", ",12,twelve,", 1)
	delete(files, "datapackage.json") // found by name without it
	_, err := ReadTabular(storetest.Zip(t, files))
	got := map[string]bool{}
	for _, p := range problemsOf(err) {
		got[p.File+":"+p.Field+":"+p.MessageID] = true
		if p.Line < 2 {
			t.Errorf("problem without a data line: %+v", p)
		}
	}
	for _, want := range []string{"service.csv:status:directory.tabular_status", "service.csv:assured_date:directory.tabular_date",
		"phone.csv:service_id:directory.tabular_unknown_service", "service_capacity.csv:maximum:directory.tabular_number"} {
		if !got[want] {
			t.Errorf("missing problem %s in %v", want, got)
		}
	}
	// A package without service.csv, and a missing required column.
	delete(files, "service.csv")
	if _, err := ReadTabular(storetest.Zip(t, files)); errs.As(err).MessageID != "directory.tabular_no_service" {
		t.Errorf("no service.csv: %v", err)
	}
	files["services.csv"] = "id,organization_id\nx,org-1\n" // the plural name of older packages
	if _, err := ReadTabular(storetest.Zip(t, files)); errs.As(err).MessageID != "directory.tabular_column_missing" || errs.As(err).Field != "name" ||
		errs.As(err).File != "services.csv" {
		t.Errorf("missing column: %v", err)
	}
	if _, err := ReadTabular([]byte("PK\x03\x04 not really")); errs.As(err).MessageID != "directory.tabular_zip" {
		t.Errorf("broken zip: %v", err)
	}
}

func problemsOf(err error) []*errs.Error {
	var out []*errs.Error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, problemsOf(e)...)
		}
		return out
	}
	if err != nil {
		out = append(out, errs.As(err))
	}
	return out
}

// The form and the API read an entry the same way.
func TestFormInput(t *testing.T) {
	form := map[string]string{"organisation_id": "org-1", "name_th": "สอนเสริม", "dimension": "education", "indicators": "edu02, EDU03,",
		"capacity": "สิบ", "waiting_days": "7", "area_place_id": "p-1", "eligibility": "age >= 6\r\nage <= 15", "free": "1", "active": ""}
	s := FormInput(func(k string) string { return form[k] }).Service()
	if s.OrganisationID != "org-1" || s.Dimension != people.Education || !reflect.DeepEqual(s.Indicators, []string{"EDU02", "EDU03"}) ||
		s.Capacity != -1 || s.WaitingDays != 7 || s.Eligibility != "age >= 6\nage <= 15" || !s.Free || s.Active {
		t.Errorf("%+v", s)
	}
	if err := Validate(&s, nil); errs.As(err).Field != "capacity" {
		t.Errorf("a capacity that is not a number: %v", err)
	}
}
