package store

import (
	"context"
	"errors"
	"sync"

	"termtem/internal/audit"
)

// Reads of personal data are audited before the data leaves the server. A
// read has nothing else to write, and one commit per read would cap reads at
// the disk's commit rate (about 4,600 a second on SQLite here), so the audit
// rows of concurrent reads are grouped into one transaction: each caller
// waits until its row is committed, and fails if it is not. Nothing is
// dropped and nothing is written after the answer.

type auditRequest struct {
	event audit.Event
	done  chan error
}

type auditGroup struct {
	once sync.Once // starts the committer
	stop sync.Once // closes quit
	reqs chan auditRequest
	quit chan struct{}
	wg   sync.WaitGroup
}

// maxAuditGroup bounds one group commit.
const maxAuditGroup = 512

var errStoreClosed = errors.New("store closed")

// AuditRead records an audit event and returns once it is durable.
func (db *DB) AuditRead(ctx context.Context, e audit.Event) error {
	g := &db.audits
	g.once.Do(func() {
		g.reqs = make(chan auditRequest, maxAuditGroup)
		g.quit = make(chan struct{})
		g.wg.Add(1)
		go db.commitAudits()
	})
	req := auditRequest{event: e, done: make(chan error, 1)}
	// Closed first: a select between a closed quit and a queue with room
	// picks either, and a request queued after the committer has gone
	// would wait for ever.
	select {
	case <-g.quit:
		return errStoreClosed
	default:
	}
	select {
	case g.reqs <- req:
	case <-g.quit:
		return errStoreClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-g.quit:
		// Closing: the committer answers what it has taken (and whatever
		// is still queued) before it ends; anything else was never written.
		g.wg.Wait()
		select {
		case err := <-req.done:
			return err
		default:
			return errStoreClosed
		}
	case <-ctx.Done():
		// The row may still be committed; the caller must not use the data.
		return ctx.Err()
	}
}

func (db *DB) commitAudits() {
	g := &db.audits
	defer g.wg.Done()
	batch := make([]auditRequest, 0, maxAuditGroup)
	events := make([]audit.Event, 0, maxAuditGroup)
	for {
		select {
		case <-g.quit:
			// Answer whoever is still queued rather than leave them waiting.
			for {
				select {
				case r := <-g.reqs:
					r.done <- errStoreClosed
				default:
					return
				}
			}
		case r := <-g.reqs:
			batch = append(batch[:0], r)
		drain:
			for len(batch) < maxAuditGroup {
				select {
				case r := <-g.reqs:
					batch = append(batch, r)
				default:
					break drain
				}
			}
			// inTx: audit rows change nothing WriteGeneration guards.
			events = events[:0]
			for _, r := range batch {
				events = append(events, r.event)
			}
			err := db.inTx(context.Background(), func(t *Tx) error {
				return t.auditMany(context.Background(), events)
			})
			for _, r := range batch {
				r.done <- err
			}
			clear(batch)
		}
	}
}

// stopAudits ends the group-commit goroutine (Close), after it has
// committed the group in hand; reads audited from then on fail.
func (db *DB) stopAudits() {
	g := &db.audits
	g.once.Do(func() { g.quit = make(chan struct{}) }) // never start one after Close
	g.stop.Do(func() { close(g.quit) })
	g.wg.Wait()
}
