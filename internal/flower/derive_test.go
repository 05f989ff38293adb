package flower

import (
	"slices"
	"testing"
	"time"

	"termtem/internal/growth"
	"termtem/internal/people"
)

const born = "2024-01-10"

func vacc(id, on, vaccine string, dose int) people.Record {
	return people.Record{ID: id, PersonID: "c1", Kind: people.Vaccination, OccurredOn: on,
		Data: people.RecordData{Vaccine: vaccine, Dose: dose}}
}

func screening(id, on string, age int, domain string, rescreenBy string) people.Record {
	return people.Record{ID: id, PersonID: "c1", Kind: people.DevelopmentScreening, OccurredOn: on,
		Data: people.RecordData{ScreeningAge: age, RescreenBy: rescreenBy,
			Domains: &people.Domains{GM: people.DSPMPass, FM: domain, RL: people.DSPMPass, EL: people.DSPMPass, PS: people.DSPMPass}}}
}

func derive(t *testing.T, code string, f SubjectFacts, recs []people.Record, asOf string) (DerivedValue, bool) {
	t.Helper()
	v, ok := Derive(Default(), f, recs, day(asOf))[code]
	return v, ok
}

// allDosesUpTo gives every scheduled dose due by the age, on its due date.
func allDosesUpTo(months int) []people.Record {
	b := day(born)
	var out []people.Record
	for _, s := range EPISchedule {
		if s.AgeMonths <= months {
			out = append(out, vacc("v"+s.Name(), b.AddDate(0, s.AgeMonths, 0).Format("2006-01-02"), s.Vaccine, s.Dose))
		}
	}
	return out
}

func without(recs []people.Record, id string) []people.Record {
	return slices.DeleteFunc(slices.Clone(recs), func(r people.Record) bool { return r.ID == id })
}

func TestDeriveVaccines(t *testing.T) {
	f := child(born, born)
	for _, tc := range []struct {
		name   string
		recs   []people.Record
		asOf   string
		option string
		detail []string
	}{
		{"newborn, nothing due yet", nil, "2024-01-20", "up_to_date", nil},
		{"exactly 30 days past due is not overdue", nil, "2024-02-09", "up_to_date", nil},
		{"never vaccinated", nil, "2024-02-10", "overdue_2plus", []string{"BCG-1", "HBV-1", "no_vaccination_records"}},
		{"one overdue", []people.Record{vacc("v1", born, "BCG", 1)}, "2024-02-15", "one_overdue", []string{"HBV-1"}},
		{"all given to 12 months", allDosesUpTo(12), "2025-02-15", "up_to_date", nil},
		{"MMR-1 missing", without(allDosesUpTo(12), "vMMR-1"), "2025-02-15", "one_overdue", []string{"MMR-1"}},
		{"two missing", without(without(allDosesUpTo(12), "vMMR-1"), "vJE-1"), "2025-02-15", "overdue_2plus", []string{"MMR-1", "JE-1"}},
		{"18-month doses overdue", allDosesUpTo(12), "2025-08-20", "overdue_2plus", []string{"DTP-4", "OPV-4", "MMR-2"}},
		{"DTP booster recorded as the first DTP", append(allDosesUpTo(12),
			vacc("b1", "2025-07-12", "DTP", 1), vacc("b2", "2025-07-12", "OPV", 4), vacc("b3", "2025-07-12", "MMR", 2)),
			"2025-08-20", "up_to_date", nil},
	} {
		v, ok := derive(t, "HLT02", f, tc.recs, tc.asOf)
		if !ok || v.Option != tc.option || !slices.Equal(v.Detail, tc.detail) {
			t.Errorf("%s: %+v %v, want %s %v", tc.name, v, ok, tc.option, tc.detail)
		}
		if len(v.RecordIDs) != len(tc.recs) {
			t.Errorf("%s: record ids %v", tc.name, v.RecordIDs)
		}
	}
	// Records of someone else and from the future are ignored.
	other := vacc("x1", born, "HBV", 1)
	other.PersonID = "c2"
	future := vacc("x2", "2024-03-01", "HBV", 1)
	v, _ := derive(t, "HLT02", f, []people.Record{vacc("v1", born, "BCG", 1), other, future}, "2024-02-15")
	if v.Option != "one_overdue" || !slices.Equal(v.RecordIDs, []string{"v1"}) {
		t.Errorf("filtering: %+v", v)
	}
	// No (full) birth date: nothing derived.
	if _, ok := derive(t, "HLT02", child("2024", born), nil, "2025-01-01"); ok {
		t.Error("year-only birth date derived vaccines")
	}
}

