package store_test

import (
	"testing"

	"termtem/internal/account"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func countPlaces(t *testing.T, db *store.DB) map[places.Kind]int {
	t.Helper()
	all, err := db.ListPlaces(ctx, store.PlaceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := map[places.Kind]int{}
	for _, p := range all {
		n[p.Kind]++
	}
	return n
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := storetest.Open(t)
	before := countPlaces(t, db)
	v1, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("third Migrate: %v", err)
	}
	v2, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 < 1 || v1 != v2 {
		t.Errorf("schema version %d then %d, want the same, at least 1", v1, v2)
	}
	after := countPlaces(t, db)
	for _, k := range places.Kinds {
		if before[k] != after[k] {
			t.Errorf("%s: %d places before re-migrating, %d after", k, before[k], after[k])
		}
	}
	roles, err := db.ListRoles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(roles) != len(account.BuiltinRoles) {
		t.Errorf("%d roles after re-migrating, want %d", len(roles), len(account.BuiltinRoles))
	}
}

func TestMigrateKeepsAdministratorsChanges(t *testing.T) {
	db := storetest.Open(t)
	lk := mustPlaceByCode(t, db, "1011")
	lk.NameEN = "Lat Krabang (renamed)"
	if _, err := db.SavePlace(ctx, lk, actor()); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if got := mustPlaceByCode(t, db, "1011").NameEN; got != "Lat Krabang (renamed)" {
		t.Errorf("after re-migrating, name = %q: the seed overwrote an administrator's change", got)
	}
}

func TestReferencePlacesSeeded(t *testing.T) {
	db := storetest.Open(t)
	want := map[places.Kind]int{places.Province: 1, places.Zone: 6, places.District: 50, places.Subdistrict: 180, places.Community: 0}
	got := countPlaces(t, db)
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d places, want %d", k, got[k], n)
		}
	}

	lk := mustPlaceByCode(t, db, "1011")
	if lk.Kind != places.District || lk.NameEN != "Lat Krabang" || lk.NameTH != "ลาดกระบัง" || lk.Version != 1 {
		t.Errorf("1011 = %+v, want district Lat Krabang (ลาดกระบัง), version 1", lk)
	}
	path, err := db.PlacePath(ctx, lk.ID)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, p := range path {
		codes = append(codes, p.Code)
	}
	if len(path) != 3 || codes[0] != "10" || codes[1] != "10-Z4" || codes[2] != "1011" || path[1].NameEN != "East Bangkok" {
		t.Errorf("path of Lat Krabang = %v, want 10 > 10-Z4 (East Bangkok) > 1011", codes)
	}

	roots, err := db.ListPlaces(ctx, store.PlaceFilter{Roots: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) != 1 || roots[0].Code != "10" {
		t.Errorf("roots = %v, want only Bangkok (10)", roots)
	}
	subs, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: lk.ID, Kind: places.Subdistrict})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) == 0 {
		t.Fatal("Lat Krabang has no sub-districts")
	}
	for i, s := range subs {
		if s.ParentID != lk.ID || s.Code[:4] != "1011" || s.Postcode == "" {
			t.Errorf("sub-district %+v does not belong to 1011 or lacks a postcode", s)
		}
		if i > 0 && subs[i-1].Code >= s.Code {
			t.Errorf("not ordered by code: %s before %s", subs[i-1].Code, s.Code)
		}
	}
}

func TestBuiltinRolesSeeded(t *testing.T) {
	db := storetest.Open(t)
	roles, err := db.ListRoles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(roles) != len(account.BuiltinRoles) {
		t.Fatalf("%d roles, want %d", len(roles), len(account.BuiltinRoles))
	}
	for i, want := range account.BuiltinRoles {
		got := roles[i]
		if got.Code != want.Code || got.Kind != want.Kind || got.NameTH != want.NameTH {
			t.Errorf("role %d = %s/%s, want %s/%s", i, got.Code, got.Kind, want.Code, want.Kind)
		}
		have := map[account.Permission]bool{}
		for _, p := range got.Permissions {
			have[p] = true
		}
		if len(have) != len(want.Permissions) {
			t.Errorf("%s: %d permissions stored, want %d", want.Code, len(have), len(want.Permissions))
		}
		for _, p := range want.Permissions {
			if !have[p] {
				t.Errorf("%s: permission %s missing", want.Code, p)
			}
		}
	}
}
