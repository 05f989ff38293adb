package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/linkage"
)

// ActionLinkageTrained is the audit action of a new model of linkage
// weights: the only way the weights imports use ever change.
const ActionLinkageTrained = "linkage.model_trained"

// Causes of a training.
const (
	TrainedByCommand = "command" // termtem linkage train
	TrainedByImport  = "import"  // after an import job, enough new pairs
)

// LinkageModel is one trained version of the linkage weights (version 0:
// the built-in defaults, before any training).
type LinkageModel struct {
	ID      string
	Version int
	Model   *linkage.Model
	// BlockedPairs is how many candidate pairs (Patterns distinct
	// agreement patterns) EM ran over; RandomPairs how many random pairs u
	// was estimated from.
	BlockedPairs int64
	Patterns     int
	RandomPairs  int
	Iterations   int
	Converged    bool
	Delta        float64
	// PairsSeen is how many pairs imports had recorded by then.
	PairsSeen int64
	Cause     string
	TrainedBy string
	TrainedAt time.Time
	Seconds   float64
}

// TrainOptions bound a training. Zero fields take the defaults.
type TrainOptions struct {
	// MaxPairs: EM runs over the most recent batches' patterns up to this
	// many pairs (default 5,000,000). The patterns are counts, so memory
	// grows with the number of distinct patterns (hundreds), not pairs.
	MaxPairs int64
	// MinPairs: fewer recorded pairs than this are refused (default 2,000):
	// EM on a handful of pairs gives weights nobody should trust.
	MinPairs int64
	// RandomPairs: how many random pairs of people u is estimated from
	// (default 20,000; at most 2 × this many people are read).
	RandomPairs int
	// Iterations and Tolerance bound EM (defaults 500 and 1e-6).
	Iterations int
	Tolerance  float64
	Cause      string
	// Seed makes the random sample repeatable in tests (0: by the clock).
	Seed uint64
}

func (o *TrainOptions) defaults() {
	if o.MaxPairs <= 0 {
		o.MaxPairs = 5_000_000
	}
	if o.MinPairs <= 0 {
		o.MinPairs = 2000
	}
	if o.RandomPairs <= 0 {
		o.RandomPairs = 20000
	}
	if o.Iterations <= 0 {
		o.Iterations = 500
	}
	if o.Tolerance <= 0 {
		o.Tolerance = 1e-6
	}
	if o.Cause == "" {
		o.Cause = TrainedByCommand
	}
}

// modelCache keeps the parsed newest model: imports ask for it every
// batch, and it changes only when someone trains.
type modelCache struct {
	mu sync.Mutex
	m  LinkageModel
}

var linkageModels sync.Map // *DB → *modelCache

func (db *DB) modelCache() *modelCache {
	c, _ := linkageModels.LoadOrStore(db, &modelCache{})
	return c.(*modelCache)
}

const linkageModelColumns = `id, version, model, blocked_pairs, patterns, random_pairs, iterations, converged, delta, pairs_seen, cause,
	trained_by, trained_at, seconds`

func scanLinkageModel(s interface{ Scan(...any) error }) (LinkageModel, error) {
	var m LinkageModel
	var js, at string
	err := s.Scan(&m.ID, &m.Version, &js, &m.BlockedPairs, &m.Patterns, &m.RandomPairs, &m.Iterations, &m.Converged, &m.Delta,
		&m.PairsSeen, &m.Cause, &m.TrainedBy, &at, &m.Seconds)
	if err != nil {
		return m, err
	}
	m.TrainedAt = parseTS(at)
	m.Model = &linkage.Model{}
	if err := json.Unmarshal([]byte(js), m.Model); err != nil {
		return m, errs.Internalf("linkage model %d: %w", m.Version, err)
	}
	return m, nil
}

