package store_test

import (
	"strings"
	"testing"

	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// Sensitive records are encrypted at rest, bound to their record; others
// stay readable by the database's own tools.
func TestSensitiveRecordsSealed(t *testing.T) {
	db := storetest.Open(t)
	health := newOrg(t, db, "HC-SEAL")
	h := newHousehold(t, db, newCommunity(t, db, "SE1"))
	p, err := db.CreatePerson(ctx, people.Person{GivenName: "ทดสอบ", FamilyName: "ผนึก", BirthDate: "2020-01-01", HouseholdID: h.ID, Relation: people.RelChild}, actor())
	if err != nil {
		t.Fatal(err)
	}
	add := func(r people.Record) people.Record {
		t.Helper()
		r.PersonID, r.OccurredOn, r.OrganisationID = p.ID, "2026-02-01", health.ID
		out, err := db.AddRecord(ctx, r, actor())
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	secret := add(people.Record{Kind: people.Condition, Data: people.RecordData{Condition: "hiv", Note: "CANARY-HIV-NOTE"}})
	plain := add(people.Record{Kind: people.Vaccination, Data: people.RecordData{Vaccine: "BCG", Dose: 1}})
	raw := func(id string) string {
		t.Helper()
		var data string
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRowForTest(ctx, `SELECT data FROM service_records WHERE id = ?`, id).Scan(&data)
		}); err != nil {
			t.Fatal(err)
		}
		return data
	}
	if got := raw(secret.ID); !strings.HasPrefix(got, "enc1:") || strings.Contains(got, "CANARY") || strings.Contains(got, "hiv") {
		t.Fatalf("a sensitive record at rest: %q", got)
	}
	if got := raw(plain.ID); !strings.Contains(got, "BCG") {
		t.Fatalf("a plain record at rest: %q", got)
	}
	recs, err := db.Timeline(ctx, p.ID, store.TimelineFilter{}, actor())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		if r.ID == secret.ID {
			found = r.Data.Note == "CANARY-HIV-NOTE" && r.Data.Condition == "hiv"
		}
	}
	if !found {
		t.Fatalf("the sealed record did not read back: %+v", recs)
	}
	// A ciphertext moved onto another record does not open.
	other := add(people.Record{Kind: people.Condition, Data: people.RecordData{Condition: "disability"}})
	sealed := raw(secret.ID) // read first: one write transaction at a time
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.ExecForTest(ctx, `UPDATE service_records SET data = ? WHERE id = ?`, sealed, other.ID)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Timeline(ctx, p.ID, store.TimelineFilter{}, actor()); err == nil {
		t.Fatal("a moved ciphertext opened")
	}
	// Without the key nothing sensitive opens.
	db.DataKey = []byte("another key entirely, 32 bytes or more")
	if _, err := db.AddRecord(ctx, people.Record{PersonID: p.ID, Kind: people.Vaccination, OccurredOn: "2026-02-02", OrganisationID: health.ID,
		Data: people.RecordData{Vaccine: "HBV", Dose: 1}}, actor()); err != nil {
		t.Fatalf("a plain record with another key: %v", err)
	}
	if _, err := db.Timeline(ctx, p.ID, store.TimelineFilter{}, actor()); err == nil {
		t.Fatal("sealed records opened with the wrong key")
	}
}

// TOTP secrets are sealed at rest too, and enrolment still confirms.
func TestTOTPSecretsSealed(t *testing.T) {
	db := storetest.Open(t)
	u := newUser(t, db, "mfa.sealed")
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	if err := db.SetPendingTOTP(ctx, u.ID, secret, actor()); err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowForTest(ctx, `SELECT pending_secret FROM user_totp WHERE user_id = ?`, u.ID).Scan(&raw)
	}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(raw, "enc1:") || strings.Contains(raw, secret) {
		t.Fatalf("pending secret at rest: %q", raw)
	}
	if got, err := db.GetTOTP(ctx, u.ID); err != nil || got.PendingSecret != secret {
		t.Fatalf("pending secret read back: %q %v", got.PendingSecret, err)
	}
	if err := db.ConfirmTOTP(ctx, u.ID, "ANOTHERSECRETANOTHERSECRET234567", 1, nil, actor()); err == nil {
		t.Fatal("confirmed with another secret")
	}
	if err := db.ConfirmTOTP(ctx, u.ID, secret, 1, nil, actor()); err != nil {
		t.Fatal(err)
	}
	if got, err := db.GetTOTP(ctx, u.ID); err != nil || got.Secret != secret || !got.Enrolled() {
		t.Fatalf("confirmed secret read back: %+v %v", got, err)
	}
}
