package store_test

import (
	"testing"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/organisations"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func TestSaveOrganisationCreateAndUpdate(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	lk := mustPlaceByCode(t, db, "1011")
	created, err := db.SaveOrganisation(ctx, organisations.Organisation{
		Code: " hc-1011-01 ", Kind: organisations.HealthCentre, NameTH: "ศูนย์บริการสาธารณสุข  ๔๔",
		NameEN: "Health Centre 44", PlaceID: lk.ID, Active: true,
	}, actor())
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if created.ID == "" || created.Code != "HC-1011-01" || created.NameTH != "ศูนย์บริการสาธารณสุข ๔๔" ||
		created.Version != 1 || !created.Active || created.PlaceID != lk.ID || !created.CreatedAt.Equal(clk.Now()) {
		t.Errorf("created %+v", created)
	}
	byCode, err := db.GetOrganisationByCode(ctx, "hc-1011-01 ")
	if err != nil || byCode.ID != created.ID {
		t.Errorf("GetOrganisationByCode = %+v, %v", byCode, err)
	}

	clk.Advance(1e9)
	upd := created
	upd.NameEN, upd.Active = "Health Centre 44 (Lat Krabang)", false
	saved, err := db.SaveOrganisation(ctx, upd, actor())
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if saved.Version != 2 || saved.NameEN != upd.NameEN || saved.Active || !saved.UpdatedAt.After(saved.CreatedAt) {
		t.Errorf("updated %+v", saved)
	}
	// A second save from the same (now stale) copy is refused.
	upd.NameEN = "lost update"
	_, err = db.SaveOrganisation(ctx, upd, actor())
	wantErr(t, err, errs.Stale, "", "error.stale")
	if got, _ := db.GetOrganisation(ctx, created.ID); got.NameEN != saved.NameEN {
		t.Errorf("stale save changed the name to %q", got.NameEN)
	}
	if n := auditCount(t, db, audit.OrganisationSaved, created.ID); n != 2 {
		t.Errorf("%d organisation.saved rows, want 2 (create and update)", n)
	}
}

func TestSaveOrganisationValidation(t *testing.T) {
	db := storetest.Open(t)
	lk := mustPlaceByCode(t, db, "1011")
	parent := newOrg(t, db, "HD")
	ok := func(mod func(o *organisations.Organisation)) organisations.Organisation {
		o := organisations.Organisation{Code: "NEW", Kind: organisations.School, NameTH: "โรงเรียน", PlaceID: lk.ID, Active: true}
		mod(&o)
		return o
	}
	tests := []struct {
		name    string
		org     organisations.Organisation
		field   string
		message string
	}{
		{"bad code", ok(func(o *organisations.Organisation) { o.Code = "ก" }), "code", "organisation.code_format"},
		{"code too short", ok(func(o *organisations.Organisation) { o.Code = "A" }), "code", "organisation.code_format"},
		{"unknown kind", ok(func(o *organisations.Organisation) { o.Kind = "temple" }), "kind", "field.choice"},
		{"no Thai name", ok(func(o *organisations.Organisation) { o.NameTH = " " }), "name_th", "field.required"},
		{"no place", ok(func(o *organisations.Organisation) { o.PlaceID = "" }), "place_id", "field.required"},
		{"unknown place", ok(func(o *organisations.Organisation) { o.PlaceID = "nowhere" }), "place_id", "organisation.place_unknown"},
		{"unknown parent", ok(func(o *organisations.Organisation) { o.ParentID = "nobody" }), "parent_id", "organisation.parent_unknown"},
		{"own parent", ok(func(o *organisations.Organisation) {
			o.ID, o.ParentID, o.Version = parent.ID, parent.ID, parent.Version
		}), "parent_id", "organisation.parent_self"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.SaveOrganisation(ctx, tt.org, actor())
			wantErr(t, err, errs.Invalid, tt.field, tt.message)
		})
	}
	all, err := db.ListOrganisations(ctx, store.OrganisationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Errorf("%d organisations after refused saves, want only the parent", len(all))
	}
}

func TestSaveOrganisationRefusesParentCycle(t *testing.T) {
	db := storetest.Open(t)
	a := newOrg(t, db, "A1")
	b := newOrg(t, db, "B1")
	b.ParentID = a.ID
	b, err := db.SaveOrganisation(ctx, b, actor())
	if err != nil {
		t.Fatal(err)
	}
	a.ParentID = b.ID // A under B under A
	_, err = db.SaveOrganisation(ctx, a, actor())
	wantErr(t, err, errs.Invalid, "parent_id", "organisation.parent_cycle")
}

func TestSaveOrganisationDuplicateCode(t *testing.T) {
	db := storetest.Open(t)
	newOrg(t, db, "HC-01")
	_, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "hc-01", Kind: organisations.School, NameTH: "ซ้ำ",
		PlaceID: mustPlaceByCode(t, db, "1011").ID}, actor())
	wantErr(t, err, errs.Conflict, "code", "error.duplicate")
}

func TestListOrganisationsFilters(t *testing.T) {
	db := storetest.Open(t)
	lk, dusit := mustPlaceByCode(t, db, "1011"), mustPlaceByCode(t, db, "1002")
	save := func(code string, kind organisations.Kind, th, en, place string) organisations.Organisation {
		o, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: code, Kind: kind, NameTH: th, NameEN: en, PlaceID: place, Active: true}, actor())
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	hc := save("HC-44", organisations.HealthCentre, "ศูนย์บริการสาธารณสุข ๔๔", "Health Centre 44", lk.ID)
	school := save("SCH-LK", organisations.School, "โรงเรียนลาดกระบัง KMITL", "Lat Krabang School", lk.ID)
	cdc := save("CDC-DS", organisations.ChildcareCentre, "ศูนย์พัฒนาเด็กเล็กดุสิต", "Dusit Child Centre", dusit.ID)

	codes := func(f store.OrganisationFilter) []string {
		t.Helper()
		os, err := db.ListOrganisations(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range os {
			out = append(out, o.Code)
		}
		return out
	}
	tests := []struct {
		name   string
		filter store.OrganisationFilter
		want   []string
	}{
		{"all, by code", store.OrganisationFilter{}, []string{"CDC-DS", "HC-44", "SCH-LK"}},
		{"kind", store.OrganisationFilter{Kind: organisations.School}, []string{"SCH-LK"}},
		{"place", store.OrganisationFilter{PlaceID: lk.ID}, []string{"HC-44", "SCH-LK"}},
		{"ids", store.OrganisationFilter{IDs: []string{cdc.ID, hc.ID}}, []string{"CDC-DS", "HC-44"}},
		{"empty ids means none", store.OrganisationFilter{IDs: []string{}}, nil},
		{"ids and place", store.OrganisationFilter{IDs: []string{cdc.ID, school.ID}, PlaceID: lk.ID}, []string{"SCH-LK"}},
		{"search code, any case", store.OrganisationFilter{Search: "hc-4"}, []string{"HC-44"}},
		{"search English name, any case", store.OrganisationFilter{Search: "CHILD centre"}, []string{"CDC-DS"}},
		{"search Thai name", store.OrganisationFilter{Search: "ลาดกระบัง"}, []string{"SCH-LK"}},
		{"search Latin letters in the Thai name, any case", store.OrganisationFilter{Search: "kmitl"}, []string{"SCH-LK"}},
		{"search no match", store.OrganisationFilter{Search: "hospital"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := codes(tt.filter)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}
