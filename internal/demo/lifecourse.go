package demo

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"termtem/internal/audit"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// The life course of the demo households: pregnancies followed by the
// health centre, and the service records each demo agency would have made
// over the children's lives — vaccinations by the EPI schedule, growth
// measurements, DSPM screenings with some suspected delays and re-screens,
// child-care and school enrolments and attendance with a couple of
// drop-outs, newborn child-support grants and home visits — each in the
// name of the demo user of the organisation that made it.

// AuditLifeCourseLoaded records that Load stored the demo's pregnancies.
const AuditLifeCourseLoaded = "demo.life_course_loaded"

// Organisation codes and usernames the records are made by.
const (
	orgHealth    = "LKB-HC45"
	orgChildcare = "LKB-CDC-FNRK"
	orgPrimary   = "LKB-SCH-KRK" // kindergarten to lower secondary (ขยายโอกาส)
	orgSecondary = "LKB-SCH-SPR" // secondary
	orgWelfare   = "LKB-DSW"

	userNurse       = "demo.nurse"
	userVolunteer   = "demo.volunteer"
	userChildcare   = "demo.childcare"
	userTeacher     = "demo.teacher"
	userSocialWork  = "demo.socialworker"
	userNoneOnStaff = "" // the secondary school has no demo user: its records came from the school roster import
)

// lifeCourseSeed seeds the choices of the life course (not the people).
const lifeCourseSeed = Seed + 45

// recordOrgs are the organisations whose records mark an earlier run.
var recordOrgs = []string{orgHealth, orgChildcare, orgPrimary, orgSecondary, orgWelfare}

// loadPregnancies adds the demo pregnancies unless the demo communities
// already have some: three ongoing, due in the coming months, and one born
// a few weeks ago, whose child joins its mother's household and keeps the
// antenatal visits on its timeline.
func loadPregnancies(ctx context.Context, db *store.DB, communityIDs []string, users map[string]string, res *Result) error {
	existing, err := db.PregnanciesInCommunities(ctx, communityIDs)
	if err != nil {
		return err
	}
	if res.PregnanciesExisting = len(existing); len(existing) > 0 {
		return nil
	}
	ps, err := db.PeopleInCommunities(ctx, communityIDs)
	if err != nil {
		return err
	}
	today := dateOf(db.Now())
	var mothers []people.Person
	for _, p := range ps {
		age, ok := people.AgeInYears(p.BirthDate, today)
		if ok && p.Sex == people.Female && age >= 19 && age <= 38 && (p.Relation == people.RelHead || p.Relation == people.RelSpouse) {
			mothers = append(mothers, p)
		}
	}
	if len(mothers) < 4 {
		return fmt.Errorf("demo: only %d women who could be expecting", len(mothers))
	}
	rng := rand.New(rand.NewPCG(uint64(lifeCourseSeed), 1))
	rng.Shuffle(len(mothers), func(i, j int) { mothers[i], mothers[j] = mothers[j], mothers[i] })
	// The born child's mother is Thai, so that the child has an ID and the
	// newborn grant; a Thai mother is always among the shuffled ones.
	born := slices.IndexFunc(mothers, func(p people.Person) bool { return p.Nationality == people.Thai })
	if born < 0 {
		return fmt.Errorf("demo: no Thai mother for the demo birth")
	}
	mothers[0], mothers[born] = mothers[born], mothers[0]
	actor := audit.Event{ActorID: users[userNurse], RequestID: "demo-load", Detail: "demo"}

	// Due in about 6 weeks, 3½ months and 6 months.
	for i, days := range []int{45, 105, 185} {
		if _, err := db.CreatePregnancy(ctx, mothers[1+i].ID, today.AddDate(0, 0, days).Format(time.DateOnly), actor); err != nil {
			return fmt.Errorf("demo: pregnancy: %w", err)
		}
		res.PregnanciesCreated++
	}
	mother := mothers[0]
	pr, err := db.CreatePregnancy(ctx, mother.ID, today.AddDate(0, 0, -14).Format(time.DateOnly), actor)
	if err != nil {
		return fmt.Errorf("demo: pregnancy: %w", err)
	}
	res.PregnanciesCreated++
	g := NewGenerator(lifeCourseSeed, today)
	g.SerialBase = DemoSerialBase + 90_000
	child := people.Person{Title: TitleGirl, GivenName: "ขวัญข้าว", FamilyName: mother.FamilyName, Nickname: "ข้าวหอม",
		Sex: people.Female, BirthDate: today.AddDate(0, 0, -18).Format(time.DateOnly), Nationality: people.Thai,
		Relation: people.RelChild, NationalID: g.nationalID('1', districtLatKrabang)}
	if mother.Relation != people.RelHead && mother.Relation != people.RelSpouse {
		child.Relation = people.RelGrandchild
	}
	if _, err := db.RecordBirth(ctx, pr.ID, child, actor); err != nil {
		return fmt.Errorf("demo: birth: %w", err)
	}
	res.BirthsCreated++
	return db.AuditAlone(ctx, audit.Event{Action: AuditLifeCourseLoaded, RequestID: "demo-load",
		Detail: fmt.Sprintf("pregnancies=%d births=%d", res.PregnanciesCreated, res.BirthsCreated)})
}

