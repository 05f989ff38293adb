package demo

import (
	"strings"

	"termtem/internal/people"
)

// DemoSerialBase is where the demo households' document numbers start, far
// above any benchmark population's, so that both can live in one database.
const DemoSerialBase = 9_900_000

// serialSpace is the number of 7-digit serials. Serials are issued in
// order, as a registration office issues them (digits 6–10 are the book,
// 11–12 the entry in it), which also keeps index inserts at the end of the
// B-trees when a large population is stored.
const serialSpace = 10_000_000

// isanOffices are registration offices (Mueang district of Nakhon
// Ratchasima, Buri Ram, Surin, Si Sa Ket, Ubon Ratchathani, Khon Kaen,
// Udon Thani, Roi Et, Kalasin, Sakon Nakhon): many of Bangkok's older
// residents were registered in the north-east before they came for work.
var isanOffices = []string{"3001", "3101", "3201", "3301", "3401", "4001", "4101", "4501", "4601", "4701"}

// identity decides member i's nationality, documents, phone and Latin
// names, appends their text to b and records where it is in sp.
func (g *Generator) identity(b []byte, i int, sp *memberSpans) []byte {
	p := &g.members[i]
	bd := g.births[i]
	age := AgeOn(bd.date, g.asOf)
	adult := age >= 18
	nat := originNationality[g.origin]
	mark := func(s *span, from int) { *s = span{int32(from), int32(len(b))} }

	var (
		idType  byte // first digit of the national ID; 0xff: none
		office  string
		other   people.IdentifierKind
		phone   int // percent chance of a phone number
		latinPc int // percent chance of a Latin spelling
	)
	idType = 0xff
	switch g.origin {
	case originThai:
		phone, latinPc = 75, 20
		if !adult {
			phone, latinPc = 0, 8
			if age >= 6 {
				latinPc = 35 // school rosters carry English names
			}
		}
		switch {
		case age == 0 && g.chance(8): // born weeks ago, not yet registered
		case !adult && g.chance(2): // never registered: no document yet
		case bd.date.Year() < 1984:
			idType = '3' // in a house register before the 1984 numbering
			if g.chance(6) {
				idType = '5' // added by a later survey
			}
			office = g.office()
			if g.chance(45) {
				office = pick(g.rng, isanOffices)
			}
		default:
			idType = '1' // registered at birth
			if g.chance(3) {
				idType = '2' // registered late
			}
			office = g.office()
			if adult && g.chance(30) {
				office = pick(g.rng, isanOffices)
			}
		}
	case originMyanmar, originCambodian, originLao:
		phone, latinPc = 60, 85
		if adult {
			switch r := g.rng.IntN(100); {
			case r < 55: // a migrant worker's 13-digit number, starting 00
				idType, office = '0', "0"+pick(g.rng, []string{"010", "011", "030", "045", "074"})
			case r < 80: // a non-Thai resident (type 6)
				idType, office = '6', g.office()
			}
			if g.chance(50) {
				other = people.Passport
			}
		} else {
			phone, latinPc = 0, 30
			if nat != people.Thai && g.chance(25) {
				nat = people.StatusUndocumented
			}
			switch r := g.rng.IntN(100); {
			case r < 35: // a child of type-6 parents, born here (type 7)
				idType, office = '7', g.office()
			case r < 60:
				other = people.BirthCertificate
			case r < 85 && age >= 4:
				other = people.GCode
			}
		}
	case originStateless:
		phone, latinPc = 50, 5
		if !adult {
			phone = 0
		}
		switch r := g.rng.IntN(100); {
		case r < 60 || (adult && r < 75): // a card for people without registration status (type 0)
			idType, office = '0', g.office()
		case !adult && age >= 4 && r < 85:
			other = people.GCode
		}
	case originUndocumented:
		phone, latinPc = 40, 10
		if adult {
			if g.chance(15) {
				other = people.Passport
			}
		} else {
			phone = 0
			switch r := g.rng.IntN(100); {
			case r < 45 && age >= 4:
				other = people.GCode
			case r < 65:
				other = people.BirthCertificate
			}
		}
	}
	p.Nationality = nat

	if idType != 0xff {
		at := len(b)
		b = append(b, idType)
		b = append(b, office...)
		b = g.appendSerial(b)
		b = append(b, nationalIDCheckDigit(b[at:]))
		mark(&sp.nationalID, at)
	}
	if other != "" {
		at := len(b)
		switch other {
		case people.GCode: // schools' number: G, province 10 (Bangkok), then a serial
			b = append(b, "G10"...)
			b = appendDigits(b, 100+g.rng.IntN(900), 3)
			b = g.appendSerial(b)
		case people.BirthCertificate: // office / B.E. year of birth / serial
			b = append(b, g.office()...)
			b = append(b, '/')
			b = appendDigits(b, bd.date.Year()+543, 4)
			b = append(b, '/')
			b = g.appendSerial(b)
		case people.Passport:
			switch g.origin {
			case originMyanmar:
				b = append(b, 'M', "ABCD"[g.rng.IntN(4)])
			case originCambodian:
				b = append(b, 'N')
			default:
				b = append(b, 'P')
			}
			b = g.appendSerial(b)
		}
		mark(&sp.other, at)
		sp.otherKind = other
	}
	if g.chance(phone) {
		at := len(b)
		b = append(b, '0', "689"[g.rng.IntN(3)])
		b = appendDigits(b, g.rng.IntN(100_000_000), 8)
		mark(&sp.phone, at)
	}
	if g.chance(latinPc) {
		ln := g.latin[i]
		at := len(b)
		if ln.burmese {
			b = append(b, ln.given...)
			mark(&sp.givenLatin, at)
			at = len(b)
			b = append(b, ln.family...)
			mark(&sp.familyLatin, at)
		} else {
			b = g.appendLatin(b, latinOf(p.GivenName))
			mark(&sp.givenLatin, at)
			at = len(b)
			b = g.appendLatin(b, latinOf(p.FamilyName))
			mark(&sp.familyLatin, at)
		}
	}
	return b
}

