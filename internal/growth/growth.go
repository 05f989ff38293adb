// Package growth computes anthropometric z-scores against the WHO growth
// references: the WHO Child Growth Standards (2006) for children under five
// (weight-for-age, length/height-for-age) and the WHO Reference 2007 for
// five to nineteen years (height-for-age, weight-for-age up to ten years,
// BMI-for-age).
//
// The LMS tables are facts copied from WHO's own repositories; data/ holds
// them with their source and commit, and what was thinned. The z-score code
// is written from the published method (WHO Child Growth Standards, chapter
// 7): z = ((y/M)^L - 1) / (S·L), and for weight-based indices beyond ±3 SD
// the restricted formula, which measures the distance beyond ±3 SD in units
// of the distance between the 2nd and 3rd SD.
//
// Results are rounded to two decimals, as WHO Anthro and AnthroPlus report
// them, so that classifications (< -2, < -3) agree with WHO software.
package growth

import (
	"errors"
	"math"
	"time"
)

// Sex as the WHO tables code it.
type Sex int

const (
	Male   Sex = 1
	Female Sex = 2
)

// Index is an anthropometric indicator.
type Index string

const (
	WeightForAge Index = "weight_for_age"
	HeightForAge Index = "height_for_age" // length-for-age under two years
	BMIForAge    Index = "bmi_for_age"
)

// Position is how a child's length or height was measured.
type Position int

const (
	// PositionUnknown assumes the position WHO recommends for the age:
	// lying under 731 days, standing from 731 days.
	PositionUnknown Position = iota
	Lying
	Standing
)

// Reference names the table a score came from.
type Reference string

const (
	WHO2006 Reference = "WHO Child Growth Standards 2006"
	WHO2007 Reference = "WHO Reference 2007"
)

// Errors. They are plain values: callers translate them into their own
// (user-facing) errors.
var (
	ErrSex     = errors.New("growth: sex must be male or female")
	ErrAge     = errors.New("growth: age outside the reference")
	ErrMeasure = errors.New("growth: measurement must be a positive number")
)

// Score is one z-score.
type Score struct {
	Index     Index
	Z         float64 // rounded to 2 decimals
	Flagged   bool    // biologically implausible by WHO's flags: check the measurement
	Reference Reference
}

// DaysPerMonth is WHO's average month length, used to turn days into
// months (365.25 / 12).
const DaysPerMonth = 30.4375

// LengthHeightDifference is the difference, in cm, between recumbent
// length and standing height that WHO's standards assume.
const LengthHeightDifference = 0.7

// standingAgeDays is the age from which the standards use standing height.
const standingAgeDays = 731

// lastStandardsDay is the oldest age in days the 2006 standards cover;
// older children use the 2007 reference (ages in months from 60).
const lastStandardsDay = 1826

// AgeInDays returns the whole days from birth to on (dates at midnight UTC
// or in one zone; partial days are dropped). Negative if on is before birth.
func AgeInDays(birth, on time.Time) int {
	b := time.Date(birth.Year(), birth.Month(), birth.Day(), 0, 0, 0, 0, time.UTC)
	o := time.Date(on.Year(), on.Month(), on.Day(), 0, 0, 0, 0, time.UTC)
	return int(o.Sub(b).Hours() / 24)
}

// Z is the LMS z-score of y: ((y/m)^l - 1) / (s·l), or ln(y/m)/s when l is 0.
func Z(y, l, m, s float64) float64 {
	if l == 0 {
		return math.Log(y/m) / s
	}
	return (math.Pow(y/m, l) - 1) / (s * l)
}

// At is the measurement at z standard deviations: m·(1 + l·s·z)^(1/l),
// or m·exp(s·z) when l is 0.
func At(z, l, m, s float64) float64 {
	if l == 0 {
		return m * math.Exp(s*z)
	}
	return m * math.Pow(1+l*s*z, 1/l)
}

// ZRestricted is WHO's restricted z-score for weight-based indices: beyond
// ±3 SD the distance from the ±3 SD value is measured in units of the
// distance between the 2 and 3 SD values, which keeps extreme scores from
// being inflated by the skewed tail.
func ZRestricted(y, l, m, s float64) float64 {
	z := Z(y, l, m, s)
	switch {
	case z > 3:
		sd3 := At(3, l, m, s)
		return 3 + (y-sd3)/(sd3-At(2, l, m, s))
	case z < -3:
		sd3 := At(-3, l, m, s)
		return -3 + (y-sd3)/(At(-2, l, m, s)-sd3)
	}
	return z
}

