package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/imports"
	"termtem/internal/linkage"
	"termtem/internal/people"
)

// Audit actions of record linkage.
const (
	ActionLinkageAutoLinked = "linkage.auto_linked"
	ActionLinkageQueued     = "linkage.pair_queued"
	ActionLinkagePairRead   = "linkage.pair_read"
	ActionLinkageQueueRead  = "linkage.queue_read"
	ActionLinkageMerged     = "linkage.merged"
	ActionLinkageSeparated  = "linkage.separated"
	ActionLinkageUnmerged   = "linkage.unmerged"
)

// Pair statuses.
const (
	PairPending  = "pending"
	PairLinked   = "linked"
	PairSeparate = "separate"
)

// maxLinkageCandidates bounds the people one batch reads as candidates
// (linkage_blocking.go): a last guard, should the keys of a batch of a
// thousand rows still add up to a city.
const maxLinkageCandidates = 20000

// anyoneWithoutNationalID reports whether some person (not merged away)
// has no national ID. Asked once an import job.
func (t *Tx) anyoneWithoutNationalID(ctx context.Context) (*bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM people p WHERE p.merged_into IS NULL AND NOT EXISTS
		(SELECT 1 FROM person_identifiers i WHERE i.person_id = p.id AND i.kind = 'national_id') LIMIT 1) x`).Scan(&n)
	if err != nil {
		return nil, classify(err)
	}
	b := n > 0
	return &b, nil
}

// linkageRecord is what linkage compares of a person row.
func linkageRecord(p *people.Person) linkage.Record {
	return linkage.Record{ID: p.ID, NationalID: p.NationalID, GivenName: p.GivenName, FamilyName: p.FamilyName, Nickname: p.Nickname,
		GivenLatin: p.GivenNameLatin, FamilyLatin: p.FamilyNameLatin, Sex: string(p.Sex), BirthDate: p.BirthDate}
}

// batchLinker decides a batch's rows that no key or national ID decides,
// against the people already known that blocking pairs with them
// (linkage_blocking.go), and the people new earlier in the batch.
type batchLinker struct {
	model   *linkage.Model
	ix      *linkage.Index
	pending map[[2]string]bool
	// patterns counts the agreement patterns of the pairs compared, for
	// training (recorded with the batch).
	patterns map[linkage.Vector]int64
	version  int // of the model
	// idle: no row of the batch is decided by linkage, so the people it
	// creates need not be indexed as candidates (preparing a record —
	// normalising names, phonetic keys — was a tenth of the CPU of a
	// batch of rows that all carry national IDs).
	idle bool
	// blocks is what blocking read from the database.
	blocks blockStats
}

// newBatchLinker reads the candidates of a batch's undecided rows.
func (t *Tx) newBatchLinker(ctx context.Context, rows []*imports.Row, m *linkage.Model) (*batchLinker, error) {
	bl := &batchLinker{model: m, ix: linkage.NewIndex(), pending: map[[2]string]bool{}, patterns: map[linkage.Vector]int64{}, idle: len(rows) == 0}
	idList, st, err := t.candidateIDs(ctx, rows)
	if err != nil {
		return nil, err
	}
	bl.blocks = st
	if len(idList) == 0 {
		return bl, nil
	}
	cids, err := t.nationalIDsOf(ctx, idList)
	if err != nil {
		return nil, err
	}
	err = t.linkageRecords(ctx, idList, cids, func(r linkage.Record) { bl.ix.Add(linkage.Prepare(r)) })
	if err != nil {
		return nil, err
	}
	err = t.lookupIn(ctx, `SELECT person_id, candidate_id FROM linkage_pairs WHERE status = 'pending' AND person_id IN `, nil, idList,
		func(rs *sql.Rows) error {
			var a, b string
			err := rs.Scan(&a, &b)
			bl.pending[[2]string{a, b}] = true
			return err
		})
	return bl, err
}

// linkageRecords reads people (ids) as linkage compares them, with their
// national IDs from cids. The mother's name (and ID) comes from the
// pregnancy the child was born of, the address from the household; where
// those say nothing, from the evidence imports kept (linkage_evidence.go).
func (t *Tx) linkageRecords(ctx context.Context, ids []string, cids map[string]string, fn func(linkage.Record)) error {
	recs := make([]linkage.Record, 0, len(ids))
	err := t.lookupIn(ctx, `SELECT p.id, p.given_name, p.family_name, p.nickname, p.given_name_latin, p.family_name_latin, p.sex, p.birth_date,
		COALESCE(m.given_name, ''), COALESCE(m.family_name, ''), COALESCE(mi.value, ''), COALESCE(h.address, ''), COALESCE(c.code, '')
		FROM people p LEFT JOIN pregnancies pr ON pr.id = p.from_pregnancy_id LEFT JOIN people m ON m.id = pr.mother_id
		LEFT JOIN person_identifiers mi ON mi.person_id = m.id AND mi.kind = 'national_id'
		LEFT JOIN households h ON h.id = p.household_id LEFT JOIN places c ON c.id = p.community_id WHERE p.id IN `, nil, ids,
		func(rs *sql.Rows) error {
			var r linkage.Record
			var mg, mf, addr, comm string
			if err := rs.Scan(&r.ID, &r.GivenName, &r.FamilyName, &r.Nickname, &r.GivenLatin, &r.FamilyLatin, &r.Sex, &r.BirthDate,
				&mg, &mf, &r.MotherCID, &addr, &comm); err != nil {
				return err
			}
			r.MotherName = strings.TrimSpace(mg + " " + mf)
			r.Address = strings.TrimSpace(comm + " " + addr)
			r.NationalID = cids[r.ID]
			recs = append(recs, r)
			return nil
		})
	if err != nil {
		return err
	}
	if err := t.addLinkageEvidence(ctx, recs); err != nil {
		return err
	}
	for _, r := range recs {
		fn(r)
	}
	return nil
}

// decide decides one row's person.
func (bl *batchLinker) decide(row *imports.Row) linkage.Decision {
	pr := linkage.Prepare(rowLinkageRecord(row))
	related := func(a, b string) bool { return bl.pending[[2]string{a, b}] || bl.pending[[2]string{b, a}] }
	d := bl.model.Decide(pr, bl.ix.Candidates(pr), related)
	for _, v := range d.Compared {
		bl.patterns[v]++
	}
	return d
}

// add makes a person new in the batch a candidate for the rows after it.
// When no row of the batch is left to linkage (idle), no row after it is
// compared: a row the batch creates without a national ID would itself
// have been left to linkage.
func (bl *batchLinker) add(row *imports.Row) {
	if !bl.idle {
		bl.ix.Add(linkage.Prepare(rowLinkageRecord(row)))
	}
}

// queuedPair is a pair a batch sends to the review queue.
type queuedPair struct {
	personID, candidateID string
	score                 float64
	evidence              []linkage.Evidence
}

// queuePairs writes a batch's uncertain pairs; a pair already queued (the
// same file again) is left as it is.
func (t *Tx) queuePairs(ctx context.Context, job *imports.Job, pairs []queuedPair, modelVersion int, actor audit.Event) error {
	now := t.now()
	var events []audit.Event
	// Many pairs a statement (a batch's new people are distinct, so no
	// pair comes twice); a pair already queued is skipped, and only the
	// pairs inserted come back, to be audited.
	for len(pairs) > 0 {
		chunk := pairs[:min(len(pairs), pairRowsPerInsert)]
		pairs = pairs[len(chunk):]
		args := make([]any, 0, 9*len(chunk))
		for _, q := range chunk {
			ev, _ := json.Marshal(q.evidence)
			args = append(args, NewID(), q.personID, q.candidateID, q.score, string(ev), job.Source, job.ID, now, modelVersion)
		}
		rows, err := t.query(ctx, multiRowInsert(`INSERT INTO linkage_pairs (id, person_id, candidate_id, score, evidence, source, job_id, status,
			created_at, model_version) VALUES `, `(?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`, len(chunk))+
			` ON CONFLICT (person_id, candidate_id) DO NOTHING RETURNING id`, args...)
		if err != nil {
			return classify(err)
		}
		if err := eachRow(rows, func(s scanner) error {
			a := actor
			a.Action, a.ObjectType, a.Detail = ActionLinkageQueued, "linkage_pair", "import:"+job.ID
			events = append(events, a)
			return s.Scan(&events[len(events)-1].ObjectID)
		}); err != nil {
			return classify(err)
		}
	}
	return t.auditMany(ctx, events)
}

// pairRowsPerInsert bounds one multi-row INSERT of review pairs.
const pairRowsPerInsert = 100

// Pair is a possible pair in the review queue.
type Pair struct {
	ID          string
	PersonID    string // the person the import created
	CandidateID string // the person already known
	Score       float64
	Evidence    []linkage.Evidence
	Source      string
	Status      string
	MergeID     string
	DecidedBy   string
	DecidedAt   time.Time
	Version     int
	CreatedAt   time.Time
	// Person and Candidate are filled by GetPair (and names by ListPairs).
	Person, Candidate people.Person
	// MergeUndone: the merge that linked the pair was undone.
	MergeUndone bool
	// ModelVersion is the version of the weights the pair was scored with
	// when queued (0: the defaults). GetPair and ListPairs give Evidence
	// and Score under the weights in use now (version Weights), so that a
	// data officer judges every pair by the same, newest weights.
	ModelVersion int
	Weights      int
	// Mothers and Places are the mother's name and the community and
	// address of Person and Candidate (GetPair): personal data of other
	// people than the two, given only when the reader may open both
	// people's records (ShowsFamily), so that the queue never shows more
	// about a family than the reader could see on the people's own pages.
	Mothers, Places [2]string
	ShowsFamily     bool
}

// reweigh puts a pair's evidence and score under the model in use.
func (p *Pair) reweigh(m LinkageModel) {
	p.Evidence, p.Score = m.Model.Reweigh(p.Evidence)
	p.Weights = m.Version
}

const pairColumns = `lp.id, lp.person_id, lp.candidate_id, lp.score, lp.evidence, lp.source, lp.status, COALESCE(lp.merge_id, ''),
	lp.decided_by, lp.decided_at, lp.version, lp.created_at, lp.model_version`

func scanPair(s interface{ Scan(...any) error }, more ...any) (Pair, error) {
	var p Pair
	var ev string
	var decided sql.NullString
	var created string
	err := s.Scan(append([]any{&p.ID, &p.PersonID, &p.CandidateID, &p.Score, &ev, &p.Source, &p.Status, &p.MergeID, &p.DecidedBy, &decided,
		&p.Version, &created, &p.ModelVersion}, more...)...)
	if err != nil {
		return p, err
	}
	_ = json.Unmarshal([]byte(ev), &p.Evidence)
	if decided.Valid {
		p.DecidedAt = parseTS(decided.String)
	}
	p.CreatedAt = parseTS(created)
	return p, nil
}

// A data officer sees the pairs the imports of their own organisations
// raised: orgIDs lists those organisations (nil: every pair, for the
// platform's own work). A pair outside them is "not found".

// ListPairs lists the review queue (status: pending, linked or separate),
// oldest first, with both people's names; the read is audited.
func (db *DB) ListPairs(ctx context.Context, orgIDs []string, status string, limit, offset int, actor audit.Event) ([]Pair, int, error) {
	if status == "" {
		status = PairPending
	}
	if status != PairPending && status != PairLinked && status != PairSeparate {
		return nil, 0, errs.Field("status", "linkage.bad_status", nil)
	}
	limit = listLimit(limit)
	if orgIDs != nil && len(orgIDs) == 0 {
		return nil, 0, nil
	}
	where, args := `lp.status = ?`, []any{status}
	if orgIDs != nil {
		where += ` AND lp.job_id IN (SELECT id FROM import_jobs WHERE organisation_id IN (` + placeholders(len(orgIDs)) + `))`
		for _, id := range orgIDs {
			args = append(args, id)
		}
	}
	var out []Pair
	var total int
	err := db.InTx(ctx, func(t *Tx) error {
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM linkage_pairs lp WHERE `+where, args...).Scan(&total); err != nil {
			return classify(err)
		}
		rows, err := t.query(ctx, `SELECT `+pairColumns+`, a.given_name, a.family_name, a.birth_date, b.given_name, b.family_name, b.birth_date
			FROM linkage_pairs lp JOIN people a ON a.id = lp.person_id JOIN people b ON b.id = lp.candidate_id
			WHERE `+where+` ORDER BY lp.created_at, lp.id LIMIT ? OFFSET ?`, append(args, limit, max(offset, 0))...)
		if err != nil {
			return classify(err)
		}
		defer rows.Close()
		for rows.Next() {
			var p Pair
			var ev, created string
			var decided sql.NullString
			if err := rows.Scan(&p.ID, &p.PersonID, &p.CandidateID, &p.Score, &ev, &p.Source, &p.Status, &p.MergeID, &p.DecidedBy, &decided,
				&p.Version, &created, &p.ModelVersion, &p.Person.GivenName, &p.Person.FamilyName, &p.Person.BirthDate,
				&p.Candidate.GivenName, &p.Candidate.FamilyName, &p.Candidate.BirthDate); err != nil {
				return classify(err)
			}
			_ = json.Unmarshal([]byte(ev), &p.Evidence)
			p.CreatedAt = parseTS(created)
			p.Person.ID, p.Candidate.ID = p.PersonID, p.CandidateID
			out = append(out, p)
		}
		if err := rows.Err(); err != nil {
			return classify(err)
		}
		m, err := t.currentLinkageModel(ctx)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].reweigh(m)
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionLinkageQueueRead, "linkage_pair", "", "status="+status
		return t.Audit(ctx, actor)
	})
	return out, total, err
}

