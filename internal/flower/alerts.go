package flower

import (
	"time"

	"termtem/internal/errs"
	"termtem/internal/people"
)

// Severity of an alert.
type Severity string

const (
	SeverityUrgent Severity = "urgent" // a red indicator marked urgent (violence, a child left alone)
	SeverityRed    Severity = "red"    // a red dimension
	SeverityReview Severity = "review" // a dimension newly yellow: review it
)

// AlertPolicy sets the deadline of each severity. Zero fields take the
// defaults.
type AlertPolicy struct {
	Urgent time.Duration `json:"urgent"` // default 24 hours
	Red    time.Duration `json:"red"`    // default 7 days
	Review time.Duration `json:"review"` // default 30 days
}

// DefaultAlertPolicy: urgent 24 h, other red 7 days, new yellow 30 days.
var DefaultAlertPolicy = AlertPolicy{Urgent: 24 * time.Hour, Red: 7 * 24 * time.Hour, Review: 30 * 24 * time.Hour}

// maxDeadline bounds a configured deadline.
const maxDeadline = 365 * 24 * time.Hour

func (p AlertPolicy) withDefaults() AlertPolicy {
	if p.Urgent == 0 {
		p.Urgent = DefaultAlertPolicy.Urgent
	}
	if p.Red == 0 {
		p.Red = DefaultAlertPolicy.Red
	}
	if p.Review == 0 {
		p.Review = DefaultAlertPolicy.Review
	}
	return p
}

// Validate checks a configured policy: deadlines positive and at most a year.
func (p AlertPolicy) Validate() error {
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"urgent", p.Urgent}, {"red", p.Red}, {"review", p.Review}} {
		if f.d < 0 || f.d > maxDeadline {
			return errs.Field(f.name, "flower.alert_deadline", map[string]any{"Max": int(maxDeadline / (24 * time.Hour))})
		}
	}
	return nil
}

// Deadline returns the time allowed for a severity.
func (p AlertPolicy) Deadline(s Severity) time.Duration {
	p = p.withDefaults()
	switch s {
	case SeverityUrgent:
		return p.Urgent
	case SeverityRed:
		return p.Red
	}
	return p.Review
}

// Alert is an alert to open. Who receives it (the case team, else the
// district's social-welfare unit) and escalation are decided by the caller.
type Alert struct {
	// Key identifies the alert for de-duplication within a subject:
	// "urgent:SAF02", "red:safety", "review:economy", "check:HLT02".
	Key        string           `json:"key"`
	Severity   Severity         `json:"severity"`
	Subject    Subject          `json:"subject"`
	SubjectID  string           `json:"subject_id,omitempty"`
	Dimension  people.Dimension `json:"dimension"`
	Indicators []string         `json:"indicators"` // the indicators behind it
	Opened     time.Time        `json:"opened"`
	Due        time.Time        `json:"due"`
}

// Alerts decides which alerts an evaluated assessment opens, at a time:
//   - each red indicator marked urgent: urgent, due after p.Urgent;
//   - each red dimension without an urgent alert of its own: red, due after p.Red;
//   - each yellow dimension that was not yellow or red in the previous
//     assessment (or with no previous one): review, due after p.Review.
//
// It is a pure function: de-duplicating against open alerts is the caller's.
func Alerts(current Result, previous *Result, at time.Time, p AlertPolicy) []Alert {
	p = p.withDefaults()
	var out []Alert
	urgentIn := map[people.Dimension]bool{}
	for _, r := range current.Urgent {
		urgentIn[r.Dimension] = true
		out = append(out, Alert{Key: "urgent:" + r.Code, Severity: SeverityUrgent, Subject: current.Subject,
			SubjectID: current.SubjectID, Dimension: r.Dimension, Indicators: []string{r.Code}, Opened: at, Due: at.Add(p.Urgent)})
	}
	for _, d := range current.Dimensions {
		var codes []string
		for _, r := range current.Indicators {
			if r.Dimension == d.Dimension && r.Level == d.Level {
				codes = append(codes, r.Code)
			}
		}
		a := Alert{Subject: current.Subject, SubjectID: current.SubjectID, Dimension: d.Dimension, Indicators: codes, Opened: at}
		switch {
		case d.Level == Red && !urgentIn[d.Dimension]:
			a.Key, a.Severity, a.Due = "red:"+string(d.Dimension), SeverityRed, at.Add(p.Red)
		case d.Level == Yellow && (previous == nil || !previous.Dimension(d.Dimension).Level.Worse(Green)):
			a.Key, a.Severity, a.Due = "review:"+string(d.Dimension), SeverityReview, at.Add(p.Review)
		default:
			continue
		}
		out = append(out, a)
	}
	return out
}

// CheckAlerts is the scheduled check: derived vaccination and DSPM
// indicators that are not green (a dose overdue by more than 30 days, a
// screening missed for the age band, a delay) open an alert even without
// an assessment: red ones due after p.Red, yellow ones after p.Review.
func CheckAlerts(in *Instrument, subject SubjectFacts, derived map[string]DerivedValue, at time.Time, p AlertPolicy) []Alert {
	p = p.withDefaults()
	var out []Alert
	for _, ind := range in.Indicators {
		if ind.Answer.Kind != Derived || !ind.Applies(subject) {
			continue
		}
		if src := ind.Answer.Derived.From; src != FromVaccinations && src != FromDSPM {
			continue
		}
		dv, ok := derived[ind.Code]
		if !ok {
			continue
		}
		o := ind.Answer.Option(dv.Option)
		if o == nil || o.Level == Green {
			continue
		}
		a := Alert{Key: "check:" + ind.Code, Severity: SeverityReview, Subject: subject.Subject, SubjectID: subject.ID,
			Dimension: ind.Dimension, Indicators: []string{ind.Code}, Opened: at, Due: at.Add(p.Review)}
		if o.Level == Red {
			a.Severity, a.Due = SeverityRed, at.Add(p.Red)
		}
		out = append(out, a)
	}
	return out
}
