package store

import (
	"context"

	"termtem/internal/imports"
	"termtem/internal/linkage"
)

// LinkageProbe is what record linkage decided about a batch of rows
// without writing anything: for benchmarks of blocking and scoring.
type LinkageProbe struct {
	Candidates int // people read from the database as candidates
	Compared   int // candidate pairs scored
	// Keys is how many block keys the rows asked with, Capped how many of
	// them matched more people than one key may read; Full: the batch
	// reached maxLinkageCandidates.
	Keys, Capped int
	Full         bool
	// Found is how many people each blocking pass found.
	Found [3]int
	// Read holds the IDs of the people read as candidates.
	Read map[string]bool
	// Best is, per row, the person linked to ("" when not linked);
	// Outcomes the row's outcome.
	Best     []string
	Outcomes []linkage.Outcome
	// Vectors is, per row, the comparison with its best candidate.
	Vectors []linkage.Vector
}

// LinkageProbeForTest reads the batch's candidates and decides every row as
// an import batch does (newBatchLinker, decide, the newest weights), on the
// read pool, writing nothing.
func (db *DB) LinkageProbeForTest(ctx context.Context, rows []*imports.Row) (LinkageProbe, error) {
	var out LinkageProbe
	t := db.reader()
	m, err := t.currentLinkageModel(ctx)
	if err != nil {
		return out, err
	}
	bl, err := t.newBatchLinker(ctx, rows, m.Model)
	if err != nil {
		return out, err
	}
	out.Candidates = bl.ix.Len()
	out.Read = map[string]bool{}
	for _, r := range bl.ix.Records() {
		out.Read[r.Record().ID] = true
	}
	out.Keys, out.Capped, out.Full, out.Found = bl.blocks.Keys, bl.blocks.Capped, bl.blocks.Full, bl.blocks.Found
	for _, r := range rows {
		d := bl.decide(r)
		out.Compared += len(d.Compared)
		best, v := "", linkage.Vector{}
		if d.Outcome == linkage.Link {
			best = d.Best.Candidate.Record().ID
		}
		if d.Best != nil {
			v = d.Best.Vector
		}
		out.Vectors = append(out.Vectors, v)
		out.Best = append(out.Best, best)
		out.Outcomes = append(out.Outcomes, d.Outcome)
	}
	return out, nil
}

// LinkageSampleForTest reads n people (not merged away, with a full birth
// date) as linkage compares them: the same n on every run, spread over the
// whole population (ordered by the random tail of their IDs), so that runs
// before and after a change decide the same rows.
func (db *DB) LinkageSampleForTest(ctx context.Context, n int) ([]linkage.Record, error) {
	t := db.reader()
	ids, err := t.strings(ctx, `SELECT id FROM people WHERE merged_into IS NULL AND length(birth_date) = 10 ORDER BY substr(id, 25), id LIMIT ?`, n)
	if err != nil {
		return nil, err
	}
	var out []linkage.Record
	err = t.linkageRecords(ctx, ids, nil, func(r linkage.Record) { out = append(out, r) })
	return out, err
}

// LinkageCandidatesForTest returns the people blocking pairs with the rows
// and how many of the rows' keys it dropped as too common.
func (db *DB) LinkageCandidatesForTest(ctx context.Context, rows []*imports.Row) ([]string, int, error) {
	ids, st, err := db.reader().candidateIDs(ctx, rows)
	return ids, st.Capped, err
}
