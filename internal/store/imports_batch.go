package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/imports"
	"termtem/internal/linkage"
	"termtem/internal/people"
)

// The import's own tables, written with multi-row INSERTs like the people.
var (
	importKeyTable = bulkTable{`INSERT INTO import_keys (source, source_key, object_type, object_id, row_hash, job_id, updated_at) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?)`, 1000}
	auditTable = bulkTable{`INSERT INTO audit_events (id, at, actor_id, action, object_type, object_id, outcome, request_id, detail) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?, ?)`, 1000}
	importKeyRehash = ` ON CONFLICT (source_key, source, object_type) DO UPDATE SET row_hash = excluded.row_hash, job_id = excluded.job_id,
		updated_at = excluded.updated_at`
	rejectTable = bulkTable{`INSERT INTO import_rejects (job_id, line, field, message_id, data) VALUES `, `(?, ?, ?, ?, ?)`, 250}
)

// lookupChunk bounds the IN lists of a batch's look-ups.
const lookupChunk = 500

// ImportSink returns the store side of imports.Run: batches committed in
// one transaction each, as claim (the token ClaimImportJob gave), audited
// as actor.
func (db *DB) ImportSink(claim string, actor audit.Event) imports.Sink {
	return &importSink{db: db, claim: claim, actor: actor, orgs: map[string]string{}}
}

type importSink struct {
	db    *DB
	claim string
	actor audit.Event
	orgs  map[string]string // organisation code → ID ("" when none)
	// linker decides the current batch's rows no key or national ID
	// decides (see linkage.go).
	linker *batchLinker
	// cidless: some person without a national ID exists, so that a row
	// with a national ID nobody holds yet may still be someone known
	// (nil: not looked up yet in this job).
	cidless *bool
	// stored are the people already in the database that the current
	// batch's keys and national IDs name, as the batch's transaction read
	// them before writing anything: read in one query a batch, not one
	// (or two) a row.
	stored map[string]people.Person
}

// errBadRows rolls a batch back when it met bad rows and the job does not
// skip them.
var errBadRows = errors.New("batch has bad rows")

// planned is what a batch will do with one row.
type planned struct {
	row      *imports.Row
	personID string
	action   imports.Decision
	create   bool // a new person
	keyNew   bool // import_keys row to insert for the person
	keyHash  bool // import_keys row's hash to update
	records  []plannedRecord
	outcome  string      // created, linked, added, updated, unchanged
	review   *queuedPair // linkage was unsure: the pair for the review queue
	score    float64     // linkage's score, when it linked
	// relativeOf is, for a relative's row, the person they are the
	// row's Relation of (placed in one household after the batch is written).
	relativeOf string
}

type plannedRecord struct {
	rr     imports.RowRecord
	id     string
	insert bool
	rec    people.Record
}

// CommitBatch implements imports.Sink.
func (s *importSink) CommitBatch(ctx context.Context, job *imports.Job, b *imports.Batch) (imports.Counts, []imports.RowError, error) {
	var counts imports.Counts
	var bad []imports.RowError
	err := s.db.InTx(ctx, func(t *Tx) error {
		counts, bad = imports.Counts{Read: b.Read, Rejected: len(b.Rejects)}, nil
		if t.db.postgres {
			// The driver prepares each statement once; after a few runs
			// PostgreSQL plans a prepared look-up generically, and the
			// generic plan of "national ID in this list" scanned every
			// identifier (a tenth of a second a batch at 10,000 people).
			if _, err := t.exec(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
				return classify(err)
			}
		}
		plan, updates, rowBad, err := s.plan(ctx, t, job, b)
		if err != nil {
			return err
		}
		if len(rowBad) > 0 && !job.SkipBadRows {
			bad = rowBad
			return errBadRows
		}
		counts.Rejected += len(rowBad)
		if err := s.write(ctx, t, job, b, plan, updates, &counts); err != nil {
			return err
		}
		rejects := append(append([]imports.RowError(nil), b.Rejects...), rowBad...)
		return s.progress(ctx, t, job, b, counts, rejects)
	})
	if errors.Is(err, errBadRows) {
		return imports.Counts{}, bad, nil
	}
	if err != nil {
		return imports.Counts{}, nil, err
	}
	return counts, nil, nil
}

