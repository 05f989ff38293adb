package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// offlineForms are the choices of the children's service records on the
// offline page (the same for everyone: the page is kept by the service
// worker).
type offlineForms struct {
	Kinds       []people.RecordKind
	Vaccines    []string
	DSPMAges    []int
	DSPMDomains []string
	DSPMResults []string
}

type visitsPage struct {
	Candidates []store.VisitCandidate
	Chosen     map[string]bool
	Max        int
	Life       string
}

// VisitsShow lists households in the worker's area to take on today's
// home visits (GET /visits).
func (h *Handler) VisitsShow(w http.ResponseWriter, r *http.Request) {
	h.renderVisits(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) renderVisits(w http.ResponseWriter, r *http.Request, status int, chosen map[string]bool, fe *FormError) {
	if h.require(w, r, account.AssessmentsWrite) == nil {
		return
	}
	v := h.view(r, "visits.title", nil)
	cs, err := h.DB.VisitCandidates(r.Context(), "", httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Data, v.Error = visitsPage{Candidates: cs, Chosen: chosen, Max: store.MaxKitHouseholds, Life: h.OfflineKeyLife.String()}, fe
	h.render(w, r, status, "visits", v)
}

// VisitsPrepare puts the chosen households on this device for use without
// a signal (POST /visits): the kit is made here, and the offline page
// fetches its key and data and keeps them encrypted. The kit's ID travels
// in the address's fragment, which browsers never send to a server.
func (h *Handler) VisitsPrepare(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.AssessmentsWrite)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	ids := r.PostForm["household_id"]
	// The form's nonce: sent twice, one kit (one key) is made, and the
	// second sending opens it.
	ctx, err := h.formSending(r, "kit:new")
	var kit store.OfflineKit
	if err == nil {
		kit, err = h.DB.PrepareOfflineKit(ctx, p.User.ID, p.SessionID, deviceLabel(r.UserAgent()), ids, h.OfflineKeyLife, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend2_kit", func(id string) string { return "/visits/offline#kit=" + id }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		chosen := map[string]bool{}
		for _, id := range ids {
			chosen[id] = true
		}
		h.renderVisits(w, r, status, chosen, fe)
		return
	}
	http.Redirect(w, r, "/visits/offline#kit="+kit.ID, http.StatusSeeOther)
}

// VisitsOffline is the offline visit app (GET /visits/offline): a page for
// nobody in particular, kept by the service worker; its script shows the
// prepared households from the encrypted store and queues what is recorded.
func (h *Handler) VisitsOffline(w http.ResponseWriter, r *http.Request) {
	v := h.view(r, "visits.offline_title", nil)
	v.Principal = nil
	v.Data = offlineForms{Kinds: store.OfflineRecordKinds, Vaccines: people.EPIVaccines, DSPMAges: people.DSPMAges, DSPMDomains: dspmDomains,
		DSPMResults: []string{people.DSPMPass, people.DSPMSuspected, people.DSPMDelayed}}
	h.render(w, r, http.StatusOK, "visits_offline", v)
}
