package web

import (
	"context"
	"net/http"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/organisations"
	"termtem/internal/store"
)

// membershipSlots is how many organisation/role rows the form offers; most
// people work in one unit, a few in two or three.
const membershipSlots = 3

type userForm struct {
	User          account.User
	Slots         []account.Membership
	Organisations []organisations.Organisation
	Roles         []account.Role
	New           bool
}

// UserNew shows the form for a new user.
func (h *Handler) UserNew(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.UsersManage) == nil {
		return
	}
	h.renderUserForm(w, r, http.StatusOK, account.User{Kind: account.StaffAccount, Lang: "th"}, nil)
}

// UserEdit shows the form for an existing user.
func (h *Handler) UserEdit(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.UsersManage)
	if p == nil {
		return
	}
	u, err := h.DB.GetUser(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.managesUser(p, u) {
		// Not found rather than forbidden: do not confirm the user exists.
		h.fail(w, r, errs.New(errs.NotFound, "user.not_found"))
		return
	}
	h.renderUserForm(w, r, http.StatusOK, u, nil)
}

func (h *Handler) renderUserForm(w http.ResponseWriter, r *http.Request, status int, u account.User, fe *FormError) {
	p := httpx.Principal(r.Context())
	f := userForm{User: u, New: u.ID == ""}
	f.Slots = append(f.Slots, u.Memberships...)
	for len(f.Slots) < membershipSlots {
		f.Slots = append(f.Slots, account.Membership{})
	}
	filter := store.OrganisationFilter{}
	if !p.Global() {
		filter.IDs = p.OrganisationIDs()
	}
	var err error
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
		if role.Code == account.RoleSystemAdmin && !p.Global() {
			continue
		}
		f.Roles = append(f.Roles, role)
	}
	title := "user.edit"
	if f.New {
		title = "user.new"
	}
	v := h.view(r, title, f)
	v.Error = fe
	h.render(w, r, status, "user_form", v)
}

// UserSave creates or updates a user, their memberships, and optionally
// sets a new password.
func (h *Handler) UserSave(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.UsersManage)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	u := account.User{
		ID:          r.PathValue("id"),
		Username:    r.PostFormValue("username"),
		DisplayName: r.PostFormValue("display_name"),
		Kind:        account.AccountKind(r.PostFormValue("kind")),
		Lang:        r.PostFormValue("lang"),
		Email:       r.PostFormValue("email"),
		Disabled:    r.PostFormValue("disabled") == "on",
	}
	u.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	orgs, roles := r.PostForm["org"], r.PostForm["role"]
	for i := 0; i < len(orgs) && i < len(roles); i++ {
		if orgs[i] != "" && roles[i] != "" {
			u.Memberships = append(u.Memberships, account.Membership{OrganisationID: orgs[i], RoleCode: roles[i]})
		}
	}
	password := r.PostFormValue("password")
	if err := h.authoriseUserSave(r, p, &u); err != nil {
		h.fail(w, r, err)
		return
	}
	var err error
	if u.ID == "" {
		// A new account carries the form's nonce: sent again, it goes to
		// the list that shows the account the first sending made, not to
		// "username taken".
		var ctx context.Context
		if ctx, err = h.formSending(r, "user:new"); err == nil {
			_, err = h.Auth.CreateUser(ctx, u, password, httpx.Actor(r))
		}
		if h.sentBefore(w, r, err, "flash.resend_saved", func(string) string { return "/users" }) { // as the first went

			return
		}
	} else {
		var saved account.User
		saved, err = h.DB.SaveUser(r.Context(), u, httpx.Actor(r))
		if err == nil && password != "" {
			err = h.Auth.SetPassword(r.Context(), saved, password, "", httpx.Actor(r))
		}
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderUserForm(w, r, status, u, fe)
		return
	}
	h.redirectWithFlash(w, r, "/users", "flash.saved")
}

// authoriseUserSave keeps organisation administrators inside their own
// organisations and away from the system administrator role.
func (h *Handler) authoriseUserSave(r *http.Request, p *account.Principal, u *account.User) error {
	if u.ID != "" {
		old, err := h.DB.GetUser(r.Context(), u.ID)
		if err != nil {
			return err
		}
		if !h.managesUser(p, old) {
			return errs.New(errs.NotFound, "user.not_found")
		}
		u.Username = old.Username
	}
	if p.Global() {
		return nil
	}
	for _, m := range u.Memberships {
		if !p.InOrganisation(m.OrganisationID) || m.RoleCode == account.RoleSystemAdmin {
			return errs.New(errs.Forbidden, "error.forbidden")
		}
	}
	if len(u.Memberships) == 0 {
		return errs.Field("org", "user.membership_required", nil)
	}
	return nil
}