// loadRecords adds the demo agencies' service records unless they have
// made some already.
func loadRecords(ctx context.Context, db *store.DB, communityIDs []string, orgs map[string]organisations.Organisation,
	users map[string]string, res *Result) error {
	counts, err := db.CountRecordsByOrganisation(ctx)
	if err != nil {
		return err
	}
	for _, code := range recordOrgs {
		res.RecordsExisting += counts[orgs[code].ID]
	}
	if res.RecordsExisting > 0 {
		return nil
	}
	ps, err := db.PeopleInCommunities(ctx, communityIDs)
	if err != nil {
		return err
	}
	prs, err := db.PregnanciesInCommunities(ctx, communityIDs)
	if err != nil {
		return err
	}
	placeOf := map[string]int{} // community ID → index in communities
	for i, id := range communityIDs {
		placeOf[id] = i
	}
	lc := &lifeCourse{rng: rand.New(rand.NewPCG(uint64(lifeCourseSeed), 2)), today: dateOf(db.Now()), orgs: orgs, users: users}
	lc.pregnancies(prs, ps)
	byHousehold := map[string][]people.Person{}
	var households []string
	for _, p := range ps {
		if _, ok := byHousehold[p.HouseholdID]; !ok {
			households = append(households, p.HouseholdID)
		}
		byHousehold[p.HouseholdID] = append(byHousehold[p.HouseholdID], p)
	}
	dropOuts := 0
	for _, h := range households {
		members := byHousehold[h]
		// Skipped-generation and migrant households are visited first.
		visit := lc.chance(20)
		for _, p := range members {
			if p.Nationality != people.Thai || p.Relation == people.RelGrandchild {
				visit = visit || lc.chance(30)
			}
		}
		for _, p := range members {
			birth, ok := effectiveBirth(p.BirthDate)
			if !ok {
				continue
			}
			age := monthsBetween(birth, lc.today)
			lc.conditions(p, birth, age)
			if age >= 18*12 {
				continue
			}
			lc.health(p, birth, age)
			inRomKlao := placeOf[p.CommunityID] < 4 // the first four communities are around Rom Klao
			dropOut := dropOuts < 2 && age >= 13*12 && p.Nationality == people.Thai && lc.chance(40)
			if lc.education(p, birth, inRomKlao, dropOut) {
				dropOuts++
			}
			lc.welfare(p, birth, age, visit)
		}
	}
	slices.SortStableFunc(lc.recs, func(a, b people.Record) int { return cmp.Compare(a.OccurredOn, b.OccurredOn) })
	stored, err := db.InsertRecords(ctx, lc.recs, audit.Event{ActorID: users[userNurse], RequestID: "demo-load", Detail: "demo"})
	if err != nil {
		return fmt.Errorf("demo: service records: %w", err)
	}
	res.RecordsCreated = len(stored)
	res.RecordsByOrganisation = map[string]int{}
	for _, r := range stored {
		for code, o := range orgs {
			if o.ID == r.OrganisationID {
				res.RecordsByOrganisation[code]++
			}
		}
	}
	return nil
}

