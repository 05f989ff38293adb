package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// Data-subject rights (PDPA s.30–36), served by staff with people:write
// for a person or their guardian: export, correction requests,
// restriction, erasure.

type rightsPage struct {
	Person         people.Person
	Name           string
	Restriction    store.Restriction
	Rectifications []store.Rectification
	Holds          []store.Hold
	CanExport      bool
	Form           map[string]string
}

// mayExport: the export holds everything, sensitive records included, so
// only a role that may read both sensitive categories makes it.
func mayExport(p *account.Principal) bool {
	return p.Can(account.PeopleWrite) && p.Can(account.SensitiveHealth) && p.Can(account.SensitiveSafety)
}

// RightsShow is the rights page of a person (GET /people/{id}/rights).
func (h *Handler) RightsShow(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	h.renderRights(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) renderRights(w http.ResponseWriter, r *http.Request, status int, form map[string]string, fe *FormError) {
	ctx, actor := r.Context(), httpx.Actor(r)
	person, err := h.DB.GetPerson(ctx, r.PathValue("id"), actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg := rightsPage{Person: person, Name: displayName(person), CanExport: mayExport(httpx.Principal(ctx)), Form: form}
	if pg.Restriction, err = h.DB.PersonRestriction(ctx, person.ID, actor); err == nil {
		if pg.Rectifications, err = h.DB.Rectifications(ctx, person.ID, false, actor); err == nil {
			pg.Holds, err = h.DB.ErasureHolds(ctx, person.ID, actor)
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "rights.title", pg)
	v.Error = fe
	if status != http.StatusOK {
		v.Return = "/people/" + person.ID + "/rights"
	}
	h.render(w, r, status, "rights", v)
}

// rightsFormFailed shows the rights page again with an input error, or
// the error page for anything else.
func (h *Handler) rightsFormFailed(w http.ResponseWriter, r *http.Request, form map[string]string, err error) {
	fe, status, ok := h.formError(r, err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderRights(w, r, status, form, fe)
}

// RectificationCreate records a correction request (POST /people/{id}/rectifications).
func (h *Handler) RectificationCreate(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
	form := map[string]string{"what": r.PostFormValue("what"), "asked_by": r.PostFormValue("asked_by")}
	id := r.PathValue("id")
	ctx, err := h.formSending(r, "rectification:"+id)
	if err == nil {
		_, err = h.DB.RequestRectification(ctx, id, form["what"], form["asked_by"], httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend_saved", func(string) string { return "/people/" + id + "/rights" }) {
		return
	}
	if err != nil {
		h.rightsFormFailed(w, r, form, err)
		return
	}
	h.redirectWithFlash(w, r, "/people/"+id+"/rights", "flash.rectification_recorded")
}

// RectificationResolve closes a correction request with a note
// (POST /rectifications/{id}/resolve).
func (h *Handler) RectificationResolve(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
	rec, err := h.DB.ResolveRectification(r.Context(), r.PathValue("id"), r.PostFormValue("resolution"), httpx.Actor(r))
	// Resolved before (a second tap): done, and the page says so. The
	// person the form names is trusted only after the store checked the
	// request (it answers Conflict only for a request it let through).
	if pid := r.PostFormValue("person"); pid != "" &&
		h.settled(w, r, err, "/people/"+pid+"/rights", map[string]string{"rights.already_resolved": "flash.resend2_already_resolved"}) {
		return
	}
	if err != nil {
		// The form names its person; the page is shown again for it only
		// after the store has checked the request against the person.
		if e := errs.As(err); e.Code == errs.Invalid || e.Code == errs.Conflict {
			if pid := r.PostFormValue("person"); pid != "" {
				r.SetPathValue("id", pid)
				h.rightsFormFailed(w, r, nil, err)
				return
			}
		}
		h.fail(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/people/"+rec.PersonID+"/rights", "flash.rectification_resolved")
}

// RestrictionSave sets or lifts a person's restriction
// (POST /people/{id}/restriction). A worker outside the care team loses
// sight of the person at once, so then the search page follows.
func (h *Handler) RestrictionSave(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ctx, id := r.Context(), r.PathValue("id")
	on := r.PostFormValue("restrict") == "on"
	form := map[string]string{"restriction_reason": r.PostFormValue("reason")}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if err := h.DB.SetRestricted(ctx, id, version, on, form["restriction_reason"], httpx.Actor(r)); err != nil {
		// Already so: told on the page the first sending led to.
		to := "/people/" + id + "/rights"
		if ok, verr := h.DB.PersonVisible(ctx, id); verr != nil || !ok {
			to = "/people"
		}
		if h.settled(w, r, err, to, map[string]string{store.AlreadyRestricted: "flash.resend2_already_restricted",
			store.AlreadyLifted: "flash.resend2_already_lifted"}) {
			return
		}
		h.rightsFormFailed(w, r, form, err)
		return
	}
	flash := "flash.restriction_cleared"
	if on {
		flash = "flash.restriction_set"
	}
	if ok, err := h.DB.PersonVisible(ctx, id); err != nil || !ok {
		h.redirectWithFlash(w, r, "/people", flash)
		return
	}
	h.redirectWithFlash(w, r, "/people/"+id+"/rights", flash)
}

// PersonErase erases a person no legal duty keeps (POST /people/{id}/erase).
func (h *Handler) PersonErase(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if r.PostFormValue("confirm") != "yes" {
		h.rightsFormFailed(w, r, nil, errs.Field("confirm", "rights.erase_confirm", nil))
		return
	}
	if err := h.DB.ErasePerson(r.Context(), r.PathValue("id"), httpx.Actor(r)); err != nil {
		if h.settled(w, r, err, "/people", map[string]string{store.AlreadyErased: "flash.resend2_already_erased"}) {
			return
		}
		h.rightsFormFailed(w, r, nil, err)
		return
	}
	h.redirectWithFlash(w, r, "/people", "flash.person_erased")
}

// exportPage is the readable export: the same data as the JSON file.
type exportPage struct {
	store.PersonExport
	Name       string
	NationalID string
	Timeline   timelineView
}

// PersonExportJSON downloads everything held about a person
// (GET /people/{id}/export.json).
func (h *Handler) PersonExportJSON(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	x, err := h.DB.ExportPerson(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		h.fail(w, r, errs.Internalf("export: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// The file is about a child: no cache anywhere keeps a copy.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="termtem-`+x.PersonID+`.json"`)
	_, _ = w.Write(b)
}

// PersonExportPage shows the export as a readable Thai page to print for
// the person or guardian (GET /people/{id}/export).
func (h *Handler) PersonExportPage(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.PeopleWrite)
	if p == nil {
		return
	}
	x, err := h.DB.ExportPerson(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "rights.export_title", nil)
	w.Header().Set("Cache-Control", "no-store")
	// The export is for the data subject: every record in full, so the
	// timeline is drawn for a viewer who may read them all.
	all := &account.Principal{User: p.User, Permissions: map[account.Permission]bool{account.SensitiveHealth: true, account.SensitiveSafety: true}}
	v.Data = exportPage{PersonExport: x, Name: displayName(x.Person), NationalID: thai.FormatNationalID(x.Person.NationalID),
		Timeline: h.timeline(v.Lang, all, x.Person, x.Records, "", "")}
	h.render(w, r, http.StatusOK, "export", v)
}
