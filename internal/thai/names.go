package thai

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Thai character ranges and marks used by the name functions. Names are
// compared by rune value, so these are the Unicode code points of the Thai
// block (U+0E00–U+0E7F).
const (
	thaiFirstConsonant = 'ก' // U+0E01
	thaiLastConsonant  = 'ฮ' // U+0E2E
	saraA              = 'ะ' // U+0E30
	maiHanAkat         = 'ั' // U+0E31
	saraAa             = 'า' // U+0E32
	saraAm             = 'ำ' // U+0E33
	saraE              = 'เ' // U+0E40
	saraAe             = 'แ' // U+0E41
	saraAi             = 'ใ' // U+0E43 (mai muan)
	saraAiMaiMalai     = 'ไ' // U+0E44
	maiTaiKhu          = '็' // U+0E47
	thanthakhat        = '์' // U+0E4C (การันต์: the letter under it is silent)
	nikhahit           = 'ํ' // U+0E4D
)

func isThaiConsonant(r rune) bool { return r >= thaiFirstConsonant && r <= thaiLastConsonant }

// isThaiLeadingVowel reports เ แ โ ใ ไ, which are typed before the
// consonant they follow in speech.
func isThaiLeadingVowel(r rune) bool { return r >= 'เ' && r <= 'ไ' }

func isThaiToneMark(r rune) bool { return r >= '่' && r <= '๋' }

// isThaiCombining reports the marks that sit above or below a consonant:
// the above/below vowels, mai han-akat, phinthu, mai tai khu, tone marks,
// thanthakhat, nikhahit and yamakkan. They have no width of their own.
func isThaiCombining(r rune) bool {
	return r == maiHanAkat || (r >= 'ิ' && r <= 'ฺ') || (r >= '็' && r <= '๎')
}

// combiningRank orders a run of marks on one consonant the way Thai is
// stored: vowel (and mai tai khu, nikhahit, phinthu) first, then the tone
// mark, then thanthakhat. Keyboards let people type them in any order, and
// the glyphs look the same either way, so pasted names differ invisibly.
func combiningRank(r rune) int {
	switch {
	case isThaiToneMark(r):
		return 1
	case r == thanthakhat:
		return 2
	}
	return 0
}

// isInvisible reports characters that carry no meaning in a name and are
// deleted outright: format characters (ZWNJ, ZWJ, word joiner, BOM, soft
// hyphen) and control characters other than white space (the zero-width
// space and tabs or newlines count as spaces).
func isInvisible(r rune) bool {
	switch r {
	case '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return unicode.IsControl(r) && !isSpace(r)
}

// NormalizeName tidies a typed or pasted name without changing how it reads:
//
//   - leading and trailing space is removed and every run of white space
//     (including NBSP and the zero-width space U+200B that Thai documents
//     use as a word break) becomes one ASCII space; other invisible format
//     characters (ZWNJ, ZWJ, word joiner, BOM, soft hyphen) and control
//     characters are deleted;
//   - two sara e typed for sara ae (เ+เ) become แ;
//   - nikhahit followed by sara aa (ํ+า) becomes sara am (ำ), and a tone
//     mark typed after sara am (น+ำ+้) is moved before it (น+้+ำ);
//   - the marks on one consonant are put in stored order — vowel, then tone
//     mark, then thanthakhat — and a mark typed twice is kept once.
//
// Latin letters, case and punctuation are kept exactly as typed. Invalid
// UTF-8 bytes become U+FFFD. NormalizeName is idempotent.
func NormalizeName(s string) string {
	if isNormalASCIIName(s) {
		return s
	}
	out := make([]rune, 0, len(s))
	var c nameCluster
	open := false // c holds a cluster not yet written
	flush := func() {
		if open {
			out = c.appendTo(out)
			open = false
		}
	}
	space := false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isInvisible(r):
			continue
		case isSpace(r):
			space = len(out) > 0 || open
			continue
		}
		if space {
			flush()
			out = append(out, ' ')
			space = false
		}
		switch {
		case isThaiCombining(r):
			if !open {
				c, open = nameCluster{base: noBase, marks: c.marks[:0]}, true // marks with nothing to sit on
			}
			c.addMark(r)
		case r == saraAm && open:
			c.am = true // a second sara am is a typing slip and is dropped
		case r == saraAa && open && !c.am && containsRune(c.marks, nikhahit):
			c.removeMark(nikhahit) // ํ + า, the two keystrokes of ำ
			c.am = true
		default:
			if r == saraE && i+1 < len(rs) && rs[i+1] == saraE {
				r = saraAe
				i++
			}
			if open && c.base == r && isDedupVowel(r) {
				continue // าา, แแ, ะะ …: one vowel typed twice
			}
			flush()
			c, open = nameCluster{base: r, marks: c.marks[:0]}, true // flush copied the marks out
		}
	}
	flush()
	return string(out)
}

