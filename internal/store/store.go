// Package store is Termtem's one SQL store. The same hand-written SQL runs on
// embedded SQLite (the default: one file, no set-up) and on PostgreSQL (when a
// postgres:// URL is configured). Queries are written with ? placeholders and
// rebound to $n for PostgreSQL.
package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"termtem/internal/errs"
	"termtem/internal/flower"
)

// DB is the store. Writes go through one connection on SQLite, because SQLite
// has one writer at a time and queueing in Go is kinder than busy-waiting;
// reads use a pool. On PostgreSQL both are the same pool.
type DB struct {
	write *sql.DB
	read  *sql.DB
	// replica, when set, is a PostgreSQL streaming replica for reads that
	// may lag the primary (see lagging).
	replica *sql.DB
	// replicaDown is when the replica last failed to answer (Unix
	// nanoseconds; 0: never): lagging reads go to the primary for a while.
	replicaDown atomic.Int64
	// replicaMaxLag bounds how far behind a dashboard may read.
	replicaMaxLag time.Duration
	postgres      bool
	path          string // the SQLite file
	ckpt          *checkpointer
	bulkStmts     sqliteStmts // the bulk writers' statements (SQLite)
	audits        auditGroup
	// readStmts are the read pool's prepared statements (SQLite), and
	// writeStmts the writer's (nil for a query that did not prepare
	// outside its transaction; see prepareWrites).
	readStmts, writeStmts stmtCache
	// tokenTouches remembers when TouchAPIToken last wrote, per token ID.
	tokenTouches sync.Map
	// writes counts this process's committed write transactions (see
	// WriteGeneration).
	writes atomic.Uint64
	// families keeps the dashboards' protected families by counter
	// version (dash_cache.go).
	families familyMemo
	// dashOff, in benchmarks, keeps no dashboard counters (the cost of
	// a write without them).
	dashOff bool
	// communities caches community and district codes (CommunityCodes).
	communities communityCache
	// Now is the store's clock; tests move it to check expiry rules.
	Now func() time.Time
	// changeApplied, in tests, is called between applying an offline
	// change and committing it, to stand for a server dying there.
	changeApplied func(changeID string) error
	// AuditKey keys the audit chain's HMAC; it lives outside the database
	// (a file or the environment), so that write access to the database is
	// not enough to forge the chain.
	AuditKey []byte
	// viewers caches each signed-in user's served areas (scope.go).
	viewers sync.Map
	// DataKey encrypts the data of sensitive service records (AES-256-GCM);
	// like AuditKey it lives outside the database.
	DataKey []byte
	// AlertPolicy sets the deadlines of early-warning alerts (zero fields
	// take flower's defaults).
	AlertPolicy flower.AlertPolicy
	// Channels are the notification channels configured (Enqueue writes
	// deliveries for these only).
	Channels Channels
	// MinistryContact is the organisation (ID) that receives system
	// constraints escalated beyond Bangkok's child-protection committee;
	// empty: none is configured and Bangkok is the top.
	MinistryContact string
	// LinkageAutoTrain: after an import job, linkage weights are trained
	// again once imports have recorded this many candidate pairs since the
	// last training (0: 50,000; negative: never automatically).
	LinkageAutoTrain int64
}

// Options select and tune the database.
type Options struct {
	DataDir     string // for SQLite
	DatabaseURL string // postgres://…; when set, DataDir is ignored
	// ReplicaURL is a streaming replica of DatabaseURL (optional).
	ReplicaURL string
	// ReplicaMaxLag: dashboards read the replica only while it is at most
	// this far behind (0: one minute).
	ReplicaMaxLag time.Duration
	// SQLiteFile overrides the file name inside DataDir (tests).
	SQLiteFile string
	// DataKey encrypts sensitive records. Empty on SQLite: a key file
	// beside the database (made on first use); empty on PostgreSQL: writing
	// a sensitive record fails until a key is configured.
	DataKey []byte
	// Tests of the SQLite checkpointer (checkpoint.go): the writer's own
	// wal_autocheckpoint (0: walWriterBackstop) and a call after every
	// background checkpoint.
	walBackstop  int
	checkpointed func(commits uint64, busy, log, done int)
}

// DataKeyFile is the key file kept beside an SQLite database when no data
// key is configured.
const DataKeyFile = "data.key"

// SQLiteFileName is the database file inside the data directory.
const SQLiteFileName = "termtem.db"

