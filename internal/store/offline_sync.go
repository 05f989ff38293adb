package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// Kinds of change a device sends back.
const (
	ChangeVisit      = "visit"      // a home visit and its note
	ChangeHousehold  = "household"  // the household's address or situation
	ChangeAssessment = "assessment" // a flower assessment of the household or a child, by staff or by the family
	ChangeRecord     = "record"     // a service record of a child: growth, vaccination, DSPM screening, home visit
)

// Outcomes of a change.
const (
	ChangeApplied  = "applied"
	ChangeConflict = "conflict" // (partly) waiting for the worker's choice
	ChangeRefused  = "refused"
)

// householdFields are the household's fields a device may change, with
// how to read and set them.
var householdFields = map[string]func(*people.Household) *string{
	"address":   func(h *people.Household) *string { return &h.Address },
	"situation": func(h *people.Household) *string { return &h.Situation },
}

// OfflineChange is one change recorded on a device, with the ID the device
// gave it and what it was based on.
type OfflineChange struct {
	ID          string
	Kind        string
	HouseholdID string
	// PersonID: a child of one of the kit's households, for a service
	// record or the child's own flower assessment.
	PersonID string
	// A visit.
	VisitedOn, Note string
	// A household change: the version and values the device had, and the
	// values the worker typed.
	BaseVersion int
	Base, New   map[string]string
	// An assessment.
	Source  AssessmentSource
	Answers map[string]flower.Answer
	// A service record of a child.
	RecordKind people.RecordKind
	OccurredOn string
	Data       people.RecordData
	// OrganisationID and AuthorID: for whom the worker recorded it.
	OrganisationID, AuthorID string
}

// OfflineRecordKinds are the service records a device offers offline: what
// a home visit measures or sees of a child.
var OfflineRecordKinds = []people.RecordKind{people.Growth, people.Vaccination, people.DevelopmentScreening, people.HomeVisit}

// ChangeResult is what became of a change.
type ChangeResult struct {
	ID        string   `json:"id"`
	Status    string   `json:"status"`
	MessageID string   `json:"-"`
	Data      any      `json:"-"`
	Conflicts []string `json:"conflicts,omitempty"`
}

// errChangeSeen rolls back a change whose ID another request recorded
// first (the device sent it again while the first was still applying).
var errChangeSeen = errors.New("offline change already recorded")

// ApplyOfflineChange applies a change from a device through the same
// checks and audit as the online forms (the same store functions). A
// change is applied exactly once: its ID is recorded in the transaction
// that applies it, so a change sent again — the answer lost on a weak
// signal, or the server stopped before answering — gets the first outcome
// and changes nothing. A change the rules refuse is refused, with the
// reason.
func (db *DB) ApplyOfflineChange(ctx context.Context, kit OfflineKit, c OfflineChange, actor audit.Event) (ChangeResult, error) {
	res := ChangeResult{ID: c.ID}
	if len(c.ID) < 8 || len(c.ID) > 64 {
		return res, errs.Field("id", "visits.change_id", nil)
	}
	if seen, err := db.changeOutcome(ctx, kit, &res); seen || err != nil {
		return res, err
	}
	for attempt := 0; ; attempt++ {
		write, err := db.prepareChange(ctx, kit, c, actor)
		if err == nil {
			err = db.InTx(ctx, func(t *Tx) error {
				// Claimed first: a second request with this ID waits here
				// for the first to commit, then finds it and applies nothing.
				fresh, err := t.claimChange(ctx, kit, c, ChangeApplied)
				if err != nil || !fresh {
					return cmp.Or(err, errChangeSeen)
				}
				resultID, conflicts, err := write(t)
				if err != nil {
					return err
				}
				if db.changeApplied != nil {
					if err := db.changeApplied(c.ID); err != nil {
						return err
					}
				}
				res.Status = ChangeApplied
				if len(conflicts) > 0 {
					res.Status = ChangeConflict
				}
				if _, err := t.exec(ctx, `UPDATE offline_changes SET status = ?, result_id = ? WHERE id = ?`, res.Status, resultID, c.ID); err != nil {
					return classify(err)
				}
				res.Conflicts, err = t.insertConflicts(ctx, kit, c, conflicts)
				return err
			})
		}
		switch {
		case err == nil:
			return res, nil
		case errors.Is(err, errChangeSeen):
			res = ChangeResult{ID: c.ID}
			_, err = db.changeOutcome(ctx, kit, &res)
			return res, err
		case c.Kind == ChangeHousehold && errs.Is(err, errs.Stale) && attempt < 3:
			continue // saved by someone else this instant: compare again
		}
		e := errs.As(err)
		switch e.Code {
		case errs.Invalid, errs.NotFound, errs.Forbidden, errs.Stale, errs.Conflict:
		default:
			return res, err // the database: the device keeps the change and tries again
		}
		// Refused: nothing was applied; the refusal is recorded so that
		// the change, sent again, gets the same answer.
		res = ChangeResult{ID: c.ID, Status: ChangeRefused, MessageID: e.MessageID, Data: e.Data}
		err = db.InTx(ctx, func(t *Tx) error {
			fresh, err := t.claimChange(ctx, kit, c, ChangeRefused)
			if err != nil || !fresh {
				return cmp.Or(err, errChangeSeen)
			}
			if _, err := t.exec(ctx, `UPDATE offline_changes SET message_id = ? WHERE id = ?`, res.MessageID, c.ID); err != nil {
				return classify(err)
			}
			ev := actor
			ev.Action, ev.ObjectType, ev.ObjectID, ev.Outcome, ev.Detail = ActionSyncRefused, "offline_kit", kit.ID, audit.Denied, res.MessageID
			return t.Audit(ctx, ev)
		})
		if errors.Is(err, errChangeSeen) {
			res = ChangeResult{ID: c.ID}
			_, err = db.changeOutcome(ctx, kit, &res)
		}
		return res, err
	}
}