// nameCluster is one consonant (or other base character) with the marks
// typed on it, and whether sara am follows.
type nameCluster struct {
	base  rune // noBase when marks were typed with nothing to sit on
	marks []rune
	am    bool
}

const noBase = -1

func (c *nameCluster) addMark(r rune) {
	if !containsRune(c.marks, r) {
		c.marks = append(c.marks, r)
	}
}

func (c *nameCluster) removeMark(r rune) {
	for i, x := range c.marks {
		if x == r {
			c.marks = append(c.marks[:i], c.marks[i+1:]...)
			return
		}
	}
}

// appendTo writes the cluster in stored order: base, vowel marks, tone
// mark, thanthakhat, then sara am.
func (c *nameCluster) appendTo(out []rune) []rune {
	if c.base != noBase {
		out = append(out, c.base)
	}
	sortMarks(c.marks)
	out = append(out, c.marks...)
	if c.am {
		out = append(out, saraAm)
	}
	return out
}

// isDedupVowel reports the spacing vowels that never occur twice in a row
// in Thai spelling, so a doubled one is a typing slip. (เเ is handled as แ.)
func isDedupVowel(r rune) bool {
	switch r {
	case saraA, saraAa, saraAe, 'โ', saraAi, saraAiMaiMalai, 'ๅ':
		return true
	}
	return false
}

