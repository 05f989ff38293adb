package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/organisations"
	"termtem/internal/people"
)

// Audit actions of alerts.
const (
	ActionAlertOpened       = "alert.opened"
	ActionAlertEscalated    = "alert.escalated"
	ActionAlertAcknowledged = "alert.acknowledged"
	ActionAlertResolved     = "alert.resolved"
	ActionAlertsRead        = "alerts.read"
)

// AlertStatus is where an alert is in its life.
type AlertStatus string

const (
	AlertOpen         AlertStatus = "open"         // nobody has taken it yet; it escalates at its deadline
	AlertAcknowledged AlertStatus = "acknowledged" // someone took it; it no longer escalates
	AlertResolved     AlertStatus = "resolved"     // done, with what was done
)

// Escalation steps: an open alert past its deadline goes to the
// organisation's supervisors, then to the district committee.
const (
	EscalationNone       = 0
	EscalationSupervisor = 1
	EscalationCommittee  = 2
)

// MaxResolutionLen bounds what is written when an alert is resolved.
const MaxResolutionLen = 2000

// Alert is a stored early-warning alert.
type Alert struct {
	ID             string           `json:"id"`
	Key            string           `json:"key"`
	Severity       flower.Severity  `json:"severity"`
	Subject        flower.Subject   `json:"subject"`
	PersonID       string           `json:"person_id,omitempty"`
	HouseholdID    string           `json:"household_id,omitempty"`
	Dimension      people.Dimension `json:"dimension"`
	Indicators     []string         `json:"indicators"`
	AssessmentID   string           `json:"assessment_id,omitempty"`
	OrganisationID string           `json:"organisation_id"`
	CommitteeID    string           `json:"committee_id,omitempty"`
	Status         AlertStatus      `json:"status"`
	Escalation     int              `json:"escalation"`
	OpenedAt       time.Time        `json:"opened_at"`
	DueAt          time.Time        `json:"due_at"`
	EscalatedAt    *time.Time       `json:"escalated_at,omitempty"`
	AcknowledgedAt *time.Time       `json:"acknowledged_at,omitempty"`
	ResolvedAt     *time.Time       `json:"resolved_at,omitempty"`
	Resolution     string           `json:"resolution,omitempty"`
	Version        int              `json:"version"`
	// For the inbox: whom it is about and where it went.
	SubjectName      string `json:"subject_name,omitempty"`
	OrganisationName string `json:"organisation_name,omitempty"`
	// ToMe: why the viewer sees it ("organisation", "supervisor", "committee").
	ToMe string `json:"to_me,omitempty"`
}

// Overdue reports whether an unresolved alert is past its deadline at t.
func (a Alert) Overdue(t time.Time) bool { return a.Status != AlertResolved && t.After(a.DueAt) }

// districtOf walks up from a place to its district ("" if none).
func (t *Tx) districtOf(ctx context.Context, placeID string) (string, error) {
	for range 5 { // community → sub-district → district at most
		if placeID == "" {
			return "", nil
		}
		var kind string
		var parent sql.NullString
		err := t.queryRow(ctx, `SELECT kind, parent_id FROM places WHERE id = ?`, placeID).Scan(&kind, &parent)
		if err == sql.ErrNoRows {
			return "", nil
		}
		if err != nil {
			return "", classify(err)
		}
		if kind == "district" {
			return placeID, nil
		}
		placeID = parent.String
	}
	return "", nil
}

// organisationInDistrict finds an active organisation of one of the kinds
// (in order of preference) whose place lies in the district.
func (t *Tx) organisationInDistrict(ctx context.Context, district string, kinds ...organisations.Kind) (string, error) {
	if district == "" {
		return "", nil
	}
	for _, k := range kinds {
		rows, err := t.query(ctx, `SELECT id, place_id FROM organisations WHERE kind = ? AND active ORDER BY code`, string(k))
		if err != nil {
			return "", classify(err)
		}
		type cand struct{ id, place string }
		var cs []cand
		for rows.Next() {
			var c cand
			if err := rows.Scan(&c.id, &c.place); err != nil {
				rows.Close()
				return "", classify(err)
			}
			cs = append(cs, c)
		}
		rows.Close()
		for _, c := range cs {
			d, err := t.districtOf(ctx, c.place)
			if err != nil {
				return "", err
			}
			if d == district {
				return c.id, nil
			}
		}
	}
	return "", nil
}

