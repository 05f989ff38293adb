package thai

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// withCheckDigit completes a 12-digit prefix. Written independently of the
// package's own helper so the tests do not just mirror the implementation.
func withCheckDigit(prefix string) string {
	weights := [12]int{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, w := range weights {
		sum += int(prefix[i]-'0') * w
	}
	return prefix + strconv.Itoa((11-sum%11)%10)
}

func TestValidateNationalIDVectors(t *testing.T) {
	for _, id := range []string{"3100600445635", "1100900359657", "5900599008311", "3100100818955", "1234545678781"} {
		got, err := ValidateNationalID(id)
		if err != nil || got != id {
			t.Errorf("ValidateNationalID(%q) = %q, %v; want valid", id, got, err)
		}
	}
	_, err := ValidateNationalID("1234545678789")
	var ie *IDError
	if !errors.As(err, &ie) || ie.Reason != ReasonChecksum {
		t.Errorf("1234545678789: err = %v, want checksum", err)
	}
}

func TestValidateNationalID(t *testing.T) {
	tests := []struct {
		in, want, reason string
	}{
		{"1-2345-45678-78-1", "1234545678781", ""},
		{"1 2345 45678 78 1", "1234545678781", ""},
		{" 3100600445635\n", "3100600445635", ""},
		{"๓๑๐๐๖๐๐๔๔๕๖๓๕", "3100600445635", ""},
		{"๓-๑๐๐๖-๐๐๔๔๕-๖๓-๕", "3100600445635", ""},
		{"3\u20131006\u201400445\u221263\u00a05", "3100600445635", ""}, // en/em dash, minus, NBSP
		{"3\u200b100600445635", "3100600445635", ""},                   // zero-width space
		{"", "", ReasonLength},
		{"310060044563", "", ReasonLength},
		{"31006004456350", "", ReasonLength},
		{"310060044563a", "", ReasonDigits},
		{"3100600445635.", "", ReasonDigits},
		{"３100600445635", "", ReasonDigits}, // full-width digit: not silently accepted
		{"3100600445636", "", ReasonChecksum},
		{"0000000000000", "", ReasonChecksum}, // check digit for all zeros is 1
		{withCheckDigit("910060044563"), "", ReasonType},
	}
	for _, tc := range tests {
		got, err := ValidateNationalID(tc.in)
		if tc.reason == "" {
			if err != nil || got != tc.want {
				t.Errorf("ValidateNationalID(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		var ie *IDError
		if !errors.As(err, &ie) || ie.Reason != tc.reason || got != "" {
			t.Errorf("ValidateNationalID(%q) = %q, %v; want reason %q", tc.in, got, err, tc.reason)
		}
	}
}

// Stateless (0) and migrant (6, 7) IDs, like every type 0–8, must validate.
func TestValidateNationalIDAllPersonTypes(t *testing.T) {
	for d := 0; d <= 8; d++ {
		id := withCheckDigit(strconv.Itoa(d) + "10060044563")
		got, err := ValidateNationalID(id)
		if err != nil || got != id {
			t.Errorf("type %d: ValidateNationalID(%q) = %q, %v", d, id, got, err)
		}
		if pt := PersonType(id); pt != d {
			t.Errorf("PersonType(%q) = %d, want %d", id, pt, d)
		}
	}
}

// Every wrong check digit is caught.
func TestValidateNationalIDWrongCheckDigit(t *testing.T) {
	id := "3100600445635"
	for c := '0'; c <= '9'; c++ {
		mut := id[:12] + string(c)
		_, err := ValidateNationalID(mut)
		if (err == nil) != (mut == id) {
			t.Errorf("ValidateNationalID(%q) err = %v", mut, err)
		}
	}
}

func TestIDErrorHidesInput(t *testing.T) {
	_, err := ValidateNationalID("3100600445636")
	if err == nil || strings.Contains(err.Error(), "310060044563") {
		t.Errorf("error %v should not echo the ID", err)
	}
}

func TestNormalizeNationalID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1-2345-67890-12-3", "1234567890123"},
		{" 1 2345 67890 12 3 ", "1234567890123"},
		{"๑๒๓๔๕๖๗๘๙๐", "1234567890"},
		{"1‑2345", "12345"}, // non-breaking hyphen
		{"12a", "12a"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := NormalizeNationalID(tc.in); got != tc.want {
			t.Errorf("NormalizeNationalID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormatNationalID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1234545678781", "1-2345-45678-78-1"},
		{"3100600445635", "3-1006-00445-63-5"},
		{"๓๑๐๐๖๐๐๔๔๕๖๓๕", "3-1006-00445-63-5"},
		{"3-1006-00445-63-5", "3-1006-00445-63-5"},
		{"31 0060 0445 635", "3-1006-00445-63-5"},
		{"12345", "12345"},                 // not 13 digits: unchanged
		{"123454567878x", "123454567878x"}, // non-digit: unchanged
		{"", ""},
	}
	for _, tc := range tests {
		if got := FormatNationalID(tc.in); got != tc.want {
			t.Errorf("FormatNationalID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPersonType(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"3100600445635", 3},
		{"1-2345-45678-78-1", 1},
		{"๐๑๒", 0},
		{" 7", 7},
		{"", -1},
		{"x123", -1},
	}
	for _, tc := range tests {
		if got := PersonType(tc.in); got != tc.want {
			t.Errorf("PersonType(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

var knownIDReasons = map[string]bool{
	ReasonLength: true, ReasonDigits: true, ReasonChecksum: true, ReasonType: true,
}

func FuzzValidateNationalID(f *testing.F) {
	for _, s := range []string{
		"3100600445635", "1100900359657", "5900599008311", "3100100818955", "1234545678781",
		"1234545678789", "1-2345-45678-78-1", "๓๑๐๐๖๐๐๔๔๕๖๓๕", "0000000000001", "",
		"9100600445630", "12345", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ValidateNationalID(s)
		if err != nil {
			var ie *IDError
			if !errors.As(err, &ie) || !knownIDReasons[ie.Reason] || v != "" {
				t.Fatalf("ValidateNationalID(%q) = %q, %#v", s, v, err)
			}
		} else {
			if len(v) != 13 || strings.Trim(v, "0123456789") != "" || v[0] == '9' {
				t.Fatalf("ValidateNationalID(%q) = %q: not 13 digits of types 0–8", s, v)
			}
			if v != withCheckDigit(v[:12]) {
				t.Fatalf("ValidateNationalID(%q) = %q: bad check digit accepted", s, v)
			}
			f := FormatNationalID(v)
			if w, err := ValidateNationalID(f); err != nil || w != v {
				t.Fatalf("re-validate %q (from %q) = %q, %v", f, v, w, err)
			}
			if PersonType(v) != int(v[0]-'0') || PersonType(f) != PersonType(v) {
				t.Fatalf("PersonType mismatch for %q", v)
			}
		}
		// Exercise the checksum across the whole digit space: any 12 digits
		// derived from the input, completed, must validate unless type 9.
		if len(s) >= 12 {
			var b strings.Builder
			for i := 0; i < 12; i++ {
				b.WriteByte('0' + s[i]%10)
			}
			id := withCheckDigit(b.String())
			_, err := ValidateNationalID(id)
			var ie *IDError
			switch {
			case id[0] == '9' && (!errors.As(err, &ie) || ie.Reason != ReasonType):
				t.Fatalf("ValidateNationalID(%q) = %v, want type", id, err)
			case id[0] != '9' && err != nil:
				t.Fatalf("ValidateNationalID(%q) = %v, want valid", id, err)
			}
		}
	})
}
