package flower

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"termtem/internal/growth"
	"termtem/internal/people"
)

// Dose is one dose of the national immunisation (EPI) schedule.
type Dose struct {
	Vaccine   string // people.EPIVaccines code
	Dose      int    // dose number as records carry it
	Nth       int    // or: given if the child has at least Nth records of the vaccine
	AgeMonths int    // due at this age
}

// Name is the dose as Detail reports it, e.g. "MMR-1".
func (d Dose) Name() string { return fmt.Sprintf("%s-%d", d.Vaccine, d.Dose) }

// EPISchedule is the Thai EPI schedule for children as the instrument
// notes give it (Department of Disease Control, from public copies,
// unverified against the DDC table). Left out: the third rotavirus dose
// (only for the three-dose vaccine, which records do not tell apart), and
// the school-grade doses (HPV in grade 5, dT in grade 6), which depend on
// the grade rather than the age. DTP boosters 4 and 5 may be recorded as
// DTP dose 4/5 or as the first/second DTP record.
var EPISchedule = []Dose{
	{"BCG", 1, 1, 0},
	{"HBV", 1, 1, 0},
	{"DTP-HB-Hib", 1, 1, 2}, {"OPV", 1, 1, 2}, {"ROTA", 1, 1, 2},
	{"DTP-HB-Hib", 2, 2, 4}, {"OPV", 2, 2, 4}, {"ROTA", 2, 2, 4}, {"IPV", 1, 1, 4},
	{"DTP-HB-Hib", 3, 3, 6}, {"OPV", 3, 3, 6},
	{"MMR", 1, 1, 9},
	{"JE", 1, 1, 12},
	{"DTP", 4, 1, 18}, {"OPV", 4, 4, 18}, {"MMR", 2, 2, 18},
	{"JE", 2, 2, 30},
	{"DTP", 5, 2, 48}, {"OPV", 5, 5, 48},
}

// Grace periods of the derivations.
const (
	// OverdueAfterDays: a dose is overdue more than this many days after the
	// age it is due; a DSPM screening is missed this long after its age.
	OverdueAfterDays = 30
	// FreshForDays: attendance and growth records older than this are not
	// used (a level must describe the child now).
	FreshForDays = 365
	// GrantWindowMonths: a newborn-support payment within this many months
	// counts as received.
	GrantWindowMonths = 3
	// NewbornGrantUnderMonths: Thai children under six are eligible
	// (simplified rule, see INSTRUMENT-NOTES).
	NewbornGrantUnderMonths = 72
)

// Derive proposes values for the derived indicators that apply to a child
// from its service records, as of a date. Records of other people and
// records dated after asOf are ignored. Indicators it cannot decide (no
// records, unknown sex or birth date) are left out: they stay unknown
// unless someone answers them. worst_of indicators are computed by
// Evaluate, not here.
func Derive(in *Instrument, subject SubjectFacts, records []people.Record, asOf time.Time) map[string]DerivedValue {
	out := map[string]DerivedValue{}
	if subject.Subject != Child {
		return out
	}
	subject.On = asOf
	day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	var recs []dated
	for _, r := range records {
		if subject.ID != "" && r.PersonID != subject.ID {
			continue
		}
		t, ok := parseDay(r.OccurredOn)
		if !ok || t.After(day) {
			continue
		}
		recs = append(recs, dated{r, t})
	}
	sort.SliceStable(recs, func(i, j int) bool {
		if !recs[i].on.Equal(recs[j].on) {
			return recs[i].on.Before(recs[j].on)
		}
		return recs[i].r.CreatedAt.Before(recs[j].r.CreatedAt)
	})
	birth, hasBirth := parseDay(subject.BirthDate)
	for _, ind := range in.Indicators {
		if ind.Answer.Kind != Derived || !ind.Applies(subject) {
			continue
		}
		var v DerivedValue
		ok := false
		switch ind.Answer.Derived.From {
		case FromVaccinations:
			if hasBirth {
				v, ok = deriveVaccines(birth, day, recs), true
			}
		case FromDSPM:
			if hasBirth {
				v, ok = deriveDSPM(birth, day, recs)
			}
		case FromEnrolment:
			v, ok = deriveEnrolment(recs)
		case FromAttendance:
			v, ok = deriveAttendance(day, recs)
		case FromNewbornGrant:
			v, ok = deriveGrant(subject, day, recs)
		case FromWeightForAge, FromHeightForAge, FromBMIForAge:
			if hasBirth {
				v, ok = deriveGrowth(ind.Answer.Derived.From, subject.Sex, birth, day, recs)
			}
		case FromBirthWeight:
			v, ok = deriveBirthWeight(recs)
		}
		if ok {
			out[ind.Code] = v
		}
	}
	return out
}

