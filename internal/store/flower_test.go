package store_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// flowerWorld is a Lat Krabang household with a child, the district's
// social-welfare unit and child-protection committee, and their people.
type flowerWorld struct {
	db                                *store.DB
	clock                             *clock
	dsw, cpc, hc                      organisations.Organisation
	worker, nurse, supervisor, secret account.User
	household                         people.Household
	child                             people.Person
}

func newFlowerWorld(t *testing.T) *flowerWorld {
	t.Helper()
	db := storetest.Open(t)
	w := &flowerWorld{db: db, clock: newClock(db)}
	district := mustPlaceByCode(t, db, "1011")
	save := func(code string, kind organisations.Kind) organisations.Organisation {
		o, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: code, Kind: kind, NameTH: "หน่วย " + code, PlaceID: district.ID, Active: true}, actor())
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	w.dsw, w.cpc, w.hc = save("DSW-F", organisations.DistrictSocialWelfare), save("CPC-F", organisations.DistrictChildProtection), newOrg(t, db, "HC-F")
	w.worker = newUser(t, db, "worker", account.Membership{OrganisationID: w.dsw.ID, RoleCode: account.RoleCaseManager})
	w.nurse = newUser(t, db, "nurse", account.Membership{OrganisationID: w.hc.ID, RoleCode: account.RoleHealthStaff})
	w.supervisor = newUser(t, db, "supervisor", account.Membership{OrganisationID: w.dsw.ID, RoleCode: account.RoleSupervisor})
	w.secret = newUser(t, db, "secretary", account.Membership{OrganisationID: w.cpc.ID, RoleCode: account.RoleCommitteeSecretary})
	w.household = newHousehold(t, db, newCommunity(t, db, "F1"))
	var err error
	// 21 months old on the clock's date, with no vaccination on record.
	w.child, err = db.CreatePerson(ctx, people.Person{GivenName: "ด.ญ.ใบเตย", FamilyName: "ดีใจ", Nickname: "เตย", Sex: people.Female,
		BirthDate: "2024-06-01", HouseholdID: w.household.ID, Relation: people.RelChild}, actor())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func by(u account.User) audit.Event { return audit.Event{ActorID: u.ID, RequestID: "req-flower"} }

func alertKeys(as []store.Alert) string {
	var ks []string
	for _, a := range as {
		ks = append(ks, a.Key)
	}
	return strings.Join(ks, ",")
}