func TestDeriveDSPM(t *testing.T) {
	f := child(born, born)
	for _, tc := range []struct {
		name   string
		recs   []people.Record
		asOf   string
		option string
		detail string
	}{
		{"before 9 months", nil, "2024-09-01", "not_yet_due", ""},
		{"9 months, within the window", nil, "2024-11-09", "not_yet_due", ""},
		{"9-month screening missed", nil, "2024-11-15", "delayed_or_missed", "dspm-9-missed"},
		{"passed", []people.Record{screening("s1", "2024-10-12", 9, people.DSPMPass, "")}, "2024-11-15", "pass", "dspm-9"},
		{"suspected, re-screen ahead", []people.Record{screening("s1", "2024-11-01", 9, people.DSPMSuspected, "2024-12-01")},
			"2024-11-15", "rescreen_pending", "dspm-9-suspected"},
		{"suspected, re-screen missed", []people.Record{screening("s1", "2024-11-01", 9, people.DSPMSuspected, "2024-12-01")},
			"2024-12-05", "delayed_or_missed", "dspm-9-rescreen-missed"},
		{"suspected then passed on re-screen", []people.Record{
			screening("s1", "2024-11-01", 9, people.DSPMSuspected, "2024-12-01"),
			screening("s2", "2024-11-28", 9, people.DSPMPass, "")}, "2024-12-05", "pass", "dspm-9"},
		{"delayed", []people.Record{screening("s1", "2024-10-12", 9, people.DSPMDelayed, "")}, "2024-11-15", "delayed_or_missed", "dspm-9-delayed"},
		{"18-month screening missed", []people.Record{screening("s1", "2024-10-12", 9, people.DSPMPass, "")},
			"2025-08-20", "delayed_or_missed", "dspm-18-missed"},
		{"18-month screening done early", []people.Record{
			screening("s1", "2024-10-12", 9, people.DSPMPass, ""),
			screening("s2", "2025-07-15", 18, people.DSPMPass, "")}, "2025-07-20", "pass", "dspm-18"},
	} {
		v, ok := derive(t, "EDU06", f, tc.recs, tc.asOf)
		got := ""
		if len(v.Detail) > 0 {
			got = v.Detail[0]
		}
		if !ok || v.Option != tc.option || got != tc.detail {
			t.Errorf("%s: %+v %v, want %s %s", tc.name, v, ok, tc.option, tc.detail)
		}
	}
}

func pct(n int) *int { return &n }

func TestDeriveSchool(t *testing.T) {
	f := SubjectFacts{Subject: Child, ID: "c1", BirthDate: "2016-03-01", Schooling: people.InPrimary}
	att := func(id, on, period string, p int) people.Record {
		return people.Record{ID: id, PersonID: "c1", Kind: people.Attendance, OccurredOn: on,
			Data: people.RecordData{AttendancePct: pct(p), Period: period}}
	}
	recs := []people.Record{
		{ID: "e1", PersonID: "c1", Kind: people.SchoolEnrolment, OccurredOn: "2024-05-16", Data: people.RecordData{Grade: "p3"}},
		att("a1", "2025-07-01", "2025-06", 95),
		att("a2", "2025-12-01", "2025-11", 78),
	}
	v, ok := derive(t, "EDU03", f, recs, "2026-01-15")
	if !ok || *v.Number != 78 || v.RecordIDs[0] != "a2" || v.Detail[0] != "2025-11" {
		t.Errorf("latest attendance: %+v", v)
	}
	res, err := Evaluate(Default(), SubjectFacts{Subject: Child, BirthDate: "2016-03-01", Schooling: people.InPrimary, On: day("2026-01-15")},
		nil, Derive(Default(), f, recs, day("2026-01-15")))
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := res.Indicator("EDU03"); r.Level != Red || !r.Derived {
		t.Errorf("attendance 78%%: %+v", r)
	}
	if _, ok := derive(t, "EDU03", f, recs, "2027-02-01"); ok {
		t.Error("stale attendance used")
	}
	v, _ = derive(t, "EDU02", f, recs, "2026-01-15")
	if v.Option != "enrolled" || v.RecordIDs[0] != "a2" {
		t.Errorf("enrolled: %+v", v)
	}
	recs = append(recs, people.Record{ID: "d1", PersonID: "c1", Kind: people.DropOut, OccurredOn: "2025-12-20",
		Data: people.RecordData{Reason: "moved to work"}})
	v, _ = derive(t, "EDU02", f, recs, "2026-01-15")
	if v.Option != "out_of_school" || v.RecordIDs[0] != "d1" || v.Detail[0] != "moved to work" {
		t.Errorf("dropped out: %+v", v)
	}
	recs = append(recs, people.Record{ID: "e2", PersonID: "c1", Kind: people.SchoolEnrolment, OccurredOn: "2026-01-10",
		Data: people.RecordData{Grade: "p4"}})
	if v, _ = derive(t, "EDU02", f, recs, "2026-01-15"); v.Option != "enrolled" {
		t.Errorf("re-enrolled: %+v", v)
	}
	if _, ok := derive(t, "EDU02", f, nil, "2026-01-15"); ok {
		t.Error("enrolment derived without records")
	}
}

