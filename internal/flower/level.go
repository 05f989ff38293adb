// Package flower is the 4-dimension assessment (เครื่องมือดอกไม้ 4 มิติ):
// a versioned instrument of indicators in four dimensions (economy, safety,
// education, health), its file format and validation, the evaluation of an
// assessment into traffic-light levels per indicator and per dimension,
// indicators derived from service records, the early-warning rule, and the
// SVG flower. It knows nothing of HTTP or SQL.
package flower

import (
	"strings"

	"termtem/internal/people"
)

// Level is a traffic light. Unknown (nothing answered, or not enough) is
// never shown as green.
type Level string

const (
	Unknown Level = "unknown"
	Green   Level = "green"  // เขียว: the level to keep
	Yellow  Level = "yellow" // เหลือง: possibly abnormal, needs correction
	Red     Level = "red"    // แดง: critical threat, act now
)

// Levels lists the answerable levels, best first.
var Levels = []Level{Green, Yellow, Red}

// Valid reports whether l is green, yellow or red (what an option or a
// threshold may map to).
func (l Level) Valid() bool { return l == Green || l == Yellow || l == Red }

// severity orders levels: unknown 0, green 1, yellow 2, red 3.
func (l Level) severity() int {
	switch l {
	case Green:
		return 1
	case Yellow:
		return 2
	case Red:
		return 3
	}
	return 0
}

// Worse reports whether l is more severe than m (unknown is least).
func (l Level) Worse(m Level) bool { return l.severity() > m.severity() }

// Label is the level in words.
func (l Level) Label(lang string) string {
	th := isThai(lang)
	switch l {
	case Green:
		return pick(th, "เขียว", "green")
	case Yellow:
		return pick(th, "เหลือง", "yellow")
	case Red:
		return pick(th, "แดง", "red")
	}
	return pick(th, "ยังไม่ทราบ", "unknown")
}

// Meaning says what the level asks of the reader, in plain words (the
// pilot's own definitions).
func (l Level) Meaning(lang string) string {
	th := isThai(lang)
	switch l {
	case Green:
		return pick(th, "ควรรักษาระดับไว้", "the level to keep")
	case Yellow:
		return pick(th, "อาจผิดปกติ ต้องแก้ไข", "may be a problem, needs correcting")
	case Red:
		return pick(th, "วิกฤต เป็นอันตราย ต้องช่วยทันที", "critical, act now")
	}
	return pick(th, "ยังไม่ได้ประเมิน", "not assessed yet")
}

// Subject is who an indicator is asked about.
type Subject string

const (
	Household Subject = "household"
	Child     Subject = "child"
)

// Text is a string in Thai and English.
type Text struct {
	TH string `json:"th"`
	EN string `json:"en"`
}

// In returns the text in lang ("th" or anything else for English), falling
// back to the other language when one is missing.
func (t Text) In(lang string) string {
	if isThai(lang) {
		if t.TH != "" {
			return t.TH
		}
		return t.EN
	}
	if t.EN != "" {
		return t.EN
	}
	return t.TH
}

func isThai(lang string) bool {
	l := strings.ToLower(lang)
	return l == "th" || strings.HasPrefix(l, "th-") || strings.HasPrefix(l, "th_")
}

func pick(th bool, a, b string) string {
	if th {
		return a
	}
	return b
}

// DimensionName is a dimension in words.
func DimensionName(d people.Dimension, lang string) string {
	th := isThai(lang)
	switch d {
	case people.Economy:
		return pick(th, "เศรษฐกิจ", "Economy")
	case people.Safety:
		return pick(th, "สวัสดิภาพ", "Safety")
	case people.Education:
		return pick(th, "การศึกษา", "Education")
	case people.Health:
		return pick(th, "สุขภาพ", "Health")
	}
	return string(d)
}
