package thai

import (
	"errors"
	"testing"
	"time"
)

func TestFormatDate(t *testing.T) {
	tests := []struct {
		t          time.Time
		lang       string
		short, lng string
	}{
		{time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC), "th", "12 ม.ค. 2569", "12 มกราคม พ.ศ. 2569"},
		{time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC), "en", "12 Jan 2026", "12 January 2026"},
		{time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "th", "29 ก.พ. 2567", "29 กุมภาพันธ์ พ.ศ. 2567"},
		{time.Date(2025, 12, 5, 0, 0, 0, 0, time.UTC), "th-TH", "5 ธ.ค. 2568", "5 ธันวาคม พ.ศ. 2568"},
		{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), "th", "1 มี.ค. 2568", "1 มีนาคม พ.ศ. 2568"},
		{time.Date(2025, 4, 13, 0, 0, 0, 0, time.UTC), "th", "13 เม.ย. 2568", "13 เมษายน พ.ศ. 2568"},
		{time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC), "", "2 May 2025", "2 May 2025"},
		{time.Date(2025, 9, 30, 0, 0, 0, 0, time.UTC), "fr", "30 Sep 2025", "30 September 2025"},
	}
	for _, tc := range tests {
		if got := FormatDate(tc.t, tc.lang); got != tc.short {
			t.Errorf("FormatDate(%v, %q) = %q, want %q", tc.t, tc.lang, got, tc.short)
		}
		if got := FormatDateLong(tc.t, tc.lang); got != tc.lng {
			t.Errorf("FormatDateLong(%v, %q) = %q, want %q", tc.t, tc.lang, got, tc.lng)
		}
	}
}

