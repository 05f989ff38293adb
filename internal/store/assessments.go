package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/thai"
)

// Audit actions of assessments.
const (
	ActionAssessmentCreated  = "assessment.created"
	ActionAssessmentsRead    = "assessments.read"
	ActionAssessmentPrepared = "assessment.prepared"
)

// AssessmentSource says who assessed.
type AssessmentSource string

const (
	ByStaff  AssessmentSource = "staff"
	ByFamily AssessmentSource = "family" // the family's self-assessment
)

// AssessmentInput is what a person submits.
type AssessmentInput struct {
	Subject   flower.Subject
	SubjectID string // a person (child) or a household
	// On is the assessment date (YYYY-MM-DD, C.E.); empty means today.
	On      string
	Answers map[string]flower.Answer
	Source  AssessmentSource
	// OrganisationID and AuthorID: who assessed (staff), or the
	// organisation that gave the family its code.
	OrganisationID string
	AuthorID       string
}

// Assessment is a stored assessment.
type Assessment struct {
	ID                 string                   `json:"id"`
	Subject            flower.Subject           `json:"subject"`
	PersonID           string                   `json:"person_id,omitempty"`
	HouseholdID        string                   `json:"household_id,omitempty"`
	InstrumentCode     string                   `json:"instrument_code"`
	InstrumentVersion  int                      `json:"instrument_version"`
	On                 string                   `json:"assessed_on"`
	Source             AssessmentSource         `json:"source"`
	OrganisationID     string                   `json:"organisation_id,omitempty"`
	OrganisationName   string                   `json:"organisation_name,omitempty"`
	OrganisationNameEN string                   `json:"-"`
	AuthorID           string                   `json:"author_id,omitempty"`
	AuthorName         string                   `json:"author_name,omitempty"`
	Answers            map[string]flower.Answer `json:"answers"`
	Result             flower.Result            `json:"result"`
	CreatedAt          time.Time                `json:"created_at"`
	// Alerts opened by this assessment (on creation only).
	Alerts []Alert `json:"alerts,omitempty"`
}

// AssessmentDraft is what a form needs to assess a subject: the current
// instrument, the subject's facts, the indicators that apply, the values
// proposed from records, and the latest assessment by the same kind of
// assessor to start from.
type AssessmentDraft struct {
	Instrument *flower.Instrument
	Facts      flower.SubjectFacts
	Applicable []*flower.Indicator
	Derived    map[string]flower.DerivedValue
	// Proposed is the evaluation of the derived values alone: what the
	// records say before anyone answers.
	Proposed flower.Result
	Previous *Assessment
}

// maxAnswers bounds the answers of one assessment (an instrument has far
// fewer indicators; this stops a body of a million keys early).
const maxAnswers = 500

