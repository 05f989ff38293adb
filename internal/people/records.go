package people

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/errs"
)

// Dimension is one petal of the flower: every record says which it informs.
type Dimension string

const (
	Economy   Dimension = "economy"   // เศรษฐกิจ
	Safety    Dimension = "safety"    // สวัสดิภาพ
	Education Dimension = "education" // การศึกษา
	Health    Dimension = "health"    // สุขภาพ
)

// Dimensions lists the petals in the order the flower draws them.
var Dimensions = []Dimension{Economy, Safety, Education, Health}

// Sensitivity is the PDPA s.26 category of a record's content. Sensitive
// records are shown in full only to those allowed that category (see Visible).
type Sensitivity string

const (
	NotSensitive    Sensitivity = ""
	SensitiveHealth Sensitivity = "health" // conditions, disability, HIV
	SensitiveSafety Sensitivity = "safety" // violence, abuse, neglect notes
)

// RecordKind is a type of service record.
type RecordKind string

const (
	AntenatalVisit       RecordKind = "antenatal_visit"
	Birth                RecordKind = "birth"
	Vaccination          RecordKind = "vaccination"
	Growth               RecordKind = "growth"
	DevelopmentScreening RecordKind = "development_screening"
	Condition            RecordKind = "condition"
	ChildcareEnrolment   RecordKind = "childcare_enrolment"
	SchoolEnrolment      RecordKind = "school_enrolment"
	Attendance           RecordKind = "attendance"
	DropOut              RecordKind = "drop_out"
	WelfareGrant         RecordKind = "welfare_grant"
	HomeVisit            RecordKind = "home_visit"
)

// RecordKinds lists the kinds in the order forms offer them.
var RecordKinds = []RecordKind{AntenatalVisit, Birth, Vaccination, Growth, DevelopmentScreening, Condition,
	ChildcareEnrolment, SchoolEnrolment, Attendance, DropOut, WelfareGrant, HomeVisit}

// KindInfo says what a kind of record is about.
type KindInfo struct {
	Dimension   Dimension
	Sensitivity Sensitivity
	Pregnancy   bool // recorded on a pregnancy rather than a born person
}

// Kinds describes every record kind.
var Kinds = map[RecordKind]KindInfo{
	AntenatalVisit:       {Health, NotSensitive, true},
	Birth:                {Health, NotSensitive, false},
	Vaccination:          {Health, NotSensitive, false},
	Growth:               {Health, NotSensitive, false},
	DevelopmentScreening: {Education, NotSensitive, false},
	Condition:            {Health, SensitiveHealth, false},
	ChildcareEnrolment:   {Education, NotSensitive, false},
	SchoolEnrolment:      {Education, NotSensitive, false},
	Attendance:           {Education, NotSensitive, false},
	DropOut:              {Education, NotSensitive, false},
	WelfareGrant:         {Economy, NotSensitive, false},
	HomeVisit:            {Safety, SensitiveSafety, false},
}

// Record is one service given or observed by an agency.
type Record struct {
	ID             string
	PersonID       string // empty for a record on a pregnancy
	PregnancyID    string
	Kind           RecordKind
	OccurredOn     string // C.E. date
	OrganisationID string
	AuthorID       string
	Dimension      Dimension
	Sensitivity    Sensitivity
	Data           RecordData
	CreatedAt      time.Time
	// Filled by the store for display.
	OrganisationName   string
	OrganisationNameEN string
	AuthorName         string
}

// RecordData holds the fields of every kind; each kind uses its own.
// One struct with optional fields keeps the JSON flat and self-describing.
type RecordData struct {
	GestationalWeeks int      `json:"gestational_weeks,omitempty"` // antenatal visit, birth
	BirthWeightGrams int      `json:"birth_weight_g,omitempty"`    // birth
	Vaccine          string   `json:"vaccine,omitempty"`           // vaccination: EPI code
	Dose             int      `json:"dose,omitempty"`              // vaccination
	WeightKg         float64  `json:"weight_kg,omitempty"`         // growth, antenatal visit
	HeightCm         float64  `json:"height_cm,omitempty"`         // growth
	HeadCm           float64  `json:"head_cm,omitempty"`           // growth
	AgeMonths        int      `json:"age_months,omitempty"`        // growth, screening: filled from the birth date
	ScreeningAge     int      `json:"screening_age,omitempty"`     // DSPM: 9, 18, 30, 42 or 60 months
	Domains          *Domains `json:"domains,omitempty"`           // DSPM results
	RescreenBy       string   `json:"rescreen_by,omitempty"`       // DSPM: 30 days after a suspected delay
	Condition        string   `json:"condition,omitempty"`         // condition: chronic_illness, disability, hiv, mental_health, other
	Managed          *bool    `json:"managed,omitempty"`           // condition: under treatment / follow-up
	Grade            string   `json:"grade,omitempty"`             // school enrolment: อ.1–ม.6 as codes k1..m6
	AttendancePct    *int     `json:"attendance_pct,omitempty"`    // attendance
	Period           string   `json:"period,omitempty"`            // attendance, grant: YYYY-MM
	Reason           string   `json:"reason,omitempty"`            // drop out
	Grant            string   `json:"grant,omitempty"`             // welfare grant code
	AmountBaht       int      `json:"amount_baht,omitempty"`       // welfare grant
	Note             string   `json:"note,omitempty"`              // any kind
}

