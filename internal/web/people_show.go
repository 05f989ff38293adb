package web

import (
	"net/http"
	"slices"
	"sort"
	"time"

	"termtem/internal/account"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// personPage is the person page: identity, household, pregnancies and the
// one timeline of every agency's records.
type personPage struct {
	Person      people.Person
	Row         personRow
	NationalID  string // 1-2345-67890-12-3
	BirthDate   string // B.E. in Thai; partial dates as far as known
	Household   string // household ID, when the person lives in one
	Pregnancies []pregnancyRow
	// ShowPregnancies: women and girls from ten, and anyone with a pregnancy recorded.
	ShowPregnancies bool
	Timeline        timelineView
	CanWrite        bool
	// The pregnancy forms as typed, when one of them had an error.
	ExpectedDate  string
	BirthFor      string // the pregnancy whose birth form is shown again
	Child         people.Person
	ChildBirth    string
	Relationships []people.Relationship
	// Flower is the person's flower (children; nil without assessments:read).
	Flower *flowerBlock
	// OpenRectifications: correction requests not yet resolved, shown to
	// staff who may act on them; CanOversee links the access log.
	OpenRectifications []store.Rectification
	CanOversee         bool
	// Casework: the child's cases and the actions to open one or refer
	// (children; nil without cases:read).
	Casework *caseworkBlock
}

type pregnancyRow struct {
	ID       string
	Expected string
	Status   people.PregnancyStatus
	ChildID  string
}

// timelineView is the timeline block, which htmx swaps when a filter changes.
type timelineView struct {
	PersonID      string
	Organisations []placeOption // the organisations that wrote on this timeline
	Organisation  string
	Dimensions    []people.Dimension
	Dimension     string
	Groups        []stageGroup
	Count         int
}

// stageGroup is the run of entries made in one life stage: the timeline
// marks where a child moved from one stage to the next.
type stageGroup struct {
	Stage   people.LifeStage
	Entries []timelineEntry
}

type timelineEntry struct {
	ID            string
	Date          string
	Kind          people.RecordKind
	Dimension     people.Dimension
	Organisation  string
	Author        string
	Restricted    bool
	FromPregnancy bool
	Details       []recordDetail
	Note          string
}

// PersonShow shows one person (GET /people/{id}); with HX-Target
// "timeline" only the filtered timeline.
func (h *Handler) PersonShow(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.PeopleRead)
	if p == nil {
		return
	}
	h.renderPerson(w, r, http.StatusOK, r.PathValue("id"), nil, nil)
}

