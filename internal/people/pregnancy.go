package people

import (
	"strings"
	"time"

	"termtem/internal/errs"
	"termtem/internal/thai"
)

// Pregnancy is an unborn child, linked to the mother, with the expected date
// of delivery. At birth it becomes a person (FromPregnancyID) and keeps its
// antenatal history on the child's timeline.
type Pregnancy struct {
	ID           string
	MotherID     string
	ExpectedDate string // C.E. date
	Status       PregnancyStatus
	ChildID      string // set at birth
	Version      int
	CreatedAt    time.Time
}

// PregnancyStatus is where a pregnancy stands.
type PregnancyStatus string

const (
	Ongoing PregnancyStatus = "ongoing"
	Born    PregnancyStatus = "born"
	Ended   PregnancyStatus = "ended" // miscarriage, termination, or lost to follow-up
)

// ValidateDueDate reads an expected date of delivery: a full date from the
// last month to ten months ahead.
func ValidateDueDate(s string, now time.Time) (string, error) {
	d, err := thai.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return "", errs.Field("expected_date", "date.format", nil)
	}
	t, ok := d.Time()
	if !ok {
		return "", errs.Field("expected_date", "record.date_full", nil)
	}
	if t.Before(now.AddDate(0, -1, 0)) || t.After(now.AddDate(0, 10, 0)) {
		return "", errs.Field("expected_date", "pregnancy.due_range", nil)
	}
	return d.String(), nil
}