// plan reads what the database knows about the batch's keys and national
// IDs and decides every row, without writing.
func (s *importSink) plan(ctx context.Context, t *Tx, job *imports.Job, b *imports.Batch) ([]*planned, map[string]*pendingPerson, []imports.RowError, error) {
	var personKeys, recordKeys, cids []string
	for _, r := range b.Rows {
		switch {
		case r.Key != "":
			personKeys = append(personKeys, r.Key)
		case r.PersonKey != "":
			personKeys = append(personKeys, r.PersonKey)
		}
		if r.RelatedTo != "" {
			personKeys = append(personKeys, r.RelatedTo)
		}
		if r.Person != nil && r.Person.NationalID != "" {
			cids = append(cids, r.Person.NationalID)
		} else if r.NationalID != "" {
			cids = append(cids, r.NationalID)
		}
		for _, rr := range r.Records {
			recordKeys = append(recordKeys, rr.Key)
		}
	}
	byKey, err := t.importKeys(ctx, job.Source, "person", personKeys)
	if err != nil {
		return nil, nil, nil, err
	}
	recs, err := t.importKeys(ctx, job.Source, "record", recordKeys)
	if err != nil {
		return nil, nil, nil, err
	}
	byCID, err := t.nationalIDHolders(ctx, cids)
	if err != nil {
		return nil, nil, nil, err
	}
	if s.stored, err = t.peopleByID(ctx, knownPeople(b.Rows, byKey, byCID)); err != nil {
		return nil, nil, nil, err
	}
	if s.cidless == nil {
		if s.cidless, err = t.anyoneWithoutNationalID(ctx); err != nil {
			return nil, nil, nil, err
		}
	}
	// Every batch decides with the newest weights its transaction sees.
	model, err := t.currentLinkageModel(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if s.linker, err = t.newBatchLinker(ctx, undecided(b.Rows, byKey, byCID, *s.cidless), model.Model); err != nil {
		return nil, nil, nil, err
	}
	s.linker.version = model.Version
	// Rows earlier in this batch count as known to the rows after them.
	newKeys := map[string]string{}
	newCIDs := map[string]string{}
	births := map[string]string{}
	pregnancies := map[string]string{}
	updates := map[string]*pendingPerson{}
	var out []*planned
	var bad []imports.RowError
	for _, row := range b.Rows {
		p, rerr := s.planRow(ctx, t, job, row, byKey, byCID, recs, newKeys, newCIDs, births, pregnancies, updates)
		if rerr == nil && row.RelatedTo != "" {
			rerr = planRelative(p, byKey, newKeys)
		}
		if rerr != nil {
			if rerr.Line == 0 {
				rerr.Line = row.Line
			}
			bad = append(bad, *rerr)
			continue
		}
		out = append(out, p)
	}
	return out, updates, bad, nil
}

type keyed struct{ id, hash string }

func (s *importSink) planRow(ctx context.Context, t *Tx, job *imports.Job, row *imports.Row, byKey map[string]keyed,
	byCID map[string]string, recs map[string]keyed, newKeys, newCIDs, births, pregnancies map[string]string,
	updates map[string]*pendingPerson) (*planned, *imports.RowError) {
	col := func(field string) string {
		if c := row.Columns[field]; c != "" {
			return c
		}
		return field
	}
	p := &planned{row: row}
	if row.Person != nil {
		known := imports.Known{ByKey: byKey[row.Key].id, ByNationalID: byCID[row.Person.NationalID]}
		if known.ByKey == "" {
			known.ByKey = newKeys[row.Key]
		}
		if known.ByNationalID == "" && row.Person.NationalID != "" {
			known.ByNationalID = newCIDs[row.Person.NationalID]
		}
		var unsure *linkage.Decision
		if known.ByKey == "" && known.ByNationalID == "" && (row.Person.NationalID == "" || *s.cidless) {
			switch d := s.linker.decide(row); d.Outcome {
			case linkage.Link:
				known.Probable, p.score = d.Best.Candidate.Record().ID, d.Best.Score
			case linkage.Review:
				unsure = &d
			}
		}
		p.action, p.personID = imports.Decide(row, known)
		if p.action == imports.SameKey && known.ByNationalID != "" && known.ByNationalID != p.personID {
			// The key says one person, the national ID another: the
			// agency's data contradicts ours, and a person must not be
			// merged by accident.
			return nil, &imports.RowError{Line: row.Line, Field: col("national_id"), MessageID: "person.national_id_taken"}
		}
		switch p.action {
		case imports.CreateNew:
			p.personID, p.create, p.keyNew, p.outcome = NewID(), true, true, "created"
			person := *row.Person
			person.ID = p.personID
			row.Person = &person
			newKeys[row.Key] = p.personID
			if person.NationalID != "" {
				newCIDs[person.NationalID] = p.personID
			}
			births[p.personID] = person.BirthDate
			s.linker.add(row)
			if person.NationalID == "" {
				*s.cidless = true
			}
			if unsure != nil {
				p.review = &queuedPair{personID: p.personID, candidateID: unsure.Best.Candidate.Record().ID, score: unsure.Best.Score,
					evidence: s.linker.model.Explain(unsure.Best.Vector)}
			}
		case imports.SameKey:
			if _, inBatch := byKey[row.Key]; !inBatch {
				// Created earlier in this batch under the same key: a
				// duplicate the file check let through (it cannot, but a
				// person is never written twice).
				return nil, &imports.RowError{Line: row.Line, Field: col("key"), MessageID: "import.duplicate_key"}
			}
			if byKey[row.Key].hash == row.Hash {
				p.outcome = "unchanged"
				return p, nil
			}
			p.keyHash, p.outcome = true, "updated"
			if err := s.merge(ctx, t, p.personID, row.Person, true, updates); err != nil {
				return nil, rowError(err, row)
			}
			births[p.personID] = updates[p.personID].now.BirthDate
		case imports.LinkNationalID, imports.LinkProbable:
			p.keyNew, p.outcome = true, "linked"
			newKeys[row.Key] = p.personID
			if _, fresh := births[p.personID]; fresh && byCID[row.Person.NationalID] == "" {
				break // a person created earlier in this batch: nothing to merge
			}
			if err := s.merge(ctx, t, p.personID, row.Person, false, updates); err != nil {
				return nil, rowError(err, row)
			}
			births[p.personID] = updates[p.personID].now.BirthDate
		}
	} else {
		// A service row: the person is the one its key was imported as,
		// else the holder of its national ID.
		p.personID = byKey[row.PersonKey].id
		if p.personID == "" {
			p.personID = newKeys[row.PersonKey]
		}
		if p.personID == "" && row.NationalID != "" {
			p.personID = byCID[row.NationalID]
			if p.personID == "" {
				p.personID = newCIDs[row.NationalID]
			}
		}
		if p.personID == "" {
			return nil, &imports.RowError{Line: row.Line, Field: col("person_id"), MessageID: "import.person_unknown"}
		}
		p.outcome = "unchanged"
	}
	if _, ok := births[p.personID]; !ok {
		if known, ok := s.stored[p.personID]; ok {
			births[p.personID] = known.BirthDate
		}
	}
	if _, ok := births[p.personID]; !ok {
		var birth, sex string
		if err := t.queryRow(ctx, `SELECT birth_date, sex FROM people WHERE id = ?`, p.personID).Scan(&birth, &sex); err != nil {
			return nil, rowError(classify(err), row)
		}
		births[p.personID] = birth
	}
	orgID, err := s.organisation(ctx, t, job, row.OrganisationCode)
	if err != nil {
		return nil, rowError(err, row)
	}
	for _, rr := range row.Records {
		known, ok := recs[rr.Key]
		if ok && known.hash == rr.Hash {
			continue
		}
		rec := rr.Record
		rec.OrganisationID, rec.AuthorID = orgID, job.CreatedBy
		if job.CreatedBy == "cli" {
			rec.AuthorID = ""
		}
		if people.Kinds[rec.Kind].Pregnancy {
			preg, rerr := s.pregnancy(ctx, t, p.personID, rec, pregnancies)
			if rerr != nil {
				return nil, rowError(rerr, row)
			}
			rec.PregnancyID = preg
		} else {
			rec.PersonID = p.personID
		}
		if err := people.ValidateRecord(&rec, births[p.personID], s.db.Now()); err != nil {
			return nil, rowError(err, row)
		}
		pr := plannedRecord{rr: rr, insert: !ok, id: known.id, rec: rec}
		if pr.insert {
			pr.id = NewID()
			recs[rr.Key] = keyed{id: pr.id, hash: rr.Hash}
		}
		p.records = append(p.records, pr)
	}
	if row.Person == nil && len(p.records) > 0 {
		p.outcome = "added"
		for _, r := range p.records {
			if !r.insert {
				p.outcome = "updated"
			}
		}
	}
	if row.Person != nil && p.outcome == "unchanged" && len(p.records) > 0 {
		p.outcome = "updated"
	}
	return p, nil
}

func rowError(err error, row *imports.Row) *imports.RowError {
	return imports.AsRowError(err, row.Line, row.Columns)
}

// merge reads a known person and applies what the row says. A corrected
// row of the same source overwrites the fields it gives; a row from
// another source linked by national ID only fills what is empty, so that
// one agency's spelling never silently replaces another's. The person as
// it will be written is kept in pending, so that two rows about one person
// in a batch both apply (and it is written once, at the version read).
func (s *importSink) merge(ctx context.Context, t *Tx, id string, from *people.Person, overwrite bool, pending map[string]*pendingPerson) error {
	cur, ok := pending[id]
	if !ok {
		p, read := s.stored[id]
		if !read {
			var err error
			if p, err = t.getPerson(ctx, id); err != nil {
				return err
			}
		}
		cur = &pendingPerson{before: p, now: p}
		pending[id] = cur
	}
	p := cur.now
	before := p
	set := func(dst *string, v string) {
		if v != "" && (overwrite || *dst == "") {
			*dst = v
		}
	}
	set(&p.Title, from.Title)
	set(&p.GivenName, from.GivenName)
	set(&p.FamilyName, from.FamilyName)
	set(&p.Nickname, from.Nickname)
	set(&p.GivenNameLatin, from.GivenNameLatin)
	set(&p.FamilyNameLatin, from.FamilyNameLatin)
	set(&p.BirthDate, from.BirthDate)
	set(&p.Phone, from.Phone)
	set(&p.NationalID, from.NationalID)
	if from.Sex != people.Unknown && (overwrite || p.Sex == people.Unknown) {
		p.Sex = from.Sex
	}
	if from.Nationality != people.NationalityUnknown && (overwrite || p.Nationality == people.NationalityUnknown) {
		p.Nationality = from.Nationality
	}
	if samePerson(before, p) {
		return nil
	}
	if err := people.ValidatePerson(&p, s.db.Now()); err != nil {
		return err
	}
	p.Version = before.Version
	cur.now = p
	return nil
}

// pendingPerson is a known person as read and as a batch will write it.
type pendingPerson struct{ before, now people.Person }

func samePerson(a, b people.Person) bool {
	return a.Title == b.Title && a.GivenName == b.GivenName && a.FamilyName == b.FamilyName && a.Nickname == b.Nickname &&
		a.GivenNameLatin == b.GivenNameLatin && a.FamilyNameLatin == b.FamilyNameLatin && a.BirthDate == b.BirthDate &&
		a.Phone == b.Phone && a.NationalID == b.NationalID && a.Sex == b.Sex && a.Nationality == b.Nationality
}

// organisation resolves a row's organisation code (the 43 files'
// HOSPCODE) to an organisation of that code, else the job's.
func (s *importSink) organisation(ctx context.Context, t *Tx, job *imports.Job, code string) (string, error) {
	if code == "" {
		return job.OrganisationID, nil
	}
	id, ok := s.orgs[code]
	if !ok {
		err := t.queryRow(ctx, `SELECT id FROM organisations WHERE code = ?`, strings.ToUpper(code)).Scan(&id)
		if err != nil && err != sql.ErrNoRows {
			return "", classify(err)
		}
		s.orgs[code] = id
	}
	if id == "" {
		return job.OrganisationID, nil
	}
	return id, nil
}

// pregnancy finds the ongoing pregnancy an antenatal visit belongs to, or
// plans one due 40 weeks after the visit's gestational week.
func (s *importSink) pregnancy(ctx context.Context, t *Tx, motherID string, rec people.Record, planned map[string]string) (string, error) {
	if id, ok := planned[motherID]; ok {
		return id, nil
	}
	var id string
	err := t.queryRow(ctx, `SELECT id FROM pregnancies WHERE mother_id = ? AND status = ? ORDER BY expected_date DESC LIMIT 1`,
		motherID, string(people.Ongoing)).Scan(&id)
	if err == sql.ErrNoRows {
		var sex string
		if err := t.queryRow(ctx, `SELECT sex FROM people WHERE id = ?`, motherID).Scan(&sex); err != nil {
			return "", classify(err)
		}
		if people.Sex(sex) == people.Male {
			return "", errs.Field("person_id", "pregnancy.mother_sex", nil)
		}
		on, _ := time.Parse("2006-01-02", rec.OccurredOn)
		due := on.AddDate(0, 0, 7*(40-min(rec.Data.GestationalWeeks, 40))).Format("2006-01-02")
		id = NewID()
		now := t.now()
		if _, err := t.exec(ctx, `INSERT INTO pregnancies (id, mother_id, expected_date, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, motherID, due, string(people.Ongoing), now, now); err != nil {
			return "", classify(err)
		}
		a := s.actor
		a.Action, a.ObjectType, a.ObjectID, a.Detail = ActionPregnancySaved, "pregnancy", id, "import"
		if err := t.Audit(ctx, a); err != nil {
			return "", err
		}
	} else if err != nil {
		return "", classify(err)
	}
	planned[motherID] = id
	return id, nil
}

// write stores a planned batch: new people in bulk, changed ones in place
// (optimistic concurrency on their version), records, keys and audits.
func (s *importSink) write(ctx context.Context, t *Tx, job *imports.Job, b *imports.Batch, plan []*planned,
	updates map[string]*pendingPerson, counts *imports.Counts) error {
	now := t.now()
	var fresh []people.Person
	for _, p := range plan {
		if p.create {
			fresh = append(fresh, *p.row.Person)
		}
	}
	for i := range fresh {
		if err := checkBulkPerson(&fresh[i]); err != nil {
			return errs.Internalf("import of job %s: %w", job.ID, err)
		}
	}
	// Everyone this batch creates, changes or adds records to moves the
	// dashboard counters, except new people without a place (who count
	// nowhere: see dashTouchNewPeople).
	unplaced := map[string]bool{}
	for i := range fresh {
		if !placed(&fresh[i]) {
			unplaced[fresh[i].ID] = true
		}
	}
	var touched []string
	for _, p := range plan {
		if !p.create {
			touched = append(touched, p.personID)
		}
		for _, r := range p.records {
			if !unplaced[r.rec.PersonID] {
				touched = append(touched, r.rec.PersonID)
			}
		}
	}
	for id := range updates {
		touched = append(touched, id)
	}
	t.dashTouchNewPeople(fresh)
	if err := t.dashTouchPerson(ctx, touched...); err != nil {
		return err
	}
	bi := bulkInserter{db: s.db, communities: map[string]string{}, prepared: preparedKeys(b, plan)}
	if err := bi.insertTx(ctx, t, nil, fresh); err != nil {
		return err
	}
	kw := newBulkWriter(t, importKeyTable)
	// A corrected row's key gets its new hash: an upsert of keys the plan
	// read in this transaction (so always an update), many a statement.
	hw := newBulkUpsert(t, importKeyTable, importKeyRehash)
	queued := map[[2]string]bool{}
	rehash := func(key, objType, id, hash string) error {
		if k := [2]string{objType, key}; queued[k] {
			// The same key twice in a batch: one statement may not update
			// a row twice (PostgreSQL), so the first goes first.
			if err := hw.flush(ctx); err != nil {
				return err
			}
			clear(queued)
		}
		queued[[2]string{objType, key}] = true
		return hw.add(ctx, job.Source, key, objType, id, hash, job.ID, now)
	}
	aw := newBulkWriter(t, auditTable)
	rw := newBulkWriter(t, recordTable)
	note := func(action, objType, objID, detail string) error {
		outcome := s.actor.Outcome
		if outcome == "" {
			outcome = "success"
		}
		return aw.add(ctx, NewID(), now, s.actor.ActorID, action, objType, objID, outcome, s.actor.RequestID, detail)
	}
	detail := "import:" + job.ID
	ids := make([]string, 0, len(updates))
	for id, u := range updates {
		if !samePerson(u.before, u.now) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids) // a fixed order: two batches on PostgreSQL never wait on each other in a circle
	for _, id := range ids {
		if err := t.importUpdatePerson(ctx, updates[id].now); err != nil {
			return err
		}
		if err := note(ActionPersonUpdated, "person", id, detail); err != nil {
			return err
		}
	}
	records := 0
	var reviews []queuedPair
	for _, p := range plan {
		switch p.outcome {
		case "created":
			counts.Created++
		case "linked":
			counts.Linked++
		case "added":
			counts.Added++
		case "updated":
			counts.Updated++
		case "unchanged":
			counts.Unchanged++
		}
		if p.create {
			if err := note(ActionPersonCreated, "person", p.personID, detail); err != nil {
				return err
			}
		}
		if p.action == imports.LinkProbable {
			if err := note(ActionLinkageAutoLinked, "person", p.personID, detail+" score="+strconv.FormatFloat(p.score, 'f', 1, 64)); err != nil {
				return err
			}
		}
		if p.review != nil {
			reviews = append(reviews, *p.review)
		}
		if p.keyNew {
			if err := kw.add(ctx, job.Source, p.row.Key, "person", p.personID, p.row.Hash, job.ID, now); err != nil {
				return err
			}
		}
		if p.keyHash {
			if err := rehash(p.row.Key, "person", p.personID, p.row.Hash); err != nil {
				return err
			}
		}
		for _, r := range p.records {
			records++
			rec := r.rec
			rec.ID = r.id
			data, err := t.db.recordData(rec)
			if err != nil {
				return err
			}
			if r.insert {
				if err := rw.add(ctx, r.id, nullString(r.rec.PersonID), nullString(r.rec.PregnancyID), string(r.rec.Kind), r.rec.OccurredOn,
					r.rec.OrganisationID, r.rec.AuthorID, string(r.rec.Dimension), string(r.rec.Sensitivity), data, now); err != nil {
					return err
				}
				if err := kw.add(ctx, job.Source, r.rr.Key, "record", r.id, r.rr.Hash, job.ID, now); err != nil {
					return err
				}
				continue
			}
			if _, err := t.exec(ctx, `UPDATE service_records SET occurred_on = ?, organisation_id = ?, data = ?, dimension = ?, sensitivity = ? WHERE id = ?`,
				r.rec.OccurredOn, r.rec.OrganisationID, data, string(r.rec.Dimension), string(r.rec.Sensitivity), r.id); err != nil {
				return classify(err)
			}
			if err := rehash(r.rr.Key, "record", r.id, r.rr.Hash); err != nil {
				return err
			}
		}
	}
	for _, w := range []*bulkWriter{rw, kw, hw} {
		if err := w.flush(ctx); err != nil {
			return err
		}
	}
	if err := s.placeRelatives(ctx, t, plan, func(id string) error { return note(ActionPersonUpdated, "person", id, detail+" household") }); err != nil {
		return err
	}
	// A new enrolment elsewhere hands the child over, as when typed in. A
	// person new in this batch has no earlier enrolment to hand over from.
	for _, p := range plan {
		if p.create {
			continue
		}
		for _, r := range p.records {
			if r.insert && (r.rec.Kind == people.SchoolEnrolment || r.rec.Kind == people.ChildcareEnrolment) {
				rec := r.rec
				rec.ID = r.id
				if err := t.enrolmentHandoff(ctx, rec, s.actor); err != nil {
					return err
				}
			}
		}
	}
	if err := t.queuePairs(ctx, job, reviews, s.linker.version, s.actor); err != nil {
		return err
	}
	if err := t.recordPatterns(ctx, job.ID, b.Number, s.linker.patterns); err != nil {
		return err
	}
	if n, err := s.writeLinkageEvidence(ctx, t, job, plan, now); err != nil {
		return err
	} else if n > 0 {
		if err := note(ActionLinkageEvidenceWritten, "import_job", job.ID, "batch="+itoa(b.Number)+" rows="+itoa(n)); err != nil {
			return err
		}
	}
	counts.Records = records
	if records > 0 {
		if err := note(ActionRecordsImported, "import_job", job.ID, "records="+itoa(records)); err != nil {
			return err
		}
	}
	if err := note(ActionImportBatch, "import_job", job.ID, "batch="+itoa(b.Number)); err != nil {
		return err
	}
	return aw.flush(ctx)
}

// importUpdatePerson writes a changed person if its version is the one
// read (UpdatePerson's rule), with its identifiers and name keys.
func (t *Tx) importUpdatePerson(ctx context.Context, p people.Person) error {
	res, err := t.exec(ctx, `UPDATE people SET title = ?, given_name = ?, family_name = ?, nickname = ?, given_name_latin = ?,
		family_name_latin = ?, sex = ?, birth_date = ?, birth_year = ?, nationality = ?, phone = ?, search_name = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		p.Title, p.GivenName, p.FamilyName, p.Nickname, p.GivenNameLatin, p.FamilyNameLatin, string(p.Sex), p.BirthDate,
		birthYear(p.BirthDate), string(p.Nationality), p.Phone, searchName(p), t.now(), p.ID, p.Version)
	if err != nil {
		return classify(err)
	}
	if err := oneRow(res); err != nil {
		return err
	}
	return t.writeIdentity(ctx, p)
}

// progress records the committed batch on the job, if this process still
// holds it: a runner that lost its claim (another took over a job it
// thought dead) has its batch rolled back.
func (s *importSink) progress(ctx context.Context, t *Tx, job *imports.Job, b *imports.Batch, c imports.Counts, rejects []imports.RowError) error {
	if err := s.writeRejects(ctx, t, job, rejects); err != nil {
		return err
	}
	res, err := t.exec(ctx, `UPDATE import_jobs SET batches_done = ?, lines_done = ?, bytes_done = ?, encoding = ?, heartbeat_at = ?,
		rows_read = rows_read + ?, rows_created = rows_created + ?, rows_linked = rows_linked + ?, rows_added = rows_added + ?,
		rows_updated = rows_updated + ?, rows_unchanged = rows_unchanged + ?, rows_rejected = rows_rejected + ?, records_written = records_written + ?
		WHERE id = ? AND claim = ? AND batches_done = ?`,
		b.Number, b.LastLine, b.BytesDone, job.Encoding, t.now(), c.Read, c.Created, c.Linked, c.Added, c.Updated, c.Unchanged, c.Rejected, c.Records,
		job.ID, s.claim, b.Number-1)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "import.claim_lost")
	}
	return nil
}

