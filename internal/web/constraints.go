package web

import (
	"net/http"
	"strconv"
	"strings"

	"termtem/internal/account"
	"termtem/internal/committees"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/places"
	"termtem/internal/store"
)

// System constraints (ข้อจำกัดเชิงระบบ): what case work alone cannot fix,
// raised with evidence from Termtem's own figures, answered by the
// district committee or passed up to Bangkok's child-protection committee.

type constraintsPage struct {
	Held, Mine []committees.Constraint
	Overview   []store.ConstraintTally
	ShowTally  bool
}

// ConstraintsList shows the constraints the user's committees hold, those
// the user or their organisation raised, and for executives the open ones
// by theme and district (GET /constraints).
func (h *Handler) ConstraintsList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	ctx := r.Context()
	var page constraintsPage
	var err error
	if page.Held, err = h.DB.ListConstraints(ctx, store.ConstraintFilter{UserID: p.User.ID, Held: true, Open: true}); err != nil {
		h.fail(w, r, err)
		return
	}
	all, err := h.DB.ListConstraints(ctx, store.ConstraintFilter{UserID: p.User.ID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, c := range all {
		if c.RaisedBy == p.User.ID || p.InOrganisation(c.RaisedOrgID) {
			page.Mine = append(page.Mine, c)
		}
	}
	if p.Can(account.ReportsAggregate) {
		page.ShowTally = true
		if page.Overview, err = h.DB.OpenConstraintsByTheme(ctx); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "constraints", h.view(r, "constraint.title", page))
}

type constraintForm struct {
	Orgs    []orgOption
	OrgID   string
	Themes  []committees.Theme
	Figures []districtFigure
	Form    map[string]string
	Chosen  map[string]bool
}

// raiserDistrict is the district of the user's organisation chosen (or
// the first that has one), whose figures the form offers.
func (h *Handler) raiserDistrict(r *http.Request, p *account.Principal, orgID string) (string, places.Place, bool) {
	for _, m := range p.User.Memberships {
		if orgID != "" && m.OrganisationID != orgID {
			continue
		}
		o, err := h.DB.GetOrganisation(r.Context(), m.OrganisationID)
		if err != nil {
			continue
		}
		path, err := h.DB.PlacePath(r.Context(), o.PlaceID)
		if err != nil {
			continue
		}
		for _, pl := range path {
			if pl.Kind == places.District {
				return o.ID, pl, true
			}
		}
	}
	return orgID, places.Place{}, false
}

// ConstraintNew shows the form (GET /constraints/new?organisation=).
func (h *Handler) ConstraintNew(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	h.renderConstraintForm(w, r, http.StatusOK, r.URL.Query().Get("organisation"), map[string]string{}, nil, nil)
}

func (h *Handler) renderConstraintForm(w http.ResponseWriter, r *http.Request, status int, orgID string, form map[string]string, chosen map[string]bool, fe *FormError) {
	p := httpx.Principal(r.Context())
	lang := httpx.Lang(r.Context())
	f := constraintForm{Orgs: myOrganisations(p, lang), Themes: committees.Themes, Form: form, Chosen: chosen}
	orgID, district, ok := h.raiserDistrict(r, p, orgID)
	f.OrgID = orgID
	if ok {
		figs, err := h.districtFigures(r, lang, district)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.Figures = figs
	}
	v := h.view(r, "constraint.new", f)
	v.Error = fe
	h.render(w, r, status, "constraint_form", v)
}

// ConstraintCreate raises a constraint (POST /constraints). Its evidence
// is the figures chosen on the form, recomputed here: what the raiser
// sends is which figures, never their values.
func (h *Handler) ConstraintCreate(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	_ = r.ParseForm()
	form := map[string]string{}
	for _, f := range []string{"organisation_id", "theme", "title", "description"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	chosen := map[string]bool{}
	for _, x := range r.PostForm["figure"] {
		chosen[x] = true
	}
	orgID, district, ok := h.raiserDistrict(r, p, form["organisation_id"])
	c := committees.Constraint{Theme: committees.Theme(form["theme"]), Title: form["title"], Description: form["description"]}
	if ok && len(chosen) > 0 {
		figs, err := h.districtFigures(r, httpx.Lang(r.Context()), district)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for i, f := range figs {
			if chosen[strconv.Itoa(i)] && f.Figure != nil {
				c.Evidence = append(c.Evidence, *f.Figure)
			}
		}
	}
	ctx, err := h.formSending(r, "constraint:"+orgID)
	var saved committees.Constraint
	if err == nil {
		saved, err = h.DB.RaiseConstraint(ctx, store.ConstraintInput{Constraint: c, OrganisationID: orgID}, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend_saved", func(id string) string { return "/constraints/" + id }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderConstraintForm(w, r, status, orgID, form, chosen, fe)
		return
	}
	h.redirectWithFlash(w, r, "/constraints/"+saved.ID, "flash.constraint_raised")
}

type constraintPage struct {
	C           committees.Constraint
	Holder      bool
	Moves       []committees.ConstraintStatus
	CanEscalate bool
	// NextHolder names where passing it up sends it; NoHigher says why it
	// cannot go further (no ministry contact configured, or an unknown one).
	NextHolder string
	NoHigher   string
	Form       map[string]string
}

// ConstraintShow shows a constraint, its evidence and its way up (GET /constraints/{id}).
func (h *Handler) ConstraintShow(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	h.renderConstraint(w, r, http.StatusOK, map[string]string{}, nil)
}

func (h *Handler) renderConstraint(w http.ResponseWriter, r *http.Request, status int, form map[string]string, fe *FormError) {
	p := httpx.Principal(r.Context())
	c, err := h.DB.GetConstraint(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := constraintPage{C: c, Holder: p.InOrganisation(c.HolderID), Form: form}
	if page.Holder {
		for _, to := range committees.ConstraintStatuses {
			if e := errs.As(committees.CheckAnswer(c.Status, to, "x", "x", "x")); e == nil || e.Code != errs.Conflict {
				page.Moves = append(page.Moves, to)
			}
		}
		open := c.Status == committees.Raised || c.Status == committees.UnderReview
		switch next := committees.NextLevel(c.Level); {
		case !open || next == "":
		case next == committees.LevelMinistry:
			lang := httpx.Lang(r.Context())
			o, err := h.DB.MinistryContactOrganisation(r.Context())
			if err != nil {
				e := errs.As(err)
				if e.Code != errs.Conflict {
					h.fail(w, r, err)
					return
				}
				page.NoHigher = h.Cat.T(lang, e.MessageID, e.Data)
				break
			}
			page.CanEscalate, page.NextHolder = true, o.Name(lang)
		default:
			page.CanEscalate, page.NextHolder = true, h.Cat.T(httpx.Lang(r.Context()), "constraint.level."+next, nil)
		}
	}
	v := h.view(r, "", page)
	v.Title, v.Error = c.Title, fe
	h.render(w, r, status, "constraint", v)
}

// ConstraintAnswer moves a held constraint (POST /constraints/{id}/answer).
func (h *Handler) ConstraintAnswer(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	form := map[string]string{}
	for _, f := range []string{"status", "decision", "who_acts", "decline_reason"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err := h.DB.AnswerConstraint(r.Context(), r.PathValue("id"), version, committees.ConstraintStatus(form["status"]), form["decision"], form["who_acts"],
		form["decline_reason"], httpx.Actor(r))
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderConstraint(w, r, status, form, fe)
		return
	}
	h.redirectWithFlash(w, r, "/constraints/"+r.PathValue("id"), "flash.constraint_answered")
}

// ConstraintEscalate passes a held constraint up (POST /constraints/{id}/escalate).
func (h *Handler) ConstraintEscalate(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err := h.DB.EscalateConstraint(r.Context(), r.PathValue("id"), version, strings.TrimSpace(r.PostFormValue("note")), httpx.Actor(r))
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderConstraint(w, r, status, map[string]string{"note": r.PostFormValue("note")}, fe)
		return
	}
	h.redirectWithFlash(w, r, "/constraints/"+r.PathValue("id"), "flash.constraint_escalated")
}
