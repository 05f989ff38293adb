package reports_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/maps"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/reports"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// world: in Lat Krabang 6 children red in safety (no birth registration)
// and 6 green; in Nong Chok 2 red and 8 green (a small cell); nobody in
// Phra Nakhon.
func world(t *testing.T) (*store.DB, *reports.Geography) {
	t.Helper()
	db := storetest.Open(t)
	ctx := context.Background()
	for _, d := range []struct {
		code     string
		red, grn int
	}{{"1011", 6, 6}, {"1003", 2, 8}} {
		district, err := db.GetPlaceByCode(ctx, d.code)
		if err != nil {
			t.Fatal(err)
		}
		subs, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: district.ID})
		if err != nil || len(subs) == 0 {
			t.Fatalf("sub-districts of %s: %v", d.code, err)
		}
		community, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: subs[0].Code + "-R1", NameTH: "ชุมชนรายงาน", ParentID: subs[0].ID}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		org, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "HC-R" + d.code, Kind: organisations.HealthCentre, NameTH: "ศูนย์ " + d.code,
			PlaceID: district.ID, Active: true}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		hh, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range d.red + d.grn {
			child, err := db.CreatePerson(ctx, people.Person{GivenName: "ด.ญ.ทดสอบ", BirthDate: "2020-06-01", HouseholdID: hh.ID}, audit.Event{})
			if err != nil {
				t.Fatal(err)
			}
			// Green needs every safety indicator of a six-year-old answered.
			answers := map[string]flower.Answer{"SAF01": {Option: "yes"}, "SAF02": {Option: "none"}, "SAF04": {Option: "parent"},
				"SAF05": {Option: "none"}, "SAF08": {Option: "no"}}
			if i < d.red {
				answers = map[string]flower.Answer{"SAF01": {Option: "no"}}
			}
			if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: child.ID, Source: store.ByStaff,
				OrganisationID: org.ID, Answers: answers}, audit.Event{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	g, err := reports.LoadGeography(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Districts) != 50 || len(g.Zones) != 6 {
		t.Fatalf("geography: %d districts, %d zones", len(g.Districts), len(g.Zones))
	}
	return db, g
}

func byCode(figs []reports.DistrictFigure) map[string]reports.DistrictFigure {
	out := map[string]reports.DistrictFigure{}
	for _, f := range figs {
		out[f.District.Code] = f
	}
	return out
}

