package store_test

import (
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// TestServiceAccountVersions: the web page's account and first token are
// made together or not at all, and every change to the account or its
// tokens moves its version, so that a page seen before someone else's
// rotation, revocation or disabling is refused as stale rather than acting
// on what has changed since.
func TestServiceAccountVersions(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "SCH-SV1")
	in := func(username string) account.User {
		return account.User{Username: username, DisplayName: "ระบบ DMC", Lang: "th",
			Memberships: []account.Membership{{OrganisationID: org.ID, RoleCode: account.RoleDataOfficer}}}
	}
	// A bad first token: no account either.
	long := string(make([]rune, 101))
	if _, _, err := db.CreateServiceAccountWithToken(ctx, in("moe.half"), long, time.Hour, actor()); err == nil {
		t.Fatal("a token name of 101 characters was accepted")
	}
	if _, err := db.GetUserByUsername(ctx, "moe.half"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("account without its token: %v", err)
	}
	// An administrator's role is refused with the token: nothing written.
	bad := in("moe.admin")
	bad.Memberships[0].RoleCode = account.RoleOrganisationAdmin
	_, _, err := db.CreateServiceAccountWithToken(ctx, bad, "nightly", time.Hour, actor())
	wantErr(t, err, errs.Invalid, "role", "service_account.role_not_allowed")
	if _, err := db.GetUserByUsername(ctx, "moe.admin"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("refused account stored: %v", err)
	}

	sa, secret, err := db.CreateServiceAccountWithToken(ctx, in("moe.sync"), "nightly", 24*time.Hour, actor())
	if err != nil {
		t.Fatal(err)
	}
	if len(sa.Tokens) != 1 || sa.Tokens[0].Name != "nightly" || sa.Tokens[0].TokenHash != account.HashSecret(secret) {
		t.Fatalf("account's tokens %+v", sa.Tokens)
	}
	if n := auditCount(t, db, store.ActionServiceAccountCreated, sa.ID); n != 1 {
		t.Errorf("%d service_account.created rows", n)
	}
	if n := auditCount(t, db, audit.TokenCreated, sa.Tokens[0].ID); n != 1 {
		t.Errorf("%d token.created rows", n)
	}
	seen := sa.Version
	first := sa.Tokens[0].ID

	// Rotation with the version seen: the old token is gone, the version moves.
	newSecret, tk, err := db.RotateServiceToken(ctx, sa.ID, seen, first, 24*time.Hour, actor())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetAPITokenByHash(ctx, account.HashSecret(secret)); err != nil {
		t.Fatal(err) // still stored, but revoked
	}
	old, _ := db.GetAPITokenByHash(ctx, account.HashSecret(secret))
	if old.RevokedAt == nil || tk.Name != "nightly" || newSecret == secret {
		t.Errorf("after rotation: old revoked %v, new %+v", old.RevokedAt, tk)
	}
	after, err := db.GetServiceAccount(ctx, sa.ID)
	if err != nil || after.Version == seen {
		t.Fatalf("version after rotation %d (was %d) %v", after.Version, seen, err)
	}
	// A second administrator acting on the page seen before: stale, nothing changes.
	_, _, err = db.RotateServiceToken(ctx, sa.ID, seen, tk.ID, 24*time.Hour, actor())
	wantErr(t, err, errs.Stale, "", "error.stale")
	wantErr(t, db.RevokeServiceToken(ctx, sa.ID, seen, tk.ID, actor()), errs.Stale, "", "error.stale")
	_, _, err = db.IssueServiceToken(ctx, sa.ID, seen, "extra", time.Hour, actor())
	wantErr(t, err, errs.Stale, "", "error.stale")
	wantErr(t, db.DisableServiceAccount(ctx, sa.ID, seen, actor()), errs.Stale, "", "error.stale")
	again, _ := db.GetServiceAccount(ctx, sa.ID)
	if again.Disabled || len(again.Tokens) != 2 || again.Version != after.Version {
		t.Fatalf("stale changes wrote something: %+v", again)
	}
	if cur, _ := db.GetAPITokenByHash(ctx, account.HashSecret(newSecret)); cur.RevokedAt != nil {
		t.Fatal("the new token was revoked by a stale request")
	}
	// The current version revokes; the rotated-out token cannot be revoked again.
	if err := db.RevokeServiceToken(ctx, sa.ID, after.Version, tk.ID, actor()); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, db, audit.TokenRevoked, tk.ID); n != 1 {
		t.Errorf("%d token.revoked rows for the revoked token", n)
	}
	now, _ := db.GetServiceAccount(ctx, sa.ID)
	wantErr(t, db.RevokeServiceToken(ctx, sa.ID, now.Version, first, actor()), errs.NotFound, "", "token.not_found")
	// A version that never was (a form without one) is stale too.
	wantErr(t, db.DisableServiceAccount(ctx, sa.ID, -1, actor()), errs.Stale, "", "error.stale")
	now, _ = db.GetServiceAccount(ctx, sa.ID)
	if err := db.DisableServiceAccount(ctx, sa.ID, now.Version, actor()); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, db, store.ActionServiceAccountDisabled, sa.ID); n != 1 {
		t.Errorf("%d service_account.disabled rows", n)
	}
}

