package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"sync"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
	"termtem/internal/thai"
)

// Bulk-insert sizes. A transaction of about a thousand households and
// people amortises the commit (an fsync on SQLite) without holding the
// single writer for long; a statement's rows keep its parameters below
// SQLite's 32,766 (19 a person: 9,500 in a statement of people; 9 an
// audit row: 9,000 in one of 1,000). Statements this large, prepared once
// (bulk_stmts.go), halved the statement journal's copying on SQLite against
// statements of 100 to 250 rows: each statement saves every page it
// changes once, however many of its rows change it. PostgreSQL gets COPY.
const (
	insertBatchRows     = 1000
	insertStatementRows = 500
)

// The tables a bulk-inserted person is written to: everything CreatePerson
// writes, so that the person is found, looked up and shown the same way.
var (
	householdTable = bulkTable{`INSERT INTO households (id, community_id, address, head_id, caregiver_id, created_at, updated_at) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?)`, insertStatementRows}
	personTable = bulkTable{`INSERT INTO people (id, household_id, community_id, title, given_name, family_name, nickname,
		given_name_latin, family_name_latin, sex, birth_date, birth_year, nationality, phone, relation, from_pregnancy_id, search_name,
		created_at, updated_at) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, insertStatementRows}
	identifierTable = bulkTable{`INSERT INTO person_identifiers (person_id, kind, value, created_at) VALUES `, `(?, ?, ?, ?)`, 1000}
	nameKeyTable    = bulkTable{`INSERT INTO person_name_keys (key, person_id, birth_year, district_code) VALUES `, `(?, ?, ?, ?)`, 1000}
	memberTable     = bulkTable{`INSERT INTO household_members (id, household_id, person_id, relationship, started_on, created_at) VALUES `,
		`(?, ?, ?, ?, ?, ?)`, 1000}
	recordTable = bulkTable{`INSERT INTO service_records (id, person_id, pregnancy_id, kind, occurred_on, organisation_id, author_id,
		dimension, sensitivity, data, created_at) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, insertStatementRows}
)

// bulkTable is a multi-row INSERT: its head, one row's placeholders, and how
// many rows a full statement holds.
type bulkTable struct {
	head, row    string
	perStatement int
}

// insertSQL caches the multi-row statements by table and row count, so the
// full-size statement is built (and rebound) once.
var insertSQL sync.Map

func multiRowInsert(head, row string, n int) string {
	type key struct {
		head string
		n    int
	}
	k := key{head, n}
	if q, ok := insertSQL.Load(k); ok {
		return q.(string)
	}
	var b strings.Builder
	b.Grow(len(head) + n*(len(row)+2))
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	q := b.String()
	insertSQL.Store(k, q)
	return q
}

// InsertHouseholds stores new households and people in transactions of about
// 1,000 households and people; each transaction is all-or-nothing, so a
// failure leaves the earlier batches stored. A household and the people
// right after it in ps (each household's members together, in the order of
// hs) go into the same transaction; people in any other order are stored
// after all the households, so a person's household is always stored first.
//
// It writes what CreatePerson writes — the person with its community (the
// household's), birth year and search name; its national ID and other
// identifiers; the phonetic keys of its names; its membership of the
// household from today — and each household's head and main caregiver.
// It is the path for generated and imported data: the people must already
// be valid and normalised (people.ValidatePerson leaves them unchanged),
// IDs are the caller's, nothing is audited here, and a number already held
// by someone fails the batch as a conflict.
func (db *DB) InsertHouseholds(ctx context.Context, hs []people.Household, ps []people.Person) error {
	return db.InsertHouseholdsBatched(ctx, hs, ps, insertBatchRows)
}

