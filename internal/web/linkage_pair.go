package web

import (
	"net/http"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

type linkagePairPage struct {
	Pair   store.Pair
	Rows   []linkageRow
	Score  string
	Link   string
	Review string
}

// linkageRow is one line of the side-by-side table; Differ marks values
// that are not the same on both sides.
type linkageRow struct {
	LabelID    string
	New, Known string
	Differ     bool
}

// LinkagePair shows both people of a pair side by side with the evidence
// (GET /linkage/pairs/{id}).
func (h *Handler) LinkagePair(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.LinkageReview) == nil {
		return
	}
	h.renderPair(w, r, http.StatusOK, nil)
}

func (h *Handler) renderPair(w http.ResponseWriter, r *http.Request, status int, fe *FormError) {
	pr, err := h.DB.GetPair(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := httpx.Lang(r.Context())
	v := h.view(r, "linkage.pair_title", nil)
	id := func(p people.Person) string {
		if p.NationalID == "" {
			return v.T("linkage.no_id")
		}
		// Only the last digits: enough to tell two IDs apart on screen.
		return v.T("linkage.has_id", "Last", p.NationalID[len(p.NationalID)-4:])
	}
	a, b := pr.Person, pr.Candidate
	rows := []linkageRow{
		{LabelID: "linkage.row_title", New: a.Title, Known: b.Title},
		{LabelID: "linkage.row_given", New: a.GivenName, Known: b.GivenName},
		{LabelID: "linkage.row_family", New: a.FamilyName, Known: b.FamilyName},
		{LabelID: "linkage.row_nickname", New: a.Nickname, Known: b.Nickname},
		{LabelID: "linkage.row_latin", New: a.LatinName(), Known: b.LatinName()},
		{LabelID: "linkage.row_sex", New: v.T("sex." + string(a.Sex)), Known: v.T("sex." + string(b.Sex))},
		{LabelID: "linkage.row_birth", New: dayText(lang, a.BirthDate), Known: dayText(lang, b.BirthDate)},
		{LabelID: "linkage.row_national_id", New: id(a), Known: id(b)},
	}
	if pr.ShowsFamily {
		rows = append(rows,
			linkageRow{LabelID: "linkage_evidence.row_mother", New: pr.Mothers[0], Known: pr.Mothers[1]},
			linkageRow{LabelID: "linkage_evidence.row_place", New: pr.Places[0], Known: pr.Places[1]})
	}
	for i := range rows {
		rows[i].Differ = rows[i].New != rows[i].Known
	}
	lm, err := h.DB.CurrentLinkageModel(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m := lm.Model
	v.Data = linkagePairPage{Pair: pr, Rows: rows, Score: strconv.FormatFloat(pr.Score, 'f', 1, 64),
		Link: strconv.FormatFloat(m.Link, 'f', 0, 64), Review: strconv.FormatFloat(m.Review, 'f', 0, 64)}
	v.Error = fe
	h.render(w, r, status, "linkage_pair", v)
}
