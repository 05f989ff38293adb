package store_test

import (
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/store/storetest"
)

func TestSessionLifecycle(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	u := newUser(t, db, "nurse")
	token, err := db.CreateSession(ctx, u.ID, actor())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, account.SessionPrefix) || len(token) < 40 {
		t.Errorf("token %q: want the %s prefix and 256 random bits", token, account.SessionPrefix)
	}
	hash := account.HashSecret(token)
	s, err := db.GetSession(ctx, hash)
	if err != nil {
		t.Fatal(err)
	}
	if s.UserID != u.ID || s.TokenHash != hash || !s.CreatedAt.Equal(clk.Now()) || !s.LastSeenAt.Equal(clk.Now()) {
		t.Errorf("session %+v", s)
	}
	// The token itself is never stored, only its hash.
	if _, err := db.GetSession(ctx, token); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("looking up by the raw token: %v, want not found", err)
	}
	if n := auditCount(t, db, audit.LoginSucceeded, u.ID); n != 1 {
		t.Errorf("%d login.succeeded rows, want 1", n)
	}

	clk.Advance(5 * time.Minute)
	if err := db.TouchSession(ctx, hash); err != nil {
		t.Fatal(err)
	}
	s, _ = db.GetSession(ctx, hash)
	if !s.LastSeenAt.Equal(clk.Now()) || s.CreatedAt.Equal(s.LastSeenAt) {
		t.Errorf("after touch: created %v, last seen %v, now %v", s.CreatedAt, s.LastSeenAt, clk.Now())
	}

	if err := db.DeleteSession(ctx, hash, audit.Event{ActorID: u.ID, Action: audit.Logout, ObjectType: "user", ObjectID: u.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = db.GetSession(ctx, hash)
	wantErr(t, err, errs.Unauthenticated, "", "auth.session_expired")
	if n := auditCount(t, db, audit.Logout, u.ID); n != 1 {
		t.Errorf("%d logout rows, want 1", n)
	}
}

func TestDeleteExpiredSessions(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	u := newUser(t, db, "nurse")
	start := clk.Now()
	mk := func() string {
		tok, err := db.CreateSession(ctx, u.ID, actor())
		if err != nil {
			t.Fatal(err)
		}
		return account.HashSecret(tok)
	}
	old := mk() // created at start, kept busy: dies of old age
	clk.Advance(time.Hour)
	idle := mk() // created at +1h, never used again: dies of idleness
	clk.Advance(time.Hour)
	if err := db.TouchSession(ctx, old); err != nil {
		t.Fatal(err)
	}
	fresh := mk() // created at +2h

	// At +2h: idle cut-off 30 min ago, absolute cut-off 90 minutes after start.
	n, err := db.DeleteExpiredSessions(ctx, clk.Now().Add(-30*time.Minute), start.Add(90*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("deleted %d sessions, want 2", n)
	}
	for _, h := range []string{old, idle} {
		if _, err := db.GetSession(ctx, h); !errs.Is(err, errs.Unauthenticated) {
			t.Errorf("expired session still there: %v", err)
		}
	}
	if _, err := db.GetSession(ctx, fresh); err != nil {
		t.Errorf("fresh session deleted: %v", err)
	}
	if n, _ := db.DeleteExpiredSessions(ctx, clk.Now().Add(-30*time.Minute), start); n != 0 {
		t.Errorf("second sweep deleted %d, want 0", n)
	}
}

func TestLoginThrottle(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	real := newUser(t, db, "nurse")
	rule := account.LoginThrottle{MaxFailures: 3, Window: 15 * time.Minute, Lockout: 10 * time.Minute}
	fail := func(username string) bool {
		t.Helper()
		locked, err := db.RecordLoginFailure(ctx, username, rule, audit.Event{Action: audit.LoginFailed, Outcome: audit.Denied, ObjectType: "username", ObjectID: username})
		if err != nil {
			t.Fatal(err)
		}
		return locked
	}
	isLocked := func(username string) bool {
		t.Helper()
		l, err := db.LoginLocked(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	// The same sequence for a real and an unknown username.
	for _, name := range []string{real.Username, "ghost"} {
		t.Run(name, func(t *testing.T) {
			for i := 1; i < rule.MaxFailures; i++ {
				if fail(name) || isLocked(name) {
					t.Fatalf("locked after %d failures, want %d", i, rule.MaxFailures)
				}
			}
			if !fail(name) || !isLocked(name) {
				t.Fatalf("not locked after %d failures", rule.MaxFailures)
			}
		})
	}
	if isLocked("someone-else") {
		t.Error("an untouched username is locked: the lock must be per username")
	}
	if n := auditCount(t, db, audit.LoginFailed, "ghost"); n != rule.MaxFailures {
		t.Errorf("%d login.failed rows for ghost, want %d", n, rule.MaxFailures)
	}

	clk.Advance(rule.Lockout - time.Second)
	if !isLocked("ghost") {
		t.Error("lock lifted before the lockout ended")
	}
	clk.Advance(2 * time.Second)
	if isLocked("ghost") || isLocked(real.Username) {
		t.Error("still locked after the lockout")
	}

	// Failures spread wider than the window never add up to a lock.
	for range 2 * rule.MaxFailures {
		clk.Advance(rule.Window/time.Duration(rule.MaxFailures-1) + time.Second)
		if fail("slow") {
			t.Fatal("failures outside one window were added up")
		}
	}

	// A successful login clears the count.
	fail("nurse2")
	u2 := newUser(t, db, "nurse2")
	fail("nurse2")
	if _, err := db.CreateSession(ctx, u2.ID, actor()); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < rule.MaxFailures; i++ {
		if fail("nurse2") {
			t.Fatalf("locked after %d failures following a success: the success did not reset the count", i)
		}
	}
}