// lifeCourse gathers the records of one run.
type lifeCourse struct {
	rng   *rand.Rand
	today time.Time
	orgs  map[string]organisations.Organisation
	users map[string]string // username → user ID
	recs  []people.Record
}

func (lc *lifeCourse) chance(percent int) bool { return lc.rng.IntN(100) < percent }

// add keeps a record dated on, unless on is still to come.
func (lc *lifeCourse) add(p people.Person, pregnancyID string, kind people.RecordKind, on time.Time, org, user string, d people.RecordData) {
	if on.After(lc.today) {
		return
	}
	lc.recs = append(lc.recs, people.Record{PersonID: p.ID, PregnancyID: pregnancyID, Kind: kind, OccurredOn: on.Format(time.DateOnly),
		OrganisationID: lc.orgs[org].ID, AuthorID: lc.users[user], Data: d})
}

// pregnancies adds antenatal visits (first before 12 weeks, then at about
// 18, 26, 32, 36 and 38 weeks) to every demo pregnancy.
func (lc *lifeCourse) pregnancies(prs []people.Pregnancy, ps []people.Person) {
	for _, pr := range prs {
		due, err := time.Parse(time.DateOnly, pr.ExpectedDate)
		if err != nil {
			continue
		}
		conceived := due.AddDate(0, 0, -40*7)
		weight := 48 + lc.rng.Float64()*14
		for _, weeks := range []int{9 + lc.rng.IntN(4), 18, 26, 32, 36, 38} {
			on := conceived.AddDate(0, 0, weeks*7+lc.rng.IntN(5))
			if pr.Status == people.Born && on.After(due.AddDate(0, 0, -4)) {
				break
			}
			lc.add(people.Person{}, pr.ID, people.AntenatalVisit, on, orgHealth, userNurse, people.RecordData{
				GestationalWeeks: weeks, WeightKg: round1(weight + float64(weeks)*0.3)})
		}
	}
}

// epi is the Thai Expanded Programme on Immunization schedule by age in
// months (from 11 years, the school vaccinations of grades 5 and 6).
var epi = []struct {
	months  int
	vaccine string
	dose    int
	girls   bool
}{
	{0, "BCG", 1, false}, {0, "HBV", 1, false},
	{2, "DTP-HB-Hib", 1, false}, {2, "OPV", 1, false}, {2, "ROTA", 1, false},
	{4, "DTP-HB-Hib", 2, false}, {4, "OPV", 2, false}, {4, "IPV", 1, false}, {4, "ROTA", 2, false},
	{6, "DTP-HB-Hib", 3, false}, {6, "OPV", 3, false},
	{9, "MMR", 1, false}, {12, "JE", 1, false},
	{18, "DTP", 4, false}, {18, "OPV", 4, false}, {18, "MMR", 2, false},
	{30, "JE", 2, false}, {48, "DTP", 5, false}, {48, "OPV", 5, false},
	{11 * 12, "HPV", 1, true}, {12 * 12, "dT", 1, false},
}

