package store_test

import (
	"sync"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/consent"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
)

// caseWorld adds a school with a teacher and a second nurse to a flower
// world: the multidisciplinary team of a case.
type caseWorld struct {
	*flowerWorld
	school          organisations.Organisation
	teacher, nurse2 account.User
}

func newCaseWorld(t *testing.T) *caseWorld {
	t.Helper()
	w := &caseWorld{flowerWorld: newFlowerWorld(t)}
	db := w.db
	school, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "SCH-C", Kind: organisations.School, NameTH: "โรงเรียนทดสอบ",
		PlaceID: mustPlaceByCode(t, db, "1011").ID, Active: true}, actor())
	if err != nil {
		t.Fatal(err)
	}
	w.school = school
	w.teacher = newUser(t, db, "teacher", account.Membership{OrganisationID: school.ID, RoleCode: account.RoleSchoolTeacher})
	w.nurse2 = newUser(t, db, "nurse2", account.Membership{OrganisationID: w.hc.ID, RoleCode: account.RoleHealthStaff})
	return w
}

func TestCaseFromAlertToClosedLoop(t *testing.T) {
	w := newCaseWorld(t)
	db := w.db
	a, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated"}}, Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	urgent := a.Alerts[0]

	// A case from the alert takes it: acknowledged, no longer escalating.
	c, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: w.child.ID, Risk: cases.RiskHigh, Origin: cases.FromAlert,
		OriginID: urgent.ID, OrganisationID: w.dsw.ID, ManagerID: w.worker.ID}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := db.GetAlert(ctx, urgent.ID, w.worker.ID); got.Status != store.AlertAcknowledged {
		t.Fatalf("alert after opening the case: %s", got.Status)
	}
	// A manager must work in the organisation named.
	_, err = db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: w.child.ID, Risk: cases.RiskLow, Origin: cases.FromWorker,
		OrganisationID: w.school.ID, ManagerID: w.worker.ID}, by(w.worker))
	wantErr(t, err, errs.Invalid, "organisation_id", "case.not_in_organisation")

	// The team: the health centre and the school.
	c, err = db.AddCaseMember(ctx, c.ID, c.Version, w.nurse.ID, w.hc.ID, cases.RoleHealth, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	c, err = db.AddCaseMember(ctx, c.ID, c.Version, w.teacher.ID, w.school.ID, cases.RoleEducation, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddCaseMember(ctx, c.ID, c.Version-1, w.nurse2.ID, w.hc.ID, cases.RoleHealth, by(w.worker)); !errs.Is(err, errs.Stale) {
		t.Fatalf("stale add: %v", err)
	}
	// A member from a disabled organisation is refused.
	closedOrg, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "NGO-OFF", Kind: organisations.NGO, NameTH: "มูลนิธิที่ปิดแล้ว",
		PlaceID: mustPlaceByCode(t, db, "1011").ID, Active: false}, actor())
	if err != nil {
		t.Fatal(err)
	}
	offUser := newUser(t, db, "ngo", account.Membership{OrganisationID: closedOrg.ID, RoleCode: account.RoleCaseManager})
	_, err = db.AddCaseMember(ctx, c.ID, c.Version, offUser.ID, closedOrg.ID, cases.RoleWelfare, by(w.worker))
	wantErr(t, err, errs.Invalid, "user_id", "case.organisation_inactive")
	// The only manager cannot be removed.
	full, err := db.GetCase(ctx, c.ID, by(w.worker))
	if err != nil || len(full.Members) != 3 {
		t.Fatalf("case %+v %v", full.Members, err)
	}
	_, err = db.RemoveCaseMember(ctx, c.ID, c.Version, full.Members[0].ID, by(w.worker))
	wantErr(t, err, errs.Invalid, "member_id", "case.manager_required")

	// The health centre and the school joining is a disclosure to each.
	if ds, err := db.Disclosures(ctx, w.child.ID, by(w.worker)); err != nil || len(ds) != 2 || ds[0].Purpose != consent.ForCasework {
		t.Fatalf("team disclosures %+v %v", ds, err)
	}
	// Legal classification and a conference whose decision is a step.
	c, err = db.AddCaseLegal(ctx, c.ID, c.Version, cases.Welfare, "s32_5", "2026-03-01", "ทีมสหวิชาชีพเขตลาดกระบัง", "", by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	c, err = db.AddConference(ctx, c.ID, c.Version, store.ConferenceInput{HeldOn: "2026-03-01", Attendees: []string{"นักสังคมสงเคราะห์", "พยาบาล", "ครู"},
		Notes: "ประชุมรายกรณีครั้งแรก", Decisions: []store.Decision{{Text: "ตรวจพัฒนาการ", Step: &cases.Step{What: "ตรวจพัฒนาการ DSPM",
			OrganisationID: w.hc.ID, ResponsibleID: w.nurse.ID, DueOn: "2026-03-10"}}}}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	// A goal and a step due before the plan starts.
	c, err = db.AddGoal(ctx, c.ID, c.Version, cases.Goal{Dimension: people.Safety, From: flower.Red, Target: flower.Yellow, TargetDate: "2026-06-01",
		Commitment: "แม่จะฝากลูกไว้กับยายเมื่อออกไปทำงาน"}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.AddStep(ctx, c.ID, c.Version, cases.Step{What: "เยี่ยมบ้าน", OrganisationID: w.dsw.ID, DueOn: "2026-02-01"}, "", by(w.worker))
	wantErr(t, err, errs.Invalid, "due_on", "plan.before_start")

	// The referral loop: to the health centre, accepted by exactly one of
	// two nurses at once, completed; the sender sees the outcome.
	_, err = db.SendReferral(ctx, store.ReferralInput{PersonID: w.child.ID, CaseID: c.ID, FromOrg: w.dsw.ID, FromUser: w.worker.ID, ToOrg: w.dsw.ID,
		Service: "health_check", Urgency: cases.High, Reason: "x", Basis: cases.LawfulBasis{Kind: cases.LegalDuty, Reference: "ม.41"}}, by(w.worker))
	wantErr(t, err, errs.Invalid, "to_organisation_id", "referral.own_organisation")
	_, err = db.SendReferral(ctx, store.ReferralInput{PersonID: w.child.ID, FromOrg: w.dsw.ID, FromUser: w.worker.ID, ToOrg: w.hc.ID,
		Service: "health_check", Urgency: cases.High, Reason: "x"}, by(w.worker))
	wantErr(t, err, errs.Invalid, "lawful_basis.kind", "referral.basis_required")
	if _, err := db.RecordConsent(ctx, consent.Grant{PersonID: w.child.ID, Basis: consent.Consent, Purposes: []consent.Purpose{consent.ForReferral},
		ReceiverOrgID: w.hc.ID, GivenBy: consent.GivenByMother, GiverName: "นางมะลิ ดีใจ", GivenOn: "2026-03-01"}, w.dsw.ID, by(w.worker)); err != nil {
		t.Fatal(err)
	}
	ref, err := db.SendReferral(ctx, store.ReferralInput{PersonID: w.child.ID, CaseID: c.ID, FromOrg: w.dsw.ID, FromUser: w.worker.ID, ToOrg: w.hc.ID,
		Service: "health_check", Urgency: cases.High, Reason: "ตรวจสุขภาพและวัคซีนที่ค้าง",
		Basis: cases.LawfulBasis{Kind: cases.Consent, Reference: "มารดาให้ความยินยอมเป็นลายลักษณ์อักษร 1 มี.ค. 2569"}}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	if !ref.AcceptDue.Equal(w.clock.Now().Add(72*time.Hour).Truncate(time.Millisecond)) && ref.AcceptDue.Sub(w.clock.Now()) != 72*time.Hour {
		t.Fatalf("accept due %v", ref.AcceptDue)
	}
	inbox, err := db.UserInbox(ctx, w.nurse.ID, by(w.nurse))
	if err != nil || len(inbox.Referrals) != 1 {
		t.Fatalf("nurse inbox referrals %d %v", len(inbox.Referrals), err)
	}
	if ns, _, err := db.ListNotifications(ctx, w.nurse.ID, 10); err != nil || !hasNotice(ns, "notify.referral_received") {
		t.Fatalf("nurse notices %+v %v", ns, err)
	}
	if _, err := db.MoveReferral(ctx, ref.ID, ref.Version, cases.Accepted, "", by(w.worker)); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the sender accepted: %v", err)
	}
	if _, err := db.MoveReferral(ctx, ref.ID, ref.Version, cases.Accepted, "", by(w.teacher)); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a stranger accepted: %v", err)
	}
	var wg sync.WaitGroup
	results := make([]error, 2)
	for i, u := range []account.User{w.nurse, w.nurse2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = db.MoveReferral(ctx, ref.ID, ref.Version, cases.Accepted, "", by(u))
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range results {
		if err == nil {
			wins++
		} else if !errs.Is(err, errs.Stale) {
			t.Fatalf("the losing accept: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d accepts won", wins)
	}
	ref, _, err = db.GetReferral(ctx, ref.ID, w.nurse.ID, by(w.nurse))
	if err != nil || ref.Status != cases.Accepted {
		t.Fatalf("after accepting %+v %v", ref, err)
	}
	_, err = db.MoveReferral(ctx, ref.ID, ref.Version, cases.Completed, " ", by(w.nurse))
	wantErr(t, err, errs.Invalid, "outcome", "")
	ref, err = db.MoveReferral(ctx, ref.ID, ref.Version, cases.Completed, "ตรวจแล้ว นัดฉีดวัคซีน 3 เข็ม", by(w.nurse))
	if err != nil {
		t.Fatal(err)
	}
	if ns, _, _ := db.ListNotifications(ctx, w.worker.ID, 10); !hasNotice(ns, "notify.referral_changed") {
		t.Fatalf("the sender heard nothing of the outcome: %+v", ns)
	}
	out, _, err := db.GetReferral(ctx, ref.ID, w.worker.ID, by(w.worker))
	if err != nil || out.Status != cases.Completed || out.Outcome == "" {
		t.Fatalf("the sender sees %+v %v", out, err)
	}
	if _, err := db.MoveReferral(ctx, ref.ID, ref.Version, cases.Revoked, "x", by(w.worker)); !errs.Is(err, errs.Conflict) {
		t.Fatalf("revoking a completed referral: %v", err)
	}

	// Overdue steps reach their owner and the manager; the review is due.
	c, err = db.SetCaseReview(ctx, c.ID, c.Version, "", "2026-03-15", by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(20 * 24 * time.Hour)
	for _, u := range []account.User{w.nurse, w.worker} {
		in, err := db.UserInbox(ctx, u.ID, by(u))
		if err != nil || len(in.OverdueSteps) != 1 || !in.OverdueSteps[0].Overdue {
			t.Fatalf("%s overdue steps %+v %v", u.Username, in.OverdueSteps, err)
		}
	}
	in, _ := db.UserInbox(ctx, w.worker.ID, by(w.worker))
	if len(in.Reviews) != 1 || in.Reviews[0].ID != c.ID {
		t.Fatalf("reviews %+v", in.Reviews)
	}
	if in, _ := db.UserInbox(ctx, w.teacher.ID, by(w.teacher)); len(in.OverdueSteps) != 0 {
		t.Fatalf("the teacher sees another unit's step")
	}
	step := in.OverdueSteps[0]
	_, err = db.MoveStep(ctx, step.ID, step.Version, cases.Done, "", by(w.nurse))
	wantErr(t, err, errs.Invalid, "evidence", "")
	if _, err := db.MoveStep(ctx, step.ID, step.Version, cases.Done, "ผล DSPM ผ่านทุกด้าน", by(w.nurse)); err != nil {
		t.Fatal(err)
	}

	// Closing needs the urgent alerts taken and a reason; reopening keeps
	// the history.
	c, err = db.GetCase(ctx, c.ID, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.MoveCase(ctx, c.ID, c.Version, cases.Monitoring, "", by(w.worker)); !errs.Is(err, errs.Invalid) {
		t.Fatalf("open → monitoring: %v", err)
	}
	c, err = db.MoveCase(ctx, c.ID, c.Version, cases.Active, "", by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.MoveCase(ctx, c.ID, c.Version, cases.Closed, "", by(w.worker))
	wantErr(t, err, errs.Invalid, "reason", "case.reason_required")
	c, err = db.MoveCase(ctx, c.ID, c.Version, cases.Closed, "ครอบครัวปลอดภัย ติดตามครบ 3 เดือน", by(w.worker))
	if err != nil || c.Status != cases.Closed {
		t.Fatalf("close %+v %v", c, err)
	}
	c, err = db.MoveCase(ctx, c.ID, c.Version, cases.Open, "พบความเสี่ยงใหม่", by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	full, _ = db.GetCase(ctx, c.ID, by(w.worker))
	var statuses []string
	for _, e := range full.Events {
		if e.Kind == "status" {
			statuses = append(statuses, e.To)
		}
	}
	if len(statuses) != 3 || statuses[1] != "closed" || len(full.Legal) != 1 || len(full.Conferences) != 1 || len(full.Goals) != 1 || len(full.Steps) != 1 {
		t.Fatalf("history %v legal %d conferences %d goals %d steps %d", statuses, len(full.Legal), len(full.Conferences), len(full.Goals), len(full.Steps))
	}
}

func TestCaseCannotCloseWithUrgentAlertOpen(t *testing.T) {
	w := newCaseWorld(t)
	db := w.db
	if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated"}}, Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker)); err != nil {
		t.Fatal(err)
	}
	c, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: w.child.ID, Risk: cases.RiskHigh, Origin: cases.FromWorker,
		OrganisationID: w.dsw.ID, ManagerID: w.worker.ID}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.MoveCase(ctx, c.ID, c.Version, cases.Closed, "ปิด", by(w.worker))
	wantErr(t, err, errs.Invalid, "status", "case.open_urgent_alerts")
}

func TestEnrolmentElsewhereHandsTheChildOver(t *testing.T) {
	w := newCaseWorld(t)
	db := w.db
	childcare, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "CDC-H", Kind: organisations.ChildcareCentre, NameTH: "ศูนย์พัฒนาเด็กทดสอบ",
		PlaceID: mustPlaceByCode(t, db, "1011").ID, Active: true}, actor())
	if err != nil {
		t.Fatal(err)
	}
	carer := newUser(t, db, "carer", account.Membership{OrganisationID: childcare.ID, RoleCode: account.RoleChildcareTeacher})
	if _, err := db.AddRecord(ctx, people.Record{PersonID: w.child.ID, Kind: people.ChildcareEnrolment, OccurredOn: "2026-01-05",
		OrganisationID: childcare.ID}, by(carer)); err != nil {
		t.Fatal(err)
	}
	if hs, _ := db.ListHandoffs(ctx, store.HandoffFilter{UserID: w.teacher.ID, Incoming: true}, by(w.teacher)); len(hs) != 0 {
		t.Fatalf("a first enrolment handed off: %+v", hs)
	}
	if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "once_with_child"}}, Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddRecord(ctx, people.Record{PersonID: w.child.ID, Kind: people.SchoolEnrolment, OccurredOn: "2026-02-20",
		OrganisationID: w.school.ID, Data: people.RecordData{Grade: "k1"}}, by(w.teacher)); err != nil {
		t.Fatal(err)
	}
	in, err := db.UserInbox(ctx, w.teacher.ID, by(w.teacher))
	if err != nil || len(in.Handoffs) != 1 {
		t.Fatalf("teacher's hand-offs %+v %v", in.Handoffs, err)
	}
	h := in.Handoffs[0]
	if h.FromOrg != childcare.ID || h.ToOrg != w.school.ID || len(h.Concerns.Indicators) == 0 {
		t.Fatalf("hand-off %+v", h)
	}
	if _, err := db.AcknowledgeHandoff(ctx, h.ID, h.Version, by(carer)); !errs.Is(err, errs.NotFound) {
		t.Fatalf("the sending unit acknowledged: %v", err)
	}
	acked, err := db.AcknowledgeHandoff(ctx, h.ID, h.Version, by(w.teacher))
	if err != nil || acked.AcknowledgedAt == nil {
		t.Fatalf("acknowledge %+v %v", acked, err)
	}
	sent, err := db.ListHandoffs(ctx, store.HandoffFilter{UserID: carer.ID}, by(carer))
	if err != nil || len(sent) != 1 || sent[0].AcknowledgedAt == nil {
		t.Fatalf("the sending unit sees %+v %v", sent, err)
	}
	// Unacknowledged for 30 days is a continuity gap.
	other, err := db.CreateHandoff(ctx, store.HandoffInput{PersonID: w.child.ID, FromOrg: w.school.ID, ToOrg: w.hc.ID, Reason: store.HandoffMoved}, by(w.teacher))
	if err != nil || other.Gap {
		t.Fatalf("new hand-off %+v %v", other, err)
	}
	w.clock.Advance(31 * 24 * time.Hour)
	open, _ := db.ListHandoffs(ctx, store.HandoffFilter{UserID: w.nurse.ID, Incoming: true, Open: true}, by(w.nurse))
	if len(open) != 1 || !open[0].Gap {
		t.Fatalf("gap %+v", open)
	}
}

// Once a child has a case, its alerts go to the case's organisation.
func TestAlertsGoToTheCaseTeam(t *testing.T) {
	w := newCaseWorld(t)
	db := w.db
	if _, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: w.child.ID, Risk: cases.RiskMedium, Origin: cases.FromWorker,
		OrganisationID: w.hc.ID, ManagerID: w.nurse.ID}, by(w.nurse)); err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated"}}, Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker))
	if err != nil || len(a.Alerts) == 0 {
		t.Fatalf("alerts %v %v", a.Alerts, err)
	}
	for _, al := range a.Alerts {
		if al.OrganisationID != w.hc.ID {
			t.Fatalf("alert %s went to %s, not the case's organisation", al.Key, al.OrganisationID)
		}
	}
}

