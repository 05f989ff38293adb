// Package demo loads a synthetic Lat Krabang pilot — communities around Rom
// Klao, the service units and committees of the pilot, one user per built-in
// role, and households of made-up people — so that the platform can be shown,
// tried and tested without real children's data. Its Generator also makes
// large synthetic populations for benchmarks.
//
// Demo users hold real roles, including system administrator: load the demo
// only into an installation meant for demonstration or testing.
package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/auth"
	"termtem/internal/errs"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// AuditHouseholdsLoaded records that Load stored synthetic households.
const AuditHouseholdsLoaded = "demo.households_loaded"

// Result says what Load created and what it found already there.
type Result struct {
	Communities   Tally
	Organisations Tally
	Users         Tally
	// NewUsers are the usernames created by this run, whose passwords were
	// written to out.
	NewUsers []string
	// HouseholdsCreated and PeopleCreated are zero when the demo communities
	// already had people (PeopleExisting), as on a second run.
	HouseholdsCreated int
	PeopleCreated     int
	PeopleExisting    int
	// PregnanciesCreated and BirthsCreated are zero when the demo
	// communities already had pregnancies (PregnanciesExisting).
	PregnanciesCreated  int
	PregnanciesExisting int
	BirthsCreated       int
	// RecordsCreated is zero when the demo organisations had already made
	// records (RecordsExisting); RecordsByOrganisation counts the new ones
	// by organisation code.
	RecordsCreated        int
	RecordsExisting       int
	RecordsByOrganisation map[string]int
	// AssessmentsCreated is zero when the social-welfare unit had already
	// assessed (AssessmentsExisting); AlertsOpened are the alerts they opened.
	AssessmentsCreated  int
	AssessmentsExisting int
	AlertsOpened        int
}

// Tally counts records created by this run and records found already there.
type Tally struct{ Created, Existing int }

type credential struct {
	username, role, orgCode, orgName, password string
	totp                                       string // TOTP secret of a role that must use a second factor
}

// Load creates the demo pilot, looking each record up by code or username
// first, so that running it again changes nothing. New users get random
// passwords, written once to out; existing users are left as they are.
func Load(ctx context.Context, db *store.DB, svc *auth.Service, out io.Writer) (Result, error) {
	var res Result
	actor := audit.Event{RequestID: "demo-load", Detail: "demo"}
	fmt.Fprintln(out, "Termtem demo: Lat Krabang pilot (synthetic data, no real people)")

	placeIDs, communityIDs, err := loadCommunities(ctx, db, actor, &res)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(out, "communities:   %d created, %d already there\n", res.Communities.Created, res.Communities.Existing)

	orgs, err := loadOrganisations(ctx, db, placeIDs, actor, &res)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(out, "organisations: %d created, %d already there\n", res.Organisations.Created, res.Organisations.Existing)

	// Passwords are printed even when a later user fails, or they would be
	// lost with their accounts already made.
	creds, err := loadUsers(ctx, db, svc, orgs, actor, &res)
	fmt.Fprintf(out, "users:         %d created, %d already there\n", res.Users.Created, res.Users.Existing)
	printCredentials(out, creds)
	if res.Users.Existing > 0 {
		fmt.Fprintf(out, "The %d users already there were left unchanged; their passwords are not shown again.\n", res.Users.Existing)
	}
	if err != nil {
		return res, err
	}

	if err := loadHouseholds(ctx, db, communityIDs, &res); err != nil {
		return res, err
	}
	if res.PeopleExisting > 0 {
		fmt.Fprintf(out, "households:    none added, the demo communities already have %d people\n", res.PeopleExisting)
	} else {
		fmt.Fprintf(out, "households:    %d created, with %d people\n", res.HouseholdsCreated, res.PeopleCreated)
	}

	users, err := userIDs(ctx, db)
	if err != nil {
		return res, err
	}
	if err := loadPregnancies(ctx, db, communityIDs, users, &res); err != nil {
		return res, err
	}
	if res.PregnanciesExisting > 0 {
		fmt.Fprintf(out, "pregnancies:   none added, the demo communities already have %d\n", res.PregnanciesExisting)
	} else {
		fmt.Fprintf(out, "pregnancies:   %d created, %d of them born (the child joins its mother's household)\n", res.PregnanciesCreated, res.BirthsCreated)
	}
	if err := loadRecords(ctx, db, communityIDs, orgs, users, &res); err != nil {
		return res, err
	}
	if res.RecordsExisting > 0 {
		fmt.Fprintf(out, "records:       none added, the demo agencies already have %d\n", res.RecordsExisting)
	} else {
		var parts []string
		for _, code := range recordOrgs {
			parts = append(parts, fmt.Sprintf("%s %d", code, res.RecordsByOrganisation[code]))
		}
		fmt.Fprintf(out, "records:       %d service records created (%s)\n", res.RecordsCreated, strings.Join(parts, ", "))
	}
	if err := loadAssessments(ctx, db, communityIDs, orgs, users, &res); err != nil {
		return res, err
	}
	if res.AssessmentsExisting > 0 {
		fmt.Fprintf(out, "assessments:   none added, the social-welfare unit already has %d\n", res.AssessmentsExisting)
	} else {
		fmt.Fprintf(out, "assessments:   %d flower assessments created, %d alerts opened\n", res.AssessmentsCreated, res.AlertsOpened)
	}
	if err := loadNetwork(ctx, db, orgs, placeIDs, communityIDs, users, &res, out); err != nil {
		return res, err
	}
	return res, nil
}

