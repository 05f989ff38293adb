package web

import (
	"net/http"
	"strconv"
	"strings"

	"termtem/internal/account"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/learning"
)

// Practice guides (แนวทางปฏิบัติ) per indicator and level: what to check,
// what to do first, which legal duty applies, which services usually help.

type guideIndex struct {
	Rows []guideIndexRow
}

type guideIndexRow struct {
	Code, Title, Dimension string
	Levels                 []guideLevel
}

type guideLevel struct {
	Level   flower.Level
	Label   string
	Version int // 0: not written yet
}

// GuidesList lists every indicator with its red and yellow guides (GET /guides).
func (h *Handler) GuidesList(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	latest, err := h.DB.LatestGuides(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	have := map[string]int{}
	for _, g := range latest {
		have[g.Indicator+"/"+string(g.Level)] = g.Version
	}
	v := h.view(r, "guide.title", nil)
	var page guideIndex
	for _, ind := range flower.Default().Indicators {
		row := guideIndexRow{Code: ind.Code, Title: ind.Title.In(v.Lang), Dimension: flower.DimensionName(ind.Dimension, v.Lang)}
		for _, l := range learning.GuideLevels {
			row.Levels = append(row.Levels, guideLevel{Level: l, Label: levelLabel(l, v.Lang), Version: have[ind.Code+"/"+string(l)]})
		}
		page.Rows = append(page.Rows, row)
	}
	v.Data = page
	h.render(w, r, http.StatusOK, "guides", v)
}

type guidePage struct {
	Code, Title, Dimension string
	Level                  flower.Level
	LevelLabel             string
	Latest                 *learning.Guide
	Older                  []learning.Guide
	CanWrite               bool
	Form                   learning.Guide
	Base                   int
}

// GuideShow shows the newest guide of an indicator at a level, its older
// versions, and the form for a new version (GET /guides/{indicator}/{level}).
func (h *Handler) GuideShow(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	h.renderGuide(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) renderGuide(w http.ResponseWriter, r *http.Request, status int, form *learning.Guide, fe *FormError) {
	p := httpx.Principal(r.Context())
	code, level := strings.ToUpper(r.PathValue("indicator")), flower.Level(r.PathValue("level"))
	versions, err := h.DB.GuideVersions(r.Context(), code, level)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "", nil)
	ind := flower.Default().Indicator(code)
	page := guidePage{Code: code, Title: ind.Title.In(v.Lang), Dimension: flower.DimensionName(ind.Dimension, v.Lang), Level: level,
		LevelLabel: levelLabel(level, v.Lang), CanWrite: p.Can(account.GuidesWrite)}
	if len(versions) > 0 {
		page.Latest, page.Older, page.Form, page.Base = &versions[0], versions[1:], versions[0], versions[0].Version
	}
	if form != nil {
		page.Form = *form
	}
	v.Title = h.Cat.T(v.Lang, "guide.heading", map[string]any{"Title": page.Title, "Level": page.LevelLabel})
	v.Data, v.Error = page, fe
	h.render(w, r, status, "guide", v)
}

// GuideWrite stores a new version (POST /guides/{indicator}/{level}).
func (h *Handler) GuideWrite(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.GuidesWrite) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	g := learning.Guide{Indicator: r.PathValue("indicator"), Level: flower.Level(r.PathValue("level")), WhatToCheck: r.PostFormValue("what_to_check"),
		FirstSteps: r.PostFormValue("first_steps"), LegalDuty: r.PostFormValue("legal_duty"), ServicesHelp: r.PostFormValue("services_help")}
	base, _ := strconv.Atoi(r.PostFormValue("base"))
	saved, err := h.DB.WriteGuide(r.Context(), g, base, httpx.Actor(r))
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderGuide(w, r, status, &g, fe)
		return
	}
	h.redirectWithFlash(w, r, "/guides/"+saved.Indicator+"/"+string(saved.Level), "flash.guide_written")
}
