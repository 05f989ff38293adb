package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"termtem/internal/imports"
	"termtem/internal/thai"
)

// Blocking in the database: which people already known a batch's
// undecided rows are compared with. Each row asks, in three passes, for the
// people sharing a compound key with it — never a name sound alone, nor a
// birth year alone, which at a million people are blocks of thousands:
//
//  1. the family name's sound (Thai or Latin spelling) with the birth year
//     or the year either side (a year typed one off) — the main pass;
//  2. the given name's sound with the full birth date, or with the day and
//     month swapped (the family name changed or misspelt); a row that has
//     only a year asks with the year;
//  3. a row with no birth year at all: the given and the family name's
//     sounds together, any year.
//
// Each pass is one query a batch and each key of a row one range of an
// index: (key, birth_year) of person_name_keys; people(birth_date) with the
// name sound checked on the primary key of person_name_keys; (key) with
// the other sound checked the same way. A key of one row that still
// matches more than maxBlockCandidates people is cut there (and counted:
// blockStats.Capped) — a key that common says little about who the row is,
// and the other passes still ask with narrower keys.
// (Christen, Data Matching, 2012, ch. 4: blocking keys built from several
// fields, several passes whose union is compared.)

// maxBlockCandidates bounds the people one key of one row reads.
const maxBlockCandidates = 100

// blockStats counts what a batch's blocking read, for the benchmarks.
type blockStats struct {
	Keys   int // keys asked (a row asks several)
	Capped int // keys cut at maxBlockCandidates
	// Found is how many people each pass found (a person found by
	// several keys counted for each).
	Found [3]int
	Full  bool
}

// blockQuery is one pass: the keys asked and the SQL that finds their
// people.
type blockQuery struct {
	// cols names the columns of an entry, the last one "i", the entry's
	// number, which comes back with each person found so that each key's
	// block is counted (and cut) on its own; types are their PostgreSQL
	// types.
	cols, types []string
	// count, when set, is how many people the pass's driving key may
	// match: the body is given the key's size up to count+1 as b.n and
	// reads none of a larger block (SQL below). Without count, b.n is 0
	// and the block is cut in Go.
	count int
	// sizeSQL counts the driving key's people (b.n); body finds the
	// people, from the entries as table b.
	sizeSQL, body string
	entries       [][]any
}

func (q *blockQuery) add(e ...any) { q.entries = append(q.entries, e) }

// The passes. The entries are a table (json_each on SQLite, unnest on
// PostgreSQL) materialised first, so that each entry is one search of an
// index and its block's size is counted once (stopping at count+1: a
// block of thousands costs a hundred steps, not thousands).
var (
	familyYearPass = blockQuery{
		cols: []string{"key", "lo", "hi", "i"}, types: []string{"text", "int", "int", "int"}, count: maxBlockCandidates,
		sizeSQL: `SELECT count(*) FROM (SELECT 1 FROM person_name_keys c WHERE c.key = q.key AND c.birth_year BETWEEN q.lo AND q.hi LIMIT ?) x`,
		body: `SELECT b.i, b.n, k.person_id FROM b LEFT JOIN person_name_keys k ON b.n <= ? AND k.key = b.key AND k.birth_year BETWEEN b.lo AND b.hi
			UNION ALL SELECT b.i, 0, k.person_id FROM b CROSS JOIN person_name_keys k WHERE k.key = b.key AND k.birth_year IS NULL`,
	}
	// The people born on the date, each checked for the sound on the
	// primary key of person_name_keys.
	givenDatePass = blockQuery{
		cols: []string{"key", "birth", "i"}, types: []string{"text", "text", "int"},
		body: `SELECT b.i, 0, p.id FROM b CROSS JOIN people p WHERE p.birth_date = b.birth
			AND EXISTS (SELECT 1 FROM person_name_keys k WHERE k.key = b.key AND k.person_id = p.id)`,
	}
	// Driven by the family name's sound in any year, each person checked
	// for the given name's; a family sound shared by thousands is not
	// searched (a row without a birth year and with so common a family
	// name is left to a data officer's search).
	bothNamesPass = blockQuery{
		cols: []string{"key", "other", "i"}, types: []string{"text", "text", "int"}, count: 20 * maxBlockCandidates,
		sizeSQL: `SELECT count(*) FROM (SELECT 1 FROM person_name_keys c WHERE c.key = q.key LIMIT ?) x`,
		body: `SELECT b.i, b.n, k.person_id FROM b LEFT JOIN person_name_keys k ON b.n <= ? AND k.key = b.key
			AND EXISTS (SELECT 1 FROM person_name_keys o WHERE o.key = b.other AND o.person_id = k.person_id)`,
	}
)