// GetPair returns a pair with both people in full; the read is audited
// for the pair and for each person.
func (db *DB) GetPair(ctx context.Context, orgIDs []string, id string, actor audit.Event) (Pair, error) {
	var p Pair
	err := db.InTx(ctx, func(t *Tx) error {
		var err error
		if p, err = t.getPair(ctx, id, orgIDs); err != nil {
			return err
		}
		if p.Person, err = t.getPerson(ctx, p.PersonID); err != nil {
			return err
		}
		if p.Candidate, err = t.getPerson(ctx, p.CandidateID); err != nil {
			return err
		}
		m, err := t.currentLinkageModel(ctx)
		if err != nil {
			return err
		}
		p.reweigh(m)
		if err := t.pairFamily(ctx, &p); err != nil {
			return err
		}
		if p.MergeID != "" {
			var undone sql.NullString
			if err := t.queryRow(ctx, `SELECT undone_at FROM linkage_merges WHERE id = ?`, p.MergeID).Scan(&undone); err != nil {
				return classify(err)
			}
			p.MergeUndone = undone.Valid
		}
		for _, e := range [][2]string{{ActionLinkagePairRead, "linkage_pair:" + p.ID}, {ActionPersonRead, "person:" + p.PersonID}, {ActionPersonRead, "person:" + p.CandidateID}} {
			a := actor
			typ, oid, _ := strings.Cut(e[1], ":")
			a.Action, a.ObjectType, a.ObjectID, a.Detail = e[0], typ, oid, "linkage"
			if err := t.Audit(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
	return p, err
}

func (t *Tx) getPair(ctx context.Context, id string, orgIDs []string) (Pair, error) {
	var org string
	p, err := scanPair(t.queryRow(ctx, `SELECT `+pairColumns+`, COALESCE(j.organisation_id, '') FROM linkage_pairs lp
		LEFT JOIN import_jobs j ON j.id = lp.job_id WHERE lp.id = ?`, id), &org)
	if err == sql.ErrNoRows || err == nil && orgIDs != nil && !slices.Contains(orgIDs, org) {
		return Pair{}, errs.New(errs.NotFound, "linkage.pair_not_found")
	}
	return p, classify(err)
}

// decidePair moves a pending pair to status at the version the officer saw.
func (t *Tx) decidePair(ctx context.Context, p Pair, version int, status, mergeID string, actor audit.Event) error {
	if p.Status != PairPending {
		return errs.New(errs.Conflict, "linkage.pair_decided")
	}
	res, err := t.exec(ctx, `UPDATE linkage_pairs SET status = ?, merge_id = ?, decided_by = ?, decided_at = ?, version = version + 1
		WHERE id = ? AND version = ? AND status = 'pending'`, status, nullString(mergeID), actor.ActorID, t.now(), p.ID, version)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Stale, "error.stale")
	}
	return nil
}

// SeparatePair records that the two people of a pair are different people.
func (db *DB) SeparatePair(ctx context.Context, orgIDs []string, id string, version int, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		p, err := t.getPair(ctx, id, orgIDs)
		if err != nil {
			return err
		}
		if err := t.decidePair(ctx, p, version, PairSeparate, "", actor); err != nil {
			return err
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionLinkageSeparated, "linkage_pair", id
		return t.Audit(ctx, actor)
	})
}

// LinkPair records that the two people of a pair are one: the person the
// import created is merged into the one already known. It returns the
// merge's ID (for undoing it).
func (db *DB) LinkPair(ctx context.Context, orgIDs []string, id string, version int, actor audit.Event) (string, error) {
	var mergeID string
	err := db.InTx(ctx, func(t *Tx) error {
		p, err := t.getPair(ctx, id, orgIDs)
		if err != nil {
			return err
		}
		if p.Status != PairPending {
			return errs.New(errs.Conflict, "linkage.pair_decided")
		}
		if mergeID, err = t.merge(ctx, p.CandidateID, p.PersonID, actor); err != nil {
			return err
		}
		if err := t.decidePair(ctx, p, version, PairLinked, mergeID, actor); err != nil {
			return err
		}
		a := actor
		a.Action, a.ObjectType, a.ObjectID, a.Detail = ActionLinkageMerged, "linkage_pair", id, "merge:"+mergeID
		return t.Audit(ctx, a)
	})
	return mergeID, err
}

// moved is one set of rows a merge moved: the table, the column that
// named the merged person, and the rows' keys.
type moved struct {
	Table  string   `json:"table"`
	Column string   `json:"column"`
	Keys   []string `json:"keys"`
}

// mergeTargets are the rows that belong to a person, by the table's key
// column. person_identifiers and import_keys have composite keys, written
// joined by a unit separator.
var mergeTargets = []struct{ table, column, key string }{
	{"person_identifiers", "person_id", "kind || chr(31) || value"},
	{"import_keys", "object_id", "source || chr(31) || source_key"},
	{"household_members", "person_id", "id"},
	{"service_records", "person_id", "id"},
	{"pregnancies", "mother_id", "id"},
	{"assessments", "person_id", "id"},
	{"alerts", "person_id", "id"},
	{"cases", "person_id", "id"},
	{"referrals", "person_id", "id"},
	{"handoffs", "person_id", "id"},
	{"consents", "person_id", "id"},
	{"disclosures", "person_id", "id"},
	{"glass_grants", "person_id", "id"},
	{"rectification_requests", "person_id", "id"},
	{"households", "head_id", "id"},
	{"households", "caregiver_id", "id"},
	{"linkage_evidence", "person_id", "id"},
}

// keyWhere is the condition that picks one row by its key.
func keyWhere(key string) string {
	switch key {
	case "kind || chr(31) || value":
		return `kind = ? AND value = ?`
	case "source || chr(31) || source_key":
		return `object_type = 'person' AND source = ? AND source_key = ?`
	}
	return `id = ?`
}

func keyArgs(key, k string) []any {
	if key == "id" {
		return []any{k}
	}
	a, b, _ := strings.Cut(k, "\x1f")
	return []any{a, b}
}

// merge moves every row of mergedID to survivorID, marks the merged person
// as merged (kept, for the undo, but no longer found by name) and records
// what moved. Audited.
func (t *Tx) merge(ctx context.Context, survivorID, mergedID string, actor audit.Event) (string, error) {
	if survivorID == mergedID {
		return "", errs.New(errs.Invalid, "linkage.merge_self")
	}
	var into sql.NullString
	for _, id := range []string{survivorID, mergedID} {
		if err := t.queryRow(ctx, `SELECT merged_into FROM people WHERE id = ?`, id).Scan(&into); err != nil {
			if err == sql.ErrNoRows {
				return "", errs.New(errs.NotFound, "person.not_found")
			}
			return "", classify(err)
		}
		if into.Valid {
			return "", errs.New(errs.Conflict, "linkage.already_merged")
		}
	}
	var all []moved
	for _, mt := range mergeTargets {
		key := mt.key
		if !t.db.postgres {
			key = strings.ReplaceAll(key, "chr(31)", "char(31)")
		}
		where := mt.column + ` = ?`
		if mt.table == "import_keys" {
			where += ` AND object_type = 'person'`
		}
		keys, err := t.strings(ctx, `SELECT `+key+` FROM `+mt.table+` WHERE `+where, mergedID)
		if err != nil {
			return "", err
		}
		if len(keys) == 0 {
			continue
		}
		if _, err := t.exec(ctx, `UPDATE `+mt.table+` SET `+mt.column+` = ? WHERE `+where, survivorID, mergedID); err != nil {
			return "", classify(err)
		}
		all = append(all, moved{Table: mt.table, Column: mt.column, Keys: keys})
	}
	// The merged person's name keys: the survivor is found by either
	// spelling from now on; the merged person by none.
	nameKeys, err := t.strings(ctx, `SELECT key FROM person_name_keys WHERE person_id = ? AND key NOT IN (SELECT key FROM person_name_keys WHERE person_id = ?)`,
		mergedID, survivorID)
	if err != nil {
		return "", err
	}
	for _, k := range nameKeys {
		if err := t.insertNameKey(ctx, k, survivorID); err != nil {
			return "", err
		}
	}
	all = append(all, moved{Table: "person_name_keys", Column: "added_to_survivor", Keys: nameKeys})
	ownKeys, err := t.strings(ctx, `SELECT key FROM person_name_keys WHERE person_id = ?`, mergedID)
	if err != nil {
		return "", err
	}
	if _, err := t.exec(ctx, `DELETE FROM person_name_keys WHERE person_id = ?`, mergedID); err != nil {
		return "", classify(err)
	}
	all = append(all, moved{Table: "person_name_keys", Column: "removed_from_merged", Keys: ownKeys})
	// search_name is emptied too: name search finds a person by it as well
	// as by the name keys.
	if _, err := t.exec(ctx, `UPDATE people SET merged_into = ?, search_name = '', version = version + 1, updated_at = ? WHERE id = ?`,
		survivorID, t.now(), mergedID); err != nil {
		return "", classify(err)
	}
	b, _ := json.Marshal(all)
	id := NewID()
	if _, err := t.exec(ctx, `INSERT INTO linkage_merges (id, survivor_id, merged_id, moved, merged_by, merged_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, survivorID, mergedID, string(b), actor.ActorID, t.now()); err != nil {
		return "", classify(err)
	}
	for _, pid := range []string{survivorID, mergedID} {
		a := actor
		a.Action, a.ObjectType, a.ObjectID, a.Detail = ActionLinkageMerged, "person", pid, "merge:"+id
		if err := t.Audit(ctx, a); err != nil {
			return "", err
		}
	}
	return id, nil
}

// Unmerge undoes a merge: exactly the rows it moved go back to the merged
// person, who is found again, and the pair returns to the queue. Rows
// added to the survivor since the merge stay with the survivor. A merge
// is in scope when the pair it decided is.
func (db *DB) Unmerge(ctx context.Context, orgIDs []string, mergeID string, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		if orgIDs != nil {
			var pairID string
			err := t.queryRow(ctx, `SELECT id FROM linkage_pairs WHERE merge_id = ?`, mergeID).Scan(&pairID)
			if err == sql.ErrNoRows {
				return errs.New(errs.NotFound, "linkage.merge_not_found")
			}
			if err != nil {
				return classify(err)
			}
			if _, err := t.getPair(ctx, pairID, orgIDs); err != nil {
				return errs.New(errs.NotFound, "linkage.merge_not_found")
			}
		}
		var survivor, merged, movedJSON string
		var undone sql.NullString
		err := t.queryRow(ctx, `SELECT survivor_id, merged_id, moved, undone_at FROM linkage_merges WHERE id = ?`, mergeID).
			Scan(&survivor, &merged, &movedJSON, &undone)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "linkage.merge_not_found")
		}
		if err != nil {
			return classify(err)
		}
		if undone.Valid {
			return errs.New(errs.Conflict, "linkage.merge_undone")
		}
		var all []moved
		if err := json.Unmarshal([]byte(movedJSON), &all); err != nil {
			return errs.Internalf("merge %s: %w", mergeID, err)
		}
		for _, m := range all {
			if m.Table == "person_name_keys" {
				q := `DELETE FROM person_name_keys WHERE key = ? AND person_id = ?`
				who := survivor
				if m.Column == "removed_from_merged" {
					q, who = `INSERT INTO person_name_keys (key, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, merged
				}
				for _, k := range m.Keys {
					if _, err := t.exec(ctx, q, k, who); err != nil {
						return classify(err)
					}
				}
				continue
			}
			var key string
			for _, mt := range mergeTargets {
				if mt.table == m.Table && mt.column == m.Column {
					key = mt.key
				}
			}
			if key == "" {
				return errs.Internalf("merge %s: unknown table %s.%s", mergeID, m.Table, m.Column)
			}
			for _, k := range m.Keys {
				args := append([]any{merged}, keyArgs(key, k)...)
				if _, err := t.exec(ctx, `UPDATE `+m.Table+` SET `+m.Column+` = ? WHERE `+keyWhere(key), args...); err != nil {
					return classify(err)
				}
			}
		}
		now := t.now()
		back, err := t.getPerson(ctx, merged)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE people SET merged_into = NULL, search_name = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			searchName(back), now, merged); err != nil {
			return classify(err)
		}
		res, err := t.exec(ctx, `UPDATE linkage_merges SET undone_by = ?, undone_at = ? WHERE id = ? AND undone_at IS NULL`, actor.ActorID, now, mergeID)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Stale, "error.stale")
		}
		// The pair goes back to the queue: undoing says "not sure", not
		// "different".
		if _, err := t.exec(ctx, `UPDATE linkage_pairs SET status = 'pending', merge_id = NULL, decided_by = '', decided_at = NULL,
			version = version + 1 WHERE merge_id = ?`, mergeID); err != nil {
			return classify(err)
		}
		for _, pid := range []string{survivor, merged} {
			a := actor
			a.Action, a.ObjectType, a.ObjectID, a.Detail = ActionLinkageUnmerged, "person", pid, "merge:"+mergeID
			if err := t.Audit(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// undecided returns the rows about a person that neither their source key
// nor a national ID already known decides: the rows linkage decides.
//
// A row with a national ID nobody holds can only be someone known without
// one: when nobody lacks one (cidless false) such rows are new without
// comparing — the common case of a first roster with IDs, which would
// otherwise compare every child with every child of the same names.
func undecided(rows []*imports.Row, byKey map[string]keyed, byCID map[string]string, cidless bool) []*imports.Row {
	var out []*imports.Row
	for _, r := range rows {
		if r.Person == nil || byKey[r.Key].id != "" || (r.Person.NationalID != "" && (byCID[r.Person.NationalID] != "" || !cidless)) {
			continue
		}
		out = append(out, r)
	}
	return out
}
