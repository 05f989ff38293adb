package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// MyPlanReport records a family's progress on its commitments of one case
// (POST /my-plan/{case}): for each commitment answered, how it goes and,
// if the family wishes, a few words.
func (h *Handler) MyPlanReport(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.SelfAssess)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	caseID := r.PathValue("case")
	form := map[string]string{}
	var answers []store.ProgressInput
	for _, id := range r.PostForm["commitment"] {
		progress, note := r.PostFormValue("progress."+id), r.PostFormValue("note."+id)
		form["progress."+id], form["note."+id] = progress, note
		if progress == "" && note == "" {
			continue // not answered this time
		}
		answers = append(answers, store.ProgressInput{CommitmentID: id, Progress: store.Progress(progress), Note: note})
	}
	// The form's nonce: sent again (back and send), it does not write over
	// what the family reported since; it goes to the plan, told so.
	ctx, err := h.formSending(r, "plan-report:"+caseID)
	if err == nil {
		err = h.DB.ReportProgress(ctx, caseID, p.User.ID, answers, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend2_progress", func(string) string { return "/my-plan" }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderMyPlan(w, r, status, myPlanPage{Form: form, FormCase: caseID}, fe)
		return
	}
	h.redirectWithFlash(w, r, "/my-plan", "flash.progress_reported")
}
