package thai

// Phonetic keys for Thai names, so that sound-alike spellings of one name
// (ศรีสุข/สีสุข, ณัฐวุฒิ/นัฐวุฒิ, สมชาย/สมชาญ) land on the same key.
//
// LK82 and Udom83 are the two published Thai soundex systems, implemented
// here from their published rules (THAI-FACTS.md; PyThaiNLP documents the
// same rules) so that keys can be compared with other tools. PhoneticKey is
// Termtem's own matching key: it also normalises the first letter, reads
// final consonants by sound, and maps onto the same key space as
// LatinPhoneticKey, so a romanised name finds its Thai spelling.

import "strings"

// thaiLetters returns the Thai-block runes of the normalised name (letters,
// vowels and marks; no digits, spaces or Latin letters).
func thaiLetters(s string) []rune {
	n := NormalizeName(s)
	out := make([]rune, 0, len(n))
	for _, r := range n {
		if r >= thaiFirstConsonant && r <= '๎' {
			out = append(out, r)
		}
	}
	return out
}

// dropSilent removes every letter written with thanthakhat (์), together
// with the vowel or tone marks on it: รักษ์ → รัก, ศักดิ์ → ศัก. With pairs
// set it also removes the published silent pairs จน์ มณ์ ณฑ์ ทร์ ตร์ as
// whole units (จันทร์ → จัน).
func dropSilent(t []rune, pairs bool) []rune {
	out := t[:0:0]
	for i := 0; i < len(t); i++ {
		if t[i] != thanthakhat {
			out = append(out, t[i])
			continue
		}
		// Remove back to the consonant the mark sits on.
		j := len(out) - 1
		for j >= 0 && !isThaiConsonant(out[j]) && isThaiCombining(out[j]) {
			j--
		}
		if j < 0 || !isThaiConsonant(out[j]) {
			continue // a stray mark: drop just the mark
		}
		if pairs && j >= 1 && isSilentPair(out[j-1], out[j]) {
			j--
		}
		out = out[:j]
	}
	return out
}

func isSilentPair(a, b rune) bool {
	switch string([]rune{a, b}) {
	case "จน", "มณ", "ณฑ", "ทร", "ตร":
		return true
	}
	return false
}

// classTable maps Thai consonants (indexed from ก) to a class character.
type classTable [thaiLastConsonant - thaiFirstConsonant + 1]rune

func makeClassTable(groups ...string) classTable {
	var t classTable
	for _, g := range groups {
		rs := []rune(g)
		cls := rs[0]
		for _, r := range rs[2:] { // "X:letters"
			t[r-thaiFirstConsonant] = cls
		}
	}
	return t
}

func (t *classTable) of(r rune) rune {
	if !isThaiConsonant(r) {
		return 0
	}
	return t[r-thaiFirstConsonant]
}

// Udom83 first-letter classes and digit codes.
var (
	udomFirst = makeClassTable(
		"ก:ก", "ข:ขฃคฅฆ", "ง:ง", "จ:จ", "ช:ฉชฌ", "ส:ซศษส", "ด:ฎด", "ต:ฏต",
		"ท:ฐฑฒถทธ", "น:ณน", "บ:บ", "ป:ป", "พ:ผพภ", "ฟ:ฝฟ", "ม:ม", "ย:ญย",
		"ร:รลฬฤฦ", "ว:ว", "อ:อ", "ฮ:หฮ",
	)
	udomDigit = makeClassTable(
		"0:มว", "1:กขฃคฅฆ", "2:งย", "3:ญณน", "4:ฎฏดตศษส", "5:บปพภ",
		"6:ผฝฟหอฮ", "7:จฉชซฌ", "8:ฐฑฒถทธ", "9:รฤลฦ",
	)
)

// Udom83 returns the 7-character Udom83 key of a Thai word (Wannee
// Udompanich, 1983): the first consonant through a class table, then one
// digit per remaining consonant, padded with 0. Before coding, รร is read as
// ัน (or ั before a closing consonant), ไ/ใ+C as C+ย, ำ as ม, and letters
// under thanthakhat, vowels and tone marks are dropped:
//
//	Udom83("รัก") == Udom83("ลัก") == "ร100000"; Udom83("บูรณการ") == "บ931900"
//
// Non-Thai characters are ignored; a word with no Thai consonant gives "".
func Udom83(s string) string {
	t := thaiLetters(s)
	t = udomRorRor(t)
	t = udomSaraAi(t)
	t = udomSaraAm(t)
	t = dropSilent(t, true)
	out := make([]rune, 0, 7)
	for _, r := range t {
		if !isThaiConsonant(r) {
			continue
		}
		if len(out) == 0 {
			out = append(out, udomFirst.of(r))
		} else if d := udomDigit.of(r); d != 0 {
			out = append(out, d)
		}
		if len(out) == 7 {
			break
		}
	}
	if len(out) == 0 {
		return ""
	}
	for len(out) < 7 {
		out = append(out, '0')
	}
	return string(out)
}