// WHO growth-standard medians by age in months (boys; girls a little
// less): weight kg, length or height cm, head circumference cm (to 2 years).
var growthMedians = []struct {
	months               int
	weight, height, head float64
}{
	{0, 3.3, 49.9, 34.5}, {1, 4.5, 54.7, 37.3}, {2, 5.6, 58.4, 39.1}, {4, 7.0, 63.9, 41.6}, {6, 7.9, 67.6, 43.3},
	{9, 8.9, 72.0, 45.0}, {12, 9.6, 75.7, 46.1}, {18, 10.9, 82.3, 47.4}, {24, 12.2, 87.8, 48.3}, {36, 14.3, 96.1, 0},
	{48, 16.3, 103.3, 0}, {60, 18.3, 110.0, 0}, {72, 20.5, 116.0, 0}, {96, 25.4, 127.3, 0}, {120, 31.2, 137.8, 0},
	{144, 39.0, 149.1, 0}, {168, 50.0, 163.2, 0}, {216, 60.0, 172.0, 0},
}

// wellChildVisits are the ages in months of the growth checks at the health
// centre, alongside vaccinations and screenings.
var wellChildVisits = []int{1, 2, 4, 6, 9, 12, 18, 24, 30, 36, 42, 48, 60}

// health adds a child's birth, vaccinations, growth checks and DSPM
// screenings from the health centre. Migrant and undocumented children miss
// more of them, as they do.
func (lc *lifeCourse) health(p people.Person, birth time.Time, age int) {
	coverage := 95
	if p.Nationality != people.Thai {
		coverage = 65
	}
	if age < 6*12 && len(p.BirthDate) == 10 && lc.chance(coverage) {
		weight, weeks := 2600+lc.rng.IntN(1200), 37+lc.rng.IntN(5)
		if lc.chance(10) { // low birth weight, often preterm
			weight, weeks = 1900+lc.rng.IntN(600), 33+lc.rng.IntN(4)
		}
		lc.add(p, "", people.Birth, birth, orgHealth, userNurse, people.RecordData{BirthWeightGrams: weight, GestationalWeeks: weeks})
	}
	for _, v := range epi {
		atBirth := v.months == 0 && p.Nationality == people.Thai // given in the maternity ward
		if (v.girls && p.Sex != people.Female) || (!atBirth && !lc.chance(coverage)) {
			continue
		}
		late := lc.rng.IntN(14)
		switch {
		case atBirth:
			late = lc.rng.IntN(2)
		case p.Nationality != people.Thai:
			late = lc.rng.IntN(45)
		}
		lc.add(p, "", people.Vaccination, birth.AddDate(0, v.months, late), orgHealth, userNurse, people.RecordData{Vaccine: v.vaccine, Dose: v.dose})
	}
	// Growth: a child's own curve, a few well below the median.
	size := 0.92 + lc.rng.Float64()*0.16
	if lc.chance(8) {
		size = 0.8
	}
	tall := 0.97 + lc.rng.Float64()*0.06
	if p.Sex == people.Female {
		size, tall = size*0.95, tall*0.985
	}
	measure := func(months int, user string) {
		on := birth.AddDate(0, months, lc.rng.IntN(10))
		w, h, hc := growthAt(months)
		d := people.RecordData{WeightKg: round1(w * size), HeightCm: round1(h * tall)}
		if hc > 0 {
			d.HeadCm = round1(hc * tall)
		}
		lc.add(p, "", people.Growth, on, orgHealth, user, d)
	}
	for _, m := range wellChildVisits {
		if m <= age && age-m < 6*12 && lc.chance(coverage) {
			user := userNurse
			if m >= 24 && lc.chance(30) { // weighed at home by the community volunteer
				user = userVolunteer
			}
			measure(m, user)
		}
	}
	if age >= 6*12 { // school health checks, once a year in June
		for y := 1; y <= 2; y++ {
			m := age - (age % 12) - 12*(y-1)
			if m >= 6*12 && lc.chance(coverage) {
				measure(m, userNurse)
			}
		}
	}
	// DSPM screenings at 9, 18, 30, 42 and 60 months, for children screened
	// in the last six years.
	for _, m := range people.DSPMAges {
		if m > age || age-m > 6*12 || !lc.chance(coverage) {
			continue
		}
		on := birth.AddDate(0, m, lc.rng.IntN(14))
		d := people.Domains{GM: people.DSPMPass, FM: people.DSPMPass, RL: people.DSPMPass, EL: people.DSPMPass, PS: people.DSPMPass}
		suspected := lc.chance(18)
		if suspected {
			*pickDomain(&d, lc.rng) = people.DSPMSuspected
			if lc.chance(25) {
				*pickDomain(&d, lc.rng) = people.DSPMSuspected
			}
		}
		lc.add(p, "", people.DevelopmentScreening, on, orgHealth, userNurse, people.RecordData{ScreeningAge: m, Domains: &d})
		if suspected { // re-screened after a month of stimulation at home
			re := d
			note := "ตรวจซ้ำหลังกระตุ้นพัฒนาการที่บ้าน 1 เดือน: ผ่าน"
			for _, v := range []*string{&re.GM, &re.FM, &re.RL, &re.EL, &re.PS} {
				if *v == people.DSPMSuspected {
					*v = people.DSPMPass
					if lc.chance(25) {
						*v, note = people.DSPMDelayed, "ตรวจซ้ำ: ยังล่าช้า ส่งต่อคลินิกพัฒนาการเด็ก โรงพยาบาลลาดกระบังกรุงเทพมหานคร"
					}
				}
			}
			lc.add(p, "", people.DevelopmentScreening, on.AddDate(0, 0, 30+lc.rng.IntN(7)), orgHealth, userNurse,
				people.RecordData{ScreeningAge: m, Domains: &re, Note: note})
		}
	}
}

