package api

import (
	"context"
	"net/http"

	"termtem/internal/cases"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// LegalInput is the body of POST /api/v1/cases/{id}/legal: a
// classification (welfare_s32, protection_s40) or a measure (assistance_s33,
// measure_s42) under the Child Protection Act, by code.
type LegalInput struct {
	Kind      string `json:"kind"`
	Code      string `json:"code"`
	DecidedOn string `json:"decided_on"`
	DecidedBy string `json:"decided_by"`
	Note      string `json:"note"`
}

// AddCaseLegal answers POST /api/v1/cases/{id}/legal with the full case.
func (h *Handler) AddCaseLegal(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, caseChange{status: http.StatusCreated}, func(ctx context.Context, c store.Case, version int) error {
		var in LegalInput
		if err := decode(w, r, &in); err != nil {
			return err
		}
		_, err := h.DB.AddCaseLegal(ctx, c.ID, version, cases.LegalKind(in.Kind), in.Code, in.DecidedOn, in.DecidedBy, in.Note, httpx.Actor(r))
		return err
	})
}

// ConferenceInput is the body of POST /api/v1/cases/{id}/conferences.
type ConferenceInput struct {
	HeldOn    string          `json:"held_on"`
	Attendees []string        `json:"attendees"`
	Notes     string          `json:"notes"`
	Decisions []DecisionInput `json:"decisions"`
}

// DecisionInput is one decision of a conference; with a step, it adds that
// step to the plan.
type DecisionInput struct {
	Text string      `json:"text"`
	Step *cases.Step `json:"step"`
}

// AddConference answers POST /api/v1/cases/{id}/conferences with the full
// case: the conference and the plan steps its decisions make, at once.
func (h *Handler) AddConference(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, caseChange{status: http.StatusCreated}, func(ctx context.Context, c store.Case, version int) error {
		var in ConferenceInput
		if err := decode(w, r, &in); err != nil {
			return err
		}
		cf := store.ConferenceInput{HeldOn: in.HeldOn, Attendees: in.Attendees, Notes: in.Notes}
		for _, d := range in.Decisions {
			cf.Decisions = append(cf.Decisions, store.Decision{Text: d.Text, Step: d.Step})
		}
		_, err := h.DB.AddConference(ctx, c.ID, version, cf, httpx.Actor(r))
		return err
	})
}