type dated struct {
	r  people.Record
	on time.Time
}

func ofKind(recs []dated, kinds ...people.RecordKind) []dated {
	var out []dated
	for _, d := range recs {
		if slices.Contains(kinds, d.r.Kind) {
			out = append(out, d)
		}
	}
	return out
}

func ptr(x float64) *float64 { return &x }

// deriveVaccines: every dose due more than 30 days ago given → up_to_date;
// one overdue → one_overdue; two or more, or overdue with no vaccination
// on record at all → overdue_2plus.
func deriveVaccines(birth, day time.Time, recs []dated) DerivedValue {
	vs := ofKind(recs, people.Vaccination)
	var ids []string
	given := map[string]bool{}
	count := map[string]int{}
	for _, d := range vs {
		ids = append(ids, d.r.ID)
		given[fmt.Sprintf("%s-%d", d.r.Data.Vaccine, d.r.Data.Dose)] = true
		count[d.r.Data.Vaccine]++
	}
	var overdue []string
	for _, s := range EPISchedule {
		due := birth.AddDate(0, s.AgeMonths, OverdueAfterDays)
		if !day.After(due) || given[s.Name()] || count[s.Vaccine] >= s.Nth {
			continue
		}
		overdue = append(overdue, s.Name())
	}
	v := DerivedValue{RecordIDs: ids, Detail: overdue}
	switch {
	case len(overdue) == 0:
		v.Option = "up_to_date"
	case len(overdue) == 1 && len(vs) > 0:
		v.Option = "one_overdue"
	default:
		v.Option = "overdue_2plus"
		if len(vs) == 0 {
			v.Detail = append(v.Detail, "no_vaccination_records")
		}
	}
	return v
}

// deriveDSPM looks at the screening for the latest DSPM age whose 30-day
// window has passed (or any screening done since): all domains passed →
// pass; a suspected delay with the re-screen still ahead → rescreen_pending;
// a delay, a re-screen not done in time, or no screening → delayed_or_missed.
// Before the first window passes and with no screening, not_yet_due.
func deriveDSPM(birth, day time.Time, recs []dated) (DerivedValue, bool) {
	due := 0
	for _, a := range people.DSPMAges {
		if day.After(birth.AddDate(0, a, OverdueAfterDays)) {
			due = a
		}
	}
	scr := ofKind(recs, people.DevelopmentScreening)
	var latest *dated
	for i := range scr {
		if scr[i].r.Data.ScreeningAge >= due && scr[i].r.Data.Domains != nil {
			latest = &scr[i]
		}
	}
	if latest == nil {
		if due == 0 {
			return DerivedValue{Option: "not_yet_due"}, true
		}
		return DerivedValue{Option: "delayed_or_missed", Detail: []string{fmt.Sprintf("dspm-%d-missed", due)}}, true
	}
	r := latest.r
	v := DerivedValue{RecordIDs: []string{r.ID}}
	point := fmt.Sprintf("dspm-%d", r.Data.ScreeningAge)
	dom := r.Data.Domains
	delayed, suspected := false, false
	for _, s := range []string{dom.GM, dom.FM, dom.RL, dom.EL, dom.PS} {
		delayed = delayed || s == people.DSPMDelayed
		suspected = suspected || s == people.DSPMSuspected
	}
	switch {
	case delayed:
		v.Option, v.Detail = "delayed_or_missed", []string{point + "-delayed"}
	case suspected:
		by, ok := parseDay(r.Data.RescreenBy)
		if !ok {
			by = latest.on.AddDate(0, 0, OverdueAfterDays)
		}
		if day.After(by) {
			v.Option, v.Detail = "delayed_or_missed", []string{point + "-rescreen-missed"}
		} else {
			v.Option, v.Detail = "rescreen_pending", []string{point + "-suspected"}
		}
	default:
		v.Option, v.Detail = "pass", []string{point}
	}
	return v, true
}