func pickDomain(d *people.Domains, rng *rand.Rand) *string {
	// Expressive language is the domain most often behind, then fine motor.
	switch r := rng.IntN(10); {
	case r < 4:
		return &d.EL
	case r < 6:
		return &d.FM
	case r < 8:
		return &d.RL
	case r < 9:
		return &d.GM
	}
	return &d.PS
}

// growthAt interpolates the medians at an age in months.
func growthAt(months int) (weight, height, head float64) {
	for i := 1; i < len(growthMedians); i++ {
		a, b := growthMedians[i-1], growthMedians[i]
		if months <= b.months {
			f := float64(months-a.months) / float64(b.months-a.months)
			head = 0
			if b.head > 0 {
				head = a.head + f*(b.head-a.head)
			}
			return a.weight + f*(b.weight-a.weight), a.height + f*(b.height-a.height), head
		}
	}
	last := growthMedians[len(growthMedians)-1]
	return last.weight, last.height, 0
}

// Chronic conditions and disabilities are sensitive health records.
var childConditions = []struct{ condition, note string }{
	{"chronic_illness", "โรคหอบหืด ใช้ยาพ่นเมื่อมีอาการ"},
	{"chronic_illness", "ธาลัสซีเมีย ติดตามค่าเลือดทุก 3 เดือน"},
	{"disability", "ออทิซึม ได้รับการกระตุ้นพัฒนาการ"},
	{"disability", "บกพร่องทางการได้ยิน ใช้เครื่องช่วยฟัง"},
	{"disability", "สมองพิการ (ซีพี) ทำกายภาพบำบัดที่โรงพยาบาล"},
}

var adultConditions = []struct{ condition, note string }{
	{"chronic_illness", "เบาหวาน ควบคุมด้วยยา"},
	{"chronic_illness", "ความดันโลหิตสูง"},
	{"mental_health", "ภาวะซึมเศร้า ติดตามโดยพยาบาลจิตเวชชุมชน"},
	{"disability", "พิการทางการเคลื่อนไหว ใช้รถเข็น"},
}