// currentLinkageModel returns the newest model (version 0, the defaults,
// before the first training), read in t so that a batch decides with the
// model its own transaction sees.
func (t *Tx) currentLinkageModel(ctx context.Context) (LinkageModel, error) {
	var v int
	err := t.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM linkage_models`).Scan(&v)
	if err != nil {
		return LinkageModel{}, classify(err)
	}
	if v == 0 {
		return LinkageModel{Model: linkage.Default(), Cause: "default"}, nil
	}
	c := t.db.modelCache()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m.Version == v {
		return c.m, nil
	}
	m, err := scanLinkageModel(t.queryRow(ctx, `SELECT `+linkageModelColumns+` FROM linkage_models WHERE version = ?`, v))
	if err != nil {
		return LinkageModel{}, classify(err)
	}
	c.m = m
	return m, nil
}

// CurrentLinkageModel returns the model imports and the review queue use.
func (db *DB) CurrentLinkageModel(ctx context.Context) (LinkageModel, error) {
	return db.reader().currentLinkageModel(ctx)
}

// LinkageModels lists the trained versions, newest first.
func (db *DB) LinkageModels(ctx context.Context, limit int) ([]LinkageModel, error) {
	return queryAll(ctx, db.reader(), `SELECT `+linkageModelColumns+` FROM linkage_models ORDER BY version DESC LIMIT ?`,
		[]any{listLimit(limit)}, func(rs *sql.Rows) (LinkageModel, error) { return scanLinkageModel(rs) })
}

// LinkagePairsRecorded is how many candidate pairs imports have recorded
// for training, and how many since the newest model was trained.
func (db *DB) LinkagePairsRecorded(ctx context.Context) (total, since int64, err error) {
	t := db.reader()
	if err := t.queryRow(ctx, `SELECT COALESCE(SUM(pairs), 0) FROM linkage_patterns`).Scan(&total); err != nil {
		return 0, 0, classify(err)
	}
	var seen int64
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(pairs_seen), 0) FROM linkage_models`).Scan(&seen); err != nil {
		return 0, 0, classify(err)
	}
	return total, max(total-seen, 0), nil
}

// recordPatterns stores what a batch compared, in the batch's transaction.
func (t *Tx) recordPatterns(ctx context.Context, jobID string, batch int, patterns map[linkage.Vector]int64) error {
	if len(patterns) == 0 {
		return nil
	}
	js := make(map[string]int64, len(patterns))
	var n int64
	for v, c := range patterns {
		js[v.String()] = c
		n += c
	}
	b, _ := json.Marshal(js)
	_, err := t.exec(ctx, `INSERT INTO linkage_patterns (job_id, batch, patterns, pairs, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (job_id, batch) DO UPDATE SET patterns = excluded.patterns, pairs = excluded.pairs, created_at = excluded.created_at`,
		jobID, batch, string(b), n, t.now())
	return classify(err)
}

