package web

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// requireJSON is require for the offline page's script: it answers a
// missing login with 401 and a message, not a redirect to the login page.
func (h *Handler) requireJSON(w http.ResponseWriter, r *http.Request, perm account.Permission) *account.Principal {
	p := httpx.Principal(r.Context())
	if p == nil {
		h.failJSON(w, r, errs.New(errs.Unauthenticated, "visits.login_again"))
		return nil
	}
	if perm != "" && !p.Can(perm) {
		h.failJSON(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return nil
	}
	return p
}

// kitOf reads the kit named in the path for the logged-in user; a revoked
// or expired kit answers 403 with its reason, and the device wipes itself.
func (h *Handler) kitOf(w http.ResponseWriter, r *http.Request, perm account.Permission) (*account.Principal, store.OfflineKit, bool) {
	p := h.requireJSON(w, r, perm)
	if p == nil {
		return nil, store.OfflineKit{}, false
	}
	kit, err := h.DB.OfflineKitOf(r.Context(), p.User.ID, r.PathValue("id"))
	if err != nil {
		h.failJSON(w, r, err)
		return nil, kit, false
	}
	return p, kit, true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// KitKey releases a kit's key to its owner's login
// (GET /visits/kits/{id}/key), with when it expires.
func (h *Handler) KitKey(w http.ResponseWriter, r *http.Request) {
	_, kit, ok := h.kitOf(w, r, account.AssessmentsWrite)
	if !ok {
		return
	}
	if err := h.DB.AuditKeyIssued(r.Context(), kit.ID, httpx.Actor(r)); err != nil {
		h.failJSON(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"id": kit.ID, "key": base64.StdEncoding.EncodeToString(kit.Key), "expires_at": kit.ExpiresAt.UTC().Format(time.RFC3339)})
}

type kitMember struct {
	Name string `json:"name"`
	Age  string `json:"age"`
	// A child the worker may open online: its service records and its
	// own flower can be recorded offline too.
	ID         string         `json:"id,omitempty"`
	Indicators []kitIndicator `json:"indicators,omitempty"`
}

type kitOption struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type kitIndicator struct {
	Code     string      `json:"code"`
	Question string      `json:"question"`
	Family   bool        `json:"family"`
	Options  []kitOption `json:"options"`
}

type kitHousehold struct {
	ID         string         `json:"id"`
	Version    int            `json:"version"`
	Address    string         `json:"address"`
	Situation  string         `json:"situation"`
	Community  string         `json:"community"`
	Members    []kitMember    `json:"members"`
	Indicators []kitIndicator `json:"indicators"`
	// Records: the worker may add children's service records (the online
	// form's permission).
	Records bool `json:"records"`
}

// KitData gives the device the kit's households as an online read would,
// each read audited (GET /visits/kits/{id}/data): members, the household's
// fields with their version, the questions of a household assessment, and
// for each child the worker may open online its ID and the questions of
// its own flower.
func (h *Handler) KitData(w http.ResponseWriter, r *http.Request) {
	p, kit, ok := h.kitOf(w, r, account.AssessmentsWrite)
	if !ok {
		return
	}
	ctx, lang := r.Context(), httpx.Lang(r.Context())
	out := []kitHousehold{}
	for _, id := range kit.HouseholdIDs {
		hv, err := h.DB.GetHousehold(ctx, id, httpx.Actor(r))
		if err != nil {
			h.failJSON(w, r, err)
			return
		}
		kh := kitHousehold{ID: id, Version: hv.Household.Version, Address: hv.Household.Address, Situation: hv.Household.Situation,
			Community: h.communityName(ctx, lang, hv.Household.CommunityID), Members: []kitMember{}, Indicators: []kitIndicator{},
			Records: p.Can(account.PeopleWrite)}
		for i, m := range h.memberRows(lang, hv.Household, hv.Current) {
			km := kitMember{Name: m.Row.Name, Age: m.Row.Age}
			person := hv.Current[i].Person
			if people.IsChild(person.BirthDate, h.DB.Now()) {
				if may, err := h.DB.MayOpenPerson(ctx, person.ID); err != nil {
					h.failJSON(w, r, err)
					return
				} else if may {
					km.ID = person.ID
					if km.Indicators, err = h.kitQuestions(r, flower.Child, person.ID); err != nil {
						h.failJSON(w, r, err)
						return
					}
				}
			}
			kh.Members = append(kh.Members, km)
		}
		if kh.Indicators, err = h.kitQuestions(r, flower.Household, id); err != nil {
			h.failJSON(w, r, err)
			return
		}
		out = append(out, kh)
	}
	writeJSON(w, map[string]any{"id": kit.ID, "expires_at": kit.ExpiresAt.UTC().Format(time.RFC3339), "households": out})
}

// kitQuestions are the multiple-choice questions of a flower assessment of
// a household or a child today, for the device (the read audited).
func (h *Handler) kitQuestions(r *http.Request, subject flower.Subject, id string) ([]kitIndicator, error) {
	out := []kitIndicator{}
	if !httpx.Principal(r.Context()).Can(account.AssessmentsWrite) {
		return out, nil
	}
	d, err := h.DB.PrepareAssessment(r.Context(), subject, id, store.ByStaff, httpx.Actor(r))
	if err != nil {
		return nil, err
	}
	lang := httpx.Lang(r.Context())
	for _, ind := range d.Applicable {
		if ind.Answer.Kind != flower.Choice {
			continue
		}
		ki := kitIndicator{Code: ind.Code, Question: ind.Question.In(lang), Family: ind.FamilyFacing}
		for _, o := range ind.Answer.Options {
			ki.Options = append(ki.Options, kitOption{Code: o.Code, Label: o.Label.In(lang)})
		}
		out = append(out, ki)
	}
	return out, nil
}

type syncChange struct {
	ID          string            `json:"id"`
	Kind        string            `json:"kind"`
	HouseholdID string            `json:"household_id"`
	VisitedOn   string            `json:"visited_on"`
	Note        string            `json:"note"`
	BaseVersion int               `json:"base_version"`
	Base        map[string]string `json:"base"`
	New         map[string]string `json:"new"`
	Source      string            `json:"source"`
	Answers     map[string]string `json:"answers"`
	// A child's service record or flower.
	PersonID   string            `json:"person_id"`
	RecordKind string            `json:"record_kind"`
	OccurredOn string            `json:"occurred_on"`
	Data       people.RecordData `json:"data"`
}

type syncResult struct {
	ID        string   `json:"id"`
	Status    string   `json:"status"`
	Message   string   `json:"message,omitempty"`
	Conflicts []string `json:"conflicts,omitempty"`
}

// maxSync bounds one sync: a day's visits are far fewer changes.
const maxSync = 200

// KitSync applies the changes a device queued offline
// (POST /visits/kits/{id}/sync), each through the same permission, access,
// consent and audit rules as the online forms. A revoked or expired kit,
// or a login that ended, gets nothing applied and a message saying why.
func (h *Handler) KitSync(w http.ResponseWriter, r *http.Request) {
	p, kit, ok := h.kitOf(w, r, account.AssessmentsWrite)
	if !ok {
		return
	}
	var in struct {
		Changes []syncChange `json:"changes"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 512<<10)).Decode(&in); err != nil {
		h.failJSON(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	if len(in.Changes) > maxSync {
		h.failJSON(w, r, errs.Field("changes", "visits.too_many_changes", map[string]any{"Max": maxSync}))
		return
	}
	org, err := recordOrganisation(p, "")
	if err != nil && len(p.User.Memberships) > 0 {
		org = p.User.Memberships[0].OrganisationID
	}
	lang := httpx.Lang(r.Context())
	results := make([]syncResult, 0, len(in.Changes))
	for _, c := range in.Changes {
		// The permission of the online form that makes the same change.
		perm := account.AssessmentsWrite
		if c.Kind == store.ChangeHousehold || c.Kind == store.ChangeRecord {
			perm = account.PeopleWrite
		}
		if !p.Can(perm) {
			results = append(results, syncResult{ID: c.ID, Status: store.ChangeRefused, Message: h.Cat.T(lang, "visits.not_allowed", nil)})
			continue
		}
		answers := map[string]flower.Answer{}
		for code, opt := range c.Answers {
			if opt != "" {
				answers[code] = flower.Answer{Option: opt}
			}
		}
		res, err := h.DB.ApplyOfflineChange(r.Context(), kit, store.OfflineChange{ID: c.ID, Kind: c.Kind, HouseholdID: c.HouseholdID,
			VisitedOn: c.VisitedOn, Note: c.Note, BaseVersion: c.BaseVersion, Base: c.Base, New: c.New,
			Source: store.AssessmentSource(c.Source), Answers: answers, PersonID: c.PersonID, RecordKind: people.RecordKind(c.RecordKind),
			OccurredOn: c.OccurredOn, Data: c.Data, OrganisationID: org, AuthorID: p.User.ID}, httpx.Actor(r))
		if err != nil {
			h.failJSON(w, r, err)
			return
		}
		out := syncResult{ID: res.ID, Status: res.Status, Conflicts: res.Conflicts}
		if res.MessageID != "" {
			data, _ := res.Data.(map[string]any)
			out.Message = h.Cat.T(lang, res.MessageID, data)
		}
		results = append(results, out)
	}
	writeJSON(w, map[string]any{"results": results})
}

// KitRevoke ends a device's kit from the profile page
// (POST /visits/kits/{id}/revoke): a phone lost or passed on.
func (h *Handler) KitRevoke(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	if err := h.DB.RevokeOfflineKit(r.Context(), p.User.ID, r.PathValue("id"), httpx.Actor(r)); err != nil {
		if h.settled(w, r, err, "/profile", map[string]string{store.KitAlreadyRevoked: "flash.resend2_kit_revoked"}) {
			return
		}
		h.fail(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/profile", "flash.kit_revoked")
}
