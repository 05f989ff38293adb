package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/consent"
	"termtem/internal/httpx"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
)

// consentsPage is a person's consent ledger: what may be shared, with
// whom, on what basis, and what was shared.
type consentsPage struct {
	Person      people.Person
	Name        string
	Consents    []consentRow
	Disclosures []store.Disclosure
	CanWrite    bool
	Form        map[string]string
	Bases       []consent.Basis
	Purposes    []consent.Purpose
	Givers      []consent.Giver
	Kinds       []organisations.Kind
	Dimensions  []people.Dimension
	Orgs        []account.Membership
	OrgName     string
}

type consentRow struct {
	store.Consent
	InForce bool
}

// ConsentsShow shows a person's consent ledger (GET /people/{id}/consents).
func (h *Handler) ConsentsShow(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleRead) == nil {
		return
	}
	h.renderConsents(w, r, http.StatusOK, map[string]string{"given_on": h.todayInput(httpx.Lang(r.Context()))}, nil)
}

func (h *Handler) renderConsents(w http.ResponseWriter, r *http.Request, status int, form map[string]string, fe *FormError) {
	ctx := r.Context()
	p := httpx.Principal(ctx)
	person, err := h.DB.GetPerson(ctx, r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ledger, err := h.DB.Consents(ctx, person.ID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	disclosures, err := h.DB.Disclosures(ctx, person.ID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "consent.title", nil)
	pg := consentsPage{Person: person, Name: displayName(person), Disclosures: disclosures, CanWrite: p.Can(account.PeopleWrite), Form: form,
		Bases: consent.Bases, Purposes: consent.Purposes, Givers: consent.Givers, Kinds: organisations.Kinds, Dimensions: people.Dimensions}
	now := h.DB.Now()
	for _, c := range ledger {
		pg.Consents = append(pg.Consents, consentRow{Consent: c, InForce: c.Active(now)})
	}
	if len(p.User.Memberships) == 1 {
		pg.OrgName = p.User.Memberships[0].OrgName(v.Lang)
	} else {
		pg.Orgs = p.User.Memberships
	}
	v.Title = h.Cat.T(v.Lang, "consent.title_of", map[string]any{"Name": pg.Name})
	v.Data, v.Error = pg, fe
	h.render(w, r, status, "consents", v)
}
