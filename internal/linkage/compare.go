package linkage

import "strings"

// Field is one thing compared between two records.
type Field int

const (
	Given Field = iota
	Family
	Latin
	Birth
	Sex
	Mother
	Address
	Nickname
	numFields
)

// Fields lists the compared fields in the order evidence is shown.
var Fields = []Field{Given, Family, Latin, Birth, Sex, Mother, Address, Nickname}

var fieldNames = [numFields]string{"given_name", "family_name", "latin_name", "birth_date", "sex", "mother_name", "address", "nickname"}

// String is the field's name, as message IDs and the API use it.
func (f Field) String() string { return fieldNames[f] }

// Missing is the level of a field one of the records does not give: it
// weighs nothing either way.
const Missing uint8 = 255

// levelNames name every field's levels, best agreement first; the last is
// disagreement.
var levelNames = [numFields][]string{
	Given:    {"exact", "sound", "close", "differ"},
	Family:   {"exact", "sound", "close", "differ"},
	Latin:    {"exact", "close", "differ"},
	Birth:    {"exact", "swapped", "partial", "near", "differ"},
	Sex:      {"agree", "differ"},
	Mother:   {"exact", "sound", "given", "differ"},
	Address:  {"exact", "overlap", "differ"},
	Nickname: {"agree", "differ"},
}

// Levels is how many agreement levels a field has.
func (f Field) Levels() int { return len(levelNames[f]) }

// LevelName names a level of a field ("exact", "sound", … or "missing").
func (f Field) LevelName(l uint8) string {
	if l == Missing || int(l) >= len(levelNames[f]) {
		return "missing"
	}
	return levelNames[f][l]
}

// Vector is the agreement level of every field for one pair.
type Vector [numFields]uint8

// Compare compares two prepared records field by field.
func Compare(a, b *Prepared) Vector {
	x, y := a.p, b.p
	var v Vector
	v[Given] = compareName(x.given, y.given, x.givenKey, y.givenKey, x.givenLK, y.givenLK)
	// A roster that lists a child by nickname only (the given-name column
	// holds the nickname too) says nothing about the given name.
	if v[Given] == 3 && (x.given == x.nick || y.given == y.nick) {
		v[Given] = Missing
	}
	// A child known by a nickname in one file and by the given name in
	// another: the nickname standing for the given name is close.
	if v[Given] == 3 && (x.given != "" && x.given == y.nick || y.given != "" && y.given == x.nick) {
		v[Given] = 2
	}
	v[Family] = compareName(x.family, y.family, x.familyKey, y.familyKey, x.familyLK, y.familyLK)
	v[Latin] = compareLatin(x, y)
	// The Latin spelling is a romanisation of the Thai one: when the Thai
	// names already agree it says nothing new, and counting it again would
	// weigh one name twice (Fellegi–Sunter assumes fields independent).
	if v[Given] <= 1 && v[Family] <= 1 {
		v[Latin] = Missing
	}
	v[Birth] = compareBirth(x, y)
	v[Sex] = Missing
	if x.sex != "" && y.sex != "" {
		v[Sex] = b2l(x.sex != y.sex)
	}
	v[Mother] = Missing
	if x.motherCID != "" && y.motherCID != "" {
		// Both name the mother by her national ID: that decides.
		v[Mother] = 0
		if x.motherCID != y.motherCID {
			v[Mother] = 3
		}
	} else if x.mother != "" && y.mother != "" {
		switch {
		case x.mother == y.mother:
			v[Mother] = 0
		case x.motherKey != "" && x.motherKey == y.motherKey:
			v[Mother] = 1 // the same sounds
		case x.motherKey != "" && firstWord(x.motherKey) == firstWord(y.motherKey):
			// The same given name: she may have changed her family name,
			// or two mothers share a common given name. Weighed apart from
			// the same sounds, which strangers' mothers rarely share.
			v[Mother] = 2
		default:
			v[Mother] = 3
		}
	}
	v[Address] = compareAddress(x.addressWords, y.addressWords)
	v[Nickname] = Missing
	if x.nickKey != "" && y.nickKey != "" {
		v[Nickname] = b2l(x.nickKey != y.nickKey)
	}
	return v
}

