package store_test

import (
	"reflect"
	"strings"
	"testing"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/dashboards"
	"termtem/internal/demo"
	"termtem/internal/flower"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// TestDashboardMemoGivesTheSameFigures reads every dashboard view along a
// line of places of a generated population (people, service records,
// assessments, cases, referrals, alerts) three ways: with the memo of
// protected families empty, again with it full (each view reusing the
// families the views above it kept), and with it switched off; every
// figure, mark and count must be the same. Then a change through the
// store must show at once: the memo must not serve the old figures.
func TestDashboardMemoGivesTheSameFigures(t *testing.T) {
	w := newCaseWorld(t)
	db := w.db
	if _, err := demo.Populate(ctx, db, demo.PopulationOptions{People: 1200, Seed: 16}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.PopulateActivity(ctx, db, demo.ActivityOptions{Seed: 16, RecordsPerPerson: 2, AssessmentsPerSubject: 2}); err != nil {
		t.Fatal(err)
	}
	viewer := access.ForRequest(ctx, &account.Principal{
		User:        account.User{ID: "memo-executive", Memberships: []account.Membership{{RoleCode: account.RoleSystemAdmin}}},
		Permissions: map[account.Permission]bool{account.ReportsAggregate: true}})
	line, err := db.PlacePath(ctx, w.household.CommunityID)
	if err != nil || len(line) != 5 {
		t.Fatalf("line of the community: %d places, %v", len(line), err)
	}
	now := db.Now()
	periods := []dashboards.Period{}
	for _, p := range [][2]string{{"", ""}, {"2025-01", "2025-06"}} {
		period, err := dashboards.ParsePeriod(p[0], p[1], now)
		if err != nil {
			t.Fatal(err)
		}
		periods = append(periods, period)
	}
	type view struct {
		q         store.DashboardQuery
		indicator string
	}
	var views []view
	// From the community up, then down again: views whose families are
	// kept only in part, and views found whole.
	for _, i := range []int{4, 0, 1, 2, 3, 4, 2} {
		for _, period := range periods {
			views = append(views,
				view{q: store.DashboardQuery{PlaceID: line[i].ID, Period: period}},
				view{q: store.DashboardQuery{PlaceID: line[i].ID, Period: period, Dimension: "economy", UnseenDays: 365}},
				view{q: store.DashboardQuery{PlaceID: line[i].ID, Period: period}, indicator: "red_health"},
				view{q: store.DashboardQuery{PlaceID: line[i].ID, Period: period}, indicator: "not_enrolled"},
			)
		}
	}
	read := func(v view) any {
		t.Helper()
		var got any
		var err error
		if v.indicator != "" {
			got, err = db.DashboardIndicator(viewer, v.q, v.indicator, actor())
		} else {
			got, err = db.Dashboard(viewer, v.q, actor())
		}
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	readAll := func(memo bool, fresh bool) []any {
		if fresh || !memo {
			db.DashboardMemoForTest(memo)
		}
		var out []any
		for _, v := range views {
			out = append(out, read(v))
		}
		return out
	}
	compare := func(what string, a, b []any) {
		t.Helper()
		for i := range a {
			// Every field, the counts behind the marks included.
			if !reflect.DeepEqual(a[i], b[i]) {
				t.Fatalf("%s: view %d (%s at %s) differs", what, i, views[i].indicator, views[i].q.PlaceID)
			}
		}
	}
	cold := readAll(true, true)
	warm := readAll(true, false)
	off := readAll(false, true)
	compare("memo filling vs no memo", cold, off)
	compare("memo full vs no memo", warm, off)

	// A change through the store gives the flower counters a new version:
	// the kept families are not used for it.
	db.DashboardMemoForTest(true)
	readAll(true, false)
	for range 3 {
		if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.child.ID,
			Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated"}}, Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker)); err != nil {
			t.Fatal(err)
		}
	}
	// And a referral: its month's counters get a new version.
	if _, err := db.SendReferral(ctx, store.ReferralInput{PersonID: w.child.ID, FromOrg: w.dsw.ID, FromUser: w.worker.ID, ToOrg: w.hc.ID,
		Service: "health_check", Urgency: cases.High, Reason: "ส่งต่อเพื่อตรวจ",
		Basis: cases.LawfulBasis{Kind: cases.LegalDuty, Reference: "พ.ร.บ.คุ้มครองเด็ก ม.41"}}, by(w.worker)); err != nil {
		t.Fatal(err)
	}
	after := readAll(true, false)
	if reflect.DeepEqual(after[0].(store.Dashboard).FlowerChildren, warm[0].(store.Dashboard).FlowerChildren) {
		t.Fatal("the community's children's flower did not change with its child's assessments")
	}
	if reflect.DeepEqual(after[0].(store.Dashboard).ReferralServices, warm[0].(store.Dashboard).ReferralServices) {
		t.Fatal("the community's referral table did not change with its child's referral")
	}
	compare("memo after a change vs no memo", after, readAll(false, true))
}

// TestReferralMonthsReadFromTheirIndex: a dashboard reads a place's
// referral counters a month at a time from the index holding every column
// it reads (migration 00034), not through the primary key and the table.
func TestReferralMonthsReadFromTheirIndex(t *testing.T) {
	db := storetest.Open(t)
	plan, err := db.PlanForTest(ctx, store.ReferralMonthsQueryForTest, "no-such-place", "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "dash_referrals_months") {
		t.Errorf("the referral months are not read from dash_referrals_months; the plan:\n%s", plan)
	}
}
