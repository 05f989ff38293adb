package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// SearchRequest is the body of POST /api/v1/people/search. Names travel in
// the body, never in the URL, so they stay out of logs and histories.
type SearchRequest struct {
	Q             string `json:"q"`
	BirthYear     int    `json:"birth_year"`
	Sex           string `json:"sex"`
	DistrictCode  string `json:"district_code"`
	CommunityCode string `json:"community_code"`
	Limit         int    `json:"limit"`
	Offset        int    `json:"offset"`
}

// SearchHitJSON is one result.
type SearchHitJSON struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	GivenName     string `json:"given_name"`
	FamilyName    string `json:"family_name"`
	Nickname      string `json:"nickname"`
	Sex           string `json:"sex"`
	BirthDate     string `json:"birth_date"`
	AgeYears      *int   `json:"age_years"`
	LifeStage     string `json:"life_stage"`
	CommunityCode string `json:"community_code,omitempty"`
	CommunityName string `json:"community_name,omitempty"`
	// Restricted: outside the caller's area; the record opens only after
	// breaking the glass (POST /api/v1/people/{id}/break-glass).
	Restricted bool `json:"restricted,omitempty"`
}

// SearchPeople answers POST /api/v1/people/search.
func (h *Handler) SearchPeople(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleRead) == nil {
		return
	}
	var in SearchRequest
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	if in.BirthYear != 0 && (in.BirthYear < 1900 || in.BirthYear > 2400+543) {
		h.Fail(w, r, errs.Field("birth_year", "date.year", nil))
		return
	}
	if in.BirthYear >= 2400 { // a Buddhist-Era year
		in.BirthYear -= 543
	}
	if in.Sex != "" && in.Sex != string(people.Male) && in.Sex != string(people.Female) {
		h.Fail(w, r, errs.Field("sex", "field.choice", nil))
		return
	}
	if in.Limit < 0 || in.Limit > 100 || in.Offset < 0 {
		h.Fail(w, r, errs.Field("limit", "error.paging", nil))
		return
	}
	hits, total, err := h.DB.SearchPeople(r.Context(), store.PersonQuery{Text: in.Q, BirthYear: in.BirthYear, Sex: people.Sex(in.Sex),
		DistrictCode: in.DistrictCode, CommunityCode: in.CommunityCode, Limit: in.Limit, Offset: in.Offset}, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	lang := httpx.Lang(r.Context())
	now := h.DB.Now()
	out := make([]SearchHitJSON, 0, len(hits))
	for _, hit := range hits {
		p := hit.Person
		js := SearchHitJSON{ID: p.ID, Title: p.Title, GivenName: p.GivenName, FamilyName: p.FamilyName, Nickname: p.Nickname,
			Sex: string(p.Sex), BirthDate: p.BirthDate, LifeStage: string(people.StageAt(p.BirthDate, false, people.NoSchooling, now)),
			CommunityCode: hit.CommunityCode, CommunityName: hit.CommunityName, Restricted: hit.Restricted}
		if lang == "en" && hit.CommunityEN != "" {
			js.CommunityName = hit.CommunityEN
		}
		if age, ok := people.AgeInYears(p.BirthDate, now); ok {
			js.AgeYears = &age
		}
		out = append(out, js)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "count": len(out), "total": total, "offset": in.Offset})
}

// LookupRequest is the body of POST /api/v1/people/lookup: a national ID, or
// another identifier by kind.
type LookupRequest struct {
	NationalID string `json:"national_id"`
	Kind       string `json:"kind"`
	Value      string `json:"value"`
}

// LookupPerson answers POST /api/v1/people/lookup (exact).
func (h *Handler) LookupPerson(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleRead) == nil {
		return
	}
	var in LookupRequest
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	kind, value := people.IdentifierKind(in.Kind), in.Value
	if in.NationalID != "" {
		kind, value = people.NationalID, in.NationalID
	}
	if value == "" {
		h.Fail(w, r, errs.Field("national_id", "field.required", nil))
		return
	}
	p, err := h.DB.LookupIdentifier(r.Context(), kind, value, httpx.Actor(r))
	if err != nil {
		if e := errs.As(err); e.Code == errs.Invalid && in.NationalID != "" {
			e.Field = "national_id"
		}
		h.Fail(w, r, err)
		return
	}
	h.writePerson(w, r, http.StatusOK, p)
}
