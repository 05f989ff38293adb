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
	Line      int    `json:"line,omitempty"`
	RequestID string `json:"request_id"`
}

// Fail writes an error answer; the internal cause goes to the log only.
func (h *Handler) Fail(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	httpx.LogError(h.Log, r, e)
	status := httpx.Status(e.Code)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="termtem"`)
	}
	writeJSON(w, status, ErrorBody{Error: ErrorDetail{
		Code:      string(e.Code),
		Message:   h.Cat.T(httpx.Lang(r.Context()), e.MessageID, e.Data),
		Field:     e.Field,
		Line:      e.Line,
		RequestID: httpx.RequestID(r.Context()),
	}})
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
	p := httpx.Principal(r.Context())
	if p == nil {
		h.Fail(w, r, errs.New(errs.Unauthenticated, "auth.login_required"))
		return nil
	}
	if perm != "" && !p.Can(perm) {
		h.Fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return nil
	}
	return p
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
