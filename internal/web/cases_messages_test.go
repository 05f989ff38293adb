package web

import (
	"testing"

	"termtem/internal/cases"
	"termtem/internal/flower"
	"termtem/internal/locale"
	"termtem/internal/store"
)

// The case screens name statuses, roles, services and the like through
// messages built from their codes; the locale test cannot see those, so
// every code of every list must have its words in both languages here.
func TestCaseCodesHaveWords(t *testing.T) {
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	add := func(prefix string, codes ...string) {
		for _, code := range codes {
			ids = append(ids, prefix+code)
		}
	}
	for _, s := range cases.Statuses {
		add("case.status.", string(s))
	}
	for _, r := range cases.Risks {
		add("case.risk.", string(r))
	}
	for _, o := range cases.Origins {
		add("case.origin.", string(o))
	}
	for _, r := range cases.MemberRoles {
		add("case.role.", string(r))
	}
	for _, k := range cases.LegalKinds {
		add("case.legal_kind.", string(k))
	}
	for _, s := range cases.StepStatuses {
		add("plan.step_status.", string(s))
	}
	for _, l := range flower.Levels {
		add("plan.level.", string(l))
	}
	for _, s := range cases.Services {
		add("referral.service.", string(s))
	}
	for _, u := range cases.Urgencies {
		add("referral.urgency.", string(u))
	}
	for _, s := range cases.ReferralStatuses {
		add("referral.status.", string(s))
		if s != cases.Sent {
			add("referral.do.", string(s))
		}
	}
	add("referral.basis.", string(cases.Consent), string(cases.LegalDuty))
	add("referral.needs.", "reason", "outcome")
	add("handoff.reason.", string(store.HandoffEnrolment), string(store.HandoffMoved), string(store.HandoffStage))
	add("handoffs.none.", "incoming", "outgoing")
	add("referrals.none.", "incoming", "outgoing")
	add("inbox.severity.", string(flower.SeverityUrgent), string(flower.SeverityRed), string(flower.SeverityReview))
	add("inbox.alert_status.", string(store.AlertOpen), string(store.AlertAcknowledged), string(store.AlertResolved))
	for _, lang := range []string{"th", "en"} {
		for _, id := range ids {
			if !c.IDs(lang)[id] {
				t.Errorf("%s: no message %q", lang, id)
			}
		}
	}
	for _, f := range referralFlash {
		if !c.IDs("th")[f] {
			t.Errorf("no message %q", f)
		}
	}
}
