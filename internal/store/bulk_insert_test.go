package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// householdsFixture stores two communities in Khlong Sam Prawet and returns
// their IDs.
func householdsFixture(t *testing.T, db *store.DB) [2]string {
	t.Helper()
	c := context.Background()
	sub, err := db.GetPlaceByCode(c, "101103")
	if err != nil {
		t.Fatal(err)
	}
	var ids [2]string
	for i := range ids {
		p, err := db.SavePlace(c, places.Place{Kind: places.Community, Code: fmt.Sprintf("101103-T%d", i),
			ParentID: sub.ID, NameTH: fmt.Sprintf("ชุมชนทดสอบ %d", i)}, audit.Event{ActorID: "test"})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = p.ID
	}
	return ids
}

// makeHouseholds builds n households of three people each, alternating
// between the communities; people follow their household.
func makeHouseholds(communities [2]string, n int) ([]people.Household, []people.Person) {
	var hs []people.Household
	var ps []people.Person
	for i := range n {
		h := people.Household{ID: store.NewID(), CommunityID: communities[i%2], Address: fmt.Sprintf("%d ซอยร่มเกล้า 24", i+1)}
		hs = append(hs, h)
		ps = append(ps,
			people.Person{ID: store.NewID(), HouseholdID: h.ID, Title: "นาง", GivenName: "สมศรี", FamilyName: "ใจดี",
				Sex: people.Female, BirthDate: "1975", Relation: people.RelHead},
			people.Person{ID: store.NewID(), HouseholdID: h.ID, Title: "เด็กชาย", GivenName: "ภูมิ", FamilyName: "ใจดี",
				Nickname: "ภู", Sex: people.Male, BirthDate: "2016-05-04", Relation: people.RelGrandchild},
			people.Person{ID: store.NewID(), HouseholdID: h.ID, Title: "เด็กหญิง", GivenName: "ข้าวหอม", FamilyName: "ใจดี",
				Sex: people.Female, BirthDate: "2019-11-30", Relation: people.RelGrandchild})
		hs[len(hs)-1].HeadID = ps[len(ps)-3].ID
		hs[len(hs)-1].CaregiverID = ps[len(ps)-3].ID
	}
	return hs, ps
}

func counts(t *testing.T, db *store.DB) (households, persons int, byCommunity map[string]int) {
	t.Helper()
	c := context.Background()
	var err error
	if households, err = db.CountHouseholds(c); err != nil {
		t.Fatal(err)
	}
	if persons, err = db.CountPeople(c); err != nil {
		t.Fatal(err)
	}
	if byCommunity, err = db.CountPeopleByCommunity(c); err != nil {
		t.Fatal(err)
	}
	return households, persons, byCommunity
}

func TestInsertHouseholds(t *testing.T) {
	db := storetest.Open(t)
	communities := householdsFixture(t, db)
	// 700 households and 2,100 people: three transactions, several
	// statements each, and a short last statement.
	hs, ps := makeHouseholds(communities, 700)
	if err := db.InsertHouseholds(context.Background(), hs, ps); err != nil {
		t.Fatal(err)
	}
	nh, np, by := counts(t, db)
	if nh != 700 || np != 2100 || by[communities[0]] != 1050 || by[communities[1]] != 1050 || len(by) != 2 {
		t.Fatalf("households %d, people %d, by community %v", nh, np, by)
	}
	if !storetest.Postgres() {
		// The batches' larger page cache is given back (memory budget).
		var pages int
		if err := db.InTx(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRowForTest(context.Background(), `PRAGMA cache_size`).Scan(&pages)
		}); err != nil {
			t.Fatal(err)
		}
		if pages != -store.WriterCacheKiBForTest {
			t.Errorf("writer's cache_size after a bulk insert = %d, want %d", pages, -store.WriterCacheKiBForTest)
		}
	}
}

// People in any order, or without a household, are still stored after the
// households they belong to.
func TestInsertHouseholdsUnorderedPeople(t *testing.T) {
	db := storetest.Open(t)
	communities := householdsFixture(t, db)
	hs, ps := makeHouseholds(communities, 500)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	ps = append(ps, people.Person{ID: store.NewID(), GivenName: "มานะ", Sex: people.Male})
	if err := db.InsertHouseholds(context.Background(), hs, ps); err != nil {
		t.Fatal(err)
	}
	nh, np, by := counts(t, db)
	if nh != 500 || np != 1501 || by[communities[0]]+by[communities[1]] != 1500 {
		t.Fatalf("households %d, people %d, by community %v", nh, np, by)
	}
}

