// Package synth makes synthetic agency files with known truth for
// measuring record linkage: one population of children (with twins and
// siblings, who must stay apart), and several agencies' files about them,
// each spelling, dating and leaving out things its own way — typos,
// sound-alike spellings, day and month swapped, partial dates, missing
// national IDs, nicknames in place of given names, family names changed,
// Latin spellings of every kind. Every record carries the ID of the person
// it is really about. Nothing here is drawn from real records.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"termtem/internal/demo"
	"termtem/internal/linkage"
	"termtem/internal/thai"
)

// Person is a child of the synthetic population.
type Person struct {
	ID                   string
	NationalID           string
	Given, Family, Nick  string
	GivenLatin, FamLatin string
	Sex                  string
	Birth                string // YYYY-MM-DD
	Mother               string // given and family name
	Community            string // community name
}

// Record is one agency's row about a person: Truth is the person's ID.
type Record struct {
	linkage.Record
	NationalID string
	Truth      string
	Agency     int
	// Noise lists what was changed, for reading failures.
	Noise []string
}

// Options say how big and how noisy the files are.
type Options struct {
	People   int     // children in the population
	Agencies int     // files
	Coverage float64 // share of the population each agency's file holds
	// IDShare is the share of records that keep a valid national ID.
	IDShare float64
	Seed    uint64
}

// Defaults: a district's children in three agencies' files.
func Defaults() Options {
	return Options{People: 4000, Agencies: 3, Coverage: 0.7, IDShare: 0.3, Seed: 7}
}

type gen struct {
	rng   *rand.Rand
	names demo.NameLists
	comms []string
	// ev draws the noise of the mother's name and the address beyond the
	// first files' (a mother's changed family name, a respelt name, a
	// moved household) from a stream of its own, so that every other
	// field is disturbed exactly as before those were added.
	ev *rand.Rand
}

