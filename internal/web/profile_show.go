package web

import (
	"net/http"

	"termtem/internal/store"
)

type profileView struct {
	Memberships []homeMembership
	Sessions    int
	MFA         bool // a second factor is set up
	Devices     []store.PushSubscription
	Kits        []store.OfflineKit // devices holding prepared home visits
	PushKey     string
}

// ProfileShow shows the user's own account and the password form.
func (h *Handler) ProfileShow(w http.ResponseWriter, r *http.Request) {
	h.renderProfile(w, r, http.StatusOK, nil)
}

func (h *Handler) renderProfile(w http.ResponseWriter, r *http.Request, status int, fe *FormError) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	v := h.view(r, "nav.profile", nil)
	roleNames, err := h.roleNames(r, v.Lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var pv profileView
	for _, m := range p.User.Memberships {
		pv.Memberships = append(pv.Memberships, homeMembership{m.OrgName(v.Lang), roleNames[m.RoleCode]})
	}
	if pv.Sessions, err = h.DB.CountSessions(r.Context(), p.User.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if pv.MFA, err = h.DB.HasTOTP(r.Context(), p.User.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if pv.Devices, err = h.DB.PushSubscriptions(r.Context(), p.User.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	pv.PushKey = h.PushKey
	if pv.Kits, err = h.DB.OfflineKits(r.Context(), p.User.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Data, v.Error = pv, fe
	h.render(w, r, status, "profile", v)
}
