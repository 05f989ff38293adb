package store

import (
	"context"
	"database/sql"
	"time"

	"termtem/internal/audit"
	"termtem/internal/committees"
	"termtem/internal/errs"
	"termtem/internal/organisations"
)

// Committee meetings and resolutions. A committee is an organisation of a
// committee kind; its members are the users with a membership in it, and
// its organisations are itself and the agencies that sit on it
// (committee_organisations). The caller checks that the actor is a member.

// Audit actions of meetings and resolutions.
const (
	ActionMeetingSaved      = "meeting.saved"
	ActionMeetingRead       = "meeting.read"
	ActionResolutionSaved   = "resolution.saved"
	ActionResolutionCase    = "resolution.case_read"
	ActionCommitteeOrgAdded = "committee.organisation_added"
)

// IsCommitteeMember reports whether the user works in the committee (an
// organisation of a committee kind).
func (db *DB) IsCommitteeMember(ctx context.Context, committeeID, userID string) (bool, error) {
	o, err := db.GetOrganisation(ctx, committeeID)
	if err != nil || !o.Kind.IsCommittee() {
		return false, nil
	}
	var n int
	err = db.reader().queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = ? AND organisation_id = ?`, userID, committeeID).Scan(&n)
	return n > 0, classify(err)
}

// UserCommittees are the committees the user works in (organisations of
// a committee kind the user is a member of), in one query.
func (db *DB) UserCommittees(ctx context.Context, userID string) ([]organisations.Organisation, error) {
	return queryAll(ctx, db.reader(), `SELECT `+orgColumns+` FROM organisations WHERE substr(kind, 1, 10) = 'committee_'
		AND id IN (SELECT organisation_id FROM memberships WHERE user_id = ?) ORDER BY code`, []any{userID},
		func(rs *sql.Rows) (organisations.Organisation, error) { return scanOrganisation(rs) })
}

// AddCommitteeOrganisation seats an agency on a committee.
func (db *DB) AddCommitteeOrganisation(ctx context.Context, committeeID, orgID string, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		c, err := t.getOrganisation(ctx, "id", committeeID)
		if err != nil || !c.Kind.IsCommittee() {
			return errs.Field("committee_id", "meeting.not_committee", nil)
		}
		if _, err := t.getOrganisation(ctx, "id", orgID); err != nil {
			return errs.Field("organisation_id", "organisation.not_found", nil)
		}
		if _, err := t.exec(ctx, `INSERT INTO committee_organisations (committee_id, organisation_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			committeeID, orgID); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionCommitteeOrgAdded, "organisation", committeeID, orgID
		return t.Audit(ctx, actor)
	})
}

// CommitteeOrganisations are the committee itself and the agencies on it.
func (db *DB) CommitteeOrganisations(ctx context.Context, committeeID string) ([]string, error) {
	ids, err := db.reader().strings(ctx, `SELECT organisation_id FROM committee_organisations WHERE committee_id = ? ORDER BY organisation_id`, committeeID)
	return append([]string{committeeID}, ids...), err
}