// Open connects, checks the database answers, and returns the store. It does
// not migrate: call Migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	var db *DB
	var err error
	if o.DatabaseURL != "" {
		db, err = openPostgres(ctx, o.DatabaseURL)
	} else {
		db, err = openSQLite(ctx, o)
	}
	if err != nil {
		return nil, err
	}
	if o.ReplicaURL != "" {
		if o.DatabaseURL == "" {
			db.Close()
			return nil, errors.New("a replica needs a PostgreSQL primary")
		}
		r, err := openPostgres(ctx, o.ReplicaURL)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("replica: %w", err)
		}
		db.replica = r.read
		db.replicaMaxLag = o.ReplicaMaxLag
		if db.replicaMaxLag <= 0 {
			db.replicaMaxLag = time.Minute
		}
	}
	db.DataKey = o.DataKey
	if len(db.DataKey) == 0 && o.DatabaseURL == "" {
		if db.DataKey, err = KeyFile(o.DataDir, DataKeyFile); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// SQLite's page caches, in KiB, and the readers that each have one: their
// sum is most of the server's memory (see openSQLite and
// TestSQLitePageCachesFitTheBudget). The sizes are SQLite's own count; the
// memory they take is about twice that: modernc's allocator gives each
// cached page (4 KiB and SQLite's header for it) an 8 KiB slot, and a full
// 32 MB cache measured 63.5 MB of resident memory (24 November 2026).
const (
	writerCacheKiB = 32 << 10
	// bulkWriterCacheKiB is the writer's cache during a bulk insert's
	// transaction only (bulk_insert.go).
	bulkWriterCacheKiB = 128 << 10
	readerCacheKiB     = 32 << 10
	sqliteReaders      = 6
	// The checkpointer's connection (checkpoint.go) reads only the log's
	// index and the pages it copies.
	checkpointCacheKiB = 2 << 10
)

func openSQLite(ctx context.Context, o Options) (*DB, error) {
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", o.DataDir, err)
	}
	name := o.SQLiteFile
	if name == "" {
		name = SQLiteFileName
	}
	path := filepath.Join(o.DataDir, name)
	// synchronous=FULL: a write acknowledged to a nurse survives a power cut.
	// _txlock=immediate: a write transaction takes the write lock at BEGIN, so
	// two writers never deadlock upgrading a read lock.
	pragmas := "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	// The writer keeps 32 MB of pages (SQLite's default is 2 MB): each
	// audited read adds a row to the audit indexes at a random place (the
	// object read), and re-reading those index pages from the file was a
	// third of the read audit's commit time. 64 MB cost the server about
	// 42 MB more resident memory under the API mix at a million people (the
	// writer's cache is the one commits never empty) for no lookup CPU
	// measurably saved (485 against 490 µs a lookup, five pairs of runs,
	// 24 November 2026). Temporary tables stay in
	// memory; checkpoints are mostly left to the checkpointer (checkpoint.go).
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=cache_size(-"+strconv.Itoa(writerCacheKiB)+")&_pragma=temp_store(MEMORY)"+
		"&_txlock=immediate&_pragma=wal_autocheckpoint("+strconv.Itoa(cmp.Or(o.walBackstop, walWriterBackstop))+")")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	// Readers get a larger page cache (32 MB each, against SQLite's 2 MB)
	// and sort in memory: a name search at a million people otherwise spent
	// a third of its time in read syscalls, and at 16 MB a search took
	// three to four times as long (p50 66 against 15 ms, 24 November).
	// Six readers, not eight: eight such caches and the writer's add up to
	// 322 MB, past the server's 300 MB budget, and lookups were as fast
	// with six (3,430 against 3,489 a second, same run).
	readPragmas := "&_pragma=query_only(1)&_pragma=cache_size(-" + strconv.Itoa(readerCacheKiB) + ")&_pragma=temp_store(MEMORY)"
	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+readPragmas)
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(sqliteReaders)
	// Keep them all: database/sql keeps 2 idle by default, and opening a
	// SQLite connection (pragmas, schema parse) cost a sixth of a lookup's
	// CPU under concurrent reads.
	read.SetMaxIdleConns(sqliteReaders)
	read.SetConnMaxIdleTime(0)
	ckpt, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=cache_size(-"+strconv.Itoa(checkpointCacheKiB)+")")
	if err != nil {
		write.Close()
		read.Close()
		return nil, err
	}
	ckpt.SetMaxOpenConns(1)
	ckpt.SetConnMaxIdleTime(0)
	db := &DB{write: write, read: read, path: path, Now: time.Now, ckpt: startCheckpointer(ckpt, o.checkpointed)}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, rawURL string) (*DB, error) {
	pool, err := sql.Open("pgx", rawURL)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL URL for %s: %w", RedactURL(rawURL), err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(20)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{write: pool, read: pool, postgres: true, Now: time.Now}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", RedactURL(rawURL), redactErr(err, rawURL))
	}
	return db, nil
}

// RedactURL shows where a database URL points without its password.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