// rowKeys are the name sounds of a row's given and family names, each in
// its Thai and Latin spellings.
func rowKeys(names ...string) []string {
	var keys []string
	seen := map[string]bool{}
	for _, n := range names {
		for _, k := range thai.NameKeys(n) {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// swappedDate is the date with day and month exchanged, "" when that is
// no date or the same one.
func swappedDate(d string) string {
	if len(d) != 10 || d[5:7] == d[8:10] || d[8:10] > "12" || d[8:10] == "00" {
		return ""
	}
	return d[:5] + d[8:10] + "-" + d[5:7]
}

// candidateIDs returns the people already known that blocking pairs with
// the rows (each once, at most maxLinkageCandidates), and what it read.
func (t *Tx) candidateIDs(ctx context.Context, rows []*imports.Row) ([]string, blockStats, error) {
	fy, gd, gf := familyYearPass, givenDatePass, bothNamesPass
	n := 0
	next := func() int { n++; return n - 1 }
	// refine holds, for a family name's key with a birth year, the
	// narrower keys asked instead when its block is too large: the same
	// sound born on the row's date (or with day and month swapped).
	refine := map[int][]string{}
	for _, r := range rows {
		p := r.Person
		if p == nil {
			continue
		}
		family := rowKeys(p.FamilyName, p.FamilyNameLatin)
		given := rowKeys(p.GivenName, p.GivenNameLatin)
		y, hasYear := birthYear(p.BirthDate).(int)
		if !hasYear {
			for _, f := range family {
				for _, g := range given {
					gf.add(f, g, next())
				}
			}
			continue
		}
		dates := []string{}
		if len(p.BirthDate) == 10 {
			dates = append(dates, p.BirthDate)
			if s := swappedDate(p.BirthDate); s != "" {
				dates = append(dates, s)
			}
		}
		for _, f := range family {
			i := next()
			fy.add(f, y-1, y+1, i)
			for _, d := range dates {
				refine[i] = append(refine[i], f, d)
			}
		}
		for _, g := range given {
			if len(dates) == 0 {
				fy.add(g, y, y, next())
			}
			for _, d := range dates {
				gd.add(g, d, next())
			}
		}
	}
	st := blockStats{Keys: n}
	seen := make(map[string]bool)
	var ids []string
	found := make([][]string, n)
	passes := []*blockQuery{&fy, &gd, &gf}
	for pi, pass := range passes {
		var order []int
		asked, over := map[int]bool{}, map[int]bool{}
		err := t.blockPass(ctx, *pass, func(i, size int, id string) {
			if i < 0 || i >= n {
				return
			}
			if !asked[i] {
				asked[i] = true
				order = append(order, i)
			}
			if pass.count > 0 && size > pass.count {
				over[i] = true
			}
			if id != "" {
				st.Found[pi]++
				if len(found[i]) <= maxBlockCandidates {
					found[i] = append(found[i], id)
				}
			}
		})
		if err != nil {
			return nil, st, err
		}
		// A block larger than the bound is dropped whole (what of it was
		// read is an arbitrary slice) and, where the row allows, asked
		// again narrower in the next pass.
		for _, i := range order {
			if over[i] || len(found[i]) > maxBlockCandidates {
				st.Capped++
				for k := 0; k+1 < len(refine[i]); k += 2 {
					gd.add(refine[i][k], refine[i][k+1], next())
				}
				found[i] = nil
				continue
			}
			for _, id := range found[i] {
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
				if len(ids) >= maxLinkageCandidates {
					st.Full = true
					return ids, st, nil
				}
			}
			found[i] = nil
		}
		for len(found) < n {
			found = append(found, nil)
		}
	}
	st.Keys = n
	return ids, st, nil
}

// blockPass runs one pass, calling fn with each entry's number, the size
// of its driving key's block when the pass counts it (bounded: count+1
// means larger than count) and a person found ("" for none).
func (t *Tx) blockPass(ctx context.Context, q blockQuery, fn func(i, n int, id string)) error {
	if len(q.entries) == 0 {
		return nil
	}
	var from string
	var args []any
	if t.db.postgres {
		cols := make([][]any, len(q.cols))
		for _, e := range q.entries {
			for c, v := range e {
				cols[c] = append(cols[c], v)
			}
		}
		ps := make([]string, len(q.cols))
		for c := range cols {
			args = append(args, pgArray(cols[c]))
			ps[c] = "?::" + q.types[c] + "[]"
		}
		from = `SELECT * FROM unnest(` + strings.Join(ps, ", ") + `) AS u(` + strings.Join(q.cols, ", ") + `)`
	} else {
		b, _ := json.Marshal(q.entries)
		args = []any{string(b)}
		sel := make([]string, len(q.cols))
		for c, name := range q.cols {
			sel[c] = `json_extract(value, '$[` + strconv.Itoa(c) + `]') AS ` + name
		}
		from = `SELECT ` + strings.Join(sel, ", ") + ` FROM json_each(?)`
	}
	size := `0`
	if q.count > 0 {
		size = `(` + q.sizeSQL + `)`
		args = append(args, q.count+1, q.count)
	}
	sqlText := `WITH q AS MATERIALIZED (` + from + `), b AS MATERIALIZED (SELECT q.*, ` + size + ` AS n FROM q) ` + q.body
	rows, err := t.query(ctx, sqlText, args...)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var i, n int
		var id sql.NullString
		if err := rows.Scan(&i, &n, &id); err != nil {
			return classify(err)
		}
		fn(i, n, id.String)
	}
	return classify(rows.Err())
}

// pgArray is one column of entries as a typed slice for the driver.
func pgArray(c []any) any {
	switch c[0].(type) {
	case int:
		out := make([]int32, len(c))
		for i, v := range c {
			out[i] = int32(v.(int))
		}
		return out
	default:
		out := make([]string, len(c))
		for i, v := range c {
			out[i] = v.(string)
		}
		return out
	}
}
