package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"strconv"
	"sync"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/flower"
)

// Audit actions of instruments.
const ActionInstrumentPublished = "instrument.published"

// InstrumentInfo describes a stored instrument version.
type InstrumentInfo struct {
	Code        string `json:"code"`
	Version     int    `json:"version"`
	TitleTH     string `json:"title_th"`
	TitleEN     string `json:"title_en"`
	PublishedAt string `json:"published_at"`
	Current     bool   `json:"current"` // the newest version of its code
}

// parsed caches parsed instruments by the hash of their file: a stored
// version never changes, so neither does its parse.
var parsed sync.Map // [sha256]*flower.Instrument

func parseStored(body []byte) (*flower.Instrument, error) {
	key := sha256.Sum256(body)
	if in, ok := parsed.Load(key); ok {
		return in.(*flower.Instrument), nil
	}
	in, err := flower.Parse(body)
	if err != nil {
		return nil, errs.Internalf("stored instrument does not parse: %w", err)
	}
	parsed.Store(key, in)
	return in, nil
}

// seedInstruments loads the shipped default instrument as its first
// version if it is not there yet.
func (db *DB) seedInstruments(ctx context.Context) error {
	in := flower.Default()
	return db.InTx(ctx, func(t *Tx) error {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM instruments WHERE code = ? AND version = ?`, in.Code, in.Version).Scan(&n); err != nil {
			return classify(err)
		}
		if n > 0 {
			return nil
		}
		return t.insertInstrument(ctx, in, flower.DefaultFileBytes(), "")
	})
}

func (t *Tx) insertInstrument(ctx context.Context, in *flower.Instrument, body []byte, by string) error {
	_, err := t.exec(ctx, `INSERT INTO instruments (code, version, title_th, title_en, published_at, body, loaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, in.Code, in.Version, in.Title.TH, in.Title.EN, in.PublishedAt, string(body), by, t.now())
	return classify(err)
}

// PublishInstrument validates an instrument file and stores it as a new
// version. The version must be the next of its code (1 for a new code): a
// published version is never replaced, so old assessments keep their
// meaning.
func (db *DB) PublishInstrument(ctx context.Context, body []byte, actor audit.Event) (InstrumentInfo, error) {
	in, err := flower.Parse(body)
	if err != nil {
		return InstrumentInfo{}, err
	}
	err = db.InTx(ctx, func(t *Tx) error {
		var latest sql.NullInt64
		if err := t.queryRow(ctx, `SELECT MAX(version) FROM instruments WHERE code = ?`, in.Code).Scan(&latest); err != nil {
			return classify(err)
		}
		if want := int(latest.Int64) + 1; in.Version != want {
			e := errs.Field("version", "instrument.version_next", map[string]any{"Want": want})
			e.Line = flower.ValueLine(body, "version")
			return e
		}
		if err := t.insertInstrument(ctx, in, body, actor.ActorID); err != nil {
			return err
		}
		t.made(in.Code + "/" + strconv.Itoa(in.Version)) // an instrument is named by its code and version
		actor.Action, actor.ObjectType, actor.ObjectID = ActionInstrumentPublished, "instrument", in.Code
		actor.Detail = "version=" + strconv.Itoa(in.Version)
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return InstrumentInfo{}, err
	}
	return InstrumentInfo{Code: in.Code, Version: in.Version, TitleTH: in.Title.TH, TitleEN: in.Title.EN, PublishedAt: in.PublishedAt, Current: true}, nil
}

// ListInstruments lists every stored version, newest first within a code.
func (db *DB) ListInstruments(ctx context.Context) ([]InstrumentInfo, error) {
	rows, err := db.reader().query(ctx, `SELECT i.code, i.version, i.title_th, i.title_en, i.published_at,
		i.version = (SELECT MAX(version) FROM instruments j WHERE j.code = i.code)
		FROM instruments i ORDER BY i.code, i.version DESC`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []InstrumentInfo
	for rows.Next() {
		var i InstrumentInfo
		if err := rows.Scan(&i.Code, &i.Version, &i.TitleTH, &i.TitleEN, &i.PublishedAt, &i.Current); err != nil {
			return nil, classify(err)
		}
		out = append(out, i)
	}
	return out, classify(rows.Err())
}

// Instrument returns one stored version; version 0 means the newest.
func (db *DB) Instrument(ctx context.Context, code string, version int) (*flower.Instrument, error) {
	return db.reader().instrument(ctx, code, version)
}

// CurrentInstrument is the newest version of the default instrument's code,
// the one new assessments use.
func (db *DB) CurrentInstrument(ctx context.Context) (*flower.Instrument, error) {
	return db.Instrument(ctx, flower.Default().Code, 0)
}

// InstrumentFile returns a stored version's file as it was loaded.
func (db *DB) InstrumentFile(ctx context.Context, code string, version int) ([]byte, error) {
	var body string
	err := db.reader().queryRow(ctx, `SELECT body FROM instruments WHERE code = ? AND version = ?`, code, version).Scan(&body)
	if err == sql.ErrNoRows {
		return nil, errs.New(errs.NotFound, "instrument.not_found")
	}
	return []byte(body), classify(err)
}

func (t *Tx) instrument(ctx context.Context, code string, version int) (*flower.Instrument, error) {
	var body string
	var err error
	if version <= 0 {
		err = t.queryRow(ctx, `SELECT body FROM instruments WHERE code = ? ORDER BY version DESC LIMIT 1`, code).Scan(&body)
	} else {
		err = t.queryRow(ctx, `SELECT body FROM instruments WHERE code = ? AND version = ?`, code, version).Scan(&body)
	}
	if err == sql.ErrNoRows {
		return nil, errs.New(errs.NotFound, "instrument.not_found")
	}
	if err != nil {
		return nil, classify(err)
	}
	return parseStored([]byte(body))
}
