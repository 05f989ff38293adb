package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"termtem/internal/imports"
	"termtem/internal/linkage"
	"termtem/internal/people"
)

// ActionLinkageEvidenceWritten: an import batch kept linkage evidence (the
// mother's name or ID, the community, the address) for some of its rows.
// One event a batch, naming the job and how many rows: the people the rows
// are about are audited by the batch's own person events.
const ActionLinkageEvidenceWritten = "linkage.evidence_written"

// writeLinkageEvidence keeps, in the batch's transaction, the evidence of
// every row that created, linked or corrected a person: one row per source
// key, replaced when the row changes, removed when a corrected row no
// longer gives any. A row imported unchanged keeps what it had. The rows
// go in multi-row upserts and the removals in one DELETE a chunk, not one
// statement a row; the last word on a key in the batch is the one kept.
func (s *importSink) writeLinkageEvidence(ctx context.Context, t *Tx, job *imports.Job, plan []*planned, now string) (int, error) {
	type kept struct {
		personID string
		e        imports.Evidence
		drop     bool
	}
	last := map[string]kept{}
	for _, p := range plan {
		if p.row.Person == nil || p.row.Key == "" || (!p.keyNew && !p.keyHash) {
			continue
		}
		if p.relativeOf != "" && p.row.Relation == people.RelMother {
			// A mother given as a relative (a FHIR RelatedPerson): the
			// import records the household relation, and the child's
			// evidence names her, as the child's own source key's.
			m := p.row.Person
			last[p.row.RelatedTo+"#mother"] = kept{personID: p.relativeOf,
				e: imports.Evidence{MotherName: strings.TrimSpace(m.GivenName + " " + m.FamilyName), MotherCID: m.NationalID}}
		}
		e := p.row.Evidence
		if e.Empty() {
			if p.keyHash {
				last[p.row.Key] = kept{drop: true}
			}
			continue
		}
		last[p.row.Key] = kept{personID: p.personID, e: e}
	}
	if len(last) == 0 {
		return 0, nil
	}
	// In key order: two batches of one source on PostgreSQL lock the rows
	// in the same order and never wait on each other in a circle.
	keys := make([]string, 0, len(last))
	for k := range last {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var drop []string
	w := newBulkUpsert(t, evidenceTable, evidenceUpsert)
	n := 0
	for _, k := range keys {
		v := last[k]
		if v.drop {
			drop = append(drop, k)
			continue
		}
		if err := w.add(ctx, NewID(), job.Source, k, v.personID, v.e.MotherName, v.e.MotherCID, v.e.Community, v.e.Address, job.ID, now); err != nil {
			return n, err
		}
		n++
	}
	if err := w.flush(ctx); err != nil {
		return n, err
	}
	for _, ks := range chunks(drop, lookupChunk) {
		args := append([]any{job.Source}, anyArgs(ks)...)
		if _, err := t.exec(ctx, `DELETE FROM linkage_evidence WHERE source = ? AND source_key IN (`+placeholders(len(ks))+`)`, args...); err != nil {
			return n, classify(err)
		}
	}
	return n, nil
}

// evidenceTable and evidenceUpsert keep one source key's evidence about a
// person, replacing what an earlier import of the key kept.
var evidenceTable = bulkTable{`INSERT INTO linkage_evidence (id, source, source_key, person_id, mother_name, mother_cid, community, address,
	job_id, updated_at) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, 500}

const evidenceUpsert = ` ON CONFLICT (source, source_key) DO UPDATE SET person_id = excluded.person_id,
	mother_name = excluded.mother_name, mother_cid = excluded.mother_cid, community = excluded.community, address = excluded.address,
	job_id = excluded.job_id, updated_at = excluded.updated_at`

// rowLinkageRecord is what linkage compares of an import row: the person
// it describes with the row's evidence.
func rowLinkageRecord(r *imports.Row) linkage.Record {
	rec := linkageRecord(r.Person)
	rec.MotherName, rec.MotherCID, rec.Address = r.Evidence.MotherName, r.Evidence.MotherCID, r.Evidence.Place()
	return rec
}

// addLinkageEvidence fills the mother and the address of records read
// from the people's own rows, where those say nothing, from the evidence
// imports kept (the newest first). A mother named only by her national ID
// is named by the person holding it, when known.
func (t *Tx) addLinkageEvidence(ctx context.Context, recs []linkage.Record) error {
	if len(recs) == 0 {
		return nil
	}
	at := make(map[string]int, len(recs))
	ids := make([]string, 0, len(recs))
	for i, r := range recs {
		at[r.ID] = i
		ids = append(ids, r.ID)
	}
	return t.lookupIn(ctx, `SELECT e.person_id, e.mother_name, e.mother_cid, e.community, e.address,
		COALESCE(m.given_name, ''), COALESCE(m.family_name, '')
		FROM linkage_evidence e LEFT JOIN person_identifiers mi ON mi.kind = 'national_id' AND mi.value = e.mother_cid AND e.mother_cid <> ''
		LEFT JOIN people m ON m.id = mi.person_id
		WHERE e.person_id IN `, nil, ids,
		func(rs *sql.Rows) error {
			var id, mother, cid, comm, addr, mg, mf string
			if err := rs.Scan(&id, &mother, &cid, &comm, &addr, &mg, &mf); err != nil {
				return err
			}
			r := &recs[at[id]]
			if mother == "" {
				mother = strings.TrimSpace(mg + " " + mf)
			}
			if r.MotherName == "" {
				r.MotherName = mother
			}
			if r.MotherCID == "" {
				r.MotherCID = cid
			}
			if place := strings.TrimSpace(comm + " " + addr); r.Address == "" {
				r.Address = place
			}
			return nil
		})
}

// pairFamily gives a pair the mothers' names and the places of both people
// when the request may open both records (no request: the platform's own
// work, which may).
func (t *Tx) pairFamily(ctx context.Context, p *Pair) error {
	for _, id := range []string{p.PersonID, p.CandidateID} {
		ok, err := t.db.PersonVisible(ctx, id)
		if err != nil || !ok {
			return err
		}
	}
	p.ShowsFamily = true
	return t.linkageRecords(ctx, []string{p.PersonID, p.CandidateID}, nil, func(r linkage.Record) {
		i := 0
		if r.ID == p.CandidateID {
			i = 1
		}
		p.Mothers[i], p.Places[i] = r.MotherName, r.Address
	})
}

// nationalIDsOf reads the national IDs of people (ids), by person. On
// SQLite the kind is written +kind: otherwise the planner searches the
// primary key (kind, value) for every national ID and tests each against
// the list — at a million people that scan was 96 % of the CPU of a
// linkage batch (docs/benchmarks.md) — where the person_id index finds
// each person's rows directly.
func (t *Tx) nationalIDsOf(ctx context.Context, ids []string) (map[string]string, error) {
	kind := "+kind"
	if t.db.postgres {
		kind = "kind"
	}
	cids := make(map[string]string, len(ids))
	err := t.lookupIn(ctx, `SELECT person_id, value FROM person_identifiers WHERE `+kind+` = 'national_id' AND person_id IN `, nil, ids,
		func(rs *sql.Rows) error {
			var id, v string
			err := rs.Scan(&id, &v)
			cids[id] = v
			return err
		})
	return cids, err
}