// Population makes the children: families of one to three, a share of
// twins (same family, birth date and mother; different given names).
func Population(o Options) []Person {
	g := &gen{rng: rand.New(rand.NewPCG(o.Seed, 2026)), names: demo.Names()}
	for i := 0; i < 60; i++ {
		g.comms = append(g.comms, fmt.Sprintf("ชุมชน%s ซอย %d", g.pick(g.names.Family), 1+g.rng.IntN(40)))
	}
	var out []Person
	for len(out) < o.People {
		family, famLatin := g.familyName()
		mother := g.pick(g.names.MothersGiven) + " " + family
		comm := g.pick(g.comms)
		children := 1 + g.rng.IntN(3)
		given := map[string]bool{} // parents do not name two children alike
		for c := 0; c < children && len(out) < o.People; c++ {
			p := g.child(len(out), family, famLatin, mother, comm)
			if given[p.Given] {
				continue
			}
			given[p.Given] = true
			out = append(out, p)
			if g.rng.IntN(100) < 3 && len(out) < o.People { // twins
				t := g.child(len(out), family, famLatin, mother, comm)
				t.Birth = p.Birth
				if !given[t.Given] {
					given[t.Given] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

func (g *gen) pick(l []string) string { return l[g.rng.IntN(len(l))] }

func (g *gen) chance(pct int) bool { return g.rng.IntN(100) < pct }

// familyName makes a family name. Thai family names were coined one per
// family (the law of 1913 forbade taking another's), so most are long
// compounds few families share: the lists' names are joined in pairs.
func (g *gen) familyName() (string, string) {
	a := g.pick(g.names.Family)
	la, _ := demo.LatinSpellings(a)
	if g.chance(25) {
		return a, la
	}
	b := g.pick(g.names.Family)
	lb, _ := demo.LatinSpellings(b)
	return a + b, la + strings.ToLower(lb)
}

func (g *gen) child(i int, family, famLatin, mother, comm string) Person {
	p := Person{ID: fmt.Sprintf("P%06d", i), Family: family, FamLatin: famLatin, Mother: mother, Community: comm}
	if g.chance(50) {
		p.Sex, p.Given, p.Nick = "male", g.pick(g.names.Male), g.pick(g.names.MaleNick)
	} else {
		p.Sex, p.Given, p.Nick = "female", g.pick(g.names.Female), g.pick(g.names.FemaleNick)
	}
	p.GivenLatin, _ = demo.LatinSpellings(p.Given)
	y, m, d := 2008+g.rng.IntN(16), 1+g.rng.IntN(12), 1+g.rng.IntN(28)
	p.Birth = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	p.NationalID = nationalID(g.rng)
	return p
}

// nationalID makes a valid 13-digit ID of person type 1 (born in Thailand
// after 1984), with its check digit.
func nationalID(rng *rand.Rand) string {
	d := make([]byte, 13)
	d[0] = '1'
	for i := 1; i < 12; i++ {
		d[i] = byte('0' + rng.IntN(10))
	}
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(d[i]-'0') * (13 - i)
	}
	d[12] = byte('0' + (11-sum%11)%10)
	return string(d)
}

// Files makes every agency's file from the population: each holds a share
// of the children, in its own order, with its own noise.
func Files(pop []Person, o Options) [][]Record {
	g := &gen{rng: rand.New(rand.NewPCG(o.Seed, 2567)), ev: rand.New(rand.NewPCG(o.Seed, 4311)), names: demo.Names()}
	seen := map[string]bool{}
	for _, p := range pop {
		if !seen[p.Community] {
			seen[p.Community] = true
			g.comms = append(g.comms, p.Community)
		}
	}
	files := make([][]Record, o.Agencies)
	for a := range files {
		for _, i := range g.rng.Perm(len(pop)) {
			if g.rng.Float64() < o.Coverage {
				files[a] = append(files[a], g.record(pop[i], a, o))
			}
		}
	}
	return files
}

// record writes one agency's row about a person, with that agency's habits
// (agency 1 writes Latin names only half the time; agency 2 lists children
// by nickname more often) and random slips.
func (g *gen) record(p Person, agency int, o Options) Record {
	r := Record{Truth: p.ID, Agency: agency}
	r.GivenName, r.FamilyName, r.Sex, r.BirthDate = p.Given, p.Family, p.Sex, p.Birth
	r.MotherName, r.Address = p.Mother, p.Community
	if g.rng.Float64() < o.IDShare {
		r.NationalID = p.NationalID
	} else {
		r.Noise = append(r.Noise, "no-id")
	}
	note := func(s string) { r.Noise = append(r.Noise, s) }
	if agency != 1 || g.chance(50) {
		r.GivenLatin, r.FamilyLatin = g.latin(p.Given, p.GivenLatin), g.latin(p.Family, p.FamLatin)
	}
	if agency == 2 || g.chance(30) {
		r.Nickname = p.Nick
	}
	if g.chance(8) {
		r.GivenName = soundAlike(g.rng, r.GivenName)
		note("given-sound")
	}
	if g.chance(8) {
		r.FamilyName = soundAlike(g.rng, r.FamilyName)
		note("family-sound")
	}
	if g.chance(6) {
		r.GivenName = g.typo(r.GivenName)
		note("given-typo")
	}
	if g.chance(6) {
		r.FamilyName = g.typo(r.FamilyName)
		note("family-typo")
	}
	if g.chance(3) && r.Nickname != "" {
		r.GivenName = p.Nick // the roster has only the nickname
		note("nickname-as-given")
	}
	if g.chance(4) {
		// The mother remarried and the child took the new family name.
		r.FamilyName, r.FamilyLatin = g.familyName()
		note("family-changed")
	}
	y, m, d := p.Birth[:4], p.Birth[5:7], p.Birth[8:]
	switch n := g.rng.IntN(100); {
	case n < 6 && d <= "12":
		r.BirthDate = y + "-" + d + "-" + m
		note("day-month-swap")
	case n < 10:
		r.BirthDate = y + "-" + m
		note("partial-date")
	case n < 12:
		r.BirthDate = y
		note("year-only")
	case n < 15:
		r.BirthDate = fmt.Sprintf("%04d-%s-%s", atoi(y)+1-2*g.rng.IntN(2), m, d)
		note("year-off")
	case n < 18:
		r.BirthDate = ""
		note("no-birth")
	}
	if g.chance(10) {
		r.Sex = ""
	}
	if g.chance(30) {
		r.MotherName = ""
	} else if g.chance(8) {
		r.MotherName = "นาง" + r.MotherName
	}
	if g.chance(40) {
		r.Address = ""
	} else if g.chance(20) {
		r.Address = strings.Replace(r.Address, "ซอย", "ซ.", 1)
	}
	g.evidenceNoise(&r)
	if g.chance(10) {
		r.GivenName = "เด็กหญิง" + r.GivenName
		if p.Sex == "male" {
			r.GivenName = "ด.ช." + strings.TrimPrefix(r.GivenName, "เด็กหญิง")
		}
	}
	return r
}

// evidenceNoise disturbs the mother's name and the address the way the
// agencies' files differ (from its own stream, g.ev): the mother took
// another family name (married again, or the file has her maiden name),
// her name is respelt, the household moved to another community since the
// other file was written.
func (g *gen) evidenceNoise(r *Record) {
	pct := func(n int) bool { return g.ev.IntN(100) < n }
	if r.MotherName != "" {
		if given, family, ok := strings.Cut(r.MotherName, " "); ok {
			switch {
			case pct(6):
				nf := g.names.Family[g.ev.IntN(len(g.names.Family))]
				if nf != family {
					r.MotherName = given + " " + nf
					r.Noise = append(r.Noise, "mother-family-changed")
				}
			case pct(5):
				r.MotherName = soundAlike(g.ev, given) + " " + family
				r.Noise = append(r.Noise, "mother-sound")
			}
		}
	}
	if r.Address != "" && len(g.comms) > 1 && pct(6) {
		if c := g.comms[g.ev.IntN(len(g.comms))]; c != r.Address {
			r.Address = c
			r.Noise = append(r.Noise, "moved")
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// soundAlikes are letters that sound alike, so that one spelling of a name
// is often written with the other.
var soundAlikes = [][2]string{
	{"ศ", "ส"}, {"ษ", "ส"}, {"ธ", "ท"}, {"ภ", "พ"}, {"ณ", "น"}, {"ฐ", "ท"}, {"ฒ", "ท"}, {"ฬ", "ล"}, {"ญ", "ย"},
	{"์", ""}, {"ต", "ฏ"}, {"ค", "ฆ"},
}

// soundAlike respells a name with letters that sound the same; a name with
// nothing to respell is returned as it is.
func soundAlike(rng *rand.Rand, s string) string {
	for _, k := range rng.Perm(len(soundAlikes)) {
		a := soundAlikes[k]
		if a[0] == a[1] || !strings.Contains(s, a[0]) {
			continue
		}
		v := strings.Replace(s, a[0], a[1], 1)
		if thai.PhoneticKey(v) == thai.PhoneticKey(s) {
			return v
		}
	}
	return s
}

// typo makes a keyboard slip: a letter dropped, doubled or swapped with
// the next, or a tone mark lost.
func (g *gen) typo(s string) string {
	rs := []rune(s)
	if len(rs) < 3 {
		return s
	}
	i := 1 + g.rng.IntN(len(rs)-2)
	switch g.rng.IntN(4) {
	case 0:
		return string(append(rs[:i:i], rs[i+1:]...))
	case 1:
		return string(append(append(rs[:i+1:i+1], rs[i]), rs[i+1:]...))
	case 2:
		rs[i], rs[i+1] = rs[i+1], rs[i]
		return thai.NormalizeName(string(rs))
	}
	return strings.Map(func(r rune) rune {
		if r >= '่' && r <= '๋' {
			return -1
		}
		return r
	}, s)
}

// latin writes a Latin spelling: RTGS, a common other spelling, or RTGS
// with the letters people change (ph as p, th as t, u as oo, final i as ee).
func (g *gen) latin(thaiName, rtgs string) string {
	if rtgs == "" {
		return ""
	}
	_, others := demo.LatinSpellings(thaiName) // none for a compound family name
	switch n := g.rng.IntN(100); {
	case n < 50:
		return rtgs
	case n < 75 && len(others) > 0:
		return others[g.rng.IntN(len(others))]
	}
	w := strings.ToLower(rtgs)
	for _, rule := range [][2]string{{"ph", "p"}, {"th", "t"}, {"u", "oo"}, {"kh", "k"}, {"w", "v"}} {
		if g.chance(40) {
			w = strings.ReplaceAll(w, rule[0], rule[1])
		}
	}
	if strings.HasSuffix(w, "i") && g.chance(40) {
		w += "e"
	}
	return strings.ToUpper(w[:1]) + w[1:]
}