// deriveEnrolment: the latest of enrolment, attendance and drop-out
// records says whether the child is in school.
func deriveEnrolment(recs []dated) (DerivedValue, bool) {
	rs := ofKind(recs, people.SchoolEnrolment, people.ChildcareEnrolment, people.Attendance, people.DropOut)
	if len(rs) == 0 {
		return DerivedValue{}, false
	}
	last := rs[len(rs)-1].r
	v := DerivedValue{Option: "enrolled", RecordIDs: []string{last.ID}}
	if last.Kind == people.DropOut {
		v.Option, v.Detail = "out_of_school", []string{last.Data.Reason}
	}
	return v, true
}

// deriveAttendance: the latest attendance percentage (by period, then
// date) from the last year.
func deriveAttendance(day time.Time, recs []dated) (DerivedValue, bool) {
	var best *people.Record
	for _, d := range ofKind(recs, people.Attendance) {
		if d.r.Data.AttendancePct == nil || day.Sub(d.on) > FreshForDays*24*time.Hour {
			continue
		}
		if best == nil || d.r.Data.Period >= best.Data.Period {
			r := d.r
			best = &r
		}
	}
	if best == nil {
		return DerivedValue{}, false
	}
	v := DerivedValue{Number: ptr(float64(*best.Data.AttendancePct)), RecordIDs: []string{best.ID}}
	if best.Data.Period != "" {
		v.Detail = []string{best.Data.Period}
	}
	return v, true
}

// deriveGrant: a Thai child under six is eligible for the newborn
// child-support grant; a payment in the last three months counts as received.
func deriveGrant(f SubjectFacts, day time.Time, recs []dated) (DerivedValue, bool) {
	switch f.Nationality {
	case people.NationalityUnknown:
		return DerivedValue{}, false
	case people.Thai:
	default:
		return DerivedValue{Option: "received_or_not_eligible", Detail: []string{"not_eligible"}}, true
	}
	m, ok := people.AgeInMonths(f.BirthDate, day)
	if !ok {
		return DerivedValue{}, false
	}
	if m >= NewbornGrantUnderMonths {
		return DerivedValue{Option: "received_or_not_eligible", Detail: []string{"not_eligible"}}, true
	}
	since := day.AddDate(0, -GrantWindowMonths, 0)
	for _, d := range slices.Backward(ofKind(recs, people.WelfareGrant)) {
		if d.r.Data.Grant == "newborn_support" && !d.on.Before(since) {
			return DerivedValue{Option: "received_or_not_eligible", RecordIDs: []string{d.r.ID}, Detail: []string{"received"}}, true
		}
	}
	return DerivedValue{Option: "eligible_not_received"}, true
}

func growthSex(s people.Sex) growth.Sex {
	switch s {
	case people.Male:
		return growth.Male
	case people.Female:
		return growth.Female
	}
	return 0
}

// deriveGrowth scores the latest growth measurement of the last year
// against the WHO references. Scores WHO flags as implausible are not
// proposed (the measurement needs checking first).
func deriveGrowth(src DerivedSource, sex people.Sex, birth, day time.Time, recs []dated) (DerivedValue, bool) {
	gs := growthSex(sex)
	if gs == 0 {
		return DerivedValue{}, false
	}
	for _, d := range slices.Backward(ofKind(recs, people.Growth)) {
		if day.Sub(d.on) > FreshForDays*24*time.Hour {
			break
		}
		days := growth.AgeInDays(birth, d.on)
		w, h := d.r.Data.WeightKg, d.r.Data.HeightCm
		var sc growth.Score
		var err error
		switch src {
		case FromWeightForAge:
			if w <= 0 {
				continue
			}
			sc, err = growth.WeightForAgeZ(gs, days, w)
		case FromHeightForAge:
			if h <= 0 {
				continue
			}
			sc, err = growth.HeightForAgeZ(gs, days, h, growth.PositionUnknown)
		case FromBMIForAge:
			if w <= 0 || h <= 0 {
				continue
			}
			sc, err = growth.BMIForAgeZ(gs, days, w, h)
		}
		if err != nil || sc.Flagged {
			return DerivedValue{}, false
		}
		return DerivedValue{Number: ptr(sc.Z), RecordIDs: []string{d.r.ID},
			Detail: []string{string(sc.Index), d.r.OccurredOn}}, true
	}
	return DerivedValue{}, false
}

func deriveBirthWeight(recs []dated) (DerivedValue, bool) {
	for _, d := range slices.Backward(ofKind(recs, people.Birth)) {
		if g := d.r.Data.BirthWeightGrams; g > 0 {
			return DerivedValue{Number: ptr(float64(g)), RecordIDs: []string{d.r.ID}}, true
		}
	}
	return DerivedValue{}, false
}