// TrainLinkage estimates new linkage weights from the live data and saves
// them as the next version, audited: m by EM over the candidate pairs the
// imports compared (their agreement patterns, newest batches first, up to
// o.MaxPairs), u from random pairs of people in the database. The model
// is refused (nothing saved) when agreement on some field would not weigh
// for a match.
func (db *DB) TrainLinkage(ctx context.Context, o TrainOptions, actor audit.Event) (LinkageModel, error) {
	o.defaults()
	started := time.Now()
	counts := map[linkage.Vector]float64{}
	var blocked, seen int64
	rd := db.reader()
	if err := rd.queryRow(ctx, `SELECT COALESCE(SUM(pairs), 0) FROM linkage_patterns`).Scan(&seen); err != nil {
		return LinkageModel{}, classify(err)
	}
	rows, err := rd.query(ctx, `SELECT patterns, pairs FROM linkage_patterns ORDER BY created_at DESC, job_id, batch`)
	if err != nil {
		return LinkageModel{}, classify(err)
	}
	for rows.Next() && blocked < o.MaxPairs {
		var js string
		var n int64
		if err := rows.Scan(&js, &n); err != nil {
			rows.Close()
			return LinkageModel{}, classify(err)
		}
		var ps map[string]float64
		if json.Unmarshal([]byte(js), &ps) != nil {
			continue
		}
		for k, c := range ps {
			if v, ok := linkage.ParseVector(k); ok {
				counts[v] += c
				blocked += int64(c)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return LinkageModel{}, classify(err)
	}
	if blocked < o.MinPairs {
		e := errs.New(errs.Invalid, "linkage.too_few_pairs")
		e.Data = map[string]any{"Pairs": blocked, "Min": o.MinPairs}
		return LinkageModel{}, e
	}
	random, err := db.randomPairs(ctx, o.RandomPairs, o.Seed)
	if err != nil {
		return LinkageModel{}, err
	}
	m, conv := linkage.TrainCounts(counts, random, linkage.Default(), o.Iterations, o.Tolerance)
	if err := m.Check(); err != nil {
		e := errs.New(errs.Invalid, "linkage.model_rejected")
		e.Data = map[string]any{"Reason": err.Error()}
		return LinkageModel{}, e
	}
	js, err := json.Marshal(m)
	if err != nil {
		return LinkageModel{}, errs.Internalf("linkage model: %w", err)
	}
	lm := LinkageModel{ID: NewID(), Model: m, BlockedPairs: blocked, Patterns: len(counts), RandomPairs: len(random),
		Iterations: conv.Iterations, Converged: conv.Converged, Delta: conv.Delta, PairsSeen: seen, Cause: o.Cause,
		TrainedBy: actor.ActorID, Seconds: time.Since(started).Seconds()}
	err = db.InTx(ctx, func(t *Tx) error {
		if err := t.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM linkage_models`).Scan(&lm.Version); err != nil {
			return classify(err)
		}
		now := t.now()
		lm.TrainedAt = parseTS(now)
		if _, err := t.exec(ctx, `INSERT INTO linkage_models (`+linkageModelColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			lm.ID, lm.Version, string(js), lm.BlockedPairs, lm.Patterns, lm.RandomPairs, lm.Iterations, lm.Converged, lm.Delta,
			lm.PairsSeen, lm.Cause, lm.TrainedBy, now, lm.Seconds); err != nil {
			return classify(err)
		}
		a := actor
		a.Action, a.ObjectType, a.ObjectID = ActionLinkageTrained, "linkage_model", lm.ID
		a.Detail = "version=" + itoa(lm.Version) + " pairs=" + itoa(int(lm.BlockedPairs)) + " random=" + itoa(lm.RandomPairs) +
			" iterations=" + itoa(lm.Iterations) + " converged=" + boolText(lm.Converged) + " cause=" + lm.Cause
		return t.Audit(ctx, a)
	})
	if err != nil {
		return LinkageModel{}, err
	}
	return lm, nil
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// randomPairs compares n pairs of people drawn at random (not merged
// away): almost all are two different people, so their agreement is u.
// At most 2n people are read, whatever the size of the database; the
// draw itself walks the people's primary key once.
func (db *DB) randomPairs(ctx context.Context, n int, seed uint64) ([]linkage.Vector, error) {
	var ids []string
	t := db.reader()
	rows, err := t.query(ctx, `SELECT id FROM people WHERE merged_into IS NULL ORDER BY random() LIMIT ?`, 2*n)
	if err != nil {
		return nil, classify(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, classify(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	cids, err := t.nationalIDsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	var recs []*linkage.Prepared
	if err := t.linkageRecords(ctx, ids, cids, func(r linkage.Record) { recs = append(recs, linkage.Prepare(r)) }); err != nil {
		return nil, err
	}
	// Paired in an order of their own: the order read (by ID) is the
	// order of creation, and rows of one file made together are alike.
	slices.SortFunc(recs, func(a, b *linkage.Prepared) int { return strings.Compare(a.Record().ID, b.Record().ID) })
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	rng := rand.New(rand.NewPCG(seed, 25))
	rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	out := make([]linkage.Vector, 0, len(recs)/2)
	for i := 0; i+1 < len(recs); i += 2 {
		out = append(out, linkage.Compare(recs[i], recs[i+1]))
	}
	return out, nil
}

// defaultAutoTrain is DB.LinkageAutoTrain's default: fifty thousand new
// pairs change the estimates enough to be worth a new version, and
// training on them takes a second or two.
const defaultAutoTrain = 50_000

// autoTrainLinkage trains after an import job when enough new pairs exist.
// The job is done whatever happens here: a training refused (too odd a
// sample) or failed leaves the weights as they were, and the next job
// tries again.
func (db *DB) autoTrainLinkage(ctx context.Context, actor audit.Event) {
	every := db.LinkageAutoTrain
	if every == 0 {
		every = defaultAutoTrain
	}
	if every < 0 {
		return
	}
	_, since, err := db.LinkagePairsRecorded(ctx)
	if err != nil || since < every {
		return
	}
	actor.Outcome = ""
	_, _ = db.TrainLinkage(ctx, TrainOptions{Cause: TrainedByImport}, actor)
}
