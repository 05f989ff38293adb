package thai

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Bangkok() must work on minimal images without system tzdata.
	"unicode"
)

// BEOffset is added to a Common Era year to get the Buddhist Era year.
const BEOffset = 543

// beThreshold: a four-digit year at or above it is read as B.E. No plausible
// C.E. record date is that late, and no B.E. year that low is in our records.
const beThreshold = 2400

// minYear is the earliest C.E. year accepted: its B.E. form is beThreshold,
// so every accepted year reads back the same in either era (C.E. 1857–2399,
// B.E. 2400–2942).
const minYear = beThreshold - BEOffset

// Reasons carried by DateError. They are machine keys, not messages, so that
// callers can show them in the user's language.
const (
	ReasonEmpty  = "empty"
	ReasonFormat = "format"
	ReasonMonth  = "month"
	ReasonDay    = "day"
	ReasonYear   = "year"
)

var thaiMonthsShort = [12]string{
	"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
	"ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
}

var thaiMonthsLong = [12]string{
	"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
	"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
}

// Spoken short forms people also type into forms ("12 มกรา 2569").
var thaiMonthsColloquial = [12]string{
	"มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา",
	"กรกฎา", "สิงหา", "กันยา", "ตุลา", "พฤศจิกา", "ธันวา",
}

// monthByName maps every accepted month spelling, lower-cased and with dots
// removed (so "ม.ค.", "มค." and "มค" all match), to its number.
var monthByName = func() map[string]int {
	m := make(map[string]int, 12*5)
	for i := range 12 {
		m[strings.ReplaceAll(thaiMonthsShort[i], ".", "")] = i + 1
		m[thaiMonthsLong[i]] = i + 1
		m[thaiMonthsColloquial[i]] = i + 1
		en := strings.ToLower(time.Month(i + 1).String())
		m[en] = i + 1
		m[en[:3]] = i + 1
	}
	return m
}()

// isThai accepts "th" and tags such as "th-TH", since callers pass whatever
// their request negotiation produced.
func isThai(lang string) bool {
	l := strings.ToLower(lang)
	return l == "th" || strings.HasPrefix(l, "th-") || strings.HasPrefix(l, "th_")
}

// FormatDate renders t's calendar date in t's own location, e.g.
// "12 ม.ค. 2569" (th, B.E.) or "12 Jan 2026". It does not convert zones
// because date-only values (births) are stored as midnight UTC.
func FormatDate(t time.Time, lang string) string {
	if isThai(lang) {
		return fmt.Sprintf("%d %s %d", t.Day(), thaiMonthsShort[t.Month()-1], t.Year()+BEOffset)
	}
	return fmt.Sprintf("%d %s %d", t.Day(), t.Month().String()[:3], t.Year())
}

// FormatDateLong renders e.g. "12 มกราคม พ.ศ. 2569" or "12 January 2026",
// the style used in letters and formal reports.
func FormatDateLong(t time.Time, lang string) string {
	if isThai(lang) {
		return fmt.Sprintf("%d %s พ.ศ. %d", t.Day(), thaiMonthsLong[t.Month()-1], t.Year()+BEOffset)
	}
	return fmt.Sprintf("%d %s %d", t.Day(), t.Month().String(), t.Year())
}

// FormatDateTime renders an instant in loc (Bangkok when nil), e.g.
// "12 ม.ค. 2569 14:05 น." or "12 Jan 2026 14:05".
func FormatDateTime(t time.Time, lang string, loc *time.Location) string {
	if loc == nil {
		loc = Bangkok()
	}
	t = t.In(loc)
	if isThai(lang) {
		return fmt.Sprintf("%s %02d:%02d น.", FormatDate(t, lang), t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%s %02d:%02d", FormatDate(t, lang), t.Hour(), t.Minute())
}

var bangkok = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Bangkok"); err == nil {
		return loc
	}
	// Thailand has had no DST since 1920, so a fixed zone is exact for our data.
	return time.FixedZone("ICT", 7*60*60)
})

// Bangkok returns the Asia/Bangkok location, loaded once.
func Bangkok() *time.Location { return bangkok() }

// PartialDate is a calendar date in C.E. whose month or day may be unknown
// (0), because older civil and school records often give only a year or a
// month and year.
type PartialDate struct {
	Year  int // C.E.
	Month int // 1–12; 0 when unknown
	Day   int // 1–31; 0 when unknown (always 0 when Month is 0)
}

// DateError reports why ParseDate rejected its input. Reason is one of the
// Reason* keys.
type DateError struct {
	Input  string
	Reason string
}

func (e *DateError) Error() string {
	return fmt.Sprintf("thai: invalid date %q: %s", e.Input, e.Reason)
}

