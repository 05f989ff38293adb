package cases

import (
	"slices"
	"strings"
	"time"

	"termtem/internal/consent"
	"termtem/internal/errs"
	"termtem/internal/people"
)

// ReferralStatus is where a referral (ส่งต่อ) is in its closed loop.
type ReferralStatus string

const (
	Sent       ReferralStatus = "sent"
	Accepted   ReferralStatus = "accepted"
	Declined   ReferralStatus = "declined"
	InProgress ReferralStatus = "in_progress"
	Completed  ReferralStatus = "completed"
	Revoked    ReferralStatus = "revoked"
)

// ReferralStatuses in order.
var ReferralStatuses = []ReferralStatus{Sent, Accepted, Declined, InProgress, Completed, Revoked}

// Ended reports whether a referral's loop is closed.
func (s ReferralStatus) Ended() bool { return s == Declined || s == Completed || s == Revoked }

// Side is who acts on a referral.
type Side string

const (
	Sender   Side = "sender"
	Receiver Side = "receiver"
)

// referralMoves says who may move a referral from which status to which.
var referralMoves = []struct {
	from []ReferralStatus
	to   ReferralStatus
	by   Side
	// needs names the text the move needs: a reason to decline or revoke,
	// the outcome to complete.
	needs string
}{
	{[]ReferralStatus{Sent}, Accepted, Receiver, ""},
	{[]ReferralStatus{Sent}, Declined, Receiver, "reason"},
	{[]ReferralStatus{Accepted}, InProgress, Receiver, ""},
	{[]ReferralStatus{Accepted, InProgress}, Completed, Receiver, "outcome"},
	{[]ReferralStatus{Sent, Accepted, InProgress}, Revoked, Sender, "reason"},
}

// CheckReferralMove says whether one side may move a referral, with the
// text the move needs.
func CheckReferralMove(from, to ReferralStatus, by Side, text string) error {
	for _, m := range referralMoves {
		if m.to != to || !slices.Contains(m.from, from) {
			continue
		}
		if m.by != by {
			return errs.New(errs.Forbidden, "referral.wrong_side")
		}
		if m.needs != "" && strings.TrimSpace(text) == "" {
			return errs.Field(m.needs, "field.required", nil)
		}
		return CheckText(m.needs, text, MaxReasonLen, false)
	}
	return errs.New(errs.Conflict, "referral.transition")
}

// Urgency of a referral sets its deadlines.
type Urgency string

const (
	Urgent  Urgency = "urgent"
	High    Urgency = "high"
	Routine Urgency = "routine"
)

// Urgencies in order.
var Urgencies = []Urgency{Urgent, High, Routine}

// Deadlines gives the time to accept and to complete a referral: a child at
// risk cannot wait for a unit's weekly meeting. Defaults proposed here, for
// the committees to set.
func Deadlines(u Urgency) (accept, complete time.Duration) {
	switch u {
	case Urgent:
		return 24 * time.Hour, 7 * 24 * time.Hour
	case High:
		return 3 * 24 * time.Hour, 30 * 24 * time.Hour
	}
	return 7 * 24 * time.Hour, 60 * 24 * time.Hour
}

// Service is a type of service a referral asks for.
type Service string

// Services are the kinds of service the network refers to (the service
// directory issue lists the concrete services of each).
var Services = []Service{
	"health_check", "development_stimulation", "vaccination", "nutrition", "mental_health", "school_reentry",
	"childcare_place", "welfare_grant", "counselling", "legal_protection", "placement", "vocational", "other",
}

// BasisKind is the lawful basis a referral is shared under: consent in
// the ledger, a legal duty, the public task or a vital interest.
type BasisKind = consent.Basis

// The bases, as the consent package names them.
const (
	Consent   = consent.Consent
	LegalDuty = consent.LegalDuty
)

// LawfulBasis is what a referral records to justify sharing.
type LawfulBasis struct {
	Kind BasisKind `json:"kind"`
	// Reference: who consented and how (consent), or the section and the
	// decision relied on (legal duty).
	Reference string `json:"reference"`
}

// CheckLawfulBasis checks the shape of a declared basis: a known kind,
// and the section or decision relied on for any basis but consent (whose
// evidence is the ledger entry). Whether a consent covers the referral is
// the store's check against the ledger, made when it is sent.
func CheckLawfulBasis(b LawfulBasis) error {
	if !slices.Contains(consent.Bases, b.Kind) {
		return errs.Field("lawful_basis.kind", "referral.basis_required", nil)
	}
	if b.Kind != Consent && strings.TrimSpace(b.Reference) == "" {
		return errs.Field("lawful_basis.reference", "field.required", nil)
	}
	return CheckText("lawful_basis.reference", b.Reference, MaxTitleLen, false)
}

// ServiceDimension is the dimension a service mostly concerns: what a
// referral for it discloses. Empty for "other" (all dimensions).
func ServiceDimension(s Service) people.Dimension {
	switch s {
	case "health_check", "vaccination", "nutrition", "mental_health":
		return people.Health
	case "development_stimulation", "school_reentry", "childcare_place", "vocational":
		return people.Education
	case "welfare_grant":
		return people.Economy
	case "counselling", "legal_protection", "placement":
		return people.Safety
	}
	return ""
}
