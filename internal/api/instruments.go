package api

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// ListInstruments answers GET /api/v1/instruments: every published version.
func (h *Handler) ListInstruments(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.AssessmentsRead) == nil {
		return
	}
	list, err := h.DB.ListInstruments(r.Context())
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// GetInstrument answers GET /api/v1/instruments/{code}/{version} with the
// instrument file as it was published.
func (h *Handler) GetInstrument(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.AssessmentsRead) == nil {
		return
	}
	version, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || version < 1 {
		h.Fail(w, r, errs.New(errs.NotFound, "instrument.not_found"))
		return
	}
	body, err := h.DB.InstrumentFile(r.Context(), r.PathValue("code"), version)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(body)
}

// PublishInstrument answers POST /api/v1/instruments: the body is an
// instrument file (at most 1 MiB) whose version is the next of its code.
// A file with problems gets 422 listing every problem with its field and
// line.
func (h *Handler) PublishInstrument(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.InstrumentsPublish) == nil {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, flower.MaxFileSize))
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			h.Fail(w, r, errs.Field("file", "flower.file_too_large", map[string]any{"Max": flower.MaxFileSize}))
			return
		}
		h.Fail(w, r, errs.Wrap(errs.Invalid, "error.json", err))
		return
	}
	ctx, err := idempotent(r)
	var info store.InstrumentInfo
	if err == nil {
		info, err = h.DB.PublishInstrument(ctx, body, httpx.Actor(r))
	}
	if replayed(w, err, func(made string) { // "code/version"
		list, err := h.DB.ListInstruments(r.Context())
		i := slices.IndexFunc(list, func(in store.InstrumentInfo) bool { return in.Code+"/"+strconv.Itoa(in.Version) == made })
		if err != nil || i < 0 {
			h.Fail(w, r, errs.Internalf("instrument %s published before: %v", made, err))
			return
		}
		w.Header().Set("Location", "/api/v1/instruments/"+made)
		writeJSON(w, http.StatusOK, list[i])
	}) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/instruments/"+info.Code+"/"+strconv.Itoa(info.Version))
	writeJSON(w, http.StatusCreated, info)
}
