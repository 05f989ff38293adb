package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store/storetest"
	"termtem/internal/thai"
)

var asOf = time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

var testCommunities = []string{"community-a", "community-b", "community-c"}

type generated struct {
	h  people.Household
	ps []people.Person
}

func generate(seed int64, n int) []generated {
	g := NewGenerator(seed, asOf)
	var out []generated
	for h, ps := range g.Households(testCommunities, n) {
		out = append(out, generated{h, slices.Clone(ps)})
	}
	return out
}

func TestGeneratorDeterministic(t *testing.T) {
	a, b := generate(42, 500), generate(42, 500)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different output")
	}
	if c := generate(43, 500); reflect.DeepEqual(a, c) {
		t.Fatal("different seeds, same output")
	}
	// The reused member slice must not leak into earlier results.
	g := NewGenerator(42, asOf)
	_, first := g.Household(testCommunities)
	firstCopy := slices.Clone(first)
	g.Household(testCommunities)
	if !reflect.DeepEqual(firstCopy, a[0].ps) {
		t.Fatal("first household differs from the iterator's")
	}
}

// ageRange is the possible ages on asOf of someone born on date, which may
// give only the year.
func ageRange(t *testing.T, date string) (lo, hi int) {
	t.Helper()
	d, err := thai.ParseDate(date)
	if err != nil {
		t.Fatalf("birth date %q: %v", date, err)
	}
	if len(date) != 4 && len(date) != 10 {
		t.Fatalf("birth date %q is neither YYYY nor YYYY-MM-DD", date)
	}
	if when, ok := d.Time(); ok {
		if when.After(asOf) {
			t.Fatalf("birth date %s after %s", date, asOf.Format(time.DateOnly))
		}
		a := AgeOn(when, asOf)
		return a, a
	}
	return max(asOf.Year()-d.Year-1, 0), asOf.Year() - d.Year
}