func round2(z float64) float64 {
	return math.Round(z*100) / 100
}

func checkSex(sex Sex) error {
	if sex != Male && sex != Female {
		return ErrSex
	}
	return nil
}

func checkMeasure(v float64) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return ErrMeasure
	}
	return nil
}

// WeightForAgeZ scores a weight in kg at an age in days: the 2006
// standards up to 1826 days, the 2007 reference up to ten years (121 months
// exclusive). The restricted formula applies beyond ±3 SD.
func WeightForAgeZ(sex Sex, ageDays int, kg float64) (Score, error) {
	if err := checkSex(sex); err != nil {
		return Score{}, err
	}
	if err := checkMeasure(kg); err != nil {
		return Score{}, err
	}
	lms, ref, err := lookup(sex, ageDays, weianthro, wfawho2007, 121)
	if err != nil {
		return Score{}, err
	}
	z := round2(ZRestricted(kg, lms.l, lms.m, lms.s))
	return Score{Index: WeightForAge, Z: z, Flagged: z < -6 || z > 5, Reference: ref}, nil
}

// HeightForAgeZ scores a length or height in cm at an age in days, up to
// 19 years (229 months exclusive). A length measured lying from 731 days
// is reduced by 0.7 cm, a height measured standing before 731 days
// increased by 0.7 cm, as the standards require.
func HeightForAgeZ(sex Sex, ageDays int, cm float64, pos Position) (Score, error) {
	if err := checkSex(sex); err != nil {
		return Score{}, err
	}
	if err := checkMeasure(cm); err != nil {
		return Score{}, err
	}
	switch {
	case pos == Lying && ageDays >= standingAgeDays:
		cm -= LengthHeightDifference
	case pos == Standing && ageDays < standingAgeDays:
		cm += LengthHeightDifference
	}
	lms, ref, err := lookup(sex, ageDays, lenanthro, hfawho2007, 229)
	if err != nil {
		return Score{}, err
	}
	z := round2(Z(cm, lms.l, lms.m, lms.s))
	return Score{Index: HeightForAge, Z: z, Flagged: math.Abs(z) > 6, Reference: ref}, nil
}

// BMIForAgeZ scores the body-mass index of a weight (kg) and a standing
// height (cm) from 60 months to 19 years, with the 2007 reference. (BMI
// under five needs the 2006 BMI table, which is not shipped.)
func BMIForAgeZ(sex Sex, ageDays int, kg, cm float64) (Score, error) {
	if err := checkSex(sex); err != nil {
		return Score{}, err
	}
	if err := checkMeasure(kg); err != nil {
		return Score{}, err
	}
	if err := checkMeasure(cm); err != nil {
		return Score{}, err
	}
	if ageDays <= lastStandardsDay {
		return Score{}, ErrAge
	}
	lms, ref, err := lookup(sex, ageDays, nil, bfawho2007, 229)
	if err != nil {
		return Score{}, err
	}
	bmi := kg / math.Pow(cm/100, 2)
	z := round2(ZRestricted(bmi, lms.l, lms.m, lms.s))
	return Score{Index: BMIForAge, Z: z, Flagged: math.Abs(z) > 5, Reference: ref}, nil
}

// lookup finds the LMS values at an age: in the day table up to 1826 days,
// else in the month table at days/30.4375 months (linearly between whole
// months, as AnthroPlus does), below the month limit.
func lookup(sex Sex, ageDays int, days, months *table, monthLimit float64) (lms, Reference, error) {
	if ageDays < 0 {
		return lms{}, "", ErrAge
	}
	if ageDays <= lastStandardsDay && days != nil {
		v, ok := days.at(sex, float64(ageDays))
		if !ok {
			return lms{}, "", ErrAge
		}
		return v, WHO2006, nil
	}
	m := float64(ageDays) / DaysPerMonth
	if m >= monthLimit {
		return lms{}, "", ErrAge
	}
	v, ok := months.at(sex, m)
	if !ok {
		return lms{}, "", ErrAge
	}
	return v, WHO2007, nil
}
