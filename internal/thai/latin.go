package thai

import "strings"

// LatinPhoneticKey keys a romanised Thai name word in the same key space as
// PhoneticKey, so that a name typed in Latin letters finds its Thai
// spelling: LatinPhoneticKey("Somchai") == LatinPhoneticKey("Somchay") ==
// PhoneticKey("สมชาย").
//
// It reads RTGS and the common personal spellings alike:
//
//   - ph th kh ch → the same sounds as p t k ch (Thai aspiration is not kept:
//     Kittipong = Kittiphong), j = ch, v = w, g (alone) = k, ng = ง;
//   - a consonant after a vowel and before another consonant or the end is a
//     final and is read as Thai finals are: d j ch s → t, l → n, b f → p;
//   - r after a vowel and before a consonant or the end only lengthens the
//     vowel (Porn = พร, Umnart = อำนาจ); h there is silent too (Oh);
//   - r and l after a consonant and before a vowel form a cluster and are
//     dropped as in Thai (Prasert, Srisuk, Thanakrit);
//   - ai ay oi ui ei … are the glide that ย and ไ/ใ make (coded like a final
//     n); ao eo io and final w are the glide of ว and เ-า;
//   - a doubled consonant (tt, pp) counts once, like the Thai letter that
//     ends one syllable and sounds again in the next (Kittipong, Nattawut),
//     and ts or ss counts as s (Watsana = Wassana = Wasana);
//   - a final lone e after a consonant is silent (Pairote); u before ck, and
//     a first u before m and a consonant, is the English-style spelling of
//     a (Nongluck = นงลักษณ์, Umnart = อำนาจ);
//   - vowels keep the classes of PhoneticKey: a and o are not written, i, e,
//     ee, ia, oe give I, and u, oo, ue, eu, ua give U; the vowel a word ends
//     on gives A (a, ua, ia), E (ae) or O (o, or, oh), and a final i or u is
//     dropped (Phumi = Phum = ภูมิ); a word that starts with a vowel starts
//     with x, like อ.
//
// Case is ignored and accents are folded (é is e); other characters are
// ignored except that a hyphen, apostrophe or space marks a syllable break
// (La-iat). Romanisation loses tone and vowel length and
// personal spellings vary, so a Latin key is a search aid, never grounds to
// link two records.
func LatinPhoneticKey(s string) string { return latinKey(NormalizeName(s)) }

// latinTok is a consonant sound (onset and final class) or a vowel group.
type latinTok struct {
	vowel        bool
	v            string // the vowel letters, for a vowel group
	onset, final byte   // classes, for a consonant; 0 = silent
	liquid       byte   // 'r' or 'l' for those letters (cluster candidates)
}

// latinConsonants maps single letters to onset and final classes.
var latinConsonants = [26][2]byte{
	'b' - 'a': {'b', 'p'}, 'c' - 'a': {'k', 'k'}, 'd' - 'a': {'d', 't'}, 'f' - 'a': {'f', 'p'},
	'g' - 'a': {'k', 'k'}, 'h' - 'a': {'h', 0}, 'j' - 'a': {'c', 't'}, 'k' - 'a': {'k', 'k'},
	'l' - 'a': {'r', 'n'}, 'm' - 'a': {'m', 'm'}, 'n' - 'a': {'n', 'n'}, 'p' - 'a': {'p', 'p'},
	'q' - 'a': {'k', 'k'}, 'r' - 'a': {'r', 0}, 's' - 'a': {'s', 't'}, 't' - 'a': {'t', 't'},
	'v' - 'a': {'w', 'w'}, 'w' - 'a': {'w', 'w'}, 'y' - 'a': {'y', 'n'}, // x: see latinTokens
	'z' - 'a': {'s', 't'},
}

// latinDigraphs are the two-letter consonants.
var latinDigraphs = map[string][2]byte{
	"ph": {'p', 'p'}, "th": {'t', 't'}, "kh": {'k', 'k'}, "ch": {'c', 't'},
	"sh": {'s', 't'}, "bh": {'p', 'p'}, "dh": {'t', 't'}, "gh": {'k', 'k'},
	"ng": {'g', 'g'}, "ck": {'k', 'k'},
}

// latinBreak stands for a hyphen, apostrophe or space inside a name.
const latinBreak = '-'

func isLatinVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// foldLatin lower-cases ASCII letters, strips the accents of Latin-1 and
// Latin Extended-A vowels, and returns 0 for anything else.
func foldLatin(r rune) byte {
	switch {
	case r >= 'a' && r <= 'z':
		return byte(r)
	case r >= 'A' && r <= 'Z':
		return byte(r - 'A' + 'a')
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'À', 'Á', 'Â', 'Ã', 'Ä', 'Å', 'Ā':
		return 'a'
	case 'è', 'é', 'ê', 'ë', 'ē', 'È', 'É', 'Ê', 'Ë', 'Ē':
		return 'e'
	case 'ì', 'í', 'î', 'ï', 'ī', 'Ì', 'Í', 'Î', 'Ï', 'Ī':
		return 'i'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ō', 'Ò', 'Ó', 'Ô', 'Õ', 'Ö', 'Ō':
		return 'o'
	case 'ù', 'ú', 'û', 'ü', 'ū', 'Ù', 'Ú', 'Û', 'Ü', 'Ū':
		return 'u'
	case 'ý', 'ÿ', 'Ý':
		return 'y'
	case 'ñ', 'Ñ':
		return 'n'
	case 'ç', 'Ç':
		return 'c'
	}
	return 0
}

// latinKey keys a normalised word (or words, read as one) in Latin letters.
func latinKey(n string) string {
	var lbuf [64]byte
	b := lbuf[:0]
	for _, r := range n {
		if c := foldLatin(r); c != 0 {
			b = append(b, c)
		} else if len(b) > 0 && b[len(b)-1] != latinBreak {
			b = append(b, latinBreak) // La-iat, Sae Tang: a syllable break
		}
	}
	var tbuf [48]latinTok
	toks := latinTokens(b, tbuf[:0])
	// A lone e after a consonant at the end is silent (Pairote, Note).
	if m := len(toks); m >= 3 && toks[m-1].vowel && toks[m-1].v == "e" && !toks[m-2].vowel {
		toks = toks[:m-1]
	}
	var k keyBuilder
	for t, tok := range toks {
		if tok.vowel {
			if t == 0 {
				k.add('x')
			}
			class, fin := latinVowel(tok.v)
			k.vowel(class, fin)
			if g := latinGlide(tok.v); g != 0 && (t+1 == len(toks) || !toks[t+1].vowel) {
				k.add(g)
			}
			continue
		}
		prevV := t > 0 && toks[t-1].vowel
		nextV := t+1 < len(toks) && toks[t+1].vowel
		switch {
		case nextV && tok.liquid != 0 && t > 0 && !toks[t-1].vowel && clustersWith(toks[t-1], tok.liquid):
			// a cluster: Prasert, Srisuk, Chatree — r/l dropped
		case nextV || !prevV && t+1 < len(toks):
			k.add(tok.onset)
		default:
			k.add(tok.final)
		}
	}
	return k.String()
}

// clustersWith reports whether a consonant can start an r/l cluster: the
// stops and f, and s before r (ศรี, สร้อย).
func clustersWith(c latinTok, liquid byte) bool {
	switch c.onset {
	case 'k', 'p', 't', 'b', 'd', 'f':
		return true
	case 's':
		return liquid == 'r'
	}
	return false
}

