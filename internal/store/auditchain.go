package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The audit chain. Every audit row is written in the transaction of the
// act it records (never lost, never written after the answer); the sealer
// then chains rows in the order it seals them. Sealing appends to
// audit_seals and never touches audit_events, which the application only
// ever inserts into.

// SealLag: only events at least this old are sealed, so that a
// transaction still committing with an earlier time is not skipped.
const SealLag = 5 * time.Second

// sealWindow: how far behind the last sealed event the sealer looks for
// events that committed late.
const sealWindow = time.Hour

// sealBatch bounds one sealing transaction.
const sealBatch = 1000

// ErrNoAuditKey is returned when the chain is used without a key.
var ErrNoAuditKey = errors.New("audit: no chain key configured")

// canonical is the text of an event the chain covers: every column, in a
// fixed order, separated by a unit separator that no field holds.
func canonical(seq int64, id, at, actor, action, objType, objID, outcome, reqID, detail string) []byte {
	return []byte(strings.Join([]string{strconv.FormatInt(seq, 10), id, at, actor, action, objType, objID, outcome, reqID, detail}, "\x1f"))
}

func chainHash(key []byte, prev string, entry []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(prev))
	m.Write([]byte{0x1e})
	m.Write(entry)
	return hex.EncodeToString(m.Sum(nil))
}

type chainEvent struct {
	id, at, actor, action, objType, objID, outcome, reqID, detail string
}

func (e chainEvent) bytes(seq int64) []byte {
	return canonical(seq, e.id, e.at, e.actor, e.action, e.objType, e.objID, e.outcome, e.reqID, e.detail)
}

const chainColumns = `e.id, e.at, e.actor_id, e.action, e.object_type, e.object_id, e.outcome, e.request_id, e.detail`

func scanChainEvent(rows interface{ Scan(...any) error }) (chainEvent, error) {
	var e chainEvent
	err := rows.Scan(&e.id, &e.at, &e.actor, &e.action, &e.objType, &e.objID, &e.outcome, &e.reqID, &e.detail)
	return e, err
}

// SealAudit chains the audit events not yet sealed, oldest first, up to a
// batch, and returns how many it sealed. Two sealers at once (several app
// nodes) cannot both extend the chain: the sequence number is the key, so
// one transaction fails and its events are sealed by the next run.
func (db *DB) SealAudit(ctx context.Context) (int, error) {
	if len(db.AuditKey) == 0 {
		return 0, ErrNoAuditKey
	}
	sealed := 0
	err := db.InTx(ctx, func(t *Tx) error {
		var seq int64
		var prev, lastAt string
		err := t.queryRow(ctx, `SELECT s.seq, s.hash, COALESCE(e.at, '') FROM audit_seals s LEFT JOIN audit_events e ON e.id = s.event_id
			ORDER BY s.seq DESC LIMIT 1`).Scan(&seq, &prev, &lastAt)
		if err != nil && err != sql.ErrNoRows {
			return classify(err)
		}
		from := ""
		if lastAt != "" {
			from = ts(parseTS(lastAt).Add(-sealWindow))
		}
		rows, err := t.query(ctx, `SELECT `+chainColumns+` FROM audit_events e WHERE e.at >= ? AND e.at < ?
			AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = e.id) ORDER BY e.at, e.id LIMIT ?`,
			from, ts(t.db.Now().Add(-SealLag)), sealBatch)
		if err != nil {
			return classify(err)
		}
		var evs []chainEvent
		for rows.Next() {
			e, err := scanChainEvent(rows)
			if err != nil {
				rows.Close()
				return classify(err)
			}
			evs = append(evs, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return classify(err)
		}
		now := t.now()
		for _, e := range evs {
			seq++
			prev = chainHash(t.db.AuditKey, prev, e.bytes(seq))
			if _, err := t.exec(ctx, `INSERT INTO audit_seals (seq, event_id, hash, sealed_at) VALUES (?, ?, ?, ?)`, seq, e.id, prev, now); err != nil {
				return classify(err)
			}
		}
		sealed = len(evs)
		return nil
	})
	return sealed, err
}

// ChainReport is what verifying the audit chain found.
type ChainReport struct {
	Sealed   int64  // events verified along the chain
	HeadSeq  int64  // the last seal's number
	HeadHash string // and its hash: keep it outside the database to detect truncation
	// BadSeq and BadEvent name the first broken link (0 and "" when none);
	// Problem says how it is broken.
	BadSeq   int64
	BadEvent string
	Problem  string
	// Unsealed counts events older than the sealer's reach that were never
	// sealed: inserted behind the chain's back, or the sealer is not running.
	Unsealed int
}

// OK reports whether the chain verified.
func (r ChainReport) OK() bool { return r.BadSeq == 0 && r.Problem == "" && r.Unsealed == 0 }

// VerifyAudit walks the chain from its first seal and recomputes every
// link. It stops at the first broken one and names it.
func (db *DB) VerifyAudit(ctx context.Context) (ChainReport, error) {
	var rep ChainReport
	if len(db.AuditKey) == 0 {
		return rep, ErrNoAuditKey
	}
	r := db.reader()
	prev := ""
	var seq int64
	for {
		rows, err := r.query(ctx, `SELECT s.seq, s.event_id, s.hash, `+chainColumns+` FROM audit_seals s LEFT JOIN audit_events e ON e.id = s.event_id
			WHERE s.seq > ? ORDER BY s.seq LIMIT 5000`, seq)
		if err != nil {
			return rep, classify(err)
		}
		n := 0
		for rows.Next() {
			n++
			var s int64
			var eventID, hash string
			var id, at, actor, action, objType, objID, outcome, reqID, detail sql.NullString
			if err := rows.Scan(&s, &eventID, &hash, &id, &at, &actor, &action, &objType, &objID, &outcome, &reqID, &detail); err != nil {
				rows.Close()
				return rep, classify(err)
			}
			fail := func(problem string) {
				rep.BadSeq, rep.BadEvent, rep.Problem = s, eventID, problem
			}
			switch {
			case s != seq+1:
				fail(fmt.Sprintf("seal %d missing", seq+1))
			case !id.Valid:
				fail("event deleted")
			default:
				e := chainEvent{id.String, at.String, actor.String, action.String, objType.String, objID.String, outcome.String, reqID.String, detail.String}
				want := chainHash(db.AuditKey, prev, e.bytes(s))
				if !hmac.Equal([]byte(want), []byte(hash)) {
					fail("event or seal altered")
				}
				prev = hash
			}
			if rep.Problem != "" {
				rows.Close()
				return rep, nil
			}
			seq = s
			rep.Sealed++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return rep, classify(err)
		}
		if n == 0 {
			break
		}
	}
	rep.HeadSeq, rep.HeadHash = seq, prev
	// Events the sealer should have reached by now but that no seal covers.
	var lastAt string
	if err := r.queryRow(ctx, `SELECT COALESCE(MAX(e.at), '') FROM audit_seals s JOIN audit_events e ON e.id = s.event_id`).Scan(&lastAt); err != nil {
		return rep, classify(err)
	}
	cutoff := db.Now().Add(-SealLag - time.Minute)
	if lastAt != "" && parseTS(lastAt).Add(-sealWindow).Before(cutoff) {
		cutoff = parseTS(lastAt).Add(-sealWindow)
	}
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM audit_events e WHERE e.at < ? AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = e.id)`,
		ts(cutoff)).Scan(&rep.Unsealed); err != nil {
		return rep, classify(err)
	}
	return rep, nil
}