// Domains are DSPM's five developmental domains.
type Domains struct {
	GM string `json:"gm"` // gross motor
	FM string `json:"fm"` // fine motor
	RL string `json:"rl"` // receptive language
	EL string `json:"el"` // expressive language
	PS string `json:"ps"` // personal and social
}

// DSPM results per domain (sil-th terminology: 1 normal, 2 suspected, 3 delayed).
const (
	DSPMPass      = "pass"
	DSPMSuspected = "suspected"
	DSPMDelayed   = "delayed"
)

// DSPMAges are the national screening points, in months.
var DSPMAges = []int{9, 18, 30, 42, 60}

// EPIVaccines are the Thai Expanded Programme on Immunization vaccine codes
// forms offer (doses are recorded separately).
var EPIVaccines = []string{"BCG", "HBV", "DTP-HB-Hib", "OPV", "IPV", "ROTA", "MMR", "JE", "DTP", "HPV", "dT", "FLU"}

// Conditions are the categories of a condition record.
var Conditions = []string{"chronic_illness", "disability", "hiv", "mental_health", "other"}

// Grants are the welfare grant codes (the newborn child-support grant first).
var Grants = []string{"newborn_support", "disability_allowance", "education_support", "other"}

// Grades are school grades: kindergarten 1–3, primary 1–6, secondary 1–6.
var Grades = []string{"k1", "k2", "k3", "p1", "p2", "p3", "p4", "p5", "p6", "m1", "m2", "m3", "m4", "m5", "m6"}

// Schooling returns what a school-enrolment grade says about the stage.
func GradeSchooling(grade string) Schooling {
	switch {
	case strings.HasPrefix(grade, "k"):
		return InChildcare
	case strings.HasPrefix(grade, "p"):
		return InPrimary
	case grade == "m1" || grade == "m2" || grade == "m3":
		return InLowerSecondary
	case strings.HasPrefix(grade, "m"):
		return InUpperSecondary
	}
	return NoSchooling
}

// MaxNoteLen bounds free-text notes.
const MaxNoteLen = 4000

