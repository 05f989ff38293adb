package growth

import (
	"errors"
	"math"
	"testing"
	"time"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestTablesLoad(t *testing.T) {
	for _, tc := range []struct {
		t          *table
		first, end float64
		rows       int // per sex
	}{
		{weianthro, 0, 1826, 181},
		{lenanthro, 0, 1826, 181},
		{hfawho2007, 60, 229, 170},
		{wfawho2007, 60, 121, 62},
		{bfawho2007, 60, 229, 170},
	} {
		for _, sex := range []Sex{Male, Female} {
			rs := tc.t.rows[sex]
			if len(rs) != tc.rows || rs[0].age != tc.first || rs[len(rs)-1].age != tc.end {
				t.Errorf("%s sex %d: %d rows %v..%v", tc.t.name, sex, len(rs), rs[0].age, rs[len(rs)-1].age)
			}
		}
	}
}

// TestTablesSmooth guards the transcription: every kept row must lie close
// to the line between its neighbours (a mistyped digit would not).
func TestTablesSmooth(t *testing.T) {
	for _, tb := range []*table{weianthro, lenanthro, hfawho2007, wfawho2007, bfawho2007} {
		for _, sex := range []Sex{Male, Female} {
			rs := tb.rows[sex]
			for i := 1; i+1 < len(rs); i++ {
				a, b, c := rs[i-1], rs[i], rs[i+1]
				if a.age < 2 || (a.age <= 730 && c.age >= 731 && tb == lenanthro) || c.lms == b.lms {
					continue // the weight dip after birth; the length/height step; WHO's repeated last row
				}
				f := (b.age - a.age) / (c.age - a.age)
				if d := math.Abs(a.m + f*(c.m-a.m) - b.m); d > 0.004*b.m {
					t.Errorf("%s sex %d age %v: m %v off its neighbours by %v", tb.name, sex, b.age, b.m, d)
				}
				if d := math.Abs(a.s + f*(c.s-a.s) - b.s); d > 0.0004 {
					t.Errorf("%s sex %d age %v: s %v off its neighbours by %v", tb.name, sex, b.age, b.s, d)
				}
				if d := math.Abs(a.l + f*(c.l-a.l) - b.l); d > 0.004 {
					t.Errorf("%s sex %d age %v: l %v off its neighbours by %v", tb.name, sex, b.age, b.l, d)
				}
			}
		}
	}
}

func TestZAtMedianAndSD(t *testing.T) {
	for _, tb := range []*table{weianthro, lenanthro, hfawho2007, wfawho2007, bfawho2007} {
		for _, sex := range []Sex{Male, Female} {
			for _, r := range tb.rows[sex] {
				if z := Z(r.m, r.l, r.m, r.s); !near(z, 0, 1e-12) {
					t.Fatalf("%s: z at median = %v", tb.name, z)
				}
				for _, sd := range []float64{-3, -2, -1, 1, 2, 3} {
					if z := Z(At(sd, r.l, r.m, r.s), r.l, r.m, r.s); !near(z, sd, 1e-9) {
						t.Fatalf("%s age %v: z at %v SD = %v", tb.name, r.age, sd, z)
					}
				}
			}
		}
	}
}

func TestZFormula(t *testing.T) {
	// m·(1 + l·s·2)^(1/l) is +2 SD.
	l, m, s := 0.3487, 3.3464, 0.14602
	y := m * math.Pow(1+l*s*2, 1/l)
	if z := Z(y, l, m, s); !near(z, 2, 1e-12) {
		t.Errorf("z = %v, want 2", z)
	}
	// l = 0 is the log-normal limit.
	if z := Z(m*math.Exp(0.1*1.5), 0, m, 0.1); !near(z, 1.5, 1e-12) {
		t.Errorf("z with l=0: %v", z)
	}
}

func TestZRestricted(t *testing.T) {
	l, m, s := -0.3518, 18.2179, 0.14821 // girls, 1826 days
	sd2, sd3 := At(2, l, m, s), At(3, l, m, s)
	y := sd3 + 1.5*(sd3-sd2) // 1.5 "tail units" above +3 SD
	if z := ZRestricted(y, l, m, s); !near(z, 4.5, 1e-12) {
		t.Errorf("restricted z above = %v, want 4.5", z)
	}
	n2, n3 := At(-2, l, m, s), At(-3, l, m, s)
	y = n3 - 0.5*(n2-n3)
	if z := ZRestricted(y, l, m, s); !near(z, -3.5, 1e-12) {
		t.Errorf("restricted z below = %v, want -3.5", z)
	}
	// Within ±3 SD it is the plain formula.
	y = At(1.2, l, m, s)
	if z := ZRestricted(y, l, m, s); !near(z, 1.2, 1e-12) {
		t.Errorf("restricted z inside = %v", z)
	}
}

// Published examples from WHO's own test suites (anthro, anthroplus).
func TestWHOExamples(t *testing.T) {
	// anthro tests/testthat/test-zscore-weight-for-age.R: 17 kg, 1522 days, girl -> 0.24.
	sc, err := WeightForAgeZ(Female, 1522, 17)
	if err != nil || sc.Z != 0.24 || sc.Reference != WHO2006 {
		t.Errorf("weight-for-age 17 kg at 1522 d: %+v %v", sc, err)
	}
	// anthro tests/testthat/test-zscore-length-for-age.R: 50 cm, 44 days, boy.
	want := math.Round((50/56.4833-1)/0.03492*100) / 100
	sc, err = HeightForAgeZ(Male, 44, 50, Lying)
	if err != nil || sc.Z != want {
		t.Errorf("length-for-age 50 cm at 44 d: %+v %v, want %v", sc, err, want)
	}
	// anthroplus tests/testthat/test-zscores.R, girls at fractional months,
	// three decimals: (60.32 m, 113.8 cm, 18.7 kg) and (60.911701 m, 113.6 cm, 20.5 kg).
	for _, tc := range []struct {
		months, cm, kg float64
		hfa, wfa, bmiZ float64
	}{
		{60.32, 113.8, 18.7, 0.959, 0.212, -0.575},
		{60.911701, 113.6, 20.5, 0.848, 0.795, 0.418},
	} {
		r3 := func(z float64) float64 { return math.Round(z*1000) / 1000 }
		h, _ := hfawho2007.at(Female, tc.months)
		w, _ := wfawho2007.at(Female, tc.months)
		b, _ := bfawho2007.at(Female, tc.months)
		bmi := tc.kg / math.Pow(tc.cm/100, 2)
		if got := r3(Z(tc.cm, h.l, h.m, h.s)); got != tc.hfa {
			t.Errorf("hfa at %v m = %v, want %v", tc.months, got, tc.hfa)
		}
		if got := r3(ZRestricted(tc.kg, w.l, w.m, w.s)); got != tc.wfa {
			t.Errorf("wfa at %v m = %v, want %v", tc.months, got, tc.wfa)
		}
		if got := r3(ZRestricted(bmi, b.l, b.m, b.s)); got != tc.bmiZ {
			t.Errorf("bfa at %v m = %v, want %v", tc.months, got, tc.bmiZ)
		}
	}
}

// TestThinnedInterpolation checks interpolation at days that were left out
// of the thinned tables against the exact WHO rows for those days.
func TestThinnedInterpolation(t *testing.T) {
	for _, tc := range []struct {
		tb      *table
		sex     Sex
		day     float64
		l, m, s float64
	}{
		{weianthro, Male, 100, 0.1682, 6.5699, 0.11588},
		{weianthro, Male, 200, 0.1185, 8.1475, 0.1092},
		{weianthro, Male, 500, 0.0314, 10.6125, 0.11057},
		{weianthro, Male, 1000, -0.0558, 13.8057, 0.11945},
		{weianthro, Female, 100, 0.0264, 6.0229, 0.12545},
		{weianthro, Female, 1000, -0.3153, 13.256, 0.12729},
		{lenanthro, Male, 100, 1, 62.1826, 0.03306},
		{lenanthro, Male, 500, 1, 80.6578, 0.03234},
		{lenanthro, Male, 1000, 1, 93.9706, 0.03783},
		{lenanthro, Female, 1000, 1, 92.8178, 0.03949},
	} {
		got, ok := tc.tb.at(tc.sex, tc.day)
		if !ok {
			t.Fatalf("%s day %v: no value", tc.tb.name, tc.day)
		}
		// The same measurement scored with exact and interpolated LMS.
		for _, sd := range []float64{-3, -2, 0, 2} {
			y := At(sd, tc.l, tc.m, tc.s)
			if z := Z(y, got.l, got.m, got.s); !near(z, sd, 0.02) {
				t.Errorf("%s sex %d day %v: %v SD scores %v", tc.tb.name, tc.sex, tc.day, sd, z)
			}
		}
	}
}

func TestLengthHeightSwitch(t *testing.T) {
	for _, tc := range []struct {
		day int
		cm  float64
		pos Position
	}{
		{730, 87.8018, Lying},
		{730, 87.8018, PositionUnknown},
		{730, 87.1018, Standing}, // +0.7
		{731, 87.1303, Standing},
		{731, 87.1303, PositionUnknown},
		{731, 87.8303, Lying}, // -0.7
	} {
		sc, err := HeightForAgeZ(Male, tc.day, tc.cm, tc.pos)
		if err != nil || sc.Z != 0 {
			t.Errorf("day %d %v cm pos %d: %+v %v", tc.day, tc.cm, tc.pos, sc, err)
		}
	}
}

func TestReferencesByAge(t *testing.T) {
	sc, err := HeightForAgeZ(Female, 1826, 109.4189, Standing)
	if err != nil || sc.Z != 0 || sc.Reference != WHO2006 {
		t.Errorf("1826 d: %+v %v", sc, err)
	}
	// 10 years exactly: 120 months = 3652.5 days; day 3653 is month 120.016.
	sc, err = HeightForAgeZ(Male, 3653, 137.7795, Standing)
	if err != nil || math.Abs(sc.Z) > 0.01 || sc.Reference != WHO2007 {
		t.Errorf("10 y: %+v %v", sc, err)
	}
	sc, err = BMIForAgeZ(Female, 3653, 16.6133*1.2*1.2, 120)
	if err != nil || math.Abs(sc.Z) > 0.01 {
		t.Errorf("BMI 10 y: %+v %v", sc, err)
	}
	sc, err = WeightForAgeZ(Male, 2000, 20)
	if err != nil || sc.Reference != WHO2007 {
		t.Errorf("weight 2000 d: %+v %v", sc, err)
	}
}

func TestErrors(t *testing.T) {
	for name, err := range map[string]error{
		"negative age":     second(WeightForAgeZ(Male, -1, 3)),
		"weight over 10 y": second(WeightForAgeZ(Male, 3684, 30)), // 121.03 months
		"height over 19 y": second(HeightForAgeZ(Male, 6971, 170, Standing)),
		"bmi under 5":      second(BMIForAgeZ(Male, 1000, 14, 95)),
	} {
		if !errors.Is(err, ErrAge) {
			t.Errorf("%s: %v, want ErrAge", name, err)
		}
	}
	if _, err := WeightForAgeZ(0, 100, 5); !errors.Is(err, ErrSex) {
		t.Errorf("sex 0: %v", err)
	}
	for _, v := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := WeightForAgeZ(Male, 100, v); !errors.Is(err, ErrMeasure) {
			t.Errorf("weight %v: %v", v, err)
		}
	}
	if _, err := HeightForAgeZ(Male, 6960, 170, Standing); err != nil { // 228.67 months
		t.Errorf("height in the last month: %v", err)
	}
}

func second(_ Score, err error) error { return err }

func TestFlags(t *testing.T) {
	sc, err := WeightForAgeZ(Male, 365, 30) // implausible
	if err != nil || !sc.Flagged || sc.Z <= 5 {
		t.Errorf("30 kg at 1 y: %+v %v", sc, err)
	}
	sc, _ = WeightForAgeZ(Male, 365, 9.6)
	if sc.Flagged {
		t.Errorf("9.6 kg at 1 y flagged: %+v", sc)
	}
}

func TestAgeInDays(t *testing.T) {
	b := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	if d := AgeInDays(b, time.Date(2025, 3, 1, 15, 0, 0, 0, time.UTC)); d != 366 {
		t.Errorf("days = %d", d)
	}
	if d := AgeInDays(b, b.AddDate(0, 0, -1)); d != -1 {
		t.Errorf("before birth = %d", d)
	}
}
