package cases_test

import (
	"strings"
	"testing"

	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// wantErr checks an error's code and field; an empty code wants no error.
func wantErr(t *testing.T, name string, err error, code errs.Code, field string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return
	}
	e := errs.As(err)
	if err == nil || e.Code != code || (field != "" && e.Field != field) {
		t.Errorf("%s: got %v, want %s on %q", name, err, code, field)
	}
}

func TestCaseTransitions(t *testing.T) {
	for _, c := range []struct {
		from, to cases.Status
		reason   string
		code     errs.Code
		field    string
	}{
		{cases.Open, cases.Active, "", "", ""},
		{cases.Active, cases.Monitoring, "", "", ""},
		{cases.Monitoring, cases.Active, "", "", ""},
		{cases.Active, cases.Closed, "ครอบครัวย้ายออกนอกพื้นที่", "", ""},
		{cases.Active, cases.Closed, "  ", errs.Invalid, "reason"},
		{cases.Closed, cases.Open, "พบความเสี่ยงใหม่", "", ""},
		{cases.Closed, cases.Open, "", errs.Invalid, "reason"},
		{cases.Closed, cases.Active, "x", errs.Invalid, "status"},
		{cases.Open, cases.Monitoring, "", errs.Invalid, "status"},
		{cases.Open, "archived", "", errs.Invalid, "status"},
		{cases.Active, cases.Closed, strings.Repeat("ก", cases.MaxReasonLen+1), errs.Invalid, "reason"},
	} {
		wantErr(t, string(c.from)+"→"+string(c.to), cases.CheckTransition(c.from, c.to, c.reason), c.code, c.field)
	}
}

func TestReferralLoop(t *testing.T) {
	for _, c := range []struct {
		from, to cases.ReferralStatus
		by       cases.Side
		text     string
		code     errs.Code
		field    string
	}{
		{cases.Sent, cases.Accepted, cases.Receiver, "", "", ""},
		{cases.Sent, cases.Accepted, cases.Sender, "", errs.Forbidden, ""},
		{cases.Sent, cases.Declined, cases.Receiver, "", errs.Invalid, "reason"},
		{cases.Sent, cases.Declined, cases.Receiver, "เกินขีดความสามารถ", "", ""},
		{cases.Accepted, cases.InProgress, cases.Receiver, "", "", ""},
		{cases.InProgress, cases.Completed, cases.Receiver, "ตรวจพัฒนาการแล้ว ปกติ", "", ""},
		{cases.Accepted, cases.Completed, cases.Receiver, "", errs.Invalid, "outcome"},
		{cases.Declined, cases.Completed, cases.Receiver, "x", errs.Conflict, ""}, // completing a declined referral
		{cases.Completed, cases.Revoked, cases.Sender, "x", errs.Conflict, ""},
		{cases.InProgress, cases.Revoked, cases.Sender, "ครอบครัวย้าย", "", ""},
		{cases.InProgress, cases.Revoked, cases.Receiver, "x", errs.Forbidden, ""},
	} {
		wantErr(t, string(c.from)+"→"+string(c.to)+" by "+string(c.by), cases.CheckReferralMove(c.from, c.to, c.by, c.text), c.code, c.field)
	}
	a, d := cases.Deadlines(cases.Urgent)
	if a >= d || a.Hours() != 24 {
		t.Errorf("urgent deadlines %v %v", a, d)
	}
	if r, _ := cases.Deadlines(cases.Routine); r <= a {
		t.Errorf("routine acceptance %v not longer than urgent %v", r, a)
	}
	wantErr(t, "no basis", cases.CheckLawfulBasis(cases.LawfulBasis{}), errs.Invalid, "lawful_basis.kind")
	wantErr(t, "consent (the ledger holds the evidence)", cases.CheckLawfulBasis(cases.LawfulBasis{Kind: cases.Consent}), "", "")
	wantErr(t, "legal duty without the section", cases.CheckLawfulBasis(cases.LawfulBasis{Kind: cases.LegalDuty}), errs.Invalid, "lawful_basis.reference")
	wantErr(t, "legal duty", cases.CheckLawfulBasis(cases.LawfulBasis{Kind: cases.LegalDuty, Reference: "พ.ร.บ.คุ้มครองเด็ก ม.41"}), "", "")
}

func TestPlanRules(t *testing.T) {
	goal := cases.Goal{Dimension: people.Safety, From: flower.Red, Target: flower.Yellow, TargetDate: "2027-02-01", Commitment: "แม่จะไม่ทิ้งลูกไว้คนเดียว"}
	wantErr(t, "goal", cases.CheckGoal(goal, "2026-11-23"), "", "")
	worse := goal
	worse.Target = flower.Red
	worse.From = flower.Yellow
	wantErr(t, "worse target", cases.CheckGoal(worse, "2026-11-23"), errs.Invalid, "target_level")
	early := goal
	early.TargetDate = "2026-11-01"
	wantErr(t, "target before the plan", cases.CheckGoal(early, "2026-11-23"), errs.Invalid, "target_date")
	bad := goal
	bad.Dimension = "wealth"
	wantErr(t, "dimension", cases.CheckGoal(bad, ""), errs.Invalid, "dimension")

	step := cases.Step{What: "พาไปตรวจพัฒนาการ", OrganisationID: "o1", DueOn: "2026-12-01"}
	wantErr(t, "step", cases.CheckStep(step, "2026-11-23"), "", "")
	step.DueOn = "2026-11-01"
	wantErr(t, "step due before the plan starts", cases.CheckStep(step, "2026-11-23"), errs.Invalid, "due_on")
	step.DueOn = "1/12/2569"
	wantErr(t, "step date format", cases.CheckStep(step, ""), errs.Invalid, "due_on")

	wantErr(t, "block without reason", cases.CheckStepMove(cases.Planned, cases.Blocked, ""), errs.Invalid, "reason")
	wantErr(t, "done without evidence", cases.CheckStepMove(cases.StepInProgress, cases.Done, ""), errs.Invalid, "evidence")
	wantErr(t, "done", cases.CheckStepMove(cases.StepInProgress, cases.Done, "ใบนัดและผลตรวจ"), "", "")
	wantErr(t, "reopen a done step", cases.CheckStepMove(cases.Done, cases.StepInProgress, ""), errs.Conflict, "")
}

func TestLegalCodes(t *testing.T) {
	counts := map[cases.LegalKind]int{}
	seen := map[string]bool{}
	for _, c := range cases.LegalCodes {
		counts[c.Kind]++
		if seen[c.Code] || c.TH == "" || c.EN == "" {
			t.Errorf("code %+v repeated or unlabelled", c)
		}
		seen[c.Code] = true
	}
	if counts[cases.Welfare] != 8 || counts[cases.Protection] != 3 || counts[cases.Assistance] != 7 {
		t.Errorf("codes per kind %v", counts)
	}
	wantErr(t, "known", cases.CheckLegal(cases.Protection, "s40_1", "2026-11-20"), "", "")
	wantErr(t, "unknown", cases.CheckLegal(cases.Protection, "s32_1", "2026-11-20"), errs.Invalid, "code")
	wantErr(t, "no date", cases.CheckLegal(cases.Welfare, "s32_1", ""), errs.Invalid, "decided_on")
}