// userIDs returns the IDs of the demo users, by username.
func userIDs(ctx context.Context, db *store.DB) (map[string]string, error) {
	ids := map[string]string{}
	for _, du := range usersByRole {
		u, err := db.GetUserByUsername(ctx, du.username)
		if err != nil {
			return nil, fmt.Errorf("demo: user %s: %w", du.username, err)
		}
		ids[du.username] = u.ID
	}
	return ids, nil
}

// loadCommunities returns the IDs of the places the demo uses, by code, and
// of its communities in the order of the communities list.
func loadCommunities(ctx context.Context, db *store.DB, actor audit.Event, res *Result) (map[string]string, []string, error) {
	district, err := db.GetPlaceByCode(ctx, districtLatKrabang)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: district %s: %w", districtLatKrabang, err)
	}
	province, err := db.GetPlaceByCode(ctx, provinceBangkok)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: province %s: %w", provinceBangkok, err)
	}
	subs, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: district.ID, Kind: places.Subdistrict})
	if err != nil {
		return nil, nil, err
	}
	ids := map[string]string{district.Code: district.ID, province.Code: province.ID}
	for _, s := range subs {
		ids[s.Code] = s.ID
	}
	var communityIDs []string
	for _, c := range communities {
		subCode, _, _ := strings.Cut(c.code, "-")
		parentID, ok := ids[subCode]
		if !ok {
			return nil, nil, fmt.Errorf("demo: sub-district %s of Lat Krabang is missing", subCode)
		}
		p, err := db.GetPlaceByCode(ctx, c.code)
		switch {
		case err == nil:
			if p.Kind != places.Community || p.ParentID != parentID || !strings.HasSuffix(p.NameEN, demoMarker) {
				return nil, nil, fmt.Errorf("demo: place %s exists and is not the demo community; not adding synthetic people to it", c.code)
			}
			res.Communities.Existing++
		case errs.Is(err, errs.NotFound):
			loc, located := communityLocations[c.code]
			p, err = db.SavePlace(ctx, places.Place{Kind: places.Community, Code: c.code, ParentID: parentID,
				NameTH: c.th, NameEN: c.en + demoMarker, Lat: loc[0], Lon: loc[1], Located: located}, actor)
			if err != nil {
				return nil, nil, fmt.Errorf("demo: community %s: %w", c.code, err)
			}
			res.Communities.Created++
		default:
			return nil, nil, err
		}
		ids[p.Code] = p.ID
		communityIDs = append(communityIDs, p.ID)
	}
	return ids, communityIDs, nil
}

func loadOrganisations(ctx context.Context, db *store.DB, placeIDs map[string]string, actor audit.Event, res *Result) (map[string]organisations.Organisation, error) {
	orgs := map[string]organisations.Organisation{}
	for _, d := range organisationsList {
		o, err := db.GetOrganisationByCode(ctx, d.code)
		switch {
		case err == nil:
			// Demo users become members: never of a real organisation.
			if o.Kind != d.kind || !strings.HasSuffix(o.NameEN, demoMarker) {
				return nil, fmt.Errorf("demo: organisation %s exists and is not the demo one; not adding demo users to it", d.code)
			}
			res.Organisations.Existing++
		case errs.Is(err, errs.NotFound):
			o = organisations.Organisation{Code: d.code, Kind: d.kind, NameTH: d.th, NameEN: d.en + demoMarker,
				PlaceID: placeIDs[d.placeCode], ParentID: orgs[d.parentCode].ID, Active: true}
			if o, err = db.SaveOrganisation(ctx, o, actor); err != nil {
				return nil, fmt.Errorf("demo: organisation %s: %w", d.code, err)
			}
			res.Organisations.Created++
		default:
			return nil, err
		}
		orgs[d.code] = o
	}
	return orgs, nil
}

