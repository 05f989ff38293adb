package api

import (
	"net/http"
	"slices"
	"strings"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/learning"
	"termtem/internal/store"
)

// Practice guides and anonymised lessons.

// ListGuides answers GET /api/v1/guides: the newest version of each guide.
func (h *Handler) ListGuides(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	list, err := h.DB.LatestGuides(r.Context())
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// GuideVersions answers GET /api/v1/guides/{indicator}/{level}: every
// version, the newest first.
func (h *Handler) GuideVersions(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	list, err := h.DB.GuideVersions(r.Context(), r.PathValue("indicator"), flower.Level(r.PathValue("level")))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// GuideInput is a new version of a guide.
type GuideInput struct {
	BaseVersion  int    `json:"base_version"`
	WhatToCheck  string `json:"what_to_check"`
	FirstSteps   string `json:"first_steps"`
	LegalDuty    string `json:"legal_duty"`
	ServicesHelp string `json:"services_help"`
}

// WriteGuide answers POST /api/v1/guides/{indicator}/{level} (guides:write).
func (h *Handler) WriteGuide(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.GuidesWrite) == nil {
		return
	}
	var in GuideInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	ctx, err := idempotent(r)
	var g learning.Guide
	if err == nil {
		g, err = h.DB.WriteGuide(ctx, learning.Guide{Indicator: r.PathValue("indicator"), Level: flower.Level(r.PathValue("level")),
			WhatToCheck: in.WhatToCheck, FirstSteps: in.FirstSteps, LegalDuty: in.LegalDuty, ServicesHelp: in.ServicesHelp}, in.BaseVersion, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) {
		list, err := h.DB.GuideVersions(r.Context(), r.PathValue("indicator"), flower.Level(r.PathValue("level")))
		i := slices.IndexFunc(list, func(g learning.Guide) bool { return g.ID == id })
		if err != nil || i < 0 {
			h.Fail(w, r, errs.Internalf("guide %s written before: %v", id, err))
			return
		}
		replayedAs(w, "/api/v1/guides/"+list[i].Indicator+"/"+string(list[i].Level), list[i].Version, list[i])
	}) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	created(w, "/api/v1/guides/"+g.Indicator+"/"+string(g.Level), g.Version, g)
}

// ListLessons answers GET /api/v1/lessons?indicator=&q= (cases:read).
func (h *Handler) ListLessons(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.CasesRead) == nil {
		return
	}
	q := r.URL.Query()
	list, err := h.DB.SearchLessons(r.Context(), store.LessonFilter{Indicator: q.Get("indicator"), Search: q.Get("q")})
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// LessonInput is a lesson as a client writes it.
type LessonInput struct {
	CaseID         string   `json:"case_id"`
	OrganisationID string   `json:"organisation_id"`
	Indicators     []string `json:"indicators"`
	Situation      string   `json:"situation"`
	Lesson         string   `json:"lesson"`
}

// CreateLesson answers POST /api/v1/lessons (cases:manage): refused with
// the field, line and column when it identifies someone.
func (h *Handler) CreateLesson(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.CasesManage)
	if p == nil {
		return
	}
	var in LessonInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	ctx, err := idempotent(r)
	var l learning.Lesson
	if err == nil {
		l, err = h.DB.WriteLesson(ctx, store.LessonInput{CaseID: in.CaseID, OrganisationID: strings.TrimSpace(in.OrganisationID), AuthorID: p.User.ID,
			Lesson: learning.Lesson{Indicators: in.Indicators, Situation: in.Situation, Lesson: in.Lesson}}, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) {
		list, err := h.DB.SearchLessons(r.Context(), store.LessonFilter{ID: id})
		if err != nil || len(list) != 1 {
			h.Fail(w, r, errs.Internalf("lesson %s made before: %v", id, err))
			return
		}
		w.Header().Set("Location", "/api/v1/lessons")
		writeJSON(w, http.StatusOK, list[0])
	}) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	created(w, "/api/v1/lessons", 1, l)
}
