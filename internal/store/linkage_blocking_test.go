package store_test

import (
	"fmt"
	"slices"
	"testing"

	"termtem/internal/imports"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
	"termtem/internal/thai"
)

// TestLinkageBlockingDropsCommonKeys: a family name that sounds like a
// nickname many children of the same years carry (มิน, มินนี่) is a block
// too large to read; blocking drops it whole, counts it, and asks again
// with the birth date, so that the child is still found — with a typo in
// the given name, with day and month swapped — and none of the others is
// read. A given name's sound with the birth date finds a child whose
// family name changed; a row without a birth year asks with both sounds.
func TestLinkageBlockingDropsCommonKeys(t *testing.T) {
	db := storetest.Open(t)
	communities := householdsFixture(t, db)
	if thai.PhoneticKey("มิน") != thai.PhoneticKey("มินนี่") {
		t.Fatal("the test's premise: มิน and มินนี่ share a sound")
	}
	families := []string{"ศรีนวล", "สิริประพงษ์", "รัตนนิธิ", "กิตติธรรม", "นิลธรรมศรี", "บุญมา", "แสงทอง"}
	var hs []people.Household
	var ps []people.Person
	add := func(p people.Person) string {
		h := people.Household{ID: store.NewID(), CommunityID: communities[len(hs)%2], Address: fmt.Sprintf("%d ซอยร่มเกล้า 24", len(hs)+1)}
		p.ID, p.HouseholdID, p.Relation = store.NewID(), h.ID, people.RelHead
		h.HeadID, h.CaregiverID = p.ID, p.ID
		hs, ps = append(hs, h), append(ps, p)
		return p.ID
	}
	const many = 150 // more than one key of a row may read
	for i := range many {
		add(people.Person{GivenName: "ณัฐรัตน์", FamilyName: families[i%len(families)], Nickname: "มินนี่", Sex: people.Female,
			BirthDate: fmt.Sprintf("2015-%02d-%02d", 5+i%6, 10+i%15)})
	}
	boy := add(people.Person{GivenName: "สมชาย", FamilyName: "มิน", Sex: people.Male, BirthDate: "2015-03-04"})
	girl := add(people.Person{GivenName: "พิมพ์ชนก", FamilyName: "ทองคำ", Sex: people.Female, BirthDate: "2016-07-03"})
	if err := db.InsertHouseholds(ctx, hs, ps); err != nil {
		t.Fatal(err)
	}
	row := func(given, family, birth string) *imports.Row {
		return &imports.Row{Person: &people.Person{GivenName: given, FamilyName: family, BirthDate: birth}}
	}
	for _, c := range []struct {
		name       string
		row        *imports.Row
		want       string
		maxCands   int
		wantCapped bool
	}{
		{"a typo in the given name", row("สมชัย", "มิน", "2015-03-04"), boy, 2, true},
		{"day and month swapped", row("สมชาย", "มิน", "2015-04-03"), boy, 2, true},
		{"a new family name", row("พิมพ์ชนก", "แสงจันทร์", "2016-03-07"), girl, 1, false},
		{"no birth date", row("พิมพ์ชนก", "ทองคำ", ""), girl, 1, false},
	} {
		ids, capped, err := db.LinkageCandidatesForTest(ctx, []*imports.Row{c.row})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(ids, c.want) || len(ids) > c.maxCands || (capped > 0) != c.wantCapped {
			t.Errorf("%s: %d candidates (want the child among at most %d), %d keys capped", c.name, len(ids), c.maxCands, capped)
		}
	}
}
