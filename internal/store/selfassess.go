package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// Audit actions of the family self-assessment.
const (
	ActionSelfCodeCreated   = "self_code.created"
	ActionSelfCodeClaimed   = "self_code.claimed"
	ActionSelfCodeRejected  = "self_code.rejected"
	ActionSelfAssessmentSub = "self_assessment.submitted"
)

// Self-assessment code rules.
const (
	// SelfCodeDigits: ten digits are easy to type on any phone and, with
	// the attempt limit below, a guess succeeds about once in a billion
	// tries per live code.
	SelfCodeDigits = 10
	// SelfCodeLifetime is how long a code may be entered (default).
	SelfCodeLifetime = 7 * 24 * time.Hour
	// SelfSessionLifetime is how long a family has to answer once it has
	// entered its code.
	SelfSessionLifetime = 2 * time.Hour
)

// SelfCodeThrottle limits wrong codes per client address: 10 in 15 minutes
// locks that address out for 15 minutes.
var SelfCodeThrottle = account.LoginThrottle{MaxFailures: 10, Window: 15 * time.Minute, Lockout: 15 * time.Minute}

// NormalizeSelfCode keeps the digits of what a family typed ("12345 67890",
// "12345-67890", Thai digits).
func NormalizeSelfCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '๐' && r <= '๙':
			b.WriteRune('0' + (r - '๐'))
		}
	}
	return b.String()
}

// FormatSelfCode shows a code in two groups of five.
func FormatSelfCode(code string) string {
	if len(code) != SelfCodeDigits {
		return code
	}
	return code[:5] + " " + code[5:]
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// SelfCode is a code given to a family.
type SelfCode struct {
	Code        string    `json:"code"` // shown once, never stored
	HouseholdID string    `json:"household_id"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// CreateSelfCode makes a single-use code for a household's self-assessment.
// Only its hash is stored.
func (db *DB) CreateSelfCode(ctx context.Context, householdID, organisationID string, lifetime time.Duration, actor audit.Event) (SelfCode, error) {
	if lifetime <= 0 || lifetime > 30*24*time.Hour {
		lifetime = SelfCodeLifetime
	}
	max := big.NewInt(1)
	for range SelfCodeDigits {
		max.Mul(max, big.NewInt(10))
	}
	n, err := rand.Int(rand.Reader, max)
	if err != nil {
		return SelfCode{}, errs.Internalf("random: %w", err)
	}
	code := n.Text(10)
	code = strings.Repeat("0", SelfCodeDigits-len(code)) + code
	sc := SelfCode{Code: code, HouseholdID: householdID, ExpiresAt: db.Now().Add(lifetime).UTC().Truncate(time.Second)}
	err = db.InTx(ctx, func(t *Tx) error {
		if _, err := t.getHousehold(ctx, householdID); err != nil {
			return err
		}
		t.made(householdID) // a code has no ID of its own: the household it is for
		if _, err := t.exec(ctx, `INSERT INTO self_assessment_codes (code_hash, household_id, organisation_id, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, hashSecret(code), householdID, organisationID, actor.ActorID, t.now(), ts(sc.ExpiresAt)); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionSelfCodeCreated, "household", householdID
		return t.Audit(ctx, actor)
	})
	return sc, err
}

