package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"slices"
	"strings"
	"time"

	"termtem/internal/access"
	"termtem/internal/audit"
	"termtem/internal/errs"
)

// Audit actions of offline home visits.
const (
	ActionOfflinePrepared  = "offline.prepared"   // a household put on a device, per household
	ActionOfflineKeyIssued = "offline.key_issued" // the device's key released to a login
	ActionOfflineRevoked   = "offline.revoked"
	ActionVisitCandidates  = "visits.listed"
	ActionHomeVisitAdded   = "home_visit.added"
	ActionConflictResolved = "household.conflict_resolved"
	ActionSyncRefused      = "offline.sync_refused"
)

// MaxKitHouseholds bounds a day's visits on one device: a phone that is
// lost should not carry a whole district.
const MaxKitHouseholds = 30

// OfflineKit is the households a worker prepared on one device, and the key
// that device keeps them under.
type OfflineKit struct {
	ID           string
	UserID       string
	Device       string
	Key          []byte // AES-256, for the device only
	CreatedAt    time.Time
	ExpiresAt    time.Time
	Revoked      bool
	HouseholdIDs []string
}

// VisitCandidate is a household a worker may take on today's visits.
type VisitCandidate struct {
	ID, Address, Community, Head string
}

// VisitCandidates lists households in the worker's area, in one community
// when communityID is given, at most 100; the list is a read of personal
// data and audited as one.
func (db *DB) VisitCandidates(ctx context.Context, communityID string, actor audit.Event) ([]VisitCandidate, error) {
	req, v, err := db.requestViewer(ctx)
	if err != nil {
		return nil, err
	}
	if req == nil || req.Principal == nil || !req.Principal.Can("people:read") || len(v.districts) == 0 {
		return nil, nil
	}
	q := `SELECT h.id, h.address, c.name_th, COALESCE(TRIM(p.given_name || ' ' || p.family_name), '')
		FROM households h JOIN places c ON c.id = h.community_id JOIN places s ON s.id = c.parent_id
		LEFT JOIN people p ON p.id = h.head_id
		WHERE s.parent_id IN (` + inList(len(v.districts)) + `)`
	args := anyArgs(v.districts)
	if communityID != "" {
		q, args = q+` AND h.community_id = ?`, append(args, communityID)
	}
	rows, err := db.reader().query(ctx, q+` ORDER BY c.name_th, h.address, h.id LIMIT 100`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []VisitCandidate
	for rows.Next() {
		var c VisitCandidate
		if err := rows.Scan(&c.ID, &c.Address, &c.Community, &c.Head); err != nil {
			return nil, classify(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	actor.Action, actor.ObjectType, actor.Detail = ActionVisitCandidates, "household", "count="+itoa(len(out))
	return out, db.AuditRead(ctx, actor)
}

// PrepareOfflineKit makes a kit of households for one device, each checked
// as an online read would be and audited. sessionHash ties the kit to the
// login that made it: logging out ends it.
func (db *DB) PrepareOfflineKit(ctx context.Context, userID, sessionHash, device string, householdIDs []string, life time.Duration, actor audit.Event) (OfflineKit, error) {
	slices.Sort(householdIDs)
	householdIDs = slices.Compact(householdIDs)
	if len(householdIDs) == 0 {
		return OfflineKit{}, errs.Field("household_id", "visits.choose_one", nil)
	}
	if len(householdIDs) > MaxKitHouseholds {
		return OfflineKit{}, errs.Field("household_id", "visits.too_many", map[string]any{"Max": MaxKitHouseholds})
	}
	for _, id := range householdIDs {
		if err := db.requireHousehold(ctx, id, actor); err != nil {
			return OfflineKit{}, err
		}
	}
	k := OfflineKit{ID: NewID(), UserID: userID, Device: device, Key: make([]byte, 32), HouseholdIDs: householdIDs}
	if _, err := rand.Read(k.Key); err != nil {
		return k, errs.Internalf("offline key: %w", err)
	}
	sealed, err := db.seal(k.ID, base64.StdEncoding.EncodeToString(k.Key))
	if err != nil {
		return k, err
	}
	now := db.Now()
	k.CreatedAt, k.ExpiresAt = now, now.Add(life)
	err = db.InTx(ctx, func(t *Tx) error {
		t.made(k.ID)
		if _, err := t.exec(ctx, `INSERT INTO offline_kits (id, user_id, session_hash, device, key_sealed, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			k.ID, userID, sessionHash, device, sealed, ts(now), ts(k.ExpiresAt)); err != nil {
			return classify(err)
		}
		events := make([]audit.Event, 0, len(householdIDs))
		for _, id := range householdIDs {
			if _, err := t.exec(ctx, `INSERT INTO offline_kit_households (kit_id, household_id) VALUES (?, ?)`, k.ID, id); err != nil {
				return classify(err)
			}
			e := actor
			e.Action, e.ObjectType, e.ObjectID, e.Detail = ActionOfflinePrepared, "household", id, "kit="+k.ID
			events = append(events, e)
		}
		return t.auditMany(ctx, events)
	})
	return k, err
}

// OfflineKitOf returns a user's kit with its key. A kit of someone else is
// not found; a revoked or expired one is refused (Forbidden), with the
// reason as the message.
func (db *DB) OfflineKitOf(ctx context.Context, userID, kitID string) (OfflineKit, error) {
	k := OfflineKit{ID: kitID}
	var sealed, created, expires string
	var revoked sql.NullString
	err := db.reader().queryRow(ctx, `SELECT user_id, device, key_sealed, created_at, expires_at, revoked_at FROM offline_kits WHERE id = ?`, kitID).
		Scan(&k.UserID, &k.Device, &sealed, &created, &expires, &revoked)
	if err == sql.ErrNoRows || (err == nil && k.UserID != userID) {
		return OfflineKit{}, errs.New(errs.NotFound, "visits.kit_unknown")
	}
	if err != nil {
		return OfflineKit{}, classify(err)
	}
	k.CreatedAt, k.ExpiresAt, k.Revoked = parseTS(created), parseTS(expires), revoked.Valid
	if k.Revoked {
		return k, errs.New(errs.Forbidden, "visits.kit_revoked")
	}
	if !db.Now().Before(k.ExpiresAt) {
		return k, errs.New(errs.Forbidden, "visits.kit_expired")
	}
	plain, err := db.open(kitID, sealed)
	if err != nil {
		return OfflineKit{}, err
	}
	if k.Key, err = base64.StdEncoding.DecodeString(plain); err != nil {
		return OfflineKit{}, errs.Internalf("offline kit %s: key damaged", kitID)
	}
	k.HouseholdIDs, err = db.reader().strings(ctx, `SELECT household_id FROM offline_kit_households WHERE kit_id = ? ORDER BY household_id`, kitID)
	return k, err
}

// AuditKeyIssued records that a kit's key went to a login.
func (db *DB) AuditKeyIssued(ctx context.Context, kitID string, actor audit.Event) error {
	actor.Action, actor.ObjectType, actor.ObjectID = ActionOfflineKeyIssued, "offline_kit", kitID
	return db.AuditAlone(ctx, actor)
}

// OfflineKits lists a user's kits that are neither revoked nor expired:
// the devices holding prepared visits.
func (db *DB) OfflineKits(ctx context.Context, userID string) ([]OfflineKit, error) {
	rows, err := db.reader().query(ctx, `SELECT k.id, k.device, k.created_at, k.expires_at, (SELECT COUNT(*) FROM offline_kit_households h WHERE h.kit_id = k.id)
		FROM offline_kits k WHERE k.user_id = ? AND k.revoked_at IS NULL AND k.expires_at > ? ORDER BY k.created_at DESC`, userID, ts(db.Now()))
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []OfflineKit
	for rows.Next() {
		var k OfflineKit
		var created, expires string
		var n int
		if err := rows.Scan(&k.ID, &k.Device, &created, &expires, &n); err != nil {
			return nil, classify(err)
		}
		k.CreatedAt, k.ExpiresAt, k.HouseholdIDs = parseTS(created), parseTS(expires), make([]string, n)
		out = append(out, k)
	}
	return out, classify(rows.Err())
}

// RevokeOfflineKit ends a device's kit: its key is no longer released and
// its queued changes are refused.
// KitAlreadyRevoked is the message of RevokeOfflineKit's Conflict for a kit
// revoked before.
const KitAlreadyRevoked = "resend2.kit_already_revoked"

func (db *DB) RevokeOfflineKit(ctx context.Context, userID, kitID string, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE offline_kits SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`, t.now(), kitID, userID)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			// Revoked before (a second tap, or the kit's login ended): the
			// wanted state holds, which the user is told rather than refused.
			var revoked sql.NullString
			err := t.queryRow(ctx, `SELECT revoked_at FROM offline_kits WHERE id = ? AND user_id = ?`, kitID, userID).Scan(&revoked)
			if err == nil && revoked.Valid {
				return errs.New(errs.Conflict, KitAlreadyRevoked)
			}
			return errs.New(errs.NotFound, "visits.kit_unknown")
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionOfflineRevoked, "offline_kit", kitID
		return t.Audit(ctx, actor)
	})
}

// EndSessionKits revokes the kits a login made, when it logs out: the
// device's copy is wiped at the same moment.
func (db *DB) EndSessionKits(ctx context.Context, sessionHash string) error {
	return db.InTx(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE offline_kits SET revoked_at = ? WHERE session_hash = ? AND revoked_at IS NULL`, t.now(), sessionHash)
		return classify(err)
	})
}

// HomeVisit is one visit to a household.
type HomeVisit struct {
	ID             string
	HouseholdID    string
	VisitedOn      string // C.E. date
	Note           string
	OrganisationID string
	AuthorID       string
	AuthorName     string
	CreatedAt      time.Time
}

// AddHomeVisit records a visit, checked and audited like any write to the
// household.
func (db *DB) AddHomeVisit(ctx context.Context, v HomeVisit, actor audit.Event) (HomeVisit, error) {
	if err := db.checkHomeVisit(&v); err != nil {
		return v, err
	}
	if err := db.requireHousehold(ctx, v.HouseholdID, actor); err != nil {
		return v, err
	}
	err := db.InTx(ctx, func(t *Tx) error { return t.addHomeVisit(ctx, &v, actor) })
	return v, err
}

// checkHomeVisit checks a visit's note and day.
func (db *DB) checkHomeVisit(v *HomeVisit) error {
	v.Note = strings.TrimSpace(v.Note)
	if v.Note == "" {
		return errs.Field("note", "field.required", nil)
	}
	if len([]rune(v.Note)) > 4000 {
		return errs.Field("note", "field.too_long", map[string]any{"Max": 4000})
	}
	day, err := time.Parse("2006-01-02", v.VisitedOn)
	if err != nil {
		return errs.Field("visited_on", "visits.date_invalid", nil)
	}
	if day.After(db.Now().Add(24 * time.Hour)) {
		return errs.Field("visited_on", "visits.date_future", nil)
	}
	return nil
}

// addHomeVisit is AddHomeVisit's write, in the caller's transaction (the
// checks done): an offline change records itself in the same one.
func (t *Tx) addHomeVisit(ctx context.Context, v *HomeVisit, actor audit.Event) error {
	if _, err := t.getHousehold(ctx, v.HouseholdID); err != nil {
		return err
	}
	v.ID = NewID()
	now := t.now()
	if _, err := t.exec(ctx, `INSERT INTO home_visits (id, household_id, visited_on, note, organisation_id, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.HouseholdID, v.VisitedOn, v.Note, v.OrganisationID, v.AuthorID, now); err != nil {
		return classify(err)
	}
	v.CreatedAt = parseTS(now)
	actor.Action, actor.ObjectType, actor.ObjectID = ActionHomeVisitAdded, "household", v.HouseholdID
	return t.Audit(ctx, actor)
}

// HomeVisits lists a household's visits, newest first (the caller has
// read the household, which audits the access).
func (db *DB) HomeVisits(ctx context.Context, householdID string) ([]HomeVisit, error) {
	rows, err := db.reader().query(ctx, `SELECT v.id, v.visited_on, v.note, v.organisation_id, v.author_id, COALESCE(u.display_name, ''), v.created_at
		FROM home_visits v LEFT JOIN users u ON u.id = v.author_id WHERE v.household_id = ? ORDER BY v.visited_on DESC, v.created_at DESC LIMIT 50`, householdID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []HomeVisit
	for rows.Next() {
		v := HomeVisit{HouseholdID: householdID}
		var created string
		if err := rows.Scan(&v.ID, &v.VisitedOn, &v.Note, &v.OrganisationID, &v.AuthorID, &v.AuthorName, &created); err != nil {
			return nil, classify(err)
		}
		v.CreatedAt = parseTS(created)
		out = append(out, v)
	}
	return out, classify(rows.Err())
}

// MayOpenPerson reports whether the request may open a person's record,
// without auditing a refusal: the offline kit offers a child's records
// and flower only to those who may open the child online.
func (db *DB) MayOpenPerson(ctx context.Context, personID string) (bool, error) {
	lvl, err := db.personLevel(ctx, personID)
	return lvl == access.Full, err
}
