// Package linkage decides whether two records from different agencies are
// the same child when no valid national ID says so: Fellegi–Sunter record
// linkage. Each pair of records is compared field by field (names as
// written, as they sound, as romanised; birth date, sex, mother's name,
// address), every field's agreement level carries a weight log2(m/u) — how
// much likelier that level is between records of one person (m) than
// between records of two people (u) — and the weights, estimated from the
// data by expectation–maximisation, add up to a score. Two thresholds cut
// the score into three outcomes: link, send to a data officer, keep apart.
//
// Candidates come from blocking: only records that share a block key (a
// sound of the family name with a birth year, and a few other passes) are
// compared, so that the work grows with the records, not their square.
// The package knows nothing of SQL; the store feeds it records.
package linkage

import (
	"strconv"
	"strings"

	"termtem/internal/thai"
)

// Record is what linkage compares of a person: a row of an agency's file
// or a person already known. Empty fields are unknown, never disagreement.
type Record struct {
	ID string
	// NationalID, when both records give one, decides: two different IDs
	// are two people, however alike the rest.
	NationalID  string
	GivenName   string // Thai or Latin, with or without a title
	FamilyName  string
	Nickname    string
	GivenLatin  string
	FamilyLatin string
	Sex         string // "male", "female" or ""
	// BirthDate is C.E. "YYYY-MM-DD", or "YYYY-MM" / "YYYY" when partial.
	BirthDate  string
	MotherName string // the mother's full name, any title
	// MotherCID is the mother's national ID, when known: two records
	// naming the same mother by ID agree on her whatever the spelling.
	MotherCID string
	// Address is the community code or the address as written.
	Address string
}

// prepared is a record with the forms comparison needs, computed once.
type prepared struct {
	given, family, nick           string // normalised, title stripped, lower case
	givenKey, familyKey           string // shared Thai/Latin phonetic key
	givenLK, familyLK             string // LK82 of the Thai spelling
	nickKey                       string
	latinGiven, latinFamily       string // the Latin spellings, lower case, if given
	latinGivenKey, latinFamilyKey string
	year, month, day              int
	sex                           string
	mother, motherKey, motherCID  string
	address                       string
	addressWords                  []string
}

// Prepare computes what Compare and the block keys need; a caller that
// compares one record with many prepares it once.
func Prepare(r Record) *Prepared {
	p := &prepared{}
	given, family := r.GivenName, r.FamilyName
	if given == "" && family == "" {
		given, family = r.GivenLatin, r.FamilyLatin
	}
	p.given = cleanName(given)
	p.family = cleanName(family)
	p.nick = cleanName(r.Nickname)
	p.givenKey = thai.PhoneticKey(p.given)
	p.familyKey = thai.PhoneticKey(p.family)
	p.nickKey = thai.PhoneticKey(p.nick)
	p.givenLK = thai.LK82(p.given)
	p.familyLK = thai.LK82(p.family)
	if r.GivenLatin != "" {
		p.latinGiven = cleanName(r.GivenLatin)
		p.latinFamily = cleanName(r.FamilyLatin)
		p.latinGivenKey, p.latinFamilyKey = thai.PhoneticKey(p.latinGiven), thai.PhoneticKey(p.latinFamily)
	}
	p.year, p.month, p.day = splitDate(r.BirthDate)
	p.sex = r.Sex
	if m := cleanName(r.MotherName); m != "" {
		p.mother = m
		p.motherKey = strings.Join(thai.NameKeys(m), " ")
	}
	p.motherCID = r.MotherCID
	p.address = strings.ToLower(strings.Join(strings.Fields(thai.NormalizeName(r.Address)), " "))
	if p.address != "" {
		p.addressWords = strings.Fields(p.address)
	}
	return &Prepared{rec: r, p: p}
}

// Prepared is a record ready for comparison and blocking.
type Prepared struct {
	rec Record
	p   *prepared
}

// Record returns the record prepared.
func (p *Prepared) Record() Record { return p.rec }

// cleanName normalises a name, drops a title in front of it and lower-cases
// Latin letters.
func cleanName(s string) string {
	n := thai.NormalizeName(strings.TrimSpace(s))
	if _, rest, ok := thai.SplitTitle(n); ok {
		n = rest
	}
	return strings.ToLower(strings.TrimSpace(n))
}

// splitDate reads "YYYY[-MM[-DD]]"; unknown parts are 0.
func splitDate(s string) (y, m, d int) {
	parts := strings.SplitN(s, "-", 3)
	if len(parts) == 0 || len(parts[0]) != 4 {
		return 0, 0, 0
	}
	y, _ = strconv.Atoi(parts[0])
	if len(parts) > 1 {
		m, _ = strconv.Atoi(parts[1])
	}
	if len(parts) > 2 {
		d, _ = strconv.Atoi(parts[2])
	}
	return y, m, d
}
