package people

import (
	"time"

	"termtem/internal/thai"
)

// LifeStage is where a person is in the life course. Services change with
// it (antenatal care, child-care centre, school), and so do the flower's
// indicators; it is shown everywhere a person appears.
type LifeStage string

const (
	StageUnknown        LifeStage = ""
	StagePregnancy      LifeStage = "pregnancy"       // unborn
	StageNewborn        LifeStage = "newborn"         // under 1
	StageToddler        LifeStage = "toddler"         // 1–2
	StagePreschool      LifeStage = "preschool"       // 3–5: child-care centre, kindergarten
	StagePrimary        LifeStage = "primary"         // 6–11
	StageLowerSecondary LifeStage = "lower_secondary" // 12–14
	StageUpperSecondary LifeStage = "upper_secondary" // 15–17: upper secondary or youth
	StageYoungAdult     LifeStage = "young_adult"     // 18–24
	StageAdult          LifeStage = "adult"           // 25 and over
)

// LifeStages lists the stages in life order.
var LifeStages = []LifeStage{StagePregnancy, StageNewborn, StageToddler, StagePreschool, StagePrimary,
	StageLowerSecondary, StageUpperSecondary, StageYoungAdult, StageAdult}

// Schooling is what enrolment records say about a child, when known. It
// refines the age rule: a six-year-old still in kindergarten is pre-school.
type Schooling string

const (
	NoSchooling      Schooling = ""
	InChildcare      Schooling = "childcare"
	InPrimary        Schooling = "primary"
	InLowerSecondary Schooling = "lower_secondary"
	InUpperSecondary Schooling = "upper_secondary"
)

// AgeInMonths returns the completed months between a (possibly partial)
// birth date and on, and whether it could be computed. A year-only date is
// taken as 1 July and a year-month as the 15th: the middle, to be wrong by
// at most half the unknown span.
func AgeInMonths(birth string, on time.Time) (int, bool) {
	b, ok := birthTime(birth)
	if !ok || on.Before(b) {
		return 0, false
	}
	months := (on.Year()-b.Year())*12 + int(on.Month()) - int(b.Month())
	if on.Day() < b.Day() {
		months--
	}
	return months, true
}

// AgeInYears returns the completed years at on.
func AgeInYears(birth string, on time.Time) (int, bool) {
	m, ok := AgeInMonths(birth, on)
	return m / 12, ok
}

func birthTime(birth string) (time.Time, bool) {
	if birth == "" {
		return time.Time{}, false
	}
	p, err := thai.ParseDate(birth)
	if err != nil {
		return time.Time{}, false
	}
	month, day := p.Month, p.Day
	if month == 0 {
		month, day = 7, 1
	} else if day == 0 {
		day = 15
	}
	return time.Date(p.Year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
}

// StageAt derives the life stage at on from the birth date and, when known,
// schooling. unborn marks a pregnancy's expected child.
func StageAt(birth string, unborn bool, schooling Schooling, on time.Time) LifeStage {
	if unborn {
		return StagePregnancy
	}
	years, ok := AgeInYears(birth, on)
	if !ok {
		return StageUnknown
	}
	stage := stageForAge(years)
	// Enrolment wins over age within childhood, where children are often
	// a year ahead or behind.
	if schoolAge(years) {
		switch schooling {
		case InChildcare:
			stage = StagePreschool
		case InPrimary:
			stage = StagePrimary
		case InLowerSecondary:
			stage = StageLowerSecondary
		case InUpperSecondary:
			stage = StageUpperSecondary
		}
	}
	return stage
}

// SchoolingMatters reports whether a life stage at on can depend on
// schooling for someone born on birth (StageAt), so that callers read
// enrolments only for them: showing an adult cost a query for nothing.
func SchoolingMatters(birth string, on time.Time) bool {
	years, ok := AgeInYears(birth, on)
	return ok && schoolAge(years)
}

// schoolAge: children of 3 to 18, whose enrolment wins over their age.
func schoolAge(years int) bool { return years >= 3 && years <= 18 }

func stageForAge(years int) LifeStage {
	switch {
	case years < 1:
		return StageNewborn
	case years <= 2:
		return StageToddler
	case years <= 5:
		return StagePreschool
	case years <= 11:
		return StagePrimary
	case years <= 14:
		return StageLowerSecondary
	case years <= 17:
		return StageUpperSecondary
	case years <= 24:
		return StageYoungAdult
	}
	return StageAdult
}

// IsChild reports whether a person is under 18 at on (unknown ages count as
// children: safer for a child-protection platform).
func IsChild(birth string, on time.Time) bool {
	years, ok := AgeInYears(birth, on)
	return !ok || years < 18
}