// conditions adds the health centre's condition records: about one child
// in twenty and one adult in ten.
func (lc *lifeCourse) conditions(p people.Person, birth time.Time, age int) {
	list, percent := childConditions, 5
	if age >= 18*12 {
		list, percent = adultConditions, 10
	}
	if age < 12 || !lc.chance(percent) {
		return
	}
	c := list[lc.rng.IntN(len(list))]
	managed := lc.chance(75)
	on := lc.today.AddDate(0, -1-lc.rng.IntN(min(age-6, 36)), 0) // diagnosed at six months or later
	lc.add(p, "", people.Condition, on, orgHealth, userNurse, people.RecordData{Condition: c.condition, Managed: &managed, Note: c.note})
	if c.condition == "disability" && age < 18*12 {
		lc.add(p, "", people.WelfareGrant, lc.monthStart(1).AddDate(0, 0, 9), orgWelfare, userSocialWork,
			people.RecordData{Grant: "disability_allowance", AmountBaht: 1000, Period: lc.monthStart(1).Format("2006-01")})
	}
}

// academicStart is the first day of the school year that includes on: 16 May.
func academicStart(on time.Time) time.Time {
	y := on.Year()
	start := time.Date(y, time.May, 16, 0, 0, 0, 0, time.UTC)
	if on.Before(start) {
		start = start.AddDate(-1, 0, 0)
	}
	return start
}

// monthStart is the first day of the month back months ago.
func (lc *lifeCourse) monthStart(back int) time.Time {
	return time.Date(lc.today.Year(), lc.today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -back, 0)
}

// schoolMonths are the last three complete months of term (not April,
// October nor the first half of May).
func (lc *lifeCourse) schoolMonths() []time.Time {
	var out []time.Time
	for back := 1; len(out) < 3; back++ {
		m := lc.monthStart(back)
		if m.Month() != time.April && m.Month() != time.October && m.Month() != time.May {
			out = append(out, m)
		}
	}
	slices.Reverse(out)
	return out
}

// education adds child-care and school enrolments and attendance for the
// current and the previous school year, and a drop-out when dropOut (a
// teenager who stops coming). It reports whether the child dropped out.
func (lc *lifeCourse) education(p people.Person, birth time.Time, inRomKlao, dropOut bool) bool {
	start := academicStart(lc.today)
	behind := 0
	if lc.chance(8) || (p.Nationality != people.Thai && lc.chance(25)) {
		behind = 1
	}
	outOfSchool := p.Nationality == people.StatusUndocumented && lc.chance(25)
	type place struct{ org, user string }
	var where [2]place // last school year's and this one's
	for i, year := range []time.Time{start.AddDate(-1, 0, 0), start} {
		age := AgeOn(birth, year)
		switch {
		case outOfSchool || age < 2:
			continue
		case age <= 3 && inRomKlao && (age == 2 || lc.chance(60)): // the community child-care centre takes 2- and 3-year-olds
			where[i] = place{orgChildcare, userChildcare}
			lc.add(p, "", people.ChildcareEnrolment, year, orgChildcare, userChildcare, people.RecordData{})
		case age >= 3:
			grade := age - 3 - behind
			if grade < 0 || grade >= len(people.Grades) || (age >= 15 && p.Nationality != people.Thai && lc.chance(40)) {
				continue
			}
			g := people.Grades[grade]
			switch {
			case strings.HasPrefix(g, "m") && (grade >= 12 || !inRomKlao || lc.chance(50)):
				where[i] = place{orgSecondary, userNoneOnStaff}
			case inRomKlao:
				where[i] = place{orgPrimary, userTeacher}
			default: // a school outside the demo
				continue
			}
			note := ""
			if where[i].user == userNoneOnStaff {
				note = "นำเข้าจากทะเบียนนักเรียน (DMC)"
			}
			lc.add(p, "", people.SchoolEnrolment, year, where[i].org, where[i].user, people.RecordData{Grade: g, Note: note})
		}
	}
	if where[1].org == "" {
		return false
	}
	usual := 88 + lc.rng.IntN(12)
	if lc.chance(10) {
		usual = 60 + lc.rng.IntN(20) // often absent: a reason for a home visit
	}
	for i, m := range lc.schoolMonths() {
		at := where[1]
		if m.Before(start) {
			at = where[0]
		}
		if at.org == "" {
			continue
		}
		pct := min(usual+lc.rng.IntN(7)-3, 100)
		if dropOut {
			pct = []int{72, 48, 15}[i]
		}
		lc.add(p, "", people.Attendance, m.AddDate(0, 1, -1), at.org, at.user, people.RecordData{AttendancePct: &pct, Period: m.Format("2006-01")})
	}
	if dropOut && where[1].org != orgChildcare {
		reason := "ออกไปทำงานช่วยครอบครัว"
		if lc.chance(50) {
			reason = "ย้ายตามผู้ปกครองไปต่างจังหวัด"
		}
		lc.add(p, "", people.DropOut, lc.today.AddDate(0, 0, -5-lc.rng.IntN(10)), where[1].org, where[1].user, people.RecordData{Reason: reason})
		return true
	}
	return false
}

