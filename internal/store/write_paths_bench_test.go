package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/demo/benchstore"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
)

// BenchmarkWritePaths measures the commonest write — a nurse adds a service
// record — against raw inserts of the same row into the same table of the
// same database, in the same run (issue 9: "write paths as a ratio to raw
// batched inserts"). Three ways, interleaved round by round so that all
// meet the same database state and load:
//
//   - store: AddRecord, as the form and the API do it — the access check,
//     the person and organisation read, validation, the dashboard counters
//     and their versions, the hand-off check, the audit row; one
//     transaction a record (a nurse's record is acknowledged on its own);
//   - raw: the bare INSERT of the same columns, one transaction a row —
//     what a write costs with nothing around it, the commit included;
//   - raw-batched: the same INSERT, 100 rows a transaction.
//
// On the cached population (TERMTEM_BENCH_PEOPLE, TERMTEM_BENCH_DIR; the
// million of docs/benchmarks.md by default) the table and audit indexes are
// as deep as a city's. It reports rows/s and process CPU a row for each and
// the ratios; on PostgreSQL the server's CPU is not in the process.
func BenchmarkWritePaths(b *testing.B) {
	ctx := context.Background()
	db := benchstore.Open(b, benchstore.People(b), dashboardSeed)
	children, org, author := writePathsSubjects(b, db)
	tmpl, err := db.AddRecord(ctx, people.Record{PersonID: children[0].ID, Kind: people.Growth,
		OccurredOn: time.Now().AddDate(0, 0, -1).Format("2006-01-02"), OrganisationID: org.ID, AuthorID: author.ID,
		Data: people.RecordData{WeightKg: 12}}, actor())
	if err != nil {
		b.Fatal(err)
	}
	// The raw rows copy the columns the store wrote for that record.
	var dimension, sensitivity, data string
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowForTest(ctx, `SELECT dimension, sensitivity, data FROM service_records WHERE id = ?`, tmpl.ID).
			Scan(&dimension, &sensitivity, &data)
	}); err != nil {
		b.Fatal(err)
	}
	insert := func(tx *store.Tx, personID string) error {
		return tx.ExecForTest(ctx, `INSERT INTO service_records (id, person_id, pregnancy_id, kind, occurred_on, organisation_id, author_id,
			dimension, sensitivity, data, created_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
			store.NewID(), personID, string(tmpl.Kind), tmpl.OccurredOn, org.ID, author.ID, dimension, sensitivity, data,
			time.Now().UTC().Format(time.RFC3339Nano))
	}
	const batch = 100
	var storeT, rawT, batchT, storeCPU, rawCPU, batchCPU time.Duration
	rows := 0
	for b.Loop() {
		for i := 0; i < batch; i++ {
			c := children[(rows+i)%len(children)]
			t0, cpu0 := time.Now(), processCPU()
			rec := tmpl
			rec.ID, rec.PersonID = "", c.ID
			if _, err := db.AddRecord(ctx, rec, actor()); err != nil {
				b.Fatal(err)
			}
			storeT, storeCPU = storeT+time.Since(t0), storeCPU+processCPU()-cpu0
			t0, cpu0 = time.Now(), processCPU()
			if err := db.InTx(ctx, func(tx *store.Tx) error { return insert(tx, c.ID) }); err != nil {
				b.Fatal(err)
			}
			rawT, rawCPU = rawT+time.Since(t0), rawCPU+processCPU()-cpu0
		}
		t0, cpu0 := time.Now(), processCPU()
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			for i := 0; i < batch; i++ {
				if err := insert(tx, children[(rows+i)%len(children)].ID); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		batchT, batchCPU = batchT+time.Since(t0), batchCPU+processCPU()-cpu0
		rows += batch
	}
	rate := func(d time.Duration) float64 { return float64(rows) / d.Seconds() }
	perRow := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(rows) }
	b.ReportMetric(rate(storeT), "store-rows/s")
	b.ReportMetric(rate(rawT), "raw-rows/s")
	b.ReportMetric(rate(batchT), "raw-batched-rows/s")
	b.ReportMetric(rate(storeT)/rate(rawT), "ratio-raw")
	b.ReportMetric(rate(storeT)/rate(batchT), "ratio-batched")
	b.ReportMetric(perRow(storeCPU), "store-cpu-µs/row")
	b.ReportMetric(perRow(rawCPU), "raw-cpu-µs/row")
	b.ReportMetric(perRow(batchCPU), "raw-batched-cpu-µs/row")
	b.Logf("%d records each way; store %.0f/s, raw %.0f/s, raw batched %.0f/s", rows, rate(storeT), rate(rawT), rate(batchT))
}

// writePathsSubjects makes (once per population) the benchmark's own
// organisation, nurse and a household of twenty children in a community of
// district 101103, so that the records go to people of the population's
// place tree without touching the generated ones.
func writePathsSubjects(b *testing.B, db *store.DB) ([]people.Person, organisations.Organisation, account.User) {
	b.Helper()
	ctx := context.Background()
	district, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		b.Fatal(err)
	}
	org, err := db.GetOrganisationByCode(ctx, "BENCH-WRITE")
	if err != nil {
		if org, err = db.SaveOrganisation(ctx, organisations.Organisation{Code: "BENCH-WRITE", Kind: organisations.HealthCentre,
			NameTH: "หน่วยทดสอบการเขียน", PlaceID: district.ID, Active: true}, actor()); err != nil {
			b.Fatal(err)
		}
	}
	u, err := db.GetUserByUsername(ctx, "bench.write")
	if err != nil {
		if u, err = db.SaveUser(ctx, account.User{Username: "bench.write", DisplayName: "Benchmark nurse", Kind: account.StaffAccount,
			PasswordHash: "$argon2id$placeholder", Memberships: []account.Membership{{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff}}},
			actor()); err != nil {
			b.Fatal(err)
		}
	}
	community, err := db.GetPlaceByCode(ctx, "101103-BW")
	if err != nil {
		sub, err := db.GetPlaceByCode(ctx, "101103")
		if err != nil {
			b.Fatal(err)
		}
		if community, err = db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-BW", NameTH: "ชุมชนทดสอบการเขียน",
			ParentID: sub.ID}, actor()); err != nil {
			b.Fatal(err)
		}
	}
	hh, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID, Address: "1 ซอยทดสอบการเขียน"}, actor())
	if err != nil {
		b.Fatal(err)
	}
	var children []people.Person
	for i := range 20 {
		p, err := db.CreatePerson(ctx, people.Person{GivenName: fmt.Sprintf("ด.ช.ทดสอบ%d", i), FamilyName: "เขียนเร็ว", Sex: people.Male,
			BirthDate: "2022-03-04", HouseholdID: hh.ID, Relation: people.RelChild}, actor())
		if err != nil {
			b.Fatal(err)
		}
		children = append(children, p)
	}
	return children, org, u
}
