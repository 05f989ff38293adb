package store_test

import (
	"testing"

	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/learning"
	"termtem/internal/store"
)

func TestPracticeGuidesVersioned(t *testing.T) {
	w := newNetworkWorld(t)
	db := w.db
	g := learning.Guide{Indicator: "EDU02", Level: flower.Red, WhatToCheck: "ขาดเรียนกี่วัน เหตุใด", FirstSteps: "เยี่ยมบ้านภายใน 7 วัน",
		LegalDuty: "พ.ร.บ.การศึกษาภาคบังคับ พ.ศ. 2545"}
	v1, err := db.WriteGuide(ctx, g, 0, by(w.worker))
	if err != nil || v1.Version != 1 || v1.AuthorID != w.worker.ID {
		t.Fatalf("v1 %+v %v", v1, err)
	}
	// Written from version 0 again: someone wrote version 1 meanwhile.
	_, err = db.WriteGuide(ctx, g, 0, by(w.supervisor))
	wantErr(t, err, errs.Stale, "", "error.stale")
	g.FirstSteps = "เยี่ยมบ้านภายใน 3 วัน และประสานครูประจำชั้น"
	v2, err := db.WriteGuide(ctx, g, 1, by(w.supervisor))
	if err != nil || v2.Version != 2 {
		t.Fatalf("v2 %+v %v", v2, err)
	}
	all, err := db.GuideVersions(ctx, "edu02", flower.Red)
	if err != nil || len(all) != 2 || all[0].Version != 2 || all[1].FirstSteps != "เยี่ยมบ้านภายใน 7 วัน" {
		t.Fatalf("versions %+v %v", all, err)
	}
	latest, err := db.LatestGuides(ctx)
	if err != nil || len(latest) != 1 || latest[0].Version != 2 {
		t.Fatalf("latest %+v %v", latest, err)
	}
	bad := g
	bad.Level = flower.Green
	_, err = db.WriteGuide(ctx, bad, 0, by(w.worker))
	wantErr(t, err, errs.Invalid, "level", "field.choice")
	if n := auditCount(t, db, store.ActionGuideWritten, ""); n != 2 {
		t.Errorf("%d audit rows", n)
	}
}

func TestLessonsAnonymised(t *testing.T) {
	w := newNetworkWorld(t)
	db := w.db
	c, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: w.pupil.ID, Risk: cases.RiskMedium, Origin: cases.FromWorker,
		OrganisationID: w.dsw.ID, ManagerID: w.worker.ID}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	in := store.LessonInput{CaseID: c.ID, OrganisationID: w.dsw.ID, AuthorID: w.worker.ID, Lesson: learning.Lesson{Indicators: []string{"EDU02"},
		Situation: "เด็กไร้สัญชาติอายุ 9 ปี ไม่ได้เข้าเรียน", Lesson: "โรงเรียนรับเด็กไม่มีเลขประจำตัวได้ตามระเบียบ ใช้เลข G"}}
	_, err = db.WriteLesson(ctx, in, by(w.worker))
	wantErr(t, err, errs.Invalid, "case_id", "lesson.case_open")
	if c, err = db.MoveCase(ctx, c.ID, c.Version, cases.Closed, "กลับเข้าเรียนแล้ว", by(w.worker)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		situation, lesson, field, msg string
		line                          int
	}{
		{"ครอบครัวดีใจย้ายบ้านบ่อย", "x", "situation", "lesson.identifying.name", 1},
		{"ปกติ", "บรรทัดแรก\nน้องต้นกล้าได้เรียนแล้ว", "lesson", "lesson.identifying.name", 2},
		{"แม่ให้เลข 1-1009-00359-65-7", "x", "situation", "lesson.identifying.national_id", 1},
		{"ปกติ", "โทรหาแม่ 089 123 4567", "lesson", "lesson.identifying.phone", 1},
	} {
		bad := in
		bad.Lesson.Situation, bad.Lesson.Lesson = tc.situation, tc.lesson
		_, err := db.WriteLesson(ctx, bad, by(w.worker))
		if e := wantErr(t, err, errs.Invalid, tc.field, tc.msg); e.Line != tc.line {
			t.Errorf("%q: line %d", tc.lesson, e.Line)
		}
	}
	// Someone who was not on the case may not write its lesson.
	other := in
	other.AuthorID, other.OrganisationID = w.teacher.ID, w.school.ID
	_, err = db.WriteLesson(ctx, other, by(w.teacher))
	wantErr(t, err, errs.Invalid, "case_id", "case.not_found")
	l, err := db.WriteLesson(ctx, in, by(w.worker))
	if err != nil || l.ID == "" || len(l.Indicators) != 1 {
		t.Fatalf("lesson %+v %v", l, err)
	}
	for _, f := range []store.LessonFilter{{Indicator: "edu02"}, {Search: "ไร้สัญชาติ เลข"}, {Indicator: "EDU02", Search: "โรงเรียน"}} {
		if got, err := db.SearchLessons(ctx, f); err != nil || len(got) != 1 || got[0].OrgName != w.dsw.NameTH {
			t.Errorf("%+v: %+v %v", f, got, err)
		}
	}
	if got, _ := db.SearchLessons(ctx, store.LessonFilter{Indicator: "HLT02"}); len(got) != 0 {
		t.Errorf("other indicator found %d", len(got))
	}
}
