package api

import (
	"context"
	"net/http"

	"termtem/internal/errs"
	"termtem/internal/people"
	"termtem/internal/store"
)

// PersonJSON is a person as the API shows it (snake_case, as documented).
type PersonJSON struct {
	ID                 string         `json:"id"`
	Version            int            `json:"version"`
	NationalID         string         `json:"national_id,omitempty"`
	OtherIDs           []IdentifierJS `json:"other_ids"`
	Title              string         `json:"title"`
	GivenName          string         `json:"given_name"`
	FamilyName         string         `json:"family_name"`
	Nickname           string         `json:"nickname"`
	GivenNameLatin     string         `json:"given_name_latin"`
	FamilyNameLatin    string         `json:"family_name_latin"`
	Sex                string         `json:"sex"`
	BirthDate          string         `json:"birth_date"`
	BirthDatePrecision string         `json:"birth_date_precision"`
	Nationality        string         `json:"nationality"`
	Phone              string         `json:"phone,omitempty"`
	Relationship       string         `json:"relationship,omitempty"`
	LifeStage          string         `json:"life_stage"`
	HouseholdID        string         `json:"household_id,omitempty"`
	CommunityCode      string         `json:"community_code,omitempty"`
	DistrictCode       string         `json:"district_code,omitempty"`
}

// IdentifierJS is a document number other than the national ID.
type IdentifierJS struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

func precision(birth string) string {
	switch len(birth) {
	case 10:
		return "day"
	case 7:
		return "month"
	case 4:
		return "year"
	}
	return "unknown"
}

// personJSON renders a person with their life stage today and where they live.
func (h *Handler) personJSON(ctx context.Context, p people.Person) (PersonJSON, error) {
	now := h.DB.Now()
	// Enrolments are read only where they can change the stage (children
	// of school age), not for every adult shown.
	schooling := people.NoSchooling
	if people.SchoolingMatters(p.BirthDate, now) {
		var err error
		if schooling, err = h.DB.Schooling(ctx, p.ID); err != nil {
			return PersonJSON{}, err
		}
	}
	community, district, err := h.DB.CommunityCodes(ctx, p.CommunityID)
	if err != nil {
		return PersonJSON{}, err
	}
	out := PersonJSON{ID: p.ID, Version: p.Version, NationalID: p.NationalID, OtherIDs: []IdentifierJS{},
		Title: p.Title, GivenName: p.GivenName, FamilyName: p.FamilyName, Nickname: p.Nickname,
		GivenNameLatin: p.GivenNameLatin, FamilyNameLatin: p.FamilyNameLatin, Sex: string(p.Sex),
		BirthDate: p.BirthDate, BirthDatePrecision: precision(p.BirthDate), Nationality: string(p.Nationality),
		Phone: p.Phone, Relationship: string(p.Relation),
		LifeStage:   string(people.StageAt(p.BirthDate, false, schooling, now)),
		HouseholdID: p.HouseholdID, CommunityCode: community, DistrictCode: district}
	for _, id := range p.Identifiers {
		out.OtherIDs = append(out.OtherIDs, IdentifierJS{string(id.Kind), id.Value})
	}
	return out, nil
}

// PersonInput is what a client sends to create a person; on PATCH every
// field is optional and only those sent change.
type PersonInput struct {
	NationalID      *string         `json:"national_id"`
	OtherIDs        *[]IdentifierJS `json:"other_ids"`
	Title           *string         `json:"title"`
	GivenName       *string         `json:"given_name"`
	FamilyName      *string         `json:"family_name"`
	Nickname        *string         `json:"nickname"`
	GivenNameLatin  *string         `json:"given_name_latin"`
	FamilyNameLatin *string         `json:"family_name_latin"`
	Sex             *string         `json:"sex"`
	BirthDate       *string         `json:"birth_date"`
	Nationality     *string         `json:"nationality"`
	Phone           *string         `json:"phone"`
	Relationship    *string         `json:"relationship"`
	HouseholdID     *string         `json:"household_id"`
	CommunityCode   *string         `json:"community_code"`
	// ConfirmNew creates the person even when someone similar exists.
	ConfirmNew bool `json:"confirm_new"`
}

// apply copies the fields sent onto p.
func (in PersonInput) apply(ctx context.Context, db *store.DB, p *people.Person) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&p.NationalID, in.NationalID)
	set(&p.Title, in.Title)
	set(&p.GivenName, in.GivenName)
	set(&p.FamilyName, in.FamilyName)
	set(&p.Nickname, in.Nickname)
	set(&p.GivenNameLatin, in.GivenNameLatin)
	set(&p.FamilyNameLatin, in.FamilyNameLatin)
	set(&p.BirthDate, in.BirthDate)
	set(&p.Phone, in.Phone)
	set(&p.HouseholdID, in.HouseholdID)
	if in.Sex != nil {
		p.Sex = people.Sex(*in.Sex)
	}
	if in.Nationality != nil {
		p.Nationality = people.Nationality(*in.Nationality)
	}
	if in.Relationship != nil {
		p.Relation = people.Relationship(*in.Relationship)
	}
	if in.OtherIDs != nil {
		p.Identifiers = nil
		for _, id := range *in.OtherIDs {
			p.Identifiers = append(p.Identifiers, people.Identifier{Kind: people.IdentifierKind(id.Kind), Value: id.Value})
		}
	}
	if in.CommunityCode != nil {
		p.CommunityID = ""
		if *in.CommunityCode != "" {
			c, err := db.GetPlaceByCode(ctx, *in.CommunityCode)
			if err != nil {
				return errs.Field("community_code", "person.community_unknown", nil)
			}
			p.CommunityID = c.ID
		}
	}
	return nil
}

// writePerson answers with a person and its version as ETag.
func (h *Handler) writePerson(w http.ResponseWriter, r *http.Request, status int, p people.Person) {
	js, err := h.personJSON(r.Context(), p)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(p.Version))
	if status == http.StatusCreated {
		created(w, "/api/v1/people/"+p.ID, p.Version, js)
		return
	}
	writeJSON(w, status, js)
}