// InsertHouseholdsBatched is InsertHouseholds with transactions of about
// batchRows households and people. Larger transactions store a large
// population faster (fewer commits, and pages shared by many rows written
// once) but hold the single SQLite writer longer: other writes wait.
func (db *DB) InsertHouseholdsBatched(ctx context.Context, hs []people.Household, ps []people.Person, batchRows int) error {
	batchRows = max(batchRows, 1)
	for i := range hs {
		if hs[i].ID == "" || hs[i].CommunityID == "" {
			return errs.Internalf("household %d: ID and CommunityID are required", i)
		}
	}
	for i := range ps {
		if err := checkBulkPerson(&ps[i]); err != nil {
			return errs.Internalf("person %d: %w", i, err)
		}
	}
	b := bulkInserter{db: db, communities: make(map[string]string, len(hs))}
	for _, h := range hs {
		b.communities[h.ID] = h.CommunityID
	}
	j := 0 // the next person not yet given a batch
	hStart := 0
	pStart := 0
	for i := range hs {
		members := 0
		for j+members < len(ps) && ps[j+members].HouseholdID == hs[i].ID {
			members++
		}
		rows := (i - hStart) + (j - pStart)
		if rows > 0 && rows+1+members > batchRows {
			if err := b.insert(ctx, hs[hStart:i], ps[pStart:j]); err != nil {
				return err
			}
			hStart, pStart = i, j
		}
		j += members
	}
	if err := b.insert(ctx, hs[hStart:], ps[pStart:j]); err != nil {
		return err
	}
	for rest := ps[j:]; len(rest) > 0; {
		n := min(len(rest), batchRows)
		if err := b.insert(ctx, nil, rest[:n]); err != nil {
			return err
		}
		rest = rest[n:]
	}
	return nil
}

// checkBulkPerson catches the caller mistakes that would store a person
// nobody can find: no name, or a document number not in normalised form.
func checkBulkPerson(p *people.Person) error {
	if p.ID == "" || (p.GivenName == "" && p.GivenNameLatin == "" && p.Nickname == "") {
		return errs.Internalf("ID and a name are required")
	}
	if p.NationalID != "" {
		if d, err := thai.ValidateNationalID(p.NationalID); err != nil || d != p.NationalID {
			return errs.Internalf("national ID not valid and normalised")
		}
	}
	for _, id := range p.Identifiers {
		if n, err := people.NormalizeIdentifier(id.Kind, id.Value, "other_ids"); err != nil || n != id {
			return errs.Internalf("identifier of kind %s not valid and normalised", id.Kind)
		}
	}
	return nil
}

// bulkInserter reuses its buffers across batches.
type bulkInserter struct {
	db          *DB
	communities map[string]string // household ID → community ID
	keys        []string
	districts   []string // district codes of the statement's people, for their name keys
	// prepared are name keys worked out before the transaction, by person
	// ID (an import's, imports_prepare.go).
	prepared map[string]*preparedPerson
}

// insert stores hs, then ps with their identifiers, name keys and
// memberships, in one transaction.
func (b *bulkInserter) insert(ctx context.Context, hs []people.Household, ps []people.Person) error {
	if len(hs) == 0 && len(ps) == 0 {
		return nil
	}
	return b.db.InTx(ctx, func(t *Tx) error { return b.insertTx(ctx, t, hs, ps) })
}