// caseOrganisation is the organisation managing the subject's newest open
// case ("" when it has none).
func (t *Tx) caseOrganisation(ctx context.Context, subjectID string) (string, error) {
	var org string
	err := t.queryRow(ctx, `SELECT organisation_id FROM cases WHERE (person_id = ? OR household_id = ?) AND status <> 'closed'
		ORDER BY opened_at DESC LIMIT 1`, subjectID, subjectID).Scan(&org)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return org, classify(err)
}

// openAlerts stores the alerts that are not already open for the same
// subject and key. An alert goes to the organisation managing the
// subject's open case (its team), else to the social-welfare unit of the
// subject's district, else to the organisation that assessed; its second escalation step is the
// district's child-protection committee, else its quality-of-life committee.
func (t *Tx) openAlerts(ctx context.Context, alerts []flower.Alert, assessmentID, communityID, fallbackOrg string, actor audit.Event) ([]Alert, error) {
	if len(alerts) == 0 {
		return nil, nil
	}
	district, err := t.districtOf(ctx, communityID)
	if err != nil {
		return nil, err
	}
	// The child's case team comes first: the case manager's organisation
	// of an open case; else the district's social-welfare unit.
	org, err := t.caseOrganisation(ctx, alerts[0].SubjectID)
	if err != nil {
		return nil, err
	}
	if org == "" {
		if org, err = t.organisationInDistrict(ctx, district, organisations.DistrictSocialWelfare); err != nil {
			return nil, err
		}
	}
	if org == "" {
		org = fallbackOrg
	}
	if org == "" {
		return nil, errs.New(errs.Invalid, "alert.no_recipient")
	}
	committee, err := t.organisationInDistrict(ctx, district, organisations.DistrictChildProtection, organisations.DistrictQualityOfLife)
	if err != nil {
		return nil, err
	}
	var out []Alert
	for _, fa := range alerts {
		col := "person_id"
		if fa.Subject == flower.Household {
			col = "household_id"
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM alerts WHERE `+col+` = ? AND alert_key = ? AND status <> ?`,
			fa.SubjectID, fa.Key, string(AlertResolved)).Scan(&n); err != nil {
			return nil, classify(err)
		}
		if n > 0 {
			continue // already open: the earlier deadline stands
		}
		a := Alert{ID: NewID(), Key: fa.Key, Severity: fa.Severity, Subject: fa.Subject, Dimension: fa.Dimension, Indicators: fa.Indicators,
			AssessmentID: assessmentID, OrganisationID: org, CommitteeID: committee, Status: AlertOpen,
			OpenedAt: fa.Opened.UTC().Truncate(time.Millisecond), DueAt: fa.Due.UTC().Truncate(time.Millisecond), Version: 1}
		if fa.Subject == flower.Household {
			a.HouseholdID = fa.SubjectID
		} else {
			a.PersonID = fa.SubjectID
		}
		inds, _ := json.Marshal(a.Indicators)
		if err := t.dashTouchSubject(ctx, a.Subject, fa.SubjectID); err != nil {
			return nil, err
		}
		if _, err := t.exec(ctx, `INSERT INTO alerts (id, alert_key, severity, subject, person_id, household_id, dimension, indicators,
			assessment_id, organisation_id, committee_id, status, escalation, opened_at, due_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
			a.ID, a.Key, string(a.Severity), string(a.Subject), nullString(a.PersonID), nullString(a.HouseholdID), string(a.Dimension),
			string(inds), nullString(assessmentID), a.OrganisationID, nullString(a.CommitteeID), string(a.Status),
			ts(a.OpenedAt), ts(a.DueAt)); err != nil {
			return nil, classify(err)
		}
		ev := actor
		ev.Action, ev.ObjectType, ev.ObjectID, ev.Detail = ActionAlertOpened, "alert", a.ID, a.Key
		if err := t.Audit(ctx, ev); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if len(out) > 0 {
		if err := t.Enqueue(ctx, Notification{Kind: "notify.alert_opened", OrganisationIDs: []string{org},
			Permission: account.AlertsRead, Link: "/alerts"}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EscalateAlerts moves every open alert past its deadline one step up:
// to the organisation's supervisors, with a new deadline as long as the
// first; then to the district committee. It returns how many moved.
// The server runs it every minute; tests move the store clock.
func (db *DB) EscalateAlerts(ctx context.Context) (int, error) {
	now := db.Now()
	moved := 0
	err := db.InTx(ctx, func(t *Tx) error {
		q := `SELECT id, escalation, opened_at, due_at FROM alerts WHERE status = ? AND escalation < ? AND due_at <= ?
			ORDER BY due_at LIMIT 1000`
		if db.postgres {
			// Another node escalating at the same moment skips these rows
			// rather than waiting to escalate them a second time.
			q += ` FOR UPDATE SKIP LOCKED`
		}
		rows, err := t.query(ctx, q, string(AlertOpen), EscalationCommittee, ts(now))
		if err != nil {
			return classify(err)
		}
		type due struct {
			id            string
			step          int
			opened, dueAt time.Time
		}
		var ds []due
		for rows.Next() {
			var d due
			var opened, dueAt string
			if err := rows.Scan(&d.id, &d.step, &opened, &dueAt); err != nil {
				rows.Close()
				return classify(err)
			}
			d.opened, d.dueAt = parseTS(opened), parseTS(dueAt)
			ds = append(ds, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return classify(err)
		}
		for _, d := range ds {
			next := d.step + 1
			// The next step gets as long as the first had.
			newDue := now.Add(d.dueAt.Sub(d.opened))
			// Guarded by the step read: a row another node moved since is
			// left alone, so no alert climbs two steps for one deadline.
			res, err := t.exec(ctx, `UPDATE alerts SET escalation = ?, escalated_at = ?, due_at = ?, version = version + 1
				WHERE id = ? AND escalation = ? AND status = ?`, next, t.now(), ts(newDue), d.id, d.step, string(AlertOpen))
			if err != nil {
				return classify(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				continue
			}
			if err := t.Audit(ctx, audit.Event{Action: ActionAlertEscalated, ObjectType: "alert", ObjectID: d.id,
				Detail: "step=" + strconv.Itoa(next)}); err != nil {
				return err
			}
			if err := t.notifyEscalated(ctx, d.id, next); err != nil {
				return err
			}
			moved++
		}
		return nil
	})
	return moved, err
}

// alertAudience is the one rule of who sees an alert, as SQL over alias a:
// members of the receiving organisation whose role may read alerts; once
// escalated, its supervisors; at the second step, the committee's
// secretaries. Its arguments are the user's ID three times.
const alertAudience = `(a.organisation_id IN (SELECT m.organisation_id FROM memberships m JOIN role_permissions rp ON rp.role_code = m.role_code
		WHERE m.user_id = ? AND rp.permission = 'alerts:read')
	OR (a.escalation >= 1 AND a.organisation_id IN (SELECT m.organisation_id FROM memberships m JOIN role_permissions rp ON rp.role_code = m.role_code
		WHERE m.user_id = ? AND rp.permission = 'alerts:supervise'))
	OR (a.escalation >= 2 AND a.committee_id IN (SELECT m.organisation_id FROM memberships m JOIN role_permissions rp ON rp.role_code = m.role_code
		WHERE m.user_id = ? AND rp.permission = 'alerts:supervise')))`

const alertSelect = `SELECT a.id, a.alert_key, a.severity, a.subject, COALESCE(a.person_id, ''), COALESCE(a.household_id, ''), a.dimension,
	a.indicators, COALESCE(a.assessment_id, ''), a.organisation_id, COALESCE(a.committee_id, ''), a.status, a.escalation, a.opened_at, a.due_at,
	a.escalated_at, a.acknowledged_at, a.resolved_at, a.resolution, a.version,
	COALESCE(p.given_name || ' ' || p.family_name, h.address, ''), o.name_th
	FROM alerts a LEFT JOIN people p ON p.id = a.person_id LEFT JOIN households h ON h.id = a.household_id
	JOIN organisations o ON o.id = a.organisation_id`

func scanAlert(row interface{ Scan(...any) error }) (Alert, error) {
	var a Alert
	var sev, subject, dim, inds, status, opened, due string
	var escalated, acked, resolved sql.NullString
	if err := row.Scan(&a.ID, &a.Key, &sev, &subject, &a.PersonID, &a.HouseholdID, &dim, &inds, &a.AssessmentID, &a.OrganisationID,
		&a.CommitteeID, &status, &a.Escalation, &opened, &due, &escalated, &acked, &resolved, &a.Resolution, &a.Version,
		&a.SubjectName, &a.OrganisationName); err != nil {
		return a, err
	}
	a.Severity, a.Subject, a.Dimension, a.Status = flower.Severity(sev), flower.Subject(subject), people.Dimension(dim), AlertStatus(status)
	a.OpenedAt, a.DueAt = parseTS(opened), parseTS(due)
	a.EscalatedAt, a.AcknowledgedAt, a.ResolvedAt = parseNullTS(escalated), parseNullTS(acked), parseNullTS(resolved)
	_ = json.Unmarshal([]byte(inds), &a.Indicators)
	return a, nil
}

// AlertFilter narrows the inbox.
type AlertFilter struct {
	Status    AlertStatus // empty: open and acknowledged (not resolved)
	PersonID  string
	Household string
	Limit     int
}

// ListAlerts returns the alerts a user may see, the most pressing first
// (earliest deadline), and audits the read.
func (db *DB) ListAlerts(ctx context.Context, userID string, f AlertFilter, actor audit.Event) ([]Alert, error) {
	q := alertSelect + ` WHERE ` + alertAudience
	args := []any{userID, userID, userID}
	if f.Status != "" {
		q, args = q+` AND a.status = ?`, append(args, string(f.Status))
	} else {
		q, args = q+` AND a.status <> ?`, append(args, string(AlertResolved))
	}
	if f.PersonID != "" {
		q, args = q+` AND a.person_id = ?`, append(args, f.PersonID)
	}
	if f.Household != "" {
		q, args = q+` AND a.household_id = ?`, append(args, f.Household)
	}
	q, args = q+` ORDER BY a.due_at, a.id LIMIT ?`, append(args, listLimit(f.Limit))
	out, err := queryAll(ctx, db.reader(), q, args, func(rows *sql.Rows) (Alert, error) { return scanAlert(rows) })
	if err != nil {
		return nil, err
	}
	if err := db.markToMe(ctx, userID, out); err != nil {
		return nil, err
	}
	actor.Action, actor.ObjectType, actor.Detail = ActionAlertsRead, "alert", "count="+strconv.Itoa(len(out))
	return out, db.AuditRead(ctx, actor)
}

// markToMe says why the user sees each alert: as a member of the
// receiving organisation, or because it was escalated to them.
func (db *DB) markToMe(ctx context.Context, userID string, as []Alert) error {
	if len(as) == 0 {
		return nil
	}
	rows, err := db.reader().query(ctx, `SELECT m.organisation_id, rp.permission FROM memberships m JOIN role_permissions rp ON rp.role_code = m.role_code
		WHERE m.user_id = ? AND rp.permission IN ('alerts:read', 'alerts:supervise')`, userID)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	reads, supervises := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var org, perm string
		if err := rows.Scan(&org, &perm); err != nil {
			return classify(err)
		}
		if account.Permission(perm) == account.AlertsSupervise {
			supervises[org] = true
		} else {
			reads[org] = true
		}
	}
	for i := range as {
		a := &as[i]
		switch {
		case a.Escalation >= EscalationCommittee && supervises[a.CommitteeID]:
			a.ToMe = "committee"
		case a.Escalation >= EscalationSupervisor && supervises[a.OrganisationID]:
			a.ToMe = "supervisor"
		default:
			a.ToMe = "organisation"
		}
	}
	return classify(rows.Err())
}

// GetAlert returns one alert if the user may see it (otherwise not found,
// so that guessing IDs tells nothing).
func (db *DB) GetAlert(ctx context.Context, id, userID string) (Alert, error) {
	return db.reader().getAlert(ctx, id, userID)
}

func (t *Tx) getAlert(ctx context.Context, id, userID string) (Alert, error) {
	a, err := scanAlert(t.queryRow(ctx, alertSelect+` WHERE a.id = ? AND `+alertAudience, id, userID, userID, userID))
	if err == sql.ErrNoRows {
		return a, errs.New(errs.NotFound, "alert.not_found")
	}
	return a, classify(err)
}

// AcknowledgeAlert records that the user has taken the alert: it stops
// escalating. version is the alert version the user saw.
func (db *DB) AcknowledgeAlert(ctx context.Context, id string, version int, actor audit.Event) (Alert, error) {
	return db.moveAlert(ctx, id, version, AlertAcknowledged, "", actor)
}

// ResolveAlert closes the alert with what was done.
func (db *DB) ResolveAlert(ctx context.Context, id string, version int, resolution string, actor audit.Event) (Alert, error) {
	resolution = strings.TrimSpace(resolution)
	if resolution == "" {
		return Alert{}, errs.Field("resolution", "field.required", nil)
	}
	if len([]rune(resolution)) > MaxResolutionLen {
		return Alert{}, errs.Field("resolution", "field.too_long", map[string]any{"Max": MaxResolutionLen})
	}
	return db.moveAlert(ctx, id, version, AlertResolved, resolution, actor)
}

func (db *DB) moveAlert(ctx context.Context, id string, version int, to AlertStatus, resolution string, actor audit.Event) (Alert, error) {
	var a Alert
	err := db.InTx(ctx, func(t *Tx) error {
		var err error
		if a, err = t.getAlert(ctx, id, actor.ActorID); err != nil {
			return err
		}
		if version != a.Version {
			return errs.New(errs.Stale, "error.stale")
		}
		switch {
		case a.Status == AlertResolved:
			return errs.New(errs.Conflict, "alert.already_resolved")
		case a.Status == to:
			return errs.New(errs.Conflict, "alert.already_acknowledged")
		}
		if err := t.dashTouchSubject(ctx, a.Subject, a.PersonID+a.HouseholdID); err != nil {
			return err
		}
		now := t.now()
		var res sql.Result
		if to == AlertAcknowledged {
			res, err = t.exec(ctx, `UPDATE alerts SET status = ?, acknowledged_at = ?, acknowledged_by = ?, version = version + 1
				WHERE id = ? AND version = ?`, string(to), now, actor.ActorID, id, version)
		} else {
			res, err = t.exec(ctx, `UPDATE alerts SET status = ?, resolved_at = ?, resolved_by = ?, resolution = ?,
				acknowledged_at = COALESCE(acknowledged_at, ?), acknowledged_by = COALESCE(acknowledged_by, ?), version = version + 1
				WHERE id = ? AND version = ?`, string(to), now, actor.ActorID, resolution, now, actor.ActorID, id, version)
		}
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Stale, "error.stale")
		}
		action := ActionAlertAcknowledged
		if to == AlertResolved {
			action = ActionAlertResolved
		}
		actor.Action, actor.ObjectType, actor.ObjectID = action, "alert", id
		if err := t.Audit(ctx, actor); err != nil {
			return err
		}
		a, err = t.getAlert(ctx, id, actor.ActorID)
		return err
	})
	return a, err
}

// RunChecks is the scheduled check: for children under six it derives the
// vaccination and DSPM indicators from their records and opens an alert
// for a dose overdue by more than 30 days or a screening missed, even
// without an assessment. It visits at most limit children after the ID
// after (paging through the population across runs) and returns the last
// ID visited ("" when it reached the end) and the alerts opened.
func (db *DB) RunChecks(ctx context.Context, after string, limit int) (string, int, error) {
	in, err := db.CurrentInstrument(ctx)
	if err != nil {
		return "", 0, err
	}
	now := db.Now()
	day := db.today()
	minYear := day.Year() - 6
	rows, err := db.reader().query(ctx, `SELECT p.id FROM people p WHERE p.id > ? AND p.birth_year >= ?
		AND EXISTS (SELECT 1 FROM service_records s WHERE s.person_id = p.id) ORDER BY p.id LIMIT ?`, after, minYear, limit)
	if err != nil {
		return "", 0, classify(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return "", 0, classify(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", 0, classify(err)
	}
	opened := 0
	for _, id := range ids {
		facts, recs, community, err := db.subjectFacts(ctx, flower.Child, id, day)
		if err != nil {
			return "", opened, err
		}
		alerts := flower.CheckAlerts(in, facts, flower.Derive(in, facts, recs, day), now, db.AlertPolicy)
		if len(alerts) == 0 {
			continue
		}
		err = db.InTx(ctx, func(t *Tx) error {
			as, err := t.openAlerts(ctx, alerts, "", community, "", audit.Event{})
			opened += len(as)
			if errs.Is(err, errs.Invalid) {
				return nil // no organisation serves the child's district: nobody to tell
			}
			return err
		})
		if err != nil {
			return "", opened, err
		}
	}
	if len(ids) < limit {
		return "", opened, nil
	}
	return ids[len(ids)-1], opened, nil
}
