package demo

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/auth"
	"termtem/internal/errs"
	"termtem/internal/organisations"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func newService(t testing.TB, db *store.DB) *auth.Service {
	t.Helper()
	svc, err := auth.New(db, account.SessionRules{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}, storetest.FastHash())
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func auditActor() audit.Event { return audit.Event{ActorID: "test-admin", RequestID: "req-test"} }

// printedPasswords reads the credential table: username first, password in
// the fourth column.
func printedPasswords(out string) map[string]string {
	pw := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 4 && strings.HasPrefix(f[0], "demo.") {
			pw[f[0]] = f[3]
		}
	}
	return pw
}

// printedSecrets reads the TOTP secrets of the credential table (fifth
// column; "-" for roles without a second factor).
func printedSecrets(out string) map[string]string {
	sec := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 5 && strings.HasPrefix(f[0], "demo.") && f[4] != "-" {
			sec[f[0]] = f[4]
		}
	}
	return sec
}

// demoLogin logs in as a person would: the password, then, for an account
// with a second factor, the authenticator's code (of the next step when
// this step's code was already used by an earlier login).
func demoLogin(svc *auth.Service, username, password, secret string) error {
	ctx := context.Background()
	out, err := svc.Authenticate(ctx, auth.Attempt{Username: username, Password: password, RequestID: "test"})
	if err != nil || out.Session != "" {
		return err
	}
	if secret == "" {
		return fmt.Errorf("%s asks for a code but no secret was printed", username)
	}
	step := account.TOTPStep(svc.DB.Now())
	for _, s := range []int64{step, step + 1} {
		code, err := account.TOTPCode(secret, s)
		if err != nil {
			return err
		}
		if _, err = svc.CompleteLogin(ctx, out.Challenge, code, "", "test"); err == nil || !errs.Is(err, errs.Unauthenticated) {
			return err
		}
	}
	return fmt.Errorf("%s: no code accepted", username)
}

// snapshot counts what Load makes, to show a second run changes nothing.
type snapshot struct {
	places, organisations, users, households, people, pregnancies, records int
}

