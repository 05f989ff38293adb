package api

import (
	"context"
	"strconv"
	"time"

	"termtem/internal/account"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// AssessmentJSON is an assessment as the API shows it: its levels per
// dimension (the petals) and each indicator's result. The content of a
// sensitive indicator (health, safety) is shown only to callers granted
// that category; others see that it is restricted.
type AssessmentJSON struct {
	ID                string                            `json:"id"`
	Subject           flower.Subject                    `json:"subject"`
	PersonID          string                            `json:"person_id,omitempty"`
	HouseholdID       string                            `json:"household_id,omitempty"`
	InstrumentCode    string                            `json:"instrument_code"`
	InstrumentVersion int                               `json:"instrument_version"`
	AssessedOn        string                            `json:"assessed_on"`
	Source            store.AssessmentSource            `json:"source"`
	OrganisationID    string                            `json:"organisation_id,omitempty"`
	OrganisationName  string                            `json:"organisation_name,omitempty"`
	AuthorName        string                            `json:"author_name,omitempty"`
	CreatedAt         time.Time                         `json:"created_at"`
	Levels            map[people.Dimension]flower.Level `json:"levels"`
	Dimensions        []flower.DimensionResult          `json:"dimensions"`
	Indicators        []IndicatorJSON                   `json:"indicators"`
	// Concerns are the red then yellow indicators (the deprivation chart);
	// Urgent the red ones marked urgent.
	Concerns []IndicatorJSON `json:"concerns"`
	Urgent   []IndicatorJSON `json:"urgent"`
	// AlertsOpened: on creation, the alerts this assessment opened.
	AlertsOpened []store.Alert `json:"alerts_opened,omitempty"`
}

// IndicatorJSON is one indicator's result, or only its code, dimension and
// restricted: true when the caller may not read its sensitive content. In
// the concerns and urgent lists a restricted entry has no code either:
// being listed there would tell its level.
type IndicatorJSON struct {
	Code       string           `json:"code,omitempty"`
	Dimension  people.Dimension `json:"dimension"`
	Restricted bool             `json:"restricted"`
	// The result (level, answer, note, records), nil when restricted.
	*flower.IndicatorResult
}

// assessmentView renders assessments for one caller, reading each
// instrument version once.
type assessmentView struct {
	db          *store.DB
	p           *account.Principal
	lang        string
	instruments map[string]*flower.Instrument
}

func (h *Handler) newAssessmentView(p *account.Principal, lang string) *assessmentView {
	return &assessmentView{db: h.DB, p: p, lang: lang, instruments: map[string]*flower.Instrument{}}
}

// visible reports whether the caller may read an indicator's content:
// deny when the indicator or its instrument cannot be found.
func (v *assessmentView) visible(in *flower.Instrument, code string) bool {
	if in == nil {
		return false
	}
	ind := in.Indicator(code)
	if ind == nil {
		return false
	}
	return ind.Sensitivity == people.NotSensitive || v.p.SeesSensitive(string(ind.Sensitivity))
}

func (v *assessmentView) instrument(ctx context.Context, code string, version int) (*flower.Instrument, error) {
	key := code + "/" + strconv.Itoa(version)
	if in, ok := v.instruments[key]; ok {
		return in, nil
	}
	in, err := v.db.Instrument(ctx, code, version)
	if err != nil {
		return nil, err
	}
	v.instruments[key] = in
	return in, nil
}

func (v *assessmentView) render(ctx context.Context, a store.Assessment) (AssessmentJSON, error) {
	in, err := v.instrument(ctx, a.InstrumentCode, a.InstrumentVersion)
	if err != nil {
		return AssessmentJSON{}, err
	}
	out := AssessmentJSON{ID: a.ID, Subject: a.Subject, PersonID: a.PersonID, HouseholdID: a.HouseholdID,
		InstrumentCode: a.InstrumentCode, InstrumentVersion: a.InstrumentVersion, AssessedOn: a.On, Source: a.Source,
		OrganisationID: a.OrganisationID, OrganisationName: a.OrganisationName, AuthorName: a.AuthorName, CreatedAt: a.CreatedAt,
		Levels: a.Result.Levels(), Dimensions: a.Result.Dimensions, AlertsOpened: a.Alerts}
	if v.lang == "en" && a.OrganisationNameEN != "" {
		out.OrganisationName = a.OrganisationNameEN
	}
	if out.Dimensions == nil {
		out.Dimensions = []flower.DimensionResult{}
	}
	list := func(rs []flower.IndicatorResult, named bool) []IndicatorJSON {
		js := make([]IndicatorJSON, 0, len(rs))
		for _, r := range rs {
			if !v.visible(in, r.Code) {
				x := IndicatorJSON{Dimension: r.Dimension, Restricted: true}
				if named {
					x.Code = r.Code
				}
				js = append(js, x)
				continue
			}
			js = append(js, IndicatorJSON{Code: r.Code, Dimension: r.Dimension, IndicatorResult: &r})
		}
		return js
	}
	out.Indicators = list(a.Result.Indicators, true)
	out.Concerns = list(a.Result.Concerns, false)
	out.Urgent = list(a.Result.Urgent, false)
	return out, nil
}
