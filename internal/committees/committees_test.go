package committees

import (
	"testing"

	"termtem/internal/errs"
)

func TestCheckEvidenceRefusesSmallCells(t *testing.T) {
	for _, tc := range []struct {
		f     Figure
		field string
		msg   string
	}{
		{Figure{Label: "เด็ก", Value: 1, Unit: "children"}, "evidence[0].value", "constraint.evidence_small"},
		{Figure{Label: "ครอบครัว", Value: 4, Unit: "families"}, "evidence[0].value", "constraint.evidence_small"},
		{Figure{Label: "ส่งต่อ", Value: 3, Unit: "referrals"}, "evidence[0].value", "constraint.evidence_small"},
		{Figure{Label: "รอ", Value: -1, Unit: "days"}, "evidence[0].value", "constraint.evidence_negative"},
		{Figure{Label: "x", Value: 3, Unit: "people"}, "evidence[0].unit", "field.choice"},
		{Figure{Value: 30, Unit: "days"}, "evidence[0].label", "field.required"},
	} {
		e := errs.As(CheckEvidence([]Figure{tc.f}))
		if e.Field != tc.field || e.MessageID != tc.msg {
			t.Errorf("%+v: %s %s, want %s %s", tc.f, e.Field, e.MessageID, tc.field, tc.msg)
		}
	}
	// Zero children, five or more, and small numbers that are not people pass.
	ok := []Figure{{"a", 0, "children", ""}, {"b", 5, "children", ""}, {"c", 3, "days", ""}, {"d", 2, "services", ""}, {"e", 4, "percent", ""}}
	if err := CheckEvidence(ok); err != nil {
		t.Errorf("%v", err)
	}
}

func TestCheckAnswer(t *testing.T) {
	for _, tc := range []struct {
		from, to                  ConstraintStatus
		decision, who, reason, id string
	}{
		{Raised, UnderReview, "", "", "", ""},
		{Raised, Decided, "ทำ", "", "", "field.required"},
		{UnderReview, Decided, "ทำ", "สำนัก", "", ""},
		{UnderReview, Declined, "", "", "", "constraint.reason_required"},
		{UnderReview, Declined, "", "", "นอกอำนาจ", ""},
		{Decided, Resolved, "", "", "", ""},
		{Declined, UnderReview, "", "", "", "constraint.move_not_allowed"},
		{Resolved, Decided, "x", "y", "", "constraint.move_not_allowed"},
		{Raised, Resolved, "", "", "", "constraint.move_not_allowed"},
	} {
		err := CheckAnswer(tc.from, tc.to, tc.decision, tc.who, tc.reason)
		if got := errs.As(err); (err == nil) != (tc.id == "") || (err != nil && got.MessageID != tc.id) {
			t.Errorf("%s → %s: %v, want %q", tc.from, tc.to, err, tc.id)
		}
	}
	if NextLevel(LevelDistrict) != LevelBangkok || NextLevel(LevelBangkok) != LevelMinistry || NextLevel(LevelMinistry) != "" {
		t.Errorf("levels")
	}
}

func TestValidateResolution(t *testing.T) {
	r := Resolution{Text: " ประสานโรงเรียน ", OwnerID: "u", DueOn: "2026-12-01", CaseIDs: []string{"c1"}}
	if err := ValidateResolution(&r); err != nil || r.Addresses != AddressesCases || r.Status != Open || r.Text != "ประสานโรงเรียน" {
		t.Fatalf("%+v %v", r, err)
	}
	sys := Resolution{Text: "x", OwnerID: "u", DueOn: "2026-12-01", Addresses: AddressesSystem, CaseIDs: []string{"c1"}}
	if err := ValidateResolution(&sys); err != nil || sys.CaseIDs != nil {
		t.Errorf("a system resolution keeps cases: %+v %v", sys, err)
	}
	for _, bad := range []Resolution{
		{OwnerID: "u", DueOn: "2026-12-01"},
		{Text: "x", DueOn: "2026-12-01"},
		{Text: "x", OwnerID: "u", DueOn: "1/12/2569"},
		{Text: "x", OwnerID: "u", DueOn: "2026-12-01", Addresses: AddressesCases},
		{Text: "x", OwnerID: "u", DueOn: "2026-12-01", Addresses: "people"},
	} {
		if err := ValidateResolution(&bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("%+v accepted", bad)
		}
	}
	if got := ParseCaseRefs("a, b\nb c"); len(got) != 3 {
		t.Errorf("refs %v", got)
	}
	if err := CheckFollowUp(Done, " "); errs.As(err).MessageID != "resolution.note_required" {
		t.Errorf("done without a note: %v", err)
	}
}
