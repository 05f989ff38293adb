package thai

import (
	"strings"
	"unicode"
)

// Reasons carried by IDError, as machine keys for localised messages.
const (
	ReasonLength   = "length"
	ReasonDigits   = "digits"
	ReasonChecksum = "checksum"
	ReasonType     = "type"
)

// IDError reports why ValidateNationalID rejected an ID. It deliberately
// does not hold the input: a national ID is personal data (PDPA) and errors
// end up in logs.
type IDError struct {
	Reason string
}

func (e *IDError) Error() string { return "thai: invalid national ID: " + e.Reason }

// NormalizeNationalID removes spaces and dashes (including Unicode dashes
// and zero-width spaces from pasted text) and turns Thai digits into ASCII.
// Other characters are kept so validation can report them.
func NormalizeNationalID(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '๐' && r <= '๙':
			b.WriteRune('0' + (r - '๐'))
		case isSpace(r), unicode.Is(unicode.Pd, r), r == '−': // − is U+2212 MINUS SIGN
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ValidateNationalID returns the 13 normalised digits of a valid ID, or an
// *IDError with reason "digits", "length", "checksum" or "type".
//
// Person types 0–8 are all accepted: 0, 6 and 7 identify stateless and
// migrant people, who must never be turned away. Only 9, which is not
// issued, is rejected.
func ValidateNationalID(s string) (string, error) {
	d := NormalizeNationalID(s)
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return "", &IDError{Reason: ReasonDigits}
		}
	}
	if len(d) != 13 {
		return "", &IDError{Reason: ReasonLength}
	}
	if int(d[12]-'0') != nationalIDCheckDigit(d[:12]) {
		return "", &IDError{Reason: ReasonChecksum}
	}
	if d[0] == '9' {
		return "", &IDError{Reason: ReasonType}
	}
	return d, nil
}

// nationalIDCheckDigit computes d13 = (11 − Σ dᵢ×(14−i) mod 11) mod 10 over
// 12 ASCII digits.
func nationalIDCheckDigit(d12 string) int {
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(d12[i]-'0') * (13 - i)
	}
	return (11 - sum%11) % 10
}

// FormatNationalID lays out 13 digits as 1-2345-67890-12-3, the way the ID
// card prints them. Input that does not normalise to 13 digits is returned
// unchanged so nothing the user typed is lost.
func FormatNationalID(d string) string {
	n := NormalizeNationalID(d)
	if len(n) != 13 {
		return d
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return d
		}
	}
	return n[:1] + "-" + n[1:5] + "-" + n[5:10] + "-" + n[10:12] + "-" + n[12:]
}

// PersonType returns the first digit of the ID (the registration category,
// e.g. 1 Thai registered at birth, 0/6/7 stateless or migrant), or -1 when
// the normalised input does not start with a digit.
func PersonType(d string) int {
	n := NormalizeNationalID(d)
	if n == "" || n[0] < '0' || n[0] > '9' {
		return -1
	}
	return int(n[0] - '0')
}
