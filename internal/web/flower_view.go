package web

import (
	"context"
	"html/template"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// What the person, household, assessment and deprivation screens share:
// how a flower and its red and yellow indicators are shown.

// flowerBlock is the flower section of a person or household page.
type flowerBlock struct {
	Subject   flower.Subject
	SubjectID string
	Latest    *assessmentRow // the newest staff assessment
	Family    *assessmentRow // the newest family self-assessment
	// Differences are the dimensions where the family sees itself
	// differently from the staff: to talk about at the next visit.
	Differences []dimensionDiff
	History     []assessmentRow // older staff and family assessments, newest first
	Empty       template.HTML   // the grey flower when there is no assessment
	CanAssess   bool
}

type assessmentRow struct {
	ID       string
	Date     string
	Source   store.AssessmentSource
	By       string // organisation and author
	Flower   template.HTML
	Small    template.HTML
	Levels   []dimensionLevel
	Concerns []concernRow
	Version  int // instrument version
}

type dimensionLevel struct {
	Dimension people.Dimension
	Name      string
	Level     flower.Level
	Label     string
}

type dimensionDiff struct {
	Name   string
	Staff  string
	Family string
}

// concernRow is a red or yellow indicator in plain words.
type concernRow struct {
	Code       string
	Dimension  string
	Level      flower.Level
	LevelLabel string
	Title      string
	Answer     string // the option chosen or the value, with its unit
	Derived    bool
	Urgent     bool
	Restricted bool // the viewer may not see this sensitive indicator
	Guide      bool // a practice guide is written for this indicator and level
}

// flowerSVG draws levels as an inline SVG. RenderSVG escapes every text it
// writes and takes no user input but the title.
func flowerSVG(levels map[people.Dimension]flower.Level, lang, title string, size int, letters map[people.Dimension]string) template.HTML {
	return template.HTML(flower.RenderSVG(levels, flower.SVGOptions{Size: size, Lang: lang, Title: title, Letters: letters})) //nolint:gosec // escaped by RenderSVG
}

// assessmentRow turns a stored assessment into what the pages show; the
// instrument it was made with gives the words.
func (h *Handler) assessmentRow(ctx context.Context, lang string, viewer *account.Principal, a store.Assessment) assessmentRow {
	in, err := h.DB.Instrument(ctx, a.InstrumentCode, a.InstrumentVersion)
	if err != nil {
		in = flower.Default()
	}
	row := assessmentRow{ID: a.ID, Date: dayText(lang, a.On), Source: a.Source, Version: a.InstrumentVersion}
	row.By = a.OrganisationName
	if lang == "en" && a.OrganisationNameEN != "" {
		row.By = a.OrganisationNameEN
	}
	if a.AuthorName != "" && a.Source == store.ByStaff {
		row.By += " · " + a.AuthorName
	}
	levels := a.Result.Levels()
	title := h.Cat.T(lang, "flower.title", nil)
	if a.Source == store.ByFamily {
		title = h.Cat.T(lang, "flower.family_title", nil)
	}
	row.Flower = flowerSVG(levels, lang, title, 200, in.Letters(lang))
	row.Small = flowerSVG(levels, lang, title, 56, nil)
	for _, d := range people.Dimensions {
		row.Levels = append(row.Levels, dimensionLevel{Dimension: d, Name: flower.DimensionName(d, lang), Level: levels[d], Label: levelLabel(levels[d], lang)})
	}
	row.Concerns = concerns(in, lang, viewer, a.Result.Concerns)
	return row
}

func levelLabel(l flower.Level, lang string) string {
	if !l.Valid() {
		l = flower.Unknown
	}
	return l.Label(lang)
}

// concerns lists red then yellow indicators in plain words. The content of
// a sensitive indicator (violence, abuse, health conditions) is shown only
// to those whose role may see that category.
func concerns(in *flower.Instrument, lang string, viewer *account.Principal, rs []flower.IndicatorResult) []concernRow {
	var out []concernRow
	for _, r := range rs {
		c := concernRow{Code: r.Code, Dimension: flower.DimensionName(r.Dimension, lang), Level: r.Level, LevelLabel: levelLabel(r.Level, lang),
			Derived: r.Derived, Urgent: r.Urgent}
		ind := in.Indicator(r.Code)
		if ind == nil {
			continue
		}
		if s := ind.Sensitivity; s != people.NotSensitive && !viewer.SeesSensitive(string(s)) {
			c.Restricted, c.Urgent, c.Derived = true, false, false
			out = append(out, c)
			continue
		}
		c.Title = ind.Title.In(lang)
		c.Answer = answerText(ind, lang, r.Option, r.Number)
		out = append(out, c)
	}
	return out
}

// answerText is an answer as words: the option's label or the number with
// its unit.
func answerText(ind *flower.Indicator, lang, option string, number *float64) string {
	if option != "" {
		if o := ind.Answer.Option(option); o != nil {
			return o.Label.In(lang)
		}
		return option
	}
	if number != nil && ind.Answer.Number != nil {
		return formatNumber(*number) + " " + ind.Answer.Number.UnitLabel.In(lang)
	}
	return ""
}

// flowerSection gathers a subject's flower block. Reading the assessments
// is audited by the store.
func (h *Handler) flowerSection(ctx context.Context, lang string, viewer *account.Principal, subject flower.Subject, id string, actor audit.Event) (*flowerBlock, error) {
	if !viewer.Can(account.AssessmentsRead) {
		return nil, nil
	}
	list, err := h.DB.ListAssessments(ctx, subject, id, actor)
	if err != nil {
		return nil, err
	}
	fb := &flowerBlock{Subject: subject, SubjectID: id, CanAssess: viewer.Can(account.AssessmentsWrite)}
	fb.Empty = flowerSVG(nil, lang, h.Cat.T(lang, "flower.none", nil), 200, nil)
	for _, a := range list {
		row := h.assessmentRow(ctx, lang, viewer, a)
		switch {
		case a.Source == store.ByStaff && fb.Latest == nil:
			fb.Latest = &row
		case a.Source == store.ByFamily && fb.Family == nil:
			fb.Family = &row
		default:
			fb.History = append(fb.History, row)
		}
	}
	// The practice guide, right where the indicator is red or yellow.
	if fb.Latest != nil && len(fb.Latest.Concerns) > 0 {
		guides, err := h.DB.LatestGuides(ctx)
		if err != nil {
			return nil, err
		}
		have := map[string]bool{}
		for _, g := range guides {
			have[g.Indicator+"/"+string(g.Level)] = true
		}
		for i, c := range fb.Latest.Concerns {
			fb.Latest.Concerns[i].Guide = !c.Restricted && have[c.Code+"/"+string(c.Level)]
		}
	}
	if fb.Latest != nil && fb.Family != nil {
		for i, d := range fb.Latest.Levels {
			f := fb.Family.Levels[i]
			if f.Level.Valid() && d.Level.Valid() && f.Level != d.Level {
				fb.Differences = append(fb.Differences, dimensionDiff{Name: d.Name, Staff: d.Label, Family: f.Label})
			}
		}
	}
	return fb, nil
}

// formatNumber writes a number without trailing zeros.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// listFlowers draws the small flower of each listed child that has been
// assessed, for viewers who may see assessments (nil otherwise).
func (h *Handler) listFlowers(ctx context.Context, lang string, viewer *account.Principal, rows []personRow) error {
	if !viewer.Can(account.AssessmentsRead) || len(rows) == 0 {
		return nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	levels, err := h.DB.Flowers(ctx, flower.Child, ids)
	if err != nil {
		return err
	}
	title := h.Cat.T(lang, "flower.title", nil)
	for i := range rows {
		if l, ok := levels[rows[i].ID]; ok {
			rows[i].Flower = flowerSVG(l, lang, title, 40, nil)
		}
	}
	return nil
}