func redactErr(err error, raw string) error {
	u, perr := url.Parse(raw)
	if perr != nil || u.User == nil {
		return err
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		return errors.New(strings.ReplaceAll(err.Error(), pw, "xxxxx"))
	}
	return err
}

// Postgres reports whether the store runs on PostgreSQL.
func (db *DB) Postgres() bool { return db.postgres }

// Ping checks that the database answers a query (readiness).
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close releases the connections.
func (db *DB) Close() error {
	db.stopAudits()
	db.readStmts.close()
	db.writeStmts.close()
	db.ckpt.stop()
	if !db.postgres {
		db.bulkStmts.close(context.Background(), db.write)
	}
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	if db.replica != nil {
		err = errors.Join(err, db.replica.Close())
	}
	return err
}

// NewID makes a UUIDv7: time-ordered, so new rows land at the end of indexes,
// and made in Go, so no database sequence is needed.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// queryer is what *sql.DB and *sql.Tx have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a transaction (or, for reads, the read pool) that rebinds
// placeholders for the dialect in use.
type Tx struct {
	q  queryer
	db *DB
	// dash holds the dashboard contributions of the subjects this
	// transaction changes, from before the change (dash_agg.go).
	dash *dashPending
	// conn is the connection a write transaction runs on, for what must
	// reach the driver inside it: COPY on PostgreSQL, the bulk writers'
	// kept statements on SQLite (bulk_stmts.go); nil for reads.
	conn *sql.Conn
	// madeID is what the transaction makes, for a form's sending (form_sends.go).
	madeID string
	// unprepared are the statements this SQLite write transaction ran
	// without a prepared statement, to prepare once it ends (stmtcache.go).
	unprepared []string
}

func (t *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.cached(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.q.ExecContext(ctx, t.db.rebind(query), args...)
}

func (t *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.cached(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.q.QueryContext(ctx, t.db.rebind(query), args...)
}

func (t *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.cached(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.q.QueryRowContext(ctx, t.db.rebind(query), args...)
}

// stmt is a statement prepared for the statements of a transaction that
// repeat many times (the dashboard counters), so that it is parsed once.
type stmt struct{ st *sql.Stmt }

func (s stmt) exec(ctx context.Context, args ...any) (sql.Result, error) {
	return s.st.ExecContext(ctx, args...)
}

// Close closes the statement; a zero stmt (never prepared) is fine.
func (s stmt) Close() {
	if s.st != nil {
		s.st.Close()
	}
}

// prepare prepares query on the transaction (or the pool it reads from).
func (t *Tx) prepare(ctx context.Context, query string) (stmt, error) {
	p, ok := t.q.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	})
	if !ok {
		return stmt{}, errs.Internalf("prepare: %T cannot prepare statements", t.q)
	}
	st, err := p.PrepareContext(ctx, t.db.rebind(query))
	if err != nil {
		return stmt{}, classify(err)
	}
	return stmt{st}, nil
}

// now is the store clock, as stored text.
func (t *Tx) now() string { return ts(t.db.Now()) }

// reader returns a Tx over the read pool, for single queries outside a transaction.
func (db *DB) reader() *Tx { return &Tx{q: db.read, db: db} }

// lagging returns a Tx over the replica when one is configured, else over
// the read pool. It is for reads that may miss the last moments' writes —
// search, dashboards, exports — never for a read that must see a write
// just made (a page shown after saving, a version check, access rules),
// and never for writes: audit rows of these reads go to the primary
// through Audit as always.
func (db *DB) lagging() *Tx {
	if db.replica != nil && time.Since(time.Unix(0, db.replicaDown.Load())) > replicaRetry {
		return &Tx{q: replicaQueryer{db}, db: db}
	}
	return db.reader()
}

// replicaRetry is how long lagging reads stay on the primary after the
// replica failed to answer.
const replicaRetry = 10 * time.Second

// laggingWithin is lagging for reads that may be a little behind but not
// much: the replica serves them only while its replay is at most maxLag
// behind what it has received from the primary (a paused or slow replay,
// a long query holding it back); further behind, or unreachable, the
// primary does. The check costs one small query on the replica.
func (db *DB) laggingWithin(ctx context.Context, maxLag time.Duration) *Tx {
	r := db.lagging()
	if _, onReplica := r.q.(replicaQueryer); !onReplica {
		return r
	}
	var lag float64
	err := r.queryRow(ctx, `SELECT CASE WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
		ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END`).Scan(&lag)
	if err != nil || lag > maxLag.Seconds() {
		return db.reader()
	}
	return r
}

// replicaQueryer reads from the replica and, when the replica cannot be
// reached (stopped, promoted away, network), from the primary instead: a
// replica is a convenience, never a reason for a search to fail.
type replicaQueryer struct{ db *DB }

func (r replicaQueryer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.db.write.ExecContext(ctx, query, args...) // lagging reads never write; kept for the interface
}

func (r replicaQueryer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := r.db.replica.QueryContext(ctx, query, args...)
	if err != nil && unreachable(err) && ctx.Err() == nil {
		r.db.replicaDown.Store(time.Now().UnixNano())
		return r.db.read.QueryContext(ctx, query, args...)
	}
	return rows, err
}

func (r replicaQueryer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	row := r.db.replica.QueryRowContext(ctx, query, args...)
	if err := row.Err(); err != nil && unreachable(err) && ctx.Err() == nil {
		r.db.replicaDown.Store(time.Now().UnixNano())
		return r.db.read.QueryRowContext(ctx, query, args...)
	}
	return row
}

// HasReplica reports whether lagging reads go to a replica.
func (db *DB) HasReplica() bool { return db.replica != nil }

// InTx runs fn in a write transaction, committing when fn returns nil.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	// Counted after the commit, never before: a cache filled from a read
	// that raced with this transaction was filled under the old generation
	// and is dropped (see WriteGeneration).
	defer db.writes.Add(1)
	var sent *Once
	err := db.inTx(ctx, func(t *Tx) error {
		if err := fn(t); err != nil {
			return err
		}
		// A form's sending is recorded with what it made, or the
		// transaction is undone as a repeat of it.
		var err error
		if sent, err = t.recordOnce(ctx); err != nil {
			return err
		}
		// The dashboard counters move with the change, in its transaction.
		return t.dashFinish(ctx)
	})
	if err == nil && sent != nil {
		sent.done = true
	}
	if err != nil {
		err = db.sentBefore(ctx, err)
	}
	return err
}

