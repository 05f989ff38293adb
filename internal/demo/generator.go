package demo

import (
	"encoding/hex"
	"iter"
	"math/rand/v2"
	"strconv"
	"time"

	"termtem/internal/people"
)

// Titles (คำนำหน้าชื่อ) as a civil registry writes them in full.
const (
	TitleMr   = "นาย"
	TitleMrs  = "นาง"
	TitleMiss = "นางสาว"
	TitleBoy  = "เด็กชาย"  // ด.ช.
	TitleGirl = "เด็กหญิง" // ด.ญ.
)

// ChildTitleAge is the age from which a child is นาย or นางสาว instead of
// เด็กชาย or เด็กหญิง.
const ChildTitleAge = 15

// DefaultStreets are roads and lanes of Lat Krabang for synthetic addresses.
var DefaultStreets = []string{
	"ถนนร่มเกล้า", "ซอยร่มเกล้า 21", "ซอยร่มเกล้า 24", "ถนนเคหะร่มเกล้า", "ซอยเคหะร่มเกล้า 27",
	"ถนนลาดกระบัง", "ซอยลาดกระบัง 17", "ถนนคุ้มเกล้า", "ถนนฉลองกรุง", "ถนนหลวงแพ่ง",
}

// Generator makes synthetic households and their members, the same ones for
// the same seed and date. It is built for volume (a million people for
// benchmarks): a household costs one string allocation, because all its IDs,
// its address, its members' birth dates, document numbers, phone numbers
// and Latin spellings are cut from one buffer, and the member slice is
// reused. (A person with a document other than a national ID costs one
// more, for its Identifiers slice.)
//
// People get what a registry holds: a title, Thai names (Burmese ones in
// Myanmar families), sometimes a nickname and a Latin spelling (varied as
// people really write them), a full or year-only birth date, a nationality
// or status, a phone number for most adults, and a synthetic national ID
// with a valid check digit whose first digit fits the person (1 or 2 for
// Thais born since 1984, 3 for older ones, 0 or 6 for migrants and
// stateless people, 7 for their children born here) — or instead a G-code,
// a birth-certificate or passport number, or nothing at all.
type Generator struct {
	// Streets are used for addresses; DefaultStreets when empty.
	Streets []string
	// Offices are the 4-digit registration-office codes (digits 2–5 of a
	// national ID) of the district the households live in, where their
	// children were registered; "1011" (Lat Krabang) when empty.
	Offices []string
	// SerialBase is where this generator starts numbering documents. A
	// document number's 7-digit serial (digits 6–12 of a national ID) is
	// SerialBase plus the count of numbers issued, so two
	// generators whose ranges do not overlap never issue the same number,
	// whatever their seeds. The demo households use DemoSerialBase; the
	// benchmark populations start at 0 (room for 9 million documents).
	SerialBase uint32

	rng     *rand.Rand
	asOf    time.Time
	idTime  uint64 // milliseconds of the first ID
	seq     uint64
	serials uint32 // document numbers issued

	origin    origin // of the household being made
	caregiver int    // index of its main caregiver
	// city is set while CityHousehold makes a household: some parents
	// then live with a grandparent (extended families).
	city bool

	buf     []byte
	scratch [2][]byte
	members []people.Person
	births  []birth
	latin   []latinName
}

type birth struct {
	date     time.Time
	yearOnly bool
}

// latinName holds a member's Latin spellings until finish writes them: a
// "|"-separated list of spellings (see latinOf), or one Burmese
// spelling.
type latinName struct {
	given, family string
	burmese       bool
}

// NewGenerator returns a generator seeded with seed. Ages are taken on asOf
// (its calendar date); IDs are UUIDv7-shaped and time-ordered from asOf, and
// depend only on the seed and asOf, so that a run can be repeated exactly.
func NewGenerator(seed int64, asOf time.Time) *Generator {
	day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	return &Generator{
		rng:    rand.New(rand.NewPCG(uint64(seed), 0x7465726d74656d)), // "termtem"
		asOf:   day,
		idTime: uint64(day.UnixMilli()),
	}
}