// renderPerson renders the person page; form, when not nil, holds what a
// pregnancy form on the page was sent with, to show again with fe.
func (h *Handler) renderPerson(w http.ResponseWriter, r *http.Request, status int, id string, form *personPage, fe *FormError) {
	ctx := r.Context()
	pr := httpx.Principal(ctx)
	person, err := h.DB.GetPerson(ctx, id, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "", nil)
	v.Title = displayName(person)
	q := r.URL.Query()
	pg := personPage{Person: person, NationalID: thai.FormatNationalID(person.NationalID), BirthDate: dayText(v.Lang, person.BirthDate),
		Household: person.HouseholdID, CanWrite: pr.Can(account.PeopleWrite), Relationships: people.Relationships,
		ShowPregnancies: mayBePregnant(person, h.DB.Now())}
	if form != nil {
		pg.ExpectedDate, pg.BirthFor, pg.Child, pg.ChildBirth = form.ExpectedDate, form.BirthFor, form.Child, form.ChildBirth
	}
	schooling, err := h.DB.Schooling(ctx, person.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg.Row = h.personRow(v.Lang, person, schooling, h.communityName(ctx, v.Lang, person.CommunityID))
	pregnancies, err := h.DB.Pregnancies(ctx, person.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg.ShowPregnancies = pg.ShowPregnancies || len(pregnancies) > 0
	for _, preg := range pregnancies {
		pg.Pregnancies = append(pg.Pregnancies, pregnancyRow{ID: preg.ID, Expected: dayText(v.Lang, preg.ExpectedDate), Status: preg.Status, ChildID: preg.ChildID})
	}
	recs, err := h.DB.Timeline(ctx, person.ID, store.TimelineFilter{}, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(pregnancies) > 0 {
		// A mother's antenatal visits are recorded on the pregnancy, so
		// that they follow the child; they belong on her timeline too.
		antenatal, err := h.DB.PregnancyRecords(ctx, person.ID, httpx.Actor(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		recs = append(recs, antenatal...)
		sort.SliceStable(recs, func(i, j int) bool { return recs[i].OccurredOn > recs[j].OccurredOn })
	}
	pg.Timeline = h.timeline(v.Lang, pr, person, recs, q.Get("organisation"), q.Get("dimension"))
	pg.CanOversee = pr.Can(account.PrivacyOversee)
	if pg.CanWrite {
		if pg.OpenRectifications, err = h.DB.Rectifications(ctx, person.ID, true, httpx.Actor(r)); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if people.IsChild(person.BirthDate, h.DB.Now()) {
		if pg.Flower, err = h.flowerSection(ctx, v.Lang, pr, flower.Child, person.ID, httpx.Actor(r)); err != nil {
			h.fail(w, r, err)
			return
		}
		if pg.Casework, err = h.caseworkSection(r, v.Lang, flower.Child, person.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	v.Data, v.Error = pg, fe
	if status != http.StatusOK {
		v.Return = "/people/" + person.ID
	}
	block := "layout.html"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "timeline" {
		block, v.Partial = "timeline", true
	}
	h.renderBlock(w, r, status, "person", block, v)
}

// timeline filters the records (by organisation and dimension: codes and
// IDs only in the address, nothing personal) and groups them by life stage.
// Records the viewer may not read show what, when and who only.
func (h *Handler) timeline(lang string, viewer *account.Principal, person people.Person, recs []people.Record, org, dim string) timelineView {
	tv := timelineView{PersonID: person.ID, Dimensions: people.Dimensions, Organisation: org, Dimension: dim}
	if !slices.Contains(people.Dimensions, people.Dimension(dim)) {
		tv.Dimension = ""
	}
	seen := map[string]bool{}
	for _, rec := range recs {
		if !seen[rec.OrganisationID] {
			seen[rec.OrganisationID] = true
			tv.Organisations = append(tv.Organisations, placeOption{ID: rec.OrganisationID, Name: orgName(lang, rec)})
		}
	}
	if !seen[tv.Organisation] {
		tv.Organisation = ""
	}
	sort.Slice(tv.Organisations, func(i, j int) bool { return tv.Organisations[i].Name < tv.Organisations[j].Name })
	for _, rec := range recs {
		if tv.Organisation != "" && rec.OrganisationID != tv.Organisation || tv.Dimension != "" && string(rec.Dimension) != tv.Dimension {
			continue
		}
		fromPregnancy := rec.PersonID == "" && rec.PregnancyID != "" && rec.PregnancyID == person.FromPregnancyID
		stage := people.StageAt(person.BirthDate, fromPregnancy, people.NoSchooling, day(rec.OccurredOn))
		e := timelineEntry{ID: rec.ID, Date: dayText(lang, rec.OccurredOn), Kind: rec.Kind, Dimension: rec.Dimension,
			Organisation: orgName(lang, rec), FromPregnancy: fromPregnancy, Restricted: !people.Visible(rec, viewer)}
		if !e.Restricted {
			e.Author, e.Note = rec.AuthorName, rec.Data.Note
			e.Details = h.recordDetails(lang, rec)
		}
		if n := len(tv.Groups); n == 0 || tv.Groups[n-1].Stage != stage {
			tv.Groups = append(tv.Groups, stageGroup{Stage: stage})
		}
		g := &tv.Groups[len(tv.Groups)-1]
		g.Entries = append(g.Entries, e)
		tv.Count++
	}
	return tv
}

func orgName(lang string, rec people.Record) string {
	if lang == "en" && rec.OrganisationNameEN != "" {
		return rec.OrganisationNameEN
	}
	return rec.OrganisationName
}

// mayBePregnant says whether the page offers to record a pregnancy:
// adolescent pregnancies are part of what the platform follows.
func mayBePregnant(p people.Person, now time.Time) bool {
	if p.Sex != people.Female {
		return false
	}
	years, ok := people.AgeInYears(p.BirthDate, now)
	return !ok || years >= 10
}
