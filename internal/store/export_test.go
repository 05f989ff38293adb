package store

import "context"

// ExecForTest runs raw SQL inside a transaction, so that tests outside the
// package can write a row and then fail the transaction, or break a table to
// check that a failed audit write fails the act it records.
func (t *Tx) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := t.exec(ctx, query, args...)
	return classify(err)
}
