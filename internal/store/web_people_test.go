package store_test

import (
	"testing"

	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func TestPregnancyRecordsOnTheMothersTimeline(t *testing.T) {
	db := storetest.Open(t)
	health := newOrg(t, db, "HC-PR")
	h := newHousehold(t, db, newCommunity(t, db, "PR1"))
	mother, err := db.CreatePerson(ctx, people.Person{GivenName: "นางสาวบัว", FamilyName: "ทองคำ", Sex: people.Female, BirthDate: "2001-05-05",
		HouseholdID: h.ID, Relation: people.RelHead}, actor())
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.CreatePerson(ctx, people.Person{GivenName: "นางแก้ว", FamilyName: "ทองคำ", BirthDate: "1999"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	none, err := db.PregnancyRecords(ctx, mother.ID, actor())
	if err != nil || len(none) != 0 {
		t.Fatalf("no pregnancy yet: %v %v", none, err)
	}
	day := func(months int) string { return db.Now().AddDate(0, months, 0).Format("2006-01-02") }
	first, err := db.CreatePregnancy(ctx, mother.ID, day(2), actor())
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := db.CreatePregnancy(ctx, other.ID, day(4), actor())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []people.Record{
		{PregnancyID: first.ID, Kind: people.AntenatalVisit, OccurredOn: day(-2), OrganisationID: health.ID, Data: people.RecordData{GestationalWeeks: 24}},
		{PregnancyID: first.ID, Kind: people.AntenatalVisit, OccurredOn: day(-1), OrganisationID: health.ID, Data: people.RecordData{GestationalWeeks: 28}},
		{PregnancyID: theirs.ID, Kind: people.AntenatalVisit, OccurredOn: day(-1), OrganisationID: health.ID, Data: people.RecordData{GestationalWeeks: 20}},
		// Recorded on the mother herself: her timeline has it already.
		{PersonID: mother.ID, Kind: people.Vaccination, OccurredOn: day(-1), OrganisationID: health.ID, Data: people.RecordData{Vaccine: "dT", Dose: 1}},
	} {
		if _, err := db.AddRecord(ctx, r, actor()); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := db.PregnancyRecords(ctx, mother.ID, actor())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Data.GestationalWeeks != 28 || recs[1].Data.GestationalWeeks != 24 {
		t.Fatalf("mother's pregnancy records, newest first: %+v", recs)
	}
	if recs[0].OrganisationName == "" || recs[0].PregnancyID != first.ID || recs[0].PersonID != "" {
		t.Fatalf("record fields: %+v", recs[0])
	}
	if n := auditCount(t, db, store.ActionTimelineRead, mother.ID); n != 2 {
		t.Fatalf("pregnancy record reads audited: %d", n)
	}
}