// AsOf is the date ages are computed on.
func (g *Generator) AsOf() time.Time { return g.asOf }

// Households yields n households in a community chosen from communityIDs.
// The person slice is only valid until the next iteration.
func (g *Generator) Households(communityIDs []string, n int) iter.Seq2[people.Household, []people.Person] {
	return func(yield func(people.Household, []people.Person) bool) {
		for range n {
			if !yield(g.Household(communityIDs)) {
				return
			}
		}
	}
}

// household shapes, with their weights out of 100: most children live with
// one or both parents; about a fifth with grandparents only (skipped
// generation, common when parents work far away), some with an aunt or uncle.
const (
	shapeBothParents = iota
	shapeMother
	shapeFather
	shapeGrandparents
	shapeRelative
)

var shapeWeights = [...]int{shapeBothParents: 40, shapeMother: 22, shapeFather: 6, shapeGrandparents: 22, shapeRelative: 10}

// childCountWeights weigh 1, 2, 3 and 4 children.
var childCountWeights = [...]int{35, 35, 20, 10}

// origin is where a household's adults come from, which decides their
// nationality, names and documents.
type origin int

const (
	originThai origin = iota
	originMyanmar
	originCambodian
	originLao
	originStateless    // long-term stateless, often born in Thailand
	originUndocumented // no document yet, status undetermined
)

// originWeights, per thousand households: in Bangkok's poorer
// communities about one household in eight is a migrant or stateless one.
var originWeights = [...]int{originThai: 875, originMyanmar: 50, originCambodian: 20, originLao: 15, originStateless: 20, originUndocumented: 20}

var originNationality = [...]people.Nationality{originThai: people.Thai, originMyanmar: people.Myanmar,
	originCambodian: people.Cambodian, originLao: people.Lao, originStateless: people.Stateless, originUndocumented: people.StatusUndocumented}

