package web

import (
	"html/template"
	"net/http"
	"strings"

	"termtem/internal/account"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// assessForm is the staff assessment of a child or a household: the
// applicable indicators grouped by dimension, each with what the records
// already say.
type assessForm struct {
	Subject    flower.Subject
	SubjectID  string
	Name       string // the child's name or the household's address
	Back       string
	Action     string
	Dimensions []assessDimension
	Values     map[string]string // as typed, by field name
	Errors     map[string]string // by indicator code
	Orgs       []account.Membership
	OrgName    string
	Instrument string // title and version
	// Proposed is the flower the records alone give, before any answer.
	Proposed template.HTML
}

type assessDimension struct {
	Dimension  people.Dimension
	Name       string
	Indicators []assessIndicator
}

type assessIndicator struct {
	Code      string
	Question  string
	Title     string
	Kind      flower.AnswerKind
	Options   []assessOption
	Unit      string
	Min, Max  string
	Derived   bool
	Proposal  string // what the records say, in words
	Detail    string
	Sensitive bool
}

type assessOption struct {
	Code  string
	Label string
	Level flower.Level
	Mark  string // the level in words, for readers who do not see colour
}

// AssessChildForm shows the assessment form for a child (GET /people/{id}/assess).
func (h *Handler) AssessChildForm(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.AssessmentsWrite) == nil {
		return
	}
	h.renderAssessForm(w, r, http.StatusOK, flower.Child, map[string]string{}, nil)
}

// AssessHouseholdForm shows the assessment form for a household
// (GET /households/{id}/assess).
func (h *Handler) AssessHouseholdForm(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.AssessmentsWrite) == nil {
		return
	}
	h.renderAssessForm(w, r, http.StatusOK, flower.Household, map[string]string{}, nil)
}

func (h *Handler) renderAssessForm(w http.ResponseWriter, r *http.Request, status int, subject flower.Subject, values map[string]string, fe *FormError) {
	ctx := r.Context()
	p := httpx.Principal(ctx)
	id := r.PathValue("id")
	v := h.view(r, "assess.title", nil)
	f := assessForm{Subject: subject, SubjectID: id, Values: values, Errors: map[string]string{}}
	if subject == flower.Child {
		person, err := h.DB.GetPerson(ctx, id, httpx.Actor(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.Name, f.Back, f.Action = displayName(person), "/people/"+id, "/people/"+id+"/assess"
	} else {
		hv, err := h.DB.GetHousehold(ctx, id, httpx.Actor(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.Name, f.Back, f.Action = hv.Household.Address, "/households/"+id, "/households/"+id+"/assess"
		if f.Name == "" {
			f.Name = h.Cat.T(v.Lang, "household.title", nil)
		}
	}
	d, err := h.DB.PrepareAssessment(ctx, subject, id, store.ByStaff, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Instrument = d.Instrument.Title.In(v.Lang)
	f.Proposed = flowerSVG(d.Proposed.Levels(), v.Lang, h.Cat.T(v.Lang, "assess.proposed", nil), 120, nil)
	for _, dim := range people.Dimensions {
		ad := assessDimension{Dimension: dim, Name: flower.DimensionName(dim, v.Lang)}
		for _, ind := range d.Applicable {
			if ind.Dimension != dim {
				continue
			}
			ai := assessIndicator{Code: ind.Code, Question: ind.Question.In(v.Lang), Title: ind.Title.In(v.Lang),
				Kind: ind.Answer.Kind, Sensitive: ind.Sensitivity != people.NotSensitive}
			for _, o := range ind.Answer.Options {
				ai.Options = append(ai.Options, assessOption{Code: o.Code, Label: o.Label.In(v.Lang), Level: o.Level, Mark: o.Level.Label(v.Lang)})
			}
			if n := ind.Answer.Number; n != nil {
				ai.Unit, ai.Min, ai.Max = n.UnitLabel.In(v.Lang), formatNumber(n.Min), formatNumber(n.Max)
			}
			if dv, ok := d.Derived[ind.Code]; ok {
				ai.Derived = true
				ai.Proposal = answerText(ind, v.Lang, dv.Option, dv.Number)
				ai.Detail = strings.Join(dv.Detail, ", ")
				// The form starts from what the records say; changing it
				// asks for a reason.
				if _, typed := values["a."+ind.Code]; !typed {
					if dv.Option != "" {
						values["a."+ind.Code] = dv.Option
					} else if dv.Number != nil {
						values["n."+ind.Code] = formatNumber(*dv.Number)
					}
				}
			} else if ind.Answer.Kind == flower.Derived {
				ai.Proposal = h.Cat.T(v.Lang, "assess.no_records", nil)
			}
			ad.Indicators = append(ad.Indicators, ai)
		}
		if len(ad.Indicators) > 0 {
			f.Dimensions = append(f.Dimensions, ad)
		}
	}
	if fe != nil {
		if code := indicatorOf(fe.Field); code != "" {
			f.Errors[code] = fe.Message
		}
	}
	if len(p.User.Memberships) == 1 {
		f.OrgName = p.User.Memberships[0].OrgName(v.Lang)
	} else {
		f.Orgs = p.User.Memberships
	}
	v.Title = h.Cat.T(v.Lang, "assess.title_of", map[string]any{"Name": f.Name})
	v.Data, v.Error, v.Return = f, fe, f.Action
	h.render(w, r, status, "assess_form", v)
}

// indicatorOf reads the indicator code out of an error field such as
// "answers[SAF03].option".
func indicatorOf(field string) string {
	rest, ok := strings.CutPrefix(field, "answers[")
	if !ok {
		return ""
	}
	code, _, ok := strings.Cut(rest, "]")
	if !ok {
		return ""
	}
	return code
}
