package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// The data-protection officer's pages (privacy:oversee): who broke the
// glass, who opened a record, and whether the audit chain holds. Every
// read is audited by the store.

// PrivacyHome links the officer's pages (GET /privacy).
func (h *Handler) PrivacyHome(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PrivacyOversee) == nil {
		return
	}
	h.render(w, r, http.StatusOK, "privacy", h.view(r, "privacy.title", nil))
}

// PrivacyGlass lists recent break-the-glass grants (GET /privacy/glass).
func (h *Handler) PrivacyGlass(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PrivacyOversee) == nil {
		return
	}
	grants, err := h.DB.GlassGrants(r.Context(), 200, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "privacy_glass", h.view(r, "privacy.glass_title", grants))
}

// accessEntry is one line of "who saw this record", the action in words.
type accessEntry struct {
	store.AccessEntry
	ActionText string
}

type accessPage struct {
	PersonID string
	Name     string // empty when the person was erased
	Entries  []accessEntry
}

// PrivacyAccess is "who saw this record" (GET /privacy/people/{id}/access).
func (h *Handler) PrivacyAccess(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PrivacyOversee) == nil {
		return
	}
	ctx, id := r.Context(), r.PathValue("id")
	name, err := h.DB.OverseenPersonName(ctx, id, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	log, err := h.DB.PersonAccessLog(ctx, id, 500, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "privacy.access_title", nil)
	pg := accessPage{PersonID: id, Name: name}
	ids := h.Cat.IDs(v.Lang)
	for _, e := range log {
		// An action the catalogue does not name is shown as recorded,
		// rather than hidden from the officer.
		text := e.Action
		if key := "privacy.action." + e.Action; ids[key] {
			text = h.Cat.T(v.Lang, key, nil)
		}
		pg.Entries = append(pg.Entries, accessEntry{AccessEntry: e, ActionText: text})
	}
	v.Data = pg
	h.render(w, r, http.StatusOK, "privacy_access", v)
}

// PrivacyChain verifies the tamper-evident audit chain and shows the
// report (GET /privacy/chain). The check is audited: who looked, when.
func (h *Handler) PrivacyChain(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PrivacyOversee) == nil {
		return
	}
	ctx := r.Context()
	rep, err := h.DB.VerifyAudit(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	actor := httpx.Actor(r)
	actor.Action, actor.ObjectType = "privacy.chain_verified", "audit_chain"
	if err := h.DB.AuditRead(ctx, actor); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "privacy_chain", h.view(r, "privacy.chain_title", rep))
}
