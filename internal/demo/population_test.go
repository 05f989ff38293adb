package demo

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func TestPopulate(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	var progress bytes.Buffer
	res, err := Populate(ctx, db, PopulationOptions{People: 3000, Seed: 5, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if res.People != 3000 || res.Households == 0 || res.Communities < 180 || res.CommunitiesNew != res.Communities {
		t.Fatalf("result %+v", res)
	}
	if n, _ := db.CountPeople(ctx); n != 3000 {
		t.Fatalf("%d people stored", n)
	}
	// Bangkok-sized households: about 2.86 people each (CityHousehold;
	// TestCityHouseholds checks the mix). Each sub-district's last
	// household is cut to fit its even share, which at 3,000 people over
	// 180 sub-districts lowers the mean to about 2.6.
	if per := float64(res.People) / float64(res.Households); per < 2.5 || per > 3.0 {
		t.Errorf("%d households for %d people: %.2f each, want 2.5–3.0", res.Households, res.People, per)
	}
	if lines := strings.Count(progress.String(), "\n"); lines < 1 {
		t.Errorf("progress:\n%s", progress.String())
	}
	// Every district has people, in synthetic communities under real
	// sub-districts.
	byCommunity, err := db.CountPeopleByCommunity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	districts := map[string]int{}
	for id, n := range byCommunity {
		c, err := db.GetPlace(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		code, district, err := db.CommunityCodes(ctx, id)
		if err != nil || !strings.Contains(code, "-G") || !strings.HasSuffix(c.NameEN, syntheticMarker) || c.Kind != places.Community {
			t.Fatalf("community %+v (%s, %v)", c, code, err)
		}
		districts[district] += n
	}
	if len(districts) != 50 {
		t.Errorf("people in %d districts, want 50", len(districts))
	}
	// A second run adds nothing.
	again, err := Populate(ctx, db, PopulationOptions{People: 3000, Seed: 5})
	if err != nil || again.People != 0 || again.PeopleExisting != 3000 {
		t.Fatalf("second run %+v %v", again, err)
	}
	// Generated people are found by their national ID.
	ids, err := db.SampleIdentifiers(ctx, people.NationalID, 20)
	if err != nil || len(ids) < 10 {
		t.Fatalf("sample %v %v", ids, err)
	}
	for _, id := range ids {
		if _, err := db.LookupIdentifier(ctx, people.NationalID, id, auditActor()); err != nil {
			t.Fatalf("lookup %s: %v", id, err)
		}
	}
}

// Search results come in rank order, and pages of any size agree with one
// large page: the store ranks only the part of the candidates a page needs.
func TestSearchPagesAgree(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	if _, err := Populate(ctx, db, PopulationOptions{People: 6000, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"สมชาย", "สมชาย ใจดี", "somchai", "ภูมิ", "ณัฐ", "ศรีสุข", "นภาพร แก้วมณี", "ต้น"} {
		all, total, err := db.SearchPeople(ctx, store.PersonQuery{Text: q, Limit: 100}, auditActor())
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != min(total, 100) {
			t.Fatalf("%q: %d hits of %d", q, len(all), total)
		}
		for i := 1; i < len(all); i++ {
			a, b := all[i-1], all[i]
			if a.Matched < b.Matched {
				t.Fatalf("%q: hit %d matched %d keys, hit %d %d", q, i-1, a.Matched, i, b.Matched)
			}
		}
		var paged []string
		for offset := 0; offset < len(all); offset += 7 {
			page, _, err := db.SearchPeople(ctx, store.PersonQuery{Text: q, Limit: 7, Offset: offset}, auditActor())
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range page {
				paged = append(paged, h.Person.ID)
			}
		}
		var whole []string
		for _, h := range all {
			whole = append(whole, h.Person.ID)
		}
		if !slices.Equal(paged[:min(len(paged), len(whole))], whole) {
			t.Fatalf("%q: pages of 7 give %d results differing from one page of 100 (%d)", q, len(paged), len(whole))
		}
		t.Logf("%q: %d results, first %s %s", q, total, all[0].Person.GivenName, all[0].Person.FamilyName)
	}
}
