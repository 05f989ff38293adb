package store_test

import (
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/store/storetest"
)

// WriteGeneration is what keeps the verified-token cache honest: every
// write transaction moves it, the read audit and a token's last-used time
// (written on every API request) do not.
func TestWriteGeneration(t *testing.T) {
	db := storetest.Open(t)
	u := newUser(t, db, "robot")
	_, tk, err := db.CreateAPIToken(ctx, u.ID, "export", time.Hour, actor())
	if err != nil {
		t.Fatal(err)
	}
	g := db.WriteGeneration()
	if err := db.AuditRead(ctx, audit.Event{ActorID: u.ID, Action: "person.read"}); err != nil {
		t.Fatal(err)
	}
	if err := db.TouchAPIToken(ctx, tk.ID); err != nil {
		t.Fatal(err)
	}
	if got := db.WriteGeneration(); got != g {
		t.Errorf("read audit or token touch moved the generation %d → %d", g, got)
	}
	if err := db.RevokeAPIToken(ctx, tk.ID, actor()); err != nil {
		t.Fatal(err)
	}
	if got := db.WriteGeneration(); got == g {
		t.Error("revoking a token did not move the generation")
	}
	g = db.WriteGeneration()
	u.Disabled = true
	if _, err := db.SaveUser(ctx, u, actor()); err != nil {
		t.Fatal(err)
	}
	if got := db.WriteGeneration(); got == g {
		t.Error("disabling a user did not move the generation")
	}
}
