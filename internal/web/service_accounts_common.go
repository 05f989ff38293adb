package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
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
