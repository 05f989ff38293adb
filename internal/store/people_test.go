package store_test

import (
	"strings"
	"sync"
	"testing"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// newCommunity makes a community under Khlong Sam Prawet (Lat Krabang).
func newCommunity(t *testing.T, db *store.DB, code string) places.Place {
	t.Helper()
	parent := mustPlaceByCode(t, db, "101103")
	c, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-" + code, NameTH: "ชุมชนทดสอบ " + code, ParentID: parent.ID}, actor())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newHousehold(t *testing.T, db *store.DB, community places.Place) people.Household {
	t.Helper()
	h, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID, Address: "99/1 ซอยร่มเกล้า"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestPersonLifecycle(t *testing.T) {
	db := storetest.Open(t)
	c := newCommunity(t, db, "P1")
	h := newHousehold(t, db, c)
	p, err := db.CreatePerson(ctx, people.Person{GivenName: "เด็กชายสมชาย", FamilyName: "ใจดี", BirthDate: "12/01/2562",
		NationalID: "1-1009-00359-65-7", HouseholdID: h.ID, Relation: people.RelChild,
		Identifiers: []people.Identifier{{Kind: people.BirthCertificate, Value: "BC-001/2562"}}}, actor())
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 1 || p.Title != "เด็กชาย" || p.BirthDate != "2019-01-12" || p.CommunityID != c.ID || p.NationalID != "1100900359657" ||
		len(p.Identifiers) != 1 || p.Identifiers[0].Value != "BC001/2562" {
		t.Fatalf("created person: %+v", p)
	}
	if n := auditCount(t, db, store.ActionPersonCreated, p.ID); n != 1 {
		t.Fatalf("create audit rows: %d", n)
	}

	// Reading is audited once per read.
	got, err := db.GetPerson(ctx, p.ID, actor())
	if err != nil || got.GivenName != "สมชาย" {
		t.Fatalf("get: %v %+v", err, got)
	}
	if n := auditCount(t, db, store.ActionPersonRead, p.ID); n != 1 {
		t.Fatalf("read audit rows: %d", n)
	}

	// Lookup by any document, exact, whatever the typing.
	for _, id := range []struct {
		kind  people.IdentifierKind
		value string
	}{{people.NationalID, "1 1009 00359 65 7"}, {people.NationalID, "๑๑๐๐๙๐๐๓๕๙๖๕๗"}, {people.BirthCertificate, "bc001/2562"}} {
		found, err := db.LookupIdentifier(ctx, id.kind, id.value, actor())
		if err != nil || found.ID != p.ID {
			t.Fatalf("lookup %s %q: %v", id.kind, id.value, err)
		}
	}
	_, err = db.LookupIdentifier(ctx, people.NationalID, "3100600445635", actor())
	wantErr(t, err, errs.NotFound, "", "person.not_found")
	_, err = db.LookupIdentifier(ctx, people.NationalID, "3100600445636", actor())
	wantErr(t, err, errs.Invalid, "national_id", "person.national_id_checksum")

	// Optimistic concurrency: the second edit of version 1 is stale.
	p.Nickname = "ต้น"
	p2, err := db.UpdatePerson(ctx, p, actor())
	if err != nil || p2.Version != 2 || p2.Nickname != "ต้น" {
		t.Fatalf("update: %v %+v", err, p2)
	}
	p.Nickname = "ตั้ม"
	_, err = db.UpdatePerson(ctx, p, actor())
	wantErr(t, err, errs.Stale, "", "error.stale")
	if again, _ := db.GetPerson(ctx, p.ID, actor()); again.Nickname != "ต้น" {
		t.Fatalf("stale edit changed the record: %q", again.Nickname)
	}

	// A national ID is one person's.
	_, err = db.CreatePerson(ctx, people.Person{GivenName: "สมหญิง", NationalID: "1100900359657"}, actor())
	wantErr(t, err, errs.Conflict, "national_id", "person.national_id_taken")
	_, err = db.CreatePerson(ctx, people.Person{GivenName: "สมหญิง", Identifiers: []people.Identifier{{Kind: people.BirthCertificate, Value: "BC001/2562"}}}, actor())
	wantErr(t, err, errs.Conflict, "other_ids[0]", "person.identifier_taken")
	if n, _ := db.CountPeople(ctx); n != 1 {
		t.Fatalf("a refused person was stored: %d people", n)
	}
}

func TestConcurrentEditsOneWins(t *testing.T) {
	db := storetest.Open(t)
	p, err := db.CreatePerson(ctx, people.Person{GivenName: "มานี", BirthDate: "2561"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			q := p
			q.Nickname = []string{"มา", "นี", "มะลิ", "ดาว"}[i]
			_, results[i] = db.UpdatePerson(ctx, q, actor())
		}(i)
	}
	wg.Wait()
	won := 0
	for _, err := range results {
		switch {
		case err == nil:
			won++
		case !errs.Is(err, errs.Stale):
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d edits of one version won, want 1", won)
	}
}

func TestHouseholdHistory(t *testing.T) {
	db := storetest.Open(t)
	c := newCommunity(t, db, "H1")
	first, second := newHousehold(t, db, c), newHousehold(t, db, newCommunity(t, db, "H2"))
	grandma, err := db.CreatePerson(ctx, people.Person{GivenName: "นางบุญมี", FamilyName: "ศรีสุข", BirthDate: "2505", HouseholdID: first.ID, Relation: people.RelHead}, actor())
	if err != nil {
		t.Fatal(err)
	}
	child, err := db.CreatePerson(ctx, people.Person{GivenName: "เด็กหญิงดาว", FamilyName: "ศรีสุข", BirthDate: "2016-04-03", HouseholdID: first.ID, Relation: people.RelGrandchild}, actor())
	if err != nil {
		t.Fatal(err)
	}
	first.HeadID, first.CaregiverID = grandma.ID, grandma.ID
	if first, err = db.SaveHousehold(ctx, first, actor()); err != nil {
		t.Fatal(err)
	}
	// The head must be a member.
	bad := second
	bad.HeadID = grandma.ID
	_, err = db.SaveHousehold(ctx, bad, actor())
	wantErr(t, err, errs.Invalid, "head_id", "household.not_member")

	// The child moves to a foster family: history is kept.
	child.HouseholdID, child.Relation = second.ID, people.RelFosterChild
	if child, err = db.UpdatePerson(ctx, child, actor()); err != nil {
		t.Fatal(err)
	}
	v1, err := db.GetHousehold(ctx, first.ID, actor())
	if err != nil {
		t.Fatal(err)
	}
	if len(v1.Current) != 1 || len(v1.Former) != 1 || v1.Former[0].Person.ID != child.ID || v1.Former[0].Membership.EndedOn == "" {
		t.Fatalf("first household: %+v", v1)
	}
	v2, err := db.GetHousehold(ctx, second.ID, actor())
	if err != nil || len(v2.Current) != 1 || v2.Current[0].Membership.Relationship != people.RelFosterChild {
		t.Fatalf("second household: %v %+v", err, v2)
	}
	if child.CommunityID != second.CommunityID {
		t.Fatal("the child's community did not follow the household")
	}
	hist, err := db.MembershipHistory(ctx, child.ID)
	if err != nil || len(hist) != 2 || hist[0].HouseholdID != first.ID || hist[1].HouseholdID != second.ID {
		t.Fatalf("history: %v %+v", err, hist)
	}
}

func TestSearchFindsSoundAlikes(t *testing.T) {
	db := storetest.Open(t)
	c := newCommunity(t, db, "S1")
	h := newHousehold(t, db, c)
	somchai, err := db.CreatePerson(ctx, people.Person{GivenName: "สมชาย", FamilyName: "ใจดี", GivenNameLatin: "Somchai", FamilyNameLatin: "Jaidee",
		Sex: people.Male, BirthDate: "2015-03-01", HouseholdID: h.ID}, actor())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []people.Person{
		{GivenName: "สมศรี", FamilyName: "ใจดี", Sex: people.Female, BirthDate: "2012"},
		{GivenName: "กิตติพงษ์", FamilyName: "แก้วมณี", Sex: people.Male, BirthDate: "2010-01-01"},
		{GivenName: "ณัฐวุฒิ", FamilyName: "ศรีสุข", Sex: people.Male, BirthDate: "2011-01-01"},
	} {
		if _, err := db.CreatePerson(ctx, p, actor()); err != nil {
			t.Fatal(err)
		}
	}
	find := func(q store.PersonQuery) []string {
		t.Helper()
		hits, _, err := db.SearchPeople(ctx, q, actor())
		if err != nil {
			t.Fatalf("search %q: %v", q.Text, err)
		}
		var names []string
		for _, h := range hits {
			names = append(names, h.Person.GivenName)
		}
		return names
	}
	for _, typed := range []string{"สมชาญ", "somchai", "Somchay", "ด.ช.สมชาย", "สมชาย ใจดี", "สมช"} {
		if got := find(store.PersonQuery{Text: typed}); len(got) == 0 || got[0] != "สมชาย" {
			t.Errorf("%q found %v, want สมชาย first", typed, got)
		}
	}
	if got := find(store.PersonQuery{Text: "กิตติพงศ์"}); len(got) != 1 || got[0] != "กิตติพงษ์" {
		t.Errorf("กิตติพงศ์ found %v", got)
	}
	if got := find(store.PersonQuery{Text: "นัฐวุฒิ"}); len(got) != 1 || got[0] != "ณัฐวุฒิ" {
		t.Errorf("นัฐวุฒิ found %v", got)
	}
	// Narrowing by birth year, sex and place.
	if got := find(store.PersonQuery{Text: "ใจดี", Sex: people.Female}); len(got) != 1 || got[0] != "สมศรี" {
		t.Errorf("ใจดี female: %v", got)
	}
	if got := find(store.PersonQuery{Text: "ใจดี", BirthYear: 2015}); len(got) != 1 || got[0] != "สมชาย" {
		t.Errorf("ใจดี 2015: %v", got)
	}
	if got := find(store.PersonQuery{Text: "ใจดี", CommunityCode: c.Code}); len(got) != 1 {
		t.Errorf("ใจดี in %s: %v", c.Code, got)
	}
	if got := find(store.PersonQuery{Text: "ใจดี", DistrictCode: "1001"}); len(got) != 0 {
		t.Errorf("ใจดี in Phra Nakhon: %v", got)
	}
	_, _, err = db.SearchPeople(ctx, store.PersonQuery{Text: "  "}, actor())
	wantErr(t, err, errs.Invalid, "q", "search.empty")
	// Searches are audited without their text.
	evs, err := db.RecentAudit(ctx, store.ActionPeopleSearched, 100)
	if err != nil || len(evs) == 0 {
		t.Fatalf("search audit: %v", err)
	}
	for _, e := range evs {
		if containsAny(e.Detail, "สมชาย", "somchai", "ใจดี") {
			t.Fatalf("search text in the audit: %q", e.Detail)
		}
	}
	// A probable duplicate: same sound, same birth date.
	dups, err := db.PossibleDuplicates(ctx, people.Person{GivenName: "สมชาญ", FamilyName: "ใจดี", BirthDate: "2015-03-01"})
	if err != nil || len(dups) != 1 || dups[0].ID != somchai.ID {
		t.Fatalf("duplicates: %v %+v", err, dups)
	}
	if dups, _ := db.PossibleDuplicates(ctx, people.Person{GivenName: "สมชาย", FamilyName: "ใจดี", BirthDate: "2016-03-01"}); len(dups) != 0 {
		t.Fatalf("a different birth date is not a duplicate: %+v", dups)
	}
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(strings.ToLower(s), strings.ToLower(x)) {
			return true
		}
	}
	return false
}

func TestTimelineAcrossAgenciesAndPregnancy(t *testing.T) {
	db := storetest.Open(t)
	health, school := newOrg(t, db, "HC-TL"), newOrg(t, db, "SCH-TL")
	c := newCommunity(t, db, "T1")
	h := newHousehold(t, db, c)
	mother, err := db.CreatePerson(ctx, people.Person{GivenName: "นางสาวมะลิ", FamilyName: "ทองดี", Sex: people.Female, BirthDate: "2000-02-02", HouseholdID: h.ID, Relation: people.RelHead}, actor())
	if err != nil {
		t.Fatal(err)
	}
	due := db.Now().AddDate(0, 3, 0).Format("2006-01-02")
	pr, err := db.CreatePregnancy(ctx, mother.ID, due, actor())
	if err != nil {
		t.Fatal(err)
	}
	anc := people.Record{PregnancyID: pr.ID, Kind: people.AntenatalVisit, OccurredOn: db.Now().AddDate(0, -1, 0).Format("2006-01-02"),
		OrganisationID: health.ID, Data: people.RecordData{GestationalWeeks: 24}}
	if _, err := db.AddRecord(ctx, anc, actor()); err != nil {
		t.Fatal(err)
	}
	baby, err := db.RecordBirth(ctx, pr.ID, people.Person{Nickname: "น้องข้าวหอม", Sex: people.Female, BirthDate: db.Now().Format("2006-01-02")}, actor())
	if err != nil {
		t.Fatal(err)
	}
	if baby.HouseholdID != h.ID || baby.FromPregnancyID != pr.ID {
		t.Fatalf("baby: %+v", baby)
	}
	if _, err := db.RecordBirth(ctx, pr.ID, people.Person{Nickname: "แฝด"}, actor()); !errs.Is(err, errs.Invalid) {
		t.Fatalf("a born pregnancy was born again: %v", err)
	}
	today := db.Now().Format("2006-01-02")
	for _, r := range []people.Record{
		{PersonID: baby.ID, Kind: people.Birth, OccurredOn: today, OrganisationID: health.ID, Data: people.RecordData{BirthWeightGrams: 2450, GestationalWeeks: 37}},
		{PersonID: baby.ID, Kind: people.Vaccination, OccurredOn: today, OrganisationID: health.ID, Data: people.RecordData{Vaccine: "BCG", Dose: 1}},
		{PersonID: baby.ID, Kind: people.HomeVisit, OccurredOn: today, OrganisationID: school.ID, Data: people.RecordData{Note: "ติดตามเยี่ยมบ้าน"}},
	} {
		if _, err := db.AddRecord(ctx, r, actor()); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.AddRecord(ctx, people.Record{PersonID: baby.ID, Kind: people.Vaccination, OccurredOn: today, OrganisationID: health.ID,
		Data: people.RecordData{Vaccine: "BCG", Dose: 9}}, actor())
	wantErr(t, err, errs.Invalid, "dose", "record.out_of_range")

	all, err := db.Timeline(ctx, baby.ID, store.TimelineFilter{}, actor())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || all[len(all)-1].Kind != people.AntenatalVisit || all[len(all)-1].PersonID != "" {
		t.Fatalf("timeline: %+v", all)
	}
	if all[0].OrganisationName == "" {
		t.Fatal("timeline lacks organisation names")
	}
	healthOnly, err := db.Timeline(ctx, baby.ID, store.TimelineFilter{OrganisationID: health.ID, Dimension: people.Health}, actor())
	if err != nil || len(healthOnly) != 3 {
		t.Fatalf("filtered timeline: %v %d", err, len(healthOnly))
	}
	if n := auditCount(t, db, store.ActionTimelineRead, baby.ID); n != 2 {
		t.Fatalf("timeline reads audited: %d", n)
	}
}

func TestReadFailsWhenAuditFails(t *testing.T) {
	db := storetest.Open(t)
	p, err := db.CreatePerson(ctx, people.Person{GivenName: "ปลา"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.ExecForTest(ctx, `ALTER TABLE audit_events RENAME TO audit_events_gone`)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetPerson(ctx, p.ID, audit.Event{ActorID: "x"}); err == nil {
		t.Fatal("a read succeeded although its audit row could not be written")
	}
}

func TestAntenatalVisitOnTheMotherGoesToHerPregnancy(t *testing.T) {
	db := storetest.Open(t)
	health := newOrg(t, db, "HC-ANC")
	mother, err := db.CreatePerson(ctx, people.Person{GivenName: "นางสาวแก้ว", Sex: people.Female, BirthDate: "1999"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	visit := people.Record{PersonID: mother.ID, Kind: people.AntenatalVisit, OccurredOn: db.Now().Format("2006-01-02"),
		OrganisationID: health.ID, Data: people.RecordData{GestationalWeeks: 12}}
	_, err = db.AddRecord(ctx, visit, actor())
	wantErr(t, err, errs.Invalid, "kind", "record.pregnancy_missing")
	pr, err := db.CreatePregnancy(ctx, mother.ID, db.Now().AddDate(0, 6, 0).Format("2006-01-02"), actor())
	if err != nil {
		t.Fatal(err)
	}
	rec, err := db.AddRecord(ctx, visit, actor())
	if err != nil || rec.PregnancyID != pr.ID || rec.PersonID != "" {
		t.Fatalf("visit: %v %+v", err, rec)
	}
}

// A narrowed search reads the candidates' names with the filter (and the
// prefix search with its rows): the closest spelling must still come
// first, by one key or several.
func TestNarrowedSearchRanksBySpelling(t *testing.T) {
	db := storetest.Open(t)
	c := newCommunity(t, db, "S1")
	h := newHousehold(t, db, c)
	for _, given := range []string{"สมชาย", "สมชาญ", "สมชาติ"} {
		if _, err := db.CreatePerson(ctx, people.Person{GivenName: given, FamilyName: "ใจดี", Sex: people.Male, BirthDate: "2015-03-01",
			HouseholdID: h.ID}, actor()); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []store.PersonQuery{
		{Text: "สมชาญ", BirthYear: 2015},
		{Text: "สมชาญ ใจดี", Sex: people.Male},
		{Text: "สมชาญ ใจดี", CommunityCode: c.Code},
		{Text: "สมชาญ", DistrictCode: "1011"},
	} {
		hits, _, err := db.SearchPeople(ctx, q, actor())
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) < 2 || hits[0].Person.GivenName != "สมชาญ" {
			var names []string
			for _, h := range hits {
				names = append(names, h.Person.GivenName)
			}
			t.Errorf("%+v found %v, want สมชาญ first of several", q, names)
		}
	}
}

// A person's schooling and identifiers are read on every ID lookup and
// every person page: each must come from its own index (migration 00031),
// not from reading all of a person's service records. The schooling index
// is partial, and a database uses it only while the query's condition on
// the kind matches the index's: a change to either fails here.
func TestLookupQueriesUseTheirIndexes(t *testing.T) {
	db := storetest.Open(t)
	for index, q := range store.LookupQueriesForTest {
		plan, err := db.PlanForTest(ctx, q, "no-such-person")
		if err != nil {
			t.Fatalf("%s: %v", index, err)
		}
		if !strings.Contains(plan, index) {
			t.Errorf("the query does not use %s; its plan:\n%s\nquery: %s", index, plan, q)
		}
	}
}
