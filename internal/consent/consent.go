// Package consent holds the rules of the consent ledger: on what lawful
// basis a child's data may be disclosed to another organisation, who may
// give consent for a minor, and when a consent covers a disclosure. It
// knows nothing of HTTP or SQL.
package consent

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/errs"
	"termtem/internal/people"
	"termtem/internal/thai"
)

// Basis is the lawful basis of a disclosure (PDPA B.E. 2562 s.24, s.26).
type Basis string

const (
	// Consent: explicit, separate, withdrawable (s.19); given by the
	// guardian for a child under 10 (s.20).
	Consent Basis = "consent"
	// LegalDuty: a duty under the Child Protection Act B.E. 2546 (reporting,
	// s.29/s.41) — PDPA s.24(6), s.26(5)(a).
	LegalDuty Basis = "legal_duty"
	// PublicTask: the public task of child welfare (PDPA s.24(4)).
	PublicTask Basis = "public_task"
	// VitalInterest: to prevent danger to life or health (PDPA s.24(2)).
	VitalInterest Basis = "vital_interest"
)

// Bases in order.
var Bases = []Basis{Consent, LegalDuty, PublicTask, VitalInterest}

// Purpose is what a disclosure is for.
type Purpose string

const (
	ForReferral Purpose = "referral" // a referral to a service
	ForHandoff  Purpose = "handoff"  // a hand-off to the next unit
	ForCasework Purpose = "casework" // sharing within a multidisciplinary team
)

// Purposes in order.
var Purposes = []Purpose{ForReferral, ForHandoff, ForCasework}

// Giver is who gave consent, in relation to the person.
type Giver string

const (
	GivenBySelf     Giver = "self"
	GivenByMother   Giver = "mother"
	GivenByFather   Giver = "father"
	GivenByGuardian Giver = "guardian" // a legal guardian or carer with parental responsibility
)

// Givers in order.
var Givers = []Giver{GivenBySelf, GivenByMother, GivenByFather, GivenByGuardian}

// SelfConsentAge: under this age a child's consent is given by the holder
// of parental responsibility (PDPA s.20, wording to be verified).
const SelfConsentAge = 10

// MaxText bounds free text on a consent.
const MaxText = 300

// Grant is a consent (or another basis) recorded in the ledger.
type Grant struct {
	PersonID string
	Basis    Basis
	Purposes []Purpose
	// ReceiverOrgID or ReceiverKind (an organisation kind) says who may
	// receive; empty both means any organisation in the network.
	ReceiverOrgID string
	ReceiverKind  string
	Dimensions    []people.Dimension // empty: all four
	GivenBy       Giver
	GiverName     string
	Reference     string // the section relied on, or where the signed form is kept
	GivenOn       string // YYYY-MM-DD
	ExpiresOn     string // YYYY-MM-DD, optional
}

// Check validates a grant for a person born on birthDate, on a day.
func Check(g Grant, birthDate string, today time.Time) error {
	if !slices.Contains(Bases, g.Basis) {
		return errs.Field("basis", "field.choice", nil)
	}
	if len(g.Purposes) == 0 {
		return errs.Field("purposes", "field.required", nil)
	}
	for _, p := range g.Purposes {
		if !slices.Contains(Purposes, p) {
			return errs.Field("purposes", "field.choice", nil)
		}
	}
	for _, d := range g.Dimensions {
		if !slices.Contains(people.Dimensions, d) {
			return errs.Field("dimensions", "field.choice", nil)
		}
	}
	given, err := time.Parse(time.DateOnly, g.GivenOn)
	if err != nil {
		return errs.Field("given_on", "assessment.date", nil)
	}
	if given.After(today) {
		return errs.Field("given_on", "assessment.date_future", nil)
	}
	if g.ExpiresOn != "" {
		if exp, err := time.Parse(time.DateOnly, g.ExpiresOn); err != nil {
			return errs.Field("expires_on", "assessment.date", nil)
		} else if !exp.After(given) {
			return errs.Field("expires_on", "consent.expires_before_given", nil)
		}
	}
	for _, f := range []struct{ name, v string }{{"giver_name", g.GiverName}, {"reference", g.Reference}} {
		if utf8.RuneCountInString(f.v) > MaxText {
			return errs.Field(f.name, "field.too_long", map[string]any{"Max": MaxText})
		}
	}
	if g.Basis == Consent {
		if !slices.Contains(Givers, g.GivenBy) {
			return errs.Field("given_by", "field.choice", nil)
		}
		if strings.TrimSpace(g.GiverName) == "" {
			return errs.Field("giver_name", "field.required", nil)
		}
		if g.GivenBy == GivenBySelf {
			if age, ok := people.AgeInYears(birthDate, given); !ok || age < SelfConsentAge {
				return errs.Field("given_by", "consent.guardian_required", map[string]any{"Age": SelfConsentAge})
			}
		}
	} else if strings.TrimSpace(g.Reference) == "" {
		return errs.Field("reference", "field.required", nil)
	}
	return nil
}

// Disclosure is a disclosure to be checked against the ledger.
type Disclosure struct {
	Purpose       Purpose
	ReceiverOrgID string
	ReceiverKind  string
	Dimensions    []people.Dimension // what it carries; empty: unknown, needs a grant for all
	On            time.Time
}

// Covers reports whether a grant, withdrawn or not at the time, covers a
// disclosure: its purpose, its receiver and every dimension it carries,
// and the day is within the grant's dates.
func (g Grant) Covers(d Disclosure, withdrawn bool) bool {
	if withdrawn || !slices.Contains(g.Purposes, d.Purpose) {
		return false
	}
	if g.ReceiverOrgID != "" && g.ReceiverOrgID != d.ReceiverOrgID {
		return false
	}
	if g.ReceiverKind != "" && g.ReceiverKind != d.ReceiverKind {
		return false
	}
	if len(g.Dimensions) > 0 {
		if len(d.Dimensions) == 0 {
			return false
		}
		for _, dim := range d.Dimensions {
			if !slices.Contains(g.Dimensions, dim) {
				return false
			}
		}
	}
	// Dates in the ledger are Bangkok days.
	day := d.On.In(thai.Bangkok()).Format(time.DateOnly)
	if day < g.GivenOn || (g.ExpiresOn != "" && day >= g.ExpiresOn) {
		return false
	}
	return true
}