func TestAllThaiMonths(t *testing.T) {
	short := []string{"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."}
	for m := 1; m <= 12; m++ {
		d := time.Date(2026, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		want := "1 " + short[m-1] + " 2569"
		if got := FormatDate(d, "th"); got != want {
			t.Errorf("month %d: got %q, want %q", m, got, want)
		}
		for _, s := range []string{FormatDate(d, "th"), FormatDateLong(d, "th"), FormatDate(d, "en"), FormatDateLong(d, "en")} {
			p, err := ParseDate(s)
			if err != nil || p != (PartialDate{2026, m, 1}) {
				t.Errorf("ParseDate(%q) = %v, %v", s, p, err)
			}
		}
	}
}

func TestFormatDateTime(t *testing.T) {
	instant := time.Date(2026, 1, 12, 7, 5, 0, 0, time.UTC) // 14:05 in Bangkok
	if got, want := FormatDateTime(instant, "th", Bangkok()), "12 ม.ค. 2569 14:05 น."; got != want {
		t.Errorf("th: got %q, want %q", got, want)
	}
	if got, want := FormatDateTime(instant, "en", Bangkok()), "12 Jan 2026 14:05"; got != want {
		t.Errorf("en: got %q, want %q", got, want)
	}
	if got, want := FormatDateTime(instant, "th", nil), "12 ม.ค. 2569 14:05 น."; got != want {
		t.Errorf("nil loc: got %q, want %q", got, want)
	}
	// Crossing midnight: 20:30 UTC on 31 Dec is already New Year in Bangkok.
	late := time.Date(2025, 12, 31, 20, 30, 0, 0, time.UTC)
	if got, want := FormatDateTime(late, "th", Bangkok()), "1 ม.ค. 2569 03:30 น."; got != want {
		t.Errorf("midnight: got %q, want %q", got, want)
	}
	if got, want := FormatDateTime(instant, "en", time.UTC), "12 Jan 2026 07:05"; got != want {
		t.Errorf("UTC: got %q, want %q", got, want)
	}
}

func TestBangkok(t *testing.T) {
	loc := Bangkok()
	if loc == nil {
		t.Fatal("nil location")
	}
	_, off := time.Date(2026, 6, 1, 0, 0, 0, 0, loc).Zone()
	if off != 7*3600 {
		t.Errorf("offset = %d, want %d", off, 7*3600)
	}
	if Bangkok() != loc {
		t.Error("Bangkok() should return the cached location")
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want PartialDate
	}{
		{"12/01/2569", PartialDate{2026, 1, 12}},
		{"12/1/2569", PartialDate{2026, 1, 12}},
		{"2569-01-12", PartialDate{2026, 1, 12}},
		{"2026-01-12", PartialDate{2026, 1, 12}},
		{"2026-1-2", PartialDate{2026, 1, 2}},
		{"01/2569", PartialDate{2026, 1, 0}},
		{"1/2569", PartialDate{2026, 1, 0}},
		{"2026-01", PartialDate{2026, 1, 0}},
		{"2569", PartialDate{2026, 0, 0}},
		{"2026", PartialDate{2026, 0, 0}},
		{"20260112", PartialDate{2026, 1, 12}},
		{"25690112", PartialDate{2026, 1, 12}},
		{"00/00/2569", PartialDate{2026, 0, 0}},
		{"00/01/2569", PartialDate{2026, 1, 0}},
		{"12.01.2569", PartialDate{2026, 1, 12}},
		{"  12/01/2569\n", PartialDate{2026, 1, 12}},
		{"12 ม.ค. 2569", PartialDate{2026, 1, 12}},
		{"12 มค 2569", PartialDate{2026, 1, 12}},
		{"12 มกราคม 2569", PartialDate{2026, 1, 12}},
		{"12 มกราคม พ.ศ. 2569", PartialDate{2026, 1, 12}},
		{"12 มกราคม พ.ศ.2569", PartialDate{2026, 1, 12}},
		{"12มกราคมพ.ศ.2569", PartialDate{2026, 1, 12}},
		{"12 มกรา 2569", PartialDate{2026, 1, 12}},
		{"12 ม.ค. ค.ศ. 2026", PartialDate{2026, 1, 12}},
		{"ม.ค. 2569", PartialDate{2026, 1, 0}},
		{"ธันวาคม 2568", PartialDate{2025, 12, 0}},
		{"พ.ศ. 2569", PartialDate{2026, 0, 0}},
		{"12 Jan 2026", PartialDate{2026, 1, 12}},
		{"12-Jan-2026", PartialDate{2026, 1, 12}},
		{"12 JANUARY 2026", PartialDate{2026, 1, 12}},
		{"Jan 2026", PartialDate{2026, 1, 0}},
		{"12 Jan 2569", PartialDate{2026, 1, 12}},
		// Thai digits.
		{"๑๒/๐๑/๒๕๖๙", PartialDate{2026, 1, 12}},
		{"๑๒ ม.ค. ๒๕๖๙", PartialDate{2026, 1, 12}},
		{"๒๕๖๙", PartialDate{2026, 0, 0}},
		// Leap days follow the C.E. calendar after conversion.
		{"29/02/2567", PartialDate{2024, 2, 29}},
		{"29/02/2024", PartialDate{2024, 2, 29}},
		{"29 ก.พ. 2543", PartialDate{2000, 2, 29}},
		// Year 2400 boundary: 2399 is C.E., 2400 is B.E.
		{"2399", PartialDate{2399, 0, 0}},
		{"2400", PartialDate{1857, 0, 0}},
		{"01/01/2400", PartialDate{1857, 1, 1}},
		{"2942", PartialDate{2399, 0, 0}},
		{"1857", PartialDate{1857, 0, 0}},
		{"31/12/2568", PartialDate{2025, 12, 31}},
		{"30/04/2569", PartialDate{2026, 4, 30}},
		// Zero-width space from pasted Thai text.
		{"12\u200bม.ค.\u200b2569", PartialDate{2026, 1, 12}},
	}
	for _, tc := range tests {
		got, err := ParseDate(tc.in)
		if err != nil {
			t.Errorf("ParseDate(%q): unexpected error %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseDate(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"", ReasonEmpty},
		{"   ", ReasonEmpty},
		{"31/02/2569", ReasonDay},
		{"29/02/2566", ReasonDay},
		{"29/02/2023", ReasonDay},
		{"29/02/2100", ReasonDay}, // century, not a leap year
		{"31/04/2569", ReasonDay},
		{"32/01/2569", ReasonDay},
		{"00 ม.ค. 2569", ReasonDay},
		{"12/13/2569", ReasonMonth},
		{"12/00/2569", ReasonMonth},
		{"13/2569", ReasonMonth},
		{"2026-13", ReasonMonth},
		{"12 Foo 2569", ReasonMonth},
		{"0999", ReasonYear},
		{"1000", ReasonYear}, // B.E. 1543 would read back as C.E.
		{"1856", ReasonYear},
		{"2943", ReasonYear}, // B.E. 2943 = C.E. 2400, which would read back as B.E.
		{"9999", ReasonYear},
		{"12 ม.ค. พ.ศ. 2026", ReasonYear},
		{"12 ม.ค. ค.ศ. 2569", ReasonYear},
		{"12 ม.ค. 69", ReasonYear},
		{"12/01/69", ReasonFormat},
		{"12/01", ReasonFormat},
		{"12", ReasonFormat},
		{"123456", ReasonFormat},
		{"1/2/3/2569", ReasonFormat},
		{"12 2569", ReasonFormat},
		{"12 ม.ค.", ReasonFormat},
		{"ม.ค.", ReasonFormat},
		{"hello", ReasonFormat},
		{"12 พ.ศ. 2569", ReasonFormat},
		{"2569 ม.ค.", ReasonFormat},
		{"12 ม.ค. 2569 extra", ReasonFormat},
		{"---", ReasonFormat},
	}
	for _, tc := range tests {
		p, err := ParseDate(tc.in)
		var de *DateError
		if !errors.As(err, &de) {
			t.Errorf("ParseDate(%q) = %+v, %v; want *DateError %q", tc.in, p, err, tc.reason)
			continue
		}
		if de.Reason != tc.reason || de.Input != tc.in {
			t.Errorf("ParseDate(%q): reason %q input %q, want reason %q", tc.in, de.Reason, de.Input, tc.reason)
		}
		if p != (PartialDate{}) {
			t.Errorf("ParseDate(%q) returned non-zero %+v with error", tc.in, p)
		}
	}
}

func TestPartialDateMethods(t *testing.T) {
	tests := []struct {
		p           PartialDate
		str, th, en string
		complete    bool
	}{
		{PartialDate{2026, 1, 12}, "2026-01-12", "12 ม.ค. 2569", "12 Jan 2026", true},
		{PartialDate{2026, 1, 0}, "2026-01", "ม.ค. 2569", "Jan 2026", false},
		{PartialDate{2026, 0, 0}, "2026", "2569", "2026", false},
		{PartialDate{2024, 2, 29}, "2024-02-29", "29 ก.พ. 2567", "29 Feb 2024", true},
		{PartialDate{}, "", "", "", false},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.str {
			t.Errorf("%+v.String() = %q, want %q", tc.p, got, tc.str)
		}
		if got := tc.p.Format("th"); got != tc.th {
			t.Errorf("%+v.Format(th) = %q, want %q", tc.p, got, tc.th)
		}
		if got := tc.p.Format("en"); got != tc.en {
			t.Errorf("%+v.Format(en) = %q, want %q", tc.p, got, tc.en)
		}
		tm, ok := tc.p.Time()
		if ok != tc.complete {
			t.Errorf("%+v.Time() ok = %v, want %v", tc.p, ok, tc.complete)
		}
		if ok {
			want := time.Date(tc.p.Year, time.Month(tc.p.Month), tc.p.Day, 0, 0, 0, 0, time.UTC)
			if !tm.Equal(want) || tm.Location() != time.UTC {
				t.Errorf("%+v.Time() = %v, want %v", tc.p, tm, want)
			}
		}
	}
	// A hand-built impossible date must not become a real time.
	if _, ok := (PartialDate{2023, 2, 29}).Time(); ok {
		t.Error("Time() accepted 2023-02-29")
	}
}

func TestDateErrorMessage(t *testing.T) {
	_, err := ParseDate("31/02/2569")
	if err == nil || err.Error() != `thai: invalid date "31/02/2569": day` {
		t.Errorf("error = %v", err)
	}
}

var knownDateReasons = map[string]bool{
	ReasonEmpty: true, ReasonFormat: true, ReasonMonth: true, ReasonDay: true, ReasonYear: true,
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"12/01/2569", "12/1/2569", "2569-01-12", "2026-01-12", "01/2569", "2569",
		"12 ม.ค. 2569", "12 มกราคม 2569", "12 มกราคม พ.ศ. 2569", "๑๒/๐๑/๒๕๖๙",
		"29/02/2567", "29/02/2566", "2400", "2399", "00/00/2569", "20260112",
		"12 Jan 2026", "พ.ศ. 2569", "12มกราคมพ.ศ.2569", "31/02/2569", "", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseDate(s)
		if err != nil {
			var de *DateError
			if !errors.As(err, &de) || !knownDateReasons[de.Reason] || de.Input != s {
				t.Fatalf("ParseDate(%q): bad error %#v", s, err)
			}
			return
		}
		if p.Year < minYear || p.Year >= beThreshold || p.Month < 0 || p.Month > 12 ||
			p.Day < 0 || (p.Month == 0 && p.Day != 0) {
			t.Fatalf("ParseDate(%q) = %+v: out of range", s, p)
		}
		// Every rendering must read back to the same value.
		for _, r := range []string{p.String(), p.Format("th"), p.Format("en")} {
			q, err := ParseDate(r)
			if err != nil || q != p {
				t.Fatalf("ParseDate(%q) = %+v; re-parse of %q = %+v, %v", s, p, r, q, err)
			}
		}
		tm, ok := p.Time()
		if ok != (p.Day != 0) {
			t.Fatalf("%+v.Time() ok = %v", p, ok)
		}
		if ok {
			for _, lang := range []string{"th", "en"} {
				if q, err := ParseDate(FormatDate(tm, lang)); err != nil || q != p {
					t.Fatalf("FormatDate round trip of %+v (%s): %+v, %v", p, lang, q, err)
				}
				if q, err := ParseDate(FormatDateLong(tm, lang)); err != nil || q != p {
					t.Fatalf("FormatDateLong round trip of %+v (%s): %+v, %v", p, lang, q, err)
				}
			}
		}
	})
}