// Household makes one household in a community chosen from communityIDs
// (which must not be empty), with 1–3 adults first — the head first —
// then 1–4 children aged 0–17, the eldest first. The household names its
// head and main caregiver. The person slice is reused: it is only valid
// until the next call; copy the structs to keep them.
func (g *Generator) Household(communityIDs []string) (people.Household, []people.Person) {
	g.members, g.births, g.latin = g.members[:0], g.births[:0], g.latin[:0]
	g.origin = origin(pickWeighted(g.rng, originWeights[:]))
	g.caregiver = 0

	var ages [4]int
	nKids := 1 + pickWeighted(g.rng, childCountWeights[:])
	for i := range nKids {
		ages[i] = g.rng.IntN(18)
	}
	sortDesc(ages[:nKids])
	oldest := ages[0]

	surname := g.familyName("")
	kidsSurname := surname
	kidsRelation := people.RelChild
	switch pickWeighted(g.rng, shapeWeights[:]) {
	case shapeBothParents:
		fatherAge := max(oldest+20+g.rng.IntN(16), 19)
		motherAge := max(fatherAge-4+g.rng.IntN(7), oldest+17, 18)
		wifeTitle, wifeSurname := TitleMrs, surname
		if g.chance(25) { // not registered as married: keeps นางสาว and her own name
			wifeTitle, wifeSurname = TitleMiss, g.familyName(surname)
		}
		headSurname := surname
		if g.chance(70) {
			g.adult(people.Male, fatherAge, TitleMr, surname, people.RelHead)
			g.caregiver = g.adult(people.Female, motherAge, wifeTitle, wifeSurname, people.RelSpouse)
		} else {
			g.caregiver = g.adult(people.Female, motherAge, wifeTitle, wifeSurname, people.RelHead)
			g.adult(people.Male, fatherAge, TitleMr, surname, people.RelSpouse)
			headSurname = wifeSurname
		}
		if g.city && g.chance(extendedPercent) { // the head's widowed mother lives with them
			g.adult(people.Female, min(max(fatherAge, motherAge)+20+g.rng.IntN(12), 90), TitleMrs, headSurname, people.RelMother)
		}
	case shapeMother:
		motherAge := max(oldest+17+g.rng.IntN(18), 18)
		title := TitleMiss
		if g.chance(40) { // separated or widowed
			title = TitleMrs
		}
		g.adult(people.Female, motherAge, title, surname, people.RelHead)
		if g.chance(40) {
			kidsSurname = g.familyName(surname) // the father's
		}
		if g.chance(40) { // her own mother lives with her
			g.adult(people.Female, motherAge+18+g.rng.IntN(12), TitleMrs, surname, people.RelMother)
		}
	case shapeFather:
		fatherAge := max(oldest+19+g.rng.IntN(18), 19)
		g.adult(people.Male, fatherAge, TitleMr, surname, people.RelHead)
		if g.chance(30) { // his mother looks after the children
			g.caregiver = g.adult(people.Female, fatherAge+18+g.rng.IntN(12), TitleMrs, surname, people.RelMother)
		}
	case shapeGrandparents:
		kidsRelation = people.RelGrandchild
		if g.chance(50) { // a daughter's children carry their father's name
			kidsSurname = g.familyName(surname)
		}
		grandmaAge := min(max(oldest+36+g.rng.IntN(22), 42), 82)
		grandpaAge := min(grandmaAge-2+g.rng.IntN(8), 88)
		grandmaTitle := TitleMrs
		if g.chance(10) {
			grandmaTitle = TitleMiss
		}
		switch {
		case g.chance(85):
			g.adult(people.Female, grandmaAge, grandmaTitle, surname, people.RelHead)
			if g.chance(45) {
				g.adult(people.Male, grandpaAge, TitleMr, surname, people.RelSpouse)
			}
		default:
			g.adult(people.Male, grandpaAge, TitleMr, surname, people.RelHead)
			if g.chance(50) {
				g.caregiver = g.adult(people.Female, grandmaAge, grandmaTitle, surname, people.RelSpouse)
			}
		}
	case shapeRelative:
		kidsRelation = people.RelRelative // nieces and nephews
		kidsSurname = g.familyName(surname)
		age := max(oldest+18+g.rng.IntN(25), 20)
		married := g.chance(35)
		if g.chance(75) {
			title := TitleMiss
			if married {
				title = TitleMrs
			}
			g.adult(people.Female, age, title, surname, people.RelHead)
			if married {
				g.adult(people.Male, age+g.rng.IntN(6), TitleMr, surname, people.RelSpouse)
			}
		} else {
			g.adult(people.Male, age, TitleMr, surname, people.RelHead)
			if married {
				g.caregiver = g.adult(people.Female, max(age-g.rng.IntN(6), oldest+16, 20), TitleMrs, surname, people.RelSpouse)
			}
		}
	}

	for i, age := range ages[:nKids] {
		name := kidsSurname
		if i > 0 && g.chance(8) { // a half-sibling
			name = g.familyName(kidsSurname)
		}
		g.child(age, name, kidsRelation)
	}
	return g.finish(communityIDs)
}

// The city-size population (Populate) is not only families with children:
// Bangkok's households are small. The 2010 census counted 2.9 people a
// household in Bangkok (NSO, 2010 Population and Housing Census,
// preliminary results), and the 2019 household socio-economic survey 2.5;
// CityHousehold makes about 2.86 (350,000 households for a million
// people, issue 8), with elders living alone or as a couple, young adults
// alone, couples without children and an elder with a grown child beside
// the families with children (a fifth of whose two-parent families also
// house a grandparent).
const (
	cityWithChildren = iota
	citySingleElder
	cityElderCouple
	citySingleAdult
	cityCouple
	cityElderWithChild
)

// cityKindWeights weigh the kinds of household, out of 100.
var cityKindWeights = [...]int{cityWithChildren: 60, citySingleElder: 11, cityElderCouple: 8, citySingleAdult: 9, cityCouple: 7, cityElderWithChild: 5}

