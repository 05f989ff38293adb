package store_test

import (
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func TestAPITokenLifecycle(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	u := newUser(t, db, "robot")
	token, tk, err := db.CreateAPIToken(ctx, u.ID, "nightly export", 24*time.Hour, actor())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, account.APITokenPrefix) || tk.TokenHash != account.HashSecret(token) || tk.TokenHash == token {
		t.Errorf("token %q with hash %q", token, tk.TokenHash)
	}
	if got, err := account.ParseBearer("Bearer " + token); err != nil || got != token {
		t.Errorf("ParseBearer of a fresh token = %q, %v", got, err)
	}
	if n := auditCount(t, db, audit.TokenCreated, tk.ID); n != 1 {
		t.Errorf("%d token.created rows, want 1", n)
	}

	got, err := db.GetAPITokenByHash(ctx, account.HashSecret(token))
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != tk.ID || got.UserID != u.ID || got.Name != "nightly export" || !got.CreatedAt.Equal(clk.Now()) ||
		!got.ExpiresAt.Equal(clk.Now().Add(24*time.Hour)) || got.RevokedAt != nil || got.LastUsedAt != nil {
		t.Errorf("stored token %+v", got)
	}
	if !got.Usable(clk.Now()) || got.Usable(clk.Now().Add(24*time.Hour)) {
		t.Error("Usable: want usable now and not at expiry")
	}
	_, err = db.GetAPITokenByHash(ctx, account.HashSecret(token+"x"))
	wantErr(t, err, errs.Unauthenticated, "", "auth.token_invalid")

	// Use is recorded at most once a minute.
	if err := db.TouchAPIToken(ctx, tk.ID); err != nil {
		t.Fatal(err)
	}
	first := clk.Now()
	clk.Advance(30 * time.Second)
	_ = db.TouchAPIToken(ctx, tk.ID)
	got, _ = db.GetAPITokenByHash(ctx, tk.TokenHash)
	if got.LastUsedAt == nil || !got.LastUsedAt.Equal(first) {
		t.Errorf("last used %v, want %v (touch within a minute is skipped)", got.LastUsedAt, first)
	}
	clk.Advance(time.Minute)
	_ = db.TouchAPIToken(ctx, tk.ID)
	got, _ = db.GetAPITokenByHash(ctx, tk.TokenHash)
	if got.LastUsedAt == nil || !got.LastUsedAt.Equal(clk.Now()) {
		t.Errorf("last used %v, want %v", got.LastUsedAt, clk.Now())
	}

	clk.Advance(time.Second)
	_, second, err := db.CreateAPIToken(ctx, u.ID, "second", time.Hour, actor())
	if err != nil {
		t.Fatal(err)
	}
	other := newUser(t, db, "other")
	if _, _, err := db.CreateAPIToken(ctx, other.ID, "not mine", time.Hour, actor()); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListAPITokens(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != second.ID || list[1].ID != tk.ID {
		t.Errorf("ListAPITokens = %+v, want the user's two tokens, newest first", list)
	}

	if err := db.RevokeAPIToken(ctx, tk.ID, actor()); err != nil {
		t.Fatal(err)
	}
	got, _ = db.GetAPITokenByHash(ctx, tk.TokenHash)
	if got.RevokedAt == nil || !got.RevokedAt.Equal(clk.Now()) || got.Usable(clk.Now()) {
		t.Errorf("after revoke: %+v", got)
	}
	err = db.RevokeAPIToken(ctx, tk.ID, actor())
	wantErr(t, err, errs.NotFound, "", "token.not_found")
	if n := auditCount(t, db, audit.TokenRevoked, tk.ID); n != 1 {
		t.Errorf("%d token.revoked rows, want 1", n)
	}
}

func TestAPITokenState(t *testing.T) {
	db := storetest.Open(t)
	u := newUser(t, db, "robot")
	_, tk, err := db.CreateAPIToken(ctx, u.ID, "export", time.Hour, actor())
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.APITokenState(ctx, tk.ID)
	if err != nil || st.Revoked || st.UserDisabled || st.UserVersion != u.Version {
		t.Fatalf("fresh token: %+v %v, want usable at user version %d", st, err, u.Version)
	}
	u.Disabled = true
	if u, err = db.SaveUser(ctx, u, actor()); err != nil {
		t.Fatal(err)
	}
	if st, err = db.APITokenState(ctx, tk.ID); err != nil || !st.UserDisabled || st.UserVersion != u.Version {
		t.Errorf("user disabled: %+v %v", st, err)
	}
	if err := db.RevokeAPIToken(ctx, tk.ID, actor()); err != nil {
		t.Fatal(err)
	}
	if st, err = db.APITokenState(ctx, tk.ID); err != nil || !st.Revoked {
		t.Errorf("revoked: %+v %v", st, err)
	}
	if st, err = db.APITokenState(ctx, store.NewID()); err != nil || !st.Revoked {
		t.Errorf("unknown token: %+v %v, want revoked", st, err)
	}
}
