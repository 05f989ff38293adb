package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/organisations"
	"termtem/internal/store"
)

type serviceAccountForm struct {
	Username, DisplayName, OrganisationID, Role, TokenName, ExpiresInDays string
	Organisations                                                         []organisations.Organisation
	Roles                                                                 []account.Role
	Nonce                                                                 string // one-time: the form makes an account and a token
}

// ServiceAccountNew shows the form for a new service account and its
// first token (GET /service-accounts/new).
func (h *Handler) ServiceAccountNew(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.UsersManage) == nil {
		return
	}
	h.renderServiceAccountForm(w, r, http.StatusOK, serviceAccountForm{Role: account.RoleDataOfficer, TokenName: "nightly", ExpiresInDays: "90"}, nil)
}

func (h *Handler) renderServiceAccountForm(w http.ResponseWriter, r *http.Request, status int, f serviceAccountForm, fe *FormError) {
	p := httpx.Principal(r.Context())
	adm, err := h.DB.AdministeredOrganisations(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !adm.Any() {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	filter := store.OrganisationFilter{}
	if !adm.All {
		filter.IDs = adm.IDs
	}
	if f.Organisations, err = h.DB.ListOrganisations(r.Context(), filter); err != nil {
		h.fail(w, r, err)
		return
	}
	roles, err := h.DB.ListRoles(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, role := range roles {
		if account.ServiceRoleAllowed(role) {
			f.Roles = append(f.Roles, role)
		}
	}
	f.Nonce = h.formNonce(r)
	v := h.view(r, "sa.new", f)
	v.Error = fe
	h.render(w, r, status, "service_account_form", v)
}

// ServiceAccountCreate makes the account and its first token in one
// transaction (POST /service-accounts) and answers with the token, shown
// this once.
func (h *Handler) ServiceAccountCreate(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.UsersManage)
	if p == nil {
		return
	}
	if err := parseServiceForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	f := serviceAccountForm{Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		OrganisationID: r.PostFormValue("organisation_id"), Role: r.PostFormValue("role"),
		TokenName: r.PostFormValue("token_name"), ExpiresInDays: r.PostFormValue("expires_in_days")}
	adm, err := h.DB.AdministeredOrganisations(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !adm.Includes(f.OrganisationID) {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	ctx, ok := h.serviceSending(w, r, newAccountForm, nil)
	if !ok {
		return
	}
	sa, secret, err := func() (store.ServiceAccount, string, error) {
		lifetime, err := tokenLifetime(r)
		if err != nil {
			return store.ServiceAccount{}, "", err
		}
		u := account.User{Username: f.Username, DisplayName: f.DisplayName, Lang: "th",
			Memberships: []account.Membership{{OrganisationID: f.OrganisationID, RoleCode: f.Role}}}
		return h.DB.CreateServiceAccountWithToken(ctx, u, f.TokenName, lifetime, httpx.Actor(r))
	}()
	if h.serviceResent(w, r, err, nil) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderServiceAccountForm(w, r, status, f, fe)
		return
	}
	h.renderTokenShown(w, r, sa, secret, false)
}