// extendedPercent is the share of two-parent city families living with the
// head's mother.
const extendedPercent = 20

// CityHousehold makes one household of the city-size population: a family
// with children as Household makes them (some with a grandparent), or a
// household of adults only. The person slice is reused, as Household's.
func (g *Generator) CityHousehold(communityIDs []string) (people.Household, []people.Person) {
	kind := pickWeighted(g.rng, cityKindWeights[:])
	if kind == cityWithChildren {
		g.city = true
		defer func() { g.city = false }()
		return g.Household(communityIDs)
	}
	g.members, g.births, g.latin = g.members[:0], g.births[:0], g.latin[:0]
	g.origin = origin(pickWeighted(g.rng, originWeights[:]))
	g.caregiver = 0
	surname := g.familyName("")
	sex := people.Female
	if g.chance(40) {
		sex = people.Male
	}
	switch kind {
	case citySingleElder: // more often a widow than a widower
		age := 60 + g.rng.IntN(31)
		g.adult(sex, age, g.elderTitle(sex), surname, people.RelHead)
	case cityElderCouple:
		husband := 60 + g.rng.IntN(26)
		g.adult(people.Male, husband, TitleMr, surname, people.RelHead)
		g.adult(people.Female, max(husband-6+g.rng.IntN(9), 58), TitleMrs, surname, people.RelSpouse)
	case citySingleAdult: // working in the city, renting a room
		age := 20 + g.rng.IntN(40)
		title := TitleMr
		if sex == people.Female {
			title = TitleMiss
			if age > 35 && g.chance(40) { // divorced or widowed
				title = TitleMrs
			}
		}
		g.adult(sex, age, title, surname, people.RelHead)
	case cityCouple: // not (yet) with children, or their children grown and gone
		husband := 22 + g.rng.IntN(38)
		wifeTitle, wifeSurname := TitleMrs, surname
		if g.chance(30) {
			wifeTitle, wifeSurname = TitleMiss, g.familyName(surname)
		}
		g.adult(people.Male, husband, TitleMr, surname, people.RelHead)
		g.adult(people.Female, max(husband-5+g.rng.IntN(8), 20), wifeTitle, wifeSurname, people.RelSpouse)
	case cityElderWithChild: // a grown child who looks after the parent
		age := 65 + g.rng.IntN(26)
		g.adult(sex, age, g.elderTitle(sex), surname, people.RelHead)
		childSex := people.Female
		if g.chance(45) {
			childSex = people.Male
		}
		title := TitleMr
		if childSex == people.Female {
			title = TitleMiss
		}
		g.caregiver = g.adult(childSex, max(age-20-g.rng.IntN(18), 25), title, surname, people.RelChild)
	}
	return g.finish(communityIDs)
}

// elderTitle is an elder's title: most women of that age married.
func (g *Generator) elderTitle(sex people.Sex) string {
	switch {
	case sex == people.Male:
		return TitleMr
	case g.chance(85):
		return TitleMrs
	default:
		return TitleMiss
	}
}

// adult adds a caregiver aged age and returns its index.
func (g *Generator) adult(sex people.Sex, age int, title, family string, relation people.Relationship) int {
	b := g.birthAround(age)
	g.add(people.Person{Title: title, FamilyName: family, Sex: sex, Relation: relation}, b, 60, true)
	return len(g.members) - 1
}

// child adds a child aged age, titled by age and sex.
func (g *Generator) child(age int, family string, relation people.Relationship) {
	sex := people.Female
	if g.chance(51) {
		sex = people.Male
	}
	b := g.birthAround(age)
	g.add(people.Person{Title: TitleFor(sex, AgeOn(b.date, g.asOf)), FamilyName: family, Sex: sex, Relation: relation}, b, 90, false)
}