// ClaimSelfCode exchanges a code for a short family session token. Any
// wrong, used or expired code gets the same error, and wrong codes count
// against the client's address (clientKey) so that codes cannot be guessed.
func (db *DB) ClaimSelfCode(ctx context.Context, code, clientKey string, actor audit.Event) (string, error) {
	throttleKey := "self-code:" + clientKey
	locked, err := db.LoginLocked(ctx, throttleKey)
	if err != nil {
		return "", err
	}
	if locked {
		return "", errs.New(errs.TooManyRequests, "self.code_throttled")
	}
	code = NormalizeSelfCode(code)
	token := randomToken()
	claimed := false
	if len(code) == SelfCodeDigits {
		err = db.InTx(ctx, func(t *Tx) error {
			now := t.now()
			res, err := t.exec(ctx, `UPDATE self_assessment_codes SET claimed_at = ?, session_hash = ?
				WHERE code_hash = ? AND claimed_at IS NULL AND expires_at > ?`, now, hashSecret(token), hashSecret(code), now)
			if err != nil {
				return classify(err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				claimed = true
				var household string
				if err := t.queryRow(ctx, `SELECT household_id FROM self_assessment_codes WHERE code_hash = ?`, hashSecret(code)).Scan(&household); err != nil {
					return classify(err)
				}
				actor.Action, actor.ObjectType, actor.ObjectID = ActionSelfCodeClaimed, "household", household
				return t.Audit(ctx, actor)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	if claimed {
		return token, nil
	}
	actor.Action, actor.Outcome = ActionSelfCodeRejected, audit.Denied
	if _, err := db.RecordLoginFailure(ctx, throttleKey, SelfCodeThrottle, actor); err != nil {
		return "", err
	}
	return "", errs.Field("code", "self.code_invalid", nil)
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// SelfSession is a family's open self-assessment.
type SelfSession struct {
	HouseholdID    string
	OrganisationID string
	ClaimedAt      time.Time
	// AssessmentID is set once the family has submitted; the session then
	// only shows the result.
	Submitted bool
	codeHash  string
}

// GetSelfSession returns the session of a token, if it is still open.
func (db *DB) GetSelfSession(ctx context.Context, token string) (SelfSession, error) {
	var s SelfSession
	var claimed string
	var used sql.NullString
	err := db.reader().queryRow(ctx, `SELECT code_hash, household_id, organisation_id, claimed_at, used_at FROM self_assessment_codes
		WHERE session_hash = ?`, hashSecret(token)).Scan(&s.codeHash, &s.HouseholdID, &s.OrganisationID, &claimed, &used)
	if err == sql.ErrNoRows || (err == nil && db.Now().After(parseTS(claimed).Add(SelfSessionLifetime))) {
		return SelfSession{}, errs.New(errs.Unauthenticated, "self.session_expired")
	}
	if err != nil {
		return SelfSession{}, classify(err)
	}
	s.ClaimedAt, s.Submitted = parseTS(claimed), used.Valid
	return s, nil
}

// SelfChild is a child the family answers about.
type SelfChild struct {
	ID   string
	Name string // nickname, else given name: how the family calls the child
}

// SelfForm is what the family sees: the family-facing questions about the
// household and about each child living in it.
type SelfForm struct {
	Instrument *flower.Instrument
	Household  []*flower.Indicator
	Children   []SelfChild
	ByChild    map[string][]*flower.Indicator
}

// SelfAssessmentForm gathers the questions of a family session.
func (db *DB) SelfAssessmentForm(ctx context.Context, s SelfSession) (SelfForm, error) {
	in, err := db.CurrentInstrument(ctx)
	if err != nil {
		return SelfForm{}, err
	}
	f := SelfForm{Instrument: in, ByChild: map[string][]*flower.Indicator{}}
	day := db.today()
	hf, _, _, err := db.subjectFacts(ctx, flower.Household, s.HouseholdID, day)
	if err != nil {
		return f, err
	}
	f.Household = familyFacing(in, hf)
	kids, err := db.householdChildren(ctx, s.HouseholdID, day)
	if err != nil {
		return f, err
	}
	for _, k := range kids {
		cf, _, _, err := db.subjectFacts(ctx, flower.Child, k.ID, day)
		if err != nil {
			return f, err
		}
		if inds := familyFacing(in, cf); len(inds) > 0 {
			f.Children = append(f.Children, k)
			f.ByChild[k.ID] = inds
		}
	}
	return f, nil
}

// familyFacing lists the applicable family-facing indicators a family can
// answer (derived ones are left to the records).
func familyFacing(in *flower.Instrument, f flower.SubjectFacts) []*flower.Indicator {
	var out []*flower.Indicator
	for _, ind := range in.Applicable(f) {
		if ind.FamilyFacing && ind.Answer.Kind != flower.Derived {
			out = append(out, ind)
		}
	}
	return out
}

func (db *DB) householdChildren(ctx context.Context, householdID string, day time.Time) ([]SelfChild, error) {
	rows, err := db.reader().query(ctx, `SELECT p.id, p.nickname, p.given_name, p.birth_date FROM household_members m JOIN people p ON p.id = m.person_id
		WHERE m.household_id = ? AND m.ended_on IS NULL ORDER BY p.birth_date, p.id`, householdID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []SelfChild
	for rows.Next() {
		var id, nick, given, birth string
		if err := rows.Scan(&id, &nick, &given, &birth); err != nil {
			return nil, classify(err)
		}
		if !people.IsChild(birth, day) {
			continue
		}
		name := nick
		if name == "" {
			name = given
		}
		out = append(out, SelfChild{ID: id, Name: name})
	}
	return out, classify(rows.Err())
}

// SelfAnswers are a family's answers: about the household and per child.
type SelfAnswers struct {
	Household map[string]flower.Answer
	Children  map[string]map[string]flower.Answer // child ID → answers
}

// SubmitSelfAssessment stores the family's answers as self-assessments of
// the household and of each child, beside the staff's (never replacing
// them), and uses up the code — all in one transaction.
func (db *DB) SubmitSelfAssessment(ctx context.Context, s SelfSession, answers SelfAnswers, actor audit.Event) ([]Assessment, error) {
	if s.Submitted {
		return nil, errs.New(errs.Conflict, "self.already_submitted")
	}
	kids, err := db.householdChildren(ctx, s.HouseholdID, db.today())
	if err != nil {
		return nil, err
	}
	member := map[string]bool{}
	for _, k := range kids {
		member[k.ID] = true
	}
	var evs []evaluated
	e, err := db.evaluate(ctx, AssessmentInput{Subject: flower.Household, SubjectID: s.HouseholdID, Answers: answers.Household,
		Source: ByFamily, OrganisationID: s.OrganisationID})
	if err != nil {
		return nil, err
	}
	evs = append(evs, e)
	for id, as := range answers.Children {
		if !member[id] {
			return nil, errs.Field("children", "self.not_household_child", nil)
		}
		e, err := db.evaluate(ctx, AssessmentInput{Subject: flower.Child, SubjectID: id, Answers: as, Source: ByFamily, OrganisationID: s.OrganisationID})
		if err != nil {
			if fe := errs.As(err); fe != nil && fe.Field != "" {
				fe.Field = "children[" + id + "]." + fe.Field
			}
			return nil, err
		}
		evs = append(evs, e)
	}
	var out []Assessment
	err = db.InTx(ctx, func(t *Tx) error {
		for i := range evs {
			if err := t.insertAssessment(ctx, &evs[i], actor); err != nil {
				return err
			}
			out = append(out, evs[i].out)
		}
		// One submission, one instant: SelfResults finds the session's
		// assessments by the household's created_at, and a real clock
		// ticks between the inserts.
		for i := 1; i < len(out); i++ {
			if _, err := t.exec(ctx, `UPDATE assessments SET created_at = (SELECT created_at FROM assessments WHERE id = ?) WHERE id = ?`,
				out[0].ID, out[i].ID); err != nil {
				return classify(err)
			}
			out[i].CreatedAt = out[0].CreatedAt
		}
		// Used up in the same transaction: a second submission, even a
		// concurrent one, finds used_at set and rolls back.
		res, err := t.exec(ctx, `UPDATE self_assessment_codes SET used_at = ?, assessment_id = ? WHERE code_hash = ? AND used_at IS NULL`,
			t.now(), evs[0].out.ID, s.codeHash)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Conflict, "self.already_submitted")
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionSelfAssessmentSub, "household", s.HouseholdID, ""
		return t.Audit(ctx, actor)
	})
	return out, err
}

// SelfResults returns what a family submitted in its session: the
// self-assessments made with its code, household first.
func (db *DB) SelfResults(ctx context.Context, s SelfSession) ([]Assessment, error) {
	var first string
	if err := db.reader().queryRow(ctx, `SELECT COALESCE(assessment_id, '') FROM self_assessment_codes WHERE code_hash = ?`, s.codeHash).Scan(&first); err != nil {
		return nil, classify(err)
	}
	if first == "" {
		return nil, nil
	}
	// The session's assessments were written together, right after the
	// household's: same source, created at the same instant.
	return db.queryAssessments(ctx, assessmentSelect+` WHERE a.source = 'family' AND a.created_at = (SELECT created_at FROM assessments WHERE id = ?)
		AND (a.household_id = ? OR a.person_id IN (SELECT person_id FROM household_members WHERE household_id = ? AND ended_on IS NULL))
		ORDER BY a.subject DESC, a.id`, first, s.HouseholdID, s.HouseholdID)
}
