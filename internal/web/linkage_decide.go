package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
)

// LinkagePairLink merges the pair's imported person into the one already
// known (POST /linkage/pairs/{id}/link with the version seen).
func (h *Handler) LinkagePairLink(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.LinkageReview) == nil {
		return
	}
	id := r.PathValue("id")
	if _, err := h.DB.LinkPair(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), id, postVersion(r), httpx.Actor(r)); err != nil {
		h.pairFormError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/linkage/pairs/"+id, "flash.linkage_linked")
}

// LinkagePairSeparate records that the pair are different people
// (POST /linkage/pairs/{id}/separate with the version seen).
func (h *Handler) LinkagePairSeparate(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.LinkageReview) == nil {
		return
	}
	id := r.PathValue("id")
	if err := h.DB.SeparatePair(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), id, postVersion(r), httpx.Actor(r)); err != nil {
		h.pairFormError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/linkage/pairs/"+id, "flash.linkage_separated")
}

// LinkagePairUnmerge undoes the merge that linked a pair
// (POST /linkage/pairs/{id}/unmerge).
func (h *Handler) LinkagePairUnmerge(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.LinkageReview) == nil {
		return
	}
	id := r.PathValue("id")
	pr, err := h.DB.GetPair(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), id, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The pair holds no merge any more (its merge was undone, and the
	// pair waits for review again): what was asked holds.
	if pr.MergeID == "" || pr.MergeUndone {
		h.redirectWithFlash(w, r, "/linkage/pairs/"+id, "flash.resend2_unmerged")
		return
	}
	if err := h.DB.Unmerge(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), pr.MergeID, httpx.Actor(r)); err != nil {
		// Undone before (a second tap): the pair's page says so.
		if h.settled(w, r, err, "/linkage/pairs/"+id, map[string]string{"linkage.merge_undone": "flash.resend2_unmerged"}) {
			return
		}
		h.pairFormError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/linkage/pairs/"+id, "flash.linkage_unmerged")
}

// pairFormError shows an input or conflict error on the pair's page.
func (h *Handler) pairFormError(w http.ResponseWriter, r *http.Request, err error) {
	if fe, status, ok := h.formError(r, err); ok {
		h.renderPair(w, r, status, fe)
		return
	}
	h.fail(w, r, err)
}