// add gives p a given name (not a housemate's) and maybe a nickname. In a
// Myanmar family the adults, and most children, have Burmese names.
func (g *Generator) add(p people.Person, b birth, nicknamePercent int, adult bool) {
	var ln latinName
	if g.origin == originMyanmar && (adult || g.chance(60)) {
		list := myanmarFemale
		if p.Sex == people.Male {
			list = myanmarMale
		}
		for range 4 {
			given := pick(g.rng, list)
			p.GivenName, ln.given = given.th, given.latin
			if !g.nameTaken(p.GivenName) {
				break
			}
		}
		second := pick(g.rng, myanmarSecond)
		p.FamilyName, ln.family, ln.burmese = second.th, second.latin, true
	} else {
		newer := b.date.Year() >= 2003 || (b.date.Year() > 1995 && g.chance(50))
		for range 4 {
			p.GivenName = g.givenName(p.Sex, newer)
			if !g.nameTaken(p.GivenName) {
				break
			}
		}
		if g.chance(nicknamePercent) {
			p.Nickname = pick(g.rng, nicknames(p.Sex, newer))
		}
	}
	g.members = append(g.members, p)
	g.births = append(g.births, b)
	g.latin = append(g.latin, ln)
}

func (g *Generator) nameTaken(name string) bool {
	for i := range g.members {
		if g.members[i].GivenName == name {
			return true
		}
	}
	return false
}

// birthAround returns a birth date that makes the person exactly age on
// asOf. Older registry records often hold only the year of birth, and so do
// some migrant children's.
func (g *Generator) birthAround(age int) birth {
	d := g.asOf.AddDate(-age, 0, -1-g.rng.IntN(364))
	yearOnly := g.chance(3)
	if d.Year() < 1985 || (g.origin != originThai && g.chance(10)) {
		yearOnly = g.chance(35)
	}
	return birth{date: d, yearOnly: yearOnly}
}

// span is a piece of the household's string.
type span struct{ start, end int32 }

func (s span) of(str string) string { return str[s.start:s.end] }

// memberSpans are the pieces of one member cut from the household string.
type memberSpans struct {
	id, date, nationalID, phone, givenLatin, familyLatin, other span
	otherKind                                                   people.IdentifierKind
}

// finish cuts the household's ID and address and each member's ID, birth
// date, document numbers, phone and Latin names from one string.
func (g *Generator) finish(communityIDs []string) (people.Household, []people.Person) {
	streets := g.Streets
	if len(streets) == 0 {
		streets = DefaultStreets
	}
	var spans [8]memberSpans // at most 3 adults and 4 children
	b := g.buf[:0]
	b = g.appendID(b)
	b = strconv.AppendInt(b, int64(1+g.rng.IntN(199)), 10)
	if g.chance(60) {
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(1+g.rng.IntN(400)), 10)
	}
	b = append(b, ' ')
	b = append(b, pick(g.rng, streets)...)
	addrEnd := len(b)
	mark := func(s *span, from int) { *s = span{int32(from), int32(len(b))} }
	for i, bd := range g.births {
		sp := &spans[i]
		at := len(b)
		b = g.appendID(b)
		mark(&sp.id, at)
		at = len(b)
		b = appendDigits(b, bd.date.Year(), 4)
		if !bd.yearOnly {
			b = append(b, '-')
			b = appendDigits(b, int(bd.date.Month()), 2)
			b = append(b, '-')
			b = appendDigits(b, bd.date.Day(), 2)
		}
		mark(&sp.date, at)
		b = g.identity(b, i, sp)
	}
	g.buf = b
	s := string(b)

	h := people.Household{ID: s[:idLen], CommunityID: pick(g.rng, communityIDs), Address: s[idLen:addrEnd]}
	for i := range g.members {
		sp := &spans[i]
		p := &g.members[i]
		p.ID, p.HouseholdID, p.CommunityID = sp.id.of(s), h.ID, h.CommunityID
		p.BirthDate = sp.date.of(s)
		p.NationalID, p.Phone = sp.nationalID.of(s), sp.phone.of(s)
		p.GivenNameLatin, p.FamilyNameLatin = sp.givenLatin.of(s), sp.familyLatin.of(s)
		if sp.otherKind != "" {
			p.Identifiers = []people.Identifier{{Kind: sp.otherKind, Value: sp.other.of(s)}}
		}
	}
	h.HeadID, h.CaregiverID = g.members[0].ID, g.members[g.caregiver].ID
	return h, g.members
}

