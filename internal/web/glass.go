package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
)

// glassPage asks for the reason to open a record outside the user's area.
type glassPage struct {
	PersonID string
	Reason   string
}

// GlassShow asks why the user must open a record outside their area
// (GET /people/{id}/break-glass). It shows nothing of the person.
func (h *Handler) GlassShow(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleRead) == nil {
		return
	}
	h.renderGlass(w, r, http.StatusOK, "", nil)
}

func (h *Handler) renderGlass(w http.ResponseWriter, r *http.Request, status int, reason string, fe *FormError) {
	v := h.view(r, "glass.title", glassPage{PersonID: r.PathValue("id"), Reason: reason})
	v.Error = fe
	h.render(w, r, status, "glass", v)
}

// GlassSubmit breaks the glass for three hours and opens the record
// (POST /people/{id}/break-glass).
func (h *Handler) GlassSubmit(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleRead) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	reason := r.PostFormValue("reason")
	// The form's nonce: sent twice, the glass is broken once (one grant,
	// one notice to the data-protection officers), and the second sending
	// opens the record the first opened.
	id := r.PathValue("id")
	ctx, err := h.formSending(r, "glass:"+id)
	if err == nil {
		_, err = h.DB.BreakGlass(ctx, id, reason, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend2_glass", func(string) string { return "/people/" + id }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderGlass(w, r, status, reason, fe)
		return
	}
	h.redirectWithFlash(w, r, "/people/"+id, "flash.glass_broken")
}
