package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/organisations"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// What the case, plan, referral, hand-off and inbox screens share.

// orgOption is an organisation to choose in a form.
type orgOption struct {
	ID, Name string
}

// activeOrganisations lists the organisations that may take part in
// casework: a disabled one can neither join a team nor receive a referral.
func (h *Handler) activeOrganisations(ctx context.Context, lang string) ([]orgOption, error) {
	orgs, err := h.DB.ListOrganisations(ctx, store.OrganisationFilter{})
	if err != nil {
		return nil, err
	}
	var out []orgOption
	for _, o := range orgs {
		if o.Active {
			out = append(out, orgOption{ID: o.ID, Name: organisationName(o, lang)})
		}
	}
	return out, nil
}

func organisationName(o organisations.Organisation, lang string) string {
	if lang == "en" && o.NameEN != "" {
		return o.NameEN
	}
	return o.NameTH
}

// formDate reads a date typed the way people write it (dd/mm/yyyy B.E.,
// or ISO) as the C.E. day the store keeps. Casework dates are whole days:
// a due date of "2569" alone means nothing to anyone.
func formDate(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", errs.Field(field, "date.empty", nil)
		}
		return "", nil
	}
	d, err := thai.ParseDate(s)
	if err != nil || d.Day == 0 {
		return "", errs.Field(field, "date.format", nil)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day), nil
}

// postVersion is the version a form was read at.
func postVersion(r *http.Request) int {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return v
}

// caseAccess loads a case for someone who may read it: its team, and the
// members of the organisation managing it (the API's rule too). Anyone
// else is told it does not exist, so that guessing IDs tells nothing.
func (h *Handler) caseAccess(r *http.Request, id string) (store.Case, bool, error) {
	ctx := r.Context()
	p := httpx.Principal(ctx)
	onTeam, err := h.DB.OnTeam(ctx, id, p.User.ID)
	if err != nil {
		return store.Case{}, false, err
	}
	c, err := h.DB.GetCase(ctx, id, httpx.Actor(r))
	if err != nil {
		return c, false, err
	}
	if !onTeam && !p.InOrganisation(c.OrganisationID) {
		return store.Case{}, false, errs.New(errs.NotFound, "case.not_found")
	}
	may, err := h.DB.MayChangeCase(ctx, c, p)
	return c, may, err
}

// caseSubject says whom a case is about: a child or a household.
func caseSubject(c store.Case) (flower.Subject, string) {
	if c.HouseholdID != "" {
		return flower.Household, c.HouseholdID
	}
	return flower.Child, c.PersonID
}

// senderOrganisation is the organisation a user acts for: the one named in
// the form if the user works there, else their first.
func senderOrganisation(p *account.Principal, chosen string) string {
	if chosen != "" && p.InOrganisation(chosen) {
		return chosen
	}
	if ids := p.OrganisationIDs(); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// myOrganisations are the principal's organisations as choices.
func myOrganisations(p *account.Principal, lang string) []orgOption {
	var out []orgOption
	seen := map[string]bool{}
	for _, m := range p.User.Memberships {
		if !seen[m.OrganisationID] {
			seen[m.OrganisationID] = true
			out = append(out, orgOption{ID: m.OrganisationID, Name: m.OrgName(lang)})
		}
	}
	return out
}

// caseworkBlock is the casework section of a person or household page:
// its open cases, and the actions to open one or to refer.
type caseworkBlock struct {
	Subject   flower.Subject
	SubjectID string
	Cases     []caseRow
	Risks     []cases.Risk
	CanOpen   bool
	CanRefer  bool
}

// caseworkSection gathers the casework block for those who do casework
// (nil for others).
func (h *Handler) caseworkSection(r *http.Request, lang string, subject flower.Subject, id string) (*caseworkBlock, error) {
	p := httpx.Principal(r.Context())
	if !p.Can(account.CasesRead) {
		return nil, nil
	}
	cb := &caseworkBlock{Subject: subject, SubjectID: id, Risks: cases.Risks, CanOpen: p.Can(account.CasesManage),
		CanRefer: subject == flower.Child && p.Can(account.ReferralsManage)}
	f := store.CaseFilter{PersonID: id}
	if subject == flower.Household {
		f = store.CaseFilter{Household: id}
	}
	list, err := h.DB.ListCases(r.Context(), f, httpx.Actor(r))
	if err != nil {
		return nil, err
	}
	today := h.DB.Now().In(thai.Bangkok()).Format("2006-01-02")
	for _, c := range list {
		cb.Cases = append(cb.Cases, h.caseRow(lang, c, today))
	}
	return cb, nil
}