// changeOutcome fills in what became of a change the server has recorded;
// it reports false when it has none. A change ID of another kit is refused.
func (db *DB) changeOutcome(ctx context.Context, kit OfflineKit, res *ChangeResult) (bool, error) {
	var status, kitID, message string
	err := db.reader().queryRow(ctx, `SELECT status, kit_id, message_id FROM offline_changes WHERE id = ?`, res.ID).Scan(&status, &kitID, &message)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, classify(err)
	}
	if kitID != kit.ID {
		return true, errs.Field("id", "visits.change_id", nil)
	}
	res.Status, res.MessageID = status, message
	if status == ChangeConflict {
		res.Conflicts, err = db.reader().strings(ctx, `SELECT id FROM household_conflicts WHERE change_id = ? ORDER BY id`, res.ID)
	}
	return true, err
}

// claimChange records a change's ID in the caller's transaction; it
// reports false when the ID is recorded already (the transaction must
// then apply nothing).
func (t *Tx) claimChange(ctx context.Context, kit OfflineKit, c OfflineChange, status string) (bool, error) {
	r, err := t.exec(ctx, `INSERT INTO offline_changes (id, kit_id, user_id, kind, status, result_id, created_at) VALUES (?, ?, ?, ?, ?, '', ?)
		ON CONFLICT (id) DO NOTHING`, c.ID, kit.ID, kit.UserID, c.Kind, status, t.now())
	if err != nil {
		return false, classify(err)
	}
	n, err := r.RowsAffected()
	return n == 1, classify(err)
}

