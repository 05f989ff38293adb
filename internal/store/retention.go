package store

import (
	"context"
	"fmt"
	"time"

	"termtem/internal/audit"
)

// Retention: each kind of service record is kept for a number of years
// (retention_rules, data an operator may change), counted from the end of
// the year the person turns 18 or from the record's date. A scheduled job
// deletes what is past its time (PDPA s.37(3): no longer than necessary).

// ActionRetentionDeleted is the audit action of a retention deletion; the
// event names the kind and the count, never a person.
const ActionRetentionDeleted = "retention.deleted"

// Retention anchors.
const (
	AnchorAdulthood = "adulthood"
	AnchorRecord    = "record"
)

// RetentionRule is how long one kind of record is kept.
type RetentionRule struct {
	Kind     string `json:"record_kind"`
	Years    int    `json:"years"`
	Anchor   string `json:"anchor"`
	Proposed bool   `json:"proposed"` // a default awaiting legal review
}

// RetentionRules lists the rules by kind.
func (db *DB) RetentionRules(ctx context.Context) ([]RetentionRule, error) {
	rows, err := db.reader().query(ctx, `SELECT record_kind, years, anchor, proposed FROM retention_rules ORDER BY record_kind`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []RetentionRule
	for rows.Next() {
		var r RetentionRule
		if err := rows.Scan(&r.Kind, &r.Years, &r.Anchor, &r.Proposed); err != nil {
			return nil, classify(err)
		}
		out = append(out, r)
	}
	return out, classify(rows.Err())
}

// RetentionCount is how many records of a kind are (or were) past their time.
type RetentionCount struct {
	Kind  string `json:"record_kind"`
	Count int    `json:"count"`
}

// retentionBatch bounds one deleting transaction, so that the writer is
// never held for long.
const retentionBatch = 500

// expired is the condition on service_records s of records past a rule's
// time on now. A person whose birth year is unknown keeps their records:
// deleting early is worse than keeping late.
func expired(r RetentionRule, now time.Time) (string, []any, error) {
	switch r.Anchor {
	case AnchorRecord:
		return `s.kind = ? AND s.occurred_on < ?`, []any{r.Kind, now.AddDate(-r.Years, 0, 0).Format("2006-01-02")}, nil
	case AnchorAdulthood:
		// A record on a pregnancy counts from its child, else its mother.
		return `s.kind = ? AND EXISTS (SELECT 1 FROM people p WHERE p.id = COALESCE(s.person_id,
			(SELECT COALESCE(g.child_id, g.mother_id) FROM pregnancies g WHERE g.id = s.pregnancy_id))
			AND p.birth_year IS NOT NULL AND p.birth_year < ?)`, []any{r.Kind, now.Year() - 18 - r.Years}, nil
	}
	return "", nil, fmt.Errorf("retention rule %s: unknown anchor %q", r.Kind, r.Anchor)
}

// RunRetention deletes the records past their retention, or with dryRun
// only counts them. Each batch is audited with its kind and count.
func (db *DB) RunRetention(ctx context.Context, dryRun bool) ([]RetentionCount, error) {
	rules, err := db.RetentionRules(ctx)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	var out []RetentionCount
	for _, r := range rules {
		cond, args, err := expired(r, now)
		if err != nil {
			return out, err
		}
		c := RetentionCount{Kind: r.Kind}
		if dryRun {
			if err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM service_records s WHERE `+cond, args...).Scan(&c.Count); err != nil {
				return out, classify(err)
			}
			out = append(out, c)
			continue
		}
		for {
			n := 0
			err := db.InTx(ctx, func(t *Tx) error {
				ids, err := t.strings(ctx, `SELECT s.id FROM service_records s WHERE `+cond+` ORDER BY s.id LIMIT `+fmt.Sprint(retentionBatch), args...)
				if err != nil || len(ids) == 0 {
					return err
				}
				in := placeholders(len(ids))
				persons, err := t.strings(ctx, `SELECT DISTINCT person_id FROM service_records WHERE person_id IS NOT NULL AND id IN (`+in+`)`, anyArgs(ids)...)
				if err != nil {
					return err
				}
				if err := t.dashTouchPerson(ctx, persons...); err != nil {
					return err
				}
				if _, err := t.exec(ctx, `DELETE FROM import_keys WHERE object_id IN (`+in+`)`, anyArgs(ids)...); err != nil {
					return classify(err)
				}
				if _, err := t.exec(ctx, `DELETE FROM service_records WHERE id IN (`+in+`)`, anyArgs(ids)...); err != nil {
					return classify(err)
				}
				n = len(ids)
				return t.Audit(ctx, audit.Event{Action: ActionRetentionDeleted, ObjectType: "retention_rule", ObjectID: r.Kind, Detail: fmt.Sprint(n)})
			})
			if err != nil {
				return out, err
			}
			c.Count += n
			if n < retentionBatch || ctx.Err() != nil {
				break
			}
		}
		out = append(out, c)
	}
	return out, nil
}
