package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"

	"termtem/internal/errs"
	"termtem/internal/people"
)

// Bulk-insert sizes. A transaction of about a thousand rows amortises the
// commit (an fsync on SQLite) without holding the single writer for long; a
// statement of a hundred rows keeps its parameters (11 a person) far below
// SQLite's 32,766 and PostgreSQL's 65,535.
const (
	insertBatchRows     = 1000
	insertStatementRows = 100
)

const (
	householdInsertHead = `INSERT INTO households (id, community_id, address, created_at, updated_at) VALUES `
	householdInsertRow  = `(?, ?, ?, ?, ?)`
	personInsertHead    = `INSERT INTO people (id, household_id, title, given_name, family_name, nickname, sex, birth_date, relation, created_at, updated_at) VALUES `
	personInsertRow     = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// insertSQL caches the multi-row statements by table and row count, so the
// full-size statement is built (and rebound) once.
var insertSQL sync.Map

func multiRowInsert(head, row string, n int) string {
	type key struct {
		head string
		n    int
	}
	k := key{head, n}
	if q, ok := insertSQL.Load(k); ok {
		return q.(string)
	}
	var b strings.Builder
	b.Grow(len(head) + n*(len(row)+2))
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	q := b.String()
	insertSQL.Store(k, q)
	return q
}

// InsertHouseholds stores new households and people in transactions of about
// 1,000 rows; each transaction is all-or-nothing, so a failure leaves the
// earlier batches stored. A household and the people right after it in ps
// (each household's members together, in the order of hs) go into the same
// transaction; people in any other order are stored after all the
// households, so a person's household is always stored first. IDs are the
// caller's.
func (db *DB) InsertHouseholds(ctx context.Context, hs []people.Household, ps []people.Person) error {
	for i := range hs {
		if hs[i].ID == "" || hs[i].CommunityID == "" {
			return errs.Internalf("household %d: ID and CommunityID are required", i)
		}
	}
	for i := range ps {
		if ps[i].ID == "" || ps[i].GivenName == "" {
			return errs.Internalf("person %d: ID and GivenName are required", i)
		}
	}
	b := bulkInserter{db: db}
	j := 0 // the next person not yet given a batch
	hStart := 0
	pStart := 0
	for i := range hs {
		members := 0
		for j+members < len(ps) && ps[j+members].HouseholdID == hs[i].ID {
			members++
		}
		rows := (i - hStart) + (j - pStart)
		if rows > 0 && rows+1+members > insertBatchRows {
			if err := b.insert(ctx, hs[hStart:i], ps[pStart:j]); err != nil {
				return err
			}
			hStart, pStart = i, j
		}
		j += members
	}
	if err := b.insert(ctx, hs[hStart:], ps[pStart:j]); err != nil {
		return err
	}
	for rest := ps[j:]; len(rest) > 0; {
		n := min(len(rest), insertBatchRows)
		if err := b.insert(ctx, nil, rest[:n]); err != nil {
			return err
		}
		rest = rest[n:]
	}
	return nil
}

// bulkInserter reuses one argument slice across statements.
type bulkInserter struct {
	db   *DB
	args []any
}

// insert stores hs, then ps, in one transaction.
func (b *bulkInserter) insert(ctx context.Context, hs []people.Household, ps []people.Person) error {
	if len(hs) == 0 && len(ps) == 0 {
		return nil
	}
	return b.db.InTx(ctx, func(t *Tx) error {
		defer clear(b.args) // drop references to the caller's strings
		now := t.now()
		hw := multiInsert{t: t, head: householdInsertHead, row: householdInsertRow}
		for len(hs) > 0 {
			n := min(len(hs), insertStatementRows)
			args := b.args[:0]
			for _, h := range hs[:n] {
				args = append(args, h.ID, h.CommunityID, h.Address, now, now)
			}
			b.args = args
			if err := hw.exec(ctx, n, args); err != nil {
				return err
			}
			hs = hs[n:]
		}
		pw := multiInsert{t: t, head: personInsertHead, row: personInsertRow}
		for len(ps) > 0 {
			n := min(len(ps), insertStatementRows)
			args := b.args[:0]
			for i := range ps[:n] {
				p := &ps[i]
				args = append(args, p.ID, nullString(p.HouseholdID), p.Title, p.GivenName, p.FamilyName,
					p.Nickname, string(p.Sex), p.BirthDate, p.Relation, now, now)
			}
			b.args = args
			if err := pw.exec(ctx, n, args); err != nil {
				return err
			}
			ps = ps[n:]
		}
		return nil
	})
}

// multiInsert runs one table's multi-row INSERTs in a transaction. The
// full-size statement is prepared once per transaction (and closed with it):
// parsing the SQL again for every hundred rows took a fifth of the time on
// SQLite.
type multiInsert struct {
	t         *Tx
	head, row string
	full      *sql.Stmt
}

func (m *multiInsert) exec(ctx context.Context, n int, args []any) error {
	query := multiRowInsert(m.head, m.row, n)
	tx, ok := m.t.q.(*sql.Tx)
	if n < insertStatementRows || !ok {
		_, err := m.t.exec(ctx, query, args...)
		return classify(err)
	}
	if m.full == nil {
		st, err := tx.PrepareContext(ctx, m.t.db.rebind(query))
		if err != nil {
			return classify(err)
		}
		m.full = st
	}
	_, err := m.full.ExecContext(ctx, args...)
	return classify(err)
}

// CountHouseholds returns the number of households.
func (db *DB) CountHouseholds(ctx context.Context) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM households`).Scan(&n)
	return n, classify(err)
}

// CountPeople returns the number of people.
func (db *DB) CountPeople(ctx context.Context) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM people`).Scan(&n)
	return n, classify(err)
}

// CountPeopleByCommunity returns, per community ID, how many people live in
// its households. Communities without people are absent.
func (db *DB) CountPeopleByCommunity(ctx context.Context) (map[string]int, error) {
	rows, err := db.reader().query(ctx, `SELECT h.community_id, COUNT(*) FROM people p
		JOIN households h ON h.id = p.household_id GROUP BY h.community_id`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, classify(err)
		}
		out[id] = n
	}
	return out, classify(rows.Err())
}
