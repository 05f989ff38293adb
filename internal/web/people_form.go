package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/thai"
)

// otherIDSlots is how many other-document rows the form offers beyond
// those a person has.
const otherIDSlots = 1

type personForm struct {
	Person        people.Person
	BirthDate     string // as typed, or the stored date in the user's way of writing it
	Others        []people.Identifier
	New           bool
	Titles        []string
	IDKinds       []people.IdentifierKind
	Nationalities []people.Nationality
	Relationships []people.Relationship
	Places        placeChoices
	Household     string // the household a new member joins, or the person's
	Duplicates    []personRow
	ConfirmNew    bool
	TakenBy       string // who already holds the national ID typed
}

// PersonNew shows the form for a new person (GET /people/new); from a
// household page, ?household= makes the person a member.
func (h *Handler) PersonNew(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	p := people.Person{HouseholdID: r.URL.Query().Get("household")}
	if p.HouseholdID != "" {
		hv, err := h.DB.GetHousehold(r.Context(), p.HouseholdID, httpx.Actor(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.CommunityID = hv.Household.CommunityID
	}
	h.renderPersonForm(w, r, http.StatusOK, p, "", personForm{}, nil)
}

// PersonEdit shows the form for an existing person (GET /people/{id}/edit).
func (h *Handler) PersonEdit(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	p, err := h.DB.GetPerson(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.NationalID = thai.FormatNationalID(p.NationalID)
	h.renderPersonForm(w, r, http.StatusOK, p, dateInput(httpx.Lang(r.Context()), p.BirthDate), personForm{}, nil)
}

func (h *Handler) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, p people.Person, birth string, extra personForm, fe *FormError) {
	v := h.view(r, "person.new", nil)
	f := extra
	f.Person, f.BirthDate, f.New, f.Household = p, birth, p.ID == "", p.HouseholdID
	f.Titles, f.IDKinds, f.Nationalities, f.Relationships = personTitles, people.IdentifierKinds, people.Nationalities, people.Relationships
	f.Others = append(append([]people.Identifier{}, p.Identifiers...), make([]people.Identifier, otherIDSlots)...)
	var err error
	if f.Places, err = h.placeChoices(r.Context(), v.Lang); err != nil {
		h.fail(w, r, err)
		return
	}
	if !f.New {
		v.Title = h.Cat.T(v.Lang, "person.edit", nil)
		v.Return = "/people/" + p.ID + "/edit"
	} else {
		v.Return = "/people/new"
		if p.HouseholdID != "" {
			v.Return += "?household=" + p.HouseholdID
		}
	}
	v.Data, v.Error = f, fe
	h.render(w, r, status, "person_form", v)
}

// PersonSave creates (POST /people) or updates (POST /people/{id}) a person.
// A new person who looks like someone already recorded is shown with the
// possible duplicates first, and saved only when the user confirms.
func (h *Handler) PersonSave(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	p := people.Person{
		ID:              r.PathValue("id"),
		HouseholdID:     r.PostFormValue("household_id"),
		CommunityID:     r.PostFormValue("community_id"),
		NationalID:      r.PostFormValue("national_id"),
		Title:           r.PostFormValue("title"),
		GivenName:       r.PostFormValue("given_name"),
		FamilyName:      r.PostFormValue("family_name"),
		Nickname:        r.PostFormValue("nickname"),
		GivenNameLatin:  r.PostFormValue("given_name_latin"),
		FamilyNameLatin: r.PostFormValue("family_name_latin"),
		Sex:             people.Sex(r.PostFormValue("sex")),
		BirthDate:       r.PostFormValue("birth_date"),
		Nationality:     people.Nationality(r.PostFormValue("nationality")),
		Phone:           r.PostFormValue("phone"),
		Relation:        people.Relationship(r.PostFormValue("relationship")),
	}
	p.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	// Other documents: empty rows are skipped, and an error on the n-th
	// document is shown on the row it was typed in.
	kinds, values := r.PostForm["other_kind"], r.PostForm["other_value"]
	var rows []int
	for i := range min(len(kinds), len(values)) {
		if strings.TrimSpace(values[i]) == "" {
			continue
		}
		p.Identifiers = append(p.Identifiers, people.Identifier{Kind: people.IdentifierKind(kinds[i]), Value: values[i]})
		rows = append(rows, i)
	}
	typed := p // what the form shows again on an error: as typed, not normalised
	birth := p.BirthDate
	extra := personForm{ConfirmNew: r.PostFormValue("confirm_new") == "on"}
	showError := func(err error) {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		if e := errs.As(err); e.MessageID == "person.national_id_taken" {
			extra.TakenBy, _ = e.Data["PersonID"].(string)
		}
		var n int
		if _, err := fmt.Sscanf(fe.Field, "other_ids[%d]", &n); err == nil && n < len(rows) {
			fe.Field = "other_value_" + strconv.Itoa(rows[n])
		}
		h.renderPersonForm(w, r, status, typed, birth, extra, fe)
	}
	ctx := r.Context()
	if p.ID == "" {
		check := p
		check.Identifiers = append([]people.Identifier{}, p.Identifiers...)
		if err := people.ValidatePerson(&check, h.DB.Now()); err != nil {
			showError(err)
			return
		}
		if !extra.ConfirmNew {
			dups, err := h.DB.PossibleDuplicates(ctx, check)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if len(dups) > 0 {
				lang := httpx.Lang(ctx)
				for _, d := range dups {
					extra.Duplicates = append(extra.Duplicates, h.personRow(lang, d, people.NoSchooling, h.communityName(ctx, lang, d.CommunityID)))
				}
				fe := h.fieldError(r, "confirm_new", "person.possible_duplicate", map[string]any{"Count": len(dups)})
				h.renderPersonForm(w, r, http.StatusConflict, typed, birth, extra, fe)
				return
			}
		}
		ctx, err := h.formSending(r, "person:new")
		var saved people.Person
		if err == nil {
			saved, err = h.DB.CreatePerson(ctx, p, httpx.Actor(r))
		}
		if h.sentBefore(w, r, err, "flash.resend_saved", func(id string) string { return "/people/" + id }) {
			return
		}
		if err != nil {
			showError(err)
			return
		}
		h.redirectWithFlash(w, r, "/people/"+saved.ID, "flash.person_created")
		return
	}
	old, err := h.DB.GetPerson(ctx, p.ID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.FromPregnancyID = old.FromPregnancyID
	saved, err := h.DB.UpdatePerson(ctx, p, httpx.Actor(r))
	if err != nil {
		showError(err)
		return
	}
	h.redirectWithFlash(w, r, "/people/"+saved.ID, "flash.saved")
}
