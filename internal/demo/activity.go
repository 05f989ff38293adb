package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
)

// A benchmark population's activity: service records from the agencies and
// flower assessments of children and households over the last two years,
// generated for people already stored (Populate) and written a page of
// people at a time through store.InsertActivity, which keeps the dashboard
// counters as any change does. At Populate's million people the defaults
// give about 5 million records and 2 million assessments.

// ActivityOptions say how much to generate.
type ActivityOptions struct {
	RecordsPerPerson int // on average; default 5
	// AssessmentsPerSubject: each child (under 18) and each household is
	// assessed this many times; default 3 (about 2 per person overall).
	AssessmentsPerSubject int
	Seed                  int64
	Progress              io.Writer
}

// ActivityResult says what PopulateActivity stored.
type ActivityResult struct {
	People                             int // whose activity was generated
	Records, Assessments               int
	Cases, Referrals, Alerts, Handoffs int
	Elapsed                            time.Duration
}

// Rows is every row of activity stored (not counting events and plans).
func (r ActivityResult) Rows() int {
	return r.Records + r.Assessments + r.Cases + r.Referrals + r.Alerts + r.Handoffs
}

// activityPage is the people of one transaction.
const activityPage = 2000

// AuditActivityLoaded records that PopulateActivity stored activity.
const AuditActivityLoaded = "demo.activity_loaded"

// PopulateActivity generates records, assessments and casework for every
// stored person, a page of people a transaction.
func PopulateActivity(ctx context.Context, db *store.DB, opts ActivityOptions) (ActivityResult, error) {
	var res ActivityResult
	if opts.RecordsPerPerson <= 0 {
		opts.RecordsPerPerson = 5
	}
	if opts.AssessmentsPerSubject <= 0 {
		opts.AssessmentsPerSubject = 3
	}
	start := time.Now()
	org, err := db.GetOrganisationByCode(ctx, "BENCH-HC")
	if errs.Is(err, errs.NotFound) {
		city, perr := db.GetPlaceByCode(ctx, "10")
		if perr != nil {
			return res, perr
		}
		org, err = db.SaveOrganisation(ctx, organisations.Organisation{Code: "BENCH-HC", Kind: organisations.HealthCentre,
			NameTH: "หน่วยบริการสังเคราะห์ (ทดสอบสมรรถนะ)", NameEN: "Synthetic service unit (benchmarks)", PlaceID: city.ID, Active: true},
			audit.Event{RequestID: "demo-activity"})
	}
	if err != nil {
		return res, err
	}
	agencies, err := syntheticAgencies(ctx, db)
	if err != nil {
		return res, err
	}
	total, err := db.CountPeople(ctx)
	if err != nil {
		return res, err
	}
	bar := newProgress(opts.Progress, "activity", total)
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 16))
	today := db.Now().UTC()
	work := &casework{rng: rng, today: today, n: map[string]int{}}
	after := ""
	// The latest levels of the households seen, for their children.
	household := map[string][4]string{}
	for {
		subjects, err := db.ActivitySubjects(ctx, after, activityPage)
		if err != nil {
			return res, err
		}
		if len(subjects) == 0 {
			break
		}
		after = subjects[len(subjects)-1].ID
		var rs []people.Record
		var as []store.SyntheticAssessment
		work.page = store.SyntheticActivity{AssessedBy: org.ID}
		for _, s := range subjects {
			birth, ok := birthDay(s.BirthDate)
			if !ok {
				continue
			}
			ag := agencies[s.CommunityID]
			age := today.Year() - birth.Year()
			for range rng.IntN(2*opts.RecordsPerPerson + 1) {
				r := syntheticRecord(rng, s.ID, org.ID, birth, age, today)
				if ag != nil {
					r.OrganisationID = ag.unitFor(r.Kind)
				}
				rs = append(rs, r)
			}
			var levels [4]string
			if age < 18 {
				mine := syntheticAssessments(rng, opts.AssessmentsPerSubject, birth, today, func(a *store.SyntheticAssessment) { a.PersonID = s.ID })
				levels = mine[len(mine)-1].Levels
				as = append(as, mine...)
			}
			if _, seen := household[s.HouseholdID]; s.HouseholdID != "" && !seen {
				theirs := syntheticAssessments(rng, opts.AssessmentsPerSubject, today.AddDate(-3, 0, 0), today,
					func(a *store.SyntheticAssessment) { a.HouseholdID = s.HouseholdID })
				household[s.HouseholdID] = theirs[len(theirs)-1].Levels
				as = append(as, theirs...)
				if ag != nil && anyRed(household[s.HouseholdID]) {
					work.household(s.HouseholdID, household[s.HouseholdID], ag)
				}
			}
			if age < 18 && ag != nil && (anyRed(levels) || anyRed(household[s.HouseholdID])) {
				work.child(s.ID, age, levels, ag)
			}
		}
		work.page.Records, work.page.Assessments = rs, as
		if err := db.InsertSyntheticActivity(ctx, work.page); err != nil {
			return res, err
		}
		res.People += len(subjects)
		res.Records += len(rs)
		res.Assessments += len(as)
		res.Cases += len(work.page.Cases)
		res.Referrals += len(work.page.Referrals)
		res.Alerts += len(work.page.Alerts)
		res.Handoffs += len(work.page.Handoffs)
		bar.update(res.People, fmt.Sprintf("%d records, %d assessments, %d cases, %d referrals", res.Records, res.Assessments, res.Cases, res.Referrals))
		if len(household) > 200000 { // the map only guards households split across pages
			clear(household)
		}
	}
	bar.done(res.People)
	res.Elapsed = time.Since(start)
	return res, db.AuditAlone(ctx, audit.Event{Action: AuditActivityLoaded, RequestID: "demo-activity",
		Detail: fmt.Sprintf("seed=%d records=%d assessments=%d cases=%d referrals=%d alerts=%d handoffs=%d", opts.Seed, res.Records,
			res.Assessments, res.Cases, res.Referrals, res.Alerts, res.Handoffs)})
}

