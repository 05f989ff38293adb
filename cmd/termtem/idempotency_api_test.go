package main

import (
	"net/http"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
)

// TestIdempotencyKeyAPI: a creating request of the API retried with the
// same Idempotency-Key (its answer was lost) makes nothing twice: the retry
// is answered 200 with what the first request made, marked as a replay;
// another key makes another; a key that is not visible ASCII is refused
// naming the header; another caller's same key is theirs alone.
func TestIdempotencyKeyAPI(t *testing.T) {
	ts := startServer(t, testEnv(t))
	db := ts.openDB(t)
	ctx := t.Context()
	district, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	dsw, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "DSW-IK", Kind: organisations.DistrictSocialWelfare, NameTH: "ศูนย์ทดสอบคีย์",
		PlaceID: district.ID, Active: true}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	health := ts.addOrganisation(t, "HC-IK")
	subDistrict, err := db.GetPlaceByCode(ctx, "101103")
	if err != nil {
		t.Fatal(err)
	}
	community, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-IK", NameTH: "ชุมชนทดสอบคีย์", ParentID: subDistrict.ID}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	hh, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID, Address: "7 ซอยคีย์"}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	child, err := db.CreatePerson(ctx, people.Person{GivenName: "ด.ญ.คีย์", FamilyName: "ใจดี", Sex: people.Female,
		BirthDate: time.Now().AddDate(-3, 0, 0).Format("2006-01-02"), HouseholdID: hh.ID, Relation: people.RelChild}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	worker := staffAPI(t, ts, "worker.ik", account.RoleCaseManager, dsw)
	other := staffAPI(t, ts, "other.ik", account.RoleCaseManager, dsw)
	rows := rowCounter(t, ts)

	status, c, _ := worker.call(t, "POST", "/api/v1/cases", map[string]any{"subject": "child", "subject_id": child.ID, "risk": "medium", "origin": "worker"}, nil)
	if status != http.StatusCreated {
		t.Fatalf("a case to refer from: %d %v", status, c)
	}
	requests := []struct {
		name, path, table string
		body              map[string]any
	}{
		{"person", "/api/v1/people", "people", map[string]any{"given_name": "ด.ช.ใหม่", "family_name": "ใจดี", "birth_date": "12/01/2566",
			"household_id": hh.ID, "relationship": "child", "confirm_new": true}},
		{"record", "/api/v1/people/" + child.ID + "/records", "service_records", map[string]any{"kind": "home_visit",
			"occurred_on": time.Now().AddDate(0, 0, -1).Format("2006-01-02"), "data": map[string]any{"note": "เยี่ยมบ้าน"}}},
		{"case", "/api/v1/cases", "cases", map[string]any{"subject": "household", "subject_id": hh.ID, "risk": "medium", "origin": "worker"}},
		{"referral", "/api/v1/referrals", "referrals", map[string]any{"person_id": child.ID, "case_id": c["id"], "to_organisation_id": health.ID,
			"service": "health_check", "urgency": "high", "reason": "ตรวจสุขภาพ",
			"lawful_basis": map[string]any{"kind": "legal_duty", "reference": "พ.ร.บ.คุ้มครองเด็ก พ.ศ. 2546 ม.41"}}},
	}
	for _, q := range requests {
		t.Run(q.name, func(t *testing.T) {
			before := rows(q.table)
			key := map[string]string{"Idempotency-Key": "retry-" + q.name}
			status, first, _ := worker.call(t, "POST", q.path, q.body, key)
			if status != http.StatusCreated {
				t.Fatalf("first: %d %v", status, first)
			}
			status, again, hdr := worker.call(t, "POST", q.path, q.body, key)
			if status != http.StatusOK || hdr.Get("Idempotent-Replayed") != "true" || again["id"] != first["id"] {
				t.Fatalf("retried: %d replayed=%q id %v, want 200, a replay of %v", status, hdr.Get("Idempotent-Replayed"), again["id"], first["id"])
			}
			if n := rows(q.table); n != before+1 {
				t.Fatalf("%d rows after a retry, want %d", n, before+1)
			}
			// Another key, and another caller's same key, are requests of their own.
			if status, body, _ := worker.call(t, "POST", q.path, q.body, map[string]string{"Idempotency-Key": "another-" + q.name}); status != http.StatusCreated {
				t.Fatalf("another key: %d %v", status, body)
			}
			if q.name == "person" {
				if status, body, _ := other.call(t, "POST", q.path, q.body, key); status != http.StatusCreated || body["id"] == first["id"] {
					t.Fatalf("another caller's same key: %d %v", status, body)
				}
			}
			// Without a key: as before, each request makes one.
			if status, body, _ := worker.call(t, "POST", q.path, q.body, nil); status != http.StatusCreated {
				t.Fatalf("without a key: %d %v", status, body)
			}
			want := before + 4
			if q.name != "person" {
				want = before + 3
			}
			if n := rows(q.table); n != want {
				t.Fatalf("%d rows, want %d", n, want)
			}
		})
	}
	status, body, _ := worker.call(t, "POST", "/api/v1/cases", map[string]any{"subject": "household", "subject_id": hh.ID, "risk": "medium", "origin": "worker"},
		map[string]string{"Idempotency-Key": "สวัสดี"})
	if _, field, _ := errorOf(body); status != http.StatusUnprocessableEntity || field != "Idempotency-Key" {
		t.Fatalf("a key that is not ASCII: %d %v", status, body)
	}
}