func (t *Tx) insertConflicts(ctx context.Context, kit OfflineKit, c OfflineChange, conflicts []householdConflict) ([]string, error) {
	var ids []string
	now := t.now()
	for _, hc := range conflicts {
		id := NewID()
		if _, err := t.exec(ctx, `INSERT INTO household_conflicts (id, change_id, user_id, household_id, field, base_version, their_version,
			base_value, their_value, my_value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, c.ID, kit.UserID, c.HouseholdID, hc.field, c.BaseVersion, hc.theirVersion, hc.base, hc.theirs, hc.mine, now); err != nil {
			return nil, classify(err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// changeWrite applies a checked change in a transaction: the ID of what
// it made, and the fields that wait for the worker's choice.
type changeWrite func(t *Tx) (string, []householdConflict, error)

// prepareChange makes the checks of the online form that makes the same
// change — access to the household or child, the form's rules — outside
// any transaction (they audit reads), and returns the write.
func (db *DB) prepareChange(ctx context.Context, kit OfflineKit, c OfflineChange, actor audit.Event) (changeWrite, error) {
	if c.PersonID != "" {
		// A child: of one of the kit's households, now.
		var household string
		err := db.reader().queryRow(ctx, `SELECT COALESCE(household_id, '') FROM people WHERE id = ?`, c.PersonID).Scan(&household)
		if err != nil && err != sql.ErrNoRows {
			return nil, classify(err)
		}
		if household == "" || (c.HouseholdID != "" && household != c.HouseholdID) {
			return nil, errs.New(errs.Forbidden, "visits.not_in_kit")
		}
		c.HouseholdID = household
	}
	if !kit.has(c.HouseholdID) {
		return nil, errs.New(errs.Forbidden, "visits.not_in_kit")
	}
	switch c.Kind {
	case ChangeVisit:
		v := HomeVisit{HouseholdID: c.HouseholdID, VisitedOn: c.VisitedOn, Note: c.Note, OrganisationID: c.OrganisationID, AuthorID: c.AuthorID}
		if err := db.checkHomeVisit(&v); err != nil {
			return nil, err
		}
		if err := db.requireHousehold(ctx, v.HouseholdID, actor); err != nil {
			return nil, err
		}
		return func(t *Tx) (string, []householdConflict, error) {
			err := t.addHomeVisit(ctx, &v, actor)
			return v.ID, nil, err
		}, nil
	case ChangeAssessment:
		in := AssessmentInput{Subject: flower.Household, SubjectID: c.HouseholdID, Answers: c.Answers,
			Source: c.Source, OrganisationID: c.OrganisationID, AuthorID: c.AuthorID}
		if c.PersonID != "" {
			in.Subject, in.SubjectID = flower.Child, c.PersonID
		}
		e, err := db.evaluate(ctx, in)
		if err != nil {
			return nil, err
		}
		if err := db.requireSubject(ctx, in.Subject, in.SubjectID, actor); err != nil {
			return nil, err
		}
		return func(t *Tx) (string, []householdConflict, error) {
			err := t.insertAssessment(ctx, &e, actor)
			return e.out.ID, nil, err
		}, nil
	case ChangeRecord:
		if c.PersonID == "" {
			return nil, errs.Field("person_id", "field.required", nil)
		}
		if !slices.Contains(OfflineRecordKinds, c.RecordKind) {
			return nil, errs.Field("kind", "field.choice", nil)
		}
		r := people.Record{PersonID: c.PersonID, Kind: c.RecordKind, OccurredOn: c.OccurredOn, Data: c.Data,
			OrganisationID: c.OrganisationID, AuthorID: c.AuthorID}
		if err := db.requireRecordSubject(ctx, r, actor); err != nil {
			return nil, err
		}
		return func(t *Tx) (string, []householdConflict, error) {
			err := t.addRecord(ctx, &r, actor)
			return r.ID, nil, err
		}, nil
	case ChangeHousehold:
		for field := range c.New {
			if _, ok := householdFields[field]; !ok {
				return nil, errs.Field(field, "field.choice", nil)
			}
		}
		if err := db.requireHousehold(ctx, c.HouseholdID, actor); err != nil {
			return nil, err
		}
		return func(t *Tx) (string, []householdConflict, error) {
			conflicts, err := t.mergeHousehold(ctx, c, actor)
			return c.HouseholdID, conflicts, err
		}, nil
	}
	return nil, errs.Field("kind", "field.choice", nil)
}

func (k OfflineKit) has(householdID string) bool {
	return householdID != "" && slices.Contains(k.HouseholdIDs, householdID)
}

type householdConflict struct {
	field, base, theirs, mine string
	theirVersion              int
}

// mergeHousehold applies a household change field by field: a field the
// worker changed and nobody else did takes the worker's value; a field
// someone else changed meanwhile to another value waits for the worker's
// choice. Never is one silently written over the other. Saved by someone
// else between the read and the write, it fails Stale and is tried again.
func (t *Tx) mergeHousehold(ctx context.Context, c OfflineChange, actor audit.Event) ([]householdConflict, error) {
	cur, err := t.getHousehold(ctx, c.HouseholdID)
	if err != nil {
		return nil, err
	}
	next, changed := cur, false
	var conflicts []householdConflict
	for field, mine := range c.New {
		get := householdFields[field]
		base := c.Base[field]
		theirs := *get(&cur)
		switch {
		case mine == base, mine == theirs:
		case theirs == base:
			*get(&next), changed = mine, true
		default:
			conflicts = append(conflicts, householdConflict{field: field, base: base, theirs: theirs, mine: mine, theirVersion: cur.Version})
		}
	}
	slices.SortFunc(conflicts, func(a, b householdConflict) int { return cmp.Compare(a.field, b.field) })
	if !changed {
		return conflicts, nil
	}
	if err := validateHousehold(&next); err != nil {
		return nil, err
	}
	return conflicts, t.saveHousehold(ctx, &next, actor)
}

// HouseholdConflict is a field two people changed, as the worker sees it.
type HouseholdConflict struct {
	ID           string
	HouseholdID  string
	Field        string
	BaseVersion  int
	TheirVersion int
	Base, Theirs string
	Mine         string
	CreatedAt    time.Time
	ResolvedAt   *time.Time
	Chosen       string // mine or theirs
}

const conflictColumns = `id, household_id, field, base_version, their_version, base_value, their_value, my_value, created_at, resolved_at, chosen`

func scanConflict(row interface{ Scan(...any) error }) (HouseholdConflict, error) {
	var c HouseholdConflict
	var created string
	var resolved sql.NullString
	err := row.Scan(&c.ID, &c.HouseholdID, &c.Field, &c.BaseVersion, &c.TheirVersion, &c.Base, &c.Theirs, &c.Mine, &created, &resolved, &c.Chosen)
	c.CreatedAt, c.ResolvedAt = parseTS(created), parseNullTS(resolved)
	return c, classify(err)
}

func (db *DB) queryConflicts(ctx context.Context, q string, args ...any) ([]HouseholdConflict, error) {
	rows, err := db.reader().query(ctx, `SELECT `+conflictColumns+` FROM household_conflicts WHERE `+q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []HouseholdConflict
	for rows.Next() {
		c, err := scanConflict(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, classify(rows.Err())
}

// OpenConflicts lists the conflicts waiting for a user's choice.
func (db *DB) OpenConflicts(ctx context.Context, userID string) ([]HouseholdConflict, error) {
	return db.queryConflicts(ctx, `user_id = ? AND resolved_at IS NULL ORDER BY created_at, id`, userID)
}

// HouseholdConflicts is a household's history of conflicting changes, both
// sides of each kept (the caller has read the household).
func (db *DB) HouseholdConflicts(ctx context.Context, householdID string) ([]HouseholdConflict, error) {
	return db.queryConflicts(ctx, `household_id = ? ORDER BY created_at DESC, id LIMIT 50`, householdID)
}

// Conflict returns one of a user's conflicts, the household checked as a
// read is.
func (db *DB) Conflict(ctx context.Context, userID, id string, actor audit.Event) (HouseholdConflict, error) {
	cs, err := db.queryConflicts(ctx, `id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return HouseholdConflict{}, err
	}
	if len(cs) == 0 {
		return HouseholdConflict{}, errs.New(errs.NotFound, "visits.conflict_unknown")
	}
	return cs[0], db.requireHousehold(ctx, cs[0].HouseholdID, actor)
}

// ResolveConflict applies the worker's choice: "mine" writes the worker's
// value over the current one (a new version), "theirs" keeps what is
// there. Either way the conflict stays, with both values and the choice.
func (db *DB) ResolveConflict(ctx context.Context, userID, id, choice string, actor audit.Event) (HouseholdConflict, error) {
	c, err := db.Conflict(ctx, userID, id, actor)
	if err != nil {
		return c, err
	}
	if c.ResolvedAt != nil {
		return c, errs.New(errs.Conflict, "visits.conflict_done")
	}
	if choice != "mine" && choice != "theirs" {
		return c, errs.Field("choice", "visits.choose_side", nil)
	}
	if choice == "mine" {
		for attempt := 0; ; attempt++ {
			cur, err := db.reader().getHousehold(ctx, c.HouseholdID)
			if err != nil {
				return c, err
			}
			*householdFields[c.Field](&cur) = c.Mine
			_, err = db.SaveHousehold(ctx, cur, actor)
			if errs.Is(err, errs.Stale) && attempt < 3 {
				continue
			}
			if err != nil {
				return c, err
			}
			break
		}
	}
	err = db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE household_conflicts SET resolved_at = ?, chosen = ? WHERE id = ? AND resolved_at IS NULL`, t.now(), choice, id)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Conflict, "visits.conflict_done")
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionConflictResolved, "household", c.HouseholdID, c.Field+":"+choice
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return c, err
	}
	c.Chosen = choice
	return c, nil
}