func anyRed(levels [4]string) bool {
	for _, l := range levels {
		if l == "red" {
			return true
		}
	}
	return false
}

// unitFor is the district unit that makes a kind of record.
func (ag *districtAgencies) unitFor(k people.RecordKind) string {
	switch k {
	case people.SchoolEnrolment, people.Attendance:
		return ag.school
	case people.WelfareGrant:
		return ag.welfare
	case people.ChildcareEnrolment:
		return ag.childcare
	}
	return ag.health
}

func birthDay(s string) (time.Time, bool) {
	if len(s) < 4 {
		return time.Time{}, false
	}
	if len(s) == 4 {
		s += "-07-01"
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// syntheticRecord is one plausible record for a person of that age.
func syntheticRecord(rng *rand.Rand, personID, orgID string, birth time.Time, age int, today time.Time) people.Record {
	from := birth
	if limit := today.AddDate(-3, 0, 0); from.Before(limit) {
		from = limit
	}
	span := int(today.Sub(from).Hours() / 24)
	on := from.AddDate(0, 0, rng.IntN(max(span, 1)))
	r := people.Record{PersonID: personID, OrganisationID: orgID, OccurredOn: on.Format(time.DateOnly)}
	switch {
	case age < 6 && rng.IntN(3) == 0:
		r.Kind, r.Data = people.DevelopmentScreening, people.RecordData{ScreeningAge: people.DSPMAges[rng.IntN(len(people.DSPMAges))],
			Domains: &people.Domains{GM: people.DSPMPass, FM: people.DSPMPass, RL: people.DSPMPass, EL: people.DSPMPass, PS: people.DSPMPass}}
	case age < 6 && rng.IntN(4) == 0:
		r.Kind, r.Data = people.WelfareGrant, people.RecordData{Grant: "newborn_support", AmountBaht: 600, Period: on.Format("2006-01")}
	case age < 6:
		r.Kind, r.Data = people.Vaccination, people.RecordData{Vaccine: people.EPIVaccines[rng.IntN(6)], Dose: 1 + rng.IntN(3)}
	case age < 18 && rng.IntN(3) == 0:
		r.Kind, r.Data = people.SchoolEnrolment, people.RecordData{Grade: people.Grades[min(max(age-3, 0), len(people.Grades)-1)]}
	case age < 18:
		pct := 60 + rng.IntN(41)
		r.Kind, r.Data = people.Attendance, people.RecordData{AttendancePct: &pct, Period: on.Format("2006-01")}
	default:
		r.Kind, r.Data = people.Growth, people.RecordData{WeightKg: 45 + float64(rng.IntN(40)), HeightCm: 150 + float64(rng.IntN(35))}
	}
	info := people.Kinds[r.Kind]
	r.Dimension, r.Sensitivity = info.Dimension, info.Sensitivity
	return r
}

// syntheticAssessments are n assessments after from, levels drifting
// between them as families' situations change.
func syntheticAssessments(rng *rand.Rand, n int, from, today time.Time, subject func(*store.SyntheticAssessment)) []store.SyntheticAssessment {
	if limit := today.AddDate(0, -24, 0); from.Before(limit) {
		from = limit
	}
	span := max(int(today.Sub(from).Hours()/24), 1)
	levels := [4]string{}
	for d := range levels {
		levels[d] = pickLevel(rng)
	}
	out := make([]store.SyntheticAssessment, 0, n)
	for i := range n {
		a := store.SyntheticAssessment{On: from.AddDate(0, 0, span*i/n+rng.IntN(max(span/n, 1))).Format(time.DateOnly)}
		for d := range levels {
			if rng.IntN(3) == 0 {
				levels[d] = pickLevel(rng)
			}
		}
		a.Levels = levels
		subject(&a)
		out = append(out, a)
	}
	return out
}

func pickLevel(rng *rand.Rand) string {
	switch x := rng.IntN(100); {
	case x < 55:
		return "green"
	case x < 80:
		return "yellow"
	case x < 93:
		return "red"
	}
	return "unknown"
}
