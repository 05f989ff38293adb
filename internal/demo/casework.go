package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/organisations"
	"termtem/internal/places"
	"termtem/internal/store"
)

// The casework of a benchmark population: in every district a health
// centre, a child-care centre, a school and the district's social welfare
// unit, each with one synthetic worker; cases for a few per cent of the
// children of vulnerable households, with plans; referrals between the
// district's units with a plausible spread of outcomes and times; alerts
// from red assessments; hand-offs when a child moves to the next stage.
//
// The rates (documented in docs/benchmarks.md) are set by counters, not
// by chance, so that every kind of case, referral, alert and hand-off
// appears at any seed once there are a few dozen vulnerable children; the
// seed moves the dates and which child gets what.

// districtAgencies are one district's synthetic units and their workers.
type districtAgencies struct {
	health, childcare, school, welfare          string // organisation IDs
	healthStaff, childStaff, teacher, welfStaff string // user IDs
}

// syntheticAgencyKinds are the units made in each district.
var syntheticAgencyKinds = []struct {
	suffix string
	kind   organisations.Kind
	role   string
	th, en string
}{
	{"HC", organisations.HealthCentre, account.RoleHealthStaff, "ศูนย์บริการสาธารณสุขสมมุติ", "synthetic health centre"},
	{"CC", organisations.ChildcareCentre, account.RoleChildcareTeacher, "ศูนย์พัฒนาเด็กเล็กสมมุติ", "synthetic child-care centre"},
	{"SC", organisations.School, account.RoleSchoolTeacher, "โรงเรียนสมมุติ", "synthetic school"},
	{"SW", organisations.DistrictSocialWelfare, account.RoleCaseManager, "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคมสมมุติ", "synthetic social welfare unit"},
}

// syntheticAgencies finds or creates the units of every district, and maps
// each community to its district's units.
func syntheticAgencies(ctx context.Context, db *store.DB) (map[string]*districtAgencies, error) {
	districts, err := db.ListPlaces(ctx, store.PlaceFilter{Kind: places.District})
	if err != nil {
		return nil, err
	}
	subs, err := db.ListPlaces(ctx, store.PlaceFilter{Kind: places.Subdistrict})
	if err != nil {
		return nil, err
	}
	communities, err := db.ListPlaces(ctx, store.PlaceFilter{Kind: places.Community})
	if err != nil {
		return nil, err
	}
	actor := audit.Event{RequestID: "demo-activity", Detail: "synthetic"}
	byDistrict := map[string]*districtAgencies{}
	for _, d := range districts {
		ag := &districtAgencies{}
		orgs := []*string{&ag.health, &ag.childcare, &ag.school, &ag.welfare}
		staff := []*string{&ag.healthStaff, &ag.childStaff, &ag.teacher, &ag.welfStaff}
		for i, k := range syntheticAgencyKinds {
			code := fmt.Sprintf("BENCH-%s-%s", d.Code, k.suffix)
			o, err := db.GetOrganisationByCode(ctx, code)
			if errs.Is(err, errs.NotFound) {
				o, err = db.SaveOrganisation(ctx, organisations.Organisation{Code: code, Kind: k.kind, PlaceID: d.ID, Active: true,
					NameTH: fmt.Sprintf("%s %s", k.th, d.NameTH), NameEN: fmt.Sprintf("%s %s%s", d.NameEN, k.en, syntheticMarker)}, actor)
			}
			if err != nil {
				return nil, fmt.Errorf("demo: unit %s: %w", code, err)
			}
			username := fmt.Sprintf("bench.%s.%s", d.Code, k.suffix)
			u, err := db.GetUserByUsername(ctx, account.NormalizeUsername(username))
			if errs.Is(err, errs.NotFound) {
				// A worker who cannot log in: the hash matches no password.
				u, err = db.SaveUser(ctx, account.User{Username: username, DisplayName: fmt.Sprintf("เจ้าหน้าที่สมมุติ %s %s", d.NameTH, k.suffix),
					Kind: account.StaffAccount, Lang: "th", PasswordHash: "!synthetic-no-login",
					Memberships: []account.Membership{{OrganisationID: o.ID, RoleCode: k.role}}}, actor)
			}
			if err != nil {
				return nil, fmt.Errorf("demo: worker %s: %w", username, err)
			}
			*orgs[i], *staff[i] = o.ID, u.ID
		}
		byDistrict[d.ID] = ag
	}
	districtOfSub := map[string]string{}
	for _, s := range subs {
		districtOfSub[s.ID] = s.ParentID
	}
	out := map[string]*districtAgencies{}
	for _, c := range communities {
		if ag := byDistrict[districtOfSub[c.ParentID]]; ag != nil {
			out[c.ID] = ag
		}
	}
	return out, nil
}

