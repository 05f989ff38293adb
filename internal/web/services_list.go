package web

import (
	"net/http"
	"slices"
	"strings"

	"termtem/internal/account"
	"termtem/internal/directory"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// The service directory (ทำเนียบบริการ) of the network: every service any
// organisation offers, who it is for, how to refer and how long the wait
// is. It holds no personal data; every staff member may read it.

type servicesPage struct {
	Rows       []serviceRow
	Dimensions []people.Dimension
	Dimension  string
	Indicator  string
	Search     string
	Stale      bool
	CanAdd     bool
	CanImport  bool
}

type serviceRow struct {
	directory.Service
	Name, Org, Dim string
	Indicators     []indicatorName
	CanEdit        bool
	// The referral outcomes in words.
	OutcomeText, CompleteText string
}

type indicatorName struct{ Code, Title string }

func indicatorNames(codes []string, lang string) []indicatorName {
	in := flower.Default()
	var out []indicatorName
	for _, c := range codes {
		t := c
		if ind := in.Indicator(c); ind != nil {
			t = ind.Title.In(lang)
		}
		out = append(out, indicatorName{Code: c, Title: t})
	}
	return out
}

func (h *Handler) serviceRow(p *account.Principal, lang string, s directory.Service) serviceRow {
	row := serviceRow{Service: s, Name: s.Name(lang), Org: s.OrganisationName(lang), Dim: flower.DimensionName(s.Dimension, lang),
		Indicators: indicatorNames(s.Indicators, lang), CanEdit: p.ManagesOrganisation(s.OrganisationID, account.DirectoryManage)}
	o := s.Outcomes
	row.OutcomeText = h.Cat.T(lang, "directory.no_outcomes", nil)
	if o.AcceptancePercent >= 0 {
		row.OutcomeText = h.Cat.T(lang, "directory.acceptance", map[string]any{"Percent": o.AcceptancePercent, "Sent": o.Sent})
	}
	if o.DaysToComplete >= 0 {
		row.CompleteText = h.Cat.T(lang, "directory.to_complete", map[string]any{"Days": formatNumber(o.DaysToComplete)})
	}
	return row
}

// ServicesList shows the directory (GET /services?dimension=&indicator=&q=&stale=1).
func (h *Handler) ServicesList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	q := r.URL.Query()
	page := servicesPage{Dimensions: people.Dimensions, Dimension: q.Get("dimension"), Indicator: strings.ToUpper(strings.TrimSpace(q.Get("indicator"))),
		Search: q.Get("q"), Stale: q.Get("stale") == "1", CanAdd: p.Can(account.DirectoryManage), CanImport: p.Can(account.DirectoryManage)}
	f := store.ServiceFilter{Indicator: page.Indicator, Search: page.Search, StaleOnly: page.Stale}
	if slices.Contains(people.Dimensions, people.Dimension(page.Dimension)) {
		f.Dimension = people.Dimension(page.Dimension)
	}
	list, err := h.DB.ListServices(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "directory.title", nil)
	for _, s := range list {
		page.Rows = append(page.Rows, h.serviceRow(p, v.Lang, s))
	}
	v.Data = page
	h.render(w, r, http.StatusOK, "services", v)
}

// ServiceShow shows one entry with its referral outcomes (GET /services/{id}).
func (h *Handler) ServiceShow(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	s, err := h.DB.GetService(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "", nil)
	row := h.serviceRow(p, v.Lang, s)
	v.Title = row.Name
	rules, _ := directory.ParseRules(s.Eligibility, nil)
	v.Data = map[string]any{"S": row, "Rules": rules, "Description": s.Description(v.Lang)}
	h.render(w, r, http.StatusOK, "service", v)
}
