package api

import (
	"context"
	"net/http"

	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// IdempotencyHeader names the key a client may send with any creating
// request (a person, a record, a case, a referral, a household, …; the
// bulk uploads excepted, which are import jobs matching rows to people
// already known), so that its retry after a lost answer makes nothing
// twice: the same key from the same caller on the same address is
// answered with what the first request made (200 and Idempotent-Replayed:
// true, instead of 201; a secret's retry is secretOnce's 409). The key is recorded in the
// creation's own transaction (store.Once); keys are kept as long as a
// session may live (--session-absolute, 12 hours by default).
const IdempotencyHeader = "Idempotency-Key"

// idempotent returns the context under which a creating request's write
// records its Idempotency-Key: the request's own when it sent none.
func idempotent(r *http.Request) (context.Context, error) {
	key := r.Header.Get(IdempotencyHeader)
	if key == "" {
		return r.Context(), nil
	}
	if len(key) > 255 || !visibleASCII(key) {
		return nil, errs.Field(IdempotencyHeader, "resend_idempotency_key", nil)
	}
	p := httpx.Principal(r.Context())
	if p == nil {
		return nil, errs.New(errs.Unauthenticated, "auth.session_expired")
	}
	return store.WithOnce(r.Context(), &store.Once{Owner: "api:" + p.User.ID, Form: r.Method + " " + r.URL.Path, Key: key}), nil
}

func visibleASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// replayed answers a request whose key came before (err from the write
// under idempotent's context) with what the first request made (answer
// writes it, 200) and reports whether it answered.
func replayed(w http.ResponseWriter, err error, answer func(id string)) bool {
	id, ok := store.SentBefore(err)
	if ok {
		w.Header().Set("Idempotent-Replayed", "true")
		answer(id)
	}
	return ok
}

// replayGet answers a replayed creation as a GET of what the first request
// made: get is the object's own GET handler, name the path value naming it.
func replayGet(w http.ResponseWriter, r *http.Request, get http.HandlerFunc, name, id string) {
	r.SetPathValue(name, id)
	get(w, r)
}

// secretOnce answers the replay of a request whose answer held a secret
// (a token, a family's code): what the first request made stands, but its
// secret is kept only as a hash and cannot be given again, so the replay
// is a 409 saying so (the web's pages answer the same), and nothing new is
// made. A client that lost the first answer revokes what it made and asks
// again with a new key.
func (h *Handler) secretOnce(w http.ResponseWriter, r *http.Request) {
	h.Fail(w, r, errs.New(errs.Conflict, "resend2.secret_once"))
}

// replayedAs answers a replay with what the first request made, as created
// answered the first (Location, ETag), but 200: nothing was made this time.
func replayedAs(w http.ResponseWriter, location string, version int, v any) {
	w.Header().Set("Location", location)
	w.Header().Set("ETag", etag(version))
	writeJSON(w, http.StatusOK, v)
}