// ValidateRecord checks a record's kind-specific data and fills derived
// fields. birth is the person's birth date ("" for a pregnancy); now is today.
func ValidateRecord(r *Record, birth string, now time.Time) error {
	info, ok := Kinds[r.Kind]
	if !ok {
		return errs.Field("kind", "field.choice", nil)
	}
	if info.Pregnancy != (r.PregnancyID != "" && r.PersonID == "") && r.Kind != AntenatalVisit {
		return errs.Field("kind", "record.kind_subject", nil)
	}
	r.Dimension, r.Sensitivity = info.Dimension, info.Sensitivity
	on, err := ValidateBirthDate(r.OccurredOn, now, "occurred_on")
	if err != nil {
		return err
	}
	if len(on) != len("2006-01-02") {
		return errs.Field("occurred_on", "record.date_full", nil)
	}
	r.OccurredOn = on
	when, _ := time.Parse("2006-01-02", on)
	if birth != "" {
		if b, ok := birthTime(birth); ok && when.Before(b.AddDate(0, -1, 0)) && r.Kind != AntenatalVisit {
			return errs.Field("occurred_on", "record.before_birth", nil)
		}
	}
	d := &r.Data
	d.Note = strings.TrimSpace(d.Note)
	if utf8.RuneCountInString(d.Note) > MaxNoteLen {
		return errs.Field("note", "field.too_long", map[string]any{"Max": MaxNoteLen})
	}
	inRange := func(field string, v, lo, hi float64) error {
		if v < lo || v > hi {
			return errs.Field(field, "record.out_of_range", map[string]any{"Min": lo, "Max": hi})
		}
		return nil
	}
	switch r.Kind {
	case AntenatalVisit:
		if err := inRange("gestational_weeks", float64(d.GestationalWeeks), 4, 45); err != nil {
			return err
		}
	case Birth:
		if err := inRange("birth_weight_g", float64(d.BirthWeightGrams), 300, 6500); err != nil {
			return err
		}
		if err := inRange("gestational_weeks", float64(d.GestationalWeeks), 20, 45); err != nil {
			return err
		}
	case Vaccination:
		if !slices.Contains(EPIVaccines, d.Vaccine) {
			return errs.Field("vaccine", "field.choice", nil)
		}
		if err := inRange("dose", float64(d.Dose), 1, 6); err != nil {
			return err
		}
	case Growth:
		if err := inRange("weight_kg", d.WeightKg, 0.3, 200); err != nil {
			return err
		}
		if d.HeightCm != 0 {
			if err := inRange("height_cm", d.HeightCm, 25, 220); err != nil {
				return err
			}
		}
		if d.HeadCm != 0 {
			if err := inRange("head_cm", d.HeadCm, 20, 65); err != nil {
				return err
			}
		}
		d.AgeMonths, _ = AgeInMonths(birth, when)
	case DevelopmentScreening:
		if !slices.Contains(DSPMAges, d.ScreeningAge) {
			return errs.Field("screening_age", "field.choice", nil)
		}
		if d.Domains == nil {
			return errs.Field("domains", "field.required", nil)
		}
		suspected := false
		for _, v := range []struct{ field, value string }{{"gm", d.Domains.GM}, {"fm", d.Domains.FM}, {"rl", d.Domains.RL}, {"el", d.Domains.EL}, {"ps", d.Domains.PS}} {
			switch v.value {
			case DSPMPass:
			case DSPMSuspected, DSPMDelayed:
				suspected = suspected || v.value == DSPMSuspected
			default:
				return errs.Field(v.field, "field.choice", nil)
			}
		}
		d.RescreenBy = ""
		if suspected {
			d.RescreenBy = when.AddDate(0, 0, 30).Format("2006-01-02")
		}
		d.AgeMonths, _ = AgeInMonths(birth, when)
	case Condition:
		if !slices.Contains(Conditions, d.Condition) {
			return errs.Field("condition", "field.choice", nil)
		}
	case SchoolEnrolment:
		if !slices.Contains(Grades, d.Grade) {
			return errs.Field("grade", "field.choice", nil)
		}
	case Attendance:
		if d.AttendancePct == nil {
			return errs.Field("attendance_pct", "field.required", nil)
		}
		if err := inRange("attendance_pct", float64(*d.AttendancePct), 0, 100); err != nil {
			return err
		}
	case DropOut:
		if d.Reason == "" {
			return errs.Field("reason", "field.required", nil)
		}
	case WelfareGrant:
		if !slices.Contains(Grants, d.Grant) {
			return errs.Field("grant", "field.choice", nil)
		}
		if err := inRange("amount_baht", float64(d.AmountBaht), 0, 1_000_000); err != nil {
			return err
		}
	case HomeVisit:
		if d.Note == "" {
			return errs.Field("note", "field.required", nil)
		}
	}
	return nil
}

// EncodeData is the stored form of a record's data.
func (d RecordData) Encode() string {
	b, _ := json.Marshal(d)
	return string(b)
}

// DecodeData reads stored record data.
func DecodeData(s string) (RecordData, error) {
	var d RecordData
	err := json.Unmarshal([]byte(s), &d)
	return d, err
}

// Viewer is what the record rules need to know about who is looking.
type Viewer interface {
	SeesSensitive(category string) bool
	InOrganisation(id string) bool
}

// Visible reports whether v may read r's content. Records that are not
// sensitive are shared with every agency: that is the point of one record.
// Sensitive ones are shown to those granted the category, and to the
// organisation that wrote them; everyone else sees only that a restricted
// record exists (kind, date, organisation), so they know whom to ask.
func Visible(r Record, v Viewer) bool {
	return r.Sensitivity == NotSensitive || v.SeesSensitive(string(r.Sensitivity)) || v.InOrganisation(r.OrganisationID)
}