// caseworkRates are the shares of the casework, as one in N.
const (
	childCaseEvery     = 16 // of the children of vulnerable households (about 6 %)
	householdCaseEvery = 60 // of vulnerable households
	referralEvery      = 50 // of other children of vulnerable households, a referral without a case
	alertEvery         = 3  // of the children red in their latest assessment
	handoffEvery       = 2  // of the children of vulnerable households at a stage's first year
)

// Decks: an item is taken in turn (the deck order is fixed), so the spread
// is exact at any seed.
var (
	caseStatusDeck = []cases.Status{cases.Active, cases.Closed, cases.Open, cases.Active, cases.Monitoring, cases.Active,
		cases.Closed, cases.Active, cases.Monitoring, cases.Open, cases.Active, cases.Closed}
	riskDeck     = []cases.Risk{cases.RiskMedium, cases.RiskHigh, cases.RiskLow, cases.RiskMedium, cases.RiskCritical, cases.RiskHigh, cases.RiskMedium}
	originDeck   = []cases.Origin{cases.FromAlert, cases.FromWorker, cases.FromReferral, cases.FromAlert, cases.FromReport, cases.FromWorker}
	legalDeck    = []string{"s32_3", "", "s32_7", "", "s40_1", "", "s32_5", "", "", "s33_1"} // "": not classified
	urgencyDeck  = []cases.Urgency{cases.Routine, cases.High, cases.Routine, cases.Urgent, cases.Routine, cases.High}
	referralDeck = []string{"completed", "completed", "in_progress", "completed", "declined", "accepted", "completed",
		"completed", "revoked", "in_progress", "completed", "sent", "declined", "completed"}
	stepDeck  = []string{"done", "in_progress", "done", "planned", "done", "blocked", "in_progress", "done"}
	alertDeck = []string{"resolved", "acknowledged", "resolved", "open", "resolved", "acknowledged"}
)

// casework makes a page's cases, referrals, alerts and hand-offs.
type casework struct {
	rng   *rand.Rand
	today time.Time
	n     map[string]int // counters by what is dealt
	page  store.SyntheticActivity
}

// deal returns the next index of a deck of n items for what.
func (w *casework) deal(what string, n int) int {
	i := w.n[what] % n
	w.n[what]++
	return i
}

// every says whether this is the n-th of what.
func (w *casework) every(what string, n int) bool {
	w.n[what]++
	return w.n[what]%n == 0
}