// writeRejects stores rejected rows past the committed lines, replacing
// those of an earlier attempt at the same batch.
func (s *importSink) writeRejects(ctx context.Context, t *Tx, job *imports.Job, rejects []imports.RowError) error {
	if _, err := t.exec(ctx, `DELETE FROM import_rejects WHERE job_id = ? AND line > ?`, job.ID, job.LinesDone); err != nil {
		return classify(err)
	}
	w := newBulkWriter(t, rejectTable)
	for _, r := range rejects {
		if err := w.add(ctx, job.ID, r.Line, r.Field, r.MessageID, encodeData(r.Data)); err != nil {
			return err
		}
	}
	return w.flush(ctx)
}

// FailJob implements imports.Sink.
func (s *importSink) FailJob(ctx context.Context, job *imports.Job, rejects []imports.RowError, cause *imports.RowError) error {
	return s.db.InTx(ctx, func(t *Tx) error {
		rs := rejects
		if len(rs) == 0 && cause != nil {
			rs = []imports.RowError{*cause}
		}
		if err := s.writeRejects(ctx, t, job, rs); err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE import_jobs SET status = ?, claim = '', error_line = ?, error_field = ?, error_message = ?, error_data = ?,
			rows_rejected = rows_rejected + ?, heartbeat_at = ? WHERE id = ? AND claim = ?`,
			string(imports.Failed), cause.Line, cause.Field, cause.MessageID, encodeData(cause.Data), len(rs), t.now(), job.ID, s.claim)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Conflict, "import.claim_lost")
		}
		a := s.actor
		a.Action, a.ObjectType, a.ObjectID, a.Detail, a.Outcome = ActionImportFailed, "import_job", job.ID, cause.MessageID, audit.Failure
		return t.Audit(ctx, a)
	})
}

// FinishJob implements imports.Sink.
func (s *importSink) FinishJob(ctx context.Context, job *imports.Job) error {
	err := s.db.InTx(ctx, func(t *Tx) error {
		now := t.now()
		res, err := t.exec(ctx, `UPDATE import_jobs SET status = ?, claim = '', bytes_done = file_size, finished_at = ?, heartbeat_at = ?
			WHERE id = ? AND claim = ?`, string(imports.Done), now, now, job.ID, s.claim)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Conflict, "import.claim_lost")
		}
		a := s.actor
		a.Action, a.ObjectType, a.ObjectID = ActionImportDone, "import_job", job.ID
		return t.Audit(ctx, a)
	})
	if err != nil {
		return err
	}
	s.db.autoTrainLinkage(ctx, s.actor)
	return nil
}

// ReleaseImportJob gives a job back when its runner stops between batches
// (Ctrl-C, server shutdown): failed with "interrupted", resumable at once.
func (db *DB) ReleaseImportJob(ctx context.Context, id, claim string) error {
	return db.InTx(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE import_jobs SET status = ?, claim = '', error_message = ? WHERE id = ? AND claim = ? AND status = ?`,
			string(imports.Failed), "import.interrupted", id, claim, string(imports.Running))
		return classify(err)
	})
}

