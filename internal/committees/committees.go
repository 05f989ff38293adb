// Package committees is the committees' loop: meetings with an agenda,
// attendance and minutes; resolutions with an owner, a due date and a
// follow-up status; and system constraints (ข้อจำกัดเชิงระบบ) raised by
// workers and committees and escalated from the district to Bangkok's
// child-protection committee. It knows nothing of HTTP or SQL.
package committees

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"termtem/internal/cases"
	"termtem/internal/errs"
)

// Limits of the texts.
const (
	MaxTitle = 300
	MaxText  = 8000
)

// Meeting is a committee meeting.
type Meeting struct {
	ID            string       `json:"id"`
	CommitteeID   string       `json:"committee_id"`
	CommitteeName string       `json:"committee_name,omitempty"`
	Title         string       `json:"title"`
	HeldOn        string       `json:"held_on"` // YYYY-MM-DD
	Location      string       `json:"location"`
	Agenda        string       `json:"agenda"` // one item a line
	Minutes       string       `json:"minutes"`
	Attendance    []Attendee   `json:"attendance"`
	Resolutions   []Resolution `json:"resolutions"`
	Version       int          `json:"version"`
	CreatedAt     time.Time    `json:"created_at"`
}

// Attendee is a member and whether they came.
type Attendee struct {
	UserID  string `json:"user_id"`
	Name    string `json:"name,omitempty"`
	Present bool   `json:"present"`
}

// AgendaItems splits the agenda into its lines.
func (m Meeting) AgendaItems() []string {
	var out []string
	for _, l := range strings.Split(m.Agenda, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// ValidateMeeting normalises and checks a meeting's texts and date.
func ValidateMeeting(m *Meeting) error {
	m.Title, m.Location = strings.TrimSpace(m.Title), strings.TrimSpace(m.Location)
	m.Agenda = strings.TrimSpace(strings.ReplaceAll(m.Agenda, "\r\n", "\n"))
	m.Minutes = strings.TrimSpace(strings.ReplaceAll(m.Minutes, "\r\n", "\n"))
	if err := cases.CheckText("title", m.Title, MaxTitle, true); err != nil {
		return err
	}
	if _, err := time.Parse(time.DateOnly, m.HeldOn); err != nil {
		return errs.Field("held_on", "meeting.date", nil)
	}
	for _, f := range []struct{ name, v string }{{"location", m.Location}, {"agenda", m.Agenda}, {"minutes", m.Minutes}} {
		if err := cases.CheckText(f.name, f.v, MaxText, false); err != nil {
			return err
		}
	}
	return nil
}

// ResolutionStatus is how far a resolution's follow-up has come.
type ResolutionStatus string

// Follow-up statuses.
const (
	Open       ResolutionStatus = "open"
	InProgress ResolutionStatus = "in_progress"
	Done       ResolutionStatus = "done"
	Dropped    ResolutionStatus = "dropped"
)

// ResolutionStatuses lists them in order.
var ResolutionStatuses = []ResolutionStatus{Open, InProgress, Done, Dropped}

// What a resolution addresses.
const (
	AddressesSystem = "system"
	AddressesCases  = "cases"
)

// Resolution is a committee's resolution (มติ).
type Resolution struct {
	ID           string           `json:"id"`
	MeetingID    string           `json:"meeting_id"`
	CommitteeID  string           `json:"committee_id"`
	Text         string           `json:"text"`
	Addresses    string           `json:"addresses"`
	CaseIDs      []string         `json:"case_ids,omitempty"` // only those the viewer may see
	HiddenCases  int              `json:"hidden_cases,omitempty"`
	OwnerID      string           `json:"owner_id"`
	OwnerName    string           `json:"owner_name,omitempty"`
	OwnerOrgID   string           `json:"owner_organisation_id"`
	OwnerOrgName string           `json:"owner_organisation_name,omitempty"`
	DueOn        string           `json:"due_on"`
	Status       ResolutionStatus `json:"status"`
	FollowUp     string           `json:"follow_up"`
	Overdue      bool             `json:"overdue,omitempty"`
	Version      int              `json:"version"`
}

// ValidateResolution checks a new resolution's own fields; whether the
// owner belongs to the committee's organisations is the store's check.
func ValidateResolution(r *Resolution) error {
	r.Text = strings.TrimSpace(r.Text)
	if err := cases.CheckText("text", r.Text, MaxText, true); err != nil {
		return err
	}
	if r.Addresses == "" {
		r.Addresses = AddressesSystem
		if len(r.CaseIDs) > 0 {
			r.Addresses = AddressesCases
		}
	}
	switch r.Addresses {
	case AddressesSystem:
		r.CaseIDs = nil
	case AddressesCases:
		if len(r.CaseIDs) == 0 {
			return errs.Field("case_ids", "field.required", nil)
		}
	default:
		return errs.Field("addresses", "field.choice", nil)
	}
	if r.OwnerID == "" {
		return errs.Field("owner_id", "field.required", nil)
	}
	if _, err := time.Parse(time.DateOnly, r.DueOn); err != nil {
		return errs.Field("due_on", "meeting.date", nil)
	}
	r.Status = Open
	return nil
}

// CheckFollowUp checks a change of a resolution's follow-up.
func CheckFollowUp(to ResolutionStatus, note string) error {
	if !slices.Contains(ResolutionStatuses, to) {
		return errs.Field("status", "field.choice", nil)
	}
	if (to == Done || to == Dropped) && strings.TrimSpace(note) == "" {
		return errs.Field("follow_up", "resolution.note_required", nil)
	}
	return cases.CheckText("follow_up", note, MaxText, false)
}

// ParseCaseRefs reads case IDs separated by commas, spaces or lines.
func ParseCaseRefs(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// String names a resolution in logs without its text.
func (r Resolution) String() string { return fmt.Sprintf("resolution %s", r.ID) }