// String returns the ISO-like form "2026-01-12", "2026-01" or "2026", which
// ParseDate reads back to the same value. The zero value gives "".
func (p PartialDate) String() string {
	switch {
	case p.Year == 0:
		return ""
	case p.Month == 0:
		return fmt.Sprintf("%04d", p.Year)
	case p.Day == 0:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", p.Year, p.Month, p.Day)
}

// Format renders the known parts for display: "12 ม.ค. 2569", "ม.ค. 2569",
// "2569" in Thai (B.E.), or "12 Jan 2026", "Jan 2026", "2026" otherwise.
// ParseDate reads every result back to the same value.
func (p PartialDate) Format(lang string) string {
	if p.Year == 0 {
		return ""
	}
	th := isThai(lang)
	year := p.Year
	if th {
		year += BEOffset
	}
	if p.Month < 1 || p.Month > 12 {
		return strconv.Itoa(year)
	}
	month := time.Month(p.Month).String()[:3]
	if th {
		month = thaiMonthsShort[p.Month-1]
	}
	if p.Day == 0 {
		return fmt.Sprintf("%s %d", month, year)
	}
	return fmt.Sprintf("%d %s %d", p.Day, month, year)
}

// Time returns the date at midnight UTC, and false unless year, month and
// day are all known and form a real date. UTC keeps the calendar day stable
// through date-only storage.
func (p PartialDate) Time() (time.Time, bool) {
	if p.Year == 0 || p.Month == 0 || p.Day == 0 {
		return time.Time{}, false
	}
	t := time.Date(p.Year, time.Month(p.Month), p.Day, 0, 0, 0, 0, time.UTC)
	if t.Year() != p.Year || int(t.Month()) != p.Month || t.Day() != p.Day {
		return time.Time{}, false // time.Date normalised an impossible date
	}
	return t, true
}

// ParseDate reads a full or partial date as people write it in Thai records:
//
//	12/01/2569  12/1/2569  00/00/2569  01/2569  2569
//	2569-01-12  2026-01-12  20260112
//	12 ม.ค. 2569  12 มกราคม 2569  12 มกราคม พ.ศ. 2569  ม.ค. 2569  พ.ศ. 2569
//	12 Jan 2026  12 January 2026  Jan 2026
//
// Thai digits are accepted. A four-digit year of 2400 or more is B.E. and
// converted to C.E.; a smaller one is C.E. An explicit "พ.ศ." or "ค.ศ."
// decides the era instead, but must agree with that rule. Years outside
// C.E. 1857–2399 (B.E. 2400–2942) are rejected as ambiguous. In numeric forms
// a day or month of 0/00 means unknown, as registry extracts write it.
// Dates are checked against the real calendar (29/02/2566 is rejected).
// The error is always a *DateError.
func ParseDate(s string) (PartialDate, error) {
	n := strings.ToLower(strings.TrimFunc(toASCIIDigits(s), isSpace))
	if n == "" {
		return PartialDate{}, &DateError{Input: s, Reason: ReasonEmpty}
	}
	var p PartialDate
	var reason string
	if isNumeric(n) {
		p, reason = parseNumeric(n)
	} else {
		p, reason = parseWords(n)
	}
	if reason == "" {
		reason = p.check()
	}
	if reason != "" {
		return PartialDate{}, &DateError{Input: s, Reason: reason}
	}
	return p, nil
}

// isSpace includes the zero-width space, which Thai text uses as a word
// break and which survives copy-and-paste from documents.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// toASCIIDigits maps Thai digits ๐–๙ to 0–9.
func toASCIIDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '๐' && r <= '๙' {
			return '0' + (r - '๐')
		}
		return r
	}, s)
}

func isNumericSep(r rune) bool { return r == '/' || r == '-' || r == '.' }

func isNumeric(s string) bool {
	digits := false
	for _, r := range s {
		switch {
		case isDigit(r):
			digits = true
		case !isNumericSep(r) && !isSpace(r):
			return false
		}
	}
	return digits
}

func parseNumeric(s string) (PartialDate, string) {
	f := strings.FieldsFunc(s, isNumericSep)
	for i := range f {
		// Spaces may pad a separator ("12 / 01 / 2569") but never replace
		// one: "12 2569" is too ambiguous to guess.
		if f[i] = strings.TrimFunc(f[i], isSpace); strings.IndexFunc(f[i], isSpace) >= 0 {
			return PartialDate{}, ReasonFormat
		}
	}
	short := func(x string) bool { return len(x) == 1 || len(x) == 2 }
	var y, m, d string
	switch {
	case len(f) == 1 && len(f[0]) == 4:
		y = f[0]
	case len(f) == 1 && len(f[0]) == 8: // YYYYMMDD, as in health-data exports
		y, m, d = f[0][:4], f[0][4:6], f[0][6:]
	case len(f) == 2 && len(f[0]) == 4 && short(f[1]):
		y, m = f[0], f[1]
	case len(f) == 2 && short(f[0]) && len(f[1]) == 4:
		m, y = f[0], f[1]
	case len(f) == 3 && len(f[0]) == 4 && short(f[1]) && short(f[2]):
		y, m, d = f[0], f[1], f[2]
	case len(f) == 3 && short(f[0]) && short(f[1]) && len(f[2]) == 4:
		d, m, y = f[0], f[1], f[2]
	default:
		return PartialDate{}, ReasonFormat
	}
	var p PartialDate
	var reason string
	if p.Year, reason = resolveYear(y, eraNone); reason != "" {
		return PartialDate{}, reason
	}
	p.Month, _ = strconv.Atoi(m) // "" gives 0: unknown
	p.Day, _ = strconv.Atoi(d)
	if p.Month == 0 && p.Day != 0 {
		return PartialDate{}, ReasonMonth // a day without its month means nothing
	}
	return p, ""
}