func takeSnapshot(t *testing.T, db *store.DB) snapshot {
	t.Helper()
	ctx := context.Background()
	var s snapshot
	ps, err := db.ListPlaces(ctx, store.PlaceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	os, err := db.ListOrganisations(ctx, store.OrganisationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	s.places, s.organisations = len(ps), len(os)
	if s.users, err = db.CountUsers(ctx); err != nil {
		t.Fatal(err)
	}
	if s.households, err = db.CountHouseholds(ctx); err != nil {
		t.Fatal(err)
	}
	if s.people, err = db.CountPeople(ctx); err != nil {
		t.Fatal(err)
	}
	byOrg, err := db.CountRecordsByOrganisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range byOrg {
		s.records += n
	}
	var ids []string
	for _, c := range communities {
		p, err := db.GetPlaceByCode(ctx, c.code)
		if err == nil {
			ids = append(ids, p.ID)
		}
	}
	prs, err := db.PregnanciesInCommunities(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	s.pregnancies = len(prs)
	return s
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	svc := newService(t, db)

	var out bytes.Buffer
	res, err := Load(ctx, db, svc, &out)
	if err != nil {
		t.Fatalf("Load: %v\n%s", err, out.String())
	}
	t.Logf("first run:\n%s", out.String())
	roles := len(account.BuiltinRoles)
	if res.Communities.Created != len(communities) || res.Organisations.Created != len(organisationsList) ||
		res.Users.Created != roles || res.HouseholdsCreated != 40 {
		t.Fatalf("result %+v", res)
	}
	if res.PeopleCreated < 40*2 || res.PeopleCreated > 40*6 {
		t.Fatalf("people created = %d, want 2–6 a household", res.PeopleCreated)
	}
	if res.PregnanciesCreated != 4 || res.BirthsCreated != 1 || res.RecordsCreated < 500 {
		t.Fatalf("result %+v", res)
	}
	// Eight families and their children assessed, four of them twice; the
	// family with violence at home opens an urgent alert, the children's
	// records red ones.
	if res.AssessmentsCreated < 2*assessedHouseholds || res.AlertsOpened < 1 {
		t.Fatalf("assessments %d, alerts %d", res.AssessmentsCreated, res.AlertsOpened)
	}
	first := takeSnapshot(t, db)
	if first.households != 40 || first.people != res.PeopleCreated+res.BirthsCreated || first.users != roles ||
		first.pregnancies != 4 || first.records != res.RecordsCreated {
		t.Fatalf("stored %+v, result %+v", first, res)
	}

	t.Run("communities", func(t *testing.T) {
		byCommunity, err := db.CountPeopleByCommunity(ctx)
		if err != nil {
			t.Fatal(err)
		}
		inRomKlao := 0
		for _, c := range communities {
			p, err := db.GetPlaceByCode(ctx, c.code)
			if err != nil {
				t.Fatalf("%s: %v", c.code, err)
			}
			parent, err := db.GetPlace(ctx, p.ParentID)
			if err != nil || parent.Kind != places.Subdistrict || !strings.HasPrefix(c.code, parent.Code+"-") {
				t.Fatalf("%s: parent %+v %v", c.code, parent, err)
			}
			if byCommunity[p.ID] == 0 {
				t.Errorf("%s has no people", c.code)
			}
			if parent.Code == subKhlongSamPrawet {
				inRomKlao += byCommunity[p.ID]
			}
		}
		if sub, _ := db.GetPlaceByCode(ctx, subKhlongSamPrawet); sub.NameTH != "คลองสามประเวศ" {
			t.Errorf("sub-district %s is %q, want คลองสามประเวศ", subKhlongSamPrawet, sub.NameTH)
		}
		if inRomKlao*2 < res.PeopleCreated {
			t.Errorf("%d of %d people in Khlong Sam Prawet, want most", inRomKlao, res.PeopleCreated)
		}
	})

	t.Run("organisations", func(t *testing.T) {
		kinds := map[organisations.Kind]int{}
		for _, d := range organisationsList {
			o, err := db.GetOrganisationByCode(ctx, d.code)
			if err != nil {
				t.Fatalf("%s: %v", d.code, err)
			}
			kinds[o.Kind]++
			if o.NameTH != d.th || !o.Active {
				t.Errorf("%s: %+v", d.code, o)
			}
			place, err := db.GetPlace(ctx, o.PlaceID)
			if err != nil || place.Code != d.placeCode {
				t.Errorf("%s: place %q %v, want %s", d.code, place.Code, err, d.placeCode)
			}
			if d.parentCode != "" {
				parent, err := db.GetOrganisation(ctx, o.ParentID)
				if err != nil || parent.Code != d.parentCode {
					t.Errorf("%s: parent %q %v, want %s", d.code, parent.Code, err, d.parentCode)
				}
			}
		}
		for k, n := range map[organisations.Kind]int{organisations.HealthCentre: 1, organisations.ChildcareCentre: 1,
			organisations.School: 2, organisations.DistrictSocialWelfare: 1, organisations.DistrictQualityOfLife: 1,
			organisations.DistrictChildProtection: 1, organisations.BangkokChildProtection: 1} {
			if kinds[k] != n {
				t.Errorf("%d organisations of kind %s, want %d", kinds[k], k, n)
			}
		}
		hc, _ := db.GetOrganisationByCode(ctx, "LKB-HC45")
		if hc.NameTH != "ศูนย์บริการสาธารณสุข 45 ร่มเกล้า" {
			t.Errorf("health centre %q", hc.NameTH)
		}
	})

	passwords := printedPasswords(out.String())
	secrets := printedSecrets(out.String())
	t.Run("users and passwords", func(t *testing.T) {
		if len(passwords) != roles {
			t.Fatalf("%d passwords printed, want %d:\n%s", len(passwords), roles, out.String())
		}
		seen := map[string]bool{}
		for _, r := range account.BuiltinRoles {
			du := usersByRole[r.Code]
			u, err := db.GetUserByUsername(ctx, du.username)
			if err != nil {
				t.Fatalf("%s: %v", du.username, err)
			}
			if u.Kind != r.Kind || len(u.Memberships) != 1 || u.Memberships[0].RoleCode != r.Code ||
				u.Memberships[0].OrganisationCode != du.orgCode {
				t.Errorf("%s: %+v", du.username, u)
			}
			pw := passwords[du.username]
			if len(pw) < 16 || seen[pw] {
				t.Errorf("%s: password %q too short or repeated", du.username, pw)
			}
			seen[pw] = true
			sensitive := slices.Contains(r.Permissions, account.SensitiveHealth) || slices.Contains(r.Permissions, account.SensitiveSafety)
			if sensitive != (secrets[du.username] != "") {
				t.Errorf("%s: TOTP secret %q printed, sensitive role %v", du.username, secrets[du.username], sensitive)
			}
			if err := demoLogin(svc, du.username, pw, secrets[du.username]); err != nil {
				t.Errorf("%s cannot log in with the printed password: %v", du.username, err)
			}
		}
		if fam, _ := db.GetUserByUsername(ctx, "demo.family"); fam.Kind != account.FamilyAccount {
			t.Errorf("demo.family kind %q", fam.Kind)
		}
	})

	t.Run("second run changes nothing", func(t *testing.T) {
		var out2 bytes.Buffer
		res2, err := Load(ctx, db, svc, &out2)
		if err != nil {
			t.Fatalf("second Load: %v", err)
		}
		t.Logf("second run:\n%s", out2.String())
		if res2.Communities.Created+res2.Organisations.Created+res2.Users.Created+res2.HouseholdsCreated+res2.PeopleCreated+
			res2.PregnanciesCreated+res2.BirthsCreated+res2.RecordsCreated != 0 ||
			res2.Users.Existing != roles || res2.PeopleExisting != res.PeopleCreated+res.BirthsCreated || len(res2.NewUsers) != 0 ||
			res2.PregnanciesExisting != 4 || res2.RecordsExisting != res.RecordsCreated ||
			res2.AssessmentsCreated != 0 || res2.AssessmentsExisting != res.AssessmentsCreated {
			t.Fatalf("second result %+v", res2)
		}
		if got := takeSnapshot(t, db); got != first {
			t.Fatalf("second run changed counts: %+v, was %+v", got, first)
		}
		if n := len(printedPasswords(out2.String())); n != 0 {
			t.Fatalf("second run printed %d passwords:\n%s", n, out2.String())
		}
		for u, pw := range passwords {
			if strings.Contains(out2.String(), pw) {
				t.Fatalf("second run shows %s's password", u)
			}
		}
		if !strings.Contains(out2.String(), "not shown again") {
			t.Errorf("second run does not say why no passwords are shown:\n%s", out2.String())
		}
		// The first passwords still work: existing users were not touched.
		if err := demoLogin(svc, "demo.nurse", passwords["demo.nurse"], secrets["demo.nurse"]); err != nil {
			t.Errorf("demo.nurse after second run: %v", err)
		}
	})
}

// A community code already used by a real community must not receive demo
// households, nor a real organisation demo users.
func TestLoadRefusesRealRecords(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	sub, err := db.GetPlaceByCode(ctx, subKhlongSamPrawet)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: communities[0].code, ParentID: sub.ID,
		NameTH: "ชุมชนจริง", NameEN: "A real community"}, auditActor()); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := Load(ctx, db, newService(t, db), &out); err == nil || !strings.Contains(err.Error(), "not the demo community") {
		t.Fatalf("Load over a real community: %v", err)
	}
	if n, _ := db.CountUsers(ctx); n != 0 {
		t.Fatalf("%d users created", n)
	}

	db = storetest.Open(t)
	district, _ := db.GetPlaceByCode(ctx, districtLatKrabang)
	if _, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "LKB-HC45", Kind: organisations.HealthCentre,
		NameTH: "หน่วยงานจริง", PlaceID: district.ID, Active: true}, auditActor()); err != nil {
		t.Fatal(err)
	}
	_, err = Load(ctx, db, newService(t, db), &out)
	if err == nil || !strings.Contains(err.Error(), "not the demo one") {
		t.Fatalf("Load over a real organisation: %v", err)
	}
	if _, err := db.GetUserByUsername(ctx, "demo.nurse"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("demo.nurse: %v", err)
	}
}

func TestNewPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw := newPassword()
		if len(pw) < 16 || seen[pw] {
			t.Fatalf("password %q short or repeated", pw)
		}
		seen[pw] = true
		if err := account.CheckPasswordPolicy(pw, "demo.admin"); err != nil {
			t.Fatalf("%q: %v", pw, err)
		}
		for _, r := range pw {
			if r != '-' && !strings.ContainsRune(passwordAlphabet, r) {
				t.Fatalf("%q has %q", pw, r)
			}
		}
	}
}
