package store

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL a bulk writer sends its rows with COPY instead of multi-row
// INSERTs: the server neither parses nor binds a statement of thousands of
// parameters, and a batch's rows of one table go in one round trip. The
// rows are the same and the transaction is the caller's, so a batch is
// still all or nothing.

// copyFlushRows bounds the rows a COPY writer holds before sending them.
const copyFlushRows = 5000

// copyTarget is a bulk table's name and columns, read from its INSERT.
type copyTarget struct {
	table   pgx.Identifier
	columns []string
}

var (
	insertHead  = regexp.MustCompile(`(?s)^INSERT INTO (\w+) \((.*)\) VALUES $`)
	copyTargets sync.Map // head → copyTarget
)

func copyTargetOf(head string) (copyTarget, error) {
	if v, ok := copyTargets.Load(head); ok {
		return v.(copyTarget), nil
	}
	m := insertHead.FindStringSubmatch(strings.TrimSpace(head) + " ")
	if m == nil {
		return copyTarget{}, errors.New("bulk table head is not a plain INSERT")
	}
	ct := copyTarget{table: pgx.Identifier{m[1]}}
	for _, c := range strings.Split(m[2], ",") {
		ct.columns = append(ct.columns, strings.TrimSpace(c))
	}
	copyTargets.Store(head, ct)
	return ct, nil
}

// copies reports whether the writer sends its rows with COPY.
func (w *bulkWriter) copies() bool { return w.t.db.postgres && w.t.conn != nil && w.tail == "" }

// copy sends n queued rows (args, row after row) with COPY on the
// transaction's connection.
func (w *bulkWriter) copy(ctx context.Context, n int, args []any) error {
	ct, err := copyTargetOf(w.tab.head)
	if err != nil {
		return err
	}
	width := len(ct.columns)
	if width == 0 || len(args) != n*width {
		return errors.New("bulk copy: row width does not match the columns")
	}
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = args[i*width : (i+1)*width]
	}
	return classify(w.t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("bulk copy: not a pgx connection")
		}
		_, err := c.Conn().CopyFrom(ctx, ct.table, ct.columns, pgx.CopyFromRows(rows))
		return err
	}))
}
