package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// searchForm is the search page: the form as typed, and the results once
// searched. Names and ID numbers come in a POST body and go back out only
// inside the page, never in an address (OWASP ASVS 14.2.1).
type searchForm struct {
	Q             string
	IDKind        string
	BirthYear     string
	Sex           string
	DistrictCode  string
	CommunityCode string
	IDKinds       []people.IdentifierKind
	Places        placeChoices
	Searched      bool
	Rows          []personRow
	Total         int
	IDNotFound    bool // an ID was looked up and nobody holds it
	CanWrite      bool
}

// PeopleSearchForm shows the search form (GET /people).
func (h *Handler) PeopleSearchForm(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.PeopleRead)
	if p == nil {
		return
	}
	h.renderSearch(w, r, http.StatusOK, searchForm{}, nil)
}

func (h *Handler) renderSearch(w http.ResponseWriter, r *http.Request, status int, f searchForm, fe *FormError) {
	v := h.view(r, "people.search", nil)
	var err error
	if f.Places, err = h.placeChoices(r.Context(), v.Lang); err != nil {
		h.fail(w, r, err)
		return
	}
	f.IDKinds = append([]people.IdentifierKind{people.NationalID}, people.IdentifierKinds...)
	f.CanWrite = v.Principal.Can(account.PeopleWrite)
	v.Data, v.Error = f, fe
	v.Return = "/people" // the results page answers a POST; the language switch comes back to the form
	h.render(w, r, status, "search", v)
}

// PeopleSearch runs a search (POST /people/search). An ID number goes
// straight to its holder; anything else is a name search.
func (h *Handler) PeopleSearch(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.PeopleRead)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	f := searchForm{Q: strings.TrimSpace(r.PostFormValue("q")), IDKind: r.PostFormValue("id_kind"),
		BirthYear: strings.TrimSpace(r.PostFormValue("birth_year")), Sex: r.PostFormValue("sex"),
		DistrictCode: r.PostFormValue("district_code"), CommunityCode: r.PostFormValue("community_code")}
	if f.Q == "" {
		h.renderSearch(w, r, http.StatusUnprocessableEntity, f, h.fieldError(r, "q", "search.empty", nil))
		return
	}
	if kinds := idKindsToTry(f.IDKind, f.Q); len(kinds) > 0 {
		for _, kind := range kinds {
			found, err := h.DB.LookupIdentifier(r.Context(), kind, f.Q, httpx.Actor(r))
			if err == nil {
				http.Redirect(w, r, "/people/"+found.ID, http.StatusSeeOther)
				return
			}
			if errs.Is(err, errs.NotFound) {
				continue
			}
			if e := errs.As(err); e.Code == errs.Invalid {
				e.Field = "q" // the message is about what was typed in the box
				fe, status, _ := h.formError(r, e)
				h.renderSearch(w, r, status, f, fe)
				return
			}
			h.fail(w, r, err)
			return
		}
		f.Searched, f.IDNotFound = true, true
		h.renderSearch(w, r, http.StatusOK, f, nil)
		return
	}
	q := store.PersonQuery{Text: f.Q, Sex: people.Sex(f.Sex), DistrictCode: f.DistrictCode, CommunityCode: f.CommunityCode, Limit: 50}
	if q.Sex != people.Unknown && q.Sex != people.Male && q.Sex != people.Female {
		h.renderSearch(w, r, http.StatusUnprocessableEntity, f, h.fieldError(r, "sex", "field.choice", nil))
		return
	}
	if f.BirthYear != "" {
		y, err := strconv.Atoi(thai.NormalizeNationalID(f.BirthYear)) // Thai digits too
		if err == nil && y >= 2400 {
			y -= thai.BEOffset
		}
		if err != nil || y < 1900 || y > h.DB.Now().Year() {
			h.renderSearch(w, r, http.StatusUnprocessableEntity, f, h.fieldError(r, "birth_year", "search.birth_year", nil))
			return
		}
		q.BirthYear = y
	}
	hits, total, err := h.DB.SearchPeople(r.Context(), q, httpx.Actor(r))
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderSearch(w, r, status, f, fe)
		return
	}
	lang := httpx.Lang(r.Context())
	for _, hit := range hits {
		community := hit.CommunityName
		if lang == "en" && hit.CommunityEN != "" {
			community = hit.CommunityEN
		}
		row := h.personRow(lang, hit.Person, people.NoSchooling, community)
		row.Restricted = hit.Restricted
		f.Rows = append(f.Rows, row)
	}
	if err := h.listFlowers(r.Context(), lang, httpx.Principal(r.Context()), f.Rows); err != nil {
		h.fail(w, r, err)
		return
	}
	f.Searched, f.Total = true, total
	h.renderSearch(w, r, http.StatusOK, f, nil)
}

// fieldError is a localised message on one field of a form.
func (h *Handler) fieldError(r *http.Request, field, messageID string, data map[string]any) *FormError {
	return &FormError{Field: field, Message: h.Cat.T(httpx.Lang(r.Context()), messageID, data)}
}

// idKindsToTry says which document kinds the search box is looked up as:
// the kind chosen, or, left on "name or number", a national ID for a run of
// nine or more digits (so that 12 or 14 digits get a clear message) and the
// other kinds for a short code of Latin letters and digits. A name gives none.
func idKindsToTry(chosen, q string) []people.IdentifierKind {
	if chosen != "" {
		return []people.IdentifierKind{people.IdentifierKind(chosen)}
	}
	n := thai.NormalizeNationalID(q)
	if n == "" {
		return nil
	}
	digits, hasDigit := true, false
	for _, c := range n {
		switch {
		case c >= '0' && c <= '9':
			hasDigit = true
		case c < unicode.MaxASCII && (unicode.IsLetter(c) || c == '/'):
			digits = false
		default:
			return nil // Thai letters, punctuation: a name
		}
	}
	switch {
	case digits && len(n) >= 9:
		return []people.IdentifierKind{people.NationalID}
	case hasDigit && len(n) >= 3:
		return people.IdentifierKinds
	}
	return nil
}
