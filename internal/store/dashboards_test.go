package store_test

import (
	"fmt"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/dashboards"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/suppress"
)

// dashWorld is the case world with a district committee, a committee
// member, and fourteen young children of one community: eight whose
// safety is red, one yellow, five not assessed.
type dashWorld struct {
	*caseWorld
	committee organisations.Organisation
	member    account.User
	district  string
}

func newDashWorld(t *testing.T) *dashWorld {
	t.Helper()
	w := &dashWorld{caseWorld: newCaseWorld(t)}
	db := w.db
	w.district = mustPlaceByCode(t, db, "1011").ID
	var err error
	w.committee, err = db.SaveOrganisation(ctx, organisations.Organisation{Code: "QOL-D", Kind: organisations.DistrictQualityOfLife,
		NameTH: "พชข. ทดสอบ", PlaceID: w.district, Active: true}, actor())
	if err != nil {
		t.Fatal(err)
	}
	w.member = newUser(t, db, "member", account.Membership{OrganisationID: w.committee.ID, RoleCode: account.RoleCommitteeMember})
	for i := range 13 {
		c, err := db.CreatePerson(ctx, people.Person{GivenName: fmt.Sprintf("เด็ก%d", i), FamilyName: "แดงดี", BirthDate: "2024-01-01",
			Nationality: people.Thai, HouseholdID: w.household.ID, Relation: people.RelChild}, actor())
		if err != nil {
			t.Fatal(err)
		}
		option := "alone_or_repeated"
		switch {
		case i >= 9:
			continue
		case i == 8:
			option = "once_with_child"
		}
		if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: c.ID,
			Answers: map[string]flower.Answer{"SAF03": {Option: option}}, Source: store.ByStaff, OrganisationID: w.dsw.ID}, by(w.worker)); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func TestDashboardShowsTheDistrictSuppressed(t *testing.T) {
	w := newDashWorld(t)
	db := w.db
	period, err := dashboards.ParsePeriod("", "", w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Dashboard(as(t, db, w.member), store.DashboardQuery{PlaceID: w.district, Period: period}, by(w.member))
	if err != nil {
		t.Fatal(err)
	}
	// Fourteen children in the district: the single yellow safety is
	// "< 5", and something else that would give it away by subtraction
	// is hidden; the health petals (nine red, five unknown) are shown.
	ft := d.FlowerChildren
	if ft.Withheld || ft.RowTotals[1].N != 14 {
		t.Fatalf("flower table %+v", ft)
	}
	if yellow := ft.Cells[1][1]; yellow.Mark != suppress.Small || yellow.N != 0 || yellow.Text() != "< 5" {
		t.Fatalf("a single yellow child published as %+v", yellow)
	}
	hidden := 0
	for _, c := range append(append([]dashboards.Cell{}, ft.Cells[1]...), ft.ColTotals...) {
		if c.Mark == suppress.Hidden {
			hidden++
		}
	}
	if hidden == 0 {
		t.Fatalf("nothing hides the small cell from subtraction: %+v", ft)
	}
	if red, unknown := ft.Cells[3][0], ft.Cells[3][3]; red.N != 9 || unknown.N != 5 {
		t.Fatalf("health petals %+v", ft.Cells[3])
	}
	// The stage breakdown of safety is withheld: its row is not whole.
	if !d.Stages.Withheld {
		t.Fatalf("stages of a suppressed row published: %+v", d.Stages)
	}
	if n := auditCount(t, db, store.ActionDashboardViewed, w.district); n != 1 {
		t.Fatalf("%d view audits", n)
	}
	// A place outside the committee's district is refused, not empty.
	other := mustPlaceByCode(t, db, "1001").ID
	_, err = db.Dashboard(as(t, db, w.member), store.DashboardQuery{PlaceID: other, Period: period}, by(w.member))
	wantErr(t, err, errs.Forbidden, "", "dashboards.place_forbidden")
	// A frontline worker has no dashboards; an unknown dimension is named.
	_, err = db.Dashboard(as(t, db, w.nurse), store.DashboardQuery{PlaceID: w.district, Period: period}, by(w.nurse))
	wantErr(t, err, errs.Forbidden, "", "")
	_, err = db.Dashboard(as(t, db, w.member), store.DashboardQuery{PlaceID: w.district, Period: period, Dimension: "wealth"}, by(w.member))
	wantErr(t, err, errs.BadRequest, "dimension", "dashboards.unknown_indicator")
	// The continuity gaps count the children: the fourteen children.
	if g := d.Gaps.RowTotals[0]; !g.Shown() || g.N != 14 {
		t.Fatalf("unseen row %+v", d.Gaps)
	}
}

func TestParsePeriodRefusesNonsense(t *testing.T) {
	now := mustTime(t, "2026-03-01")
	for _, c := range []struct{ from, to, field, msg string }{
		{"2026-02", "2025-12", "from", "dashboards.reversed"},
		{"1976-01", "2026-01", "from", "dashboards.too_long"},
		{"2026-13", "", "from", "dashboards.month_format"},
		{"", "2027-01", "to", "dashboards.future"},
	} {
		_, err := dashboards.ParsePeriod(c.from, c.to, now)
		wantErr(t, err, errs.BadRequest, c.field, c.msg)
	}
	p, err := dashboards.ParsePeriod("", "", now)
	if err != nil || len(p.Months()) != 12 || p.ToMonth() != "2026-03" {
		t.Fatalf("default period %+v %v", p, err)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDashboardDrillDownToNames(t *testing.T) {
	w := newDashWorld(t)
	db := w.db
	period, _ := dashboards.ParsePeriod("", "", w.clock.Now())
	q := store.DashboardQuery{PlaceID: w.district, Period: period, Dimension: "safety"}
	// The committee secretary may see the children: nine red in health,
	// each listing audited.
	hq := q
	hq.Dimension = "health"
	names, err := db.DashboardNames(as(t, db, w.secret), hq, "red", by(w.secret))
	if err != nil || len(names) != 9 {
		t.Fatalf("red names %d %v", len(names), err)
	}
	if n := auditCount(t, db, store.ActionDashboardNames, names[0].ID); n != 1 {
		t.Fatalf("%d name audits of %s", n, names[0].ID)
	}
	// The single yellow child is a cell of "< 5": refused even to her.
	_, err = db.DashboardNames(as(t, db, w.secret), q, "yellow", by(w.secret))
	wantErr(t, err, errs.Forbidden, "", "dashboards.cell_too_small")
	// A committee member sees aggregates only.
	_, err = db.DashboardNames(as(t, db, w.member), q, "red", by(w.member))
	wantErr(t, err, errs.Forbidden, "", "dashboards.names_forbidden")
	_, err = db.DashboardNames(as(t, db, w.secret), q, "purple", by(w.secret))
	wantErr(t, err, errs.BadRequest, "level", "dashboards.unknown_indicator")
}

func TestDashboardIndicatorByPlace(t *testing.T) {
	w := newDashWorld(t)
	db := w.db
	period, _ := dashboards.ParsePeriod("", "", w.clock.Now())
	q := store.DashboardQuery{PlaceID: w.district, Period: period}
	f, err := db.DashboardIndicator(as(t, db, w.member), q, "red_health", by(w.member))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Places) == 0 || len(f.Places) != len(f.Dashboard.Children) {
		t.Fatalf("places %d of %d", len(f.Places), len(f.Dashboard.Children))
	}
	var red int64
	for _, p := range f.Places {
		red += p.Count.N
	}
	// All nine red children live in one sub-district: shown (9 ≥ 5).
	if red != 9 {
		t.Fatalf("red health by place sums to %d: %+v", red, f.Places)
	}
	_, err = db.DashboardIndicator(as(t, db, w.member), q, "happiness", by(w.member))
	wantErr(t, err, errs.BadRequest, "indicator", "dashboards.unknown_indicator")
	if _, err := db.DashboardIndicator(as(t, db, w.member), q, "unseen", by(w.member)); err != nil {
		t.Fatal(err)
	}
}