// SaveMeeting creates (empty ID) or updates a meeting with its attendance,
// with optimistic concurrency on Version.
func (db *DB) SaveMeeting(ctx context.Context, m committees.Meeting, actor audit.Event) (committees.Meeting, error) {
	if err := committees.ValidateMeeting(&m); err != nil {
		return m, err
	}
	err := db.InTx(ctx, func(t *Tx) error {
		c, err := t.getOrganisation(ctx, "id", m.CommitteeID)
		if err != nil || !c.Kind.IsCommittee() {
			return errs.Field("committee_id", "meeting.not_committee", nil)
		}
		now := t.now()
		if m.ID == "" {
			m.ID = NewID()
			t.made(m.ID)
			if _, err := t.exec(ctx, `INSERT INTO committee_meetings (id, committee_id, title, held_on, location, agenda, minutes, created_by, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.CommitteeID, m.Title, m.HeldOn, m.Location, m.Agenda, m.Minutes, actor.ActorID, now, now); err != nil {
				return classify(err)
			}
		} else {
			res, err := t.exec(ctx, `UPDATE committee_meetings SET title = ?, held_on = ?, location = ?, agenda = ?, minutes = ?, version = version + 1,
				updated_at = ? WHERE id = ? AND committee_id = ? AND version = ?`, m.Title, m.HeldOn, m.Location, m.Agenda, m.Minutes, now, m.ID, m.CommitteeID, m.Version)
			if err != nil {
				return classify(err)
			}
			if err := oneRow(res); err != nil {
				return err
			}
		}
		if m.Attendance != nil {
			if _, err := t.exec(ctx, `DELETE FROM meeting_attendance WHERE meeting_id = ?`, m.ID); err != nil {
				return classify(err)
			}
			for _, a := range m.Attendance {
				var n int
				if err := t.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = ? AND organisation_id = ?`, a.UserID, m.CommitteeID).Scan(&n); err != nil {
					return classify(err)
				}
				if n == 0 {
					return errs.Field("attendance", "meeting.not_member", nil)
				}
				if _, err := t.exec(ctx, `INSERT INTO meeting_attendance (meeting_id, user_id, present) VALUES (?, ?, ?)`, m.ID, a.UserID, a.Present); err != nil {
					return classify(err)
				}
			}
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionMeetingSaved, "meeting", m.ID
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return m, err
	}
	return db.GetMeeting(ctx, m.ID, actor)
}

const meetingSelect = `SELECT m.id, m.committee_id, o.name_th, m.title, m.held_on, m.location, m.agenda, m.minutes, m.version, m.created_at
	FROM committee_meetings m JOIN organisations o ON o.id = m.committee_id`

func scanMeeting(r interface{ Scan(...any) error }) (committees.Meeting, error) {
	var m committees.Meeting
	var created string
	err := r.Scan(&m.ID, &m.CommitteeID, &m.CommitteeName, &m.Title, &m.HeldOn, &m.Location, &m.Agenda, &m.Minutes, &m.Version, &created)
	m.CreatedAt = parseTS(created)
	return m, err
}

// GetMeeting returns a meeting with its attendance and resolutions. The
// cases a resolution addresses are listed only to a viewer who may see
// each case (the others are counted), and each shown is audited.
func (db *DB) GetMeeting(ctx context.Context, id string, actor audit.Event) (committees.Meeting, error) {
	r := db.reader()
	m, err := scanMeeting(r.queryRow(ctx, meetingSelect+` WHERE m.id = ?`, id))
	if err == sql.ErrNoRows {
		return m, errs.New(errs.NotFound, "meeting.not_found")
	}
	if err != nil {
		return m, classify(err)
	}
	m.Attendance, err = queryAll(ctx, r, `SELECT u.id, u.display_name, COALESCE(a.present, FALSE) FROM memberships ms JOIN users u ON u.id = ms.user_id
		LEFT JOIN meeting_attendance a ON a.meeting_id = ? AND a.user_id = u.id
		WHERE ms.organisation_id = ? AND NOT u.disabled GROUP BY u.id, u.display_name, a.present ORDER BY u.display_name`, []any{m.ID, m.CommitteeID},
		func(rows *sql.Rows) (committees.Attendee, error) {
			var a committees.Attendee
			return a, rows.Scan(&a.UserID, &a.Name, &a.Present)
		})
	if err != nil {
		return m, err
	}
	if m.Resolutions, err = db.resolutions(ctx, `r.meeting_id = ?`, []any{m.ID}, actor); err != nil {
		return m, err
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionMeetingRead, "meeting", m.ID
	return m, db.AuditRead(ctx, actor)
}

// ListMeetings lists the meetings of the given committees, newest first.
func (db *DB) ListMeetings(ctx context.Context, committeeIDs []string) ([]committees.Meeting, error) {
	if len(committeeIDs) == 0 {
		return nil, nil
	}
	return queryAll(ctx, db.reader(), meetingSelect+` WHERE m.committee_id IN (`+inList(len(committeeIDs))+`) ORDER BY m.held_on DESC, m.id DESC LIMIT 200`,
		anyArgs(committeeIDs), func(r *sql.Rows) (committees.Meeting, error) { return scanMeeting(r) })
}

const resolutionSelect = `SELECT r.id, r.meeting_id, r.committee_id, r.text, r.addresses, r.owner_id, u.display_name, r.owner_org_id, o.name_th,
	r.due_on, r.status, r.follow_up, r.version FROM resolutions r JOIN users u ON u.id = r.owner_id JOIN organisations o ON o.id = r.owner_org_id`

// resolutions reads resolutions, with the cases each addresses filtered
// by what the viewer (actor) may see.
func (db *DB) resolutions(ctx context.Context, where string, args []any, actor audit.Event) ([]committees.Resolution, error) {
	r := db.reader()
	today := db.today().Format(time.DateOnly)
	list, err := queryAll(ctx, r, resolutionSelect+` WHERE `+where+` ORDER BY r.due_on, r.id`, args, func(rows *sql.Rows) (committees.Resolution, error) {
		var x committees.Resolution
		var status string
		err := rows.Scan(&x.ID, &x.MeetingID, &x.CommitteeID, &x.Text, &x.Addresses, &x.OwnerID, &x.OwnerName, &x.OwnerOrgID, &x.OwnerOrgName,
			&x.DueOn, &status, &x.FollowUp, &x.Version)
		x.Status = committees.ResolutionStatus(status)
		x.Overdue = (x.Status == committees.Open || x.Status == committees.InProgress) && x.DueOn < today
		return x, err
	})
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Addresses != committees.AddressesCases {
			continue
		}
		ids, err := r.strings(ctx, `SELECT case_id FROM resolution_cases WHERE resolution_id = ? ORDER BY case_id`, list[i].ID)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if _, err := db.CaseFor(ctx, id, actor.ActorID); err != nil {
				list[i].HiddenCases++
				continue
			}
			list[i].CaseIDs = append(list[i].CaseIDs, id)
			ev := actor
			ev.Action, ev.ObjectType, ev.ObjectID, ev.Detail = ActionResolutionCase, "case", id, list[i].ID
			if err := db.AuditRead(ctx, ev); err != nil {
				return nil, err
			}
		}
	}
	return list, nil
}

