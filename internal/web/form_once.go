package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// The forms that make something and redirect (a service record, a
// referral, a case, …) carry a one-time nonce, so that a double tap on a
// slow phone, or going back and sending again, does not make a second
// one: the write records the nonce in its own transaction (store.Once),
// and the same form sent again makes nothing and is sent on to what the
// first sending made, with a message saying so.
//
// The nonce costs nothing to give: it is random, bound to the session by
// an HMAC keyed with the session's token hash, and nothing is stored until
// the form is sent. A nonce of another session (a form opened before the
// user last signed in) is refused: its session's sendings may be gone.
// Forging one gains nothing: it only turns off the protection of one's own
// form, and the write is checked as every write is.

const (
	nonceRandom = 16
	nonceMAC    = 16
)

// newFormNonce gives a page of session a nonce for its creating forms.
func newFormNonce(session string) string {
	b := make([]byte, nonceRandom, nonceRandom+nonceMAC)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(append(b, nonceSum(session, b)...))
}

func nonceSum(session string, random []byte) []byte {
	m := hmac.New(sha256.New, []byte(session))
	m.Write([]byte("termtem form nonce\x00"))
	m.Write(random)
	return m.Sum(nil)[:nonceMAC]
}

// validFormNonce reports whether nonce was given to a page of session.
func validFormNonce(session, nonce string) bool {
	b, err := base64.RawURLEncoding.DecodeString(nonce)
	if err != nil || len(b) != nonceRandom+nonceMAC || session == "" {
		return false
	}
	return hmac.Equal(b[nonceRandom:], nonceSum(session, b[:nonceRandom]))
}

// Nonce is the page's one-time nonce for its creating forms
// ({{template "form_once" $}}), made when a form first asks. The forms of one page share it: each sending counts
// within its own form and subject ("case:PERSON"), so two different forms
// of the page are two sendings.
func (v *View) Nonce() string {
	if v.nonce == "" && v.Principal != nil && v.Principal.SessionID != "" {
		v.nonce = newFormNonce(v.Principal.SessionID)
	}
	return v.nonce
}

// formSending reads the posted form's nonce and returns the context under
// which the form's write records its sending (form names what it makes and
// for whom: "record:PERSON"). A missing or foreign nonce is an error to show
// on the form, which is rendered again with a fresh one: nothing was made.
func (h *Handler) formSending(r *http.Request, form string) (context.Context, error) {
	p := httpx.Principal(r.Context())
	// The nonce the form held when it was first sent (put back by the
	// browser on going back), else the one the page gave.
	nonce := r.PostFormValue("nonce")
	if nonce == "" {
		nonce = r.PostFormValue("nonce_page")
	}
	if p == nil || !validFormNonce(p.SessionID, nonce) {
		return nil, errs.New(errs.Conflict, "resend_stale_form")
	}
	return store.WithOnce(r.Context(), &store.Once{Owner: p.SessionID, Form: form, Key: nonce}), nil
}

// sentBefore answers a form sent again (err from the write under
// formSending's context): nothing was made this time, and the browser goes
// to what the first sending made (to gives its address), with flashID
// saying so. It reports whether it answered.
func (h *Handler) sentBefore(w http.ResponseWriter, r *http.Request, err error, flashID string, to func(id string) string) bool {
	id, ok := store.SentBefore(err)
	if ok {
		h.redirectWithFlash(w, r, to(id), flashID)
	}
	return ok
}

// settled answers a request whose wish already holds — a kit revoked
// before, a person erased before, an import started before: err (the
// store's Conflict) names which, by a message ID that flashes maps to the
// flash saying so. Nothing was done this time, and that is no failure:
// the browser goes to to, told why. It reports whether it answered.
func (h *Handler) settled(w http.ResponseWriter, r *http.Request, err error, to string, flashes map[string]string) bool {
	e := errs.As(err)
	if e == nil || e.Code != errs.Conflict {
		return false
	}
	flash, ok := flashes[e.MessageID]
	if ok {
		h.redirectWithFlash(w, r, to, flash)
	}
	return ok
}
