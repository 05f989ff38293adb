package people

import (
	"strings"
	"testing"
	"time"

	"termtem/internal/errs"
)

var today = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func TestValidatePersonBadInput(t *testing.T) {
	valid := func() Person {
		return Person{GivenName: "สมชาย", FamilyName: "ใจดี", BirthDate: "12/01/2562", NationalID: "1-1009-00359-65-7"}
	}
	tests := []struct {
		name  string
		edit  func(*Person)
		field string
		msg   string
	}{
		{"wrong check digit", func(p *Person) { p.NationalID = "1100900359658" }, "national_id", "person.national_id_checksum"},
		{"12 digits", func(p *Person) { p.NationalID = "110090035965" }, "national_id", "person.national_id_length"},
		{"14 digits", func(p *Person) { p.NationalID = "11009003596570" }, "national_id", "person.national_id_length"},
		{"letters in the ID", func(p *Person) { p.NationalID = "11009OO359657" }, "national_id", "person.national_id_digits"},
		{"birth date in the future", func(p *Person) { p.BirthDate = "01/01/2570" }, "birth_date", "date.future"},
		{"C.E. year that is really B.E.", func(p *Person) { p.BirthDate = "2569-12-01" }, "birth_date", "date.future"},
		{"B.E. converted twice", func(p *Person) { p.BirthDate = "1476" }, "birth_date", "date.year"},
		{"before 1900", func(p *Person) { p.BirthDate = "1880-05-01" }, "birth_date", "date.before_1900"},
		{"a day that does not exist", func(p *Person) { p.BirthDate = "31/02/2562" }, "birth_date", "date.day"},
		{"empty name", func(p *Person) { p.GivenName, p.FamilyName = "  ", "" }, "given_name", "field.required"},
		{"500-character name", func(p *Person) { p.FamilyName = strings.Repeat("ก", 500) }, "family_name", "field.too_long"},
		{"HTML in a name", func(p *Person) { p.GivenName = `<script>alert(1)</script>` }, "given_name", "person.name_characters"},
		{"phone with letters", func(p *Person) { p.Phone = "08x-123-4567" }, "phone", "person.phone_format"},
		{"unknown sex", func(p *Person) { p.Sex = "x" }, "sex", "field.choice"},
		{"unknown nationality", func(p *Person) { p.Nationality = "martian" }, "nationality", "field.choice"},
		{"bad G-code", func(p *Person) { p.Identifiers = []Identifier{{GCode, "G?"}} }, "other_ids[0]", "person.identifier_format"},
		{"two passports", func(p *Person) { p.Identifiers = []Identifier{{Passport, "AA123456"}, {Passport, "BB123456"}} }, "other_ids[1]", "person.identifier_twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.edit(&p)
			err := ValidatePerson(&p, today)
			e := errs.As(err)
			if err == nil || e.Code != errs.Invalid || e.Field != tt.field || e.MessageID != tt.msg {
				t.Fatalf("got %v (field %q, message %q), want field %q message %q", err, e.Field, e.MessageID, tt.field, tt.msg)
			}
		})
	}
}

