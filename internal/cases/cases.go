// Package cases holds the rules of shared casework: a case's life and its
// legal classification under the Child Protection Act B.E. 2546, the joint
// care plan, referrals between organisations and life-stage hand-offs. It
// knows nothing of HTTP or SQL; the store enforces these rules on every
// change.
package cases

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/errs"
)

// Status is where a case is in its life.
type Status string

const (
	Open       Status = "open"       // opened, the team is forming
	Active     Status = "active"     // the team works the plan
	Monitoring Status = "monitoring" // the plan is done, the team watches
	Closed     Status = "closed"     // closed with a reason; may be reopened
)

// Statuses in their order.
var Statuses = []Status{Open, Active, Monitoring, Closed}

// transitions says which status may follow which. Reopening a closed case
// goes back to open and keeps its history.
var transitions = map[Status][]Status{
	Open:       {Active, Closed},
	Active:     {Monitoring, Closed},
	Monitoring: {Active, Closed},
	Closed:     {Open},
}

// CheckTransition says whether a case may move from one status to another.
// Closing and reopening need a reason.
func CheckTransition(from, to Status, reason string) error {
	if !slices.Contains(Statuses, to) {
		return errs.Field("status", "field.choice", nil)
	}
	if !slices.Contains(transitions[from], to) {
		return errs.Field("status", "case.transition", map[string]any{"From": string(from), "To": string(to)})
	}
	if (to == Closed || from == Closed) && strings.TrimSpace(reason) == "" {
		return errs.Field("reason", "case.reason_required", nil)
	}
	return CheckText("reason", reason, MaxReasonLen, false)
}

// Risk is the case manager's judgement of how much is at stake.
type Risk string

const (
	RiskLow      Risk = "low"
	RiskMedium   Risk = "medium"
	RiskHigh     Risk = "high"
	RiskCritical Risk = "critical"
)

// Risks in order.
var Risks = []Risk{RiskLow, RiskMedium, RiskHigh, RiskCritical}

// Origin says how a case came to be opened.
type Origin string

const (
	FromAlert    Origin = "alert"
	FromReferral Origin = "referral"
	FromReport   Origin = "report" // a report under s.29/s.41 of the Act
	FromWorker   Origin = "worker"
)

// Origins in order.
var Origins = []Origin{FromAlert, FromReferral, FromReport, FromWorker}

// Text limits.
const (
	MaxReasonLen = 2000
	MaxNoteLen   = 8000
	MaxTitleLen  = 300
)

// CheckText validates a free-text field: its length, and present when required.
func CheckText(field, s string, max int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return errs.Field(field, "field.required", nil)
	}
	if utf8.RuneCountInString(s) > max {
		return errs.Field(field, "field.too_long", map[string]any{"Max": max})
	}
	return nil
}

// MemberRole is what a team member does in the case.
type MemberRole string

const (
	RoleManager   MemberRole = "case_manager" // ผู้จัดการรายกรณี: exactly one at a time
	RoleHealth    MemberRole = "health"
	RoleEducation MemberRole = "education"
	RoleWelfare   MemberRole = "welfare"
	RoleCommunity MemberRole = "community"
	RoleLegal     MemberRole = "legal"
	RoleOther     MemberRole = "other"
)

// MemberRoles in order.
var MemberRoles = []MemberRole{RoleManager, RoleHealth, RoleEducation, RoleWelfare, RoleCommunity, RoleLegal, RoleOther}

// day parses a C.E. date.
func day(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// CheckDate validates a YYYY-MM-DD date field.
func CheckDate(field, s string, required bool) error {
	if s == "" {
		if required {
			return errs.Field(field, "field.required", nil)
		}
		return nil
	}
	if _, ok := day(s); !ok {
		return errs.Field(field, "assessment.date", nil)
	}
	return nil
}
