package store

import (
	"context"
	"slices"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/dashboards"
	"termtem/internal/errs"
	"termtem/internal/people"
)

// MaxDashboardNames bounds a drill-down list: it is for follow-up of a
// handful of children, not an export of the area.
const MaxDashboardNames = 200

// DashboardNames drills from a flower cell (children of a place whose
// petal of a dimension is at a level) down to the children themselves.
// Only a role that may open people's records gets names, and only of the
// people it may open (each listing audited per person); committees and
// executives never do. A cell published as "< 5" (or hidden) is refused
// for everyone: naming its children would undo the suppression.
func (db *DB) DashboardNames(ctx context.Context, q DashboardQuery, level string, actor audit.Event) ([]people.Person, error) {
	if !slices.Contains(dashboards.Levels, level) {
		return nil, dashboards.BadParam("level", "dashboards.unknown_indicator", nil)
	}
	req, _, err := db.requestViewer(ctx)
	if err != nil {
		return nil, err
	}
	if req != nil && !req.Principal.Can(account.PeopleRead) {
		return nil, errs.New(errs.Forbidden, "dashboards.names_forbidden")
	}
	d, err := db.Dashboard(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	dim, lvl := slices.Index(dashboards.Dimensions, d.Dimension), slices.Index(dashboards.Levels, level)
	if c := d.FlowerChildren.Cells[dim][lvl]; !c.Shown() || c.N == 0 {
		if err := db.auditDenied(ctx, "place", q.PlaceID, actor); err != nil {
			return nil, err
		}
		return nil, errs.New(errs.Forbidden, "dashboards.cell_too_small")
	}
	first, last := dashboards.ChildYears(d.Period.On)
	// The dimension is one of four known column names (checked by Dashboard).
	col := d.Dimension
	rows, err := db.reader().query(ctx, `SELECT p.id FROM people p JOIN places c ON c.id = p.community_id
		LEFT JOIN places s ON s.id = c.parent_id LEFT JOIN places di ON di.id = s.parent_id
		LEFT JOIN places z ON z.id = di.parent_id LEFT JOIN places pr ON pr.id = z.parent_id
		WHERE ? IN (c.id, s.id, di.id, z.id, pr.id) AND p.birth_year >= ? AND p.birth_year <= ?
		AND COALESCE((SELECT a.`+col+` FROM assessments a WHERE a.person_id = p.id
			ORDER BY a.assessed_on DESC, a.created_at DESC, a.id DESC LIMIT 1), 'unknown') = ?
		ORDER BY p.id LIMIT ?`, q.PlaceID, first, last, level, MaxDashboardNames*2)
	if err != nil {
		return nil, classify(err)
	}
	var ids []string
	if err := eachRow(rows, func(s scanner) error {
		var id string
		if err := s.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	}); err != nil {
		return nil, err
	}
	var out []people.Person
	for _, id := range ids {
		if len(out) == MaxDashboardNames {
			break
		}
		if lvl, err := db.personLevel(ctx, id); err != nil {
			return nil, err
		} else if lvl != access.Full {
			continue
		}
		p, err := db.reader().getPerson(ctx, id)
		if err != nil {
			return nil, err
		}
		ev := actor
		ev.Action, ev.ObjectType, ev.ObjectID, ev.Detail = ActionDashboardNames, "person", id, d.Dimension+"="+level
		if err := db.AuditRead(ctx, ev); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