// importKeys returns what each of keys was imported as.
func (t *Tx) importKeys(ctx context.Context, source, objType string, keys []string) (map[string]keyed, error) {
	out := make(map[string]keyed, len(keys))
	err := t.lookupIn(ctx, `SELECT source_key, object_id, row_hash FROM import_keys WHERE source = ? AND object_type = ? AND source_key IN `,
		[]any{source, objType}, keys, func(rows *sql.Rows) error {
			var k string
			var v keyed
			err := rows.Scan(&k, &v.id, &v.hash)
			out[k] = v
			return err
		})
	return out, err
}

// nationalIDHolders returns who holds each national ID.
func (t *Tx) nationalIDHolders(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	err := t.lookupIn(ctx, `SELECT value, person_id FROM person_identifiers WHERE kind = ? AND value IN `,
		[]any{string(people.NationalID)}, ids, func(rows *sql.Rows) error {
			var v, id string
			err := rows.Scan(&v, &id)
			out[v] = id
			return err
		})
	return out, err
}

// knownPeople lists the stored people a batch's rows may name: by their
// key (or, for a service row, their person's key) and by national ID.
func knownPeople(rows []*imports.Row, byKey map[string]keyed, byCID map[string]string) []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, r := range rows {
		if r.Person != nil {
			add(byKey[r.Key].id)
			add(byCID[r.Person.NationalID])
		} else {
			add(byKey[r.PersonKey].id)
			add(byCID[r.NationalID])
		}
	}
	return ids
}