const idLen = 36

// appendID appends a UUIDv7-shaped ID: milliseconds from asOf plus a
// counter (so IDs sort in creation order, as store.NewID's do, and land at
// the end of indexes), then 74 bits from the seeded generator.
func (g *Generator) appendID(b []byte) []byte {
	g.seq++
	ms := g.idTime + g.seq
	r1, r2 := g.rng.Uint64(), g.rng.Uint64()
	var u [16]byte
	for i := range 6 {
		u[i] = byte(ms >> (40 - 8*i))
	}
	u[6] = 0x70 | byte(r1>>60)&0x0f // version 7
	u[7] = byte(r1 >> 52)
	u[8] = 0x80 | byte(r2>>58)&0x3f // RFC 9562 variant
	for i := 9; i < 16; i++ {
		u[i] = byte(r2 >> (8 * (15 - i)))
	}
	b = hex.AppendEncode(b, u[0:4])
	b = append(b, '-')
	b = hex.AppendEncode(b, u[4:6])
	b = append(b, '-')
	b = hex.AppendEncode(b, u[6:8])
	b = append(b, '-')
	b = hex.AppendEncode(b, u[8:10])
	b = append(b, '-')
	return hex.AppendEncode(b, u[10:16])
}

func (g *Generator) chance(percent int) bool { return g.rng.IntN(100) < percent }

// familyName picks a family name other than not: one of the common ones
// (a fifth of families: the Thai-Chinese แซ่ names and old names shared by
// many lines) or a compound one (see compounds.go).
func (g *Generator) familyName(not string) string {
	for {
		list := compounds().family
		if g.chance(20) {
			list = familyNames
		}
		if n := pick(g.rng, list); n != not {
			return n
		}
	}
}

// givenName picks a given name for the sex and generation: for the
// younger one, half the time a compound name.
func (g *Generator) givenName(sex people.Sex, newer bool) string {
	if newer && g.chance(50) {
		if sex == people.Male {
			return pick(g.rng, compounds().male)
		}
		return pick(g.rng, compounds().female)
	}
	return pick(g.rng, givenNames(sex, newer))
}

// TitleFor is the title of a person of that sex and age who has no marital
// title: a child under ChildTitleAge is เด็กชาย or เด็กหญิง.
func TitleFor(sex people.Sex, age int) string {
	switch {
	case age < ChildTitleAge && sex == people.Male:
		return TitleBoy
	case age < ChildTitleAge:
		return TitleGirl
	case sex == people.Male:
		return TitleMr
	}
	return TitleMiss
}

// AgeOn is the age in completed years on the given day.
func AgeOn(birth, on time.Time) int {
	age := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		age--
	}
	return age
}

func givenNames(sex people.Sex, newer bool) []string {
	switch {
	case sex == people.Male && newer:
		return maleNamesNewer
	case sex == people.Male:
		return maleNamesOlder
	case newer:
		return femaleNamesNewer
	}
	return femaleNamesOlder
}

func nicknames(sex people.Sex, newer bool) []string {
	switch {
	case sex == people.Male && newer:
		return maleNicknamesNewer
	case sex == people.Male:
		return maleNicknamesOlder
	case newer:
		return femaleNicknamesNewer
	}
	return femaleNicknamesOlder
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// pickWeighted returns an index of weights, chosen in proportion to them.
func pickWeighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func sortDesc(xs []int) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] > xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// appendDigits appends n zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var d [8]byte
	i := len(d)
	for ; n > 0 || i > len(d)-width; n /= 10 {
		i--
		d[i] = byte('0' + n%10)
	}
	return append(b, d[i:]...)
}
