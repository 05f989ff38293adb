package store_test

import (
	"sync"
	"testing"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func TestSavePlaceCreatesCommunity(t *testing.T) {
	db := storetest.Open(t)
	sub := mustPlaceByCode(t, db, "101101")
	got, err := db.SavePlace(ctx, places.Place{
		Kind: places.Community, Code: " 101101-c1 ", ParentID: sub.ID,
		NameTH: "  ชุมชน   ทดสอบ ", NameEN: "Test community",
	}, actor())
	if err != nil {
		t.Fatalf("SavePlace: %v", err)
	}
	if got.ID == "" || got.Version != 1 || got.Code != "101101-C1" || got.NameTH != "ชุมชน ทดสอบ" || got.ParentID != sub.ID {
		t.Errorf("saved %+v, want a new version-1 community 101101-C1 named ชุมชน ทดสอบ under %s", got, sub.ID)
	}
	if got.CreatedAt.IsZero() || !got.CreatedAt.Equal(got.UpdatedAt) {
		t.Errorf("created %v, updated %v: want both set and equal", got.CreatedAt, got.UpdatedAt)
	}
	again, err := db.GetPlaceByCode(ctx, "101101-C1")
	if err != nil || again.ID != got.ID {
		t.Errorf("GetPlaceByCode = %+v, %v; want %s", again, err, got.ID)
	}
	if n := auditCount(t, db, audit.PlaceSaved, got.ID); n != 1 {
		t.Errorf("%d place.saved audit rows for the new community, want 1", n)
	}
	counts, err := db.CountChildren(ctx, mustPlaceByCode(t, db, "1011").ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts[sub.ID] != 1 {
		t.Errorf("CountChildren under 1011 = %v, want 1 community under 101101", counts)
	}
}

func TestSavePlaceValidation(t *testing.T) {
	db := storetest.Open(t)
	district := mustPlaceByCode(t, db, "1011")
	sub := mustPlaceByCode(t, db, "101101")
	zone := mustPlaceByCode(t, db, "10-Z4")
	tests := []struct {
		name    string
		place   places.Place
		field   string
		message string
	}{
		{"community under a district", places.Place{Kind: places.Community, Code: "101101-X", ParentID: district.ID, NameTH: "ก"}, "parent_id", "place.parent_kind"},
		{"district under a province", places.Place{Kind: places.District, Code: "1099", ParentID: mustPlaceByCode(t, db, "10").ID, NameTH: "ก"}, "parent_id", "place.parent_kind"},
		{"community code of another sub-district", places.Place{Kind: places.Community, Code: "101102-X", ParentID: sub.ID, NameTH: "ก"}, "code", "place.community_code_prefix"},
		{"community code without a prefix", places.Place{Kind: places.Community, Code: "X1", ParentID: sub.ID, NameTH: "ก"}, "code", "place.code_format"},
		{"sub-district of another district", places.Place{Kind: places.Subdistrict, Code: "101299", ParentID: district.ID, NameTH: "ก"}, "code", "place.code_format"},
		{"unknown parent", places.Place{Kind: places.District, Code: "1099", ParentID: "no-such-place", NameTH: "ก"}, "parent_id", ""},
		{"no Thai name", places.Place{Kind: places.District, Code: "1099", ParentID: zone.ID, NameTH: "   "}, "name_th", "field.required"},
		{"unknown kind", places.Place{Kind: "village", Code: "1099", ParentID: zone.ID, NameTH: "ก"}, "kind", "field.choice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.SavePlace(ctx, tt.place, actor())
			wantErr(t, err, errs.Invalid, tt.field, tt.message)
		})
	}
	if n := countPlaces(t, db)[places.Community]; n != 0 {
		t.Errorf("%d communities stored by refused saves", n)
	}
	if n := auditCount(t, db, audit.PlaceSaved, ""); n != 0 {
		t.Errorf("%d place.saved audit rows for refused saves", n)
	}
}

func TestSavePlaceKindIsFixed(t *testing.T) {
	db := storetest.Open(t)
	lk := mustPlaceByCode(t, db, "1011")
	lk.Kind = places.Subdistrict
	lk.Code = "101299"
	lk.ParentID = mustPlaceByCode(t, db, "1012").ID
	_, err := db.SavePlace(ctx, lk, actor())
	wantErr(t, err, errs.Invalid, "kind", "place.kind_fixed")
}

func TestSavePlaceStaleVersion(t *testing.T) {
	db := storetest.Open(t)
	p := mustPlaceByCode(t, db, "1011")
	first := p
	first.NameEN = "First"
	saved, err := db.SavePlace(ctx, first, actor())
	if err != nil {
		t.Fatal(err)
	}
	if saved.Version != p.Version+1 {
		t.Errorf("version after update = %d, want %d", saved.Version, p.Version+1)
	}
	stale := p // still the old version
	stale.NameEN = "Second"
	_, err = db.SavePlace(ctx, stale, actor())
	wantErr(t, err, errs.Stale, "", "error.stale")
	if got := mustPlaceByCode(t, db, "1011"); got.NameEN != "First" || got.Version != saved.Version {
		t.Errorf("after a stale save: %q v%d, want First v%d", got.NameEN, got.Version, saved.Version)
	}
}

func TestSavePlaceConcurrentUpdatesOneWins(t *testing.T) {
	db := storetest.Open(t)
	for round := range 10 {
		base := mustPlaceByCode(t, db, "1011")
		var wg sync.WaitGroup
		start := make(chan struct{})
		results := make([]error, 2)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := base
				p.NameEN = []string{"Writer A", "Writer B"}[i]
				<-start
				_, results[i] = db.SavePlace(ctx, p, actor())
			}()
		}
		close(start)
		wg.Wait()
		wins, stale := 0, 0
		for _, err := range results {
			switch {
			case err == nil:
				wins++
			case errs.Is(err, errs.Stale):
				stale++
			default:
				t.Fatalf("round %d: unexpected error %v", round, err)
			}
		}
		if wins != 1 || stale != 1 {
			t.Fatalf("round %d: %d winners and %d stale, want exactly 1 and 1", round, wins, stale)
		}
		after := mustPlaceByCode(t, db, "1011")
		if after.Version != base.Version+1 {
			t.Fatalf("round %d: version %d, want %d", round, after.Version, base.Version+1)
		}
		winner := "Writer A"
		if results[0] != nil {
			winner = "Writer B"
		}
		if after.NameEN != winner {
			t.Fatalf("round %d: stored %q, but %q won", round, after.NameEN, winner)
		}
	}
}

