package web

import (
	"context"
	"net/http"

	"termtem/internal/account"
	"termtem/internal/auth"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

type mfaView struct {
	TOTP     store.TOTP
	Required bool     // the user's roles see sensitive categories
	Secret   string   // the pending secret, grouped for typing
	URL      string   // its otpauth:// URL
	QR       string   // the URL as a QR code (data: URL)
	Codes    []string // recovery codes, on the one page that shows them
}

// ProfileMFA shows the second factor: its state, or the enrolment of a
// pending secret (as text and as a QR code), with the forms to start,
// confirm or remove it.
func (h *Handler) ProfileMFA(w http.ResponseWriter, r *http.Request) {
	h.renderMFA(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) renderMFA(w http.ResponseWriter, r *http.Request, status int, fe *FormError, codes []string) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	t, err := h.DB.GetTOTP(r.Context(), p.User.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	mv := mfaView{TOTP: t, Required: auth.NeedsMFA(p), Codes: codes}
	if t.PendingSecret != "" && codes == nil {
		mv.Secret = groupSecret(t.PendingSecret)
		mv.URL = account.TOTPURL(p.User.Username, t.PendingSecret)
		if png, err := account.TOTPQRCode(mv.URL); err == nil {
			mv.QR = account.QRDataURL(png)
		}
	}
	v := h.view(r, "mfa.title", mv)
	v.Error = fe
	// The page may hold a secret or recovery codes: never keep a copy.
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, status, "profile_mfa", v)
}

// groupSecret writes a base32 secret in groups of four, easier to type
// into an authenticator by hand.
func groupSecret(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		if i > 0 && i%4 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// ProfileMFAStart re-authenticates and makes a new secret to enrol.
func (h *Handler) ProfileMFAStart(w http.ResponseWriter, r *http.Request) {
	h.mfaPasswordAction(w, r, h.Auth.StartMFA, "")
}

// ProfileMFARemove re-authenticates and removes the second factor.
func (h *Handler) ProfileMFARemove(w http.ResponseWriter, r *http.Request) {
	h.mfaPasswordAction(w, r, h.Auth.RemoveMFA, "flash.mfa_removed")
}

func (h *Handler) mfaPasswordAction(w http.ResponseWriter, r *http.Request,
	act func(ctx context.Context, p *account.Principal, current, requestID string) error, flash string) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := act(r.Context(), p, r.PostFormValue("current_password"), httpx.RequestID(r.Context())); err != nil {
		h.mfaFailed(w, r, err)
		return
	}
	if flash == "" {
		http.Redirect(w, r, "/profile/mfa", http.StatusSeeOther)
		return
	}
	h.redirectWithFlash(w, r, "/profile/mfa", flash)
}

// ProfileMFAConfirm checks the first code of the new secret and shows the
// recovery codes, this once.
func (h *Handler) ProfileMFAConfirm(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	codes, err := h.Auth.ConfirmMFA(r.Context(), p, r.PostFormValue("code"), httpx.RequestID(r.Context()))
	if err != nil {
		h.mfaFailed(w, r, err)
		return
	}
	h.renderMFA(w, r, http.StatusOK, nil, codes)
}

// mfaFailed shows a refused form on the page again, or the error page when
// the error is not about what was typed.
func (h *Handler) mfaFailed(w http.ResponseWriter, r *http.Request, err error) {
	fe, status, ok := h.formError(r, err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderMFA(w, r, status, fe, nil)
}