func TestInstrumentsVersioned(t *testing.T) {
	db := storetest.Open(t)
	list, err := db.ListInstruments(ctx)
	if err != nil || len(list) != 1 || list[0].Code != "termtem-default" || list[0].Version != 1 || !list[0].Current {
		t.Fatalf("seeded instruments %+v %v", list, err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.ListInstruments(ctx); len(again) != 1 {
		t.Fatalf("re-migrating added instruments: %+v", again)
	}
	v1 := flower.DefaultFileBytes()
	// The same version again, or one that skips, is refused.
	wantErr(t, func() error { _, err := db.PublishInstrument(ctx, v1, actor()); return err }(), errs.Invalid, "version", "instrument.version_next")
	v3 := bytes.Replace(v1, []byte(`"version": 1`), []byte(`"version": 3`), 1)
	wantErr(t, func() error { _, err := db.PublishInstrument(ctx, v3, actor()); return err }(), errs.Invalid, "version", "instrument.version_next")
	// A broken file names the field.
	broken := bytes.Replace(v1, []byte(`"version": 1`), []byte(`"version": 2`), 1)
	broken = bytes.Replace(broken, []byte(`"kind": "worst"`), []byte(`"kind": "best"`), 1)
	if _, err := db.PublishInstrument(ctx, broken, actor()); err == nil || !strings.Contains(errs.As(err).Field, "dimensions") {
		t.Fatalf("broken rule: %v", err)
	}
	v2 := bytes.Replace(v1, []byte(`"version": 1`), []byte(`"version": 2`), 1)
	info, err := db.PublishInstrument(ctx, v2, actor())
	if err != nil || info.Version != 2 {
		t.Fatalf("publish v2: %+v %v", info, err)
	}
	cur, err := db.CurrentInstrument(ctx)
	if err != nil || cur.Version != 2 {
		t.Fatalf("current %v %v", cur, err)
	}
	old, err := db.Instrument(ctx, "termtem-default", 1)
	if err != nil || old.Version != 1 {
		t.Fatalf("v1 %v", err)
	}
	if n := auditCount(t, db, store.ActionInstrumentPublished, "termtem-default"); n != 1 {
		t.Fatalf("%d publish audits", n)
	}
}

func TestAssessmentOpensAlertsThatEscalate(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	d, err := db.PrepareAssessment(ctx, flower.Child, w.child.ID, store.ByStaff, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	// No vaccine on record at 21 months: derived as overdue, red.
	if dv, ok := d.Derived["HLT02"]; !ok || dv.Option != "overdue_2plus" {
		t.Fatalf("derived HLT02 %+v (%v)", dv, ok)
	}
	if d.Proposed.Dimension(people.Health).Level != flower.Red || d.Proposed.Dimension(people.Safety).Level != flower.Unknown {
		t.Fatalf("proposed %+v", d.Proposed.Dimensions)
	}

	// Wrong answers are refused and store nothing.
	for _, c := range []struct {
		answers map[string]flower.Answer
		field   string
	}{
		{map[string]flower.Answer{"SAF03": {Option: "sometimes_maybe"}}, "answers[SAF03].option"},
		{map[string]flower.Answer{"ECO01": {Option: "x"}}, "answers[ECO01]"}, // a household question asked of a child
		{map[string]flower.Answer{"NOPE1": {Option: "x"}}, "answers[NOPE1]"},
	} {
		_, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.child.ID, Answers: c.answers,
			Source: store.ByStaff, OrganisationID: w.dsw.ID, AuthorID: w.worker.ID}, by(w.worker))
		if e := errs.As(err); e == nil || e.Field != c.field {
			t.Fatalf("%v: got %v, want field %s", c.answers, err, c.field)
		}
	}
	_, err = db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Household, SubjectID: w.household.ID,
		Answers: map[string]flower.Answer{"ECO01": {Number: ptr(2000000)}}, Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker))
	if e := errs.As(err); e == nil || e.Field != "answers[ECO01].number" {
		t.Fatalf("income out of bounds: %v", err)
	}
	adult, err := db.CreatePerson(ctx, people.Person{GivenName: "นางมะลิ", FamilyName: "ดีใจ", BirthDate: "1990-01-01", HouseholdID: w.household.ID,
		Relation: people.RelHead}, actor())
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: adult.ID, Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker))
	wantErr(t, err, errs.Invalid, "subject_id", "assessment.not_a_child")
	if list, _ := db.ListAssessments(ctx, flower.Child, w.child.ID, by(w.worker)); len(list) != 0 {
		t.Fatalf("a refused assessment was stored: %d", len(list))
	}

	a, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated", Note: "อยู่บ้านคนเดียวตอนกลางวัน"}},
		Source:  store.ByStaff, OrganisationID: w.dsw.ID, AuthorID: w.worker.ID}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	if a.Result.Dimension(people.Safety).Level != flower.Red || a.Result.Dimension(people.Health).Level != flower.Red {
		t.Fatalf("levels %+v", a.Result.Dimensions)
	}
	// No DSPM screening on record at 21 months: the 18-month one was missed.
	if got := alertKeys(a.Alerts); got != "urgent:SAF03,red:education,red:health" {
		t.Fatalf("alerts opened: %s", got)
	}
	urgent := a.Alerts[0]
	if urgent.OrganisationID != w.dsw.ID || !urgent.DueAt.Equal(w.clock.Now().Add(24*time.Hour)) {
		t.Fatalf("urgent alert %+v", urgent)
	}
	if n := auditCount(t, db, store.ActionAssessmentCreated, w.child.ID); n != 1 {
		t.Fatalf("%d create audits", n)
	}
	// The same finding again does not open the alert twice.
	again, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated"}}, Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker))
	if err != nil || len(again.Alerts) != 0 {
		t.Fatalf("second assessment opened %s (%v)", alertKeys(again.Alerts), err)
	}
	flowers, err := db.Flowers(ctx, flower.Child, []string{w.child.ID, "unknown"})
	if err != nil || flowers[w.child.ID][people.Safety] != flower.Red || len(flowers) != 1 {
		t.Fatalf("flowers %v %v", flowers, err)
	}

	inbox := func(u account.User) []store.Alert {
		t.Helper()
		as, err := db.ListAlerts(ctx, u.ID, store.AlertFilter{}, by(u))
		if err != nil {
			t.Fatal(err)
		}
		return as
	}
	if got := inbox(w.worker); len(got) != 3 || got[0].Key != "urgent:SAF03" || got[0].ToMe != "organisation" || got[0].SubjectName != "ใบเตย ดีใจ" {
		t.Fatalf("worker's inbox %+v", got)
	}
	for _, u := range []account.User{w.nurse, w.secret} {
		if got := inbox(u); len(got) != 0 {
			t.Fatalf("%s sees %s before any escalation", u.Username, alertKeys(got))
		}
	}
	// The supervisor works in the unit and sees its alerts, not yet as
	// escalated to them.
	for _, a := range inbox(w.supervisor) {
		if a.ToMe != "organisation" {
			t.Fatalf("supervisor's %s before escalation: %s", a.Key, a.ToMe)
		}
	}
	if _, err := db.GetAlert(ctx, urgent.ID, w.nurse.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("nurse got another unit's alert: %v", err)
	}

	// Not acknowledged in 24 hours: to the supervisor, who gets another 24.
	w.clock.Advance(23 * time.Hour)
	if n, err := db.EscalateAlerts(ctx); err != nil || n != 0 {
		t.Fatalf("escalated %d before the deadline (%v)", n, err)
	}
	w.clock.Advance(2 * time.Hour)
	if n, err := db.EscalateAlerts(ctx); err != nil || n != 1 {
		t.Fatalf("escalated %d at the deadline (%v)", n, err)
	}
	got := inbox(w.supervisor)
	if len(got) != 3 || got[0].Key != "urgent:SAF03" || got[0].ToMe != "supervisor" || got[0].Escalation != store.EscalationSupervisor ||
		got[1].ToMe != "organisation" {
		t.Fatalf("supervisor's inbox %+v", got)
	}
	if len(inbox(w.secret)) != 0 {
		t.Fatal("committee sees the first escalation")
	}
	w.clock.Advance(25 * time.Hour)
	// The second step of the urgent alert, and the first of the red ones
	// (due after 7 days) has not come yet.
	if n, err := db.EscalateAlerts(ctx); err != nil || n != 1 {
		t.Fatalf("second escalation moved %d (%v)", n, err)
	}
	got = inbox(w.secret)
	if len(got) != 1 || got[0].ToMe != "committee" {
		t.Fatalf("secretary's inbox %+v", got)
	}
	// Acknowledging stops escalation; a stale version is refused.
	red := inbox(w.worker)[1]
	if _, err := db.AcknowledgeAlert(ctx, red.ID, red.Version+1, by(w.worker)); !errs.Is(err, errs.Stale) {
		t.Fatalf("stale acknowledge: %v", err)
	}
	acked, err := db.AcknowledgeAlert(ctx, red.ID, red.Version, by(w.worker))
	if err != nil || acked.Status != store.AlertAcknowledged {
		t.Fatalf("acknowledge %+v %v", acked, err)
	}
	w.clock.Advance(30 * 24 * time.Hour)
	if _, err := db.EscalateAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	if a, err := db.GetAlert(ctx, red.ID, w.worker.ID); err != nil || a.Escalation != store.EscalationNone {
		t.Fatalf("an acknowledged alert escalated: %+v %v", a, err)
	}
	if _, err := db.AcknowledgeAlert(ctx, red.ID, acked.Version, by(w.nurse)); !errs.Is(err, errs.NotFound) {
		t.Fatalf("nurse acknowledged another unit's alert: %v", err)
	}
	wantErr(t, func() error { _, err := db.ResolveAlert(ctx, red.ID, acked.Version, "  ", by(w.worker)); return err }(), errs.Invalid, "resolution", "")
	done, err := db.ResolveAlert(ctx, red.ID, acked.Version, "นัดฉีดวัคซีนแล้ว", by(w.worker))
	if err != nil || done.Status != store.AlertResolved || done.Resolution != "นัดฉีดวัคซีนแล้ว" {
		t.Fatalf("resolve %+v %v", done, err)
	}
	if n := auditCount(t, db, store.ActionAlertEscalated, urgent.ID); n != 2 {
		t.Fatalf("%d escalation audits", n)
	}
	resolved, _ := db.ListAlerts(ctx, w.worker.ID, store.AlertFilter{Status: store.AlertResolved}, by(w.worker))
	if len(resolved) != 1 {
		t.Fatalf("resolved list %d", len(resolved))
	}
}

