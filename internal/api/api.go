// Package api is Termtem's JSON API under /api/v1. Clients authenticate with
// bearer tokens (termtem token create). Errors have one shape:
// {"error":{"code":"invalid","message":"…","field":"…"}}, the message in the
// language asked for with Accept-Language (Thai by default).
package api

import (
	"embed"
	"encoding/json"
	"log/slog"
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/locale"
	"termtem/internal/store"
)

//go:embed openapi.json
var openapiFS embed.FS

// OpenAPIDocument returns the embedded OpenAPI 3.1 document.
func OpenAPIDocument() []byte {
	b, _ := openapiFS.ReadFile("openapi.json")
	return b
}

// Handler serves the JSON API.
type Handler struct {
	DB  *store.DB
	Cat *locale.Catalogue
	Log *slog.Logger
	// ImportDir keeps bulk uploads while their job runs (empty: a
	// directory under the system's temporary directory).
	ImportDir string
}

// ErrorBody is the shape of every error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong and, for bad input, where.
type ErrorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Field     string `json:"field,omitempty"`
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	RequestID string `json:"request_id"`
	// Problems lists every problem when the input has several (an
	// instrument file); the first is also in Message, Field and Line.
	Problems []ProblemDetail `json:"problems,omitempty"`
}

// ProblemDetail is one of several problems of an input.
type ProblemDetail struct {
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
}

// Fail writes an error answer; the internal cause goes to the log only.
func (h *Handler) Fail(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	httpx.LogError(h.Log, r, e)
	status := httpx.Status(e.Code)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="termtem"`)
	}
	lang := httpx.Lang(r.Context())
	detail := ErrorDetail{
		Code:      string(e.Code),
		Message:   h.Cat.T(lang, e.MessageID, e.Data),
		Field:     e.Field,
		File:      e.File,
		Line:      e.Line,
		RequestID: httpx.RequestID(r.Context()),
	}
	// Errors joined with errors.Join (as flower.Parse joins an instrument
	// file's problems) are all shown.
	if ps := flower.Problems(err); len(ps) > 1 {
		for _, p := range ps {
			detail.Problems = append(detail.Problems, ProblemDetail{Message: h.Cat.T(lang, p.MessageID, p.Data), Field: p.Field, File: p.File, Line: p.Line})
		}
	}
	writeJSON(w, status, ErrorBody{Error: detail})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// require returns the principal when it holds perm, else answers 401/403.
func (h *Handler) require(w http.ResponseWriter, r *http.Request, perm account.Permission) *account.Principal {
	return h.requireAny(w, r, perm)
}

// requireAny returns the principal when it holds one of perms (an empty
// permission: any signed-in caller), else answers 401/403.
func (h *Handler) requireAny(w http.ResponseWriter, r *http.Request, perms ...account.Permission) *account.Principal {
	p := httpx.Principal(r.Context())
	if p == nil {
		h.Fail(w, r, errs.New(errs.Unauthenticated, "auth.login_required"))
		return nil
	}
	for _, perm := range perms {
		if perm == "" || p.Can(perm) {
			return p
		}
	}
	h.Fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
	return nil
}

// OpenAPI serves the API description.
func (h *Handler) OpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(OpenAPIDocument())
}

// list is the envelope of every collection answer.
type list[T any] struct {
	Items []T `json:"items"`
	Count int `json:"count"`
}

func newList[T any](items []T) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Count: len(items)}
}