func TestGeneratorPlausible(t *testing.T) {
	const n = 5000
	ids := map[string]bool{}
	var (
		persons, noParent, yearOnly, nicknames int
		shapes                                 = map[string]int{}
	)
	for _, gh := range generate(7, n) {
		h, ps := gh.h, gh.ps
		if !slices.Contains(testCommunities, h.CommunityID) || h.Address == "" {
			t.Fatalf("household %+v", h)
		}
		for _, id := range append([]string{h.ID}, ids2(ps)...) {
			u, err := uuid.Parse(id)
			if err != nil || u.Version() != 7 || ids[id] {
				t.Fatalf("ID %q: %v, version %d, repeated %v", id, err, u.Version(), ids[id])
			}
			ids[id] = true
		}
		var caregivers, kids []people.Person
		for _, p := range ps {
			if p.HouseholdID != h.ID || p.GivenName == "" || p.FamilyName == "" {
				t.Fatalf("person %+v of %+v", p, h)
			}
			if p.Sex != people.Male && p.Sex != people.Female {
				t.Fatalf("sex %q", p.Sex)
			}
			if len(p.BirthDate) == 4 {
				yearOnly++
			}
			if p.Nickname != "" {
				nicknames++
			}
			if p.Relation == people.RelChild || p.Relation == people.RelGrandchild || p.Relation == people.RelRelative {
				kids = append(kids, p)
			} else {
				caregivers = append(caregivers, p)
			}
		}
		persons += len(ps)
		if len(caregivers) < 1 || len(caregivers) > 2 || len(kids) < 1 || len(kids) > 4 {
			t.Fatalf("%d caregivers, %d children: %+v", len(caregivers), len(kids), ps)
		}
		heads := 0
		for _, c := range caregivers {
			if c.Relation == people.RelHead {
				heads++
			}
		}
		if ps[0].Relation != people.RelHead || heads != 1 {
			t.Fatalf("the head is not first and alone: %+v", ps)
		}
		if kids[0].Relation != people.RelChild {
			noParent++
		}
		if h.HeadID != ps[0].ID {
			t.Fatalf("head %s, want the first member %s", h.HeadID, ps[0].ID)
		}
		if !slices.ContainsFunc(caregivers, func(p people.Person) bool { return p.ID == h.CaregiverID }) {
			t.Fatalf("caregiver %s is not an adult of the household: %+v", h.CaregiverID, ps)
		}
		shape := string(ps[0].Relation)
		for _, c := range caregivers[1:] {
			shape += "+" + string(c.Relation)
		}
		shapes[shape+" with "+string(kids[0].Relation)]++

		oldestKid := 0
		for _, k := range kids {
			lo, hi := ageRange(t, k.BirthDate)
			if lo < 0 || hi > 18 {
				t.Fatalf("child aged %d–%d: %+v", lo, hi, k)
			}
			if k.Title != TitleFor(k.Sex, lo) && k.Title != TitleFor(k.Sex, hi) {
				t.Fatalf("child aged %d–%d, sex %s, titled %s", lo, hi, k.Sex, k.Title)
			}
			if !isGivenName(k.Sex, k.GivenName) {
				t.Fatalf("%s is not a %s name", k.GivenName, k.Sex)
			}
			oldestKid = max(oldestKid, lo)
		}
		for _, c := range caregivers {
			lo, hi := ageRange(t, c.BirthDate)
			if lo < 18 || hi > 90 || lo < oldestKid+15 {
				t.Fatalf("caregiver aged %d–%d, eldest child %d: %+v", lo, hi, oldestKid, ps)
			}
			want := []string{TitleMr}
			if c.Sex == people.Female {
				want = []string{TitleMrs, TitleMiss}
			}
			if !slices.Contains(want, c.Title) {
				t.Fatalf("%s caregiver titled %s", c.Sex, c.Title)
			}
		}
	}
	t.Logf("%d households, %d people (%.2f each), %d%% without a parent, %d%% year-only birth dates, %d%% with a nickname",
		n, persons, float64(persons)/n, 100*noParent/n, 100*yearOnly/persons, 100*nicknames/persons)
	t.Logf("shapes: %v", shapes)
	if share := 100 * noParent / n; share < 15 || share > 45 {
		t.Errorf("%d%% of households without a parent", share)
	}
	if yearOnly == 0 || nicknames == 0 {
		t.Errorf("no year-only birth dates (%d) or nicknames (%d)", yearOnly, nicknames)
	}
}

// isGivenName reports whether name is in the Thai or Burmese lists for sex.
func isGivenName(sex people.Sex, name string) bool {
	if slices.Contains(givenNames(sex, true), name) || slices.Contains(givenNames(sex, false), name) {
		return true
	}
	if (sex == people.Male && slices.Contains(compounds().male, name)) || (sex == people.Female && slices.Contains(compounds().female, name)) {
		return true
	}
	list := myanmarFemale
	if sex == people.Male {
		list = myanmarMale
	}
	return slices.ContainsFunc(list, func(n mmName) bool { return n.th == name })
}

func ids2(ps []people.Person) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func TestTitleFor(t *testing.T) {
	for _, c := range []struct {
		sex  people.Sex
		age  int
		want string
	}{
		{people.Male, 0, "เด็กชาย"}, {people.Male, 14, "เด็กชาย"}, {people.Male, 15, "นาย"},
		{people.Female, 3, "เด็กหญิง"}, {people.Female, 14, "เด็กหญิง"}, {people.Female, 17, "นางสาว"},
	} {
		if got := TitleFor(c.sex, c.age); got != c.want {
			t.Errorf("TitleFor(%s, %d) = %s, want %s", c.sex, c.age, got, c.want)
		}
	}
}

func TestAgeOn(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	for _, c := range []struct {
		birth, on string
		want      int
	}{
		{"2011-03-15", "2026-03-15", 15}, {"2011-03-16", "2026-03-15", 14}, {"2012-02-29", "2026-02-28", 13},
		{"2012-02-29", "2026-03-01", 14}, {"2026-03-14", "2026-03-15", 0},
	} {
		if got := AgeOn(d(c.birth), d(c.on)); got != c.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", c.birth, c.on, got, c.want)
		}
	}
}