func b2l(differ bool) uint8 {
	if differ {
		return 1
	}
	return 0
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

func compareName(a, b, ka, kb, la, lb string) uint8 {
	switch {
	case a == "" || b == "":
		return Missing
	case a == b:
		return 0
	case ka != "" && ka == kb, la != "" && la == lb:
		return 1
	case similarity(a, b) >= 0.85:
		return 2
	}
	return 3
}

// compareLatin compares romanised names part by part (given with given,
// family with family): both Latin, or one Latin against the sounds of the
// other's Thai name (the key space is shared). Both parts must agree.
func compareLatin(x, y *prepared) uint8 {
	switch {
	case x.latinGiven != "" && y.latinGiven != "":
		if x.latinGiven == y.latinGiven && x.latinFamily == y.latinFamily {
			return 0
		}
		if latinClose(x.latinGiven, y.latinGiven, x.latinGivenKey, y.latinGivenKey) &&
			(x.latinFamily == "" || y.latinFamily == "" || latinClose(x.latinFamily, y.latinFamily, x.latinFamilyKey, y.latinFamilyKey)) {
			return 1
		}
		return 2
	case x.latinGiven != "" && y.latinGiven == "" && y.givenKey != "":
		return crossScript(x, y)
	case y.latinGiven != "" && x.latinGiven == "" && x.givenKey != "":
		return crossScript(y, x)
	}
	return Missing
}

func latinClose(a, b, ka, kb string) bool {
	return a == b || ka == kb || similarity(a, b) >= 0.88
}

// crossScript compares one record's Latin spelling with the sounds of the
// other's Thai name, given and family name both (the comment of
// compareLatin): a Latin given name alone agreeing with a Thai one says
// again what the given name said, and counted a stranger of the same given
// name as close.
func crossScript(latin, th *prepared) uint8 {
	if latin.latinGivenKey == th.givenKey && (latin.latinFamilyKey == "" || th.familyKey == "" || latin.latinFamilyKey == th.familyKey) {
		return 1
	}
	return 2
}

// compareBirth: exact; day and month swapped; partial (one date a part of
// the other: a year-month or a year against a full date); near (a digit
// off, a year off with the same day); else differ. A swap says more than
// a partial date: a year and month alone are shared by many strangers.
func compareBirth(x, y *prepared) uint8 {
	if x.year == 0 || y.year == 0 {
		return Missing
	}
	switch {
	case x.year == y.year && x.month == y.month && x.day == y.day:
		return 0
	case x.year == y.year && x.day != 0 && x.month == y.day && x.day == y.month:
		return 1
	case x.year == y.year && (x.month == 0 || y.month == 0 || (x.month == y.month && (x.day == 0 || y.day == 0))):
		return 2
	case x.year == y.year && x.month == y.month && oneDigit(x.day, y.day):
		return 3
	case x.year == y.year && x.day == y.day && oneDigit(x.month, y.month):
		return 3
	case abs(x.year-y.year) == 1 && x.month == y.month && x.day == y.day:
		return 3
	}
	return 4
}

// oneDigit: two numbers of at most two digits differ in one digit (a
// slip of the keyboard: 12 for 13, 21 for 27).
func oneDigit(a, b int) bool {
	return a/10 == b/10 || a%10 == b%10
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

func compareAddress(a, b []string) uint8 {
	if len(a) == 0 || len(b) == 0 {
		return Missing
	}
	if strings.Join(a, " ") == strings.Join(b, " ") {
		return 0
	}
	shared := 0
	for _, w := range a {
		for _, u := range b {
			if w == u {
				shared++
				break
			}
		}
	}
	if 2*shared >= min(len(a), len(b)) {
		return 1
	}
	return 2
}

// PatternFormat is the version of the fields and levels a pattern is
// written in. Version 1 (patterns without a prefix, recorded before
// November 2026) had no partial birth date and no mother's given name
// alone; version 2 split them off "swapped" and "sound".
const PatternFormat = 2

// String writes the vector as the format's version and its levels
// separated by dots, "-" for a missing field ("2:0.0.-.1.0.-.-.-"): how
// imports record the patterns they compared, for training.
func (v Vector) String() string {
	var b strings.Builder
	b.WriteString("2:")
	for f, l := range v {
		if f > 0 {
			b.WriteByte('.')
		}
		if l == Missing {
			b.WriteByte('-')
		} else {
			b.WriteByte('0' + l)
		}
	}
	return b.String()
}

// ParseVector reads what Vector.String wrote, in this format or the one
// before; ok is false for anything else. A version 1 pattern is read with
// its levels renumbered: its "swapped" birth dates (which then included
// partial dates) as swapped, its mother's "sound" (which then included the
// same given name) as sound.
func ParseVector(s string) (v Vector, ok bool) {
	body, v2 := strings.CutPrefix(s, "2:")
	if !v2 {
		if strings.Contains(s, ":") {
			return v, false
		}
		return parseV1(s)
	}
	return parseLevels(body, func(f Field) int { return f.Levels() })
}

// v1Levels maps a version 1 pattern's levels of the fields that changed.
var v1Levels = map[Field][]uint8{Birth: {0, 1, 3, 4}, Mother: {0, 1, 3}}

func parseV1(s string) (v Vector, ok bool) {
	v, ok = parseLevels(s, func(f Field) int {
		if m, changed := v1Levels[f]; changed {
			return len(m)
		}
		return f.Levels()
	})
	if !ok {
		return v, false
	}
	for f, m := range v1Levels {
		if v[f] != Missing {
			v[f] = m[v[f]]
		}
	}
	return v, true
}

func parseLevels(s string, levels func(Field) int) (v Vector, ok bool) {
	parts := strings.Split(s, ".")
	if len(parts) != int(numFields) {
		return v, false
	}
	for f, p := range parts {
		switch {
		case p == "-":
			v[f] = Missing
		case len(p) == 1 && p[0] >= '0' && int(p[0]-'0') < levels(Field(f)):
			v[f] = p[0] - '0'
		default:
			return v, false
		}
	}
	return v, true
}
