package store_test

import (
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// chained opens a store with a chain key, writes n audit events a second
// apart, and seals them.
func chained(t *testing.T, n int) (*store.DB, *clock) {
	t.Helper()
	db := storetest.Open(t)
	db.AuditKey = []byte("test-key-kept-outside-the-database")
	c := newClock(db)
	for i := range n {
		if err := db.AuditAlone(ctx, audit.Event{ActorID: "u1", Action: "person.read", ObjectType: "person", ObjectID: string(rune('a' + i))}); err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Second)
	}
	c.Advance(store.SealLag + time.Second)
	total := 0
	for {
		k, err := db.SealAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			break
		}
		total += k
	}
	if total < n {
		t.Fatalf("sealed %d of at least %d", total, n)
	}
	rep, err := db.VerifyAudit(ctx)
	if err != nil || !rep.OK() || rep.Sealed != int64(total) {
		t.Fatalf("fresh chain: %+v %v", rep, err)
	}
	return db, c
}

// tamper runs raw SQL as an attacker with write access to the database.
func tamper(t *testing.T, db *store.DB, query string, args ...any) {
	t.Helper()
	if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.ExecForTest(ctx, query, args...) }); err != nil {
		t.Fatal(err)
	}
}

// eventAt returns the id of the event sealed as seq.
func eventAt(t *testing.T, db *store.DB, seq int) string {
	t.Helper()
	var id string
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowForTest(ctx, `SELECT event_id FROM audit_seals WHERE seq = ?`, seq).Scan(&id)
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAuditChainNamesTheFirstBadEntry(t *testing.T) {
	for _, c := range []struct {
		name    string
		attack  func(t *testing.T, db *store.DB)
		bad     int64
		problem string
	}{
		{"an edited event", func(t *testing.T, db *store.DB) {
			tamper(t, db, `UPDATE audit_events SET actor_id = 'someone-else' WHERE id = ?`, eventAt(t, db, 4))
		}, 4, "event or seal altered"},
		{"a deleted event", func(t *testing.T, db *store.DB) {
			tamper(t, db, `DELETE FROM audit_events WHERE id = ?`, eventAt(t, db, 3))
		}, 3, "event deleted"},
		{"two events reordered", func(t *testing.T, db *store.DB) {
			a, b := eventAt(t, db, 5), eventAt(t, db, 6)
			tamper(t, db, `UPDATE audit_seals SET event_id = 'swap' WHERE seq = 5`)
			tamper(t, db, `UPDATE audit_seals SET event_id = ? WHERE seq = 6`, a)
			tamper(t, db, `UPDATE audit_seals SET event_id = ? WHERE seq = 5`, b)
		}, 5, "event or seal altered"},
		{"a seal and its event removed", func(t *testing.T, db *store.DB) {
			id := eventAt(t, db, 2)
			tamper(t, db, `DELETE FROM audit_seals WHERE seq = 2`)
			tamper(t, db, `DELETE FROM audit_events WHERE id = ?`, id)
		}, 3, "seal 2 missing"},
		{"a seal recomputed without the key", func(t *testing.T, db *store.DB) {
			tamper(t, db, `UPDATE audit_seals SET hash = '00' WHERE seq = 7`)
		}, 7, "event or seal altered"},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, _ := chained(t, 8)
			c.attack(t, db)
			rep, err := db.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || rep.BadSeq != c.bad || rep.Problem != c.problem {
				t.Fatalf("report %+v, want seq %d %q", rep, c.bad, c.problem)
			}
		})
	}
}

func TestAuditChainCatchesEventsBehindItsBack(t *testing.T) {
	db, clk := chained(t, 3)
	head, _ := db.VerifyAudit(ctx)
	// An event inserted with an old time, behind the sealer's reach.
	tamper(t, db, `INSERT INTO audit_events (id, at, actor_id, action, outcome) VALUES ('forged', '2020-01-01T00:00:00.000Z', 'x', 'person.read', 'success')`)
	if rep, _ := db.VerifyAudit(ctx); rep.Unsealed != 1 || rep.OK() {
		t.Fatalf("backdated event: %+v", rep)
	}
	// Truncating the tail verifies, but the head moves back: an operator
	// who keeps the head outside the database sees it.
	tamper(t, db, `DELETE FROM audit_events WHERE id = 'forged'`)
	last := eventAt(t, db, int(head.HeadSeq))
	tamper(t, db, `DELETE FROM audit_seals WHERE seq = ?`, head.HeadSeq)
	tamper(t, db, `DELETE FROM audit_events WHERE id = ?`, last)
	rep, _ := db.VerifyAudit(ctx)
	if rep.HeadSeq != head.HeadSeq-1 || rep.HeadHash == head.HeadHash {
		t.Fatalf("truncated chain %+v, head was %+v", rep, head)
	}
	// New events keep chaining from the head.
	if err := db.AuditAlone(ctx, audit.Event{Action: "person.read"}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(store.SealLag + time.Second)
	if n, err := db.SealAudit(ctx); err != nil || n != 1 {
		t.Fatalf("sealed %d %v", n, err)
	}
	if rep, _ := db.VerifyAudit(ctx); !rep.OK() {
		t.Fatalf("after more events %+v", rep)
	}
}

func TestAuditChainNeedsItsKey(t *testing.T) {
	db, _ := chained(t, 2)
	db.AuditKey = []byte("another key")
	rep, err := db.VerifyAudit(ctx)
	if err != nil || rep.OK() || rep.BadSeq != 1 {
		t.Fatalf("with the wrong key: %+v %v", rep, err)
	}
	db.AuditKey = nil
	if _, err := db.SealAudit(ctx); err != store.ErrNoAuditKey {
		t.Fatalf("without a key: %v", err)
	}
}