// isNormalASCIIName is the fast path for Latin names that need no change:
// printable ASCII with single inner spaces.
func isNormalASCIIName(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// sortMarks is a stable insertion sort by combiningRank (runs are tiny).
func sortMarks(m []rune) {
	for i := 1; i < len(m); i++ {
		for j := i; j > 0 && combiningRank(m[j]) < combiningRank(m[j-1]); j-- {
			m[j], m[j-1] = m[j-1], m[j]
		}
	}
}

// Title is a name prefix (คำนำหน้าชื่อ). Code is a stable machine key; TH
// and Abbrev are the Thai full and abbreviated forms (Abbrev may be empty);
// EN is the English form. Sex is "male", "female" or "" and, like Child,
// is only a hint: women may switch between นาง and นางสาว on marriage, and
// the child titles are used until about 15.
type Title struct {
	Code, TH, Abbrev, EN string
	Sex                  string // "male", "female" or ""
	Child                bool
}

// Title codes.
const (
	TitleMr      = "nai"     // นาย, Mr
	TitleMrs     = "nang"    // นาง, Mrs
	TitleMiss    = "nangsao" // นางสาว, น.ส., Miss
	TitleMaster  = "dekchai" // เด็กชาย, ด.ช., Master
	TitleGirl    = "dekying" // เด็กหญิง, ด.ญ., Miss (child)
	TitleMs      = "ms"      // Ms: typed in English only, marital status unknown
	sexMale      = "male"
	sexFemale    = "female"
	titleMinRest = 2 // consonants a glued-on short title must leave (see SplitTitle)
)

var knownTitles = []Title{
	{Code: TitleMr, TH: "นาย", EN: "Mr", Sex: sexMale},
	{Code: TitleMrs, TH: "นาง", EN: "Mrs", Sex: sexFemale},
	{Code: TitleMiss, TH: "นางสาว", Abbrev: "น.ส.", EN: "Miss", Sex: sexFemale},
	{Code: TitleMaster, TH: "เด็กชาย", Abbrev: "ด.ช.", EN: "Master", Sex: sexMale, Child: true},
	{Code: TitleGirl, TH: "เด็กหญิง", Abbrev: "ด.ญ.", EN: "Miss", Sex: sexFemale, Child: true},
	{Code: TitleMs, EN: "Ms", Sex: sexFemale},
}

// Titles returns the known titles, in a fresh slice.
func Titles() []Title { return append([]Title(nil), knownTitles...) }

// TitleByCode returns the title with the given Code.
func TitleByCode(code string) (Title, bool) {
	for _, t := range knownTitles {
		if t.Code == code {
			return t, true
		}
	}
	return Title{}, false
}

func mustTitle(code string) Title {
	t, _ := TitleByCode(code)
	return t
}

// Thai titles in the order they are tried: a longer title before any title
// that is a prefix of it (นางสาว before นาง).
var thaiTitleWords = []struct{ word, code string }{
	{"เด็กหญิง", TitleGirl},
	{"เด็กชาย", TitleMaster},
	{"นางสาว", TitleMiss},
	{"นาง", TitleMrs},
	{"นาย", TitleMr},
}

// Thai abbreviations as two letters; dots between and after are optional.
var thaiTitleAbbrevs = []struct {
	a, b rune
	code string
}{
	{'ด', 'ช', TitleMaster},
	{'ด', 'ญ', TitleGirl},
	{'น', 'ส', TitleMiss},
}

// English titles, matched case-insensitively, longest first. "Miss" maps to
// the adult นางสาว: English gives no way to tell a girl from a woman.
var englishTitles = []struct{ word, code string }{
	{"master", TitleMaster},
	{"miss", TitleMiss},
	{"mrs", TitleMrs},
	{"mr", TitleMr},
	{"ms", TitleMs},
}

// SplitTitle parses a title typed at the start of a full name and returns
// it with the normalised rest of the name. ok is false, with the whole
// normalised name as rest, when there is no title.
//
// Accepted forms, with or without a space after the title:
//
//	นาย นาง นางสาว เด็กชาย เด็กหญิง    นายสมชาย  นางสาว สมหญิง
//	น.ส. ด.ช. ด.ญ. (dots optional)      ด.ช.สมชาย  ดช สมชาย  ด. ญ. มาลี
//	Mr Mrs Ms Miss Master (any case)     Mr. Somchai  MRS Suda
//
// Rules, so that a name is never cut into a wrong title and a wrong name:
//   - a title is never stripped if nothing would be left ("นางสาว" alone is
//     not นาง + สาว, and "นาย" alone is not a title);
//   - a title is only cut where a Thai syllable can start: the next letter
//     must be a consonant or a leading vowel, so "นางาม" or "นายิกา" keep
//     their นา;
//   - when a longer title is really there (นางสาว…) a shorter one that
//     starts it (นาง) is never tried instead;
//   - นาย and นาง glued to the name without a space are stripped only when
//     the rest of that word has at least two consonants, so "นายก" (one
//     letter left) stays a name, while "นายสมชาย" is นาย + สมชาย; the
//     long titles (นางสาว, เด็กชาย, เด็กหญิง) need only a consonant;
//   - an abbreviation without any dot (ดช, นส) must be followed by a space,
//     and English titles by a space or a dot ("Mrs.Suda"), so "Msomchai" or
//     "นสรีน" are left alone.
func SplitTitle(s string) (Title, string, bool) {
	n := NormalizeName(s)
	if t, rest, ok := splitThaiTitle(n); ok {
		return t, rest, true
	}
	if t, rest, ok := splitThaiAbbrev(n); ok {
		return t, rest, true
	}
	if t, rest, ok := splitEnglishTitle(n); ok {
		return t, rest, true
	}
	return Title{}, n, false
}

func splitThaiTitle(n string) (Title, string, bool) {
	for _, tw := range thaiTitleWords {
		if !strings.HasPrefix(n, tw.word) {
			continue
		}
		after := n[len(tw.word):]
		rest := strings.TrimLeft(after, " ")
		spaced := len(rest) < len(after)
		if rest == "" {
			return Title{}, "", false // the title alone: never strip, never try a shorter one
		}
		r, _ := utf8.DecodeRuneInString(rest)
		if !spaced && !isThaiConsonant(r) && !isThaiLeadingVowel(r) {
			continue // the title's letters run on into a syllable: not a title here
		}
		if !spaced && len(tw.word) <= len("นาง") && consonantsInFirstWord(rest) < titleMinRest {
			return Title{}, "", false // "นายก": a name, not นาย + ก
		}
		return mustTitle(tw.code), rest, true
	}
	return Title{}, "", false
}

func consonantsInFirstWord(s string) int {
	k := 0
	for _, r := range s {
		if r == ' ' {
			break
		}
		if isThaiConsonant(r) {
			k++
		}
	}
	return k
}

func splitThaiAbbrev(n string) (Title, string, bool) {
	for _, ab := range thaiTitleAbbrevs {
		rest, dots, ok := matchAbbrev(n, ab.a, ab.b)
		if !ok {
			continue
		}
		trimmed := strings.TrimLeft(rest, " ")
		if trimmed == "" || (dots == 0 && trimmed == rest) {
			return Title{}, "", false
		}
		return mustTitle(ab.code), trimmed, true
	}
	return Title{}, "", false
}

// matchAbbrev matches a [.] [space] b [.] at the start of n and returns what
// follows and how many dots there were.
func matchAbbrev(n string, a, b rune) (string, int, bool) {
	r, sz := utf8.DecodeRuneInString(n)
	if r != a {
		return "", 0, false
	}
	n = n[sz:]
	dots := 0
	if strings.HasPrefix(n, ".") {
		n, dots = n[1:], 1
		n = strings.TrimLeft(n, " ")
	}
	r, sz = utf8.DecodeRuneInString(n)
	if r != b {
		return "", 0, false
	}
	n = n[sz:]
	if strings.HasPrefix(n, ".") {
		n, dots = n[1:], dots+1
	}
	// The abbreviation must end here: not run on into a vowel or mark.
	if r, _ := utf8.DecodeRuneInString(n); n != "" && r != ' ' && !isThaiConsonant(r) && !isThaiLeadingVowel(r) {
		return "", 0, false
	}
	return n, dots, true
}

func splitEnglishTitle(n string) (Title, string, bool) {
	for _, et := range englishTitles {
		if len(n) <= len(et.word) || !strings.EqualFold(n[:len(et.word)], et.word) {
			continue
		}
		after := n[len(et.word):]
		if after[0] != '.' && after[0] != ' ' {
			continue
		}
		rest := strings.TrimLeft(strings.TrimPrefix(after, "."), " ")
		if rest == "" {
			return Title{}, "", false
		}
		return mustTitle(et.code), rest, true
	}
	return Title{}, "", false
}

// SplitFullName removes a title (see SplitTitle) and splits the rest of a
// normalised full name into the given name (the first word) and the family
// name (the remaining words, single-spaced). Either may be empty. Title is
// the zero Title when none was typed.
func SplitFullName(s string) (title Title, given, family string) {
	title, rest, _ := SplitTitle(s)
	given, family, _ = strings.Cut(rest, " ")
	return title, given, family
}

// nameWords splits a normalised name into words (a cheap strings.Fields for
// the single-spaced output of NormalizeName).
func nameWords(n string) []string {
	if n == "" {
		return nil
	}
	return strings.Split(n, " ")
}
