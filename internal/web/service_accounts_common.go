package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// The pages of agency systems' service accounts (บัญชีระบบหน่วยงาน): an
// organisation administrator sees and manages those of the organisations
// they administer, nobody else's; another unit's accounts are "not found",
// so that their existence is not confirmed.

// managedServiceAccount reads the service account of the path's {id} for
// an administrator of its organisation; anyone else gets "not found".
func (h *Handler) managedServiceAccount(w http.ResponseWriter, r *http.Request) (store.ServiceAccount, bool) {
	p := h.require(w, r, account.UsersManage)
	if p == nil {
		return store.ServiceAccount{}, false
	}
	adm, err := h.DB.AdministeredOrganisations(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return store.ServiceAccount{}, false
	}
	sa, err := h.DB.GetServiceAccount(r.Context(), r.PathValue("id"))
	if err == nil && !adm.Includes(sa.Organisation().OrganisationID) {
		err = errs.New(errs.NotFound, "service_account.not_found")
	}
	if err != nil {
		h.fail(w, r, err)
		return store.ServiceAccount{}, false
	}
	return sa, true
}

// managedServiceForm is managedServiceAccount for a posted form: the
// account, with the form read.
func (h *Handler) managedServiceForm(w http.ResponseWriter, r *http.Request) (store.ServiceAccount, bool) {
	sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return sa, false
	}
	if err := parseServiceForm(w, r); err != nil {
		h.fail(w, r, err)
		return sa, false
	}
	return sa, true
}

// parseServiceForm reads a posted form of the service-account pages.
func parseServiceForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(errs.Invalid, "error.form", err)
	}
	return nil
}

// tokenLifetime reads the lifetime field in days (default 90, at most five
// years, as on the API).
func tokenLifetime(r *http.Request) (time.Duration, error) {
	s := strings.TrimSpace(r.PostFormValue("expires_in_days"))
	days := 90
	if s != "" {
		var err error
		if days, err = strconv.Atoi(s); err != nil {
			days = -1
		}
	}
	if days < 1 || days > 5*365 {
		return 0, errs.Field("expires_in_days", "service_account.lifetime", map[string]any{"Max": 5 * 365})
	}
	return time.Duration(days) * 24 * time.Hour, nil
}

// tokenShown is the one page that ever holds a token's secret.
type tokenShown struct {
	Account store.ServiceAccount
	Secret  string
	Rotated bool
}

// renderTokenShown shows a new token's secret, once: the answer to the
// POST that made it, never a page one can return to (no redirect, no
// URL holding it, not stored by the browser or a proxy).
func (h *Handler) renderTokenShown(w http.ResponseWriter, r *http.Request, sa store.ServiceAccount, secret string, rotated bool) {
	w.Header().Set("Cache-Control", "no-store")
	v := h.view(r, "sa.token_title", tokenShown{Account: sa, Secret: secret, Rotated: rotated})
	h.render(w, r, http.StatusOK, "service_account_token", v)
}

