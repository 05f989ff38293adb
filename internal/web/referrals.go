package web

import (
	"net/http"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// Referrals (ส่งต่อ) between organisations: the form, the incoming and
// outgoing lists, and the referral page where each side moves it along
// its closed loop.

type referralRow struct {
	store.Referral
	Incoming bool
	Sent     time.Time
}

func (h *Handler) referralRow(lang string, r store.Referral, incoming bool) referralRow {
	return referralRow{Referral: r, Incoming: incoming, Sent: r.CreatedAt}
}

type referralForm struct {
	PersonID   string
	PersonName string
	CaseID     string
	FromOrgs   []orgOption
	Orgs       []orgOption
	Services   []cases.Service
	Urgencies  []cases.Urgency
	Form       map[string]string
	// Matches are the directory's services for the child's red and yellow
	// indicators; Chosen is the one picked (its organisation and kind are
	// filled in).
	Matches []matchRow
	Chosen  *matchRow
}

var referralFields = []string{"from_organisation_id", "to_organisation_id", "service", "urgency", "reason", "shared_info", "basis_kind", "basis_reference",
	"service_id"}

// ReferralNew shows the referral form (GET /referrals/new?person=…&case=…).
func (h *Handler) ReferralNew(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReferralsManage) == nil {
		return
	}
	q := r.URL.Query()
	h.renderReferralForm(w, r, http.StatusOK, q.Get("person"), q.Get("case"), map[string]string{"urgency": string(cases.High), "service_id": q.Get("service")}, nil)
}

func (h *Handler) renderReferralForm(w http.ResponseWriter, r *http.Request, status int, personID, caseID string, form map[string]string, fe *FormError) {
	ctx := r.Context()
	p := httpx.Principal(ctx)
	person, err := h.DB.GetPerson(ctx, personID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "referral.new_title", nil)
	rf := referralForm{PersonID: person.ID, PersonName: displayName(person), CaseID: caseID, FromOrgs: myOrganisations(p, v.Lang),
		Services: cases.Services, Urgencies: cases.Urgencies, Form: form}
	orgs, err := h.activeOrganisations(ctx, v.Lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, o := range orgs {
		// One's own organisation is not a place to refer to.
		if !p.InOrganisation(o.ID) {
			rf.Orgs = append(rf.Orgs, o)
		}
	}
	if err := h.referralMatches(r, person.ID, &rf); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Data, v.Error = rf, fe
	v.Return = "/referrals/new?person=" + person.ID
	if caseID != "" {
		v.Return += "&case=" + caseID
	}
	h.render(w, r, status, "referral_form", v)
}

// ReferralSend sends a referral (POST /referrals). It needs a lawful basis:
// the guardian's consent (who, how) or a legal duty (the section).
func (h *Handler) ReferralSend(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.ReferralsManage)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	form := map[string]string{}
	for _, f := range referralFields {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	personID, caseID := r.PostFormValue("person_id"), r.PostFormValue("case_id")
	in := store.ReferralInput{PersonID: personID, CaseID: caseID, FromOrg: senderOrganisation(p, form["from_organisation_id"]), FromUser: p.User.ID,
		ToOrg: form["to_organisation_id"], Service: cases.Service(form["service"]), Urgency: cases.Urgency(form["urgency"]),
		Reason: form["reason"], SharedInfo: form["shared_info"],
		Basis: cases.LawfulBasis{Kind: cases.BasisKind(form["basis_kind"]), Reference: form["basis_reference"]}, ServiceID: form["service_id"]}
	ctx, err := h.formSending(r, "referral:"+personID)
	var ref store.Referral
	if err == nil {
		ref, err = h.DB.SendReferral(ctx, in, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend_referral", func(id string) string { return "/referrals/" + id }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderReferralForm(w, r, status, personID, caseID, form, fe)
		return
	}
	h.redirectWithFlash(w, r, "/referrals/"+ref.ID, "flash.referral_sent")
}

type referralsPage struct {
	Tab       string // incoming or outgoing
	Referrals []referralRow
	Open      int
}

// ReferralsList lists the referrals to the user's organisations (incoming,
// to accept and do) or from them (outgoing, to follow to their outcome):
// GET /referrals?tab=incoming|outgoing.
func (h *Handler) ReferralsList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.ReferralsManage)
	if p == nil {
		return
	}
	tab := r.URL.Query().Get("tab")
	if tab != "outgoing" {
		tab = "incoming"
	}
	list, err := h.DB.ListReferrals(r.Context(), store.ReferralFilter{UserID: p.User.ID, Incoming: tab == "incoming"}, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "referrals.title", nil)
	page := referralsPage{Tab: tab}
	for _, ref := range list {
		page.Referrals = append(page.Referrals, h.referralRow(v.Lang, ref, tab == "incoming"))
		if !ref.Status.Ended() {
			page.Open++
		}
	}
	v.Data = page
	v.Return = "/referrals?tab=" + tab
	h.render(w, r, http.StatusOK, "referrals", v)
}

