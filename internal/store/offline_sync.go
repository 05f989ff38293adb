package store

import (
	"context"
	"database/sql"
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
	ChangeAssessment = "assessment" // a flower assessment of the household, by staff or by the family
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
	// A visit.
	VisitedOn, Note string
	// A household change: the version and values the device had, and the
	// values the worker typed.
	BaseVersion int
	Base, New   map[string]string
	// An assessment.
	Source  AssessmentSource
	Answers map[string]flower.Answer
	// OrganisationID and AuthorID: for whom the worker recorded it.
	OrganisationID, AuthorID string
}

// ChangeResult is what became of a change.
type ChangeResult struct {
	ID        string   `json:"id"`
	Status    string   `json:"status"`
	MessageID string   `json:"-"`
	Data      any      `json:"-"`
	Conflicts []string `json:"conflicts,omitempty"`
}

// ApplyOfflineChange applies a change from a device through the same
// checks and audit as the online forms (the same store functions). A
// change already applied (sent twice on a weak signal) is answered as it
// was. A change the rules refuse is refused, with the reason.
func (db *DB) ApplyOfflineChange(ctx context.Context, kit OfflineKit, c OfflineChange, actor audit.Event) (ChangeResult, error) {
	res := ChangeResult{ID: c.ID}
	if len(c.ID) < 8 || len(c.ID) > 64 {
		return res, errs.Field("id", "visits.change_id", nil)
	}
	var status, kitID string
	err := db.reader().queryRow(ctx, `SELECT status, kit_id FROM offline_changes WHERE id = ?`, c.ID).Scan(&status, &kitID)
	if err == nil {
		if kitID != kit.ID {
			return res, errs.Field("id", "visits.change_id", nil)
		}
		res.Status = status
		if status == ChangeConflict {
			res.Conflicts, err = db.reader().strings(ctx, `SELECT id FROM household_conflicts WHERE change_id = ?`, c.ID)
		}
		return res, err
	}
	if err != sql.ErrNoRows {
		return res, classify(err)
	}
	var conflicts []householdConflict
	resultID := ""
	if !kit.has(c.HouseholdID) {
		err = errs.New(errs.Forbidden, "visits.not_in_kit")
	} else {
		switch c.Kind {
		case ChangeVisit:
			var v HomeVisit
			v, err = db.AddHomeVisit(ctx, HomeVisit{HouseholdID: c.HouseholdID, VisitedOn: c.VisitedOn, Note: c.Note,
				OrganisationID: c.OrganisationID, AuthorID: c.AuthorID}, actor)
			resultID = v.ID
		case ChangeAssessment:
			if c.Source != ByStaff && c.Source != ByFamily {
				err = errs.Field("source", "field.choice", nil)
				break
			}
			var a Assessment
			a, err = db.CreateAssessment(ctx, AssessmentInput{Subject: flower.Household, SubjectID: c.HouseholdID, Answers: c.Answers,
				Source: c.Source, OrganisationID: c.OrganisationID, AuthorID: c.AuthorID}, actor)
			resultID = a.ID
		case ChangeHousehold:
			conflicts, err = db.mergeHousehold(ctx, c, actor)
		default:
			err = errs.Field("kind", "field.choice", nil)
		}
	}
	res.Status = ChangeApplied
	if err != nil {
		e := errs.As(err)
		switch e.Code {
		case errs.Invalid, errs.NotFound, errs.Forbidden, errs.Stale, errs.Conflict:
			res.Status, res.MessageID, res.Data = ChangeRefused, e.MessageID, e.Data
		default:
			return res, err // the database: the device keeps the change and tries again
		}
	} else if len(conflicts) > 0 {
		res.Status = ChangeConflict
	}
	err = db.InTx(ctx, func(t *Tx) error {
		now := t.now()
		if _, err := t.exec(ctx, `INSERT INTO offline_changes (id, kit_id, user_id, kind, status, result_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ID, kit.ID, kit.UserID, c.Kind, res.Status, resultID, now); err != nil {
			return classify(err)
		}
		for _, hc := range conflicts {
			id := NewID()
			if _, err := t.exec(ctx, `INSERT INTO household_conflicts (id, change_id, user_id, household_id, field, base_version, their_version,
				base_value, their_value, my_value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, c.ID, kit.UserID, c.HouseholdID, hc.field, c.BaseVersion, hc.theirVersion, hc.base, hc.theirs, hc.mine, now); err != nil {
				return classify(err)
			}
			res.Conflicts = append(res.Conflicts, id)
		}
		if res.Status == ChangeRefused {
			e := actor
			e.Action, e.ObjectType, e.ObjectID, e.Outcome, e.Detail = ActionSyncRefused, "offline_kit", kit.ID, audit.Denied, res.MessageID
			return t.Audit(ctx, e)
		}
		return nil
	})
	return res, err
}

func (k OfflineKit) has(householdID string) bool {
	for _, id := range k.HouseholdIDs {
		if id == householdID {
			return true
		}
	}
	return false
}

type householdConflict struct {
	field, base, theirs, mine string
	theirVersion              int
}

// mergeHousehold applies a household change field by field: a field the
// worker changed and nobody else did takes the worker's value; a field
// someone else changed meanwhile to another value waits for the worker's
// choice. Never is one silently written over the other.
func (db *DB) mergeHousehold(ctx context.Context, c OfflineChange, actor audit.Event) ([]householdConflict, error) {
	if err := db.requireHousehold(ctx, c.HouseholdID, actor); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		cur, err := db.reader().getHousehold(ctx, c.HouseholdID)
		if err != nil {
			return nil, err
		}
		next, changed := cur, false
		var conflicts []householdConflict
		for field, mine := range c.New {
			get, ok := householdFields[field]
			if !ok {
				return nil, errs.Field(field, "field.choice", nil)
			}
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
		if !changed {
			return conflicts, nil
		}
		_, err = db.SaveHousehold(ctx, next, actor)
		if errs.Is(err, errs.Stale) && attempt < 3 {
			continue // saved by someone else this instant: compare again
		}
		return conflicts, err
	}
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
