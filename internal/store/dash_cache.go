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
// families above it decided, and all of those only on the counters of the
// places of the families from the city down. So a family's result is
// kept, process-wide, under the versions of those places' counters, and
// any view that finds the same versions reuses it instead of reading and
// protecting the family again; the counts of a place are kept the same
// way, so that after a change only the places whose counters moved (the
// changed community and the places above it) are read again.
//
// The versions are tokens in dash_state: one for each counter table and
// place ("version:dash_flower:<place>"), replaced in the same transaction
// as every change of that place's rows of the table (dashApply), and one
// for each table ("version:dash_flower"), replaced by the rebuild. A view
// reads the versions and the counts in one snapshot (dashSnapshot), so
// what is kept under versions is exactly the counters at those versions,
// on any node: a process-local memory keyed by versions every node reads
// from the database. Nothing published is ever computed from counts of two
// different states (a mark decided for one count and shown beside another
// could show a small count).

// dashVersionPrefix begins the names of the dash_state rows holding the
// counters' versions.
const dashVersionPrefix = "version:"

// dashVersionName is the name of a table's version (place "") or of a
// place's rows of it.
func dashVersionName(tab int, place string) string {
	if place == "" {
		return dashVersionPrefix + dashTables[tab].name
	}
	return dashVersionPrefix + dashTables[tab].name + ":" + place
}

// dashRowVersion is the version a counter row's change renews: its
// table's at its place; for the referrals, at its place and month (a
// view reads them a month at a time: referralMonths).
func dashRowVersion(k dashKey) string {
	if k.tab == tabReferrals {
		return dashVersionName(k.tab, k.place) + "@" + k.k[0]
	}
	return dashVersionName(k.tab, k.place)
}

// dashBump gives new versions to the names (dashVersionName). It runs last
// in the transaction's counter work, after the counter rows, so that on
// PostgreSQL the version rows are locked after the counter rows in every
// transaction (one lock order, sorted: no deadlock) and held only to the
// commit.
func (t *Tx) dashBump(ctx context.Context, names []string) error {
	names = slices.Clone(names)
	slices.Sort(names)
	names = slices.Compact(names)
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	token := hex.EncodeToString(b)
	for len(names) > 0 {
		n := min(len(names), 400)
		args := make([]any, 0, 2*n)
		for _, name := range names[:n] {
			args = append(args, name, token)
		}
		if _, err := t.exec(ctx, multiRowInsert(`INSERT INTO dash_state (name, value) VALUES `, `(?, ?)`, n)+
			` ON CONFLICT (name) DO UPDATE SET value = excluded.value`, args...); err != nil {
			return classify(err)
		}
		names = names[n:]
	}
	return nil
}

// dashVersions are the counters' versions as one snapshot sees them, by
// dashVersionName (one never changed since it was created is absent: "").
type dashVersions map[string]string

// of is the version of the tables tabs together, at place ("": the
// tables' own).
func (v dashVersions) of(place string, tabs ...int) string {
	var b strings.Builder
	for _, tab := range tabs {
		b.WriteString(v[dashVersionName(tab, place)])
		b.WriteByte('.')
	}
	return b.String()
}

// dashVersions reads the versions of every counter table, and of every
// table at each of places.
func (t *Tx) dashVersions(ctx context.Context, places []string) (dashVersions, error) {
	var names []string
	for tab := range dashTables {
		names = append(names, dashVersionName(tab, ""))
		for _, p := range places {
			names = append(names, dashVersionName(tab, p))
		}
	}
	out, err := t.readDashState(ctx, names)
	if err != nil {
		return nil, err
	}
	t.db.families.salted(out, places)
	return out, nil
}

// readDashState reads the dash_state rows named, by name (a name without
// a row is absent).
func (t *Tx) readDashState(ctx context.Context, names []string) (map[string]string, error) {
	out := map[string]string{}
	if len(names) == 0 {
		return out, nil
	}
	rows, err := t.query(ctx, `SELECT name, value FROM dash_state WHERE name IN (`+placeholders(len(names))+`)`, anyArgs(names)...)
	if err != nil {
		return nil, classify(err)
	}
	return out, eachRow(rows, func(s scanner) error {
		var name, value string
		if err := s.Scan(&name, &value); err != nil {
			return err
		}
		out[name] = value
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

// familyMemo keeps families' protection results (and, the same way,
// places' counts and the published tables read for the viewed place alone)
// by slot — the table, its parameters and the places — with the counter
// versions they were computed from. A slot holds one version: a result for
// newer versions replaces the older, so under a steady flow of writes the
// memo holds one result a slot, not one a write (results under versions no
// view will read again would otherwise fill it to its cap).
type familyMemo struct {
	mu  sync.Mutex
	m   map[string]memoEntry
	off bool // tests: compute every family afresh
	// salt, in benchmarks, is added to places' versions, standing for a
	// change of their counters without writing any.
	salt map[string]string
}

func (m *familyMemo) salted(v dashVersions, places []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range places {
		if x, ok := m.salt[p]; ok {
			for tab := range dashTables {
				v[dashVersionName(tab, p)] += x
			}
		}
	}
}

type memoEntry struct {
	at      time.Time
	version string
	v       any
}

// familyResult is one family as protected: its places below (in order),
// their counts, the counts of the place at its top, and the marks.
type familyResult struct {
	below [][][]int64
	own   [][]int64
	fam   suppress.Linked
}

const (
	// familyMemoMax bounds the memory: past it the memo starts afresh. A
	// family or a place's counts is at most a few kilobytes; every page of
	// a million-person city is about 2,000 places, each with about twenty
	// tables (and a trend month each): the slots of every page.
	familyMemoMax = 100000
	// familyMemoTTL: a result is not used longer than this even when the
	// version has not moved, so that counters changed outside the store
	// (an older node during an upgrade, an operator's SQL) show within it.
	familyMemoTTL = 10 * time.Minute
)

// recall is what was kept in slot for version, or nil.
func (m *familyMemo) recall(slot, version string, now time.Time) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[slot]
	if m.off || !ok || e.version != version || now.Sub(e.at) > familyMemoTTL {
		return nil
	}
	return e.v
}

// put keeps v in slot for version, in place of what the slot held; what is
// kept is never changed afterwards.
func (m *familyMemo) put(slot, version string, v any, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.off {
		return
	}
	if m.m == nil || len(m.m) >= familyMemoMax {
		m.m = map[string]memoEntry{}
	}
	m.m[slot] = memoEntry{now, version, v}
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

// dashTableVersions are the names of every counter table's own version,
// which the rebuild replaces (every key of the memo holds them).
func dashTableVersions() []string {
	out := make([]string, len(dashTables))
	for tab := range dashTables {
		out[tab] = dashVersionName(tab, "")
	}
	return out
}