// A referral on consent needs a consent in the ledger that covers its
// receiver and what it concerns; withdrawal stops the next one at once.
func TestConsentGovernsReferrals(t *testing.T) {
	w := newCaseWorld(t)
	db := w.db
	send := func(service cases.Service, basis cases.LawfulBasis) (store.Referral, error) {
		return db.SendReferral(ctx, store.ReferralInput{PersonID: w.child.ID, FromOrg: w.dsw.ID, FromUser: w.worker.ID, ToOrg: w.hc.ID,
			Service: service, Urgency: cases.Routine, Reason: "ส่งต่อ", Basis: basis}, by(w.worker))
	}
	onConsent := cases.LawfulBasis{Kind: cases.Consent}
	_, err := send("health_check", onConsent)
	wantErr(t, err, errs.Invalid, "lawful_basis.kind", "consent.none_covers")

	// A nine-year-old cannot consent for herself; her mother can, for
	// health services at health centres.
	_, err = db.RecordConsent(ctx, consent.Grant{PersonID: w.child.ID, Basis: consent.Consent, Purposes: []consent.Purpose{consent.ForReferral},
		GivenBy: consent.GivenBySelf, GiverName: "ใบเตย", GivenOn: "2026-03-01"}, w.dsw.ID, by(w.worker))
	wantErr(t, err, errs.Invalid, "given_by", "consent.guardian_required")
	c, err := db.RecordConsent(ctx, consent.Grant{PersonID: w.child.ID, Basis: consent.Consent, Purposes: []consent.Purpose{consent.ForReferral},
		ReceiverKind: string(organisations.HealthCentre), Dimensions: []people.Dimension{people.Health}, GivenBy: consent.GivenByMother,
		GiverName: "นางมะลิ ดีใจ", GivenOn: "2026-03-01", ExpiresOn: "2027-03-01"}, w.dsw.ID, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := send("health_check", onConsent); err != nil {
		t.Fatalf("covered referral: %v", err)
	}
	_, err = send("counselling", onConsent) // safety: not consented
	wantErr(t, err, errs.Invalid, "lawful_basis.kind", "consent.none_covers")

	// Withdrawn: the next referral on consent is refused; a legal duty
	// with its section still goes.
	if _, err := db.WithdrawConsent(ctx, c.ID, "มารดาขอถอนความยินยอม", by(w.worker)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.WithdrawConsent(ctx, c.ID, "again", by(w.worker)); !errs.Is(err, errs.Conflict) {
		t.Fatalf("withdrawn twice: %v", err)
	}
	_, err = send("health_check", onConsent)
	wantErr(t, err, errs.Invalid, "lawful_basis.kind", "consent.none_covers")
	_, err = send("counselling", cases.LawfulBasis{Kind: cases.LegalDuty})
	wantErr(t, err, errs.Invalid, "lawful_basis.reference", "")
	if _, err := send("counselling", cases.LawfulBasis{Kind: cases.LegalDuty, Reference: "พ.ร.บ.คุ้มครองเด็ก พ.ศ. 2546 ม.41"}); err != nil {
		t.Fatalf("legal duty: %v", err)
	}
	ds, err := db.Disclosures(ctx, w.child.ID, by(w.worker))
	if err != nil || len(ds) != 2 || ds[0].Basis != consent.LegalDuty || ds[1].ConsentID != c.ID {
		t.Fatalf("disclosures %+v %v", ds, err)
	}
	ledger, err := db.Consents(ctx, w.child.ID, by(w.worker))
	if err != nil || len(ledger) != 1 || ledger[0].WithdrawnAt == nil || ledger[0].Active(w.clock.Now()) {
		t.Fatalf("ledger %+v %v", ledger, err)
	}
}

func hasNotice(ns []store.UserNotification, kind string) bool {
	for _, n := range ns {
		if n.Kind == kind {
			return true
		}
	}
	return false
}
