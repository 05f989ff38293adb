package store_test

import (
	"strconv"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// BenchmarkAddRecordOnce: what a form's sending costs the write it guards —
// a service record added plainly, and under a sending (one more statement,
// on the primary key, in the record's transaction). CPU per record, not
// wall time: on a shared machine the wall time is mostly waiting.
func BenchmarkAddRecordOnce(b *testing.B) {
	db := storetest.Open(b)
	district, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		b.Fatal(err)
	}
	sub, err := db.GetPlaceByCode(ctx, "101103")
	if err != nil {
		b.Fatal(err)
	}
	org, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "HC-BO", Kind: organisations.HealthCentre, NameTH: "ศูนย์ทดสอบ",
		PlaceID: district.ID, Active: true}, actor())
	if err != nil {
		b.Fatal(err)
	}
	u, err := db.SaveUser(ctx, account.User{Username: "nurse.bo", DisplayName: "Nurse", Kind: account.StaffAccount, PasswordHash: "$argon2id$placeholder",
		Memberships: []account.Membership{{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff}}}, actor())
	if err != nil {
		b.Fatal(err)
	}
	community, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-BO", NameTH: "ชุมชนทดสอบ", ParentID: sub.ID}, actor())
	if err != nil {
		b.Fatal(err)
	}
	hh, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID, Address: "1 ซอยทดสอบ"}, actor())
	if err != nil {
		b.Fatal(err)
	}
	child, err := db.CreatePerson(ctx, people.Person{GivenName: "ด.ญ.ทดสอบ", FamilyName: "ใจดี", Sex: people.Female, BirthDate: "2023-01-01",
		HouseholdID: hh.ID, Relation: people.RelChild}, actor())
	if err != nil {
		b.Fatal(err)
	}
	rec := people.Record{PersonID: child.ID, Kind: people.Growth, OccurredOn: time.Now().AddDate(0, 0, -1).Format("2006-01-02"),
		OrganisationID: org.ID, AuthorID: u.ID, Data: people.RecordData{WeightKg: 12}}
	// The two alternate, record by record, so that both meet the same
	// timeline (a record's write costs more as the child's timeline grows).
	var plain, once time.Duration
	n := 0
	for b.Loop() {
		for _, guarded := range []bool{false, true} {
			c := ctx
			if guarded {
				n++
				c = store.WithOnce(ctx, &store.Once{Owner: "bench-session", Form: "record:" + child.ID, Key: "nonce-" + strconv.Itoa(n)})
			}
			cpu0 := processCPU()
			if _, err := db.AddRecord(c, rec, actor()); err != nil {
				b.Fatal(err)
			}
			if guarded {
				once += processCPU() - cpu0
			} else {
				plain += processCPU() - cpu0
			}
		}
	}
	b.ReportMetric(float64(plain.Microseconds())/1000/float64(n), "plain-cpu-ms/op")
	b.ReportMetric(float64(once.Microseconds())/1000/float64(n), "once-cpu-ms/op")
}
