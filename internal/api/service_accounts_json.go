package api

import (
	"net/http"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/store"
)

// ServiceAccountJSON is an agency system's account as the API shows it:
// its tokens by ID and name, never their secrets.
type ServiceAccountJSON struct {
	ID               string      `json:"id"`
	Username         string      `json:"username"`
	DisplayName      string      `json:"display_name"`
	OrganisationID   string      `json:"organisation_id"`
	OrganisationCode string      `json:"organisation_code"`
	Role             string      `json:"role"`
	Disabled         bool        `json:"disabled"`
	Version          int         `json:"version"` // moves with every change to the account or its tokens; send it as If-Match
	CreatedAt        time.Time   `json:"created_at"`
	Tokens           []TokenJSON `json:"tokens"`
}

// TokenJSON is a token's description; Token holds the secret only in the
// answer that issued it.
type TokenJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Token      string     `json:"token,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

func tokenJSON(tk account.APIToken) TokenJSON {
	return TokenJSON{ID: tk.ID, Name: tk.Name, CreatedAt: tk.CreatedAt, ExpiresAt: tk.ExpiresAt, RevokedAt: tk.RevokedAt, LastUsedAt: tk.LastUsedAt}
}

func serviceAccountJSON(sa store.ServiceAccount) ServiceAccountJSON {
	m := sa.Organisation()
	out := ServiceAccountJSON{ID: sa.ID, Username: sa.Username, DisplayName: sa.DisplayName, OrganisationID: m.OrganisationID,
		OrganisationCode: m.OrganisationCode, Role: m.RoleCode, Disabled: sa.Disabled, Version: sa.Version, CreatedAt: sa.CreatedAt, Tokens: []TokenJSON{}}
	for _, tk := range sa.Tokens {
		out.Tokens = append(out.Tokens, tokenJSON(tk))
	}
	return out
}

// managedServiceAccount reads the service account of the path's {id} when
// the caller administers its organisation; any other is not found, so that
// another organisation's accounts are not even confirmed to exist.
func (h *Handler) managedServiceAccount(w http.ResponseWriter, r *http.Request) (*account.Principal, store.ServiceAccount, bool) {
	p := h.require(w, r, account.UsersManage)
	if p == nil {
		return nil, store.ServiceAccount{}, false
	}
	sa, err := h.DB.GetServiceAccount(r.Context(), r.PathValue("id"))
	if err == nil {
		var ok bool
		ok, err = h.administers(r, p, sa.Organisation().OrganisationID)
		if err == nil && !ok {
			err = errs.New(errs.NotFound, "service_account.not_found")
		}
	}
	if err != nil {
		h.Fail(w, r, err)
		return nil, sa, false
	}
	return p, sa, true
}

// optionalIfMatch reads If-Match when the caller sent one (the version of
// the service account seen, refused as stale when it has moved since);
// without it the change applies to whatever the account is now.
func optionalIfMatch(r *http.Request) (int, error) {
	if r.Header.Get("If-Match") == "" {
		return 0, nil
	}
	return ifMatch(r)
}

// administers reports whether p manages service accounts of organisation
// id: by p's own role in that organisation (or a system administrator's).
func (h *Handler) administers(r *http.Request, p *account.Principal, id string) (bool, error) {
	adm, err := h.DB.AdministeredOrganisations(r.Context(), p)
	return adm.Includes(id), err
}

// TokenInput asks for a token; the lifetime is in days (default 90, at
// most five years).
type TokenInput struct {
	Name          string `json:"name"`
	ExpiresInDays int    `json:"expires_in_days"`
}

func (in TokenInput) lifetime() (time.Duration, error) {
	days := in.ExpiresInDays
	if days == 0 {
		days = 90
	}
	if days < 1 || days > 5*365 {
		return 0, errs.Field("expires_in_days", "service_account.lifetime", map[string]any{"Max": 5 * 365})
	}
	return time.Duration(days) * 24 * time.Hour, nil
}