// udomRorRor rewrites รร (ร หัน): before a leading vowel, or before a
// consonant carrying a vowel or mark, or at the end, it reads ัน (บรรดา →
// บันดา, วรร → วัน); before a consonant followed by another consonant or a
// leading vowel it reads ั and that consonant closes the syllable (ธรรมชาติ
// → ธัมชาติ).
func udomRorRor(t []rune) []rune {
	out := make([]rune, 0, len(t)+2)
	for i := 0; i < len(t); i++ {
		if t[i] != 'ร' || i+1 >= len(t) || t[i+1] != 'ร' {
			out = append(out, t[i])
			continue
		}
		k := i + 2
		if k+1 < len(t) && isThaiConsonant(t[k]) && (isThaiConsonant(t[k+1]) || isThaiLeadingVowel(t[k+1])) {
			out = append(out, maiHanAkat)
		} else {
			out = append(out, maiHanAkat, 'น')
		}
		i++
	}
	return out
}

// udomSaraAi rewrites ไ/ใ+C as C+ย, and ไ+C+ย as C+ย.
func udomSaraAi(t []rune) []rune {
	out := make([]rune, 0, len(t)+2)
	for i := 0; i < len(t); i++ {
		r := t[i]
		if (r == saraAiMaiMalai || r == saraAi) && i+1 < len(t) && isThaiConsonant(t[i+1]) {
			out = append(out, t[i+1])
			i++
			if !(r == saraAiMaiMalai && i+1 < len(t) && t[i+1] == 'ย') {
				out = append(out, 'ย')
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// udomSaraAm rewrites ำ as ม; ำม before a vowel as มม, and ำม otherwise as ม.
func udomSaraAm(t []rune) []rune {
	out := make([]rune, 0, len(t)+1)
	for i := 0; i < len(t); i++ {
		if t[i] != saraAm {
			out = append(out, t[i])
			continue
		}
		out = append(out, 'ม')
		if i+1 < len(t) && t[i+1] == 'ม' {
			if i+2 < len(t) && t[i+2] >= saraA && t[i+2] <= 'ู' {
				out = append(out, 'ม')
			}
			i++
		}
	}
	return out
}

// LK82 first-letter classes and codes (digits and the letters A–F).
var (
	lkFirst = makeClassTable(
		"ก:กขฃคฅฆ", "ง:ง", "จ:จ", "ช:ฉชฌ", "ซ:ซศษส", "ย:ญย", "ด:ฎด", "ต:ฏต",
		"น:ณน", "ท:ฐฑฒถทธ", "บ:บ", "ป:ป", "พ:ผพภ", "ฟ:ฝฟ", "ม:ม",
		"ร:รลฬฤฦ", "ว:ว", "ห:หฮ", "อ:อ",
	)
	lkCodes = func() map[rune]byte {
		m := map[rune]byte{}
		for _, g := range []string{
			"1กขฃคฅฆ", "2ง", "3จฉชซฌฎฏฐฑฒดตถทธศษส", "4ญณนรลฬฤฦ", "5บปพฟภผฝ",
			"6มำ", "7ยวไใ", "8หฮ", "9า", "Aๅึื", "Bเ", "Cแ", "Dโ", "Eุู", "Fอ",
		} {
			for _, r := range g[1:] {
				m[r] = g[0]
			}
		}
		return m
	}()
)

// lkSep marks a vowel that separates codes without adding one of its own,
// so that a consonant repeated across it is kept (it is not a "repeat").
const lkSep = 0

// LK82 returns the 5-character LK82 key of a Thai word (Wichit
// Lorchirachoonkul and Jaroen Kuwinpant, 1982). Tone marks and letters under
// thanthakhat are dropped; the first consonant goes through a class table
// (a leading vowel เ แ โ ไ ใ is coded after it); ะ ั ิ ี only separate; ุ
// after ต/ธ is silent; ห and อ count only before ึ ื ุ ู, and ร ว ย ฤ ฦ only
// right after a vowel or before ึ ื ุ ู; repeated codes collapse and the key
// is padded with 0:
//
//	LK82("รัก") == LK82("ลัก") == LK82("รักษ์") == "ร1000"
//
// Non-Thai characters are ignored; a word with no Thai letter gives "".
func LK82(s string) string {
	var t []rune
	for _, r := range dropSilent(thaiLetters(s), true) {
		switch {
		case isThaiToneMark(r), r == maiTaiKhu, r == nikhahit, r == 'ฺ', r == '๎', r == thanthakhat,
			r == 'ฯ', r == 'ๆ':
		default:
			t = append(t, r)
		}
	}
	// Leading characters that are neither consonants nor leading vowels
	// cannot start a word; skip them.
	for len(t) > 0 && !isThaiConsonant(t[0]) && !isThaiLeadingVowel(t[0]) {
		t = t[1:]
	}
	if len(t) == 0 {
		return ""
	}
	codes := make([]byte, 0, 8)
	var head []rune
	switch {
	case isThaiConsonant(t[0]):
		head = append(head, lkFirst.of(t[0]))
		t = t[1:]
	case len(t) > 1 && isThaiConsonant(t[1]):
		head = append(head, lkFirst.of(t[1]))
		codes = append(codes, lkCodes[t[0]])
		t = t[2:]
	default:
		codes = append(codes, lkCodes[t[0]])
		t = t[1:]
	}
	lastVowel := -2
	closesBefore := func(i int) bool { // followed by ึ ื ุ ู
		if i+1 >= len(t) {
			return false
		}
		switch t[i+1] {
		case 'ึ', 'ื', 'ุ', 'ู':
			return true
		}
		return false
	}
	for i, r := range t {
		switch r {
		case saraA, maiHanAkat, 'ิ', 'ี':
			lastVowel = i
			codes = append(codes, lkSep)
		case saraAa, 'ๅ', 'ึ', 'ื', 'ู':
			lastVowel = i
			codes = append(codes, lkCodes[r])
		case 'ุ':
			lastVowel = i
			if i > 0 && (t[i-1] == 'ต' || t[i-1] == 'ธ') {
				codes = append(codes, lkSep)
			} else {
				codes = append(codes, lkCodes[r])
			}
		case 'ห', 'อ':
			if closesBefore(i) {
				codes = append(codes, lkCodes[r])
			}
		case 'ร', 'ว', 'ย', 'ฤ', 'ฦ':
			if lastVowel == i-1 || closesBefore(i) {
				codes = append(codes, lkCodes[r])
			}
		default:
			if c, ok := lkCodes[r]; ok {
				codes = append(codes, c)
			}
		}
	}
	var b strings.Builder
	b.WriteString(string(head))
	prev := -1 // the head letter is never equal to a code
	for _, c := range codes {
		if int(c) == prev {
			continue
		}
		prev = int(c)
		if c != lkSep {
			b.WriteByte(c)
		}
	}
	out := []rune(b.String() + "0000")
	return string(out[:5])
}

// PhoneticKey is Termtem's matching key for one name word, Thai or
// romanised: a short ASCII string with one lower-case letter per consonant
// sound and upper-case letters for coarse vowel classes.
//
// Consonants are coded by sound, not spelling, and the first letter is
// coded like the rest (in first place Udom83 keeps ก apart from ข and จ from
// ช, LK82 จ from ช, and MetaSound even ร from ล):
//
//	onset  k ก ข ฃ ค ฅ ฆ    c จ ฉ ช ฌ    s ซ ศ ษ ส    y ญ ย    d ฎ ด
//	       t ฏ ต ฐ ฑ ฒ ถ ท ธ             n ณ น        b บ      p ป ผ พ ภ
//	       f ฝ ฟ    m ม    r ร ล ฬ ฤ ฦ    w ว          h ห ฮ    g ง
//	       x อ starting a word (and a romanised word that starts with a vowel)
//	final  k -ก -ข -ค -ฆ    t -ด -ต -ท -ส -จ -ช -ศ -ษ … (every stop)
//	       p -บ -ป -พ -ฟ -ภ  n -น -ณ -ญ -ร -ล -ฬ and the glide of -ย ไ ใ
//	       m -ม ำ  g -ง  w -ว and the glide of เ-า
//
// Silent letters are dropped: under thanthakhat (์), and the letter that
// such a cluster leaves dangling (จันทร์, ลักษณ์); ห leading a sonorant
// (หญิง); อ in อยู่; ร in ศร/สร (ศรี), in clusters (ประ, เปรม, ตรี, กฤ, พรหม),
// and after a closing stop (บุตร, มิตร, เพชร; but ภัทรพล reads phat-tha-ra-
// phon, as in Pattarapon). รร reads as ัน or ั. A sound
// written twice across a syllable break counts once when no vowel comes
// between (กิตติ: ต+ต, ณัฐ-ว: Kit-ti, Nat-tha-wut), and t+s counts as s
// (ณัฐสุดา, นภัสสร, วาสนา: Natsuda, Napassorn, Watsana or Wasana).
//
// Vowels are kept only as three coarse classes, because Thai leaves the
// vowels a and o unwritten (สม is "som", ธน is "tha-na") while romanisation
// spells them and often adds one (รัตนา, Rattana): the a/o class (า ะ ั โ อ
// แ ไ ำ and every unwritten vowel; Latin a o ae oi …) is not written in the
// key; the i/e class (ิ ี เ เ-ีย เ-ิ เ-อ ฤ; Latin i e ee y ia oe) is written
// I and the u class (ุ ู ึ ื ัว เ-ือ; Latin u oo ue eu ua) U. The vowel a word
// ends on is written only in the a/o class, as A (-า -ะ), O (โ- -อ เ-าะ) or
// E (แ-): a final i or u is dropped because it is often silent (ภูมิ is
// phum, ชาติ chat) and romanised with or without it (Phum, Phumi). So มานะ
// gives "mnA" and มานี "mn";
// ศรีสุข, สีสุข and Srisuk give "sIsUk"; สมชาย, สมชาญ and Somchai give "smcn".
//
// A word with Thai letters is keyed by its Thai letters; a word with only
// Latin letters is keyed as romanised Thai (LatinPhoneticKey). Several words
// are keyed as one, so a stray space inside a name changes nothing. The key
// of NormalizeName(s) is the key of s. Keys are at most MaxKeyLen bytes; a
// word with no letters gives "".
func PhoneticKey(s string) string {
	n := NormalizeName(s)
	for _, r := range n {
		if r >= thaiFirstConsonant && r <= thaiLastConsonant {
			return thaiKey(n)
		}
	}
	return latinKey(n)
}

// MaxKeyLen bounds the length in bytes of a PhoneticKey.
const MaxKeyLen = 16

// Vowel classes: the a/o class is vowelA (not written in the key).
const (
	vowelA = 0
	vowelI = 'I'
	vowelU = 'U'
)

// keyBuilder accumulates a key: consonant classes, vowel-class markers, and
// the class of the vowel the word ends on.
type keyBuilder struct {
	buf     [MaxKeyLen]byte
	n       int
	pending byte // vowel marker waiting for a consonant after it
	sep     bool // a vowel since the last consonant: a repeat is not a double
	endOpen bool // the word so far ends on a vowel
	endFin  byte // that vowel's final class: 'A', 'O', 'E' or 0
}

func (k *keyBuilder) put(c byte) {
	if k.n < MaxKeyLen-1 { // keep one byte for the final vowel
		k.buf[k.n] = c
		k.n++
	}
}

// add appends a consonant class (0 means silent).
func (k *keyBuilder) add(c byte) {
	if c == 0 {
		return
	}
	if k.pending != 0 {
		k.put(k.pending)
		k.pending = 0
	}
	if !k.sep && k.n > 0 && k.buf[k.n-1] == c {
		k.endOpen = false
		return
	}
	if c == 's' && !k.sep && k.n > 0 && k.buf[k.n-1] == 't' {
		// ts is heard and spelt as s: ณัฐสุดา, นภัสสร (Natsuda, Napassorn)
		k.buf[k.n-1] = 's'
		k.endOpen = false
		return
	}
	k.put(c)
	k.sep, k.endOpen = false, false
}

// vowel records a syllable's vowel: its class (vowelA, vowelI, vowelU) and
// the letter it gives if the word ends on it ('A', 'O', 'E' or 0).
func (k *keyBuilder) vowel(class, fin byte) {
	k.pending = class
	k.sep, k.endOpen, k.endFin = true, true, fin
}

func (k *keyBuilder) String() string {
	n := k.n
	if k.endOpen && k.endFin != 0 && n > 0 {
		k.buf[n] = k.endFin
		n++
	}
	return string(k.buf[:n])
}

var (
	onsetClass = makeClassTable(
		"k:กขฃคฅฆ", "g:ง", "c:จฉชฌ", "s:ซศษส", "y:ญย", "d:ฎด", "t:ฏตฐฑฒถทธ",
		"n:ณน", "b:บ", "p:ปผพภ", "f:ฝฟ", "m:ม", "r:รลฬฤฦ", "w:ว", "h:หฮ",
	)
	finalClass = makeClassTable(
		"k:กขฃคฅฆ", "g:ง", "t:จฉชซฌฎฏฐฑฒดตถทธศษส", "n:ญณนรลฬย",
		"p:บปผพฟภฝ", "m:ม", "w:ว",
	)
)

// thaiUnit is a letter or vowel sign of a Thai word, with its tone mark (if
// any) folded in as a flag.
type thaiUnit struct {
	r    rune
	tone bool
}

// thaiUnits prepares a normalised Thai word for keying: Thai letters only,
// silent letters removed, tone marks folded into flags, and the characters
// that carry no sound (ๆ ฯ phinthu yamakkan, stray nikhahit) dropped.
func thaiUnits(n string, buf []thaiUnit) []thaiUnit {
	us := buf[:0]
	for _, r := range n {
		switch {
		case r < thaiFirstConsonant || r > '๎':
		case isThaiToneMark(r):
			if len(us) > 0 {
				us[len(us)-1].tone = true
			}
		case r == 'ๆ', r == 'ฯ', r == 'ฺ', r == '๎', r == nikhahit:
		case r == thanthakhat:
			us = dropSilentUnits(us)
		default:
			us = append(us, thaiUnit{r: r})
		}
	}
	return us
}

// dropSilentUnits removes the consonant under a thanthakhat just read (and
// the vowel on it, as in ศักดิ์), and then the consonant before it if that
// one is left dangling after a closed syllable: จันทร์ and ลักษณ์ are read
// จัน and ลัก. ห is exempt (พราหมณ์ keeps its ม).
func dropSilentUnits(us []thaiUnit) []thaiUnit {
	j := len(us) - 1
	for j >= 0 && !isThaiConsonant(us[j].r) {
		j--
	}
	if j < 0 {
		return us
	}
	us = us[:j]
	// Only after mai han-akat (or mai tai khu), which always needs a closing
	// consonant, is the letter before sure to close the syllable; after
	// other vowels it may open the next one (กิตติพงษ์ keeps its ง).
	if p := j - 1; p >= 2 && isThaiConsonant(us[p].r) && isThaiConsonant(us[p-1].r) &&
		us[p-1].r != 'ห' && (us[p-2].r == maiHanAkat || us[p-2].r == maiTaiKhu) {
		us = us[:p]
	}
	return us
}

// rewriteRorHan reads รร (ร หัน) as the vowel a with, when nothing closes the
// syllable, a final n: วรรณา → วันณา, พรรณี → พันณี, สวรรค์ → สวัน, บรรจง →
// บันจง; but ั alone when the next consonant closes it: วรรณ → วัณ, ธรรมชาติ →
// ธัมชาติ, อรรถพล → อัถพล. รร followed by a vowel sign is two ร (เพชรรัตน์) and is left alone.
func rewriteRorHan(us []thaiUnit) []thaiUnit {
	has := false
	for i := 0; i+1 < len(us); i++ {
		if us[i].r == 'ร' && us[i+1].r == 'ร' {
			has = true
			break
		}
	}
	if !has {
		return us
	}
	out := make([]thaiUnit, 0, len(us)+1)
	for i := 0; i < len(us); i++ {
		if us[i].r != 'ร' || i+1 >= len(us) || us[i+1].r != 'ร' || i == 0 ||
			(i+2 < len(us) && isThaiVowelSign(us[i+2].r)) {
			out = append(out, us[i])
			continue
		}
		// The letter after รร closes the syllable when it ends the word or
		// another syllable follows it (ธรรม|ชาติ, อรรถ|พล), but not when it
		// only opens a last syllable of its own (บรร|จง).
		k := i + 2
		closes := k < len(us) && isThaiConsonant(us[k].r) &&
			(k+1 == len(us) || isThaiLeadingVowel(us[k+1].r) ||
				(isThaiConsonant(us[k+1].r) && k+2 < len(us)))
		out = append(out, thaiUnit{r: maiHanAkat})
		if !closes {
			out = append(out, thaiUnit{r: 'น'})
		}
		i++
	}
	return out
}

// isThaiVowelSign reports the vowels written after or over a consonant.
func isThaiVowelSign(r rune) bool {
	return (r >= saraA && r <= 'ู') || r == 'ๅ' || r == maiTaiKhu
}

// isClusterFirst reports consonants that start ร/ล clusters (กร, ปล, ตร …).
func isClusterFirst(r rune) bool {
	switch r {
	case 'ก', 'ข', 'ค', 'ฆ', 'ต', 'ท', 'ถ', 'ธ', 'ป', 'ผ', 'พ', 'ภ', 'บ', 'ด', 'ฟ':
		return true
	}
	return false
}

func isSGroup(r rune) bool { return r == 'ศ' || r == 'ษ' || r == 'ส' || r == 'ซ' }

// isLowSonorant reports the letters a silent ห can lead (หญิง, หมู, หวาน).
func isLowSonorant(r rune) bool {
	switch r {
	case 'ง', 'ญ', 'น', 'ม', 'ย', 'ร', 'ล', 'ว':
		return true
	}
	return false
}

func isRorLor(r rune) bool { return r == 'ร' || r == 'ล' || r == 'ฬ' }

// thaiKey keys a normalised word that contains Thai letters. It reads the
// word syllable by syllable — optional leading vowel, onset (with cluster),
// vowel (written, or the unwritten a/o), optional final — deciding for each
// consonant whether it opens or closes a syllable, because several letters

// thaiKey keys a normalised word that contains Thai letters. It reads the
// word syllable by syllable — optional leading vowel, onset (with cluster),
// vowel (written, or the unwritten a/o), optional final — deciding for each
// consonant whether it opens or closes a syllable, because several letters
// sound different in the two places (ร is r at the start, n at the end).
// Where Thai spelling is ambiguous it takes the reading common in names.
func thaiKey(n string) string {
	var ubuf [48]thaiUnit
	p := thaiReader{u: rewriteRorHan(thaiUnits(n, ubuf[:]))}
	for p.i < len(p.u) {
		p.syllable()
	}
	return p.k.String()
}

type thaiReader struct {
	u       []thaiUnit
	i       int
	k       keyBuilder
	started bool // an onset has been read
}

func (p *thaiReader) isC(i int) bool { return i >= 0 && i < len(p.u) && isThaiConsonant(p.u[i].r) }
func (p *thaiReader) isV(i int) bool { return i >= 0 && i < len(p.u) && isThaiVowelSign(p.u[i].r) }
func (p *thaiReader) isLV(i int) bool {
	return i >= 0 && i < len(p.u) && isThaiLeadingVowel(p.u[i].r)
}
func (p *thaiReader) is(i int, r rune) bool { return i >= 0 && i < len(p.u) && p.u[i].r == r }

// bare reports a consonant with no vowel sign after it.
func (p *thaiReader) bare(i int) bool { return p.isC(i) && !p.isV(i+1) }

// syllable reads one syllable starting at p.i.
func (p *thaiReader) syllable() {
	var lv rune
	if p.isLV(p.i) {
		lv = p.u[p.i].r
		p.i++
	}
	if !p.isC(p.i) {
		p.i++ // a vowel with no consonant: nothing to key
		return
	}
	c := p.onset(lv)
	if lv == saraE && p.displaced(c) {
		// เจริญ = cha-roen, เฉลิม = cha-loem: the first consonant has the
		// unwritten a and the leading vowel belongs to the second.
		p.k.vowel(vowelA, 0)
		c = p.onset(lv)
	}
	c = p.cluster(c, lv)
	class, fin, glide, written, short, open := p.nucleus(c, lv)
	p.k.vowel(class, fin)
	switch {
	case open:
		return
	case glide != 0:
		p.k.add(glide)
		return
	}
	p.final(written, short)
}

// onset reads and codes the consonant at p.i, with the letters that merge
// into it, and returns the consonant that decides the syllable's shape.
func (p *thaiReader) onset(lv rune) rune {
	c := p.u[p.i].r
	first := !p.started
	p.started = true
	p.i++
	cls := onsetClass.of(c)
	switch {
	case c == 'ห' && p.isC(p.i) && isLowSonorant(p.u[p.i].r):
		c = p.u[p.i].r // ห leading a sonorant is silent: หญิง, สมหมาย
		cls = onsetClass.of(c)
		p.i++
	case c == 'อ' && first && p.is(p.i, 'ย') &&
		(p.u[p.i].tone || p.is(p.i+1, 'ู') || (p.is(p.i+1, saraAa) && p.is(p.i+2, 'ก'))):
		c, cls = 'ย', 'y' // อยู่ อย่า อย่าง อยาก
		p.i++
	case c == 'ท' && first && lv == 0 && p.is(p.i, 'ร'):
		cls = 's' // ทราย, ทรัพย์, ทรง
		p.i++
	case c == 'อ':
		cls = 0 // อ only carries a vowel; a word starting with it gets x
		if first {
			cls = 'x'
		}
	}
	p.k.add(byte(cls))
	return c
}

// displaced reports เ + C1 + C2 + ิ/ีย/ือ where C2 is a sonorant that does
// not cluster with C1 (เจริญ, เฉลิม, เฉลียว, เสมือน).
func (p *thaiReader) displaced(c rune) bool {
	i := p.i
	if !p.isC(i) || c == 'อ' {
		return false
	}
	x := p.u[i].r
	switch x {
	case 'ร', 'ล', 'น', 'ม', 'ย', 'ว':
	default:
		return false
	}
	if (isRorLor(x) && isClusterFirst(c)) || (x == 'ร' && isSGroup(c)) {
		return false
	}
	return (p.is(i+1, 'ิ') && p.bare(i+2)) || (p.is(i+1, 'ี') && p.is(i+2, 'ย')) ||
		(p.is(i+1, 'ื') && p.is(i+2, 'อ'))
}

// cluster consumes the second letter of a cluster after onset c.
func (p *thaiReader) cluster(c, lv rune) rune {
	i := p.i
	if !p.isC(i) || c == 'ฤ' || c == 'ฦ' {
		return c
	}
	x := p.u[i].r
	switch {
	case x == 'ฤ' || x == 'ฦ':
		p.i++ // กฤ, พฤ: a cluster carrying its own vowel (kri, phrue)
		return x
	case x == 'ร' && isClusterFirst(c) && p.is(i+1, 'ห') && p.isC(i+2) && isLowSonorant(p.u[i+2].r):
		p.i += 2 // พรหม = phrom: ร in the cluster, ห silent
	case isRorLor(x) && isClusterFirst(c) && (p.isV(i+1) || lv != 0):
		p.i++ // ประ, เปรม, ชาตรี
	case x == 'ร' && isSGroup(c) && (lv != 0 || p.u[i].tone || p.is(i+1, 'ี') || p.is(i+1, saraA)):
		p.i++ // ศรี, สร้อย, เสริม: ร is silent
	case x == 'ว' && p.isV(i+1):
		p.k.add('w') // กวิน, ขวัญ
		p.i++
	}
	return c
}

// nucleus reads the vowel of a syllable with onset c and leading vowel lv.
// It returns the vowel class, the final-vowel letter, a glide or final the
// vowel itself brings (ไ ใ: n, ำ: m, เ-า: w), whether the vowel is written
// and short, and open when the syllable ends here with the unwritten a.
func (p *thaiReader) nucleus(c, lv rune) (class, fin, glide byte, written, short, open bool) {
	i := p.i
	defer func() { p.i = i }()
	written = true
	switch lv {
	case saraAiMaiMalai, saraAi:
		glide = 'n'
		if p.is(i, 'ย') && !p.isV(i+1) {
			i++ // ไทย
		}
		return
	case saraE:
		class = vowelI
		switch {
		case p.is(i, saraAa) && p.is(i+1, saraA):
			i += 2
			class, fin, short = vowelA, 'O', true // เ-าะ
		case p.is(i, saraAa):
			i++
			class, glide = vowelA, 'w' // เ-า
		case p.is(i, 'ี') && p.is(i+1, 'ย'):
			i += 2
			fin = 'A' // เ-ีย = ia
		case p.is(i, 'ื') && p.is(i+1, 'อ'):
			i += 2
			class, fin = vowelU, 'A' // เ-ือ = uea
		case p.is(i, 'ิ'), p.is(i, 'ี'):
			i++ // เ-ิ = oe
		case p.is(i, maiTaiKhu), p.is(i, saraA):
			i++
			short = true
		case p.is(i, 'อ') && !p.isV(i+1):
			i++ // เ-อ = oe
			if p.is(i, saraA) {
				i++
			}
		default:
			short = true
		}
		return
	case saraAe:
		fin = 'E'
		if p.is(i, saraA) || p.is(i, maiTaiKhu) {
			i++
			short = true
		}
		return
	case 'โ':
		fin = 'O'
		if p.is(i, saraA) {
			i++
			short = true
		}
		return
	}
	switch {
	case c == 'ฤ' || c == 'ฦ':
		class, short = vowelI, true // ฤทธิ์ = rit, กฤษณ์ = krit
	case p.isV(i):
		v := p.u[i].r
		i++
		switch v {
		case saraA:
			fin, short = 'A', true
		case maiHanAkat:
			short = true
			if p.is(i, 'ว') && !p.isV(i+1) {
				i++ // ัว = ua
				class, fin, short = vowelU, 'A', false
				if p.is(i, saraA) {
					i++
				}
			}
		case saraAa, 'ๅ':
			fin = 'A'
		case saraAm:
			glide = 'm'
		case 'ิ':
			class, short = vowelI, true
		case 'ี':
			class = vowelI
		case 'ึ':
			class, short = vowelU, true
		case 'ื':
			class = vowelU
			if p.is(i, 'อ') && !p.isV(i+1) {
				i++ // -ือ
			}
		case 'ุ':
			class, short = vowelU, true
		case 'ู':
			class = vowelU
		case maiTaiKhu:
			short = true
		}
	case p.is(i, 'ว') && !p.isV(i+1) && (p.bare(i+1) || i+1 == len(p.u)):
		i++ // สวน, ดวง: ว is the vowel ua
		class, fin = vowelU, 'A'
	case p.is(i, 'อ') && !p.isV(i+1):
		i++ // ทอง, ปอ: อ is the vowel o
		fin = 'O'
	case !p.isC(i), p.isV(i + 1), p.is(i, 'ย'), p.is(i, 'ญ'),
		p.is(i, 'ร') && (c == 'ว' || c == 'ธ' || c == 'น'):
		// Nothing closes the unwritten a: ธนา = tha-na, ชยพล = cha-ya-phon,
		// วรวุฒิ = wo-ra-wut.
		open = true
	default:
		written = false // unwritten o, closed by the next letter: สม, พร
	}
	return
}

// final reads the consonant closing the syllable, if the next letter closes
// it rather than opening the next syllable.
func (p *thaiReader) final(written, short bool) {
	i := p.i
	if !p.bare(i) {
		return
	}
	x := p.u[i].r
	skipRor := false
	switch {
	case i+1 >= len(p.u) || p.isLV(i+1) || !p.isC(i+1):
	case p.isV(i + 2): // the letter after x has a vowel
		y := p.u[i+1].r
		if isRorLor(y) && isClusterFirst(x) {
			return // x starts a cluster: ชาตรี, สุพัตรา
		}
		if x == 'ร' && written {
			return // Sanskrit -ร-: สุรชัย = su-ra-chai
		}
		if isSGroup(x) {
			return // ศรีสวัสดิ์ = si-sa-wat, วาสนา = wat-sa-na (Wasana): s opens
		}
	default: // the letter after x is bare too
		y := p.u[i+1].r
		stopBeforeR := y == 'ร' && short && written && isStopBeforeSilentR(x)
		switch {
		case stopBeforeR && (i+2 >= len(p.u) || x != 'ท'):
			skipRor = true // บุตร, มิตร, เพชร, จักร(พันธ์): ร is silent
		case stopBeforeR:
			// ภัทรพล = phat-tha-ra-phon: ท closes, ร opens the next
			// syllable with the unwritten a, as in Pattarapon.
		case i+2 >= len(p.u):
			return // -กร, -พร at the end: kon, phon
		case x == 'ร' && written:
			return // ธีรพงษ์ = thi-ra-phong
		}
	}
	p.k.add(byte(finalClass.of(x)))
	p.i++
	if skipRor {
		p.i++
	}
}

// isStopBeforeSilentR reports the closing stops after which a bare ร is
// silent (มิตร, บุตร, ภัทร, จักร, เพชร, สมัคร).
func isStopBeforeSilentR(r rune) bool {
	switch r {
	case 'ก', 'ข', 'ค', 'ต', 'ท', 'ถ', 'ธ', 'ช':
		return true
	}
	return false
}