// ago is a moment within the last days, at a working hour, never after
// today's moment (generated at 03:00, today's 13:04 is yesterday's).
func (w *casework) ago(days int) time.Time {
	d := w.today.AddDate(0, 0, -w.rng.IntN(max(days, 1)))
	t := time.Date(d.Year(), d.Month(), d.Day(), 8+w.rng.IntN(9), w.rng.IntN(60), 0, 0, time.UTC)
	if t.After(w.today) {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// hours is a log-normal delay with the given median, as waits are.
func (w *casework) hours(median float64) time.Duration {
	return time.Duration(median * math.Exp(0.8*w.rng.NormFloat64()) * float64(time.Hour))
}

var dimensionNames = [4]string{"economy", "safety", "education", "health"}

// child adds the casework of a child of a vulnerable household (or red
// themselves): levels are the child's latest, age in years.
func (w *casework) child(personID string, age int, levels [4]string, ag *districtAgencies) {
	red := -1
	for d, l := range levels {
		if l == "red" {
			red = d
			break
		}
	}
	if red >= 0 && w.every("alert", alertEvery) {
		w.alert(personID, "", dimensionNames[red], ag)
	}
	switch {
	case w.every("child-case", childCaseEvery):
		c := w.newCase(ag, levels)
		c.PersonID = personID
		w.page.Cases = append(w.page.Cases, c)
		for range 1 + w.rng.IntN(3) {
			w.referral(personID, &c, ag)
		}
	case w.every("referral", referralEvery):
		w.referral(personID, nil, ag)
	}
	// A stage's first year: child-care centre at 3, school at 6, lower
	// secondary at 12.
	if (age == 3 || age == 6 || age == 12) && w.every("handoff", handoffEvery) {
		w.handoff(personID, age, ag)
	}
}

// household adds a vulnerable household's casework.
func (w *casework) household(householdID string, levels [4]string, ag *districtAgencies) {
	if w.every("household-alert", alertEvery*2) {
		for d, l := range levels {
			if l == "red" {
				w.alert("", householdID, dimensionNames[d], ag)
				break
			}
		}
	}
	if w.every("household-case", householdCaseEvery) {
		c := w.newCase(ag, levels)
		c.HouseholdID = householdID
		w.page.Cases = append(w.page.Cases, c)
	}
}

func (w *casework) newCase(ag *districtAgencies, levels [4]string) store.SyntheticCase {
	c := store.SyntheticCase{ID: store.NewID(), Status: string(caseStatusDeck[w.deal("case-status", len(caseStatusDeck))]),
		Risk: string(riskDeck[w.deal("risk", len(riskDeck))]), Origin: string(originDeck[w.deal("origin", len(originDeck))]),
		OrganisationID: ag.welfare, ManagerID: ag.welfStaff, OpenedAt: w.ago(700)}
	if c.Status == string(cases.Closed) {
		c.ClosedAt = c.OpenedAt.Add(time.Hour + w.hours(24*120))
		if c.ClosedAt.After(w.today) {
			c.ClosedAt = w.today
		}
	}
	if code := legalDeck[w.deal("legal", len(legalDeck))]; code != "" {
		c.LegalCode, c.LegalKind = code, string(legalKindOf(code))
	}
	if c.Status == string(cases.Open) {
		return c // the team is forming: no plan yet
	}
	units := []string{ag.health, ag.childcare, ag.school, ag.welfare}
	for d, l := range levels {
		if l != "red" && l != "yellow" {
			continue
		}
		target := c.OpenedAt.AddDate(0, 6, 0).Format(time.DateOnly)
		c.Goals = append(c.Goals, store.SyntheticGoal{Dimension: dimensionNames[d], From: l, Target: "green", TargetDate: target})
	}
	for k := range 2 + w.rng.IntN(4) {
		s := store.SyntheticStep{What: fmt.Sprintf("ขั้นตอนสมมุติที่ %d ของแผนดูแลร่วม", k+1), OrganisationID: units[w.rng.IntN(len(units))],
			DueOn: c.OpenedAt.AddDate(0, 0, 14+30*k+w.rng.IntN(20)).Format(time.DateOnly), Status: stepDeck[w.deal("step", len(stepDeck))]}
		if c.Status == string(cases.Closed) || c.Status == string(cases.Monitoring) {
			s.Status = "done" // a plan is done before monitoring
		}
		if s.Status == "done" {
			s.DoneAt = c.OpenedAt.AddDate(0, 0, 10+30*k+w.rng.IntN(20))
			if s.DoneAt.After(w.today) {
				s.DoneAt = w.today
			}
		}
		c.Steps = append(c.Steps, s)
	}
	return c
}

func legalKindOf(code string) cases.LegalKind {
	for _, l := range cases.LegalCodes {
		if l.Code == code {
			return l.Kind
		}
	}
	return ""
}

// referral sends a child from one unit of the district to another (from
// the case's manager when there is a case), and plays out its loop.
func (w *casework) referral(personID string, c *store.SyntheticCase, ag *districtAgencies) {
	type unit struct{ org, user string }
	units := []unit{{ag.health, ag.healthStaff}, {ag.childcare, ag.childStaff}, {ag.school, ag.teacher}, {ag.welfare, ag.welfStaff}}
	from := units[w.rng.IntN(len(units))]
	created := w.ago(700)
	r := store.SyntheticReferral{PersonID: personID, Urgency: string(urgencyDeck[w.deal("urgency", len(urgencyDeck))]),
		Service: string(cases.Services[w.rng.IntN(len(cases.Services)-1)]), BasisKind: "legal_duty",
		BasisReference: "พ.ร.บ.คุ้มครองเด็ก พ.ศ. 2546 (ข้อมูลสังเคราะห์)", Status: referralDeck[w.deal("referral-status", len(referralDeck))]}
	if c != nil {
		from = unit{c.OrganisationID, c.ManagerID}
		r.CaseID = c.ID
		created = c.OpenedAt.Add(w.hours(72))
	}
	to := units[w.rng.IntN(len(units))]
	for to.org == from.org {
		to = units[w.rng.IntN(len(units))]
	}
	if created.After(w.today) {
		created = w.today.Add(-time.Hour)
	}
	r.FromOrg, r.FromUser, r.ToOrg, r.AcceptedBy, r.CreatedAt = from.org, from.user, to.org, to.user, created
	r.Reason = fmt.Sprintf("ส่งต่อเพื่อรับบริการ (%s) — ข้อมูลสังเคราะห์", r.Service)
	accept, complete := cases.Deadlines(cases.Urgency(r.Urgency))
	r.AcceptDue, r.CompleteDue = created.Add(accept), created.Add(complete)
	// Units accept within about half their deadline, with a long tail;
	// the work takes about a third of its time.
	if r.Status != "sent" && r.Status != "declined" && r.Status != "revoked" {
		r.AcceptedAt = created.Add(w.hours(accept.Hours() / 2))
	}
	switch r.Status {
	case "completed":
		r.ClosedAt = r.AcceptedAt.Add(w.hours(complete.Hours() / 3))
		r.Outcome = "ให้บริการครบตามที่ส่งต่อ (ข้อมูลสังเคราะห์)"
	case "declined":
		r.ClosedAt = created.Add(w.hours(accept.Hours() / 2))
		r.StatusNote = "ไม่อยู่ในเกณฑ์ของบริการ (ข้อมูลสังเคราะห์)"
	case "revoked":
		r.ClosedAt = created.Add(w.hours(48))
		r.StatusNote = "ครอบครัวย้ายออกนอกพื้นที่ (ข้อมูลสังเคราะห์)"
	}
	// Nothing happens in the future: a referral made lately is still
	// waiting for whatever has not had time to happen.
	if r.ClosedAt.After(w.today) {
		r.ClosedAt, r.Outcome, r.StatusNote = time.Time{}, "", ""
		r.Status = "in_progress"
		if r.AcceptedAt.IsZero() {
			r.Status = "sent"
		}
	}
	if r.AcceptedAt.After(w.today) {
		r.AcceptedAt, r.Status = time.Time{}, "sent"
	}
	w.page.Referrals = append(w.page.Referrals, r)
}

// alert is raised by a red assessment at the district's health centre.
func (w *casework) alert(personID, householdID, dimension string, ag *districtAgencies) {
	a := store.SyntheticAlert{Key: "check:" + dimension, Severity: "review", Subject: "child", Dimension: dimension,
		PersonID: personID, HouseholdID: householdID, OrganisationID: ag.health, Status: alertDeck[w.deal("alert-status", len(alertDeck))],
		OpenedAt: w.ago(365), By: ag.healthStaff}
	if householdID != "" {
		a.Subject = "household"
	}
	if w.every("urgent", 8) {
		a.Key, a.Severity = "urgent:"+dimension, "urgent"
	}
	due := 7 * 24 * time.Hour
	if a.Severity == "urgent" {
		due = 24 * time.Hour
	}
	a.DueAt = a.OpenedAt.Add(due)
	if a.Status != "open" {
		a.AcknowledgedAt = a.OpenedAt.Add(w.hours(due.Hours() / 3))
	}
	if a.Status == "resolved" {
		a.ResolvedAt, a.Resolution = a.AcknowledgedAt.Add(w.hours(24*14)), "ติดตามแล้ว (ข้อมูลสังเคราะห์)"
	}
	if a.AcknowledgedAt.After(w.today) || a.ResolvedAt.After(w.today) {
		a.AcknowledgedAt, a.ResolvedAt, a.Resolution, a.Status = time.Time{}, time.Time{}, "", "open"
	}
	w.page.Alerts = append(w.page.Alerts, a)
}

// handoff moves a child to the unit of the stage they grew into.
func (w *casework) handoff(personID string, age int, ag *districtAgencies) {
	h := store.SyntheticHandoff{PersonID: personID, Reason: "stage", CreatedAt: w.ago(300)}
	switch age {
	case 3:
		h.FromOrg, h.ToOrg, h.AcknowledgedBy, h.FromStage, h.ToStage = ag.health, ag.childcare, ag.childStaff, "toddler", "preschool"
	case 6:
		h.FromOrg, h.ToOrg, h.AcknowledgedBy, h.FromStage, h.ToStage = ag.childcare, ag.school, ag.teacher, "preschool", "primary"
	default:
		h.FromOrg, h.ToOrg, h.AcknowledgedBy, h.FromStage, h.ToStage = ag.school, ag.school, ag.teacher, "primary", "lower_secondary"
	}
	if !w.every("handoff-waiting", 6) {
		h.AcknowledgedAt = h.CreatedAt.Add(w.hours(24 * 5))
		if h.AcknowledgedAt.After(w.today) {
			h.AcknowledgedAt = time.Time{}
		}
	}
	w.page.Handoffs = append(w.page.Handoffs, h)
}