func ptr(f float64) *float64 { return &f }

func TestSelfAssessmentCode(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	sc, err := db.CreateSelfCode(ctx, w.household.ID, w.dsw.ID, 0, by(w.worker))
	if err != nil || len(sc.Code) != store.SelfCodeDigits {
		t.Fatalf("code %+v %v", sc, err)
	}
	wrong := "0000000000"
	if wrong == sc.Code {
		wrong = "1111111111"
	}
	// A wrong code and a right one typed with a space and Thai digits.
	wantErr(t, func() error { _, err := db.ClaimSelfCode(ctx, wrong, "10.0.0.1", audit.Event{}); return err }(), errs.Invalid, "code", "self.code_invalid")
	thai := strings.Map(func(r rune) rune { return '๐' + (r - '0') }, sc.Code[:5]) + " " + sc.Code[5:]
	token, err := db.ClaimSelfCode(ctx, thai, "10.0.0.1", audit.Event{})
	if err != nil || token == "" {
		t.Fatalf("claim: %v", err)
	}
	// Used once: the same message as a wrong code.
	wantErr(t, func() error { _, err := db.ClaimSelfCode(ctx, sc.Code, "10.0.0.2", audit.Event{}); return err }(), errs.Invalid, "code", "self.code_invalid")

	s, err := db.GetSelfSession(ctx, token)
	if err != nil || s.HouseholdID != w.household.ID || s.Submitted {
		t.Fatalf("session %+v %v", s, err)
	}
	form, err := db.SelfAssessmentForm(ctx, s)
	if err != nil || len(form.Household) == 0 || len(form.Children) != 1 || form.Children[0].Name != "เตย" {
		t.Fatalf("form %+v %v", form, err)
	}
	for _, ind := range append(append([]*flower.Indicator{}, form.Household...), form.ByChild[w.child.ID]...) {
		if !ind.FamilyFacing || ind.Answer.Kind == flower.Derived {
			t.Fatalf("family asked %s", ind.Code)
		}
	}
	// A staff-only question is refused.
	_, err = db.SubmitSelfAssessment(ctx, s, store.SelfAnswers{Household: map[string]flower.Answer{"SAF06": {Option: "none"}}}, audit.Event{})
	if e := errs.As(err); e == nil || e.Field != "answers[SAF06]" {
		t.Fatalf("staff question: %v", err)
	}
	staff, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Household, SubjectID: w.household.ID,
		Answers: map[string]flower.Answer{"ECO02": {Option: "stable"}}, Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	out, err := db.SubmitSelfAssessment(ctx, s, store.SelfAnswers{
		Household: map[string]flower.Answer{"ECO02": {Option: "none"}, "ECO05": {Option: "often"}},
		Children:  map[string]map[string]flower.Answer{w.child.ID: {"HLT06": {Option: "valid"}}},
	}, audit.Event{})
	if err != nil || len(out) != 2 || out[0].Source != store.ByFamily || out[0].Result.Dimension(people.Economy).Level != flower.Red {
		t.Fatalf("submit %+v %v", out, err)
	}
	if _, err := db.SubmitSelfAssessment(ctx, s, store.SelfAnswers{}, audit.Event{}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("second submit: %v", err)
	}
	s, _ = db.GetSelfSession(ctx, token)
	if res, err := db.SelfResults(ctx, s); err != nil || len(res) != 2 || !s.Submitted {
		t.Fatalf("results %d %v", len(res), err)
	}
	// Beside the staff's, never over it.
	list, err := db.ListAssessments(ctx, flower.Household, w.household.ID, by(w.worker))
	if err != nil || len(list) != 2 {
		t.Fatalf("household assessments %d %v", len(list), err)
	}
	if f, _ := db.Flowers(ctx, flower.Household, []string{w.household.ID}); f[w.household.ID][people.Economy] != staff.Result.Dimension(people.Economy).Level {
		t.Fatalf("the family's answers replaced the staff flower: %v", f)
	}
	// The session ends after two hours.
	w.clock.Advance(store.SelfSessionLifetime + time.Minute)
	if _, err := db.GetSelfSession(ctx, token); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("expired session: %v", err)
	}

	// An expired code is refused like a wrong one.
	old, _ := db.CreateSelfCode(ctx, w.household.ID, w.dsw.ID, time.Hour, by(w.worker))
	w.clock.Advance(2 * time.Hour)
	wantErr(t, func() error { _, err := db.ClaimSelfCode(ctx, old.Code, "10.0.0.3", audit.Event{}); return err }(), errs.Invalid, "code", "self.code_invalid")

	// Guessing locks the address out, even for a right code.
	fresh, _ := db.CreateSelfCode(ctx, w.household.ID, w.dsw.ID, 0, by(w.worker))
	for i := range store.SelfCodeThrottle.MaxFailures {
		guess := strings.Repeat(string(rune('0'+i%10)), store.SelfCodeDigits)
		if guess == fresh.Code {
			continue
		}
		_, _ = db.ClaimSelfCode(ctx, guess, "10.0.0.9", audit.Event{})
	}
	if _, err := db.ClaimSelfCode(ctx, fresh.Code, "10.0.0.9", audit.Event{}); !errs.Is(err, errs.TooManyRequests) {
		t.Fatalf("after guessing: %v", err)
	}
	if _, err := db.ClaimSelfCode(ctx, fresh.Code, "10.0.0.10", audit.Event{}); err != nil {
		t.Fatalf("another address with the right code: %v", err)
	}
}

func TestScheduledChecksOpenAlerts(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	next, opened, err := db.RunChecks(ctx, "", 100)
	if err != nil || opened != 0 || next != "" {
		t.Fatalf("no records yet: %q %d %v", next, opened, err)
	}
	// One dose on record: the checks now look at the child and find the
	// rest overdue.
	if _, err := db.AddRecord(ctx, people.Record{PersonID: w.child.ID, Kind: people.Vaccination, OccurredOn: "2024-06-02",
		OrganisationID: w.hc.ID, Data: people.RecordData{Vaccine: "BCG", Dose: 1}}, actor()); err != nil {
		t.Fatal(err)
	}
	_, opened, err = db.RunChecks(ctx, "", 100)
	if err != nil || opened < 1 {
		t.Fatalf("checks opened %d (%v)", opened, err)
	}
	as, _ := db.ListAlerts(ctx, w.worker.ID, store.AlertFilter{PersonID: w.child.ID}, by(w.worker))
	if !strings.Contains(alertKeys(as), "check:HLT02") {
		t.Fatalf("alerts %s", alertKeys(as))
	}
	if _, again, _ := db.RunChecks(ctx, "", 100); again != 0 {
		t.Fatalf("a second run opened %d more", again)
	}
}