// insertTx is insert inside the caller's transaction (an import batch
// writes its new people with its other rows).
func (b *bulkInserter) insertTx(ctx context.Context, t *Tx, hs []people.Household, ps []people.Person) (err error) {
	if !t.db.postgres {
		// A batch inserts into every people index at random places: 128 MB
		// of pages for the batch, then back to the writer's own budget
		// (the setting outlives the transaction, and left at 128 MB it
		// kept the server over its memory budget after any import). If the
		// setting cannot be put back, the batch fails rather than leave the
		// writer over budget unseen.
		if _, err := t.exec(ctx, `PRAGMA cache_size = -`+strconv.Itoa(bulkWriterCacheKiB)); err != nil {
			return classify(err)
		}
		defer func() {
			if _, rerr := t.exec(ctx, `PRAGMA cache_size = -`+strconv.Itoa(writerCacheKiB)); rerr != nil && err == nil {
				err = classify(rerr)
			}
		}()
	}
	hids := make([]string, len(hs))
	for i, h := range hs {
		hids[i] = h.ID
	}
	if err := t.dashTouchHousehold(ctx, hids...); err != nil {
		return err
	}
	t.dashTouchNewPeople(ps)
	now := t.now()
	today := t.db.Now().Format("2006-01-02")
	hw := newBulkWriter(t, householdTable)
	for _, h := range hs {
		if err := hw.add(ctx, h.ID, h.CommunityID, h.Address, nullString(h.HeadID), nullString(h.CaregiverID), now, now); err != nil {
			return err
		}
	}
	if err := hw.flush(ctx); err != nil {
		return err
	}
	pw := newBulkWriter(t, personTable)
	iw := newBulkWriter(t, identifierTable)
	kw := newBulkWriter(t, nameKeyTable)
	mw := newBulkWriter(t, memberTable)
	// People go in statements of insertStatementRows; their other rows
	// follow each statement, once the people they refer to are stored.
	for len(ps) > 0 {
		n := min(len(ps), insertStatementRows)
		if pw.copies() {
			n = min(len(ps), copyFlushRows) // COPY has no parameter limit
		}
		chunk := ps[:n]
		ps = ps[n:]
		districts := b.districts[:0]
		for i := range chunk {
			p := &chunk[i]
			community := p.CommunityID
			if p.HouseholdID != "" { // people live where their household lives
				c, err := b.community(ctx, t, p.HouseholdID)
				if err != nil {
					return err
				}
				community = c
			}
			_, district, err := t.db.CommunityCodes(ctx, community)
			if err != nil {
				return err
			}
			districts = append(districts, district)
			if err := pw.add(ctx, p.ID, nullString(p.HouseholdID), nullString(community), p.Title, p.GivenName, p.FamilyName,
				p.Nickname, p.GivenNameLatin, p.FamilyNameLatin, string(p.Sex), p.BirthDate, birthYear(p.BirthDate),
				string(p.Nationality), p.Phone, string(p.Relation), nullString(p.FromPregnancyID), searchName(*p), now, now); err != nil {
				return err
			}
		}
		if err := pw.flush(ctx); err != nil {
			return err
		}
		for i := range chunk {
			p := &chunk[i]
			if p.NationalID != "" {
				if err := iw.add(ctx, p.ID, string(people.NationalID), p.NationalID, now); err != nil {
					return err
				}
			}
			for _, id := range p.Identifiers {
				if err := iw.add(ctx, p.ID, string(id.Kind), id.Value, now); err != nil {
					return err
				}
			}
			for _, k := range b.nameKeysOf(p) {
				if err := kw.add(ctx, k, p.ID, birthYear(p.BirthDate), nullString(districts[i])); err != nil {
					return err
				}
			}
			if p.HouseholdID != "" {
				rel := p.Relation
				if rel == "" {
					rel = people.RelOther
				}
				if err := mw.add(ctx, NewID(), p.HouseholdID, p.ID, string(rel), today, now); err != nil {
					return err
				}
			}
		}
	}
	for _, w := range []*bulkWriter{iw, kw, mw} {
		if err := w.flush(ctx); err != nil {
			return err
		}
	}
	return nil
}

// community returns the community of a household: one of this call's, or
// one already stored.
func (b *bulkInserter) community(ctx context.Context, t *Tx, householdID string) (string, error) {
	if c, ok := b.communities[householdID]; ok {
		return c, nil
	}
	var c string
	err := t.queryRow(ctx, `SELECT community_id FROM households WHERE id = ?`, householdID).Scan(&c)
	if err == sql.ErrNoRows {
		return "", errs.Field("household_id", "household.not_found", nil)
	}
	if err != nil {
		return "", classify(err)
	}
	b.communities[householdID] = c
	return c, nil
}

// appendNameKeys appends the person's distinct name keys, as nameKeys
// makes them, without a map: a person has a handful.
func appendNameKeys(dst []string, p *people.Person) []string {
	start := len(dst)
	for _, s := range [...]string{p.GivenName, p.FamilyName, p.Nickname, p.GivenNameLatin, p.FamilyNameLatin} {
		if s == "" {
			continue
		}
		for _, k := range thai.NameKeys(s) {
			if k != "" && !slices.Contains(dst[start:], k) {
				dst = append(dst, k)
			}
		}
	}
	return dst
}

// bulkWriter gathers one table's rows in a transaction and writes them
// with multi-row INSERTs (COPY on PostgreSQL). On SQLite the full-size
// statement stays prepared across transactions (bulk_stmts.go): parsing
// the SQL again for every hundred rows took a fifth of the time.
type bulkWriter struct {
	t    *Tx
	tab  bulkTable
	args []any
	rows int
	// tail follows the rows of every statement (an upsert's ON CONFLICT);
	// a writer with one never uses COPY, which cannot upsert.
	tail string
}

func newBulkWriter(t *Tx, tab bulkTable) *bulkWriter { return &bulkWriter{t: t, tab: tab} }

// newBulkUpsert is a bulk writer whose statements end in tail (ON
// CONFLICT … DO UPDATE …). The caller gives each conflict key at most
// once a statement: PostgreSQL refuses to update one row twice in a
// statement.
func newBulkUpsert(t *Tx, tab bulkTable, tail string) *bulkWriter {
	return &bulkWriter{t: t, tab: tab, tail: tail}
}

