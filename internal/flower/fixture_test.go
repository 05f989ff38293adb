package flower

import (
	"strings"
	"testing"
	"time"

	"termtem/internal/people"
)

// baseFile is a small valid instrument; tests mutate it. "EXTRA" marks
// where a test may add indicators.
const baseFile = `{
  "code": "test",
  "version": 1,
  "title": {"th": "ทดสอบ", "en": "Test"},
  "published_at": "2026-01-01",
  "dimensions": [
    {"dimension": "economy", "rule": {"kind": "worst"}, "letter": {"th": "ศก", "en": "E"}},
    {"dimension": "safety", "rule": {"kind": "worst"}, "letter": {"th": "สว", "en": "S"}},
    {"dimension": "education", "rule": {"kind": "worst_of_answered", "min_answered": 1}, "letter": {"th": "กศ", "en": "L"}},
    {"dimension": "health", "rule": {"kind": "worst"}, "letter": {"th": "สข", "en": "H"}}
  ],
  "references": [
    {"code": "line", "label": {"th": "เส้น", "en": "Line"}, "unit": "baht", "source": "NESDC",
     "values": [{"from": "2020-01-01", "value": 1000}, {"from": "2024-01-01", "value": 2000}]}
  ],
  "indicators": [
    {"code": "ECO01", "dimension": "economy", "subject": "household",
     "title": {"th": "รายได้", "en": "Income"}, "question": {"th": "รายได้ต่อคน", "en": "Income per person"},
     "family_facing": true,
     "answer": {"kind": "number", "number": {"unit": "baht", "unit_label": {"th": "บาท", "en": "baht"},
       "min": 0, "max": 100000, "direction": "higher_better", "reference": "line", "thresholds": [
       {"below": 1, "level": "red", "source": "NESDC"},
       {"from": 1, "below": 1.2, "level": "yellow", "source": "prop"},
       {"from": 1.2, "level": "green", "source": "prop"}]}},
     "source": "NESDC"},
    {"code": "SAF02", "dimension": "safety", "subject": "child", "applies_to": {"min_months": 12, "max_months": 179},
     "title": {"th": "ลงโทษรุนแรง", "en": "Violent discipline"}, "question": {"th": "ตีไหม", "en": "Hit?"},
     "answer": {"kind": "choice", "options": [
       {"code": "none", "label": {"th": "ไม่มี", "en": "none"}, "level": "green"},
       {"code": "mild", "label": {"th": "เล็กน้อย", "en": "mild"}, "level": "yellow"},
       {"code": "severe", "label": {"th": "รุนแรง", "en": "severe"}, "level": "red", "urgent": true}]},
     "source": "MICS"},
    {"code": "SAF03", "dimension": "safety", "subject": "child", "applies_to": {"max_months": 59},
     "title": {"th": "ปล่อยลำพัง", "en": "Left alone"}, "question": {"th": "ปล่อยไหม", "en": "Left alone?"},
     "answer": {"kind": "choice", "options": [
       {"code": "never", "label": {"th": "ไม่เคย", "en": "never"}, "level": "green"},
       {"code": "alone", "label": {"th": "เคย", "en": "yes"}, "level": "red", "urgent": true}]},
     "source": "MICS"},
    {"code": "EDU03", "dimension": "education", "subject": "child", "applies_to": {"min_months": 72, "max_months": 215},
     "title": {"th": "เวลาเรียน", "en": "Attendance"}, "question": {"th": "มาเรียนกี่ %", "en": "Attendance %"},
     "answer": {"kind": "derived", "derived": {"from": "attendance"},
       "number": {"unit": "percent", "unit_label": {"th": "%", "en": "%"}, "min": 0, "max": 100, "integer": true,
       "direction": "higher_better", "thresholds": [
       {"below": 80, "level": "red", "source": "80 % rule"},
       {"from": 80, "below": 90, "level": "yellow", "source": "prop"},
       {"from": 90, "level": "green", "source": "prop"}]}},
     "source": "MoE"},
    {"code": "HLT02", "dimension": "health", "subject": "child", "applies_to": {"max_months": 155},
     "title": {"th": "วัคซีน", "en": "Vaccines"}, "question": {"th": "วัคซีนครบไหม", "en": "Vaccines up to date?"},
     "answer": {"kind": "derived", "derived": {"from": "epi_vaccines"}, "options": [
       {"code": "up_to_date", "label": {"th": "ครบ", "en": "up to date"}, "level": "green"},
       {"code": "one_overdue", "label": {"th": "ค้าง 1", "en": "one overdue"}, "level": "yellow"},
       {"code": "overdue_2plus", "label": {"th": "ค้าง 2+", "en": "two or more"}, "level": "red"}]},
     "source": "EPI"},
    {"code": "HLT03", "dimension": "health", "subject": "child", "applies_to": {"max_months": 120},
     "title": {"th": "น้ำหนัก", "en": "Weight"}, "question": {"th": "น้ำหนักตามอายุ", "en": "Weight-for-age"},
     "answer": {"kind": "derived", "derived": {"from": "weight_for_age"},
       "number": {"unit": "z", "unit_label": {"th": "z", "en": "z"}, "min": -8, "max": 8,
       "direction": "higher_better", "thresholds": [
       {"below": -3, "level": "red", "source": "WHO"},
       {"from": -3, "below": -2, "level": "yellow", "source": "WHO"},
       {"from": -2, "level": "green", "source": "WHO"}]}},
     "source": "WHO"},
    {"code": "HLT99", "dimension": "health", "subject": "child", "applies_to": {"max_months": 120},
     "title": {"th": "รวม", "en": "Combined"}, "question": {"th": "รวม", "en": "Combined"},
     "answer": {"kind": "derived", "derived": {"from": "worst_of", "indicators": ["HLT02", "HLT03"]}, "options": [
       {"code": "green", "label": {"th": "เขียว", "en": "green"}, "level": "green"},
       {"code": "yellow", "label": {"th": "เหลือง", "en": "yellow"}, "level": "yellow"},
       {"code": "red", "label": {"th": "แดง", "en": "red"}, "level": "red"}]},
     "source": "prop"}EXTRA
  ]
}`

func baseText() string { return strings.Replace(baseFile, "EXTRA", "", 1) }

func mustParse(t testing.TB, text string) *Instrument {
	t.Helper()
	in, err := Parse([]byte(text))
	if err != nil {
		for _, p := range Problems(err) {
			t.Log(p.Field, p.MessageID, p.Line, p.Data)
		}
		t.Fatalf("parse: %v", err)
	}
	return in
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func f64(x float64) *float64 { return &x }

// child returns facts about a child born on birth, assessed on on.
func child(birth, on string) SubjectFacts {
	return SubjectFacts{Subject: Child, ID: "c1", BirthDate: birth, Sex: people.Female, Nationality: people.Thai, On: day(on)}
}

func household(on string, childBirths ...string) SubjectFacts {
	return SubjectFacts{Subject: Household, ID: "h1", ChildBirthDates: childBirths, On: day(on)}
}
