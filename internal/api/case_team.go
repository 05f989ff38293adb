package api

import (
	"context"
	"net/http"

	"termtem/internal/cases"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// CaseTeam answers GET /api/v1/cases/{id}/team: the team, past members
// included (with removed_at), and the case's version as ETag: removing a
// member needs it.
func (h *Handler) CaseTeam(w http.ResponseWriter, r *http.Request) {
	h.readCase(w, r, answerTeam)
}

// MemberInput is the body of POST /api/v1/cases/{id}/team.
type MemberInput struct {
	UserID         string `json:"user_id"`
	OrganisationID string `json:"organisation_id"`
	Role           string `json:"role"`
}

// AddCaseMember answers POST /api/v1/cases/{id}/team: a worker of an
// active organisation joins the team in a role; a new case_manager
// replaces the current one.
func (h *Handler) AddCaseMember(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, caseChange{status: http.StatusCreated, answer: answerTeam}, func(ctx context.Context, c store.Case, version int) error {
		var in MemberInput
		if err := decode(w, r, &in); err != nil {
			return err
		}
		_, err := h.DB.AddCaseMember(ctx, c.ID, version, in.UserID, in.OrganisationID, cases.MemberRole(in.Role), httpx.Actor(r))
		return err
	})
}

// RemoveCaseMember answers DELETE /api/v1/cases/{id}/team/{member_id}
// with If-Match naming the case's version. The case manager cannot be
// removed, only replaced (422 case.manager_required).
func (h *Handler) RemoveCaseMember(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, caseChange{status: http.StatusOK, strict: true, answer: answerTeam}, func(ctx context.Context, c store.Case, version int) error {
		_, err := h.DB.RemoveCaseMember(ctx, c.ID, version, r.PathValue("member_id"), httpx.Actor(r))
		return err
	})
}
