package store_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// TestDashboardCountersMatchRebuild makes a random sequence of the changes
// that move the dashboard counters (people created and moved, households
// moved, assessments, service records, referrals, cases, plan steps,
// hand-offs, alerts), then checks that the counters kept incrementally are
// exactly what a full rebuild computes from the records.
func TestDashboardCountersMatchRebuild(t *testing.T) {
	w := newCaseWorld(t)
	db := w.db
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	in, err := db.CurrentInstrument(ctx)
	if err != nil {
		t.Fatal(err)
	}
	choices := map[flower.Subject][]*flower.Indicator{}
	for _, ind := range in.Indicators {
		if ind.Answer.Kind == flower.Choice && len(ind.Answer.Options) > 0 {
			choices[ind.Subject] = append(choices[ind.Subject], ind)
		}
	}
	communities := []string{w.household.CommunityID, newCommunity(t, db, "D2").ID, newCommunity(t, db, "D3").ID}
	subs, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: mustPlaceByCode(t, db, "1011").ID})
	if err != nil || len(subs) < 2 {
		t.Fatalf("sub-districts %d %v", len(subs), err)
	}
	households := []people.Household{w.household}
	children := []people.Person{w.child}
	var referrals []store.Referral
	var caseList []store.Case
	var handoffs []store.Handoff
	var alerts []store.Alert
	answers := func(s flower.Subject) map[string]flower.Answer {
		out := map[string]flower.Answer{}
		for range 1 + rng.IntN(3) {
			ind := choices[s][rng.IntN(len(choices[s]))]
			out[ind.Code] = flower.Answer{Option: ind.Answer.Options[rng.IntN(len(ind.Answer.Options))].Code}
		}
		return out
	}
	refreshChild := func(i int) {
		p, err := db.GetPerson(ctx, children[i].ID, actor())
		if err != nil {
			t.Fatal(err)
		}
		children[i] = p
	}
	done := map[string]int{}
	// refusable: a rule of the domain may refuse a random step (an answer
	// not asked at this age, a move not allowed from this status); the
	// test needs only that what is stored moved the counters rightly.
	refusable := func(op string, err error) {
		t.Helper()
		if err == nil {
			done[op]++
			return
		}
		if e := errs.As(err); e == nil || e.Code == errs.Internal {
			t.Fatalf("%s: %v", op, err)
		}
	}
	// apply makes one change of kind op.
	apply := func(step, op int) {
		switch op {
		case 13: // a community is moved to another sub-district
			p, err := db.GetPlace(ctx, communities[1+rng.IntN(len(communities)-1)])
			if err != nil {
				t.Fatal(err)
			}
			// A community's code starts with its sub-district's code, so
			// the move carries the code along.
			sub := subs[rng.IntN(len(subs))]
			p.ParentID, p.Code = sub.ID, sub.Code+p.Code[strings.LastIndex(p.Code, "-"):]
			_, err = db.SavePlace(ctx, p, actor())
			refusable("move community", err)
		case 0: // a child is born or registered
			h := households[rng.IntN(len(households))]
			nat := people.Thai
			if rng.IntN(4) == 0 {
				nat = people.Myanmar
			}
			birth := fmt.Sprintf("%d-%02d-%02d", 2014+rng.IntN(12), 1+rng.IntN(12), 1+rng.IntN(28))
			if birth > "2026-02-28" {
				birth = "2025-06-15"
			}
			p, err := db.CreatePerson(ctx, people.Person{GivenName: fmt.Sprintf("เด็ก%d", step), FamilyName: "ทดสอบ", BirthDate: birth,
				Nationality: nat, HouseholdID: h.ID, Relation: people.RelChild}, actor())
			refusable("child", err)
			if err == nil {
				children = append(children, p)
			}
		case 1: // a new household
			h, err := db.SaveHousehold(ctx, people.Household{CommunityID: communities[rng.IntN(len(communities))], Address: "บ้านทดสอบ"}, actor())
			refusable("household", err)
			if err == nil {
				households = append(households, h)
			}
		case 2: // a child moves to another household
			i := rng.IntN(len(children))
			refreshChild(i)
			p := children[i]
			p.HouseholdID = households[rng.IntN(len(households))].ID
			p, err := db.UpdatePerson(ctx, p, actor())
			refusable("move child", err)
			if err == nil {
				children[i] = p
			}
		case 3: // a household moves to another community
			i := rng.IntN(len(households))
			h, err := db.GetHousehold(ctx, households[i].ID, actor())
			if err != nil {
				t.Fatal(err)
			}
			hh := h.Household
			hh.CommunityID = communities[rng.IntN(len(communities))]
			hh, err = db.SaveHousehold(ctx, hh, actor())
			refusable("move household", err)
			if err == nil {
				households[i] = hh
			}
		case 4, 5: // an assessment, sometimes back-dated
			subject, id := flower.Child, children[rng.IntN(len(children))].ID
			if op == 5 {
				subject, id = flower.Household, households[rng.IntN(len(households))].ID
			}
			a, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: subject, SubjectID: id, Answers: answers(subject),
				On: w.clock.Now().AddDate(0, 0, -rng.IntN(90)).Format(time.DateOnly), Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker))
			refusable("assess "+string(subject), err)
			alerts = append(alerts, a.Alerts...)
		case 6: // a service record
			c := children[rng.IntN(len(children))]
			r := people.Record{PersonID: c.ID, OccurredOn: w.clock.Now().AddDate(0, 0, -rng.IntN(400)).Format(time.DateOnly), OrganisationID: w.hc.ID}
			switch rng.IntN(4) {
			case 0:
				r.Kind, r.OrganisationID, r.Data = people.SchoolEnrolment, w.school.ID, people.RecordData{Grade: "p1"}
			case 1:
				r.Kind, r.OrganisationID, r.Data = people.DropOut, w.school.ID, people.RecordData{Reason: "ย้ายตามผู้ปกครอง"}
			case 2:
				r.Kind, r.Data = people.DevelopmentScreening, people.RecordData{ScreeningAge: people.DSPMAges[rng.IntN(5)],
					Domains: &people.Domains{GM: "pass", FM: "pass", RL: "pass", EL: "pass", PS: "pass"}}
			default:
				r.Kind, r.OrganisationID, r.Data = people.WelfareGrant, w.dsw.ID, people.RecordData{Grant: "newborn_support", AmountBaht: 600,
					Period: w.clock.Now().Format("2006-01")}
			}
			_, err := db.AddRecord(ctx, r, by(w.worker))
			refusable("record "+string(r.Kind), err)
		case 7: // a referral
			c := children[rng.IntN(len(children))]
			r, err := db.SendReferral(ctx, store.ReferralInput{PersonID: c.ID, FromOrg: w.dsw.ID, FromUser: w.worker.ID, ToOrg: w.hc.ID,
				Service: cases.Services[rng.IntN(len(cases.Services))], Urgency: cases.High, Reason: "ส่งต่อเพื่อตรวจ",
				Basis: cases.LawfulBasis{Kind: cases.LegalDuty, Reference: "พ.ร.บ.คุ้มครองเด็ก ม.41"}}, by(w.worker))
			refusable("referral", err)
			if err == nil {
				referrals = append(referrals, r)
			}
		case 8: // a referral moves on
			if len(referrals) == 0 {
				return
			}
			i := rng.IntN(len(referrals))
			r := referrals[i]
			to, text := []cases.ReferralStatus{cases.Accepted, cases.Declined, cases.Completed}[rng.IntN(3)], "บันทึกผล"
			w.clock.Advance(time.Duration(rng.IntN(50)) * time.Hour)
			r, err := db.MoveReferral(ctx, r.ID, r.Version, to, text, by(w.nurse))
			refusable("referral "+string(to), err)
			if err == nil {
				referrals[i] = r
			}
		case 9: // a case opens, or one moves, is classified or gets a step
			if len(caseList) == 0 || rng.IntN(3) == 0 {
				subject, id := flower.Child, children[rng.IntN(len(children))].ID
				if rng.IntN(3) == 0 {
					subject, id = flower.Household, households[rng.IntN(len(households))].ID
				}
				c, err := db.OpenCase(ctx, store.CaseInput{Subject: subject, SubjectID: id, Risk: cases.RiskMedium, Origin: cases.FromWorker,
					OrganisationID: w.dsw.ID, ManagerID: w.worker.ID}, by(w.worker))
				refusable("open case", err)
				if err == nil {
					caseList = append(caseList, c)
				}
				return
			}
			i := rng.IntN(len(caseList))
			c := caseList[i]
			var err error
			switch rng.IntN(3) {
			case 0:
				c, err = db.MoveCase(ctx, c.ID, c.Version, []cases.Status{cases.Active, cases.Monitoring, cases.Closed}[rng.IntN(3)], "ทีมตกลง", by(w.worker))
			case 1:
				code := cases.LegalCodes[rng.IntN(len(cases.LegalCodes))]
				c, err = db.AddCaseLegal(ctx, c.ID, c.Version, code.Kind, code.Code, "2026-02-01", "ทีมสหวิชาชีพ", "", by(w.worker))
			default:
				c, err = db.AddStep(ctx, c.ID, c.Version, cases.Step{What: "เยี่ยมบ้าน", OrganisationID: w.dsw.ID,
					DueOn: w.clock.Now().AddDate(0, 0, rng.IntN(30)).Format(time.DateOnly)}, "", by(w.worker))
			}
			refusable("change case", err)
			if err == nil {
				caseList[i] = c
			}
		case 10: // a plan step moves
			if len(caseList) == 0 {
				return
			}
			full, err := db.GetCase(ctx, caseList[rng.IntN(len(caseList))].ID, by(w.worker))
			if err != nil || len(full.Steps) == 0 {
				return
			}
			s := full.Steps[rng.IntN(len(full.Steps))]
			_, err = db.MoveStep(ctx, s.ID, s.Version, []cases.StepStatus{cases.StepInProgress, cases.Done, cases.Blocked}[rng.IntN(3)], "ติดขัดเรื่องเวลา", by(w.worker))
			refusable("move step", err)
		case 11: // a hand-off, or its acknowledgement
			if len(handoffs) > 0 && rng.IntN(2) == 0 {
				i := rng.IntN(len(handoffs))
				h, err := db.AcknowledgeHandoff(ctx, handoffs[i].ID, handoffs[i].Version, by(w.teacher))
				refusable("acknowledge hand-off", err)
				if err == nil {
					handoffs[i] = h
				}
				return
			}
			h, err := db.CreateHandoff(ctx, store.HandoffInput{PersonID: children[rng.IntN(len(children))].ID, FromOrg: w.hc.ID, ToOrg: w.school.ID,
				Reason: store.HandoffStage}, by(w.nurse))
			refusable("hand-off", err)
			if err == nil {
				handoffs = append(handoffs, h)
			}
		case 12: // an alert is taken or resolved
			if len(alerts) == 0 {
				return
			}
			i := rng.IntN(len(alerts))
			a, err := db.GetAlert(ctx, alerts[i].ID, w.worker.ID)
			if err != nil {
				return
			}
			if rng.IntN(2) == 0 {
				a, err = db.AcknowledgeAlert(ctx, a.ID, a.Version, by(w.worker))
			} else {
				a, err = db.ResolveAlert(ctx, a.ID, a.Version, "เยี่ยมบ้านแล้ว", by(w.worker))
			}
			refusable("alert", err)
			if err == nil {
				alerts[i] = a
			}
		}
	}
	// Each kind of change first in turn, then at random; and each kind
	// the comparison needs is tried again until one got through, so that
	// no seed can leave one out.
	for step := range 160 {
		op := rng.IntN(14)
		if step < 28 {
			op = step % 14
		}
		apply(step, op)
	}
	required := []struct {
		name string
		op   int
	}{{"child", 0}, {"assess child", 4}, {"assess household", 5}, {"referral", 7}, {"open case", 9}, {"move child", 2},
		{"move household", 3}, {"move community", 13}}
	for _, r := range required {
		for try := 0; done[r.name] == 0 && try < 100; try++ {
			apply(1000+try, r.op)
		}
	}
	t.Logf("changes made: %v", done)
	for _, r := range required {
		if done[r.name] == 0 {
			t.Fatalf("100 tries made no %q: it proves too little (%v)", r.name, done)
		}
	}
	rebuilt := requireCountersMatchRebuild(t, db)
	if len(rebuilt) < 50 {
		t.Fatalf("only %d counter rows after %v", len(rebuilt), done)
	}
	// The counters hold what the records say: every child at the city
	// level, once per dimension.
	var city int
	for _, r := range rebuilt {
		if strings.HasPrefix(r, "dash_flower|") && strings.Contains(r, "|child|") {
			city++
		}
	}
	if city == 0 {
		t.Fatal("no child flower counters")
	}
}

// requireCountersMatchRebuild fails the test unless the dashboard counters
// kept incrementally are exactly what a full rebuild computes from the
// records; it returns the counter rows.
func requireCountersMatchRebuild(t *testing.T, db *store.DB) []string {
	t.Helper()
	incremental, err := db.DashboardRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RebuildDashboards(ctx); err != nil {
		t.Fatal(err)
	}
	rebuilt, err := db.DashboardRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(incremental, rebuilt) {
		t.Fatalf("incremental and rebuilt counters differ:\n%s", rowDiff(incremental, rebuilt))
	}
	return rebuilt
}

func rowDiff(a, b []string) string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, "- "+x)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			out = append(out, "+ "+x)
		}
	}
	if len(out) > 40 {
		out = append(out[:40], "…")
	}
	return strings.Join(out, "\n")
}
