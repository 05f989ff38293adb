package auth_test

import (
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/auth"
	"termtem/internal/errs"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// The verified-token cache must never let a token, user or role change made
// through this server go unseen, and may let one made by another process go
// unseen only for auth.TokenCacheTTL.

func bearerOK(t *testing.T, f *fixture, token string) *account.Principal {
	t.Helper()
	p, err := f.svc.Bearer(ctx, "Bearer "+token, "req")
	if err != nil {
		t.Fatalf("valid token refused: %v", err)
	}
	return p
}

// newToken makes a token of the fixture's user valid for lifetime.
func newToken(t *testing.T, f *fixture, lifetime time.Duration) (string, account.APIToken) {
	t.Helper()
	token, tk, err := f.db.CreateAPIToken(ctx, f.user.ID, "cached", lifetime, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	return token, tk
}

func TestBearerCacheRevokedHereAtOnce(t *testing.T) {
	f := setup(t)
	token, tk := newToken(t, f, time.Hour)
	bearerOK(t, f, token)
	bearerOK(t, f, token) // now served from the cache
	if err := f.db.RevokeAPIToken(ctx, tk.ID, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Bearer(ctx, "Bearer "+token, "req")
	wantCode(t, err, errs.Unauthenticated, "auth.token_invalid")
	if evs, _ := f.db.RecentAudit(ctx, audit.TokenRejected, 10); len(evs) != 1 {
		t.Errorf("%d token.rejected rows, want 1", len(evs))
	}
}

func TestBearerCacheRoleChangeAtOnce(t *testing.T) {
	f := setup(t)
	token, _ := newToken(t, f, time.Hour)
	if p := bearerOK(t, f, token); !p.Can(account.PeopleRead) {
		t.Fatal("health staff cannot read people")
	}
	u, _ := f.db.GetUser(ctx, f.user.ID)
	u.Memberships[0].RoleCode = account.RoleCommitteeMember
	if _, err := f.db.SaveUser(ctx, u, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	if p := bearerOK(t, f, token); p.Can(account.PeopleRead) || p.User.Memberships[0].RoleCode != account.RoleCommitteeMember {
		t.Errorf("after the role change: memberships %v, permissions %v", p.User.Memberships, p.Permissions)
	}
}

func TestBearerCacheExpiryStillApplies(t *testing.T) {
	f := setup(t)
	token, _ := newToken(t, f, auth.TokenCacheTTL/2)
	bearerOK(t, f, token)
	f.clock.Advance(auth.TokenCacheTTL / 2) // expired, though cached less than the TTL ago
	_, err := f.svc.Bearer(ctx, "Bearer "+token, "req")
	wantCode(t, err, errs.Unauthenticated, "auth.token_invalid")
}

func TestBearerCacheGivesEachRequestItsOwnPrincipal(t *testing.T) {
	f := setup(t)
	token, _ := newToken(t, f, time.Hour)
	bearerOK(t, f, token)
	p := bearerOK(t, f, token)
	p.Permissions[account.UsersManage] = true
	p.User.Memberships[0].RoleCode = account.RoleSystemAdmin
	p.User.Disabled = true
	if q := bearerOK(t, f, token); q.Can(account.UsersManage) || q.User.Memberships[0].RoleCode != account.RoleHealthStaff || !q.Can(account.PeopleRead) {
		t.Errorf("one request's changes reached the next: %+v", q)
	}
}

// Another process (termtem token revoke, user disable) shares only the
// database: its changes must apply to the next request all the same.
func TestBearerCacheChangesElsewhereAtOnce(t *testing.T) {
	opts := storetest.Options(t)
	db, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := setupOn(t, db)
	other, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })

	// Revoked.
	token, tk := newToken(t, f, time.Hour)
	bearerOK(t, f, token)
	if err := other.RevokeAPIToken(ctx, tk.ID, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Bearer(ctx, "Bearer "+token, "req")
	wantCode(t, err, errs.Unauthenticated, "auth.token_invalid")

	// Role changed.
	token, _ = newToken(t, f, time.Hour)
	bearerOK(t, f, token)
	u, _ := other.GetUser(ctx, f.user.ID)
	u.Memberships[0].RoleCode = account.RoleCommitteeMember
	if u, err = other.SaveUser(ctx, u, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	if p := bearerOK(t, f, token); p.Can(account.PeopleRead) {
		t.Errorf("after a role change elsewhere: permissions %v", p.Permissions)
	}

	// Disabled.
	bearerOK(t, f, token)
	u.Disabled = true
	if _, err := other.SaveUser(ctx, u, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Bearer(ctx, "Bearer "+token, "req")
	wantCode(t, err, errs.Unauthenticated, "")
}
