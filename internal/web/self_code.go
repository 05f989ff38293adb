package web

import (
	"net/http"
	"time"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// selfCodePage is the staff page that gives a family a self-assessment
// code: first the explanation and the button, then (after the POST) the
// code itself, shown this once.
type selfCodePage struct {
	HouseholdID string
	Address     string
	Community   string
	// Organisations the code may be issued for: the user's own. A choice is
	// offered only when there is more than one.
	Organisations []selfCodeOrg
	// Set on the page that shows a new code.
	Code     string // "12345 67890"
	Expires  time.Time
	Link     string // <origin>/self#code=…: the code only in the fragment
	Lifetime int    // days
	Nonce    string // one-time: the form makes a code
}

type selfCodeOrg struct {
	ID, Name string
	Chosen   bool
}

// SelfCodeShow explains the family self-assessment and offers to make a
// code (GET /households/{id}/self-code).
func (h *Handler) SelfCodeShow(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.AssessmentsWrite)
	if p == nil {
		return
	}
	v, page, ok := h.selfCodePage(w, r, p)
	if !ok {
		return
	}
	h.renderSelfCodeForm(w, r, http.StatusOK, v, page)
}

// renderSelfCodeForm shows the explanation and the button, whose form
// carries a one-time nonce: the page that shows a code answers the POST,
// so reloading it sends the form again, which must not make a second live
// code for the household.
func (h *Handler) renderSelfCodeForm(w http.ResponseWriter, r *http.Request, status int, v *View, page selfCodePage) {
	page.Nonce = h.formNonce(r)
	v.Data = page
	h.render(w, r, status, "self_code", v)
}

func selfCodeForm(householdID string) string { return "self_code:" + householdID }

// SelfCodeCreate makes a single-use code and shows it once
// (POST /households/{id}/self-code). The code is never put in a URL the
// server sees (no redirect to it, nothing in the query) and never logged:
// the response page is the only place it appears, and the store keeps only
// its hash.
func (h *Handler) SelfCodeCreate(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.AssessmentsWrite)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	v, page, ok := h.selfCodePage(w, r, p)
	if !ok {
		return
	}
	org := r.PostFormValue("organisation_id")
	if org == "" && len(page.Organisations) > 0 {
		org = page.Organisations[0].ID
	}
	if !p.InOrganisation(org) {
		v.Error = &FormError{Field: "organisation_id", Message: h.Cat.T(v.Lang, "field.choice", nil)}
		h.renderSelfCodeForm(w, r, http.StatusUnprocessableEntity, v, page)
		return
	}
	// The same form sent again: no second code; the page again, to make
	// one on purpose.
	ctx, err := h.formSending(r, selfCodeForm(page.HouseholdID))
	var sc store.SelfCode
	if err == nil {
		sc, err = h.DB.CreateSelfCode(ctx, page.HouseholdID, org, 0, httpx.Actor(r))
	}
	if _, again := store.SentBefore(err); again || ctx == nil {
		v.Error = &FormError{Message: h.Cat.T(v.Lang, "form_once.code_sent", nil)}
		h.renderSelfCodeForm(w, r, http.StatusConflict, v, page)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Code, page.Expires = store.FormatSelfCode(sc.Code), sc.ExpiresAt
	page.Link = requestOrigin(r, h.SecureCookies) + "/self#code=" + sc.Code
	v.Title = h.Cat.T(v.Lang, "selfcode.created_title", nil)
	v.Data = page
	h.render(w, r, http.StatusOK, "self_code_created", v)
}

func (h *Handler) selfCodePage(w http.ResponseWriter, r *http.Request, p *account.Principal) (*View, selfCodePage, bool) {
	hv, err := h.DB.GetHousehold(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return nil, selfCodePage{}, false
	}
	v := h.view(r, "selfcode.title", nil)
	page := selfCodePage{HouseholdID: hv.Household.ID, Address: hv.Household.Address,
		Community: h.communityName(r.Context(), v.Lang, hv.Household.CommunityID), Lifetime: int(store.SelfCodeLifetime / (24 * time.Hour))}
	chosen := r.PostFormValue("organisation_id")
	seen := map[string]bool{}
	for _, m := range p.User.Memberships {
		if seen[m.OrganisationID] {
			continue // one organisation, several roles
		}
		seen[m.OrganisationID] = true
		page.Organisations = append(page.Organisations, selfCodeOrg{ID: m.OrganisationID, Name: m.OrgName(v.Lang),
			Chosen: m.OrganisationID == chosen || (chosen == "" && len(page.Organisations) == 0)})
	}
	// The language switch must come back to the explanation, never re-post.
	v.Return = "/households/" + page.HouseholdID + "/self-code"
	return v, page, true
}

// requestOrigin is the scheme and host the browser used, for links the
// family will open. Cookies are Secure exactly when Termtem is reached over
// HTTPS (directly or through a TLS-terminating proxy).
func requestOrigin(r *http.Request, secure bool) string {
	scheme := "http"
	if secure || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