type referralPage struct {
	referralRow
	Side    cases.Side
	Moves   []referralMove
	Text    string // what was typed, when a move was refused
	FormTo  string
	CaseRef bool // the viewer may open the case it belongs to
}

// referralMove is a button of the referral page; Needs names the text it
// asks for (reason or outcome).
type referralMove struct {
	To    cases.ReferralStatus
	Needs string
}

// ReferralShow shows a referral to either side (GET /referrals/{id}).
func (h *Handler) ReferralShow(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReferralsManage) == nil {
		return
	}
	h.renderReferral(w, r, http.StatusOK, r.PathValue("id"), "", "", nil)
}

func (h *Handler) renderReferral(w http.ResponseWriter, r *http.Request, status int, id, formTo, text string, fe *FormError) {
	ctx := r.Context()
	p := httpx.Principal(ctx)
	ref, side, err := h.DB.GetReferral(ctx, id, p.User.ID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "referral.title", nil)
	page := referralPage{referralRow: h.referralRow(v.Lang, ref, side == cases.Receiver), Side: side, Text: text, FormTo: formTo}
	for _, to := range cases.ReferralStatuses {
		// The loop's rules decide which buttons there are: a move that
		// fails only for want of text is offered with a text field.
		err := cases.CheckReferralMove(ref.Status, to, side, "")
		switch e := errs.As(err); {
		case err == nil:
			page.Moves = append(page.Moves, referralMove{To: to})
		case e.Code == errs.Invalid && e.Field != "":
			page.Moves = append(page.Moves, referralMove{To: to, Needs: e.Field})
		}
	}
	if ref.CaseID != "" {
		page.CaseRef, _ = h.DB.OnTeam(ctx, ref.CaseID, p.User.ID)
	}
	v.Data, v.Error = page, fe
	v.Return = "/referrals/" + ref.ID
	h.render(w, r, status, "referral", v)
}

// ReferralMove moves a referral along its loop (POST /referrals/{id}/move
// with to, the version seen and a reason or outcome where needed). Two
// workers accepting at once: one wins, the other sees the stale message.
func (h *Handler) ReferralMove(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReferralsManage) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id := r.PathValue("id")
	to := cases.ReferralStatus(r.PostFormValue("to"))
	text := strings.TrimSpace(r.PostFormValue("text"))
	if _, err := h.DB.MoveReferral(r.Context(), id, postVersion(r), to, text, httpx.Actor(r)); err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderReferral(w, r, status, id, string(to), text, fe)
		return
	}
	h.redirectWithFlash(w, r, "/referrals/"+id, referralFlash[to])
}

// referralFlash says what each move did.
var referralFlash = map[cases.ReferralStatus]string{
	cases.Accepted:   "flash.referral_accepted",
	cases.Declined:   "flash.referral_declined",
	cases.InProgress: "flash.referral_in_progress",
	cases.Completed:  "flash.referral_completed",
	cases.Revoked:    "flash.referral_revoked",
}