// A failing batch is rolled back whole; the batches before it stay.
func TestInsertHouseholdsBatchIsAllOrNothing(t *testing.T) {
	db := storetest.Open(t)
	communities := householdsFixture(t, db)
	hs, ps := makeHouseholds(communities, 500) // 2,000 rows: batches of 250 households
	// A person of the 300th household (second batch) repeats an ID.
	ps[300*3+1].ID = ps[300*3].ID
	err := db.InsertHouseholds(context.Background(), hs, ps)
	if !errs.Is(err, errs.Conflict) {
		t.Fatalf("duplicate ID: %v", err)
	}
	nh, np, _ := counts(t, db)
	if nh != 250 || np != 750 {
		t.Fatalf("after a failed second batch: %d households, %d people; want the first batch (250, 750)", nh, np)
	}
}

// The full-size statements stay prepared across transactions (on SQLite):
// one that failed on a conflict in one transaction writes correctly in
// the next, and its rows of the failed one are gone.
func TestInsertHouseholdsAfterAFailedStatement(t *testing.T) {
	db := storetest.Open(t)
	communities := householdsFixture(t, db)
	hs, ps := makeHouseholds(communities, 400) // 1,600 rows: full statements of people in each batch
	if err := db.InsertHouseholds(context.Background(), hs[:200], ps[:600]); err != nil {
		t.Fatal(err)
	}
	// The second call's first batch repeats a person of the first call.
	ps[600+2*3].ID = ps[0].ID
	if err := db.InsertHouseholds(context.Background(), hs[200:], ps[600:]); !errs.Is(err, errs.Conflict) {
		t.Fatalf("person stored twice: %v", err)
	}
	ps[600+2*3].ID = store.NewID()
	if err := db.InsertHouseholds(context.Background(), hs[200:], ps[600:]); err != nil {
		t.Fatal(err)
	}
	nh, np, _ := counts(t, db)
	if nh != 400 || np != 1200 {
		t.Fatalf("households %d, people %d; want 400 and 1,200", nh, np)
	}
}

func TestInsertHouseholdsRejects(t *testing.T) {
	db := storetest.Open(t)
	communities := householdsFixture(t, db)
	c := context.Background()
	hs, ps := makeHouseholds(communities, 2)
	for name, call := range map[string]func() error{
		"household without ID": func() error {
			bad := append([]people.Household{}, hs...)
			bad[1].ID = ""
			return db.InsertHouseholds(c, bad, ps)
		},
		"person without name": func() error {
			bad := append([]people.Person{}, ps...)
			bad[0].GivenName = ""
			return db.InsertHouseholds(c, hs, bad)
		},
		"national ID with a wrong check digit": func() error {
			bad := append([]people.Person{}, ps...)
			bad[1].NationalID = "1100900359658"
			return db.InsertHouseholds(c, hs, bad)
		},
		"national ID not normalised": func() error {
			bad := append([]people.Person{}, ps...)
			bad[1].NationalID = "1-1009-00359-65-7"
			return db.InsertHouseholds(c, hs, bad)
		},
		"identifier not normalised": func() error {
			bad := append([]people.Person{}, ps...)
			bad[1].Identifiers = []people.Identifier{{Kind: people.GCode, Value: "g 1234"}}
			return db.InsertHouseholds(c, hs, bad)
		},
		"unknown community": func() error {
			bad := []people.Household{{ID: store.NewID(), CommunityID: store.NewID()}}
			return db.InsertHouseholds(c, bad, nil)
		},
		"unknown household": func() error {
			return db.InsertHouseholds(c, nil, []people.Person{{ID: store.NewID(), HouseholdID: store.NewID(), GivenName: "มานะ"}})
		},
	} {
		if err := call(); err == nil {
			t.Errorf("%s: stored", name)
		}
	}
	if nh, np, _ := counts(t, db); nh != 0 || np != 0 {
		t.Fatalf("stored %d households, %d people", nh, np)
	}
	if err := db.InsertHouseholds(c, nil, nil); err != nil {
		t.Fatalf("nothing to insert: %v", err)
	}
}