func TestValidatePersonNormalises(t *testing.T) {
	p := Person{GivenName: "ด.ช.สมชาย", FamilyName: " ใจ  ดี ", BirthDate: "12/01/2562", NationalID: "1 1009 00359 65 7",
		Identifiers: []Identifier{{BirthCertificate, "12-3456/2562"}}, Phone: "081-234 5678"}
	if err := ValidatePerson(&p, today); err != nil {
		t.Fatal(err)
	}
	if p.Title != "เด็กชาย" || p.GivenName != "สมชาย" || p.Sex != Male {
		t.Errorf("title not parsed out: %q %q %q", p.Title, p.GivenName, p.Sex)
	}
	if p.FamilyName != "ใจ ดี" || p.BirthDate != "2019-01-12" || p.NationalID != "1100900359657" || p.Phone != "0812345678" {
		t.Errorf("not normalised: %+v", p)
	}
	if p.Identifiers[0].Value != "123456/2562" {
		t.Errorf("identifier %q", p.Identifiers[0].Value)
	}
	// A child with no document and only a year of birth is recordable.
	q := Person{Nickname: "น้องเมย์", BirthDate: "2565", Nationality: StatusUndocumented}
	if err := ValidatePerson(&q, today); err != nil || q.BirthDate != "2022" {
		t.Fatalf("undocumented child: %v %q", err, q.BirthDate)
	}
	// Stateless and migrant ID types (0, 6, 7) are accepted.
	for _, id := range []string{"0123456789016", "6123456789010", "7123456789018"} {
		r := Person{GivenName: "ก้อย", NationalID: id}
		if err := ValidatePerson(&r, today); err != nil && errs.As(err).MessageID != "person.national_id_checksum" {
			t.Errorf("%s refused for its type: %v", id, err)
		}
	}
}

func TestLifeStages(t *testing.T) {
	on := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		birth     string
		unborn    bool
		schooling Schooling
		want      LifeStage
	}{
		{"", true, NoSchooling, StagePregnancy},
		{"2026-01-10", false, NoSchooling, StageNewborn},
		{"2025-06-02", false, NoSchooling, StageNewborn},
		{"2025-06-01", false, NoSchooling, StageToddler},
		{"2023-06-02", false, NoSchooling, StageToddler},
		{"2022-01-01", false, NoSchooling, StagePreschool},
		{"2020", false, NoSchooling, StagePreschool}, // year only: taken as 1 July 2020, so 5 years 11 months
		{"2014-05-01", false, NoSchooling, StageLowerSecondary},
		{"2010-01-01", false, NoSchooling, StageUpperSecondary},
		{"2005-01-01", false, NoSchooling, StageYoungAdult},
		{"1980", false, NoSchooling, StageAdult},
		{"2020-03-01", false, InChildcare, StagePreschool}, // six, still in kindergarten
		{"2020-08-01", false, InPrimary, StagePrimary},     // five, already in primary 1
		{"", false, NoSchooling, StageUnknown},
	}
	for _, tt := range tests {
		got := StageAt(tt.birth, tt.unborn, tt.schooling, on)
		if got != tt.want {
			t.Errorf("StageAt(%q, %v, %q) = %q, want %q", tt.birth, tt.unborn, tt.schooling, got, tt.want)
		}
	}
	if m, ok := AgeInMonths("2025-01-31", time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC)); !ok || m != 1 {
		t.Errorf("age in months: %d %v", m, ok)
	}
}

// SchoolingMatters may let callers skip reading enrolments only where no
// enrolment could change the stage.
func TestSchoolingMatters(t *testing.T) {
	on := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	all := []Schooling{NoSchooling, InChildcare, InPrimary, InLowerSecondary, InUpperSecondary}
	births := []string{"", "1990", "2026-05-01"}
	for y := 1990; y <= 2026; y++ {
		births = append(births, time.Date(y, 3, 15, 0, 0, 0, 0, time.UTC).Format("2006-01-02"))
	}
	for _, birth := range births {
		matters, differs := SchoolingMatters(birth, on), false
		for _, s := range all {
			if StageAt(birth, false, s, on) != StageAt(birth, false, NoSchooling, on) {
				differs = true
			}
		}
		if differs && !matters {
			t.Errorf("born %q: schooling changes the stage but SchoolingMatters is false", birth)
		}
	}
	if !SchoolingMatters("2020-03-01", on) || SchoolingMatters("1980", on) || SchoolingMatters("", on) || SchoolingMatters("2024-01-01", on) {
		t.Error("SchoolingMatters: want true for a six-year-old only")
	}
}

