package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/committees"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// Committee meetings, resolutions and system constraints. A committee's
// meetings are its members' (others: 404).

func (h *Handler) requireMember(w http.ResponseWriter, r *http.Request, p *account.Principal, committeeID string) bool {
	ok, err := h.DB.IsCommitteeMember(r.Context(), committeeID, p.User.ID)
	if err != nil || !ok {
		if err == nil {
			err = errs.New(errs.NotFound, "meeting.not_found")
		}
		h.Fail(w, r, err)
		return false
	}
	return true
}

// ListMeetings answers GET /api/v1/meetings: the meetings of the caller's committees.
func (h *Handler) ListMeetings(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	mine, err := h.DB.UserCommittees(r.Context(), p.User.ID)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var ids []string
	for _, c := range mine {
		ids = append(ids, c.ID)
	}
	list, err := h.DB.ListMeetings(r.Context(), ids)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// MeetingInput is a new meeting.
type MeetingInput struct {
	CommitteeID string   `json:"committee_id"`
	Title       string   `json:"title"`
	HeldOn      string   `json:"held_on"`
	Location    string   `json:"location"`
	Agenda      string   `json:"agenda"`
	Minutes     string   `json:"minutes"`
	Present     []string `json:"present"`
}

// CreateMeeting answers POST /api/v1/meetings (a member of the committee).
func (h *Handler) CreateMeeting(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	var in MeetingInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	if !h.requireMember(w, r, p, in.CommitteeID) {
		return
	}
	m := committees.Meeting{CommitteeID: in.CommitteeID, Title: in.Title, HeldOn: in.HeldOn, Location: in.Location, Agenda: in.Agenda, Minutes: in.Minutes}
	for _, id := range in.Present {
		m.Attendance = append(m.Attendance, committees.Attendee{UserID: id, Present: true})
	}
	ctx, err := idempotent(r)
	var saved committees.Meeting
	if err == nil {
		saved, err = h.DB.SaveMeeting(ctx, m, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) { replayGet(w, r, h.GetMeeting, "id", id) }) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	created(w, "/api/v1/meetings/"+saved.ID, saved.Version, saved)
}

// GetMeeting answers GET /api/v1/meetings/{id}.
func (h *Handler) GetMeeting(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	m, err := h.DB.GetMeeting(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if !h.requireMember(w, r, p, m.CommitteeID) {
		return
	}
	w.Header().Set("ETag", etag(m.Version))
	writeJSON(w, http.StatusOK, m)
}

// ResolutionInput is a new resolution.
type ResolutionInput struct {
	Text    string   `json:"text"`
	CaseIDs []string `json:"case_ids"`
	OwnerID string   `json:"owner_id"`
	DueOn   string   `json:"due_on"`
}

// CreateResolution answers POST /api/v1/meetings/{id}/resolutions.
func (h *Handler) CreateResolution(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	m, err := h.DB.GetMeeting(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if !h.requireMember(w, r, p, m.CommitteeID) {
		return
	}
	var in ResolutionInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	ctx, err := idempotent(r)
	var res committees.Resolution
	if err == nil {
		res, err = h.DB.AddResolution(ctx, m.ID, committees.Resolution{Text: in.Text, CaseIDs: in.CaseIDs, OwnerID: in.OwnerID, DueOn: in.DueOn}, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) {
		first, err := h.DB.GetResolution(r.Context(), id, httpx.Actor(r))
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		replayedAs(w, "/api/v1/resolutions/"+id, first.Version, first)
	}) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	created(w, "/api/v1/resolutions/"+res.ID, res.Version, res)
}

// FollowUpInput changes a resolution's follow-up.
type FollowUpInput struct {
	Status   string `json:"status"`
	FollowUp string `json:"follow_up"`
}

// PatchResolution answers PATCH /api/v1/resolutions/{id} with If-Match:
// its owner or a member of its committee.
func (h *Handler) PatchResolution(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	res, err := h.DB.GetResolution(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if member, _ := h.DB.IsCommitteeMember(r.Context(), res.CommitteeID, p.User.ID); !member && res.OwnerID != p.User.ID {
		h.Fail(w, r, errs.New(errs.NotFound, "resolution.not_found"))
		return
	}
	var in FollowUpInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	out, err := h.DB.FollowUpResolution(r.Context(), res.ID, version, committees.ResolutionStatus(in.Status), in.FollowUp, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(out.Version))
	writeJSON(w, http.StatusOK, out)
}

// ListConstraints answers GET /api/v1/constraints?held=true&open=true.
func (h *Handler) ListConstraints(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	q := r.URL.Query()
	list, err := h.DB.ListConstraints(r.Context(), store.ConstraintFilter{UserID: p.User.ID, Held: q.Get("held") == "true", Open: q.Get("open") == "true"})
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// ConstraintInput is a constraint as a client raises it.
type ConstraintInput struct {
	OrganisationID string              `json:"organisation_id"`
	Theme          string              `json:"theme"`
	Title          string              `json:"title"`
	Description    string              `json:"description"`
	Evidence       []committees.Figure `json:"evidence"`
}

// CreateConstraint answers POST /api/v1/constraints. Evidence counting
// people below 5 is refused (422).
func (h *Handler) CreateConstraint(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	var in ConstraintInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	ctx, err := idempotent(r)
	var c committees.Constraint
	if err == nil {
		c, err = h.DB.RaiseConstraint(ctx, store.ConstraintInput{OrganisationID: in.OrganisationID, Constraint: committees.Constraint{
			Theme: committees.Theme(in.Theme), Title: in.Title, Description: in.Description, Evidence: in.Evidence}}, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) { replayGet(w, r, h.GetConstraint, "id", id) }) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	created(w, "/api/v1/constraints/"+c.ID, c.Version, c)
}

// GetConstraint answers GET /api/v1/constraints/{id}.
func (h *Handler) GetConstraint(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	c, err := h.DB.GetConstraint(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, c)
}

// AnswerInput is a holder's answer.
type AnswerInput struct {
	Status        string `json:"status"`
	Decision      string `json:"decision"`
	WhoActs       string `json:"who_acts"`
	DeclineReason string `json:"decline_reason"`
}

// AnswerConstraint answers POST /api/v1/constraints/{id}/answer with If-Match.
func (h *Handler) AnswerConstraint(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var in AnswerInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	c, err := h.DB.AnswerConstraint(r.Context(), r.PathValue("id"), version, committees.ConstraintStatus(in.Status), in.Decision, in.WhoActs, in.DeclineReason, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, c)
}

// EscalateConstraint answers POST /api/v1/constraints/{id}/escalate with If-Match.
func (h *Handler) EscalateConstraint(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	c, err := h.DB.EscalateConstraint(r.Context(), r.PathValue("id"), version, in.Note, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, c)
}
