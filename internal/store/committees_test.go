package store_test

import (
	"testing"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/committees"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/organisations"
	"termtem/internal/store"
)

func TestMeetingsAndResolutions(t *testing.T) {
	w := newNetworkWorld(t)
	db := w.db
	// The chair manages cases at the welfare unit and sits on the district
	// child-protection committee; the secretary only sits on it.
	chair := newUser(t, db, "chair", account.Membership{OrganisationID: w.dsw.ID, RoleCode: account.RoleCaseManager},
		account.Membership{OrganisationID: w.cpc.ID, RoleCode: account.RoleCommitteeMember})
	// The chair's committees are the one committee among its units.
	if mine, err := db.UserCommittees(ctx, chair.ID); err != nil || len(mine) != 1 || mine[0].ID != w.cpc.ID {
		t.Fatalf("chair's committees %+v %v", mine, err)
	}
	if mine, err := db.UserCommittees(ctx, w.worker.ID); err != nil || len(mine) != 0 {
		t.Fatalf("a worker on no committee: %+v %v", mine, err)
	}
	kase, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: w.pupil.ID, Risk: cases.RiskHigh, Origin: cases.FromWorker,
		OrganisationID: w.dsw.ID, ManagerID: w.worker.ID}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.SaveMeeting(ctx, committees.Meeting{CommitteeID: w.cpc.ID, Title: "ประชุมครั้งที่ 1/2569", HeldOn: "2026-03-01",
		Agenda: "เด็กสีแดงด้านการศึกษา\nบริการที่รอนาน", Attendance: []committees.Attendee{{UserID: chair.ID, Present: true}, {UserID: w.secret.ID, Present: true}}},
		by(w.secret))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.AgendaItems()) != 2 || len(m.Attendance) != 2 || !m.Attendance[0].Present {
		t.Fatalf("meeting %+v", m)
	}
	// Bad input: a non-member's attendance, a non-committee, a stale version.
	bad := m
	bad.Attendance = []committees.Attendee{{UserID: w.teacher.ID, Present: true}}
	_, err = db.SaveMeeting(ctx, bad, by(w.secret))
	wantErr(t, err, errs.Invalid, "attendance", "meeting.not_member")
	_, err = db.SaveMeeting(ctx, committees.Meeting{CommitteeID: w.hc.ID, Title: "x", HeldOn: "2026-03-01"}, by(w.secret))
	wantErr(t, err, errs.Invalid, "committee_id", "meeting.not_committee")
	m.Minutes = "ที่ประชุมรับทราบ"
	m.Attendance = nil
	if m, err = db.SaveMeeting(ctx, m, by(w.secret)); err != nil || m.Version != 2 || len(m.Attendance) != 2 {
		t.Fatalf("minutes %+v %v", m, err)
	}
	m.Version = 1
	_, err = db.SaveMeeting(ctx, m, by(w.secret))
	wantErr(t, err, errs.Stale, "", "error.stale")

	// A resolution's owner must work in the committee's organisations.
	res := committees.Resolution{Text: "โรงเรียนรับเด็กกลับเข้าเรียนภายใน 2 สัปดาห์", OwnerID: w.teacher.ID, DueOn: "2026-03-15"}
	_, err = db.AddResolution(ctx, m.ID, res, by(w.secret))
	wantErr(t, err, errs.Invalid, "owner_id", "resolution.owner_outside")
	if err := db.AddCommitteeOrganisation(ctx, w.cpc.ID, w.school.ID, actor()); err != nil {
		t.Fatal(err)
	}
	sys, err := db.AddResolution(ctx, m.ID, res, by(w.secret))
	if err != nil || sys.OwnerOrgID != w.school.ID || sys.Status != committees.Open || sys.Addresses != committees.AddressesSystem {
		t.Fatalf("system resolution %+v %v", sys, err)
	}
	// A resolution about a case: only someone who may see the case may
	// name it, and only such members see it named.
	onCase := committees.Resolution{Text: "ทีมเยี่ยมบ้านร่วมกับโรงเรียน", OwnerID: chair.ID, DueOn: "2026-03-10", CaseIDs: []string{kase.ID}}
	_, err = db.AddResolution(ctx, m.ID, onCase, by(w.secret))
	wantErr(t, err, errs.Invalid, "case_ids", "resolution.case_unknown")
	cr, err := db.AddResolution(ctx, m.ID, onCase, by(chair))
	if err != nil || len(cr.CaseIDs) != 1 || cr.Addresses != committees.AddressesCases {
		t.Fatalf("case resolution %+v %v", cr, err)
	}
	seen, err := db.GetMeeting(ctx, m.ID, by(w.secret))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range seen.Resolutions {
		if r.ID == cr.ID && (len(r.CaseIDs) != 0 || r.HiddenCases != 1) {
			t.Errorf("the secretary sees the case: %+v", r)
		}
	}
	before := auditCount(t, db, store.ActionResolutionCase, kase.ID)
	if _, err := db.GetMeeting(ctx, m.ID, by(chair)); err != nil {
		t.Fatal(err)
	}
	if after := auditCount(t, db, store.ActionResolutionCase, kase.ID); after != before+1 {
		t.Errorf("case shown to the chair audited %d → %d", before, after)
	}
	// Follow-up: done needs a note; the version decides.
	_, err = db.FollowUpResolution(ctx, sys.ID, sys.Version, committees.Done, "", by(w.teacher))
	wantErr(t, err, errs.Invalid, "follow_up", "resolution.note_required")
	done, err := db.FollowUpResolution(ctx, sys.ID, sys.Version, committees.Done, "รับกลับแล้ว 3 คน", by(w.teacher))
	if err != nil || done.Status != committees.Done {
		t.Fatalf("follow-up %+v %v", done, err)
	}
	_, err = db.FollowUpResolution(ctx, sys.ID, sys.Version, committees.InProgress, "", by(w.teacher))
	wantErr(t, err, errs.Stale, "", "error.stale")
	owned, err := db.OwnedResolutions(ctx, chair.ID, by(chair))
	if err != nil || len(owned) != 1 || owned[0].ID != cr.ID {
		t.Errorf("owned %+v %v", owned, err)
	}
}

