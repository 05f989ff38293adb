package store

import "context"

// ExecForTest runs raw SQL inside a transaction, so that tests outside the
// package can write a row and then fail the transaction, or break a table to
// check that a failed audit write fails the act it records.
func (t *Tx) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := t.exec(ctx, query, args...)
	return classify(err)
}

// QueryRowForTest reads one row inside a transaction (tests that inspect
// tables the store has no reader for, such as the audit seals).
func (t *Tx) QueryRowForTest(ctx context.Context, query string, args ...any) interface{ Scan(...any) error } {
	return t.queryRow(ctx, query, args...)
}

// OnChangeApplied makes every offline change call f after it is applied and
// before it commits: an error from f stands for the server dying there.
func (db *DB) OnChangeApplied(f func(changeID string) error) { db.changeApplied = f }