func TestDeriveGrowth(t *testing.T) {
	g := func(id, on string, kg, cm float64) people.Record {
		return people.Record{ID: id, PersonID: "c1", Kind: people.Growth, OccurredOn: on, Data: people.RecordData{WeightKg: kg, HeightCm: cm}}
	}
	f := child(born, born) // girl
	recs := []people.Record{g("g1", "2024-07-10", 7.0, 65), g("g2", "2025-01-10", 7.0, 70)}
	want, _ := growth.WeightForAgeZ(growth.Female, growth.AgeInDays(day(born), day("2025-01-10")), 7.0)
	v, ok := derive(t, "HLT03", f, recs, "2025-02-01")
	if !ok || *v.Number != want.Z || v.RecordIDs[0] != "g2" {
		t.Errorf("weight-for-age: %+v, want %v", v, want.Z)
	}
	if want.Z >= -2 {
		t.Fatalf("fixture should be underweight, z=%v", want.Z)
	}
	wantH, _ := growth.HeightForAgeZ(growth.Female, 366, 70, growth.PositionUnknown)
	if v, _ := derive(t, "HLT04", f, recs, "2025-02-01"); *v.Number != wantH.Z {
		t.Errorf("height-for-age: %+v, want %v", v, wantH.Z)
	}
	res, _ := Evaluate(Default(), child(born, "2025-02-01"), nil, Derive(Default(), f, recs, day("2025-02-01")))
	if r, _ := res.Indicator("HLT03"); r.Level != Yellow && r.Level != Red {
		t.Errorf("underweight level %+v", r)
	}
	// No BMI under five.
	if _, ok := derive(t, "HLT05", f, recs, "2025-02-01"); ok {
		t.Error("BMI derived under 5")
	}
	// Unknown sex, implausible or stale measurements: nothing.
	nosex := f
	nosex.Sex = people.Unknown
	if _, ok := derive(t, "HLT03", nosex, recs, "2025-02-01"); ok {
		t.Error("derived without sex")
	}
	if _, ok := derive(t, "HLT03", f, []people.Record{g("g3", "2025-01-10", 40, 70)}, "2025-02-01"); ok {
		t.Error("derived from an implausible weight")
	}
	if _, ok := derive(t, "HLT03", f, recs, "2026-03-01"); ok {
		t.Error("derived from a stale measurement")
	}
	// BMI-for-age from 5 years.
	older := child("2019-06-01", "2019-06-01")
	old := []people.Record{g("g9", "2025-12-01", 19, 112)}
	v, ok = derive(t, "HLT05", older, old, "2026-01-01")
	wantB, _ := growth.BMIForAgeZ(growth.Female, growth.AgeInDays(day("2019-06-01"), day("2025-12-01")), 19, 112)
	if !ok || *v.Number != wantB.Z {
		t.Errorf("bmi-for-age: %+v %v, want %v", v, ok, wantB.Z)
	}
}

func TestDeriveGrantAndBirthWeight(t *testing.T) {
	f := child(born, born)
	grant := func(id, on string) people.Record {
		return people.Record{ID: id, PersonID: "c1", Kind: people.WelfareGrant, OccurredOn: on,
			Data: people.RecordData{Grant: "newborn_support", AmountBaht: 600}}
	}
	v, _ := derive(t, "ECO06", f, []people.Record{grant("w1", "2025-12-15")}, "2026-01-15")
	if v.Option != "received_or_not_eligible" || v.RecordIDs[0] != "w1" {
		t.Errorf("received: %+v", v)
	}
	v, _ = derive(t, "ECO06", f, []people.Record{grant("w1", "2025-09-01")}, "2026-01-15")
	if v.Option != "eligible_not_received" {
		t.Errorf("old payment: %+v", v)
	}
	migrant := f
	migrant.Nationality = people.Myanmar
	if v, _ = derive(t, "ECO06", migrant, nil, "2026-01-15"); v.Option != "received_or_not_eligible" || v.Detail[0] != "not_eligible" {
		t.Errorf("not Thai: %+v", v)
	}
	unknown := f
	unknown.Nationality = people.NationalityUnknown
	if _, ok := derive(t, "ECO06", unknown, nil, "2026-01-15"); ok {
		t.Error("derived without nationality")
	}
	birth := people.Record{ID: "b1", PersonID: "c1", Kind: people.Birth, OccurredOn: born, Data: people.RecordData{BirthWeightGrams: 2400}}
	v, _ = derive(t, "HLT01", f, []people.Record{birth}, "2025-01-15")
	if *v.Number != 2400 || v.RecordIDs[0] != "b1" {
		t.Errorf("birth weight: %+v", v)
	}
	res, _ := Evaluate(Default(), child(born, "2025-01-15"), nil, Derive(Default(), f, []people.Record{birth}, day("2025-01-15")))
	if r, _ := res.Indicator("HLT01"); r.Level != Yellow {
		t.Errorf("2,400 g: %+v", r)
	}
}

func TestDeriveHousehold(t *testing.T) {
	if m := Derive(Default(), household("2026-01-01", born), []people.Record{vacc("v1", born, "BCG", 1)}, time.Now()); len(m) != 0 {
		t.Errorf("household derived %v", m)
	}
}
