package consent_test

import (
	"testing"
	"time"

	"termtem/internal/consent"
	"termtem/internal/errs"
	"termtem/internal/people"
)

func TestCheck(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	ok := consent.Grant{Basis: consent.Consent, Purposes: []consent.Purpose{consent.ForReferral}, GivenBy: consent.GivenByMother,
		GiverName: "นางมะลิ ดีใจ", GivenOn: "2026-11-20"}
	for _, c := range []struct {
		name  string
		edit  func(*consent.Grant)
		birth string
		field string
	}{
		{"mother for a child", func(*consent.Grant) {}, "2020-01-01", ""},
		{"a nine-year-old for herself", func(g *consent.Grant) { g.GivenBy = consent.GivenBySelf }, "2017-06-01", "given_by"},
		{"a fifteen-year-old for herself", func(g *consent.Grant) { g.GivenBy = consent.GivenBySelf }, "2011-06-01", ""},
		{"no giver name", func(g *consent.Grant) { g.GiverName = " " }, "2020-01-01", "giver_name"},
		{"no purpose", func(g *consent.Grant) { g.Purposes = nil }, "2020-01-01", "purposes"},
		{"future date", func(g *consent.Grant) { g.GivenOn = "2026-12-01" }, "2020-01-01", "given_on"},
		{"expires before given", func(g *consent.Grant) { g.ExpiresOn = "2026-11-01" }, "2020-01-01", "expires_on"},
		{"legal duty without the section", func(g *consent.Grant) { g.Basis = consent.LegalDuty; g.GivenBy = "" }, "2020-01-01", "reference"},
		{"legal duty", func(g *consent.Grant) {
			g.Basis, g.Reference = consent.LegalDuty, "พ.ร.บ.คุ้มครองเด็ก ม.41"
		}, "2020-01-01", ""},
		{"unknown basis", func(g *consent.Grant) { g.Basis = "because" }, "2020-01-01", "basis"},
	} {
		g := ok
		c.edit(&g)
		err := consent.Check(g, c.birth, today)
		if c.field == "" && err != nil || c.field != "" && (err == nil || errs.As(err).Field != c.field) {
			t.Errorf("%s: %v (want field %q)", c.name, err, c.field)
		}
	}
}

func TestCovers(t *testing.T) {
	g := consent.Grant{Basis: consent.Consent, Purposes: []consent.Purpose{consent.ForReferral}, ReceiverKind: "health_centre",
		Dimensions: []people.Dimension{people.Health, people.Education}, GivenOn: "2026-11-01", ExpiresOn: "2027-11-01"}
	on := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	d := consent.Disclosure{Purpose: consent.ForReferral, ReceiverOrgID: "hc", ReceiverKind: "health_centre", Dimensions: []people.Dimension{people.Health}, On: on}
	if !g.Covers(d, false) {
		t.Fatal("a covered disclosure is refused")
	}
	for name, d2 := range map[string]consent.Disclosure{
		"another purpose":       {Purpose: consent.ForHandoff, ReceiverKind: "health_centre", Dimensions: []people.Dimension{people.Health}, On: on},
		"another kind":          {Purpose: consent.ForReferral, ReceiverKind: "school", Dimensions: []people.Dimension{people.Health}, On: on},
		"a dimension not given": {Purpose: consent.ForReferral, ReceiverKind: "health_centre", Dimensions: []people.Dimension{people.Safety}, On: on},
		"unknown dimensions":    {Purpose: consent.ForReferral, ReceiverKind: "health_centre", On: on},
		"after expiry":          {Purpose: consent.ForReferral, ReceiverKind: "health_centre", Dimensions: []people.Dimension{people.Health}, On: on.AddDate(1, 0, 0)},
	} {
		if g.Covers(d2, false) {
			t.Errorf("%s: covered", name)
		}
	}
	if g.Covers(d, true) {
		t.Error("a withdrawn consent still covers")
	}
}
