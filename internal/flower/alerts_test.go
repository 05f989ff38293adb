package flower

import (
	"testing"
	"time"

	"termtem/internal/errs"
	"termtem/internal/people"
)

func keys(as []Alert) map[string]Alert {
	m := map[string]Alert{}
	for _, a := range as {
		m[a.Key] = a
	}
	return m
}

func TestAlerts(t *testing.T) {
	in := mustParse(t, baseText())
	at := time.Date(2026, 2, 1, 9, 30, 0, 0, time.UTC)
	f := child("2020-01-15", "2026-02-01")
	cur, err := Evaluate(in, f, map[string]Answer{"SAF02": {Option: "severe"}}, map[string]DerivedValue{
		"EDU03": {Number: f64(60)},       // education red
		"HLT02": {Option: "one_overdue"}, // health yellow
		"HLT03": {Number: f64(0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := keys(Alerts(cur, nil, at, AlertPolicy{}))
	if len(got) != 3 {
		t.Fatalf("alerts %+v", got)
	}
	if a := got["urgent:SAF02"]; a.Severity != SeverityUrgent || !a.Due.Equal(at.Add(24*time.Hour)) || a.Dimension != people.Safety || a.SubjectID != "c1" {
		t.Errorf("urgent %+v", a)
	}
	if _, ok := got["red:safety"]; ok {
		t.Error("red safety alert beside the urgent one")
	}
	if a := got["red:education"]; a.Severity != SeverityRed || !a.Due.Equal(at.Add(7*24*time.Hour)) || a.Indicators[0] != "EDU03" {
		t.Errorf("red %+v", a)
	}
	if a := got["review:health"]; a.Severity != SeverityReview || !a.Due.Equal(at.Add(30*24*time.Hour)) || len(a.Indicators) != 2 {
		t.Errorf("review %+v", a)
	}
	// Configured deadlines.
	p := AlertPolicy{Urgent: 2 * time.Hour, Red: 48 * time.Hour, Review: 10 * 24 * time.Hour}
	got = keys(Alerts(cur, nil, at, p))
	if !got["urgent:SAF02"].Due.Equal(at.Add(2*time.Hour)) || !got["red:education"].Due.Equal(at.Add(48*time.Hour)) ||
		!got["review:health"].Due.Equal(at.Add(240*time.Hour)) {
		t.Errorf("configured %+v", got)
	}
	// A partial policy keeps the other defaults.
	if d := (AlertPolicy{Urgent: time.Hour}).Deadline(SeverityRed); d != 7*24*time.Hour {
		t.Errorf("default red %v", d)
	}
	// Yellow that was already yellow (or red) is not new.
	prev := cur
	got = keys(Alerts(cur, &prev, at, AlertPolicy{}))
	if _, ok := got["review:health"]; ok {
		t.Error("review for a dimension already yellow")
	}
	if _, ok := got["red:education"]; !ok {
		t.Error("a red dimension alerts every time")
	}
	// Yellow after green or unknown is new.
	prevGreen, _ := Evaluate(in, f, nil, map[string]DerivedValue{"HLT02": {Option: "up_to_date"}, "HLT03": {Number: f64(0)}})
	if _, ok := keys(Alerts(cur, &prevGreen, at, AlertPolicy{}))["review:health"]; !ok {
		t.Error("no review after green")
	}
	// Nothing wrong, nothing opened.
	if as := Alerts(prevGreen, nil, at, AlertPolicy{}); len(as) != 0 {
		t.Errorf("alerts for green %+v", as)
	}
}

func TestAlertPolicyValidate(t *testing.T) {
	if err := DefaultAlertPolicy.Validate(); err != nil {
		t.Error(err)
	}
	if err := (AlertPolicy{}).Validate(); err != nil {
		t.Error(err)
	}
	err := AlertPolicy{Red: -time.Hour}.Validate()
	if e := errs.As(err); e.Field != "red" || e.MessageID != "flower.alert_deadline" {
		t.Errorf("negative: %v", err)
	}
	if err := (AlertPolicy{Review: 400 * 24 * time.Hour}).Validate(); err == nil {
		t.Error("400 days accepted")
	}
}

func TestCheckAlerts(t *testing.T) {
	in := Default()
	f := child(born, "2025-08-20")
	at := day("2025-08-20")
	d := Derive(in, f, allDosesUpTo(12), at) // 18-month doses overdue, DSPM 9 and 18 missed
	got := keys(CheckAlerts(in, f, d, at, AlertPolicy{}))
	if a := got["check:HLT02"]; a.Severity != SeverityRed || !a.Due.Equal(at.Add(7*24*time.Hour)) {
		t.Errorf("vaccines %+v", a)
	}
	if a := got["check:EDU06"]; a.Severity != SeverityRed {
		t.Errorf("dspm %+v", a)
	}
	// One overdue dose: a review.
	d = Derive(in, f, without(append(allDosesUpTo(12), vacc("b1", "2025-07-12", "DTP", 4), vacc("b2", "2025-07-12", "OPV", 4),
		vacc("b3", "2025-07-12", "MMR", 2)), "vJE-1"), at)
	if a := keys(CheckAlerts(in, f, d, at, AlertPolicy{}))["check:HLT02"]; a.Severity != SeverityReview {
		t.Errorf("one overdue %+v", a)
	}
	// Up to date: no alert.
	d = Derive(in, f, append(allDosesUpTo(12), vacc("b1", "2025-07-12", "DTP", 4), vacc("b2", "2025-07-12", "OPV", 4),
		vacc("b3", "2025-07-12", "MMR", 2), screening("s2", "2025-07-15", 18, people.DSPMPass, "")), at)
	if as := CheckAlerts(in, f, d, at, AlertPolicy{}); len(as) != 0 {
		t.Errorf("alerts %+v", as)
	}
}
