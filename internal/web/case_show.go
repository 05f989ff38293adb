package web

import (
	"net/http"
	"strconv"
	"time"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// casePage is a case with its team, classification, conferences, joint
// care plan and history. Forms show only to those who may change the case.
type casePage struct {
	Case      caseRow
	CanChange bool
	// CanMoveSteps: the viewer may change steps they answer for even
	// without managing the case (a nurse marks her check-up done).
	CanMoveSteps bool
	CanRefer     bool
	Moves        []cases.Status
	Risks        []cases.Risk
	Members      []store.CaseMember
	Former       []store.CaseMember
	Roles        []cases.MemberRole
	Orgs         []orgOption
	MemberOrg    string      // the organisation chosen to add a member from
	MemberUsers  []orgOption // its active users (ID, name)
	LegalGroups  []legalGroup
	Legal        []legalRow
	Conferences  []conferenceRow
	Goals        []goalRow
	Steps        []stepRow
	Overdue      int
	Dimensions   []people.Dimension
	Levels       []flower.Level
	Referrals    []referralRow
	Events       []eventRow
	PlanStart    string
	ReviewOn     string
	ReviewDue    bool
	// Flower is the latest flower of the subject, beside the goals.
	Flower *flowerBlock
	// Form is what a refused form was sent with, to show it again; FormName
	// says which form, so that its error shows beside it.
	Form         map[string]string
	FormName     string
	Today        string
	DecisionRows []decisionRow

	// SelfReport is the family's periodic report schedule, if set.
	SelfReport *store.SelfReportSchedule
	// Commitments are the family's, with what it last reported on each.
	Commitments []store.Commitment
}

// decisionRow is one decision of the conference form, which becomes a plan
// step when it names an organisation and a due date.
type decisionRow struct {
	N, Text, Org, Due      string
	OrgInvalid, DueInvalid bool
}

type legalGroup struct {
	Kind  cases.LegalKind
	Codes []legalOption
}

type legalOption struct{ Code, Label string }

type legalRow struct {
	Kind      cases.LegalKind
	Label     string
	DecidedOn string
	DecidedBy string
	Note      string
}

type conferenceRow struct {
	HeldOn    string
	Attendees []string
	Notes     string
	Decisions []string
}

type goalRow struct {
	store.PlanGoal
	DimensionName string
	FromLabel     string
	TargetLabel   string
	TargetDate    string
	// Now is the dimension's level in the latest flower, to compare at review.
	Now      flower.Level
	NowLabel string
	Reached  bool
}

type stepRow struct {
	store.PlanStep
	Due     string
	Done    string
	CanMove bool
	Moves   []cases.StepStatus
}

type eventRow struct {
	At   time.Time
	Who  string
	Text string
}

// CaseShow shows a case (GET /cases/{id}); ?member_org= lists the users of
// an organisation to add to the team, so that the form works without JS.
func (h *Handler) CaseShow(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.CasesRead) == nil {
		return
	}
	h.renderCase(w, r, http.StatusOK, r.PathValue("id"), "", nil, nil)
}

