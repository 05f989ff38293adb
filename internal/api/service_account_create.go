package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
)

// ServiceAccountInput makes a service account in one organisation with one
// role.
type ServiceAccountInput struct {
	Username       string `json:"username"`
	DisplayName    string `json:"display_name"`
	OrganisationID string `json:"organisation_id"`
	Role           string `json:"role"`
}

// CreateServiceAccount answers POST /api/v1/service-accounts. An
// organisation administrator makes accounts in their own organisations
// only; no service account may hold an administrator's role.
func (h *Handler) CreateServiceAccount(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.UsersManage)
	if p == nil {
		return
	}
	var in ServiceAccountInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	if in.OrganisationID == "" {
		h.Fail(w, r, errs.Field("organisation_id", "field.required", nil))
		return
	}
	if ok, err := h.administers(r, p, in.OrganisationID); err != nil || !ok {
		h.Fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	ctx, err := idempotent(r)
	var u account.User
	if err == nil {
		u, err = h.DB.CreateServiceAccount(ctx, account.User{Username: in.Username, DisplayName: in.DisplayName, Lang: "th",
			Memberships: []account.Membership{{OrganisationID: in.OrganisationID, RoleCode: in.Role}}}, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) { u.ID = id }) {
		// An account holds no secret: the replay answers it as made.
		sa, err := h.DB.GetServiceAccount(r.Context(), u.ID)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		w.Header().Set("Location", "/api/v1/service-accounts/"+u.ID)
		writeJSON(w, http.StatusOK, serviceAccountJSON(sa))
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	sa, err := h.DB.GetServiceAccount(r.Context(), u.ID)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/service-accounts/"+u.ID)
	writeJSON(w, http.StatusCreated, serviceAccountJSON(sa))
}
