package store

import (
	"context"
	"database/sql"
	"strings"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/learning"
)

// Practice guides (แนวทางปฏิบัติ): a new version is a new row; the newest
// of each indicator and level is the one shown.

// ActionGuideWritten is the audit action of a new guide version.
const ActionGuideWritten = "guide.written"

const guideSelect = `SELECT g.id, g.indicator, g.level, g.version, g.what_to_check, g.first_steps, g.legal_duty, g.services_help, g.author_id,
	COALESCE(u.display_name, ''), g.created_at FROM practice_guides g LEFT JOIN users u ON u.id = g.author_id`

func scanGuide(row interface{ Scan(...any) error }) (learning.Guide, error) {
	var g learning.Guide
	var level, created string
	err := row.Scan(&g.ID, &g.Indicator, &level, &g.Version, &g.WhatToCheck, &g.FirstSteps, &g.LegalDuty, &g.ServicesHelp, &g.AuthorID, &g.AuthorName, &created)
	g.Level, g.CreatedAt = flower.Level(level), parseTS(created)
	return g, err
}

// WriteGuide stores a new version of a guide. base is the version the
// author started from (0 for the first): if someone wrote another version
// meanwhile, the new one is refused as stale rather than silently
// replacing theirs.
func (db *DB) WriteGuide(ctx context.Context, g learning.Guide, base int, actor audit.Event) (learning.Guide, error) {
	if err := learning.ValidateGuide(&g); err != nil {
		return g, err
	}
	var out learning.Guide
	err := db.InTx(ctx, func(t *Tx) error {
		var latest int
		if err := t.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM practice_guides WHERE indicator = ? AND level = ?`,
			g.Indicator, string(g.Level)).Scan(&latest); err != nil {
			return classify(err)
		}
		if latest != base {
			return errs.New(errs.Stale, "error.stale")
		}
		g.ID, g.Version, g.AuthorID = NewID(), latest+1, actor.ActorID
		t.made(g.ID)
		if _, err := t.exec(ctx, `INSERT INTO practice_guides (id, indicator, level, version, what_to_check, first_steps, legal_duty, services_help,
			author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.ID, g.Indicator, string(g.Level), g.Version, g.WhatToCheck, g.FirstSteps,
			g.LegalDuty, g.ServicesHelp, g.AuthorID, t.now()); err != nil {
			// Two authors from the same base: the unique version decides.
			if errs.Is(classify(err), errs.Conflict) {
				return errs.New(errs.Stale, "error.stale")
			}
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionGuideWritten, "guide", g.ID, g.Indicator+"/"+string(g.Level)
		if err := t.Audit(ctx, actor); err != nil {
			return err
		}
		var err error
		out, err = scanGuide(t.queryRow(ctx, guideSelect+` WHERE g.id = ?`, g.ID))
		return classify(err)
	})
	return out, err
}

// GuideVersions returns every version of a guide, the newest first.
func (db *DB) GuideVersions(ctx context.Context, indicator string, level flower.Level) ([]learning.Guide, error) {
	indicator = strings.ToUpper(indicator)
	if err := learning.CheckGuideKey(indicator, level); err != nil {
		return nil, errs.New(errs.NotFound, "guide.not_found")
	}
	return queryAll(ctx, db.reader(), guideSelect+` WHERE g.indicator = ? AND g.level = ? ORDER BY g.version DESC`,
		[]any{indicator, string(level)}, func(r *sql.Rows) (learning.Guide, error) { return scanGuide(r) })
}

// LatestGuides returns the newest version of every guide, by indicator
// then level (red first).
func (db *DB) LatestGuides(ctx context.Context) ([]learning.Guide, error) {
	return queryAll(ctx, db.reader(), guideSelect+` WHERE g.version = (SELECT MAX(b.version) FROM practice_guides b
		WHERE b.indicator = g.indicator AND b.level = g.level) ORDER BY g.indicator, g.level`, nil,
		func(r *sql.Rows) (learning.Guide, error) { return scanGuide(r) })
}