// today is the store clock's date in Bangkok (as a UTC midnight): a visit
// at 6 a.m. Bangkok time is on that day, not on the UTC day before.
func (db *DB) today() time.Time {
	n := db.Now().In(thai.Bangkok())
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// assessmentDay parses an assessment date: not in the future, not before
// the instrument was published.
func (db *DB) assessmentDay(on string) (time.Time, error) {
	if on == "" {
		return db.today(), nil
	}
	d, err := time.Parse(time.DateOnly, on)
	if err != nil {
		return d, errs.Field("assessed_on", "assessment.date", nil)
	}
	if d.After(db.today()) {
		return d, errs.Field("assessed_on", "assessment.date_future", nil)
	}
	return d, nil
}

// subjectFacts describes a child or a household on a date, with the
// child's records (for derived indicators).
func (db *DB) subjectFacts(ctx context.Context, subject flower.Subject, id string, on time.Time) (flower.SubjectFacts, []people.Record, string, error) {
	r := db.reader()
	switch subject {
	case flower.Child:
		p, err := r.getPerson(ctx, id)
		if err != nil {
			return flower.SubjectFacts{}, nil, "", err
		}
		// The instrument's child indicators are for those under 18 (an
		// unknown age counts as a child, as everywhere).
		if !people.IsChild(p.BirthDate, on) {
			return flower.SubjectFacts{}, nil, "", errs.Field("subject_id", "assessment.not_a_child", nil)
		}
		recs, err := db.personRecords(ctx, p)
		if err != nil {
			return flower.SubjectFacts{}, nil, "", err
		}
		var conditions []string
		schooling := people.NoSchooling
		for _, rec := range recs { // newest first
			switch rec.Kind {
			case people.Condition:
				conditions = append(conditions, rec.Data.Condition)
			case people.ChildcareEnrolment:
				if schooling == people.NoSchooling {
					schooling = people.InChildcare
				}
			case people.SchoolEnrolment:
				if schooling == people.NoSchooling {
					schooling = people.GradeSchooling(rec.Data.Grade)
				}
			}
		}
		return flower.ChildFacts(p, schooling, conditions, on), recs, p.CommunityID, nil
	case flower.Household:
		h, err := r.getHousehold(ctx, id)
		if err != nil {
			return flower.SubjectFacts{}, nil, "", err
		}
		members, err := r.currentMembers(ctx, id)
		if err != nil {
			return flower.SubjectFacts{}, nil, "", err
		}
		return flower.HouseholdFacts(id, members, on), nil, h.CommunityID, nil
	}
	return flower.SubjectFacts{}, nil, "", errs.Field("subject", "field.choice", nil)
}

// personRecords reads a person's records and those of the pregnancy they
// were born of, newest first, without auditing: callers audit the act the
// records serve.
func (db *DB) personRecords(ctx context.Context, p people.Person) ([]people.Record, error) {
	q := recordSelect + ` WHERE (s.person_id = ? OR (s.pregnancy_id = ? AND s.person_id IS NULL)) ORDER BY s.occurred_on DESC, s.created_at DESC`
	preg := p.FromPregnancyID
	if preg == "" {
		preg = "-"
	}
	rows, err := db.reader().query(ctx, q, p.ID, preg)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []people.Record
	for rows.Next() {
		rec, err := db.scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, classify(rows.Err())
}

func (t *Tx) currentMembers(ctx context.Context, householdID string) ([]people.Person, error) {
	rows, err := t.query(ctx, `SELECT p.birth_date FROM household_members m JOIN people p ON p.id = m.person_id
		WHERE m.household_id = ? AND m.ended_on IS NULL`, householdID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []people.Person
	for rows.Next() {
		var p people.Person
		if err := rows.Scan(&p.BirthDate); err != nil {
			return nil, classify(err)
		}
		out = append(out, p)
	}
	return out, classify(rows.Err())
}

// PrepareAssessment gathers what a form needs to assess a subject today.
// Reading the records behind the derived values is audited.
func (db *DB) PrepareAssessment(ctx context.Context, subject flower.Subject, id string, source AssessmentSource, actor audit.Event) (AssessmentDraft, error) {
	if err := db.requireSubject(ctx, subject, id, actor); err != nil {
		return AssessmentDraft{}, err
	}
	in, err := db.CurrentInstrument(ctx)
	if err != nil {
		return AssessmentDraft{}, err
	}
	day := db.today()
	facts, recs, _, err := db.subjectFacts(ctx, subject, id, day)
	if err != nil {
		return AssessmentDraft{}, err
	}
	d := AssessmentDraft{Instrument: in, Facts: facts, Applicable: in.Applicable(facts), Derived: flower.Derive(in, facts, recs, day)}
	if d.Proposed, err = flower.Evaluate(in, facts, nil, d.Derived); err != nil {
		return AssessmentDraft{}, err
	}
	d.Proposed.SubjectID = id
	prev, err := db.latestAssessments(ctx, subject, []string{id}, source)
	if err != nil {
		return AssessmentDraft{}, err
	}
	if a, ok := prev[id]; ok {
		d.Previous = &a
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionAssessmentPrepared, string(subject), id
	return d, db.AuditRead(ctx, actor)
}

// CreateAssessment evaluates and stores an assessment with the current
// instrument, opens the alerts it raises, and audits both in the same
// transaction. Nothing is stored if any answer is wrong.
func (db *DB) CreateAssessment(ctx context.Context, a AssessmentInput, actor audit.Event) (Assessment, error) {
	e, err := db.evaluate(ctx, a)
	if err != nil {
		return Assessment{}, err
	}
	if err := db.requireSubject(ctx, a.Subject, a.SubjectID, actor); err != nil {
		return Assessment{}, err
	}
	err = db.InTx(ctx, func(t *Tx) error { return t.insertAssessment(ctx, &e, actor) })
	return e.out, err
}

// evaluated is an assessment ready to store.
type evaluated struct {
	out         Assessment
	previous    *flower.Result
	communityID string
}

// evaluate checks and evaluates an assessment outside any transaction.
func (db *DB) evaluate(ctx context.Context, a AssessmentInput) (evaluated, error) {
	in, err := db.CurrentInstrument(ctx)
	if err != nil {
		return evaluated{}, err
	}
	if a.Source != ByStaff && a.Source != ByFamily {
		return evaluated{}, errs.Field("source", "field.choice", nil)
	}
	if a.Subject != flower.Child && a.Subject != flower.Household {
		return evaluated{}, errs.Field("subject", "field.choice", nil)
	}
	if len(a.Answers) > maxAnswers {
		return evaluated{}, errs.Field("answers", "assessment.too_many_answers", map[string]any{"Max": maxAnswers})
	}
	day, err := db.assessmentDay(a.On)
	if err != nil {
		return evaluated{}, err
	}
	facts, recs, communityID, err := db.subjectFacts(ctx, a.Subject, a.SubjectID, day)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			err = errs.Field("subject_id", "assessment.subject_not_found", nil)
		}
		return evaluated{}, err
	}
	if a.Source == ByFamily {
		// The family answers only the questions meant for it.
		for code := range a.Answers {
			if ind := in.Indicator(code); ind != nil && !ind.FamilyFacing {
				return evaluated{}, errs.Field("answers["+code+"]", "assessment.not_family_facing", nil)
			}
		}
	}
	// A family's self-assessment is what the family says: values derived
	// from the agencies' records (a vaccine missing from them, say) are
	// the staff's to weigh, not shown to the family as its own red.
	var derived map[string]flower.DerivedValue
	if a.Source == ByStaff {
		derived = flower.Derive(in, facts, recs, day)
	}
	res, err := flower.Evaluate(in, facts, a.Answers, derived)
	if err != nil {
		return evaluated{}, err
	}
	res.SubjectID = a.SubjectID
	prev, err := db.latestAssessments(ctx, a.Subject, []string{a.SubjectID}, a.Source)
	if err != nil {
		return evaluated{}, err
	}
	e := evaluated{communityID: communityID}
	if p, ok := prev[a.SubjectID]; ok {
		e.previous = &p.Result
	}
	e.out = Assessment{ID: NewID(), Subject: a.Subject, InstrumentCode: in.Code, InstrumentVersion: in.Version,
		On: day.Format(time.DateOnly), Source: a.Source, OrganisationID: a.OrganisationID, AuthorID: a.AuthorID,
		Answers: a.Answers, Result: res}
	if a.Subject == flower.Child {
		e.out.PersonID = a.SubjectID
	} else {
		e.out.HouseholdID = a.SubjectID
	}
	if e.out.Answers == nil {
		e.out.Answers = map[string]flower.Answer{}
	}
	return e, nil
}

// insertAssessment stores an evaluated assessment, audits it and opens
// its alerts.
func (t *Tx) insertAssessment(ctx context.Context, e *evaluated, actor audit.Event) error {
	out := &e.out
	t.made(out.ID)
	if out.OrganisationID != "" {
		if _, err := t.getOrganisation(ctx, "id", out.OrganisationID); err != nil {
			return errs.Field("organisation_id", "organisation.not_found", nil)
		}
	}
	answers, _ := json.Marshal(out.Answers)
	result, _ := json.Marshal(out.Result)
	levels := out.Result.Levels()
	if err := t.dashTouchSubject(ctx, out.Subject, out.PersonID+out.HouseholdID); err != nil {
		return err
	}
	now := t.now()
	if _, err := t.exec(ctx, `INSERT INTO assessments (id, subject, person_id, household_id, instrument_code, instrument_version,
		assessed_on, source, organisation_id, author_id, economy, safety, education, health, answers, result, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		out.ID, string(out.Subject), nullString(out.PersonID), nullString(out.HouseholdID), out.InstrumentCode, out.InstrumentVersion,
		out.On, string(out.Source), nullString(out.OrganisationID), out.AuthorID,
		string(levels[people.Economy]), string(levels[people.Safety]), string(levels[people.Education]), string(levels[people.Health]),
		string(answers), string(result), now); err != nil {
		return classify(err)
	}
	out.CreatedAt = parseTS(now)
	actor.Action, actor.ObjectType, actor.ObjectID = ActionAssessmentCreated, string(out.Subject), out.PersonID+out.HouseholdID
	actor.Detail = "source=" + string(out.Source)
	if err := t.Audit(ctx, actor); err != nil {
		return err
	}
	opened, err := t.openAlerts(ctx, flower.Alerts(out.Result, e.previous, t.db.Now(), t.db.AlertPolicy), out.ID, e.communityID, out.OrganisationID, actor)
	out.Alerts = opened
	return err
}

const assessmentSelect = `SELECT a.id, a.subject, COALESCE(a.person_id, ''), COALESCE(a.household_id, ''), a.instrument_code, a.instrument_version,
	a.assessed_on, a.source, COALESCE(a.organisation_id, ''), a.author_id, a.answers, a.result, a.created_at,
	COALESCE(o.name_th, ''), COALESCE(o.name_en, ''), COALESCE(u.display_name, '')
	FROM assessments a LEFT JOIN organisations o ON o.id = a.organisation_id LEFT JOIN users u ON u.id = a.author_id`

func scanAssessment(rows *sql.Rows) (Assessment, error) {
	var a Assessment
	var subject, source, answers, result, created string
	if err := rows.Scan(&a.ID, &subject, &a.PersonID, &a.HouseholdID, &a.InstrumentCode, &a.InstrumentVersion, &a.On, &source,
		&a.OrganisationID, &a.AuthorID, &answers, &result, &created, &a.OrganisationName, &a.OrganisationNameEN, &a.AuthorName); err != nil {
		return a, classify(err)
	}
	a.Subject, a.Source, a.CreatedAt = flower.Subject(subject), AssessmentSource(source), parseTS(created)
	if err := json.Unmarshal([]byte(answers), &a.Answers); err != nil {
		return a, errs.Internalf("assessment %s answers: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(result), &a.Result); err != nil {
		return a, errs.Internalf("assessment %s result: %w", a.ID, err)
	}
	return a, nil
}

func (db *DB) queryAssessments(ctx context.Context, q string, args ...any) ([]Assessment, error) {
	return queryAll(ctx, db.reader(), q, args, scanAssessment)
}

// subjectColumn is the column that names a subject's ID.
func subjectColumn(s flower.Subject) string {
	if s == flower.Household {
		return "household_id"
	}
	return "person_id"
}

// ListAssessments returns a subject's assessments, newest first, staff and
// family alike. The read is audited.
func (db *DB) ListAssessments(ctx context.Context, subject flower.Subject, id string, actor audit.Event) ([]Assessment, error) {
	if err := db.subjectExists(ctx, subject, id); err != nil {
		return nil, err
	}
	if err := db.requireSubject(ctx, subject, id, actor); err != nil {
		return nil, err
	}
	out, err := db.queryAssessments(ctx, assessmentSelect+` WHERE a.`+subjectColumn(subject)+` = ? ORDER BY a.assessed_on DESC, a.id DESC`, id)
	if err != nil {
		return nil, err
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionAssessmentsRead, string(subject), id
	return out, db.AuditRead(ctx, actor)
}

// latestAssessments returns the newest assessment of each subject by one
// kind of assessor ("" for any).
func (db *DB) latestAssessments(ctx context.Context, subject flower.Subject, ids []string, source AssessmentSource) (map[string]Assessment, error) {
	out := map[string]Assessment{}
	if len(ids) == 0 {
		return out, nil
	}
	col := subjectColumn(subject)
	args := make([]any, 0, len(ids)+2)
	for _, id := range ids {
		args = append(args, id)
	}
	src := ""
	if source != "" {
		src = ` AND b.source = ?`
		args = append(args, string(source))
	}
	q := assessmentSelect + ` WHERE a.` + col + ` IN (` + placeholders(len(ids)) + `) AND a.id = (SELECT b.id FROM assessments b
		WHERE b.` + col + ` = a.` + col + src + ` ORDER BY b.assessed_on DESC, b.id DESC LIMIT 1)`
	list, err := db.queryAssessments(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		out[a.PersonID+a.HouseholdID] = a
	}
	return out, nil
}

// Flowers returns the latest staff assessment's dimension levels of each
// subject that has one (for lists: search results, household members).
// It returns levels only, no answers; the caller audits the list it shows.
func (db *DB) Flowers(ctx context.Context, subject flower.Subject, ids []string) (map[string]map[people.Dimension]flower.Level, error) {
	out := map[string]map[people.Dimension]flower.Level{}
	if len(ids) == 0 {
		return out, nil
	}
	col := subjectColumn(subject)
	args := make([]any, 0, len(ids))
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := db.reader().query(ctx, `SELECT a.`+col+`, a.economy, a.safety, a.education, a.health FROM assessments a
		WHERE a.`+col+` IN (`+placeholders(len(ids))+`) AND a.id = (SELECT b.id FROM assessments b
		WHERE b.`+col+` = a.`+col+` AND b.source = 'staff' ORDER BY b.assessed_on DESC, b.id DESC LIMIT 1)`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var l [4]string
		if err := rows.Scan(&id, &l[0], &l[1], &l[2], &l[3]); err != nil {
			return nil, classify(err)
		}
		m := map[people.Dimension]flower.Level{}
		for i, d := range people.Dimensions {
			m[d] = flower.Level(l[i])
		}
		out[id] = m
	}
	return out, classify(rows.Err())
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
