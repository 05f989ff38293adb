package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// RecordInput is the body of POST /api/v1/people/{id}/records.
type RecordInput struct {
	Kind             string            `json:"kind"`
	OccurredOn       string            `json:"occurred_on"`
	OrganisationCode string            `json:"organisation_code"`
	Data             people.RecordData `json:"data"`
}

// RecordJSON is one entry of a timeline. Restricted entries show what, when
// and who, but not the content.
type RecordJSON struct {
	ID               string             `json:"id"`
	Kind             string             `json:"kind"`
	OccurredOn       string             `json:"occurred_on"`
	Dimension        string             `json:"dimension"`
	LifeStage        string             `json:"life_stage"`
	OrganisationID   string             `json:"organisation_id"`
	OrganisationName string             `json:"organisation_name"`
	Author           string             `json:"author,omitempty"`
	Restricted       bool               `json:"restricted"`
	Data             *people.RecordData `json:"data,omitempty"`
	FromPregnancy    bool               `json:"from_pregnancy,omitempty"`
}

// AddRecord answers POST /api/v1/people/{id}/records. The record is made in
// the name of one of the caller's organisations.
func (h *Handler) AddRecord(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.PeopleWrite)
	if p == nil {
		return
	}
	var in RecordInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	orgID, err := h.authorOrganisation(r, p, in.OrganisationCode)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	ctx, err := idempotent(r)
	var rec people.Record
	if err == nil {
		rec, err = h.DB.AddRecord(ctx, people.Record{PersonID: r.PathValue("id"), Kind: people.RecordKind(in.Kind),
			OccurredOn: in.OccurredOn, OrganisationID: orgID, AuthorID: p.User.ID, Data: in.Data}, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) { h.answerRecord(w, r, p, id) }) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, RecordJSON{ID: rec.ID, Kind: string(rec.Kind), OccurredOn: rec.OccurredOn, Dimension: string(rec.Dimension),
		OrganisationID: rec.OrganisationID, Data: &rec.Data})
}

// answerRecord answers the record a request made before (its retry with
// the same Idempotency-Key), as the person's timeline shows it to the caller.
func (h *Handler) answerRecord(w http.ResponseWriter, r *http.Request, p *account.Principal, id string) {
	person, err := h.DB.GetPerson(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	recs, err := h.DB.Timeline(r.Context(), person.ID, store.TimelineFilter{}, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	for _, rec := range recs {
		if rec.ID == id {
			js := recordJSON(rec, person, httpx.Lang(r.Context()))
			if people.Visible(rec, p) {
				js.Data = &rec.Data
			} else {
				js.Restricted = true
			}
			writeJSON(w, http.StatusOK, js)
			return
		}
	}
	h.Fail(w, r, errs.New(errs.NotFound, "error.not_found"))
}

// authorOrganisation picks the organisation a record is made for: the one
// named (which must be the caller's), or the caller's only one.
func (h *Handler) authorOrganisation(r *http.Request, p *account.Principal, code string) (string, error) {
	if code == "" {
		if len(p.User.Memberships) == 1 {
			return p.User.Memberships[0].OrganisationID, nil
		}
		return "", errs.Field("organisation_code", "record.organisation_required", nil)
	}
	for _, m := range p.User.Memberships {
		if m.OrganisationCode == code {
			return m.OrganisationID, nil
		}
	}
	return "", errs.Field("organisation_code", "record.organisation_not_yours", nil)
}

// Timeline answers GET /api/v1/people/{id}/timeline?organisation_id=&dimension=.
func (h *Handler) Timeline(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.PeopleRead)
	if p == nil {
		return
	}
	q := r.URL.Query()
	f := store.TimelineFilter{OrganisationID: q.Get("organisation_id"), Dimension: people.Dimension(q.Get("dimension"))}
	if f.Dimension != "" && !contains(people.Dimensions, f.Dimension) {
		h.Fail(w, r, &errs.Error{Code: errs.Invalid, MessageID: "error.query", Field: "dimension", Data: map[string]any{"Name": "dimension"}})
		return
	}
	person, err := h.DB.GetPerson(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	recs, err := h.DB.Timeline(r.Context(), person.ID, f, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	out := make([]RecordJSON, 0, len(recs))
	lang := httpx.Lang(r.Context())
	for _, rec := range recs {
		js := recordJSON(rec, person, lang)
		if people.Visible(rec, p) {
			js.Data = &rec.Data
		} else {
			js.Restricted = true
		}
		out = append(out, js)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "count": len(out)})
}

func recordJSON(rec people.Record, person people.Person, lang string) RecordJSON {
	js := RecordJSON{ID: rec.ID, Kind: string(rec.Kind), OccurredOn: rec.OccurredOn, Dimension: string(rec.Dimension),
		OrganisationID: rec.OrganisationID, OrganisationName: rec.OrganisationName, Author: rec.AuthorName,
		FromPregnancy: rec.PersonID == ""}
	if lang == "en" && rec.OrganisationNameEN != "" {
		js.OrganisationName = rec.OrganisationNameEN
	}
	on := parseDay(rec.OccurredOn)
	js.LifeStage = string(people.StageAt(person.BirthDate, js.FromPregnancy, people.NoSchooling, on))
	return js
}

func contains[T comparable](xs []T, x T) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