func loadUsers(ctx context.Context, db *store.DB, svc *auth.Service, orgs map[string]organisations.Organisation, actor audit.Event, res *Result) ([]credential, error) {
	var creds []credential
	for _, role := range account.BuiltinRoles {
		du, ok := usersByRole[role.Code]
		if !ok { // a role added after this list was written
			du = demoUser{"demo." + strings.ReplaceAll(role.Code, "_", ""), role.NameTH + " (ตัวอย่าง)", "LKB-DSW"}
		}
		_, err := db.GetUserByUsername(ctx, du.username)
		if err == nil {
			res.Users.Existing++
			continue
		}
		if !errs.Is(err, errs.NotFound) {
			return creds, err
		}
		org := orgs[du.orgCode]
		password := newPassword()
		u := account.User{Username: du.username, DisplayName: du.displayName, Kind: role.Kind, Lang: "th",
			Memberships: []account.Membership{{OrganisationID: org.ID, RoleCode: role.Code}}}
		made, err := svc.CreateUser(ctx, u, password, actor)
		if err != nil {
			return creds, fmt.Errorf("demo: user %s: %w", du.username, err)
		}
		// Roles that see health or safety notes must log in with a second
		// factor: their demo accounts come enrolled, the secret printed with
		// the password, so the demo shows the real login (an authenticator
		// app takes the secret as typed).
		totpSecret := ""
		if slices.Contains(role.Permissions, account.SensitiveHealth) || slices.Contains(role.Permissions, account.SensitiveSafety) {
			if totpSecret, _, err = account.NewTOTPKey(du.username); err != nil {
				return creds, err
			}
			if err := db.SetTOTPForDemo(ctx, made.ID, totpSecret, actor); err != nil {
				return creds, fmt.Errorf("demo: user %s: %w", du.username, err)
			}
		}
		res.Users.Created++
		res.NewUsers = append(res.NewUsers, du.username)
		creds = append(creds, credential{du.username, role.Code, org.Code, org.NameTH, password, totpSecret})
	}
	return creds, nil
}

func printCredentials(out io.Writer, creds []credential) {
	if len(creds) == 0 {
		return
	}
	fmt.Fprintln(out, "\nNew demo accounts. The passwords are shown only this once: keep them now. Roles that see health or")
	fmt.Fprintln(out, "safety notes log in with a code too: add their TOTP SECRET to an authenticator app.")
	// Thai names go last: their combining marks would throw the columns out.
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tORGANISATION\tPASSWORD\tTOTP SECRET\tORGANISATION NAME")
	for _, c := range creds {
		totpSecret := c.totp
		if totpSecret == "" {
			totpSecret = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.username, c.role, c.orgCode, c.password, totpSecret, c.orgName)
	}
	tw.Flush()
	fmt.Fprintln(out)
}

// passwordAlphabet has 32 letters and digits, none that look alike (no l,
// 1, o, 0), so that a password read off a screen is typed right.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// newPassword returns 20 random characters (100 bits) in groups of five.
func newPassword() string {
	var raw [20]byte
	rand.Read(raw[:]) // crypto/rand never fails (it aborts the program instead)
	b := make([]byte, 0, len(raw)+len(raw)/5)
	for i, r := range raw {
		if i > 0 && i%5 == 0 {
			b = append(b, '-')
		}
		b = append(b, passwordAlphabet[r%32])
	}
	return string(b)
}

// loadHouseholds adds the synthetic households unless the demo communities
// already have people: they have no codes to look up, so the communities'
// population is the sign of an earlier run.
func loadHouseholds(ctx context.Context, db *store.DB, communityIDs []string, res *Result) error {
	counts, err := db.CountPeopleByCommunity(ctx)
	if err != nil {
		return err
	}
	for _, id := range communityIDs {
		res.PeopleExisting += counts[id]
	}
	if res.PeopleExisting > 0 {
		return nil
	}
	g := NewGenerator(Seed, db.Now().In(thai.Bangkok()))
	g.SerialBase = DemoSerialBase
	var hs []people.Household
	var ps []people.Person
	for i, c := range communities {
		g.Streets = c.streets
		for h, members := range g.Households(communityIDs[i:i+1], c.households) {
			hs = append(hs, h)
			ps = append(ps, members...)
		}
	}
	if err := db.InsertHouseholds(ctx, hs, ps); err != nil {
		return fmt.Errorf("demo: households: %w", err)
	}
	res.HouseholdsCreated, res.PeopleCreated = len(hs), len(ps)
	return db.AuditAlone(ctx, audit.Event{Action: AuditHouseholdsLoaded, RequestID: "demo-load",
		Detail: fmt.Sprintf("households=%d people=%d", len(hs), len(ps))})
}
