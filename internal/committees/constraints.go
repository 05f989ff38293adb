package committees

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"termtem/internal/cases"
	"termtem/internal/errs"
)

// Theme is the kind of system constraint, for executives' overview.
type Theme string

// Themes of constraints.
var Themes = []Theme{"staff_shortage", "service_gap", "rule_barrier", "access_barrier", "funding", "coordination", "other"}

// ConstraintStatus is where a constraint stands.
type ConstraintStatus string

// Statuses of a constraint.
const (
	Raised      ConstraintStatus = "raised"
	UnderReview ConstraintStatus = "under_review"
	Decided     ConstraintStatus = "decided"
	Resolved    ConstraintStatus = "resolved"
	Declined    ConstraintStatus = "declined"
)

// ConstraintStatuses lists them in order.
var ConstraintStatuses = []ConstraintStatus{Raised, UnderReview, Decided, Resolved, Declined}

// Open reports whether the constraint still waits for an answer or action.
func (s ConstraintStatus) Open() bool { return s == Raised || s == UnderReview || s == Decided }

// Levels a constraint climbs: the district committee, Bangkok's
// child-protection committee, and a ministry contact where configured.
const (
	LevelDistrict = "district"
	LevelBangkok  = "bangkok"
	LevelMinistry = "ministry"
)

// Constraint is a system constraint (ข้อจำกัดเชิงระบบ).
type Constraint struct {
	ID            string            `json:"id"`
	Theme         Theme             `json:"theme"`
	Title         string            `json:"title"`
	Description   string            `json:"description"`
	Evidence      []Figure          `json:"evidence"`
	DistrictID    string            `json:"district_id"`
	DistrictName  string            `json:"district_name,omitempty"`
	RaisedBy      string            `json:"raised_by"`
	RaisedByName  string            `json:"raised_by_name,omitempty"`
	RaisedOrgID   string            `json:"raised_organisation_id"`
	RaisedOrgName string            `json:"raised_organisation_name,omitempty"`
	HolderID      string            `json:"holder_id"`
	HolderName    string            `json:"holder_name,omitempty"`
	Level         string            `json:"level"`
	Status        ConstraintStatus  `json:"status"`
	Decision      string            `json:"decision"`
	WhoActs       string            `json:"who_acts"`
	DeclineReason string            `json:"decline_reason"`
	Version       int               `json:"version"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
	Events        []ConstraintEvent `json:"events,omitempty"`
}

// ConstraintEvent is a step of a constraint's way up and its answers.
type ConstraintEvent struct {
	At         time.Time        `json:"at"`
	ActorName  string           `json:"actor_name,omitempty"`
	HolderName string           `json:"holder_name,omitempty"`
	Status     ConstraintStatus `json:"status"`
	Note       string           `json:"note,omitempty"`
}

// Figure is one figure of evidence from Termtem's own data: a count of
// children or referrals, a waiting time, a share.
type Figure struct {
	Label  string `json:"label"`
	Value  int    `json:"value"`
	Unit   string `json:"unit"`             // children, referrals, days, services, percent
	Source string `json:"source,omitempty"` // where it was drawn from, e.g. directory:<id>, report:<district>
}

// Units of evidence; counts of people are subject to the small-cell rule.
var Units = []string{"children", "families", "referrals", "days", "services", "percent"}

// SmallCell is the smallest count of people shown.
const SmallCell = 5

// countsPeople reports whether a unit counts people (or their referrals):
// a small count could point to a child.
func countsPeople(unit string) bool {
	return unit == "children" || unit == "families" || unit == "referrals"
}

// ValidateConstraint checks a new constraint.
func ValidateConstraint(c *Constraint) error {
	c.Title, c.Description = strings.TrimSpace(c.Title), strings.TrimSpace(strings.ReplaceAll(c.Description, "\r\n", "\n"))
	if !slices.Contains(Themes, c.Theme) {
		return errs.Field("theme", "field.choice", nil)
	}
	if err := cases.CheckText("title", c.Title, MaxTitle, true); err != nil {
		return err
	}
	if err := cases.CheckText("description", c.Description, MaxText, true); err != nil {
		return err
	}
	return CheckEvidence(c.Evidence)
}

// CheckEvidence refuses a figure that would reveal a cell below five: a
// count of one to four children, families or referrals.
func CheckEvidence(fs []Figure) error {
	for i, f := range fs {
		field := "evidence[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(f.Label) == "" {
			return errs.Field(field+".label", "field.required", nil)
		}
		if !slices.Contains(Units, f.Unit) {
			return errs.Field(field+".unit", "field.choice", nil)
		}
		if f.Value < 0 {
			return errs.Field(field+".value", "constraint.evidence_negative", nil)
		}
		if countsPeople(f.Unit) && f.Value > 0 && f.Value < SmallCell {
			return errs.Field(field+".value", "constraint.evidence_small", map[string]any{"Min": SmallCell})
		}
	}
	return nil
}

// CheckAnswer checks a holder's answer: a move of status with the text it
// needs (a decision and who acts; a reason to decline).
func CheckAnswer(from, to ConstraintStatus, decision, whoActs, reason string) error {
	allowed := map[ConstraintStatus][]ConstraintStatus{
		Raised:      {UnderReview, Decided, Declined},
		UnderReview: {Decided, Declined},
		Decided:     {Resolved},
	}
	if !slices.Contains(allowed[from], to) {
		return errs.New(errs.Conflict, "constraint.move_not_allowed")
	}
	switch to {
	case Decided:
		if strings.TrimSpace(decision) == "" {
			return errs.Field("decision", "field.required", nil)
		}
		if strings.TrimSpace(whoActs) == "" {
			return errs.Field("who_acts", "field.required", nil)
		}
	case Declined:
		if strings.TrimSpace(reason) == "" {
			return errs.Field("decline_reason", "constraint.reason_required", nil)
		}
	}
	for _, f := range []struct{ n, v string }{{"decision", decision}, {"who_acts", whoActs}, {"decline_reason", reason}} {
		if err := cases.CheckText(f.n, f.v, MaxText, false); err != nil {
			return err
		}
	}
	return nil
}

// NextLevel is where an escalation goes from a level ("" at the top).
func NextLevel(level string) string {
	switch level {
	case LevelDistrict:
		return LevelBangkok
	case LevelBangkok:
		return LevelMinistry
	}
	return ""
}
