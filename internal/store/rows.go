package store

import (
	"context"
	"database/sql"
)

// queryAll runs a read and scans every row of it: the loop every list of
// the store would otherwise write out again.
func queryAll[T any](ctx context.Context, t *Tx, q string, args []any, scan func(*sql.Rows) (T, error)) ([]T, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, x)
	}
	return out, classify(rows.Err())
}

// listLimit is a list's page: what was asked for between 1 and 500, else 200.
func listLimit(n int) int {
	if n <= 0 || n > 500 {
		return 200
	}
	return n
}