func TestMapFiguresSuppressSmallCells(t *testing.T) {
	db, g := world(t)
	ctx := context.Background()
	in, err := reports.IndicatorByCode("red_safety")
	if err != nil {
		t.Fatal(err)
	}
	city, err := g.ResolveArea("10", reports.Scope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	figs, err := reports.MapFigures(ctx, db, g, in, city, db.Now())
	if err != nil {
		t.Fatal(err)
	}
	got := byCode(figs)
	if len(figs) != 50 {
		t.Fatalf("%d districts on the map", len(figs))
	}
	if f := got["1011"].Figure; f != (maps.Figure{Count: 6, Total: 12}) || f.Percent() != "50.0%" {
		t.Errorf("Lat Krabang: %+v %s", f, f.Percent())
	}
	if f := got["1003"].Figure; !f.Suppressed || f.Count != 0 || f.Total != 0 || f.Percent() != "< 5" {
		t.Errorf("Nong Chok (2 of 10) not suppressed: %+v", f)
	}
	if f := got["1001"].Figure; f.HasData() || f.Percent() != "–" {
		t.Errorf("Phra Nakhon: %+v", f)
	}
	// One district: the others are drawn outside, without a value.
	lk, err := g.ResolveArea("1011", reports.Scope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	figs, err = reports.MapFigures(ctx, db, g, in, lk, db.Now())
	if err != nil {
		t.Fatal(err)
	}
	got = byCode(figs)
	if got["1011"].Outside || !got["1003"].Outside || got["1003"].Figure.HasData() {
		t.Errorf("area of one district: %+v / %+v", got["1011"], got["1003"])
	}
	// Before anyone was assessed: nothing.
	figs, err = reports.MapFigures(ctx, db, g, in, city, db.Now().AddDate(0, 0, -2))
	if err != nil {
		t.Fatal(err)
	}
	if f := byCode(figs)["1011"].Figure; f.HasData() {
		t.Errorf("two days ago: %+v", f)
	}
}

func wantCode(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != code || e.Field != field {
		t.Errorf("error %v, want %s on %q", err, code, field)
	}
}

func TestAreaScopeAndBadAddresses(t *testing.T) {
	db, g := world(t)
	lk, err := db.GetPlaceByCode(context.Background(), "1011")
	if err != nil {
		t.Fatal(err)
	}
	mine := reports.Scope{Districts: []string{lk.ID}}
	a, err := g.ResolveArea("", mine)
	if err != nil || a.Place.Code != "1011" || len(a.Districts) != 1 {
		t.Errorf("default area of a Lat Krabang user: %+v %v", a.Place, err)
	}
	for _, code := range []string{"1003", "10-Z4", "10"} {
		_, err := g.ResolveArea(code, mine)
		wantCode(t, err, errs.Forbidden, "area")
	}
	_, err = g.ResolveArea("9999", mine)
	wantCode(t, err, errs.BadRequest, "area")
	a, err = g.ResolveArea("", reports.Scope{All: true})
	if err != nil || a.Place.Code != "10" || len(a.Districts) != 50 {
		t.Errorf("default area city-wide: %+v %v", a.Place, err)
	}
	a, err = g.ResolveArea("10-Z4", reports.Scope{All: true})
	if err != nil || len(a.Districts) != 9 {
		t.Errorf("East Bangkok: %d districts, %v", len(a.Districts), err)
	}
	_, err = reports.IndicatorByCode("red_everything")
	wantCode(t, err, errs.BadRequest, "indicator")
}

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	p, err := reports.ParsePeriod("", "", now)
	if err != nil || p.FromValue() != "2025-12" || p.ToValue() != "2026-11" || len(p.Months()) != 12 {
		t.Errorf("default period %s–%s %v", p.FromValue(), p.ToValue(), err)
	}
	if p.FromText("th") != "ธ.ค. 2568" || p.ToText("en") != "Nov 2026" {
		t.Errorf("period text %q %q", p.FromText("th"), p.ToText("en"))
	}
	_, err = reports.ParsePeriod("2026-10", "2026-03", now)
	wantCode(t, err, errs.BadRequest, "from")
	_, err = reports.ParsePeriod("1976-01", "2026-01", now) // 50 years
	wantCode(t, err, errs.BadRequest, "from")
	_, err = reports.ParsePeriod("2026-13", "", now)
	wantCode(t, err, errs.BadRequest, "from")
	_, err = reports.ParsePeriod("2026-01", "2027-01", now)
	wantCode(t, err, errs.BadRequest, "to")
	if p, err := reports.ParsePeriod("2024-12", "2026-11", now); err != nil || len(p.Months()) != 24 {
		t.Errorf("24 months: %v", err)
	}
}

func TestSuppressRowComplementary(t *testing.T) {
	cells, total, hidden := reports.SuppressRow([]int{3, 10, 20})
	if !cells[0].Suppressed || !cells[1].Suppressed || cells[2].Suppressed || cells[2].N != 20 || hidden || total.N != 33 {
		t.Errorf("3, 10, 20: %+v total %+v hidden %v", cells, total, hidden)
	}
	// The only other cells are zero: the total would give the 3 back.
	cells, _, hidden = reports.SuppressRow([]int{3, 0, 0, 0})
	if !cells[0].Suppressed || !hidden {
		t.Errorf("3, 0, 0, 0: %+v hidden %v", cells, hidden)
	}
	cells, total, hidden = reports.SuppressRow([]int{0, 12, 7})
	if cells[0].Suppressed || cells[1].N != 12 || cells[2].N != 7 || hidden || total.String() != "19" {
		t.Errorf("0, 12, 7: %+v", cells)
	}
	cells, _, _ = reports.SuppressRow([]int{2, 3, 40})
	if !cells[0].Suppressed || !cells[1].Suppressed || cells[2].Suppressed {
		t.Errorf("2, 3, 40: %+v", cells)
	}
}

func TestCommitteeReport(t *testing.T) {
	db, g := world(t)
	ctx := context.Background()
	lk, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	in, _ := reports.IndicatorByCode("")
	p, err := reports.ParsePeriod("", "", db.Now())
	if err != nil {
		t.Fatal(err)
	}
	c, err := reports.BuildCommittee(ctx, db, g, lk, p, in, db.Now())
	if err != nil {
		t.Fatal(err)
	}
	var safety reports.Row
	for _, r := range c.Levels {
		if r.Label == string(people.Safety) {
			safety = r
		}
	}
	// Red, yellow, green.
	if len(safety.Cells) != 3 || safety.Cells[0].String() != "6" || safety.Cells[1].String() != "0" || safety.Cells[2].String() != "6" || safety.Total.String() != "12" {
		t.Errorf("safety row %+v", safety)
	}
	if len(c.Trend) != 12 {
		t.Fatalf("trend of %d months", len(c.Trend))
	}
	if last := c.Trend[11].Red[1]; last.Percent() != "50.0%" { // people.Dimensions: economy, safety, …
		t.Errorf("last month's safety red: %+v", last)
	}
	if first := c.Trend[0].Red[1]; first.HasData() {
		t.Errorf("first month (nobody assessed yet): %+v", first)
	}
	// 12 children, none seen by a service record: 12 of 12 unseen.
	if c.Unseen.CountText() != "12" || c.Unseen.TotalText() != "12" {
		t.Errorf("unseen %+v", c.Unseen)
	}
	if len(c.Referrals) != 3 || c.Handoffs.String() != "0" {
		t.Errorf("referrals %+v hand-offs %+v", c.Referrals, c.Handoffs)
	}
	if m := byCode(c.Map); m["1011"].Outside || !m["1003"].Outside {
		t.Errorf("report map areas")
	}
	// A zone is not a district.
	z, err := db.GetPlaceByCode(ctx, "10-Z4")
	if err != nil {
		t.Fatal(err)
	}
	_, err = reports.BuildCommittee(ctx, db, g, z, p, in, db.Now())
	wantCode(t, err, errs.BadRequest, "area")
}

func TestCommunityFigures(t *testing.T) {
	db, _ := world(t)
	ctx := context.Background()
	in, _ := reports.IndicatorByCode("red_safety")
	lk, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	figs, err := reports.CommunityFigures(ctx, db, lk, in, db.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 1 || figs[0].Community.Code[len(figs[0].Community.Code)-3:] != "-R1" || figs[0].Figure != (maps.Figure{Count: 6, Total: 12}) {
		t.Fatalf("communities of Lat Krabang: %+v", figs)
	}
	nc, _ := db.GetPlaceByCode(ctx, "1003")
	if figs, err = reports.CommunityFigures(ctx, db, nc, in, db.Now()); err != nil || !figs[0].Figure.Suppressed {
		t.Errorf("Nong Chok's community (2 of 10): %+v %v", figs, err)
	}
	zone, _ := db.GetPlaceByCode(ctx, "10-Z4")
	_, err = reports.CommunityFigures(ctx, db, zone, in, db.Now())
	wantCode(t, err, errs.BadRequest, "view")
}
