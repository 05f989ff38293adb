package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/organisations"
	"termtem/internal/places"
	"termtem/internal/store"
)

var ctx = context.Background()

// actor is the audit event the tests pass as "who did it".
func actor() audit.Event { return audit.Event{ActorID: "test-admin", RequestID: "req-test"} }

// wantErr fails unless err carries code (and, when given, field and message ID).
func wantErr(t *testing.T, err error, code errs.Code, field, messageID string) *errs.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %v, want *errs.Error %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%v), want %s", e.Code, err, code)
	}
	if field != "" && e.Field != field {
		t.Fatalf("field = %q (%v), want %q", e.Field, err, field)
	}
	if messageID != "" && e.MessageID != messageID {
		t.Fatalf("message = %q (%v), want %q", e.MessageID, err, messageID)
	}
	return e
}

func mustPlaceByCode(t *testing.T, db *store.DB, code string) places.Place {
	t.Helper()
	p, err := db.GetPlaceByCode(ctx, code)
	if err != nil {
		t.Fatalf("place %s: %v", code, err)
	}
	return p
}

// newOrg stores an active health centre in Lat Krabang.
func newOrg(t *testing.T, db *store.DB, code string) organisations.Organisation {
	t.Helper()
	o, err := db.SaveOrganisation(ctx, organisations.Organisation{
		Code: code, Kind: organisations.HealthCentre, NameTH: "ศูนย์บริการสาธารณสุข " + code,
		PlaceID: mustPlaceByCode(t, db, "1011").ID, Active: true,
	}, actor())
	if err != nil {
		t.Fatalf("save organisation %s: %v", code, err)
	}
	return o
}

// newUser stores a staff user with the given memberships. The hash is a
// placeholder: store tests never verify passwords.
func newUser(t *testing.T, db *store.DB, username string, ms ...account.Membership) account.User {
	t.Helper()
	u, err := db.SaveUser(ctx, account.User{
		Username: username, DisplayName: "User " + username, Kind: account.StaffAccount,
		PasswordHash: "$argon2id$placeholder", Memberships: ms,
	}, actor())
	if err != nil {
		t.Fatalf("save user %s: %v", username, err)
	}
	return u
}

// clock is a settable store clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock(db *store.DB) *clock {
	c := &clock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	db.Now = c.Now
	return c
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// auditCount counts stored events of an action about one object.
func auditCount(t *testing.T, db *store.DB, action, objectID string) int {
	t.Helper()
	evs, err := db.RecentAudit(ctx, action, 1000)
	if err != nil {
		t.Fatalf("recent audit: %v", err)
	}
	n := 0
	for _, e := range evs {
		if objectID == "" || e.ObjectID == objectID {
			n++
		}
	}
	return n
}