// OwnedResolutions are the resolutions a user owns, open ones first.
func (db *DB) OwnedResolutions(ctx context.Context, userID string, actor audit.Event) ([]committees.Resolution, error) {
	return db.resolutions(ctx, `r.owner_id = ? AND r.status IN ('open', 'in_progress')`, []any{userID}, actor)
}

// AddResolution records a resolution of a meeting. Its owner must work in
// one of the committee's organisations; the cases it addresses must be
// cases the recorder may see.
func (db *DB) AddResolution(ctx context.Context, meetingID string, res committees.Resolution, actor audit.Event) (committees.Resolution, error) {
	if err := committees.ValidateResolution(&res); err != nil {
		return res, err
	}
	for _, id := range res.CaseIDs {
		if _, err := db.CaseFor(ctx, id, actor.ActorID); err != nil {
			return res, errs.Field("case_ids", "resolution.case_unknown", nil)
		}
	}
	err := db.InTx(ctx, func(t *Tx) error {
		var committeeID string
		if err := t.queryRow(ctx, `SELECT committee_id FROM committee_meetings WHERE id = ?`, meetingID).Scan(&committeeID); err != nil {
			return errs.New(errs.NotFound, "meeting.not_found")
		}
		orgs, err := t.strings(ctx, `SELECT organisation_id FROM committee_organisations WHERE committee_id = ?`, committeeID)
		if err != nil {
			return err
		}
		orgs = append(orgs, committeeID)
		q := `SELECT organisation_id FROM memberships WHERE user_id = ? AND organisation_id IN (` + inList(len(orgs)) + `) ORDER BY organisation_id`
		owned, err := t.strings(ctx, q, append([]any{res.OwnerID}, anyArgs(orgs)...)...)
		if err != nil {
			return err
		}
		if len(owned) == 0 {
			return errs.Field("owner_id", "resolution.owner_outside", nil)
		}
		if res.OwnerOrgID == "" || !contains(owned, res.OwnerOrgID) {
			res.OwnerOrgID = owned[0]
		}
		res.ID, res.MeetingID, res.CommitteeID = NewID(), meetingID, committeeID
		t.made(res.ID)
		now := t.now()
		if _, err := t.exec(ctx, `INSERT INTO resolutions (id, meeting_id, committee_id, text, addresses, owner_id, owner_org_id, due_on, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, res.ID, meetingID, committeeID, res.Text, res.Addresses, res.OwnerID, res.OwnerOrgID, res.DueOn,
			string(res.Status), now, now); err != nil {
			return classify(err)
		}
		for _, id := range res.CaseIDs {
			if _, err := t.exec(ctx, `INSERT INTO resolution_cases (resolution_id, case_id) VALUES (?, ?)`, res.ID, id); err != nil {
				return classify(err)
			}
		}
		// The owner hears of it.
		if err := t.Enqueue(ctx, Notification{Kind: "notify.resolution_owned", UserIDs: []string{res.OwnerID}, Link: "/meetings/" + meetingID}); err != nil {
			return err
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionResolutionSaved, "resolution", res.ID
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return res, err
	}
	return db.GetResolution(ctx, res.ID, actor)
}

// GetResolution returns one resolution (cases filtered for the actor).
func (db *DB) GetResolution(ctx context.Context, id string, actor audit.Event) (committees.Resolution, error) {
	list, err := db.resolutions(ctx, `r.id = ?`, []any{id}, actor)
	if err != nil {
		return committees.Resolution{}, err
	}
	if len(list) == 0 {
		return committees.Resolution{}, errs.New(errs.NotFound, "resolution.not_found")
	}
	return list[0], nil
}

// FollowUpResolution changes a resolution's follow-up status and note,
// with optimistic concurrency; the caller checks that the actor owns it or
// is a member of the committee.
func (db *DB) FollowUpResolution(ctx context.Context, id string, version int, to committees.ResolutionStatus, note string, actor audit.Event) (committees.Resolution, error) {
	if err := committees.CheckFollowUp(to, note); err != nil {
		return committees.Resolution{}, err
	}
	err := db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE resolutions SET status = ?, follow_up = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			string(to), note, t.now(), id, version)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			var x int
			if t.queryRow(ctx, `SELECT COUNT(*) FROM resolutions WHERE id = ?`, id).Scan(&x); x == 0 {
				return errs.New(errs.NotFound, "resolution.not_found")
			}
			return errs.New(errs.Stale, "error.stale")
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionResolutionSaved, "resolution", id, string(to)
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return committees.Resolution{}, err
	}
	return db.GetResolution(ctx, id, actor)
}