// peopleByID reads people with their identifiers, as getPerson reads one,
// two queries for all of them; people not found are absent.
func (t *Tx) peopleByID(ctx context.Context, ids []string) (map[string]people.Person, error) {
	out := make(map[string]people.Person, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := t.lookupIn(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id IN `, nil, ids, func(rows *sql.Rows) error {
		p, err := scanPerson(rows)
		out[p.ID] = p
		return err
	})
	if err != nil {
		return nil, err
	}
	err = t.lookupIn(ctx, `SELECT person_id, kind, value FROM person_identifiers WHERE person_id IN `, nil, ids, func(rows *sql.Rows) error {
		var id, kind, value string
		if err := rows.Scan(&id, &kind, &value); err != nil {
			return err
		}
		p, ok := out[id]
		if !ok {
			return nil
		}
		if people.IdentifierKind(kind) == people.NationalID {
			p.NationalID = value
		} else {
			p.Identifiers = append(p.Identifiers, people.Identifier{Kind: people.IdentifierKind(kind), Value: value})
		}
		out[id] = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	for id, p := range out {
		// getPerson's order (by kind), whatever order the rows came in.
		slices.SortFunc(p.Identifiers, func(a, b people.Identifier) int {
			if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
				return c
			}
			return strings.Compare(a.Value, b.Value)
		})
		out[id] = p
	}
	return out, nil
}

// lookupIn runs query (ending in "IN ") for keys in chunks of lookupChunk,
// calling scan for every row.
func (t *Tx) lookupIn(ctx context.Context, query string, fixed []any, keys []string, scan func(*sql.Rows) error) error {
	for len(keys) > 0 {
		n := min(len(keys), lookupChunk)
		args := append([]any(nil), fixed...)
		var q string
		if t.db.postgres {
			// One array parameter: PostgreSQL plans it once, where an IN
			// list of hundreds of parameters is planned anew every batch.
			q = strings.TrimSuffix(strings.TrimSpace(query), "IN") + `= ANY(?::text[])`
			args = append(args, keys[:n])
		} else {
			q = query + `(` + placeholders(n) + `)`
			for _, k := range keys[:n] {
				args = append(args, k)
			}
		}
		keys = keys[n:]
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return classify(err)
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return classify(err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return classify(err)
		}
	}
	return nil
}
