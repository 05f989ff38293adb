package web

import (
	"io"
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// instrumentsPage lists the instrument versions and, for those who may,
// offers to publish a new one from a file.
type instrumentsPage struct {
	Instruments []store.InstrumentInfo
	CanPublish  bool
	Problems    []instrumentProblem
}

type instrumentProblem struct {
	Field   string
	Line    int
	Message string
}

// InstrumentsList shows the instrument versions (GET /instruments).
func (h *Handler) InstrumentsList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	if !p.Can(account.AssessmentsRead) && !p.Can(account.InstrumentsPublish) {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	h.renderInstruments(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) renderInstruments(w http.ResponseWriter, r *http.Request, status int, problems []instrumentProblem, fe *FormError) {
	list, err := h.DB.ListInstruments(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "instruments.title", nil)
	v.Data = instrumentsPage{Instruments: list, CanPublish: httpx.Principal(r.Context()).Can(account.InstrumentsPublish), Problems: problems}
	v.Error = fe
	h.render(w, r, status, "instruments", v)
}

// InstrumentPublish publishes a new instrument version from an uploaded
// file (POST /instruments). Every problem in the file is listed with its
// field and line; nothing is stored unless the whole file is right.
func (h *Handler) InstrumentPublish(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.InstrumentsPublish) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, flower.MaxFileSize+64<<10)
	file, _, err := r.FormFile("file")
	if err != nil {
		h.renderInstruments(w, r, http.StatusUnprocessableEntity, nil, h.fieldError(r, "file", "flower.file_empty", nil))
		return
	}
	defer file.Close()
	body, err := io.ReadAll(io.LimitReader(file, flower.MaxFileSize+1))
	if err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	// The form's nonce: the same file sent again is told it was published
	// by the first sending, not that its version is no longer the next.
	ctx, err := h.formSending(r, "instrument:new")
	if err == nil {
		_, err = h.DB.PublishInstrument(ctx, body, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend2_instrument", func(string) string { return "/instruments" }) {
		return
	}
	if err != nil {
		lang := httpx.Lang(r.Context())
		var problems []instrumentProblem
		for _, e := range flower.Problems(err) {
			problems = append(problems, instrumentProblem{Field: e.Field, Line: e.Line, Message: h.Cat.T(lang, e.MessageID, e.Data)})
		}
		if len(problems) == 0 {
			fe, status, ok := h.formError(r, err)
			if !ok {
				h.fail(w, r, err)
				return
			}
			h.renderInstruments(w, r, status, nil, fe)
			return
		}
		h.renderInstruments(w, r, http.StatusUnprocessableEntity, problems, h.fieldError(r, "file", "instruments.file_problems", nil))
		return
	}
	h.redirectWithFlash(w, r, "/instruments", "flash.instrument_published")
}