// TestServiceAccountsAdministeredBy: the one answer to "whose service
// accounts does this principal manage", asked by both the API and the web
// pages. It goes by the principal's role in each organisation, not by the
// permissions merged across them: an administrator of unit A who is only a
// nurse in unit B sees A's accounts and not B's; a nurse sees none; a
// system administrator sees every one.
func TestServiceAccountsAdministeredBy(t *testing.T) {
	db := storetest.Open(t)
	a, b := newOrg(t, db, "SCH-ADA"), newOrg(t, db, "SCH-ADB")
	made := map[string]string{} // organisation ID -> its account's username
	for _, o := range []struct{ id, username string }{{a.ID, "unit.a.sync"}, {b.ID, "unit.b.sync"}} {
		if _, err := db.CreateServiceAccount(ctx, account.User{Username: o.username, DisplayName: "ระบบ " + o.username, Lang: "th",
			Memberships: []account.Membership{{OrganisationID: o.id, RoleCode: account.RoleDataOfficer}}}, actor()); err != nil {
			t.Fatal(err)
		}
		made[o.id] = o.username
	}
	principal := func(username string, ms ...account.Membership) *account.Principal {
		u := newUser(t, db, username, ms...)
		perms, err := db.Permissions(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		u, err = db.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return &account.Principal{User: u, Permissions: perms}
	}
	usernames := func(p *account.Principal) ([]string, store.Administered) {
		t.Helper()
		sas, adm, err := db.ServiceAccountsAdministeredBy(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, sa := range sas {
			out = append(out, sa.Username)
		}
		return out, adm
	}

	mixed := principal("admin.a.nurse.b",
		account.Membership{OrganisationID: a.ID, RoleCode: account.RoleOrganisationAdmin},
		account.Membership{OrganisationID: b.ID, RoleCode: account.RoleHealthStaff})
	got, adm := usernames(mixed)
	if len(got) != 1 || got[0] != made[a.ID] {
		t.Errorf("admin of A, nurse of B sees %v, want only %s", got, made[a.ID])
	}
	if adm.All || !adm.Includes(a.ID) || adm.Includes(b.ID) || !adm.Any() {
		t.Errorf("admin of A, nurse of B administers %+v", adm)
	}

	nurse := principal("nurse.b", account.Membership{OrganisationID: b.ID, RoleCode: account.RoleHealthStaff})
	if got, adm := usernames(nurse); len(got) != 0 || adm.Any() || adm.Includes(b.ID) {
		t.Errorf("a nurse sees %v and administers %+v", got, adm)
	}

	sys := principal("sys.admin", account.Membership{OrganisationID: b.ID, RoleCode: account.RoleSystemAdmin})
	got, adm = usernames(sys)
	if !adm.All || !adm.Includes(a.ID) || !adm.Includes(b.ID) || len(got) != 2 || got[0] != made[a.ID] || got[1] != made[b.ID] {
		t.Errorf("system administrator sees %v, administers %+v", got, adm)
	}
}