var homeVisitNotes = []string{
	"เยี่ยมบ้าน: ยายเลี้ยงหลานตามลำพัง รายได้จากการรับจ้างรายวันไม่แน่นอน แนะนำการลงทะเบียนเงินอุดหนุน",
	"เยี่ยมบ้าน: บ้านเช่าห้องเดียว สมาชิก 5 คน เด็กไม่ได้ไปโรงเรียนสม่ำเสมอ ประสานครูประจำชั้น",
	"เยี่ยมบ้าน: ผู้ปกครองเป็นแรงงานข้ามชาติ เด็กยังไม่มีเอกสาร แนะนำการขอรหัส G และสิทธิการศึกษา",
	"เยี่ยมบ้าน: ติดตามหลังได้รับแจ้งว่าเด็กถูกทิ้งให้อยู่บ้านตามลำพังช่วงกลางคืน พูดคุยกับผู้ปกครองและวางแผนร่วมกัน",
	"เยี่ยมบ้าน: ครอบครัวมีหนี้นอกระบบ แม่มีภาวะเครียด ส่งต่อพยาบาลจิตเวชชุมชน",
}

// welfare adds the district's newborn child-support grant (Thai children
// under six, most families eligible by income) and home visits.
func (lc *lifeCourse) welfare(p people.Person, birth time.Time, age int, visit bool) {
	if age < 6*12 && p.Nationality == people.Thai && p.NationalID != "" && lc.chance(75) {
		for back := 3; back >= 1; back-- {
			m := lc.monthStart(back)
			if m.Before(birth) {
				continue // paid from the month after birth
			}
			lc.add(p, "", people.WelfareGrant, m.AddDate(0, 0, 9), orgWelfare, userSocialWork,
				people.RecordData{Grant: "newborn_support", AmountBaht: 600, Period: m.Format("2006-01")})
		}
	}
	if visit {
		for range 1 + lc.rng.IntN(2) {
			on := lc.today.AddDate(0, 0, -3-lc.rng.IntN(170))
			if on.Before(birth) {
				on = birth.AddDate(0, 0, lc.rng.IntN(max(1, int(lc.today.Sub(birth).Hours()/24))))
			}
			lc.add(p, "", people.HomeVisit, on, orgWelfare, userSocialWork,
				people.RecordData{Note: homeVisitNotes[lc.rng.IntN(len(homeVisitNotes))]})
		}
	}
}

// effectiveBirth reads a birth date as the record rules do: a year-only
// date is 1 July, a year and month the 15th.
func effectiveBirth(date string) (time.Time, bool) {
	d, err := thai.ParseDate(date)
	if err != nil || date == "" {
		return time.Time{}, false
	}
	month, day := d.Month, d.Day
	if month == 0 {
		month, day = 7, 1
	} else if day == 0 {
		day = 15
	}
	return time.Date(d.Year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
}

// monthsBetween is the completed months from a to b.
func monthsBetween(a, b time.Time) int {
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return m
}

// dateOf is t's calendar date in Bangkok, as a UTC midnight.
func dateOf(t time.Time) time.Time {
	t = t.In(thai.Bangkok())
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func round1(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 1, 64), 64)
	return v
}