type era int

const (
	eraNone era = iota
	eraBE
	eraCE
)

// eraOf recognises พ.ศ. and ค.ศ. with their dots already removed.
func eraOf(w string) era {
	switch w {
	case "พศ":
		return eraBE
	case "คศ":
		return eraCE
	}
	return eraNone
}

type token struct {
	text string
	num  bool
}

// wordTokens splits s into digit runs and words. Words lose their dots, so
// abbreviations match with or without them, and an era marker written
// straight after the month ("มกราคมพ.ศ.") becomes its own token.
func wordTokens(s string) []token {
	var toks []token
	var b strings.Builder
	num := false
	flush := func() {
		if b.Len() == 0 {
			return
		}
		t := b.String()
		b.Reset()
		if num {
			toks = append(toks, token{text: t, num: true})
			return
		}
		t = strings.ReplaceAll(t, ".", "")
		for _, marker := range []string{"พศ", "คศ"} {
			if t != marker && strings.HasSuffix(t, marker) {
				toks = append(toks, token{text: strings.TrimSuffix(t, marker)})
				t = marker
				break
			}
		}
		if t != "" {
			toks = append(toks, token{text: t})
		}
	}
	for _, r := range s {
		switch {
		case isSpace(r) || r == ',' || r == '/' || r == '-':
			flush()
		case isDigit(r):
			if !num {
				flush()
			}
			num = true
			b.WriteRune(r)
		default:
			if num {
				flush()
			}
			num = false
			b.WriteRune(r)
		}
	}
	flush()
	return toks
}

// parseWords handles "[day] month [era] year" and "[era] year".
func parseWords(s string) (PartialDate, string) {
	toks := wordTokens(s)
	var p PartialDate
	i := 0
	if i+1 < len(toks) && toks[i].num && !toks[i+1].num {
		if len(toks[i].text) > 2 {
			return PartialDate{}, ReasonFormat
		}
		if p.Day, _ = strconv.Atoi(toks[i].text); p.Day == 0 {
			return PartialDate{}, ReasonDay
		}
		i++
	}
	if i < len(toks) && !toks[i].num && eraOf(toks[i].text) == eraNone {
		m, ok := monthByName[toks[i].text]
		if !ok {
			if p.Day != 0 || i+1 < len(toks) {
				return PartialDate{}, ReasonMonth // in month position
			}
			return PartialDate{}, ReasonFormat
		}
		p.Month = m
		i++
	}
	if p.Day != 0 && p.Month == 0 {
		return PartialDate{}, ReasonFormat
	}
	e := eraNone
	if i < len(toks) && !toks[i].num {
		if e = eraOf(toks[i].text); e == eraNone {
			return PartialDate{}, ReasonFormat
		}
		i++
	}
	if i != len(toks)-1 || !toks[i].num {
		return PartialDate{}, ReasonFormat
	}
	var reason string
	if p.Year, reason = resolveYear(toks[i].text, e); reason != "" {
		return PartialDate{}, reason
	}
	return p, ""
}

// resolveYear turns four digits into a C.E. year in [minYear, beThreshold),
// so that both String() and the B.E. Format() output read back unchanged.
func resolveYear(digits string, e era) (int, string) {
	if len(digits) != 4 || digits[0] == '0' {
		return 0, ReasonYear
	}
	y, err := strconv.Atoi(digits)
	if err != nil {
		return 0, ReasonYear
	}
	switch {
	case e == eraBE && y < beThreshold, e == eraCE && y >= beThreshold:
		return 0, ReasonYear
	case y >= beThreshold:
		y -= BEOffset
	}
	if y < minYear || y >= beThreshold {
		return 0, ReasonYear
	}
	return y, ""
}

// check validates month and day against the calendar, leap years included.
func (p PartialDate) check() string {
	if p.Month < 0 || p.Month > 12 {
		return ReasonMonth
	}
	if p.Day < 0 || (p.Month == 0 && p.Day != 0) {
		return ReasonDay
	}
	if p.Day > 0 {
		last := time.Date(p.Year, time.Month(p.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if p.Day > last {
			return ReasonDay
		}
	}
	return ""
}