// inTx is InTx without counting the write, for transactions that change
// nothing a cache may hold (the read audit's group commit).
func (db *DB) inTx(ctx context.Context, fn func(*Tx) error) error {
	t := &Tx{db: db}
	err := db.inTxOn(ctx, t, fn)
	if len(t.unprepared) > 0 {
		db.prepareWrites(ctx, t.unprepared)
	}
	return err
}

// inTxOn runs fn in a write transaction on the writer's connection,
// given back when it returns.
func (db *DB) inTxOn(ctx context.Context, t *Tx, fn func(*Tx) error) error {
	var conn *sql.Conn
	var tx *sql.Tx
	var err error
	// On a connection of its own, so that bulk writes can reach the driver
	// inside the transaction: COPY on PostgreSQL, statements kept prepared
	// across transactions on SQLite (bulk_stmts.go).
	if conn, err = db.write.Conn(ctx); err != nil {
		return classify(err)
	}
	defer conn.Close()
	tx, err = conn.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	t.q, t.conn = tx, conn
	if err := fn(t); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err = tx.Commit(); err == nil {
		db.ckpt.committed()
	}
	return classify(err)
}

var rebindCache sync.Map

// rebind turns ? placeholders into $1, $2, … for PostgreSQL. Queries never
// contain a literal question mark, so a plain scan is enough.
func (db *DB) rebind(q string) string {
	if !db.postgres {
		return q
	}
	if v, ok := rebindCache.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	rebindCache.Store(q, b.String())
	return b.String()
}

const timeLayout = "2006-01-02T15:04:05.000Z"

// ts formats a time for storage: fixed-width UTC text sorts as time does.
func ts(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTS(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func parseNullTS(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := parseTS(s.String)
	return &t
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// classify turns driver errors the user can act on into errs codes.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if e := errs.As(err); e.Err != err && e.Code != errs.Internal {
		return err // classified already
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return errs.Wrap(errs.Conflict, "error.duplicate", err)
		case "23503":
			return errs.Wrap(errs.Invalid, "error.reference_missing", err)
		}
	}
	if unreachable(err) {
		return errs.Wrap(errs.Unavailable, "error.database_unreachable", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errs.Wrap(errs.Unavailable, "faults_timeout", err)
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errs.Wrap(errs.Conflict, "error.duplicate", err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errs.Wrap(errs.Invalid, "error.reference_missing", err)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(errs.NotFound, "error.not_found", err)
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	return errs.Wrap(errs.Internal, "error.internal", err)
}

// unreachable reports whether err says the database could not be reached
// or the connection broke (PostgreSQL restarting, the network down): the
// request fails with 503 and the pool reconnects on the next one.
func unreachable(err error) bool {
	// Connection exceptions (08…) and the server shutting down or
	// starting (57P01–57P03): a restart or fail-over, not a bug.
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		pgconn.Timeout(err) || pgconn.SafeToRetry(err)
}
