package reports_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/dashboards"
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
// and 6 green; in Nong Chok 2 red and 8 green (a small cell); in Min Buri
// 6 and 5; nobody in Phra Nakhon. The three are in East Bangkok, whose
// total would give Nong Chok's 2 away unless one other district's red and
// green are hidden too: Min Buri's, the smaller (see suppress.ProtectLinked).
func world(t *testing.T) (*store.DB, *reports.Geography) {
	t.Helper()
	db := storetest.Open(t)
	ctx := context.Background()
	for _, d := range []struct {
		code     string
		red, grn int
	}{{"1011", 6, 6}, {"1003", 2, 8}, {"1010", 6, 5}} {
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

func period(t *testing.T, db *store.DB) (reports.Period, dashboards.Period) {
	t.Helper()
	p, err := reports.ParsePeriod("", "", db.Now())
	if err != nil {
		t.Fatal(err)
	}
	return p, p.Dashboards(db.Now())
}

// The map shows each district's figure exactly as the dashboards publish
// it: a district alone its own flower row; a zone group's or the city's
// districts the zone groups' breakdown, small cells and their complements
// withheld.
func TestMapFiguresAreTheDashboards(t *testing.T) {
	db, g := world(t)
	ctx := context.Background()
	in, err := reports.IndicatorByCode("red_safety")
	if err != nil {
		t.Fatal(err)
	}
	_, dp := period(t, db)
	lk, err := g.ResolveArea("1011", reports.Scope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	figs, err := reports.MapFigures(ctx, db, g, in, lk, dp, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	got := byCode(figs)
	if len(figs) != 50 {
		t.Fatalf("%d districts on the map", len(figs))
	}
	if f := got["1011"].Figure; f != (maps.Figure{Count: 6, Total: 12}) || f.Percent() != "50.0%" {
		t.Errorf("Lat Krabang alone: %+v %s", f, f.Percent())
	}
	if !got["1003"].Outside || got["1003"].Figure.HasData() {
		t.Errorf("Nong Chok outside the area: %+v", got["1003"])
	}
	city, err := g.ResolveArea("10", reports.Scope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if figs, err = reports.MapFigures(ctx, db, g, in, city, dp, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	got = byCode(figs)
	if f := got["1003"].Figure; !f.Suppressed || f.Percent() != "< 5" || f.Count != 0 {
		t.Errorf("Nong Chok (2 red) in the city map: %+v", f)
	}
	if f := got["1001"].Figure; f.Suppressed || f.Total != 0 || f.Percent() != "–" {
		t.Errorf("Phra Nakhon (nobody): %+v", f)
	}
	// Exactly what the zone group's dashboard publishes for each district.
	zone, _ := db.GetPlaceByCode(ctx, "10-Z4")
	res, err := db.DashboardIndicator(ctx, store.DashboardQuery{PlaceID: zone.ID, Period: dp}, "red_safety", audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	for _, pf := range res.Places {
		f := got[pf.Place.Code].Figure
		if f.CountText() != pf.Count.Text() || f.TotalText() != pf.Of.Text() || (pf.Share != "" && f.Percent() != pf.Share) {
			t.Errorf("%s: map %s of %s (%s), dashboard %s of %s (%s)", pf.Place.Code, f.CountText(), f.TotalText(), f.Percent(),
				pf.Count.Text(), pf.Of.Text(), pf.Share)
		}
	}
	// A gap indicator: of Lat Krabang's twelve children (the assessment
	// counts as being seen).
	unseen, err := reports.IndicatorByCode("unseen")
	if err != nil {
		t.Fatal(err)
	}
	if figs, err = reports.MapFigures(ctx, db, g, unseen, lk, dp, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	if f := byCode(figs)["1011"].Figure; f.Total != 12 || f.Suppressed || f.Percent() != "0.0%" {
		t.Errorf("unseen in Lat Krabang: %+v", f)
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
	if len(reports.Indicators) != 9 || reports.Indicators[0].Code != "red_safety" {
		t.Errorf("indicators %v", reports.Indicators)
	}
}

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	p, err := reports.ParsePeriod("", "", now)
	if err != nil || p.FromValue() != "2025-12" || p.ToValue() != "2026-11" || len(p.Months()) != 12 {
		t.Errorf("default period %s–%s %v", p.FromValue(), p.ToValue(), err)
	}
	if p.FromText("th") != "ธ.ค. 2568" || p.ToText("en") != "Nov 2026" || reports.MonthText("2026-03", "th") != "มี.ค. 2569" {
		t.Errorf("period text %q %q", p.FromText("th"), p.ToText("en"))
	}
	if dp := p.Dashboards(now); dp.FromMonth() != "2025-12" || dp.ToMonth() != "2026-11" {
		t.Errorf("as the dashboards read it: %s–%s", dp.FromMonth(), dp.ToMonth())
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

func TestCommitteeReport(t *testing.T) {
	db, g := world(t)
	ctx := context.Background()
	lk, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	in, _ := reports.IndicatorByCode("")
	p, _ := period(t, db)
	c, err := reports.BuildReport(ctx, db, g, lk, p, in, db.Now(), audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	fl := c.Dashboard.FlowerChildren
	row := slices.IndexFunc(fl.Rows, func(h dashboards.Head) bool { return h.Key == "safety" })
	if row < 0 || fl.Withheld || fl.Cells[row][0].Text() != "6" || fl.Cells[row][2].Text() != "6" || fl.RowTotals[row].Text() != "12" {
		t.Errorf("safety row of the flower: %+v", fl)
	}
	if c.Dashboard.Dimension != "safety" || len(c.Dashboard.Gaps.Rows) == 0 {
		t.Errorf("dashboard %s, gaps %d rows", c.Dashboard.Dimension, len(c.Dashboard.Gaps.Rows))
	}
	if m := byCode(c.Map); m["1011"].Outside || m["1011"].Figure.Percent() != "50.0%" || !m["1003"].Outside {
		t.Errorf("report map: %+v", m["1011"])
	}
	z, err := db.GetPlaceByCode(ctx, "10-Z4")
	if err != nil {
		t.Fatal(err)
	}
	_, err = reports.BuildReport(ctx, db, g, z, p, in, db.Now(), audit.Event{})
	wantCode(t, err, errs.BadRequest, "area")
}

func TestCommunityFigures(t *testing.T) {
	db, _ := world(t)
	ctx := context.Background()
	in, _ := reports.IndicatorByCode("red_safety")
	_, dp := period(t, db)
	lk, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	figs, err := reports.CommunityFigures(ctx, db, lk, in, dp, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	var ours *reports.CommunityFigure
	for i := range figs {
		if strings.HasSuffix(figs[i].Community.Code, "-R1") {
			ours = &figs[i]
		}
	}
	if ours == nil || ours.Figure.CountText() != "6" || ours.Figure.TotalText() != "12" {
		t.Fatalf("communities of Lat Krabang: %+v", figs)
	}
	zone, _ := db.GetPlaceByCode(ctx, "10-Z4")
	_, err = reports.CommunityFigures(ctx, db, zone, in, dp, audit.Event{})
	wantCode(t, err, errs.BadRequest, "view")
}

// The meeting agenda's figures (counted from the records, by referral
// direction) suppress small cells as the dashboards do.
func TestAgendaFigures(t *testing.T) {
	db, g := world(t)
	ctx := context.Background()
	in, _ := reports.IndicatorByCode("")
	p, _ := period(t, db)
	for code, want := range map[string]string{"1011": "6", "1003": "< 5"} {
		d, err := db.GetPlaceByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		c, err := reports.BuildCommittee(ctx, db, g, d, p, in, db.Now())
		if err != nil {
			t.Fatal(err)
		}
		if red := c.Levels[1].Cells[0].String(); red != want { // people.Dimensions: economy, safety, …
			t.Errorf("%s: %s red in safety, want %s", code, red, want)
		}
		if len(c.Referrals) != 3 || len(c.Trend) != 12 || c.UnseenDays != 90 {
			t.Errorf("%s: %d referral rows, %d months", code, len(c.Referrals), len(c.Trend))
		}
	}
	cells, total, hidden := reports.SuppressRow([]int{3, 10, 20})
	if !cells[0].Suppressed || !cells[1].Suppressed || cells[2].N != 20 || hidden || total.N != 33 {
		t.Errorf("complementary cell: %+v %+v %v", cells, total, hidden)
	}
	if _, _, hidden := reports.SuppressRow([]int{3, 0, 0}); !hidden {
		t.Error("a lone small cell beside zeros: the total must be hidden")
	}
}

// Across levels: the zone group's breakdown by district and each
// district's own dashboard publish the same marks, and Nong Chok's 2 red
// cannot be had as the zone's red minus the other districts' (a second
// district's red is hidden with it).
func TestDistrictsAgreeWithTheirZone(t *testing.T) {
	db, _ := world(t)
	ctx := context.Background()
	_, dp := period(t, db)
	zone, _ := db.GetPlaceByCode(ctx, "10-Z4")
	zd, err := db.Dashboard(ctx, store.DashboardQuery{PlaceID: zone.ID, Period: dp, Dimension: "safety"}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	if red := zd.FlowerChildren.Cells[1][0]; !red.Shown() || red.N != 14 {
		t.Fatalf("the zone's red safety: %+v", red)
	}
	notShown := 0
	for i, p := range zd.Children {
		own, err := db.Dashboard(ctx, store.DashboardQuery{PlaceID: p.ID, Period: dp, Dimension: "safety"}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		for j := range zd.Places.Cells[i] {
			if got, want := own.FlowerChildren.Cells[1][j], zd.Places.Cells[i][j]; got != want {
				t.Errorf("%s level %d: own view %+v, the zone's breakdown %+v", p.Code, j, got, want)
			}
		}
		if !zd.Places.Cells[i][0].Shown() {
			notShown++
		}
	}
	if notShown < 2 {
		t.Errorf("only %d district's red is not shown: the zone's 14 minus the others gives it", notShown)
	}
	if lk := zd.Places.Cells[slices.IndexFunc(zd.Children, func(p places.Place) bool { return p.Code == "1011" })][0]; lk.Text() != "6" {
		t.Errorf("Lat Krabang's red in the zone's breakdown: %+v", lk)
	}
}
