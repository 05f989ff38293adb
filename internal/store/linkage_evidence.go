package store

import (
	"context"
	"database/sql"
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
// longer gives any. A row imported unchanged keeps what it had.
func (s *importSink) writeLinkageEvidence(ctx context.Context, t *Tx, job *imports.Job, plan []*planned, now string) (int, error) {
	n := 0
	for _, p := range plan {
		if p.row.Person == nil || p.row.Key == "" || (!p.keyNew && !p.keyHash) {
			continue
		}
		if p.relativeOf != "" && p.row.Relation == people.RelMother {
			// A mother given as a relative (a FHIR RelatedPerson): the
			// import records the household relation, and the child's
			// evidence names her, as the child's own source key's.
			m := p.row.Person
			e := imports.Evidence{MotherName: strings.TrimSpace(m.GivenName + " " + m.FamilyName), MotherCID: m.NationalID}
			if err := t.upsertLinkageEvidence(ctx, job, p.row.RelatedTo+"#mother", p.relativeOf, e, now); err != nil {
				return n, err
			}
			n++
		}
		e := p.row.Evidence
		if e.Empty() {
			if p.keyHash {
				if _, err := t.exec(ctx, `DELETE FROM linkage_evidence WHERE source = ? AND source_key = ?`, job.Source, p.row.Key); err != nil {
					return n, classify(err)
				}
			}
			continue
		}
		if err := t.upsertLinkageEvidence(ctx, job, p.row.Key, p.personID, e, now); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// upsertLinkageEvidence keeps one source key's evidence about a person.
func (t *Tx) upsertLinkageEvidence(ctx context.Context, job *imports.Job, key, personID string, e imports.Evidence, now string) error {
	_, err := t.exec(ctx, `INSERT INTO linkage_evidence (id, source, source_key, person_id, mother_name, mother_cid, community, address, job_id, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, source_key) DO UPDATE SET person_id = excluded.person_id,
		mother_name = excluded.mother_name, mother_cid = excluded.mother_cid, community = excluded.community, address = excluded.address,
		job_id = excluded.job_id, updated_at = excluded.updated_at`,
		NewID(), job.Source, key, personID, e.MotherName, e.MotherCID, e.Community, e.Address, job.ID, now)
	return classify(err)
}

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
