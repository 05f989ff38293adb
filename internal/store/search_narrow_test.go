package store_test

import (
	"testing"

	"termtem/internal/account"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// Search narrowed by birth year or district reads those from the name key
// rows (copies kept for speed), so every way a person is written or moved
// must keep them true: created, corrected, their household moved to another
// district, bulk-inserted.
func TestNarrowedSearchFollowsChanges(t *testing.T) {
	db := storetest.Open(t)
	latKrabang := newCommunity(t, db, "N1") // district 1011
	phraNakhon, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "100101-N2", NameTH: "ชุมชนทดสอบ N2",
		ParentID: mustPlaceByCode(t, db, "100101").ID}, actor()) // district 1001
	if err != nil {
		t.Fatal(err)
	}
	h := newHousehold(t, db, latKrabang)
	p, err := db.CreatePerson(ctx, people.Person{GivenName: "สมศรี", FamilyName: "มีสุข", BirthDate: "2015-02-03", HouseholdID: h.ID}, actor())
	if err != nil {
		t.Fatal(err)
	}
	finds := func(step string, q store.PersonQuery, id string, want bool) {
		t.Helper()
		hits, _, err := db.SearchPeople(ctx, q, actor())
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range hits {
			found = found || h.Person.ID == id
		}
		if found != want {
			t.Errorf("%s: search %+v found the person: %v, want %v", step, q, found, want)
		}
	}
	for _, text := range []string{"สมศรี", "สมศรี มีสุข"} { // one key, several keys
		finds("created", store.PersonQuery{Text: text, BirthYear: 2015}, p.ID, true)
		finds("created", store.PersonQuery{Text: text, BirthYear: 2016}, p.ID, false)
		finds("created", store.PersonQuery{Text: text, DistrictCode: "1011"}, p.ID, true)
		finds("created", store.PersonQuery{Text: text, DistrictCode: "1001"}, p.ID, false)
		finds("created", store.PersonQuery{Text: text, CommunityCode: latKrabang.Code}, p.ID, true)
	}

	p.BirthDate = "2016-02-03"
	if p, err = db.UpdatePerson(ctx, p, actor()); err != nil {
		t.Fatal(err)
	}
	finds("birth date corrected", store.PersonQuery{Text: "สมศรี", BirthYear: 2016}, p.ID, true)
	finds("birth date corrected", store.PersonQuery{Text: "สมศรี", BirthYear: 2015}, p.ID, false)

	hv, err := db.GetHousehold(ctx, h.ID, actor())
	if err != nil {
		t.Fatal(err)
	}
	h = hv.Household
	h.CommunityID = phraNakhon.ID
	if _, err := db.SaveHousehold(ctx, h, actor()); err != nil {
		t.Fatal(err)
	}
	finds("household moved", store.PersonQuery{Text: "สมศรี มีสุข", DistrictCode: "1001"}, p.ID, true)
	finds("household moved", store.PersonQuery{Text: "สมศรี", DistrictCode: "1011"}, p.ID, false)
	finds("household moved", store.PersonQuery{Text: "สมศรี", CommunityCode: phraNakhon.Code}, p.ID, true)

	bh := people.Household{ID: store.NewID(), CommunityID: phraNakhon.ID, Address: "1 ถนนราชดำเนิน"}
	bp := people.Person{ID: store.NewID(), HouseholdID: bh.ID, GivenName: "ข้าวหอม", FamilyName: "ทองดี", BirthDate: "2019-11-30",
		Relation: people.RelHead}
	if err := db.InsertHouseholds(ctx, []people.Household{bh}, []people.Person{bp}); err != nil {
		t.Fatal(err)
	}
	finds("bulk-inserted", store.PersonQuery{Text: "ข้าวหอม ทองดี", BirthYear: 2019, DistrictCode: "1001"}, bp.ID, true)
	finds("bulk-inserted", store.PersonQuery{Text: "ข้าวหอม", BirthYear: 2018}, bp.ID, false)
}

// A city-wide unit's search area is every community (a shorter test than
// the zone groups' communities): it finds people in any district, in their
// own right and not as restricted, and still not a person with no community
// whom it does not care for.
func TestCityWideSearch(t *testing.T) {
	db := storetest.Open(t)
	org, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "CITY-1", Kind: organisations.HealthCentre,
		NameTH: "หน่วยระดับเมือง", PlaceID: mustPlaceByCode(t, db, "10").ID, Active: true}, actor())
	if err != nil {
		t.Fatal(err)
	}
	u := newUser(t, db, "city.reader", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff})
	east := childIn(t, db, "1011", "C1", "ตะวันออก")
	centre := childIn(t, db, "1001", "C2", "กลางเมือง")
	nowhere, err := db.CreatePerson(ctx, people.Person{GivenName: "ไร้ที่อยู่", FamilyName: "ขอบเขต", BirthDate: "2020-02-02"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	hits, total, err := db.SearchPeople(as(t, db, u), store.PersonQuery{Text: "ขอบเขต"}, by(u))
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, h := range hits {
		found[h.Person.ID] = h.Restricted
	}
	restricted, ok := found[east.ID]
	restricted2, ok2 := found[centre.ID]
	if total != 2 || !ok || !ok2 || restricted || restricted2 {
		t.Fatalf("city-wide search: total %d, found (restricted) %v", total, found)
	}
	if _, seen := found[nowhere.ID]; seen {
		t.Fatal("a person with no community and no relation to the unit was found")
	}
}
