package web

import (
	"slices"
	"testing"

	"termtem/internal/errs"
	"termtem/internal/people"
)

func TestIDKindsToTry(t *testing.T) {
	tests := []struct {
		chosen, q string
		want      []people.IdentifierKind
	}{
		{"", "1-1009-00359-65-7", []people.IdentifierKind{people.NationalID}},
		{"", "1 1009 00359 65 7", []people.IdentifierKind{people.NationalID}},
		{"", "๑๑๐๐๙๐๐๓๕๙๖๕๗", []people.IdentifierKind{people.NationalID}},
		{"", "110090035965", []people.IdentifierKind{people.NationalID}}, // 12 digits: the length message
		{"", "G1234567890", people.IdentifierKinds},
		{"", "1234/2566", people.IdentifierKinds},
		{"", "สมชาย", nil},
		{"", "somchai", nil},
		{"", "ด.ช.สมชาย 2", nil},
		{"", "12", nil},
		{"passport", "AA123456", []people.IdentifierKind{people.Passport}},
	}
	for _, tt := range tests {
		if got := idKindsToTry(tt.chosen, tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("idKindsToTry(%q, %q) = %v, want %v", tt.chosen, tt.q, got, tt.want)
		}
	}
}

func TestDateInputAndText(t *testing.T) {
	for _, tt := range []struct{ stored, th, en, text string }{
		{"2019-01-12", "12/01/2562", "2019-01-12", "12 ม.ค. 2562"},
		{"2019-01", "01/2562", "2019-01", "ม.ค. 2562"},
		{"2019", "2562", "2019", "2562"},
		{"", "", "", ""},
	} {
		if got := dateInput("th", tt.stored); got != tt.th {
			t.Errorf("dateInput(th, %q) = %q, want %q", tt.stored, got, tt.th)
		}
		if got := dateInput("en", tt.stored); got != tt.en {
			t.Errorf("dateInput(en, %q) = %q, want %q", tt.stored, got, tt.en)
		}
		if got := dayText("th", tt.stored); got != tt.text {
			t.Errorf("dayText(th, %q) = %q, want %q", tt.stored, got, tt.text)
		}
	}
}

func TestRecordData(t *testing.T) {
	d, err := recordData(people.Growth, map[string]string{"weight_kg": "10,5", "height_cm": "๗๘"})
	if errs.As(err).Field != "weight_kg" {
		t.Fatalf("10,5 read as %v (%v)", d.WeightKg, err) // a decimal comma must not become 105 kg
	}
	if d, err := recordData(people.WelfareGrant, map[string]string{"grant": "other", "amount_baht": "1,200"}); err != nil || d.AmountBaht != 1200 {
		t.Fatalf("1,200 baht: %+v %v", d, err)
	}
	d, err = recordData(people.Growth, map[string]string{"weight_kg": "10.5", "height_cm": "๗๘"})
	if err != nil || d.WeightKg != 10.5 || d.HeightCm != 78 {
		t.Fatalf("growth: %+v %v", d, err)
	}
	if _, err := recordData(people.Vaccination, map[string]string{"vaccine": "MMR", "dose": "1.5"}); errs.As(err).Field != "dose" {
		t.Errorf("half a dose: %v", err)
	}
	if _, err := recordData(people.Growth, map[string]string{"weight_kg": "ten"}); errs.As(err).MessageID != "record.number" {
		t.Errorf("letters: %v", err)
	}
	d, err = recordData(people.WelfareGrant, map[string]string{"grant": "newborn_support", "amount_baht": "600", "period": "06/2568"})
	if err != nil || d.Period != "2025-06" || d.AmountBaht != 600 {
		t.Errorf("grant: %+v %v", d, err)
	}
	if _, err := recordData(people.Attendance, map[string]string{"attendance_pct": "90", "period": "2568"}); errs.As(err).Field != "period" {
		t.Errorf("a year is not a month: %v", err)
	}
	d, _ = recordData(people.DevelopmentScreening, map[string]string{"screening_age": "18", "gm": "pass"})
	if d.ScreeningAge != 18 || d.Domains == nil || d.Domains.GM != "pass" || d.Domains.FM != "" {
		t.Errorf("DSPM: %+v", d)
	}
	if thousands(600000) != "600,000" || thousands(999) != "999" || thousands(1000) != "1,000" {
		t.Errorf("thousands: %s %s %s", thousands(600000), thousands(999), thousands(1000))
	}
}
