package web

import (
	"net/http"
	"strings"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/learning"
	"termtem/internal/store"
)

// Lessons from closed cases (บทเรียน), anonymised, searchable by indicator
// and situation across the network.

type lessonsPage struct {
	Indicator, Search string
	Lessons           []lessonRow
	CanWrite          bool
}

type lessonRow struct {
	learning.Lesson
	Names []indicatorName
}

// LessonsList searches the lessons (GET /lessons?indicator=&q=).
func (h *Handler) LessonsList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.CasesRead)
	if p == nil {
		return
	}
	q := r.URL.Query()
	page := lessonsPage{Indicator: strings.ToUpper(strings.TrimSpace(q.Get("indicator"))), Search: q.Get("q"), CanWrite: p.Can(account.CasesManage)}
	list, err := h.DB.SearchLessons(r.Context(), store.LessonFilter{Indicator: page.Indicator, Search: page.Search})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "lesson.title", nil)
	for _, l := range list {
		page.Lessons = append(page.Lessons, lessonRow{Lesson: l, Names: indicatorNames(l.Indicators, v.Lang)})
	}
	v.Data = page
	h.render(w, r, http.StatusOK, "lessons", v)
}

type lessonForm struct {
	CaseID     string
	Orgs       []orgOption
	Form       map[string]string
	Marked     *markedText // the refused text with the identifying part marked
	MarkedName string      // which field it is in
}

// markedText is a field's text cut around what identifies someone, so the
// form can mark the place to change.
type markedText struct{ Before, Found, After string }

// LessonNew shows the form for a lesson from a closed case (GET /lessons/new?case=).
func (h *Handler) LessonNew(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.CasesManage)
	if p == nil {
		return
	}
	if _, err := h.DB.CaseFor(r.Context(), r.URL.Query().Get("case"), p.User.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderLessonForm(w, r, http.StatusOK, r.URL.Query().Get("case"), map[string]string{}, nil)
}

func (h *Handler) renderLessonForm(w http.ResponseWriter, r *http.Request, status int, caseID string, form map[string]string, fe *FormError) {
	p := httpx.Principal(r.Context())
	v := h.view(r, "lesson.new", nil)
	f := lessonForm{CaseID: caseID, Orgs: myOrganisations(p, v.Lang), Form: form}
	if fe != nil && (fe.Field == "situation" || fe.Field == "lesson") {
		// Find the place again in the writer's own text (never logged).
		text := strings.ReplaceAll(form[fe.Field], "\r\n", "\n")
		if found := h.identifyingIn(r, caseID, fe.Field, text); found != nil {
			f.Marked, f.MarkedName = &markedText{Before: text[:found.Start], Found: text[found.Start:found.End], After: text[found.End:]}, fe.Field
		}
	}
	v.Data, v.Error = f, fe
	v.Return = "/lessons/new?case=" + caseID
	h.render(w, r, status, "lesson_form", v)
}

// identifyingIn finds the first identifying part of a refused text, with
// the names of the case's record.
func (h *Handler) identifyingIn(r *http.Request, caseID, field, text string) *learning.Finding {
	names, err := h.DB.LessonNames(r.Context(), caseID)
	if err != nil {
		return nil
	}
	if fs := learning.FindIdentifying(field, text, names); len(fs) > 0 {
		return &fs[0]
	}
	return nil
}

// LessonSave stores a lesson (POST /lessons).
func (h *Handler) LessonSave(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.CasesManage)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	form := map[string]string{}
	for _, f := range []string{"case_id", "organisation_id", "indicators", "situation", "lesson"} {
		form[f] = r.PostFormValue(f)
	}
	org := form["organisation_id"]
	if org == "" && len(p.User.Memberships) > 0 {
		org = p.User.Memberships[0].OrganisationID
	}
	in := store.LessonInput{CaseID: form["case_id"], OrganisationID: org, AuthorID: p.User.ID,
		Lesson: learning.Lesson{Indicators: strings.Split(form["indicators"], ","), Situation: form["situation"], Lesson: form["lesson"]}}
	ctx, err := h.formSending(r, "lesson:"+form["case_id"])
	if err == nil {
		_, err = h.DB.WriteLesson(ctx, in, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend_saved", func(string) string { return "/lessons" }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderLessonForm(w, r, status, form["case_id"], form, fe)
		return
	}
	h.redirectWithFlash(w, r, "/lessons", "flash.lesson_written")
}