// add queues one row, writing a full statement when one is ready.
func (w *bulkWriter) add(ctx context.Context, row ...any) error {
	w.args = append(w.args, row...)
	w.rows++
	if w.rows == w.tab.perStatement && !w.copies() || w.rows == copyFlushRows {
		return w.flush(ctx)
	}
	return nil
}

// flush writes the queued rows.
func (w *bulkWriter) flush(ctx context.Context) error {
	if w.rows == 0 {
		return nil
	}
	n, args := w.rows, w.args
	w.rows, w.args = 0, w.args[:0]
	defer clear(args) // drop references to the caller's strings
	if w.copies() {
		return w.copy(ctx, n, args)
	}
	q := multiRowInsert(w.tab.head, w.tab.row, n) + w.tail
	if n == w.tab.perStatement && w.t.conn != nil && !w.t.db.postgres {
		return classify(w.t.db.bulkStmts.exec(ctx, w.t.conn, q, args))
	}
	_, err := w.t.exec(ctx, q, args...)
	return classify(err)
}

// InsertRecords validates and stores service records in one transaction,
// all or none, audited as one import: the bulk path for the demo's and
// imported histories. Each record is checked as AddRecord checks it (the
// person's birth date bounds its date; kind-specific data is validated and
// derived fields filled) and gets a new ID; the stored records are returned.
func (db *DB) InsertRecords(ctx context.Context, rs []people.Record, actor audit.Event) ([]people.Record, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	out := make([]people.Record, len(rs))
	copy(out, rs)
	err := db.InTx(ctx, func(t *Tx) error {
		births := map[string]string{}
		pregnancies := map[string]bool{}
		for i := range out {
			r := &out[i]
			birth := ""
			switch {
			case r.PersonID != "":
				b, ok := births[r.PersonID]
				if !ok {
					err := t.queryRow(ctx, `SELECT birth_date FROM people WHERE id = ?`, r.PersonID).Scan(&b)
					if err == sql.ErrNoRows {
						return errs.Field("person_id", "person.not_found", map[string]any{"Index": i})
					}
					if err != nil {
						return classify(err)
					}
					births[r.PersonID] = b
				}
				birth = b
			case r.PregnancyID != "":
				if !pregnancies[r.PregnancyID] {
					if _, err := t.getPregnancy(ctx, r.PregnancyID); err != nil {
						return err
					}
					pregnancies[r.PregnancyID] = true
				}
			default:
				return errs.Field("person_id", "field.required", map[string]any{"Index": i})
			}
			if err := people.ValidateRecord(r, birth, db.Now()); err != nil {
				return err
			}
		}
		var touched []string
		for i := range out {
			touched = append(touched, out[i].PersonID)
		}
		if err := t.dashTouchPerson(ctx, touched...); err != nil {
			return err
		}
		now := t.now()
		w := newBulkWriter(t, recordTable)
		for i := range out {
			r := &out[i]
			r.ID, r.CreatedAt = NewID(), parseTS(now)
			data, err := db.recordData(*r)
			if err != nil {
				return err
			}
			if err := w.add(ctx, r.ID, nullString(r.PersonID), nullString(r.PregnancyID), string(r.Kind), r.OccurredOn, r.OrganisationID,
				r.AuthorID, string(r.Dimension), string(r.Sensitivity), data, now); err != nil {
				return err
			}
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		actor.Action, actor.ObjectType, actor.Detail = ActionRecordsImported, "service_record", "records="+itoa(len(out))
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ActionRecordsImported audits a bulk InsertRecords.
const ActionRecordsImported = "records.imported"

// CountHouseholds returns the number of households.
func (db *DB) CountHouseholds(ctx context.Context) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM households`).Scan(&n)
	return n, classify(err)
}

// CountPeople returns the number of people.
func (db *DB) CountPeople(ctx context.Context) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM people`).Scan(&n)
	return n, classify(err)
}

// CountPeopleByCommunity returns, per community ID, how many people live in
// its households. Communities without people are absent.
func (db *DB) CountPeopleByCommunity(ctx context.Context) (map[string]int, error) {
	rows, err := db.reader().query(ctx, `SELECT h.community_id, COUNT(*) FROM people p
		JOIN households h ON h.id = p.household_id GROUP BY h.community_id`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, classify(err)
		}
		out[id] = n
	}
	return out, classify(rows.Err())
}