// serviceAccountFormError shows an input or concurrency error on the
// account's page, or fails.
func (h *Handler) serviceAccountFormError(w http.ResponseWriter, r *http.Request, id string, err error) {
	fe, status, ok := h.formError(r, err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	sa, gerr := h.DB.GetServiceAccount(r.Context(), id)
	if gerr != nil {
		h.fail(w, r, gerr)
		return
	}
	h.renderServiceAccount(w, r, status, sa, fe)
}

// newServiceToken runs what an issue and a rotation share: the account the
// administrator manages, the posted form and the token's lifetime, then
// mint (the store's one transaction), and answers with the new secret once
// or the account's page with the error.
func (h *Handler) newServiceToken(w http.ResponseWriter, r *http.Request, rotated bool,
	mint func(ctx context.Context, sa store.ServiceAccount, lifetime time.Duration) (string, error)) {
	sa, ok := h.managedServiceForm(w, r)
	if !ok {
		return
	}
	ctx, ok := h.serviceSending(w, r, accountForm(sa.ID), &sa)
	if !ok {
		return
	}
	lifetime, err := tokenLifetime(r)
	var secret string
	if err == nil {
		secret, err = mint(ctx, sa, lifetime)
	}
	if h.serviceResent(w, r, err, &sa) {
		return
	}
	if err != nil {
		h.serviceAccountFormError(w, r, sa.ID, err)
		return
	}
	if sa, err = h.DB.GetServiceAccount(r.Context(), sa.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderTokenShown(w, r, sa, secret, rotated)
}

// The forms that make a token in one click (a new account's, an account's
// issue and rotate) carry a one-time nonce kept with the session: the
// answer holds the secret, so it cannot be a redirect, and reloading it (or
// going back and sending again) re-sends the form. The second sending finds
// its nonce used up and is refused, with nothing made.
const newAccountForm = "service_account:new"

// accountForm names the token forms of one account's page.
func accountForm(id string) string { return "service_account:" + id }

// formNonce gives the page's one-time forms their nonce (form_once.go).
func (h *Handler) formNonce(r *http.Request) string {
	p := httpx.Principal(r.Context())
	if p == nil {
		return ""
	}
	return newFormNonce(p.SessionID)
}

// serviceSending returns the context under which a token form's write
// records its sending (formSending), or answers that the form was already
// sent and reports false.
func (h *Handler) serviceSending(w http.ResponseWriter, r *http.Request, form string, sa *store.ServiceAccount) (context.Context, bool) {
	ctx, err := h.formSending(r, form)
	if err != nil {
		h.renderServiceResent(w, r, sa)
		return nil, false
	}
	return ctx, true
}

// serviceResent answers a token form whose write found the form sent
// before (409, with a way back to the list and to the account when there
// is one; the token made then is not shown again) and reports whether it
// answered.
func (h *Handler) serviceResent(w http.ResponseWriter, r *http.Request, err error, sa *store.ServiceAccount) bool {
	if _, ok := store.SentBefore(err); !ok {
		return false
	}
	h.renderServiceResent(w, r, sa)
	return true
}

func (h *Handler) renderServiceResent(w http.ResponseWriter, r *http.Request, sa *store.ServiceAccount) {
	h.render(w, r, http.StatusConflict, "service_account_resent", h.view(r, "form_once.title", map[string]any{"Account": sa}))
}

// confirmServiceChange shows the confirmation page of a change to an
// account (action "disable") or to one of its tokens (action "revoke",
// token finds it; a token that is not there is not found).
func (h *Handler) confirmServiceChange(w http.ResponseWriter, r *http.Request, title, action string,
	token func(store.ServiceAccount) (account.APIToken, error)) {
	sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	data := map[string]any{"Account": sa, "Action": action}
	if token != nil {
		tk, err := token(sa)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data["Token"] = tk
	}
	h.render(w, r, http.StatusOK, "service_account_confirm", h.view(r, title, data))
}

// confirmedServiceChange runs a change posted from its confirmation page
// (with the account's version seen) and returns to the account with flash,
// or shows the error there.
func (h *Handler) confirmedServiceChange(w http.ResponseWriter, r *http.Request, flash string, change func(store.ServiceAccount) error) {
	sa, ok := h.managedServiceForm(w, r)
	if !ok {
		return
	}
	if err := change(sa); err != nil {
		h.serviceAccountFormError(w, r, sa.ID, err)
		return
	}
	h.redirectWithFlash(w, r, "/service-accounts/"+sa.ID, flash)
}

// serviceRole is the name (in lang) and the permissions of the role code.
func serviceRole(roles []account.Role, code, lang string) (string, []account.Permission) {
	for _, role := range roles {
		if role.Code == code {
			return role.Name(lang), role.Permissions
		}
	}
	return "", nil
}

// accountLastUsed is when any of the account's tokens was last used.
func accountLastUsed(sa store.ServiceAccount) time.Time {
	var last time.Time
	for _, tk := range sa.Tokens {
		if tk.LastUsedAt != nil && tk.LastUsedAt.After(last) {
			last = *tk.LastUsedAt
		}
	}
	return last
}

// formVersion is the account version the form was made from; a form
// without one is refused as stale rather than acting on whatever the
// account has become.
func formVersion(r *http.Request) int {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || v < 1 {
		return -1
	}
	return v
}
