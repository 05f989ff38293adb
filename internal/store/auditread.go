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
	once sync.Once
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
	case <-ctx.Done():
		// The row may still be committed; the caller must not use the data.
		return ctx.Err()
	}
}

func (db *DB) commitAudits() {
	g := &db.audits
	defer g.wg.Done()
	batch := make([]auditRequest, 0, maxAuditGroup)
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
			err := db.InTx(context.Background(), func(t *Tx) error {
				for _, r := range batch {
					if err := t.Audit(context.Background(), r.event); err != nil {
						return err
					}
				}
				return nil
			})
			for _, r := range batch {
				r.done <- err
			}
			clear(batch)
		}
	}
}

// stopAudits ends the group-commit goroutine (Close).
func (db *DB) stopAudits() {
	g := &db.audits
	g.once.Do(func() {}) // never start one after Close
	if g.quit != nil {
		close(g.quit)
		g.wg.Wait()
	}
}
