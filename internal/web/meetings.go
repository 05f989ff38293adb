package web

import (
	"net/http"
	"strconv"
	"strings"

	"termtem/internal/account"
	"termtem/internal/committees"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/organisations"
	"termtem/internal/store"
)

// Committee meetings (การประชุมคณะกรรมการ): the district quality-of-life and
// child-protection committees and Bangkok's, each seen by its members.

type committeeBlock struct {
	Committee organisations.Organisation
	Name      string
	Meetings  []committees.Meeting
}

type meetingsPage struct {
	Committees []committeeBlock
	Owned      []committees.Resolution
	Statuses   []committees.ResolutionStatus
}

// MeetingsList shows the user's committees with their meetings, and the
// resolutions the user owns (GET /meetings).
func (h *Handler) MeetingsList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	v := h.view(r, "meeting.title", nil)
	page := meetingsPage{Statuses: committees.ResolutionStatuses}
	mine, err := h.DB.UserCommittees(r.Context(), p.User.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, c := range mine {
		ms, err := h.DB.ListMeetings(r.Context(), []string{c.ID})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		page.Committees = append(page.Committees, committeeBlock{Committee: c, Name: organisationName(c, v.Lang), Meetings: ms})
	}
	owned, err := h.DB.OwnedResolutions(r.Context(), p.User.ID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Owned = owned
	v.Data = page
	h.render(w, r, http.StatusOK, "meetings", v)
}

// requireCommittee answers 404 unless the user is a member of the committee.
func (h *Handler) requireCommittee(w http.ResponseWriter, r *http.Request, p *account.Principal, committeeID string) (organisations.Organisation, bool) {
	ok, err := h.DB.IsCommitteeMember(r.Context(), committeeID, p.User.ID)
	if err != nil || !ok {
		if err == nil {
			err = errs.New(errs.NotFound, "meeting.not_found")
		}
		h.fail(w, r, err)
		return organisations.Organisation{}, false
	}
	o, err := h.DB.GetOrganisation(r.Context(), committeeID)
	if err != nil {
		h.fail(w, r, err)
		return o, false
	}
	return o, true
}

type meetingForm struct {
	Committee organisations.Organisation
	Name      string
	M         committees.Meeting
	HeldOn    string // as typed, or the meeting's date in the page's language
	Figures   []districtFigure
}

// MeetingNew shows the form of a new meeting, its agenda drawn from the
// district's figures (GET /meetings/new?committee=).
func (h *Handler) MeetingNew(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	c, ok := h.requireCommittee(w, r, p, r.URL.Query().Get("committee"))
	if !ok {
		return
	}
	lang := httpx.Lang(r.Context())
	m := committees.Meeting{CommitteeID: c.ID, HeldOn: h.DB.Now().Format("2006-01-02")}
	f := meetingForm{Committee: c, Name: organisationName(c, lang), M: m, HeldOn: dateInput(lang, m.HeldOn)}
	if district, ok := h.committeeDistrict(r.Context(), c); ok {
		figs, err := h.districtFigures(r, lang, district)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.Figures, f.M.Agenda = figs, agendaText(figs)
	}
	h.renderMeetingForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) renderMeetingForm(w http.ResponseWriter, r *http.Request, status int, f meetingForm, fe *FormError) {
	v := h.view(r, "meeting.new", f)
	v.Error = fe
	v.Return = "/meetings/new?committee=" + f.Committee.ID
	h.render(w, r, status, "meeting_form", v)
}

// MeetingCreate records a new meeting (POST /meetings).
func (h *Handler) MeetingCreate(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	c, ok := h.requireCommittee(w, r, p, r.PostFormValue("committee_id"))
	if !ok {
		return
	}
	m := committees.Meeting{CommitteeID: c.ID, Title: r.PostFormValue("title"), Location: r.PostFormValue("location"), Agenda: r.PostFormValue("agenda")}
	held := r.PostFormValue("held_on")
	var saved committees.Meeting
	var err error
	ctx := r.Context()
	if m.HeldOn, err = formDate("held_on", held, true); err == nil {
		ctx, err = h.formSending(r, "meeting:"+c.ID)
	}
	if err == nil {
		saved, err = h.DB.SaveMeeting(ctx, m, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend_saved", func(id string) string { return "/meetings/" + id }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderMeetingForm(w, r, status, meetingForm{Committee: c, Name: organisationName(c, httpx.Lang(r.Context())), M: m, HeldOn: held}, fe)
		return
	}
	h.redirectWithFlash(w, r, "/meetings/"+saved.ID, "flash.meeting_saved")
}

type meetingPage struct {
	M        committees.Meeting
	Owners   []orgOption
	Statuses []committees.ResolutionStatus
	Form     map[string]string
	FormName string
}

// MeetingShow shows a meeting to the committee's members (GET /meetings/{id}).
func (h *Handler) MeetingShow(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	h.renderMeeting(w, r, http.StatusOK, "", map[string]string{}, nil)
}

func (h *Handler) renderMeeting(w http.ResponseWriter, r *http.Request, status int, formName string, form map[string]string, fe *FormError) {
	p := httpx.Principal(r.Context())
	m, err := h.DB.GetMeeting(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, ok := h.requireCommittee(w, r, p, m.CommitteeID); !ok {
		return
	}
	page := meetingPage{M: m, Statuses: committees.ResolutionStatuses, Form: form, FormName: formName}
	orgs, err := h.DB.CommitteeOrganisations(r.Context(), m.CommitteeID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := httpx.Lang(r.Context())
	for _, id := range orgs {
		users, err := h.DB.ListUsers(r.Context(), storeUsersIn(id))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, u := range users {
			if !u.Disabled {
				page.Owners = append(page.Owners, orgOption{ID: u.ID, Name: u.DisplayName + " · " + orgNameOf(u, id, lang)})
			}
		}
	}
	v := h.view(r, "", page)
	v.Title = m.Title
	v.Error = fe
	h.render(w, r, status, "meeting", v)
}

// meetingAction is the shape of the forms posted on a meeting's page: a
// member of its committee posts, change does the work on the meeting and
// returns the form as typed; a refusal shows the page again with that
// form, a success goes back to the meeting with flash.
func (h *Handler) meetingAction(w http.ResponseWriter, r *http.Request, formName, flash string,
	change func(m committees.Meeting) (map[string]string, error)) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	m, err := h.DB.GetMeeting(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, ok := h.requireCommittee(w, r, p, m.CommitteeID); !ok {
		return
	}
	form, err := change(m)
	if h.sentBefore(w, r, err, "flash.resend_saved", func(string) string { return "/meetings/" + m.ID }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderMeeting(w, r, status, formName, form, fe)
		return
	}
	h.redirectWithFlash(w, r, "/meetings/"+m.ID, flash)
}

// MeetingSave records the minutes and attendance (POST /meetings/{id}).
func (h *Handler) MeetingSave(w http.ResponseWriter, r *http.Request) {
	h.meetingAction(w, r, "minutes", "flash.meeting_saved", func(m committees.Meeting) (map[string]string, error) {
		_ = r.ParseForm()
		present := map[string]bool{}
		for _, id := range r.PostForm["present"] {
			present[id] = true
		}
		att := make([]committees.Attendee, 0, len(m.Attendance))
		for _, a := range m.Attendance {
			att = append(att, committees.Attendee{UserID: a.UserID, Present: present[a.UserID]})
		}
		m.Attendance, m.Minutes = att, r.PostFormValue("minutes")
		m.Version, _ = strconv.Atoi(r.PostFormValue("version"))
		_, err := h.DB.SaveMeeting(r.Context(), m, httpx.Actor(r))
		return map[string]string{"minutes": m.Minutes}, err
	})
}

// ResolutionAdd records a resolution of a meeting (POST /meetings/{id}/resolutions).
func (h *Handler) ResolutionAdd(w http.ResponseWriter, r *http.Request) {
	h.meetingAction(w, r, "resolution", "flash.resolution_saved", func(m committees.Meeting) (map[string]string, error) {
		form := map[string]string{}
		for _, f := range []string{"text", "addresses", "case_ids", "owner_id", "due_on"} {
			form[f] = strings.TrimSpace(r.PostFormValue(f))
		}
		res := committees.Resolution{Text: form["text"], Addresses: form["addresses"], OwnerID: form["owner_id"]}
		if res.Addresses == committees.AddressesCases {
			res.CaseIDs = committees.ParseCaseRefs(form["case_ids"])
		}
		due, err := formDate("due_on", form["due_on"], true)
		ctx := r.Context()
		if err == nil {
			res.DueOn = due
			ctx, err = h.formSending(r, "resolution:"+m.ID)
		}
		if err == nil {
			_, err = h.DB.AddResolution(ctx, m.ID, res, httpx.Actor(r))
		}
		return form, err
	})
}

// ResolutionFollowUp changes a resolution's follow-up (POST
// /resolutions/{id}): its owner or a member of its committee.
func (h *Handler) ResolutionFollowUp(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	res, err := h.DB.GetResolution(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	member, err := h.DB.IsCommitteeMember(r.Context(), res.CommitteeID, p.User.ID)
	if err != nil || (!member && res.OwnerID != p.User.ID) {
		h.fail(w, r, errs.New(errs.NotFound, "resolution.not_found"))
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	back := "/meetings"
	if member {
		back = "/meetings/" + res.MeetingID
	}
	if _, err := h.DB.FollowUpResolution(r.Context(), res.ID, version, committees.ResolutionStatus(r.PostFormValue("status")),
		strings.TrimSpace(r.PostFormValue("follow_up")), httpx.Actor(r)); err != nil {
		if _, _, ok := h.formError(r, err); ok {
			h.redirectWithFlash(w, r, back, "flash.resolution_refused")
			return
		}
		h.fail(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, back, "flash.resolution_saved")
}

func storeUsersIn(orgID string) store.UserFilter {
	return store.UserFilter{OrganisationIDs: []string{orgID}}
}

// orgNameOf is the name of the user's organisation orgID.
func orgNameOf(u account.User, orgID, lang string) string {
	for _, m := range u.Memberships {
		if m.OrganisationID == orgID {
			return m.OrgName(lang)
		}
	}
	return ""
}
