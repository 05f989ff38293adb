// Package learning is the network's shared learning (แพลตฟอร์มการเรียนรู้
// ร่วม): practice guides for each indicator and level, written and
// versioned by authorised practitioners, and anonymised lessons from
// closed cases. It knows nothing of HTTP or SQL.
package learning

import (
	"strings"
	"time"

	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
)

// Guide is one version of the practice guide for an indicator at a level.
type Guide struct {
	ID           string       `json:"id"`
	Indicator    string       `json:"indicator"`
	Level        flower.Level `json:"level"`
	Version      int          `json:"version"`
	WhatToCheck  string       `json:"what_to_check"`
	FirstSteps   string       `json:"first_steps"`
	LegalDuty    string       `json:"legal_duty"`
	ServicesHelp string       `json:"services_help"`
	AuthorID     string       `json:"author_id"`
	AuthorName   string       `json:"author_name,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
}

// GuideLevels are the levels a guide is written for: what to do when an
// indicator is red or yellow.
var GuideLevels = []flower.Level{flower.Red, flower.Yellow}

// Limits of a guide's and a lesson's texts.
const (
	MaxGuideText  = 4000
	MaxLessonText = 4000
)

// CheckGuideKey checks an indicator code and level.
func CheckGuideKey(indicator string, level flower.Level) error {
	if flower.Default().Indicator(indicator) == nil {
		return errs.Field("indicator", "directory.indicator_unknown", map[string]any{"Code": indicator})
	}
	if level != flower.Red && level != flower.Yellow {
		return errs.Field("level", "field.choice", nil)
	}
	return nil
}

// ValidateGuide normalises and checks a guide's text.
func ValidateGuide(g *Guide) error {
	g.Indicator = strings.ToUpper(strings.TrimSpace(g.Indicator))
	if err := CheckGuideKey(g.Indicator, g.Level); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    *string
		req  bool
	}{{"what_to_check", &g.WhatToCheck, true}, {"first_steps", &g.FirstSteps, true}, {"legal_duty", &g.LegalDuty, false},
		{"services_help", &g.ServicesHelp, false}} {
		*f.v = strings.TrimSpace(strings.ReplaceAll(*f.v, "\r\n", "\n"))
		if err := cases.CheckText(f.name, *f.v, MaxGuideText, f.req); err != nil {
			return err
		}
	}
	return nil
}

// Lesson is an anonymised lesson from a closed case.
type Lesson struct {
	ID         string    `json:"id"`
	Indicators []string  `json:"indicators"`
	Situation  string    `json:"situation"`
	Lesson     string    `json:"lesson"`
	OrgName    string    `json:"organisation_name,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// ValidateLesson normalises and checks a lesson's fields (not yet its
// anonymity, which needs the record's names).
func ValidateLesson(l *Lesson) error {
	var codes []string
	in := flower.Default()
	for _, c := range l.Indicators {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" {
			continue
		}
		if in.Indicator(c) == nil {
			return errs.Field("indicators", "directory.indicator_unknown", map[string]any{"Code": c})
		}
		codes = append(codes, c)
	}
	l.Indicators = codes
	l.Situation = strings.TrimSpace(strings.ReplaceAll(l.Situation, "\r\n", "\n"))
	l.Lesson = strings.TrimSpace(strings.ReplaceAll(l.Lesson, "\r\n", "\n"))
	if err := cases.CheckText("situation", l.Situation, MaxLessonText, true); err != nil {
		return err
	}
	return cases.CheckText("lesson", l.Lesson, MaxLessonText, true)
}