// nationalID returns a new synthetic national ID of a person type and
// registration office.
func (g *Generator) nationalID(idType byte, office string) string {
	b := append(g.scratch[0][:0], idType)
	b = append(b, office...)
	b = g.appendSerial(b)
	b = append(b, nationalIDCheckDigit(b))
	g.scratch[0] = b
	return string(b)
}

// office is a registration office of the households' district.
func (g *Generator) office() string {
	if len(g.Offices) == 0 {
		return districtLatKrabang
	}
	return pick(g.rng, g.Offices)
}

// appendSerial appends the next 7-digit document serial.
func (g *Generator) appendSerial(b []byte) []byte {
	k := uint64(g.SerialBase) + uint64(g.serials)
	g.serials++
	return appendDigits(b, int(k%serialSpace), 7)
}

// nationalIDCheckDigit is the 13th digit for 12 ASCII digits:
// (11 − Σ dᵢ·(14−i) mod 11) mod 10.
func nationalIDCheckDigit(d12 []byte) byte {
	sum := 0
	for i := range 12 {
		sum += int(d12[i]-'0') * (13 - i)
	}
	return byte('0' + (11-sum%11)%10)
}

// latinRules are the ways people write Thai names in Latin letters other
// than RTGS: ph and th without the h (Panuwat), oe as er (Prasert), u as
// oo (Boonmee), final i as ee, final on as orn (Siriporn), w as v (Vichai),
// kh as k, ch as j (Jiraporn), chai as chay (Somchay).
var latinRules = []struct {
	from, to     string
	start, final bool // only at the start or end of the word
}{
	{"chai", "chay", false, true},
	{"ph", "p", false, false},
	{"th", "t", false, false},
	{"oe", "er", false, false},
	{"bun", "boon", false, false},
	{"suk", "sook", false, false},
	{"i", "ee", false, true}, // see applyRule
	{"on", "orn", false, true},
	{"w", "v", true, false},
	{"kh", "k", false, false},
	{"ch", "j", true, false},
}

// appendLatin appends one spelling of a name: mostly RTGS, often the
// common spelling, sometimes RTGS changed by some of latinRules.
func (g *Generator) appendLatin(b []byte, spellings string) []byte {
	if spellings == "" {
		return b
	}
	rtgs, alts, _ := strings.Cut(spellings, "|")
	switch r := g.rng.IntN(100); {
	case r < 50:
		return append(b, rtgs...)
	case r < 80 && alts != "":
		n := strings.Count(alts, "|") + 1
		k := g.rng.IntN(n)
		for range k {
			_, alts, _ = strings.Cut(alts, "|")
		}
		alt, _, _ := strings.Cut(alts, "|")
		return append(b, alt...)
	}
	w, out := append(g.scratch[0][:0], rtgs...), g.scratch[1]
	w[0] |= 0x20 // lower case
	for _, rule := range latinRules {
		if !g.chance(50) {
			continue
		}
		out = applyRule(out[:0], w, rule.from, rule.to, rule.start, rule.final)
		w, out = out, w
	}
	g.scratch = [2][]byte{w, out}
	at := len(b)
	b = append(b, w...)
	if b[at] >= 'a' && b[at] <= 'z' {
		b[at] -= 0x20
	}
	return b
}

// applyRule appends w to out with from replaced by to.
func applyRule(out, w []byte, from, to string, start, final bool) []byte {
	for i := 0; i < len(w); {
		if (!start || i == 0) && (!final || i+len(from) == len(w)) &&
			i+len(from) <= len(w) && string(w[i:i+len(from)]) == from &&
			(from != "i" || i == 0 || !strings.ContainsRune("aeiou", rune(w[i-1]))) {
			out = append(out, to...)
			i += len(from)
			continue
		}
		out = append(out, w[i])
		i++
	}
	return out
}
