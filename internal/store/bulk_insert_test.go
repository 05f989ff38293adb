package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

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
				Sex: people.Female, BirthDate: "1975", Relation: "หัวหน้าครัวเรือน"},
			people.Person{ID: store.NewID(), HouseholdID: h.ID, Title: "เด็กชาย", GivenName: "ภูมิ", FamilyName: "ใจดี",
				Nickname: "ภู", Sex: people.Male, BirthDate: "2016-05-04", Relation: "หลาน"},
			people.Person{ID: store.NewID(), HouseholdID: h.ID, Title: "เด็กหญิง", GivenName: "ข้าวหอม", FamilyName: "ใจดี",
				Sex: people.Female, BirthDate: "2019-11-30", Relation: "หลาน"})
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