// A person stored by the bulk path is found, looked up and shown exactly
// like the same person made by CreatePerson.
func TestInsertHouseholdsLikeCreatePerson(t *testing.T) {
	db := storetest.Open(t)
	communities := householdsFixture(t, db)
	c := context.Background()
	person := func(nationalID, gcode string) people.Person {
		return people.Person{Title: "เด็กชาย", GivenName: "สมชาย", FamilyName: "ใจดี", Nickname: "ต้น",
			GivenNameLatin: "Somchai", FamilyNameLatin: "Jaidee", Sex: people.Male, BirthDate: "2016-05-04",
			Nationality: people.Thai, Relation: people.RelChild, NationalID: nationalID,
			Identifiers: []people.Identifier{{Kind: people.GCode, Value: gcode}}}
	}
	// The one CreatePerson makes, in a household SaveHousehold makes.
	h1, err := db.SaveHousehold(c, people.Household{CommunityID: communities[0], Address: "1 ซอยร่มเกล้า 24"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	p1 := person("1100900359657", "G1001")
	p1.HouseholdID = h1.ID
	made, err := db.CreatePerson(c, p1, actor())
	if err != nil {
		t.Fatal(err)
	}
	// The bulk one, with its household's head and caregiver.
	h2 := people.Household{ID: store.NewID(), CommunityID: communities[0], Address: "2 ซอยร่มเกล้า 24"}
	p2 := person("3100600445635", "G1002")
	p2.ID, p2.HouseholdID = store.NewID(), h2.ID
	h2.HeadID, h2.CaregiverID = p2.ID, p2.ID
	if err := db.InsertHouseholds(c, []people.Household{h2}, []people.Person{p2}); err != nil {
		t.Fatal(err)
	}
	bulk, err := db.GetPerson(c, p2.ID, actor())
	if err != nil {
		t.Fatal(err)
	}
	same := func(p people.Person) people.Person {
		p.ID, p.HouseholdID, p.NationalID, p.Identifiers, p.CreatedAt, p.UpdatedAt = "", "", "", nil, time.Time{}, time.Time{}
		return p
	}
	if !reflect.DeepEqual(same(made), same(bulk)) || bulk.CommunityID != communities[0] || bulk.NationalID != p2.NationalID ||
		len(bulk.Identifiers) != 1 || bulk.Identifiers[0] != p2.Identifiers[0] {
		t.Fatalf("bulk person %+v\ncreated person %+v", bulk, made)
	}
	for _, x := range []struct {
		kind          people.IdentifierKind
		value, wantID string
	}{
		{people.NationalID, "1-1009-00359-65-7", made.ID}, {people.NationalID, "3 1006 00445 63 5", bulk.ID},
		{people.GCode, "g1001", made.ID}, {people.GCode, "G1002", bulk.ID},
	} {
		found, err := db.LookupIdentifier(c, x.kind, x.value, actor())
		if err != nil || found.ID != x.wantID {
			t.Fatalf("lookup %s %s: %v %s, want %s", x.kind, x.value, err, found.ID, x.wantID)
		}
	}
	for _, q := range []string{"สมชาย", "สมชาย ใจดี", "ด.ช.สมชาย", "somchai", "Somchai Jaidee", "ต้น", "สม"} {
		hits, total, err := db.SearchPeople(c, store.PersonQuery{Text: q}, actor())
		if err != nil || total != 2 || len(hits) != 2 {
			t.Fatalf("search %q: %v, %d hits", q, err, total)
		}
		if hits[0].Matched != hits[1].Matched || hits[0].CommunityCode != hits[1].CommunityCode {
			t.Fatalf("search %q: %+v", q, hits)
		}
	}
	for _, p := range []people.Person{made, bulk} {
		hist, err := db.MembershipHistory(c, p.ID)
		if err != nil || len(hist) != 1 || hist[0].Relationship != people.RelChild || hist[0].EndedOn != "" {
			t.Fatalf("memberships of %s: %+v %v", p.ID, hist, err)
		}
		dups, err := db.PossibleDuplicates(c, people.Person{GivenName: "สมชาย", FamilyName: "ใจดี", BirthDate: "2016-05-04"})
		if err != nil || len(dups) != 2 {
			t.Fatalf("possible duplicates: %d %v", len(dups), err)
		}
	}
	v, err := db.GetHousehold(c, h2.ID, actor())
	if err != nil || v.Household.HeadID != p2.ID || v.Household.CaregiverID != p2.ID || len(v.Current) != 1 {
		t.Fatalf("bulk household %+v %v", v, err)
	}
	// Filters work on the bulk person's community and birth year.
	_, total, err := db.SearchPeople(c, store.PersonQuery{Text: "สมชาย", BirthYear: 2016, DistrictCode: "1011"}, actor())
	if err != nil || total != 2 {
		t.Fatalf("filtered search: %d %v", total, err)
	}
}

// A document number already held makes the batch fail as a conflict, and
// nothing of that batch is stored.
func TestInsertHouseholdsIdentifierTaken(t *testing.T) {
	db := storetest.Open(t)
	communities := householdsFixture(t, db)
	c := context.Background()
	if _, err := db.CreatePerson(c, people.Person{GivenName: "มานะ", NationalID: "1100900359657", CommunityID: communities[0]}, actor()); err != nil {
		t.Fatal(err)
	}
	hs, ps := makeHouseholds(communities, 10)
	ps[20].NationalID = "1100900359657"
	err := db.InsertHouseholds(c, hs, ps)
	if !errs.Is(err, errs.Conflict) {
		t.Fatalf("taken national ID: %v", err)
	}
	if nh, np, _ := counts(t, db); nh != 0 || np != 1 {
		t.Fatalf("stored %d households, %d people", nh, np)
	}
}

func TestInsertRecords(t *testing.T) {
	db := storetest.Open(t)
	communities := householdsFixture(t, db)
	c := context.Background()
	org := newOrg(t, db, "HC-BULK")
	hs, ps := makeHouseholds(communities, 2)
	if err := db.InsertHouseholds(c, hs, ps); err != nil {
		t.Fatal(err)
	}
	child := ps[1] // born 2016-05-04
	pct := 92
	good := []people.Record{
		{PersonID: child.ID, Kind: people.Vaccination, OccurredOn: "2016-05-05", OrganisationID: org.ID, Data: people.RecordData{Vaccine: "BCG", Dose: 1}},
		{PersonID: child.ID, Kind: people.Growth, OccurredOn: "2017-05-10", OrganisationID: org.ID, Data: people.RecordData{WeightKg: 9.5, HeightCm: 75}},
		{PersonID: child.ID, Kind: people.Attendance, OccurredOn: "2025-01-31", OrganisationID: org.ID, Data: people.RecordData{AttendancePct: &pct, Period: "2025-01"}},
		{PersonID: child.ID, Kind: people.Condition, OccurredOn: "2024-01-31", OrganisationID: org.ID, Data: people.RecordData{Condition: "chronic_illness"}},
	}
	stored, err := db.InsertRecords(c, good, actor())
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 4 || stored[0].ID == "" || stored[1].Data.AgeMonths != 12 || stored[3].Sensitivity != people.SensitiveHealth {
		t.Fatalf("stored %+v", stored)
	}
	tl, err := db.Timeline(c, child.ID, store.TimelineFilter{}, actor())
	if err != nil || len(tl) != 4 || tl[0].Kind != people.Attendance {
		t.Fatalf("timeline %+v %v", tl, err)
	}
	// One bad record: none stored.
	bad := append(slices.Clone(good), people.Record{PersonID: child.ID, Kind: people.Vaccination, OccurredOn: "2016-06-01",
		OrganisationID: org.ID, Data: people.RecordData{Vaccine: "XYZ", Dose: 1}})
	if _, err := db.InsertRecords(c, bad, actor()); !errs.Is(err, errs.Invalid) {
		t.Fatalf("bad vaccine: %v", err)
	}
	before := append(slices.Clone(good[:1]), people.Record{PersonID: child.ID, Kind: people.Growth, OccurredOn: "2015-01-01",
		OrganisationID: org.ID, Data: people.RecordData{WeightKg: 3}})
	if _, err := db.InsertRecords(c, before, actor()); !errs.Is(err, errs.Invalid) {
		t.Fatalf("record before birth: %v", err)
	}
	if tl, _ := db.Timeline(c, child.ID, store.TimelineFilter{}, actor()); len(tl) != 4 {
		t.Fatalf("%d records after failed imports, want 4", len(tl))
	}
}
