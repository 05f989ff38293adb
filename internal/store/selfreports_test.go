package store_test

import (
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

func TestPeriodicSelfReports(t *testing.T) {
	w := newNetworkWorld(t)
	db := w.db
	family, err := db.SaveUser(ctx, account.User{Username: "family.dijai", DisplayName: "ครอบครัวดีใจ", Kind: account.FamilyAccount,
		PasswordHash: "$argon2id$placeholder", Memberships: []account.Membership{{OrganisationID: w.dsw.ID, RoleCode: account.RoleFamily}}}, actor())
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: w.pupil.ID, Risk: cases.RiskMedium, Origin: cases.FromWorker,
		OrganisationID: w.dsw.ID, ManagerID: w.worker.ID}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.SetSelfReportSchedule(ctx, c.ID, family.ID, 14, 0, by(w.worker))
	wantErr(t, err, errs.Invalid, "case_id", "selfreport.no_plan")
	if c, err = db.AddGoal(ctx, c.ID, c.Version, cases.Goal{Dimension: people.Education, From: flower.Red, Target: flower.Green,
		TargetDate: "2026-09-01", Commitment: "แม่จะพาลูกไปโรงเรียนทุกวัน"}, by(w.worker)); err != nil {
		t.Fatal(err)
	}
	_, err = db.SetSelfReportSchedule(ctx, c.ID, w.teacher.ID, 14, 0, by(w.worker))
	wantErr(t, err, errs.Invalid, "family_user_id", "selfreport.not_family")
	_, err = db.SetSelfReportSchedule(ctx, c.ID, family.ID, 3, 0, by(w.worker))
	wantErr(t, err, errs.Invalid, "interval_days", "selfreport.interval")
	s, err := db.SetSelfReportSchedule(ctx, c.ID, family.ID, 14, 0, by(w.worker))
	if err != nil || s.NextDue != "2026-03-15" || s.Version != 1 {
		t.Fatalf("schedule %+v %v", s, err)
	}
	_, err = db.SetSelfReportSchedule(ctx, c.ID, family.ID, 14, 0, by(w.worker))
	wantErr(t, err, errs.Stale, "", "error.stale")

	run := func(want store.SelfReportRun) {
		t.Helper()
		got, err := db.RunSelfReports(ctx)
		if err != nil || got != want {
			t.Fatalf("run %+v %v, want %+v", got, err, want)
		}
	}
	notices := func(userID, kind string) int {
		t.Helper()
		ns, _, err := db.ListNotifications(ctx, userID, 100)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range ns {
			if x.Kind == kind {
				n++
			}
		}
		return n
	}
	run(store.SelfReportRun{})
	w.clock.Advance(12 * 24 * time.Hour) // 13 March: two days before the due date
	run(store.SelfReportRun{Reminded: 1})
	run(store.SelfReportRun{}) // once per due date
	if notices(family.ID, "notify.selfreport_due") != 1 {
		t.Errorf("family not reminded through the outbox")
	}
	w.clock.Advance(6 * 24 * time.Hour) // 19 March: four days late
	run(store.SelfReportRun{Missed: 1})
	in, err := db.UserInbox(ctx, w.worker.ID, by(w.worker))
	if err != nil || len(in.MissedReports) != 1 || in.MissedReports[0].CaseID != c.ID || in.MissedReports[0].DueOn != "2026-03-15" {
		t.Fatalf("inbox %+v %v", in.MissedReports, err)
	}
	if notices(w.worker.ID, "notify.selfreport_missed") != 1 {
		t.Errorf("case manager not told")
	}
	// The family assesses itself: the report is in, the next one due.
	if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Household, SubjectID: w.household.ID, Source: store.ByFamily,
		OrganisationID: w.dsw.ID}, actor()); err != nil {
		t.Fatal(err)
	}
	run(store.SelfReportRun{Reported: 1})
	s, err = db.SelfReportScheduleOf(ctx, c.ID)
	if err != nil || s.NextDue != "2026-03-29" || s.Missed {
		t.Fatalf("after the report %+v %v", s, err)
	}
	if in, _ := db.UserInbox(ctx, w.worker.ID, by(w.worker)); len(in.MissedReports) != 0 {
		t.Errorf("missed report still in the inbox")
	}
}
