package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"time"

	"termtem/internal/suppress"
)

// Protecting a table along a view's path (dash_linked.go) decides the same
// families for every view below them: the city's family for every page,
// a district's for the district and everything under it. What a family
// decides depends only on the counts of its places and on what the
// families above it decided, and all of those only on the counters. So a
// family's result is kept, process-wide, under the version of the counter
// table it was computed from, and any view whose counters are at that
// version reuses it instead of reading and protecting the family again.
//
// The version is a token in dash_state, replaced in the same transaction
// as every change of the table's counters (dashApply, the rebuild). A
// view reads the versions and the counts in one snapshot (dashSnapshot),
// so what is kept under a version is exactly the counters at that version,
// on any node: a process-local memory keyed by a version every node reads
// from the database. Nothing published is ever computed from counts of two
// different states (a mark decided for one count and shown beside
// another could show a small count).

// dashVersionPrefix names the dash_state rows holding the counter tables'
// versions ("version:dash_flower").
const dashVersionPrefix = "version:"

// dashBump gives the counter tables tabs new versions. It runs last in the
// transaction's counter work, after the counter rows, so that on
// PostgreSQL the version rows are locked after the counter rows in every
// transaction (one lock order: no deadlock) and held only to the commit.
func (t *Tx) dashBump(ctx context.Context, tabs []int) error {
	if len(tabs) == 0 {
		return nil
	}
	var names []string
	for _, tab := range tabs {
		if n := dashVersionPrefix + dashTables[tab].name; !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	token := hex.EncodeToString(b)
	args := make([]any, 0, 2*len(names))
	for _, n := range names {
		args = append(args, n, token)
	}
	_, err := t.exec(ctx, multiRowInsert(`INSERT INTO dash_state (name, value) VALUES `, `(?, ?)`, len(names))+
		` ON CONFLICT (name) DO UPDATE SET value = excluded.value`, args...)
	return classify(err)
}

// allDashTables are every counter table's index.
func allDashTables() []int {
	out := make([]int, len(dashTables))
	for i := range out {
		out[i] = i
	}
	return out
}

// dashVersions are the counter tables' versions as this snapshot sees them
// (a table never changed since it was created has none: "").
type dashVersions map[string]string

// of is the version of the tables tabs together.
func (v dashVersions) of(tabs ...int) string {
	var b strings.Builder
	for _, tab := range tabs {
		b.WriteString(v[dashTables[tab].name])
		b.WriteByte('.')
	}
	return b.String()
}

func (t *Tx) dashVersions(ctx context.Context) (dashVersions, error) {
	rows, err := t.query(ctx, `SELECT name, value FROM dash_state WHERE name LIKE 'version:%'`)
	if err != nil {
		return nil, classify(err)
	}
	out := dashVersions{}
	return out, eachRow(rows, func(s scanner) error {
		var name, value string
		if err := s.Scan(&name, &value); err != nil {
			return err
		}
		out[strings.TrimPrefix(name, dashVersionPrefix)] = value
		return nil
	})
}

// dashSnapshot runs fn over one read transaction of the dashboard reader
// (the replica while it is close enough, else the read pool): every query
// fn makes sees the same state, the counter versions included.
func (db *DB) dashSnapshot(ctx context.Context, fn func(*Tx) error) error {
	pool := db.read
	if _, onReplica := db.dashReader(ctx).q.(replicaQueryer); onReplica {
		pool = db.replica
	}
	var opt *sql.TxOptions
	if db.postgres {
		// READ COMMITTED would take a new snapshot for every statement.
		opt = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := pool.BeginTx(ctx, opt)
	if err != nil && pool != db.read && unreachable(err) && ctx.Err() == nil {
		db.replicaDown.Store(time.Now().UnixNano())
		tx, err = db.read.BeginTx(ctx, opt)
	}
	if err != nil {
		return classify(err)
	}
	defer func() { _ = tx.Rollback() }()
	return fn(&Tx{q: tx, db: db})
}

// familyMemo keeps families' protection results by table, parameters,
// path and counter version (and, the same way, the published tables that
// are read for the viewed place alone: recall).
type familyMemo struct {
	mu  sync.Mutex
	m   map[string]memoEntry
	off bool // tests: compute every family afresh
}

type memoEntry struct {
	at time.Time
	v  any
}

// familyResult is one family as protected: its places below (in order),
// their counts, the counts of the place at its top, and the marks.
type familyResult struct {
	sets  []string
	below [][][]int64
	own   [][]int64
	fam   suppress.Linked
}

const (
	// familyMemoMax bounds the memory: past it the memo starts afresh. A
	// family is a few kilobytes; the city's tables for every page of a
	// million-person city are a few thousand families.
	familyMemoMax = 20000
	// familyMemoTTL: a result is not used longer than this even when the
	// version has not moved, so that counters changed outside the store
	// (an older node during an upgrade, an operator's SQL) show within it.
	familyMemoTTL = 10 * time.Minute
)

func (m *familyMemo) get(key string, sets []string, now time.Time) *familyResult {
	r, _ := m.recall(key, now).(*familyResult)
	if r == nil || !slices.Equal(r.sets, sets) {
		return nil
	}
	return r
}

// recall is what was kept under key, or nil.
func (m *familyMemo) recall(key string, now time.Time) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[key]
	if m.off || !ok || now.Sub(e.at) > familyMemoTTL {
		return nil
	}
	return e.v
}

// put keeps v under key; what is kept is never changed afterwards.
func (m *familyMemo) put(key string, v any, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.off {
		return
	}
	if m.m == nil || len(m.m) >= familyMemoMax {
		m.m = map[string]memoEntry{}
	}
	m.m[key] = memoEntry{now, v}
}

// onDemand reads places' counts as they are asked for, each place once a
// view (a table's families kept by the memo need none).
type onDemand[T any] struct {
	have map[string]T
	read func(ids []string) (map[string]T, error)
}

func newOnDemand[T any](read func(ids []string) (map[string]T, error)) *onDemand[T] {
	return &onDemand[T]{have: map[string]T{}, read: read}
}

func (o *onDemand[T]) get(ids []string) (map[string]T, error) {
	var need []string
	for _, id := range ids {
		if _, ok := o.have[id]; !ok && !slices.Contains(need, id) {
			need = append(need, id)
		}
	}
	if len(need) == 0 {
		return o.have, nil
	}
	got, err := o.read(need)
	if err != nil {
		return nil, err
	}
	for _, id := range need {
		o.have[id] = got[id]
	}
	return o.have, nil
}