func TestSystemConstraintsEscalated(t *testing.T) {
	w := newNetworkWorld(t)
	db := w.db
	bkk, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "BKK-CPC-T", Kind: organisations.BangkokChildProtection, NameTH: "คณะกรรมการคุ้มครองเด็กกรุงเทพมหานคร",
		PlaceID: mustPlaceByCode(t, db, "10").ID, Active: true}, actor())
	if err != nil {
		t.Fatal(err)
	}
	bkkMember := newUser(t, db, "bkk", account.Membership{OrganisationID: bkk.ID, RoleCode: account.RoleCommitteeMember})
	in := store.ConstraintInput{OrganisationID: w.dsw.ID, Constraint: committees.Constraint{Theme: "staff_shortage", Title: "ไม่มีนักจิตวิทยาเด็กในเขต",
		Description: "เด็กที่ต้องพบนักจิตวิทยาต้องรอนานกว่า 90 วัน",
		Evidence:    []committees.Figure{{Label: "เด็กที่รอพบนักจิตวิทยา", Value: 3, Unit: "children"}, {Label: "เวลารอ", Value: 92, Unit: "days"}}}}
	_, err = db.RaiseConstraint(ctx, in, by(w.worker))
	wantErr(t, err, errs.Invalid, "evidence[0].value", "constraint.evidence_small")
	in.Constraint.Evidence[0].Value = 12
	c, err := db.RaiseConstraint(ctx, in, by(w.worker))
	if err != nil || c.HolderID != w.cpc.ID || c.Status != committees.Raised || c.Level != committees.LevelDistrict || len(c.Evidence) != 2 {
		t.Fatalf("raised %+v %v", c, err)
	}
	// Only the holder answers; a stranger does not even see it.
	_, err = db.AnswerConstraint(ctx, c.ID, c.Version, committees.UnderReview, "", "", "", by(bkkMember))
	wantErr(t, err, errs.Forbidden, "", "constraint.not_holder")
	_, err = db.GetConstraint(ctx, c.ID, by(w.teacher))
	wantErr(t, err, errs.NotFound, "", "constraint.not_found")
	if c, err = db.AnswerConstraint(ctx, c.ID, c.Version, committees.UnderReview, "", "", "", by(w.secret)); err != nil {
		t.Fatal(err)
	}
	if c, err = db.EscalateConstraint(ctx, c.ID, c.Version, "เกินอำนาจระดับเขต", by(w.secret)); err != nil || c.HolderID != bkk.ID || c.Level != committees.LevelBangkok ||
		c.Status != committees.Raised {
		t.Fatalf("escalated %+v %v", c, err)
	}
	_, err = db.AnswerConstraint(ctx, c.ID, c.Version, committees.Declined, "", "", " ", by(bkkMember))
	wantErr(t, err, errs.Invalid, "decline_reason", "constraint.reason_required")
	_, err = db.AnswerConstraint(ctx, c.ID, c.Version, committees.Decided, "จัดสรรนักจิตวิทยาหมุนเวียน", "", "", by(bkkMember))
	wantErr(t, err, errs.Invalid, "who_acts", "field.required")
	// No ministry contact configured: Bangkok is the top, and passing it on
	// is refused saying what to configure.
	_, err = db.EscalateConstraint(ctx, c.ID, c.Version, "", by(bkkMember))
	wantErr(t, err, errs.Conflict, "", "constraint.no_ministry_contact")
	// One configured that Termtem does not know is refused too, naming it.
	db.MinistryContact = "NO-SUCH-MINISTRY"
	_, err = db.EscalateConstraint(ctx, c.ID, c.Version, "", by(bkkMember))
	if e := errs.As(err); e.MessageID != "constraint.ministry_unknown" || e.Data["Code"] != "NO-SUCH-MINISTRY" {
		t.Fatalf("unknown ministry contact: %v", err)
	}
	db.MinistryContact = ""
	if c, err = db.AnswerConstraint(ctx, c.ID, c.Version, committees.Decided, "จัดสรรนักจิตวิทยาหมุนเวียนสัปดาห์ละ 2 วัน", "สำนักพัฒนาสังคม", "", by(bkkMember)); err != nil {
		t.Fatal(err)
	}
	// The raiser sees the answer and its way up.
	got, err := db.GetConstraint(ctx, c.ID, by(w.worker))
	if err != nil || got.Status != committees.Decided || got.WhoActs != "สำนักพัฒนาสังคม" || len(got.Events) != 4 {
		t.Fatalf("raiser sees %+v %v", got, err)
	}
	mine, err := db.ListConstraints(ctx, store.ConstraintFilter{UserID: w.worker.ID})
	if err != nil || len(mine) != 1 {
		t.Fatalf("mine %d %v", len(mine), err)
	}
	tally, err := db.OpenConstraintsByTheme(ctx)
	if err != nil || len(tally) != 1 || tally[0].Open != 1 || tally[0].Theme != "staff_shortage" {
		t.Fatalf("tally %+v %v", tally, err)
	}
	if c, err = db.AnswerConstraint(ctx, c.ID, c.Version, committees.Resolved, "", "", "", by(bkkMember)); err != nil {
		t.Fatal(err)
	}
	if tally, _ := db.OpenConstraintsByTheme(ctx); len(tally) != 0 {
		t.Errorf("a resolved constraint still open: %+v", tally)
	}
	// With a ministry contact configured (by its code, as the operator
	// writes it), Bangkok can pass a new one on.
	ministry := newOrg(t, db, "MSDHS")
	db.MinistryContact = ministry.Code
	if o, err := db.MinistryContactOrganisation(ctx); err != nil || o.ID != ministry.ID {
		t.Fatalf("ministry contact %+v %v", o, err)
	}
	c2, err := db.RaiseConstraint(ctx, in, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	if c2, err = db.EscalateConstraint(ctx, c2.ID, c2.Version, "", by(w.secret)); err != nil {
		t.Fatal(err)
	}
	if c2, err = db.EscalateConstraint(ctx, c2.ID, c2.Version, "ต้องแก้ระเบียบระดับกระทรวง", by(bkkMember)); err != nil || c2.Level != committees.LevelMinistry || c2.HolderID != ministry.ID {
		t.Fatalf("to the ministry %+v %v", c2, err)
	}
}