// renderCase renders the case page; formName and form are the refused form
// and what it was sent with.
func (h *Handler) renderCase(w http.ResponseWriter, r *http.Request, status int, id, formName string, form map[string]string, fe *FormError) {
	ctx := r.Context()
	p := httpx.Principal(ctx)
	c, may, err := h.caseAccess(r, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "case.title", nil)
	lang := v.Lang
	today := h.DB.Now().In(thai.Bangkok()).Format(time.DateOnly)
	pg := casePage{Case: h.caseRow(lang, c, today), CanChange: may && c.Status != cases.Closed, Risks: cases.Risks, Roles: cases.MemberRoles,
		Dimensions: people.Dimensions, Levels: flower.Levels, Form: form, FormName: formName, Today: h.todayInput(lang),
		PlanStart: dayText(lang, c.PlanStart), ReviewOn: dayText(lang, c.ReviewOn), CanRefer: p.Can(account.ReferralsManage) && c.PersonID != ""}
	pg.ReviewDue = pg.Case.ReviewDue
	if sr, err := h.DB.SelfReportScheduleOf(ctx, c.ID); err == nil {
		pg.SelfReport = &sr
		if pg.Commitments, err = h.DB.CaseCommitments(ctx, c.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if pg.Form == nil {
		pg.Form = map[string]string{}
	}
	if formName != "review" {
		pg.Form["review_on"], pg.Form["plan_start"] = dateInput(lang, c.ReviewOn), dateInput(lang, c.PlanStart)
	}
	if may {
		for _, to := range cases.Statuses {
			// The rules of the case's life are in one place: ask them.
			if cases.CheckTransition(c.Status, to, "x") == nil {
				pg.Moves = append(pg.Moves, to)
			}
		}
	}
	names := map[string]string{}
	onTeam := false
	for _, m := range c.Members {
		names[m.UserID] = m.Name
		if m.RemovedAt != nil {
			pg.Former = append(pg.Former, m)
			continue
		}
		pg.Members = append(pg.Members, m)
		onTeam = onTeam || m.UserID == p.User.ID
	}
	if pg.CanChange {
		if pg.Orgs, err = h.activeOrganisations(ctx, lang); err != nil {
			h.fail(w, r, err)
			return
		}
		pg.MemberOrg = r.URL.Query().Get("member_org")
		if form != nil && form["organisation_id"] != "" && formName == "member" {
			pg.MemberOrg = form["organisation_id"]
		}
		if pg.MemberOrg != "" {
			users, err := h.DB.ListUsers(ctx, store.UserFilter{OrganisationIDs: []string{pg.MemberOrg}})
			if err != nil {
				h.fail(w, r, err)
				return
			}
			for _, u := range users {
				if !u.Disabled {
					pg.MemberUsers = append(pg.MemberUsers, orgOption{ID: u.ID, Name: u.DisplayName})
				}
			}
		}
		for i := 1; i <= conferenceDecisions; i++ {
			n := strconv.Itoa(i)
			row := decisionRow{N: n}
			if formName == "conference" {
				row.Text, row.Org, row.Due = form["decision_"+n], form["step_org_"+n], form["step_due_"+n]
				row.OrgInvalid = fe != nil && fe.Field == "step_org_"+n
				row.DueInvalid = fe != nil && fe.Field == "step_due_"+n
			}
			pg.DecisionRows = append(pg.DecisionRows, row)
		}
		for _, k := range cases.LegalKinds {
			g := legalGroup{Kind: k}
			for _, lc := range cases.LegalCodes {
				if lc.Kind == k {
					g.Codes = append(g.Codes, legalOption{Code: lc.Code, Label: lc.Label(lang)})
				}
			}
			pg.LegalGroups = append(pg.LegalGroups, g)
		}
	}
	for _, l := range c.Legal {
		row := legalRow{Kind: l.Kind, Label: l.Code, DecidedOn: dayText(lang, l.DecidedOn), DecidedBy: l.DecidedBy, Note: l.Note}
		if lc, ok := cases.Legal(l.Kind, l.Code); ok {
			row.Label = lc.Label(lang)
		}
		pg.Legal = append(pg.Legal, row)
	}
	for _, cf := range c.Conferences {
		pg.Conferences = append(pg.Conferences, conferenceRow{HeldOn: dayText(lang, cf.HeldOn), Attendees: cf.Attendees, Notes: cf.Notes, Decisions: cf.Decisions})
	}
	// At review the latest flower stands beside the goals.
	subject, subjectID := caseSubject(c)
	if pg.Flower, err = h.flowerSection(ctx, lang, p, subject, subjectID, httpx.Actor(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	if pg.Flower != nil {
		pg.Flower.CanAssess = false
	}
	latest := h.latestLevels(pg.Flower)
	for _, g := range c.Goals {
		row := goalRow{PlanGoal: g, DimensionName: flower.DimensionName(g.Dimension, lang), FromLabel: levelLabel(g.From, lang),
			TargetLabel: levelLabel(g.Target, lang), TargetDate: dayText(lang, g.TargetDate)}
		if l, ok := latest[g.Dimension]; ok {
			row.Now, row.NowLabel = l, levelLabel(l, lang)
			row.Reached = l.Valid() && !l.Worse(g.Target)
		}
		pg.Goals = append(pg.Goals, row)
	}
	for _, s := range c.Steps {
		row := stepRow{PlanStep: s, Due: dayText(lang, s.DueOn)}
		if s.DoneAt != nil {
			row.Done = thai.FormatDate(s.DoneAt.In(thai.Bangkok()), lang)
		}
		// Who moves a step: the team, the step's organisation, or whoever
		// may change the case (the API's rule too).
		row.CanMove = c.Status != cases.Closed && s.Status != cases.Done && (may || onTeam || p.InOrganisation(s.OrganisationID))
		if row.CanMove {
			pg.CanMoveSteps = true
			for _, to := range cases.StepStatuses {
				if to != s.Status && to != cases.Planned {
					row.Moves = append(row.Moves, to)
				}
			}
		}
		if s.Overdue {
			pg.Overdue++
		}
		pg.Steps = append(pg.Steps, row)
	}
	if c.PersonID != "" && p.Can(account.ReferralsManage) {
		if pg.Referrals, err = h.caseReferrals(r, c); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	for i := len(c.Events) - 1; i >= 0; i-- {
		pg.Events = append(pg.Events, h.eventRow(lang, c.Events[i], names))
	}
	v.Data, v.Error = pg, fe
	v.Title = h.Cat.T(lang, "case.title_of", map[string]any{"Name": pg.Case.SubjectName})
	v.Return = "/cases/" + c.ID
	h.render(w, r, status, "case", v)
}

// latestLevels are the dimension levels of the newest staff assessment.
func (h *Handler) latestLevels(fb *flowerBlock) map[people.Dimension]flower.Level {
	out := map[people.Dimension]flower.Level{}
	if fb == nil || fb.Latest == nil {
		return out
	}
	for _, l := range fb.Latest.Levels {
		out[l.Dimension] = l.Level
	}
	return out
}

// caseReferrals are the referrals sent for the case that the viewer's
// organisations sent or received.
func (h *Handler) caseReferrals(r *http.Request, c store.Case) ([]referralRow, error) {
	p := httpx.Principal(r.Context())
	var out []referralRow
	for _, incoming := range []bool{false, true} {
		list, err := h.DB.ListReferrals(r.Context(), store.ReferralFilter{UserID: p.User.ID, Incoming: incoming, PersonID: c.PersonID}, httpx.Actor(r))
		if err != nil {
			return nil, err
		}
		for _, ref := range list {
			if ref.CaseID == c.ID {
				out = append(out, h.referralRow(httpx.Lang(r.Context()), ref, incoming))
			}
		}
	}
	return out, nil
}

// eventRow puts one entry of the history in words.
func (h *Handler) eventRow(lang string, e store.CaseEvent, names map[string]string) eventRow {
	t := func(id string, args map[string]any) string { return h.Cat.T(lang, id, args) }
	row := eventRow{At: e.At, Who: names[e.ActorID]}
	switch e.Kind {
	case "opened":
		row.Text = t("case.event.opened", map[string]any{"Origin": t("case.origin."+e.Note, nil)})
	case "status":
		row.Text = t("case.event.status", map[string]any{"From": t("case.status."+e.From, nil), "To": t("case.status."+e.To, nil)})
		if e.Note != "" {
			row.Text += " — " + e.Note
		}
	case "risk":
		row.Text = t("case.event.risk", map[string]any{"From": t("case.risk."+e.From, nil), "To": t("case.risk."+e.To, nil)})
	case "review":
		row.Text = t("case.event.review", map[string]any{"Date": dayText(lang, e.To)})
	case "member_added":
		row.Text = t("case.event.member_added", map[string]any{"Name": names[e.To], "Role": t("case.role."+e.Note, nil)})
	case "member_removed":
		row.Text = t("case.event.member_removed", map[string]any{"Name": names[e.From], "Role": t("case.role."+e.Note, nil)})
	case "legal":
		label := e.To
		if lc, ok := cases.Legal(cases.LegalKind(e.From), e.To); ok {
			label = lc.Label(lang)
		}
		row.Text = t("case.event.legal", map[string]any{"Label": label})
	case "conference":
		row.Text = t("case.event.conference", map[string]any{"Date": dayText(lang, e.To)})
	case "step":
		row.Text = t("case.event.step", map[string]any{"What": e.Note, "To": t("plan.step_status."+e.To, nil)})
	default:
		row.Text = e.Kind
	}
	return row
}