func TestSavePlaceDuplicateCode(t *testing.T) {
	db := storetest.Open(t)
	sub := mustPlaceByCode(t, db, "101101")
	c := places.Place{Kind: places.Community, Code: "101101-A", ParentID: sub.ID, NameTH: "ชุมชนเอ"}
	first, err := db.SavePlace(ctx, c, actor())
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.SavePlace(ctx, c, actor())
	wantErr(t, err, errs.Conflict, "code", "error.duplicate")

	// Renaming another place onto an existing code is a conflict too.
	other, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101101-B", ParentID: sub.ID, NameTH: "ชุมชนบี"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	other.Code = first.Code
	_, err = db.SavePlace(ctx, other, actor())
	wantErr(t, err, errs.Conflict, "code", "error.duplicate")
}

func TestSavePlaceRegroupsDistrict(t *testing.T) {
	db := storetest.Open(t)
	lk := mustPlaceByCode(t, db, "1011")
	east, central := mustPlaceByCode(t, db, "10-Z4"), mustPlaceByCode(t, db, "10-Z1")
	if lk.ParentID != east.ID {
		t.Fatalf("Lat Krabang starts under %s, want East Bangkok", lk.ParentID)
	}
	lk.ParentID = central.ID
	moved, err := db.SavePlace(ctx, lk, actor())
	if err != nil {
		t.Fatalf("regroup: %v", err)
	}
	if moved.ParentID != central.ID {
		t.Errorf("parent after regroup = %s, want %s", moved.ParentID, central.ID)
	}
	inCentral, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: central.ID})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range inCentral {
		found = found || p.Code == "1011"
	}
	if !found {
		t.Error("1011 not listed under Central Bangkok after the move")
	}
	inEast, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: east.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range inEast {
		if p.Code == "1011" {
			t.Error("1011 still listed under East Bangkok after the move")
		}
	}
	// Its sub-districts came along.
	path, err := db.PlacePath(ctx, mustPlaceByCode(t, db, "101101").ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(path) != 4 || path[1].Code != "10-Z1" {
		t.Errorf("path of 101101 after the move: %v", path)
	}
}

func TestSavePlaceRefusesCycle(t *testing.T) {
	db := storetest.Open(t)
	zone := mustPlaceByCode(t, db, "10-Z4")
	lk := mustPlaceByCode(t, db, "1011")
	tests := []struct {
		name   string
		place  places.Place
		parent string
	}{
		{"zone under itself", zone, zone.ID},
		{"zone under its own district", zone, lk.ID},
		{"province under a zone", mustPlaceByCode(t, db, "10"), zone.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.place
			p.ParentID = tt.parent
			_, err := db.SavePlace(ctx, p, actor())
			wantErr(t, err, errs.Invalid, "parent_id", "")
			if got := mustPlaceByCode(t, db, p.Code); got.ParentID != tt.place.ParentID || got.Version != tt.place.Version {
				t.Errorf("refused move changed %s: parent %q v%d", p.Code, got.ParentID, got.Version)
			}
		})
	}
}

func TestGetPlaceNotFound(t *testing.T) {
	db := storetest.Open(t)
	_, err := db.GetPlace(ctx, "no-such-id")
	wantErr(t, err, errs.NotFound, "", "place.not_found")
	_, err = db.GetPlaceByCode(ctx, "9999")
	wantErr(t, err, errs.NotFound, "", "place.not_found")
	_, err = db.SavePlace(ctx, places.Place{ID: "no-such-id", Kind: places.District, Code: "1099",
		ParentID: mustPlaceByCode(t, db, "10-Z4").ID, NameTH: "ก", Version: 1}, actor())
	wantErr(t, err, errs.NotFound, "", "")
}

// CommunityCodes is cached, but a change saved through the store is seen at
// once.
func TestCommunityCodesSeeChangesAtOnce(t *testing.T) {
	db := storetest.Open(t)
	sub := mustPlaceByCode(t, db, "101101")
	c, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101101-C1", ParentID: sub.ID, NameTH: "ชุมชน ก"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // read, then served from the cache
		community, district, err := db.CommunityCodes(ctx, c.ID)
		if err != nil || community != "101101-C1" || district != "1011" {
			t.Fatalf("CommunityCodes = %q, %q, %v; want 101101-C1, 1011", community, district, err)
		}
	}
	c.Code = "101101-C2"
	if _, err := db.SavePlace(ctx, c, actor()); err != nil {
		t.Fatal(err)
	}
	if community, _, err := db.CommunityCodes(ctx, c.ID); err != nil || community != "101101-C2" {
		t.Errorf("after renaming: CommunityCodes = %q, %v; want 101101-C2", community, err)
	}
	if _, _, err := db.CommunityCodes(ctx, store.NewID()); !errs.Is(err, errs.NotFound) {
		t.Errorf("unknown community: %v, want not found", err)
	}
}