func TestValidateRecord(t *testing.T) {
	pct := 85
	ok := []Record{
		{Kind: Vaccination, PersonID: "p", OccurredOn: "01/02/2568", Data: RecordData{Vaccine: "MMR", Dose: 1}},
		{Kind: Growth, PersonID: "p", OccurredOn: "2025-06-01", Data: RecordData{WeightKg: 10.5, HeightCm: 78}},
		{Kind: Attendance, PersonID: "p", OccurredOn: "2025-06-30", Data: RecordData{AttendancePct: &pct, Period: "2025-06"}},
		{Kind: AntenatalVisit, PregnancyID: "pr", OccurredOn: "2026-10-01", Data: RecordData{GestationalWeeks: 20}},
	}
	for _, r := range ok {
		if err := ValidateRecord(&r, "2024-02-10", today); err != nil {
			t.Errorf("%s: %v", r.Kind, err)
		}
	}
	r := Record{Kind: DevelopmentScreening, PersonID: "p", OccurredOn: "2025-08-10", Data: RecordData{ScreeningAge: 18,
		Domains: &Domains{GM: DSPMPass, FM: DSPMSuspected, RL: DSPMPass, EL: DSPMPass, PS: DSPMPass}}}
	if err := ValidateRecord(&r, "2024-02-10", today); err != nil {
		t.Fatal(err)
	}
	if r.Data.RescreenBy != "2025-09-09" || r.Data.AgeMonths != 18 || r.Dimension != Education {
		t.Errorf("DSPM derived fields: %+v", r.Data)
	}
	home := Record{Kind: HomeVisit, PersonID: "p", OccurredOn: "2026-01-05", Data: RecordData{Note: "บ้านสะอาด"}}
	if err := ValidateRecord(&home, "2024-02-10", today); err != nil || home.Sensitivity != SensitiveSafety {
		t.Errorf("home visit: %v %q", err, home.Sensitivity)
	}
	bad := []struct {
		r     Record
		field string
	}{
		{Record{Kind: "x", PersonID: "p", OccurredOn: "2025-01-01"}, "kind"},
		{Record{Kind: Vaccination, PersonID: "p", OccurredOn: "2025-01-01", Data: RecordData{Vaccine: "XYZ", Dose: 1}}, "vaccine"},
		{Record{Kind: Growth, PersonID: "p", OccurredOn: "2025-01-01", Data: RecordData{WeightKg: 900}}, "weight_kg"},
		{Record{Kind: Growth, PersonID: "p", OccurredOn: "2023-01-01", Data: RecordData{WeightKg: 3}}, "occurred_on"}, // before birth
		{Record{Kind: Growth, PersonID: "p", OccurredOn: "2025", Data: RecordData{WeightKg: 3}}, "occurred_on"},       // partial date
		{Record{Kind: HomeVisit, PersonID: "p", OccurredOn: "2025-01-01"}, "note"},
		{Record{Kind: DevelopmentScreening, PersonID: "p", OccurredOn: "2025-01-01", Data: RecordData{ScreeningAge: 10}}, "screening_age"},
	}
	for _, b := range bad {
		err := ValidateRecord(&b.r, "2024-02-10", today)
		if e := errs.As(err); err == nil || e.Field != b.field {
			t.Errorf("%s: got %v, want an error on %s", b.r.Kind, err, b.field)
		}
	}
}

type viewer struct {
	sensitive map[string]bool
	org       string
}

func (v viewer) SeesSensitive(c string) bool   { return v.sensitive[c] }
func (v viewer) InOrganisation(id string) bool { return id == v.org }

func TestVisible(t *testing.T) {
	home := Record{Sensitivity: SensitiveSafety, OrganisationID: "welfare"}
	vacc := Record{Sensitivity: NotSensitive, OrganisationID: "health"}
	teacher := viewer{org: "school"}
	worker := viewer{org: "welfare"}
	manager := viewer{sensitive: map[string]bool{"safety": true}, org: "other"}
	if !Visible(vacc, teacher) || Visible(home, teacher) || !Visible(home, worker) || !Visible(home, manager) {
		t.Fatal("visibility rules broken")
	}
}
