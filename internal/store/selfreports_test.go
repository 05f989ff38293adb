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
	if c, err = db.AddStep(ctx, c.ID, c.Version, cases.Step{What: "พาลูกไปพบครูแนะแนว", OrganisationID: w.dsw.ID, ResponsibleID: family.ID,
		DueOn: "2026-04-01"}, "", by(w.worker)); err != nil {
		t.Fatal(err)
	}
	if c, err = db.AddStep(ctx, c.ID, c.Version, cases.Step{What: "ประสานโรงเรียน", OrganisationID: w.dsw.ID, ResponsibleID: w.worker.ID,
		DueOn: "2026-04-01"}, "", by(w.worker)); err != nil {
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
	// The family assesses itself, but has not yet said how its
	// commitments go: the report is not in.
	if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Household, SubjectID: w.household.ID, Source: store.ByFamily,
		OrganisationID: w.dsw.ID}, actor()); err != nil {
		t.Fatal(err)
	}
	run(store.SelfReportRun{})
	// Its commitments: the goal in its words, and the step its account is
	// responsible for (another step, someone else's, is not its own).
	plans, err := db.FamilyPlans(ctx, family.ID, by(family))
	if err != nil || len(plans) != 1 || plans[0].CaseID != c.ID || len(plans[0].Commitments) != 2 {
		t.Fatalf("family plans %+v %v", plans, err)
	}
	goal, step := plans[0].Commitments[0], plans[0].Commitments[1]
	if goal.Kind != "goal" || goal.Text != "แม่จะพาลูกไปโรงเรียนทุกวัน" || step.Kind != "step" || step.Text != "พาลูกไปพบครูแนะแนว" || goal.ThisPeriod {
		t.Fatalf("commitments %+v", plans[0].Commitments)
	}
	if n := auditCount(t, db, store.ActionCommitmentsRead, c.ID); n != 1 {
		t.Errorf("%d audit rows of the family's read", n)
	}
	// Bad answers: another family, an unknown commitment, a wrong answer.
	other, err := db.SaveUser(ctx, account.User{Username: "family.other", DisplayName: "ครอบครัวอื่น", Kind: account.FamilyAccount,
		PasswordHash: "$argon2id$placeholder", Memberships: []account.Membership{{OrganisationID: w.dsw.ID, RoleCode: account.RoleFamily}}}, actor())
	if err != nil {
		t.Fatal(err)
	}
	err = db.ReportProgress(ctx, c.ID, other.ID, []store.ProgressInput{{CommitmentID: goal.ID, Progress: store.ProgressOnTrack}}, by(other))
	wantErr(t, err, errs.NotFound, "", "selfreport.none")
	err = db.ReportProgress(ctx, c.ID, family.ID, []store.ProgressInput{{CommitmentID: w.worker.ID, Progress: store.ProgressOnTrack}}, by(family))
	wantErr(t, err, errs.Invalid, "progress."+w.worker.ID, "commitment.unknown")
	err = db.ReportProgress(ctx, c.ID, family.ID, []store.ProgressInput{{CommitmentID: goal.ID, Progress: store.ProgressOnTrack},
		{CommitmentID: step.ID, Progress: "great"}}, by(family))
	wantErr(t, err, errs.Invalid, "progress."+step.ID, "commitment.progress")
	// One commitment reported: still not in.
	if err := db.ReportProgress(ctx, c.ID, family.ID, []store.ProgressInput{{CommitmentID: goal.ID, Progress: store.ProgressStruggling,
		Note: "ลูกไม่อยากไปวันจันทร์"}}, by(family)); err != nil {
		t.Fatal(err)
	}
	run(store.SelfReportRun{})
	// Both: the report is in, the next one due; the case manager sees each.
	if err := db.ReportProgress(ctx, c.ID, family.ID, []store.ProgressInput{{CommitmentID: goal.ID, Progress: store.ProgressOnTrack, Note: "ไปครบทุกวันแล้ว"},
		{CommitmentID: step.ID, Progress: store.ProgressDone}}, by(family)); err != nil {
		t.Fatal(err)
	}
	seen, err := db.CaseCommitments(ctx, c.ID)
	if err != nil || len(seen) != 2 || seen[0].Latest == nil || seen[0].Latest.Progress != store.ProgressOnTrack || seen[0].Latest.Note != "ไปครบทุกวันแล้ว" ||
		seen[0].Latest.PeriodDue != "2026-03-15" || !seen[0].ThisPeriod || seen[1].Latest == nil || seen[1].Latest.Progress != store.ProgressDone {
		t.Fatalf("case manager sees %+v %v", seen, err)
	}
	if n := auditCount(t, db, store.ActionCommitmentsReported, c.ID); n != 2 {
		t.Errorf("%d audit rows of reports", n)
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
