package store

import (
	"context"
	"database/sql"
	"strings"

	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/directory"
	"termtem/internal/errs"
	"termtem/internal/learning"
)

// Lessons from closed cases, anonymised: the text is checked against the
// names of the people in the case's record, national IDs and telephone
// numbers before it is stored. Others read lessons without the case.

// ActionLessonWritten is the audit action of a new lesson.
const ActionLessonWritten = "lesson.written"

// LessonInput is a lesson as its writer gives it.
type LessonInput struct {
	CaseID         string
	OrganisationID string
	AuthorID       string
	Lesson         learning.Lesson
}

// recordNames are the names a lesson from a case must not contain: the
// case's child or household and everyone who lives or lived with them.
func (t *Tx) recordNames(ctx context.Context, c Case) ([]string, error) {
	q := `SELECT p.given_name, p.family_name, p.nickname FROM people p WHERE p.id = ?
		OR p.id IN (SELECT m.person_id FROM household_members m WHERE m.household_id = ?
			OR m.household_id IN (SELECT household_id FROM household_members WHERE person_id = ?))`
	type name struct{ given, family, nick string }
	rows, err := queryAll(ctx, t, q, []any{c.PersonID, c.HouseholdID, c.PersonID}, func(r *sql.Rows) (name, error) {
		var n name
		return n, r.Scan(&n.given, &n.family, &n.nick)
	})
	if err != nil {
		return nil, err
	}
	var g, f, n []string
	for _, r := range rows {
		g, f, n = append(g, r.given), append(f, r.family), append(n, r.nick)
	}
	return learning.NamesToAvoid(g, f, n), nil
}

// WriteLesson stores an anonymised lesson from a closed case the author
// managed or worked on. Identifying text is refused with its place.
func (db *DB) WriteLesson(ctx context.Context, in LessonInput, actor audit.Event) (learning.Lesson, error) {
	l := in.Lesson
	if err := learning.ValidateLesson(&l); err != nil {
		return l, err
	}
	err := db.InTx(ctx, func(t *Tx) error {
		c, err := t.getCase(ctx, in.CaseID)
		if err != nil {
			return errs.Field("case_id", "case.not_found", nil)
		}
		var team int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM case_members WHERE case_id = ? AND user_id = ?`, c.ID, in.AuthorID).Scan(&team); err != nil {
			return classify(err)
		}
		if c.ManagerID != in.AuthorID && team == 0 {
			return errs.Field("case_id", "case.not_found", nil)
		}
		if c.Status != cases.Closed {
			return errs.Field("case_id", "lesson.case_open", nil)
		}
		if err := t.activeMember(ctx, in.AuthorID, in.OrganisationID, "organisation_id"); err != nil {
			return err
		}
		names, err := t.recordNames(ctx, c)
		if err != nil {
			return err
		}
		if err := learning.CheckAnonymous(map[string]string{"situation": l.Situation, "lesson": l.Lesson}, []string{"situation", "lesson"}, names); err != nil {
			return err
		}
		l.ID = NewID()
		t.made(l.ID)
		if _, err := t.exec(ctx, `INSERT INTO lessons (id, case_id, indicators, situation, lesson, author_id, organisation_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, c.ID, strings.Join(l.Indicators, ","), l.Situation, l.Lesson, in.AuthorID, in.OrganisationID, t.now()); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionLessonWritten, "lesson", l.ID
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return l, err
	}
	list, err := db.SearchLessons(ctx, LessonFilter{ID: l.ID})
	if err != nil || len(list) == 0 {
		return l, err
	}
	return list[0], nil
}

// LessonFilter narrows a search of lessons.
type LessonFilter struct {
	Indicator string
	Search    string // words of the situation or the lesson
	ID        string
}

// SearchLessons finds lessons by indicator and situation, newest first.
func (db *DB) SearchLessons(ctx context.Context, f LessonFilter) ([]learning.Lesson, error) {
	q := `SELECT l.id, l.indicators, l.situation, l.lesson, o.name_th, l.created_at FROM lessons l JOIN organisations o ON o.id = l.organisation_id WHERE 1=1`
	var args []any
	if f.ID != "" {
		q, args = q+` AND l.id = ?`, append(args, f.ID)
	}
	if f.Indicator != "" {
		q, args = q+` AND (',' || l.indicators || ',') LIKE ?`, append(args, "%,"+strings.ToUpper(strings.TrimSpace(f.Indicator))+",%")
	}
	for _, w := range strings.Fields(f.Search) {
		like := "%" + strings.ToLower(w) + "%"
		q, args = q+` AND (LOWER(l.situation) LIKE ? OR LOWER(l.lesson) LIKE ?)`, append(args, like, like)
	}
	q += ` ORDER BY l.created_at DESC, l.id DESC LIMIT 200`
	return queryAll(ctx, db.reader(), q, args, func(r *sql.Rows) (learning.Lesson, error) {
		var l learning.Lesson
		var inds, created string
		err := r.Scan(&l.ID, &inds, &l.Situation, &l.Lesson, &l.OrgName, &created)
		l.Indicators = directory.SplitCodes(inds)
		l.CreatedAt = parseTS(created)
		return l, err
	})
}

// LessonNames are the names a lesson from a case must not contain (for the
// form to mark the place of a refused name). Only the platform's own
// check uses them; they are never shown.
func (db *DB) LessonNames(ctx context.Context, caseID string) ([]string, error) {
	r := db.reader()
	c, err := r.getCase(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return r.recordNames(ctx, c)
}