// latinTokens splits lower-case letters into consonant sounds and vowel
// groups. y and w after a vowel join its group as a glide unless a vowel
// follows; r and h after a vowel and before a consonant or the end are
// length markers and vanish; h after a consonant (nh, mh) is silent.
func latinTokens(b []byte, toks []latinTok) []latinTok {
	prevVowel := func() bool { return len(toks) > 0 && toks[len(toks)-1].vowel }
	nextVowel := func(i int) bool { return i < len(b) && (isLatinVowel(b[i]) || b[i] == 'y') }
	for i := 0; i < len(b); {
		c := b[i]
		if c == latinBreak {
			i++
			continue
		}
		if isLatinVowel(c) {
			j := i
			for j < len(b) && isLatinVowel(b[j]) {
				j++
			}
			v := string(b[i:j])
			if v == "u" && (strings.HasPrefix(string(b[j:]), "ck") ||
				(i == 0 && j+1 < len(b) && b[j] == 'm' && !isLatinVowel(b[j+1]) && b[j+1] != 'y')) {
				v = "a" // Nongluck (ลักษณ์), Umnuay (อำนวย): English-style u for a
			}
			toks = append(toks, latinTok{vowel: true, v: v})
			i = j
			continue
		}
		switch c {
		case 'y':
			switch {
			case i+1 < len(b) && isLatinVowel(b[i+1]) && prevVowel() && latinGlide(toks[len(toks)-1].v) == 'n':
				// Chaiyawat, Naiyana: y repeats the glide of ai (ชัย, นัย)
				toks = append(toks, latinTok{onset: 'n', final: 'n'})
			case i+1 < len(b) && isLatinVowel(b[i+1]):
				toks = append(toks, latinTok{onset: 'y', final: 'n'})
			case prevVowel():
				toks[len(toks)-1].v += "i" // ay, oy: the glide
			default:
				toks = append(toks, latinTok{vowel: true, v: "i"}) // Pyn, Suny
			}
			i++
			continue
		case 'r', 'h':
			if prevVowel() && !nextVowel(i+1) {
				i++ // Porn, Oh: marks a long vowel
				continue
			}
			if c == 'h' && len(toks) > 0 && !prevVowel() {
				i++ // nh, mh after a consonant: silent (ห leading)
				continue
			}
		case 'x':
			toks = append(toks, latinTok{onset: 'k', final: 'k'}, latinTok{onset: 's', final: 't'})
			i++
			continue
		}
		if i+1 < len(b) {
			if d, ok := latinDigraphs[string(b[i:i+2])]; ok {
				toks = append(toks, latinTok{onset: d[0], final: d[1]})
				i += 2
				continue
			}
		}
		cl := latinConsonants[c-'a']
		tok := latinTok{onset: cl[0], final: cl[1]}
		if c == 'r' || c == 'l' {
			tok.liquid = c
		}
		toks = append(toks, tok)
		i++
	}
	return toks
}

// latinGlide returns the class of the glide a vowel group ends in: n for
// the y-glide (ai, ay, oi, ui, uai, ei), w for the w-glide (ao, eo, io, iao),
// or 0.
func latinGlide(v string) byte {
	if len(v) < 2 {
		return 0
	}
	last, prev := v[len(v)-1], v[len(v)-2]
	switch {
	case last == 'i' && (prev == 'a' || prev == 'o' || prev == 'u' || prev == 'e'):
		return 'n'
	case last == 'o' && (prev == 'a' || prev == 'e' || prev == 'i'):
		return 'w'
	}
	return 0
}

// latinVowel returns a vowel group's class (vowelA, vowelI, vowelU, as in
// PhoneticKey) from its first letters, and the letter it gives at the end of
// a word from its last: A for a (a, ua, ia, uea), E for ae, O for o (not oo).
func latinVowel(v string) (class, fin byte) {
	second := byte(0)
	if len(v) > 1 {
		second = v[1]
	}
	switch v[0] {
	case 'a':
		class = vowelA
	case 'o':
		switch second {
		case 'o', 'u':
			class = vowelU // oo, ou: Boonmee
		case 'e':
			class = vowelI // oe: Chaloemchai (เ-ิ, เ-อ)
		default:
			class = vowelA
		}
	case 'e':
		class = vowelI
		if second == 'u' {
			class = vowelU // eu: Neung (ึ)
		}
	case 'i':
		class = vowelI
	case 'u':
		class = vowelU
	}
	switch {
	case strings.HasSuffix(v, "a"):
		fin = 'A'
	case strings.HasSuffix(v, "ae"):
		fin = 'E'
	case strings.HasSuffix(v, "o") && class == vowelA:
		fin = 'O'
	}
	return class, fin
}

// NameKeys returns the phonetic keys of the words of a full name — Thai,
// Latin or mixed — with any title removed, in order and without repeats.
// It is what a search index stores for a person: a query's keys are looked
// up and the candidates then compared in full.
func NameKeys(s string) []string {
	_, rest, _ := SplitTitle(s)
	var keys []string
	for _, w := range nameWords(rest) {
		k := PhoneticKey(w)
		if k == "" {
			continue
		}
		dup := false
		for _, x := range keys {
			if x == k {
				dup = true
				break
			}
		}
		if !dup {
			keys = append(keys, k)
		}
	}
	return keys
}
