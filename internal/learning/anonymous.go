package learning

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"termtem/internal/errs"
	"termtem/internal/thai"
)

// A lesson is shared across the network: it must not let anyone find the
// family. Before it is saved its text is searched for what identifies a
// person most directly — a national ID (a 13-digit number whose check
// digit holds), a telephone number, and the names of the people in the
// case's record — and refused with the place marked. The check cannot
// catch every identifying detail (a rare illness in a small community);
// the form says so, and the writer remains responsible.

// Kinds of identifying text.
const (
	FoundNationalID = "national_id"
	FoundPhone      = "phone"
	FoundName       = "name"
)

// Finding is identifying text found in a field. Start and End are byte
// offsets in the field's text; Line and Column (in characters) count from 1.
type Finding struct {
	Field        string
	Kind         string
	Start, End   int
	Line, Column int
}

// titles are stripped from the names in a record before they are searched
// for: the title alone identifies nobody.
var titles = []string{"เด็กชาย", "เด็กหญิง", "ด.ช.", "ด.ญ.", "นางสาว", "น.ส.", "นาย", "นาง"}

// NamesToAvoid turns the names in a record into the words a lesson must not
// contain: given and family names without titles, and nicknames of three
// characters or more (shorter ones are ordinary words).
func NamesToAvoid(given, family, nickname []string) []string {
	var out []string
	add := func(s string, min int) {
		s = strings.TrimSpace(s)
		for _, t := range titles {
			s = strings.TrimSpace(strings.TrimPrefix(s, t))
		}
		if utf8.RuneCountInString(s) >= min {
			out = append(out, s)
		}
	}
	for _, s := range given {
		add(s, 2)
	}
	for _, s := range family {
		add(s, 2)
	}
	for _, s := range nickname {
		add(s, 3)
	}
	return out
}

// FindIdentifying returns the identifying text in one field, in order.
func FindIdentifying(field, text string, names []string) []Finding {
	var out []Finding
	for _, span := range numberSpans(text) {
		digits := thai.NormalizeNationalID(text[span[0]:span[1]])
		digits = strings.TrimPrefix(digits, "+")
		switch {
		case len(digits) == 13:
			if _, err := thai.ValidateNationalID(digits); err == nil {
				out = append(out, finding(field, FoundNationalID, text, span[0], span[1]))
			}
		case isPhone(digits):
			out = append(out, finding(field, FoundPhone, text, span[0], span[1]))
		}
	}
	lower := strings.ToLower(text)
	for _, n := range names {
		n = strings.ToLower(n)
		for from := 0; ; {
			i := strings.Index(lower[from:], n)
			if i < 0 {
				break
			}
			out = append(out, finding(field, FoundName, text, from+i, from+i+len(n)))
			from += i + len(n)
		}
	}
	sortFindings(out)
	return out
}

// isPhone: Thai numbers are 9 digits (landline, 0 and an area digit 2–7)
// or 10 (mobile, 06/08/09), or 66 and 8–9 digits without the leading 0.
func isPhone(d string) bool {
	switch {
	case len(d) == 10 && d[0] == '0' && strings.ContainsRune("689", rune(d[1])):
		return true
	case len(d) == 9 && d[0] == '0' && d[1] >= '2' && d[1] <= '7':
		return true
	case (len(d) == 11 || len(d) == 10) && strings.HasPrefix(d, "66") && d[2] != '0':
		return true
	}
	return false
}

// numberSpans finds runs of digits (ASCII or Thai) joined by single
// spaces, dashes or dots, optionally after a "+": how people write IDs
// and telephone numbers.
func numberSpans(s string) [][2]int {
	var out [][2]int
	isDigit := func(r rune) bool { return (r >= '0' && r <= '9') || (r >= '๐' && r <= '๙') }
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isDigit(r) && !(r == '+' && i+w < len(s) && isDigit(firstRune(s[i+w:]))) {
			i += w
			continue
		}
		start, end := i, i+w
		j := i + w
		for j < len(s) {
			r, w := utf8.DecodeRuneInString(s[j:])
			if isDigit(r) {
				j += w
				end = j
				continue
			}
			if (r == ' ' || r == '-' || r == '.' || unicode.Is(unicode.Pd, r)) && j+w < len(s) && isDigit(firstRune(s[j+w:])) {
				j += w
				continue
			}
			break
		}
		out = append(out, [2]int{start, end})
		i = j
		if i == start {
			i += w
		}
	}
	return out
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func finding(field, kind, text string, start, end int) Finding {
	line := 1 + strings.Count(text[:start], "\n")
	col := 1 + utf8.RuneCountInString(text[strings.LastIndex(text[:start], "\n")+1:start])
	return Finding{Field: field, Kind: kind, Start: start, End: end, Line: line, Column: col}
}

func sortFindings(fs []Finding) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Start < fs[j-1].Start; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// CheckAnonymous refuses text that identifies someone, naming the field,
// the line and column and what was found — never the text itself, which
// would carry the identifier into logs.
func CheckAnonymous(fields map[string]string, order []string, names []string) error {
	for _, f := range order {
		if fs := FindIdentifying(f, fields[f], names); len(fs) > 0 {
			e := errs.Field(f, "lesson.identifying."+fs[0].Kind, map[string]any{"Line": fs[0].Line, "Column": fs[0].Column})
			e.Line = fs[0].Line
			return e
		}
	}
	return nil
}