func isThaiWord(s string) bool {
	for _, r := range s {
		if (r < 0x0E01 || r > 0x0E5B) && r != ' ' && (r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}

func TestNameLists(t *testing.T) {
	distinct := func(lists ...[]string) int {
		seen := map[string]bool{}
		for _, l := range lists {
			for _, n := range l {
				if !isThaiWord(n) || strings.TrimSpace(n) != n {
					t.Errorf("%q is not a Thai word", n)
				}
				seen[n] = true
			}
		}
		return len(seen)
	}
	for _, c := range []struct {
		what  string
		n     int
		min   int
		lists [][]string
	}{
		{"male given names", distinct(maleNamesOlder, maleNamesNewer), 60, [][]string{maleNamesOlder, maleNamesNewer}},
		{"female given names", distinct(femaleNamesOlder, femaleNamesNewer), 60, [][]string{femaleNamesOlder, femaleNamesNewer}},
		{"family names", distinct(familyNames), 80, [][]string{familyNames}},
		{"nicknames", distinct(maleNicknamesOlder, maleNicknamesNewer, femaleNicknamesOlder, femaleNicknamesNewer), 40,
			[][]string{maleNicknamesOlder, maleNicknamesNewer, femaleNicknamesOlder, femaleNicknamesNewer}},
	} {
		total := 0
		for _, l := range c.lists {
			total += len(l)
		}
		if c.n < c.min || c.n != total {
			t.Errorf("%s: %d distinct of %d, want at least %d and no repeats", c.what, c.n, total, c.min)
		}
	}
	for _, m := range append(slices.Clone(maleNamesOlder), maleNamesNewer...) {
		if slices.Contains(femaleNamesOlder, m) || slices.Contains(femaleNamesNewer, m) {
			t.Errorf("%s is both a male and a female name", m)
		}
	}
}

// BenchmarkGenerate measures the generator alone.
func BenchmarkGenerate(b *testing.B) {
	g := NewGenerator(1, asOf)
	persons := 0
	b.ReportAllocs()
	for b.Loop() {
		_, ps := g.Household(testCommunities)
		persons += len(ps)
	}
	b.ReportMetric(float64(persons)/b.Elapsed().Seconds(), "people/s")
	b.ReportMetric(float64(persons)/float64(b.N), "people/household")
}

// BenchmarkInsertHouseholds stores 1,000 generated households per
// operation; generation is not timed.
func BenchmarkInsertHouseholds(b *testing.B) {
	db := storetest.Open(b)
	ctx := b.Context()
	sub, err := db.GetPlaceByCode(ctx, subKhlongSamPrawet)
	if err != nil {
		b.Fatal(err)
	}
	var communityIDs []string
	for _, c := range communities[:4] {
		p, err := db.SavePlace(ctx, placeOf(c, sub.ID), auditActor())
		if err != nil {
			b.Fatal(err)
		}
		communityIDs = append(communityIDs, p.ID)
	}
	g := NewGenerator(1, asOf)
	rows := 0
	var hs []people.Household
	var ps []people.Person
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		hs, ps = hs[:0], ps[:0]
		for h, members := range g.Households(communityIDs, 1000) {
			hs = append(hs, h)
			ps = append(ps, members...)
		}
		rows += len(hs) + len(ps)
		b.StartTimer()
		if err := db.InsertHouseholds(ctx, hs, ps); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	if n, err := db.CountPeople(ctx); err != nil || n != rows-1000*b.N {
		b.Fatalf("%d people stored (%v), want %d", n, err, rows-1000*b.N)
	}
}

func placeOf(c demoCommunity, parentID string) places.Place {
	return places.Place{Kind: places.Community, Code: c.code, ParentID: parentID, NameTH: c.th, NameEN: c.en + demoMarker}
}

func TestGeneratorIdentity(t *testing.T) {
	now := asOf.Add(36 * time.Hour)
	nationalIDs, others := map[string]bool{}, map[string]bool{}
	nationality := map[people.Nationality]int{}
	types := map[string]int{} // nationality/child-or-adult/first digit
	childDocs := map[string]int{}
	spellings := map[string]map[string]bool{} // Thai given name → Latin spellings
	var persons, withLatin, withPhone int
	check := func(g *Generator, households int) {
		for _, ps := range g.Households(testCommunities, households) {
			for _, p := range ps {
				persons++
				lo, _ := ageRange(t, p.BirthDate)
				adult := lo >= 18
				nationality[p.Nationality]++
				if p.NationalID != "" {
					if d, err := thai.ValidateNationalID(p.NationalID); err != nil || d != p.NationalID {
						t.Fatalf("national ID %q: %v", p.NationalID, err)
					}
					if nationalIDs[p.NationalID] {
						t.Fatalf("national ID %s issued twice", p.NationalID)
					}
					nationalIDs[p.NationalID] = true
					kind := "child"
					if adult {
						kind = "adult"
					}
					types[string(p.Nationality)+"/"+kind+"/"+p.NationalID[:1]]++
				}
				for _, id := range p.Identifiers {
					if n, err := people.NormalizeIdentifier(id.Kind, id.Value, "x"); err != nil || n != id {
						t.Fatalf("identifier %+v: %v", id, err)
					}
					if others[id.Value] {
						t.Fatalf("identifier %s issued twice", id.Value)
					}
					others[id.Value] = true
				}
				if !adult {
					doc := "none"
					switch {
					case p.NationalID != "":
						doc = "national_id"
					case len(p.Identifiers) > 0:
						doc = string(p.Identifiers[0].Kind)
					}
					childDocs[doc]++
				}
				if p.Phone != "" {
					withPhone++
					if !adult || len(p.Phone) != 10 || p.Phone[0] != '0' || !strings.ContainsRune("689", rune(p.Phone[1])) {
						t.Fatalf("phone %q of a person aged %d", p.Phone, lo)
					}
				}
				if p.GivenNameLatin != "" {
					withLatin++
					if p.FamilyNameLatin == "" || strings.Trim(p.GivenNameLatin+p.FamilyNameLatin, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" {
						t.Fatalf("Latin name %q %q", p.GivenNameLatin, p.FamilyNameLatin)
					}
					if spellings[p.GivenName] == nil {
						spellings[p.GivenName] = map[string]bool{}
					}
					spellings[p.GivenName][p.GivenNameLatin] = true
				}
				// What the bulk path stores is what CreatePerson would.
				v := p
				v.Identifiers = slices.Clone(p.Identifiers)
				if err := people.ValidatePerson(&v, now); err != nil {
					t.Fatalf("%+v: %v", p, err)
				}
				if !reflect.DeepEqual(v, p) {
					t.Fatalf("ValidatePerson changed\n%+v\nto\n%+v", p, v)
				}
			}
		}
	}
	check(NewGenerator(11, asOf), 20000)
	demoGen := NewGenerator(Seed, asOf) // the demo's numbers never meet a benchmark population's
	demoGen.SerialBase = DemoSerialBase
	check(demoGen, 500)
	t.Logf("%d people: nationality %v", persons, nationality)
	t.Logf("national ID types: %v", types)
	t.Logf("children's documents: %v; %d with Latin names, %d with phones; สมชาย written %v",
		childDocs, withLatin, withPhone, spellings["สมชาย"])
	if thaiShare := 100 * nationality[people.Thai] / persons; thaiShare < 80 || thaiShare > 95 {
		t.Errorf("%d%% Thai", thaiShare)
	}
	for _, n := range people.Nationalities {
		if n != people.OtherNationality && nationality[n] == 0 {
			t.Errorf("nobody of nationality %s", n)
		}
	}
	for typ, n := range types {
		nat, rest, _ := strings.Cut(typ, "/")
		kind, digit, _ := strings.Cut(rest, "/")
		ok := false
		switch people.Nationality(nat) {
		case people.Thai:
			ok = strings.Contains("1235", digit)
		case people.Myanmar, people.Cambodian, people.Lao:
			ok = (kind == "adult" && (digit == "0" || digit == "6")) || (kind == "child" && digit == "7")
		case people.StatusUndocumented:
			ok = kind == "child" && digit == "7" // a migrant's child whose status is not settled
		case people.Stateless:
			ok = digit == "0"
		}
		if !ok {
			t.Errorf("%d national IDs of type %s", n, typ)
		}
	}
	for _, doc := range []string{"national_id", "g_code", "birth_certificate", "none"} {
		if childDocs[doc] == 0 {
			t.Errorf("no child whose document is %s", doc)
		}
	}
	if childDocs["national_id"]*100/(childDocs["national_id"]+childDocs["g_code"]+childDocs["birth_certificate"]+childDocs["none"]) < 85 {
		t.Errorf("too few children with a national ID: %v", childDocs)
	}
	if len(spellings["สมชาย"]) < 2 || !spellings["สมชาย"]["Somchai"] || len(spellings["บุญมี"]) < 3 || !spellings["บุญมี"]["Boonmee"] {
		t.Errorf("สมชาย written only %v, บุญมี %v", spellings["สมชาย"], spellings["บุญมี"])
	}
	if withLatin < persons/10 || withPhone < persons/10 {
		t.Errorf("%d Latin names, %d phones of %d people", withLatin, withPhone, persons)
	}
}

func TestCompoundNames(t *testing.T) {
	c := compounds()
	t.Logf("%d compound family names, %d male and %d female given names", len(c.family), len(c.male), len(c.female))
	if len(c.family) < 10000 || len(c.male) < 300 || len(c.female) < 300 {
		t.Fatalf("too few compounds")
	}
	for _, l := range [][]string{c.family, c.male, c.female} {
		for _, n := range l {
			if !isThaiWord(n) || c.latin[n] == "" || strings.ContainsAny(c.latin[n], " |") {
				t.Fatalf("compound %q, Latin %q", n, c.latin[n])
			}
		}
	}
	for _, m := range c.male {
		if slices.Contains(c.female, m) || slices.Contains(femaleNamesOlder, m) || slices.Contains(femaleNamesNewer, m) {
			t.Errorf("%s is both a male and a female name", m)
		}
	}
}

func TestLatinSpellingsComplete(t *testing.T) {
	for _, list := range [][]string{maleNamesOlder, maleNamesNewer, femaleNamesOlder, femaleNamesNewer, familyNames} {
		for _, n := range list {
			s, ok := latinSpellings[n]
			if !ok || s == "" {
				t.Errorf("%s has no Latin spelling", n)
			}
		}
	}
	if n, names := len(latinSpellings), len(maleNamesOlder)+len(maleNamesNewer)+len(femaleNamesOlder)+len(femaleNamesNewer)+len(familyNames); n != names {
		t.Errorf("%d Latin spellings for %d names", n, names)
	}
}

// BenchmarkPopulate stores 50,000 people across Bangkok per operation,
// into a fresh store each time: the rate of "termtem demo --people".
func BenchmarkPopulate(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := storetest.Open(b)
		b.StartTimer()
		res, err := Populate(b.Context(), db, PopulationOptions{People: 50_000, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.PeoplePerSecond(), "people/s")
	}
}

// The city-size population has Bangkok's small households: about 2.86
// people each (350,000 households a million people), with elders alone or
// as a couple, adults alone, couples, an elder with a grown child, single
// parents and extended families beside two-parent families. The seed is
// fixed and the households many, so every kind is there; the checks hold
// for every household.
func TestCityHouseholds(t *testing.T) {
	const n = 20000
	g := NewGenerator(11, asOf)
	persons := 0
	kinds := map[string]int{}
	for range n {
		h, ps := g.CityHousehold(testCommunities)
		persons += len(ps)
		if len(ps) == 0 || ps[0].Relation != people.RelHead || h.HeadID != ps[0].ID {
			t.Fatalf("the head is not first: %+v", ps)
		}
		if !slices.ContainsFunc(ps, func(p people.Person) bool { return p.ID == h.CaregiverID }) {
			t.Fatalf("caregiver %s is not a member: %+v", h.CaregiverID, ps)
		}
		var adults, kids []people.Person
		var youngest, eldest = 200, 0
		for _, p := range ps {
			lo, hi := ageRange(t, p.BirthDate)
			youngest, eldest = min(youngest, lo), max(eldest, hi)
			if lo < 18 {
				kids = append(kids, p)
				continue
			}
			adults = append(adults, p)
			if hi > 91 {
				t.Fatalf("aged %d–%d: %+v", lo, hi, p)
			}
		}
		rel := func(r people.Relationship) int {
			return len(slices.DeleteFunc(slices.Clone(ps), func(p people.Person) bool { return p.Relation != r }))
		}
		if rel(people.RelHead) != 1 || rel(people.RelSpouse) > 1 {
			t.Fatalf("%d heads, %d spouses: %+v", rel(people.RelHead), rel(people.RelSpouse), ps)
		}
		if len(adults) == 0 || len(adults) > 3 || len(kids) > 4 {
			t.Fatalf("%d adults, %d children: %+v", len(adults), len(kids), ps)
		}
		head, _ := ageRange(t, ps[0].BirthDate)
		switch {
		case len(kids) > 0:
			// Every child is at least 15 years younger than every adult
			// (the Household checks hold as well).
			for _, k := range kids {
				if k.Relation != people.RelChild && k.Relation != people.RelGrandchild && k.Relation != people.RelRelative {
					t.Fatalf("child as %s: %+v", k.Relation, ps)
				}
			}
			oldestKid := 0
			for _, k := range kids {
				lo, _ := ageRange(t, k.BirthDate)
				oldestKid = max(oldestKid, lo)
			}
			for _, a := range adults {
				if lo, _ := ageRange(t, a.BirthDate); lo < oldestKid+15 {
					t.Fatalf("adult aged %d, eldest child %d: %+v", lo, oldestKid, ps)
				}
			}
			switch {
			case rel(people.RelMother) > 0 && rel(people.RelSpouse) > 0:
				kinds["extended: parents with a grandparent"]++
			case rel(people.RelSpouse) == 0 && rel(people.RelGrandchild) == 0 && rel(people.RelRelative) == 0:
				kinds["single parent"]++
			default:
				kinds["children"]++
			}
		case len(adults) == 1 && head >= 60:
			kinds["elder alone"]++
		case len(adults) == 1:
			kinds["adult alone"]++
		case rel(people.RelSpouse) == 1 && youngest >= 55:
			kinds["elder couple"]++
		case rel(people.RelSpouse) == 1:
			kinds["couple"]++
		case rel(people.RelChild) == 1:
			// A grown child, at least 18 years younger than the parent.
			child := ps[slices.IndexFunc(ps, func(p people.Person) bool { return p.Relation == people.RelChild })]
			if lo, _ := ageRange(t, child.BirthDate); lo > head-18 || lo < 24 {
				t.Fatalf("grown child aged %d, parent %d: %+v", lo, head, ps)
			}
			kinds["elder with a grown child"]++
		default:
			t.Fatalf("unexpected household: %+v", ps)
		}
	}
	perHousehold := float64(persons) / n
	t.Logf("%d households, %.3f people each; %v", n, perHousehold, kinds)
	if perHousehold < 2.80 || perHousehold > 2.92 {
		t.Errorf("%.3f people a household, want about 2.86 (350,000 a million people)", perHousehold)
	}
	for _, k := range []string{"children", "single parent", "extended: parents with a grandparent", "elder alone", "adult alone",
		"elder couple", "couple", "elder with a grown child"} {
		if kinds[k] < n/100 {
			t.Errorf("%d households of the kind %q, want at least 1 %%", kinds[k], k)
		}
	}
}
