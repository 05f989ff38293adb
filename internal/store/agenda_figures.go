package store

import (
	"context"
	"time"

	"termtem/internal/errs"
	"termtem/internal/people"
)

// The raw counts behind a committee meeting's agenda (reports.BuildCommittee),
// which breaks referrals down by direction as the dashboards do not. They
// leave the store only through internal/reports, which applies the
// small-cell rule; nothing here names a person. The map and the committee
// report read the dashboards instead.

// LevelTally counts children by district code and, for each dimension, by
// the level of their latest staff assessment on or before a day.
type LevelTally map[string]map[people.Dimension]map[string]int

// ChildLevels counts the children of the given districts (place IDs; nil:
// all) by the levels of their latest staff assessment on or before asOf
// ("YYYY-MM-DD"), by district code.
func (db *DB) ChildLevels(ctx context.Context, districtIDs []string, asOf string) (LevelTally, error) {
	q, args := latestChildLevels("d.code", asOf)
	if districtIDs != nil {
		q += ` AND d.id IN (` + inList(len(districtIDs)) + `)`
		args = append(args, anyArgs(districtIDs)...)
	}
	return db.tallyLevels(ctx, q+` GROUP BY d.code, a.economy, a.safety, a.education, a.health`, args)
}

// latestChildLevels selects (key, four levels, count) of the children's
// latest staff assessments on or before asOf, to be narrowed and grouped.
func latestChildLevels(key, asOf string) (string, []any) {
	return `SELECT ` + key + `, a.economy, a.safety, a.education, a.health, COUNT(*)
		FROM assessments a
		JOIN people p ON p.id = a.person_id
		JOIN places c ON c.id = p.community_id
		JOIN places s ON s.id = c.parent_id
		JOIN places d ON d.id = s.parent_id
		WHERE a.subject = 'child' AND a.source = 'staff' AND a.assessed_on <= ?
		AND NOT EXISTS (SELECT 1 FROM assessments b WHERE b.person_id = a.person_id AND b.subject = 'child'
			AND b.source = 'staff' AND b.assessed_on <= ? AND (b.assessed_on > a.assessed_on OR (b.assessed_on = a.assessed_on AND b.id > a.id)))`,
		[]any{asOf, asOf}
}

func (db *DB) tallyLevels(ctx context.Context, q string, args []any) (LevelTally, error) {
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := LevelTally{}
	for rows.Next() {
		var key string
		var lv [4]string
		var n int
		if err := rows.Scan(&key, &lv[0], &lv[1], &lv[2], &lv[3], &n); err != nil {
			return nil, classify(err)
		}
		if out[key] == nil {
			out[key] = map[people.Dimension]map[string]int{}
		}
		for i, d := range people.Dimensions {
			if out[key][d] == nil {
				out[key][d] = map[string]int{}
			}
			out[key][d][lv[i]] += n
		}
	}
	return out, classify(rows.Err())
}

// placesUnder returns the IDs of a district's sub-districts and
// communities, with the district itself.
func (t *Tx) placesUnder(ctx context.Context, districtID string) ([]string, error) {
	ids := []string{districtID}
	level := []string{districtID}
	for range 2 {
		rows, err := t.query(ctx, `SELECT id FROM places WHERE parent_id IN (`+inList(len(level))+`)`, anyArgs(level)...)
		if err != nil {
			return nil, classify(err)
		}
		var next []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, classify(err)
			}
			next = append(next, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, classify(err)
		}
		ids, level = append(ids, next...), next
		if len(level) == 0 {
			break
		}
	}
	return ids, nil
}

// ReferralFlow counts referrals sent in [from, to] ("YYYY-MM-DD") from or
// to the service units of a district, by direction ("out", "in", "within")
// and status.
func (db *DB) ReferralFlow(ctx context.Context, districtID, from, to string) (map[string]map[string]int, error) {
	r := db.reader()
	under, err := r.placesUnder(ctx, districtID)
	if err != nil {
		return nil, err
	}
	in := inList(len(under))
	q := `SELECT CASE WHEN fo.place_id IN (` + in + `) AND tor.place_id IN (` + in + `) THEN 'within'
			WHEN fo.place_id IN (` + in + `) THEN 'out' ELSE 'in' END, r.status, COUNT(*)
		FROM referrals r JOIN organisations fo ON fo.id = r.from_org JOIN organisations tor ON tor.id = r.to_org
		WHERE r.created_at >= ? AND r.created_at < ? AND (fo.place_id IN (` + in + `) OR tor.place_id IN (` + in + `))
		GROUP BY 1, r.status`
	args := append(append(append([]any{}, anyArgs(under)...), anyArgs(under)...), anyArgs(under)...)
	args = append(args, from, dayAfter(to))
	args = append(append(args, anyArgs(under)...), anyArgs(under)...)
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[string]map[string]int{}
	for rows.Next() {
		var dir, status string
		var n int
		if err := rows.Scan(&dir, &status, &n); err != nil {
			return nil, classify(err)
		}
		if out[dir] == nil {
			out[dir] = map[string]int{}
		}
		out[dir][status] += n
	}
	return out, classify(rows.Err())
}

// ContinuityGaps counts, for a district on a day ("YYYY-MM-DD"): the
// children (born in the 18 years before) of its communities, those of them
// with no service record from any agency since unseenSince, and the
// hand-offs to its service units still unacknowledged on that day.
func (db *DB) ContinuityGaps(ctx context.Context, districtID, asOf, unseenSince string) (children, unseen, handoffs int, err error) {
	r := db.reader()
	under, err := r.placesUnder(ctx, districtID)
	if err != nil {
		return 0, 0, 0, err
	}
	day, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		return 0, 0, 0, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.month_format", Field: "to"}
	}
	in := inList(len(under))
	end := dayAfter(asOf)
	childOf := `p.community_id IN (` + in + `) AND p.birth_year > ? AND p.created_at < ?`
	args := append(anyArgs(under), day.Year()-18, end)
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM people p WHERE `+childOf, args...).Scan(&children); err != nil {
		return 0, 0, 0, classify(err)
	}
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM people p WHERE `+childOf+`
		AND NOT EXISTS (SELECT 1 FROM service_records sr WHERE sr.person_id = p.id AND sr.occurred_on >= ? AND sr.occurred_on <= ?)`,
		append(args, unseenSince, asOf)...).Scan(&unseen); err != nil {
		return 0, 0, 0, classify(err)
	}
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM handoffs h JOIN organisations o ON o.id = h.to_org
		WHERE o.place_id IN (`+in+`) AND h.created_at < ? AND (h.acknowledged_at IS NULL OR h.acknowledged_at >= ?)`,
		append(anyArgs(under), end, end)...).Scan(&handoffs); err != nil {
		return 0, 0, 0, classify(err)
	}
	return children, unseen, handoffs, nil
}

// dayAfter is the exclusive upper bound of a day for comparing with stored
// instants: the next day ("2026-11-30" → "2026-12-01"), which sorts after
// every time of that day.
func dayAfter(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}
