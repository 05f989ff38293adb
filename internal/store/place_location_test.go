package store_test

import (
	"testing"

	"termtem/internal/errs"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// A community keeps its location (8-byte degrees) through a save, an
// edit and a clearing; a location outside Bangkok or on a district is
// refused naming the field.
func TestCommunityLocation(t *testing.T) {
	db := storetest.Open(t)
	sub := mustPlaceByCode(t, db, "101103")
	c, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-LOC", NameTH: "ชุมชนมีตำแหน่ง", ParentID: sub.ID,
		Lat: 13.727912, Lon: 100.778234, Located: true}, actor())
	if err != nil {
		t.Fatal(err)
	}
	if !c.Located || c.Lat != 13.727912 || c.Lon != 100.778234 {
		t.Fatalf("saved location %v %v %v", c.Located, c.Lat, c.Lon)
	}
	other, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-NOL", NameTH: "ชุมชนไม่มีตำแหน่ง", ParentID: sub.ID}, actor())
	if err != nil || other.Located {
		t.Fatalf("community without a location: %+v %v", other, err)
	}
	list, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: sub.ID})
	if err != nil || len(list) != 2 || list[0].Code != "101103-LOC" || !list[0].Located || list[1].Located {
		t.Fatalf("communities of Khlong Sam Prawet: %+v %v", list, err)
	}
	lk := mustPlaceByCode(t, db, "1011")
	c.Lat, c.Lon = 13.73, 100.79
	if c, err = db.SavePlace(ctx, c, actor()); err != nil || c.Lat != 13.73 || c.Version != 2 {
		t.Fatalf("moved: %+v %v", c, err)
	}
	c.Located = false
	if c, err = db.SavePlace(ctx, c, actor()); err != nil || c.Located || c.Lat != 0 {
		t.Fatalf("cleared: %+v %v", c, err)
	}
	_, err = db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-FAR", NameTH: "นอกเมือง", ParentID: sub.ID,
		Lat: 18.79, Lon: 98.98, Located: true}, actor())
	wantErr(t, err, errs.Invalid, "latitude", "mapreport.location_bangkok")
	_, err = db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-SWP", NameTH: "สลับ", ParentID: sub.ID,
		Lat: 13.72, Lon: 13.72, Located: true}, actor())
	wantErr(t, err, errs.Invalid, "longitude", "mapreport.location_bangkok")
	lk.Lat, lk.Lon, lk.Located = 13.72, 100.77, true
	_, err = db.SavePlace(ctx, lk, actor())
	wantErr(t, err, errs.Invalid, "latitude", "mapreport.location_community")
}
