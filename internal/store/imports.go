package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/imports"
)

// Audit actions of imports.
const (
	ActionImportMappingSaved = "import.mapping_saved"
	ActionImportJobCreated   = "import.job_created"
	ActionImportBatch        = "import.batch_committed"
	ActionImportFailed       = "import.failed"
	ActionImportDone         = "import.done"
	ActionImportReportRead   = "import.report_read"
)

// ImportStale is how long a running job may go without a committed batch
// before another process may take it over (its process is presumed dead).
const ImportStale = 2 * time.Minute

// SavedMapping is a source's saved column mapping.
type SavedMapping struct {
	Source         string
	Format         imports.Format
	OrganisationID string
	Mapping        imports.Mapping
	UpdatedAt      time.Time
}

// SaveImportMapping saves (or replaces) the mapping of a source.
func (db *DB) SaveImportMapping(ctx context.Context, m SavedMapping, actor audit.Event) error {
	m.Source = strings.TrimSpace(m.Source)
	if m.Source == "" || len(m.Source) > 100 {
		return errs.Field("source", "import.source_name", nil)
	}
	return db.InTx(ctx, func(t *Tx) error {
		now := t.now()
		res, err := t.exec(ctx, `UPDATE import_mappings SET format = ?, organisation_id = ?, mapping = ?, version = version + 1,
			updated_by = ?, updated_at = ? WHERE source = ?`,
			string(m.Format), nullString(m.OrganisationID), imports.EncodeMapping(m.Mapping), actor.ActorID, now, m.Source)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := t.exec(ctx, `INSERT INTO import_mappings (source, format, organisation_id, mapping, updated_by, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, m.Source, string(m.Format), nullString(m.OrganisationID), imports.EncodeMapping(m.Mapping),
				actor.ActorID, now, now); err != nil {
				return classify(err)
			}
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionImportMappingSaved, "import_mapping", m.Source
		return t.Audit(ctx, actor)
	})
}

// ImportMapping returns the saved mapping of a source.
func (db *DB) ImportMapping(ctx context.Context, source string) (SavedMapping, error) {
	ms, err := db.importMappings(ctx, `WHERE source = ?`, source)
	if err != nil {
		return SavedMapping{}, err
	}
	if len(ms) == 0 {
		return SavedMapping{}, errs.New(errs.NotFound, "import.mapping_not_found")
	}
	return ms[0], nil
}

// ImportMappings lists the saved mappings by source name.
func (db *DB) ImportMappings(ctx context.Context) ([]SavedMapping, error) {
	return db.importMappings(ctx, `ORDER BY source`)
}

func (db *DB) importMappings(ctx context.Context, where string, args ...any) ([]SavedMapping, error) {
	rows, err := db.reader().query(ctx, `SELECT source, format, COALESCE(organisation_id, ''), mapping, updated_at FROM import_mappings `+where, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []SavedMapping
	for rows.Next() {
		var m SavedMapping
		var format, mapping, updated string
		if err := rows.Scan(&m.Source, &format, &m.OrganisationID, &mapping, &updated); err != nil {
			return nil, classify(err)
		}
		m.Format, m.UpdatedAt = imports.Format(format), parseTS(updated)
		if m.Mapping, err = imports.DecodeMapping(mapping); err != nil {
			return nil, errs.Internalf("mapping of %s: %w", m.Source, err)
		}
		out = append(out, m)
	}
	return out, classify(rows.Err())
}

// CreateImportJob stores a new job (a draft awaiting its mapping, or
// queued) and returns it with its ID.
func (db *DB) CreateImportJob(ctx context.Context, j imports.Job, actor audit.Event) (imports.Job, error) {
	j.ID = NewID()
	if j.Status == "" {
		j.Status = imports.Queued
	}
	err := db.InTx(ctx, func(t *Tx) error {
		now := t.now()
		j.CreatedAt = parseTS(now)
		t.made(j.ID)
		if _, err := t.exec(ctx, `INSERT INTO import_jobs (id, source, format, file_name, file_hash, file_path, file_size, encoding, mapping,
			skip_bad_rows, organisation_id, created_by, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			j.ID, j.Source, string(j.Format), j.FileName, j.FileHash, j.FilePath, j.FileSize, j.Encoding, imports.EncodeMapping(j.Mapping),
			j.SkipBadRows, j.OrganisationID, j.CreatedBy, string(j.Status), now); err != nil {
			return fieldConflict(classify(err), "organisation_id")
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionImportJobCreated, "import_job", j.ID, string(j.Format)
		return t.Audit(ctx, actor)
	})
	return j, err
}

// QueueImportJob sets a draft's source, mapping and options and queues it.
func (db *DB) QueueImportJob(ctx context.Context, j imports.Job, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE import_jobs SET source = ?, mapping = ?, skip_bad_rows = ?, organisation_id = ?, status = ?
			WHERE id = ? AND status = ?`, j.Source, imports.EncodeMapping(j.Mapping), j.SkipBadRows, j.OrganisationID,
			string(imports.Queued), j.ID, string(imports.Draft))
		if err != nil {
			return classify(err)
		}
		if err := oneRow(res); err != nil {
			return errs.New(errs.Conflict, "import.not_draft")
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionImportJobCreated, "import_job", j.ID, "queued"
		return t.Audit(ctx, actor)
	})
}

const jobColumns = `id, source, format, file_name, file_hash, file_path, file_size, encoding, mapping, skip_bad_rows, organisation_id,
	created_by, status, batches_done, lines_done, bytes_done, rows_read, rows_created, rows_linked, rows_added, rows_updated, rows_unchanged,
	rows_rejected, records_written, error_line, error_field, error_message, error_data, claim, heartbeat_at, started_at, finished_at, created_at`

func scanJob(row interface{ Scan(...any) error }) (imports.Job, error) {
	var j imports.Job
	var format, mapping, status, errField, errMsg, errData, created string
	var errLine int
	var heartbeat, started, finished sql.NullString
	c := &j.Counts
	err := row.Scan(&j.ID, &j.Source, &format, &j.FileName, &j.FileHash, &j.FilePath, &j.FileSize, &j.Encoding, &mapping, &j.SkipBadRows,
		&j.OrganisationID, &j.CreatedBy, &status, &j.BatchesDone, &j.LinesDone, &j.BytesDone, &c.Read, &c.Created, &c.Linked, &c.Added,
		&c.Updated, &c.Unchanged, &c.Rejected, &c.Records, &errLine, &errField, &errMsg, &errData, &j.Claim, &heartbeat, &started, &finished, &created)
	if err != nil {
		return j, err
	}
	j.Format, j.Status = imports.Format(format), imports.Status(status)
	j.Mapping, _ = imports.DecodeMapping(mapping)
	if errMsg != "" {
		j.Error = &imports.RowError{Line: errLine, Field: errField, MessageID: errMsg}
		if errData != "" {
			_ = json.Unmarshal([]byte(errData), &j.Error.Data)
		}
	}
	for _, ts := range []struct {
		s sql.NullString
		t *time.Time
	}{{heartbeat, &j.Heartbeat}, {started, &j.StartedAt}, {finished, &j.FinishedAt}} {
		if p := parseNullTS(ts.s); p != nil {
			*ts.t = *p
		}
	}
	j.CreatedAt = parseTS(created)
	return j, nil
}

// ImportJob returns a job.
func (db *DB) ImportJob(ctx context.Context, id string) (imports.Job, error) {
	j, err := scanJob(db.reader().queryRow(ctx, `SELECT `+jobColumns+` FROM import_jobs WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return j, errs.New(errs.NotFound, "import.job_not_found")
	}
	return j, classify(err)
}

// ImportJobs lists the newest jobs, of the given organisations only unless
// orgIDs is nil.
func (db *DB) ImportJobs(ctx context.Context, orgIDs []string, limit int) ([]imports.Job, error) {
	q := `SELECT ` + jobColumns + ` FROM import_jobs`
	var args []any
	if orgIDs != nil {
		if len(orgIDs) == 0 {
			return nil, nil
		}
		q += ` WHERE organisation_id IN (` + placeholders(len(orgIDs)) + `)`
		for _, id := range orgIDs {
			args = append(args, id)
		}
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []imports.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, j)
	}
	return out, classify(rows.Err())
}

// ClaimImportJob makes the caller the job's runner (claim is its token).
// A queued or failed job may be claimed; a running one only when its
// runner has not committed for ImportStale (its process died) or when
// force is set by an operator who knows it is gone.
func (db *DB) ClaimImportJob(ctx context.Context, id, claim string, skipBadRows, force bool, actor audit.Event) (imports.Job, error) {
	err := db.InTx(ctx, func(t *Tx) error {
		j, err := scanJob(t.queryRow(ctx, `SELECT `+jobColumns+` FROM import_jobs WHERE id = ?`, id))
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "import.job_not_found")
		}
		if err != nil {
			return classify(err)
		}
		switch j.Status {
		case imports.Done:
			return errs.New(errs.Conflict, "import.already_done")
		case imports.Draft:
			return errs.New(errs.Conflict, "import.not_queued")
		case imports.Running:
			if !force && t.db.Now().Sub(j.Heartbeat) < ImportStale {
				return errs.New(errs.Conflict, "import.running")
			}
		}
		// Rows rejected past the last committed batch belong to the batch
		// that will now be read again: they are counted again then.
		var pending int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM import_rejects WHERE job_id = ? AND line > ?`, id, j.LinesDone).Scan(&pending); err != nil {
			return classify(err)
		}
		if _, err := t.exec(ctx, `DELETE FROM import_rejects WHERE job_id = ? AND line > ?`, id, j.LinesDone); err != nil {
			return classify(err)
		}
		now := t.now()
		if _, err := t.exec(ctx, `UPDATE import_jobs SET rows_rejected = rows_rejected - ?, status = ?, claim = ?, heartbeat_at = ?, started_at = COALESCE(started_at, ?),
			skip_bad_rows = ?, error_line = 0, error_field = '', error_message = '', error_data = '' WHERE id = ?`,
			pending, string(imports.Running), claim, now, now, skipBadRows || j.SkipBadRows, id); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionImportJobCreated, "import_job", id, "claimed"
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return imports.Job{}, err
	}
	return db.ImportJob(ctx, id)
}

// ImportRejects returns a job's rejected rows by line, at most limit
// (0: all), and audits that the report was read.
func (db *DB) ImportRejects(ctx context.Context, jobID string, limit int, actor audit.Event) ([]imports.RowError, error) {
	q := `SELECT line, field, message_id, data FROM import_rejects WHERE job_id = ? ORDER BY line`
	args := []any{jobID}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []imports.RowError
	for rows.Next() {
		var r imports.RowError
		var data string
		if err := rows.Scan(&r.Line, &r.Field, &r.MessageID, &data); err != nil {
			return nil, classify(err)
		}
		if data != "" {
			_ = json.Unmarshal([]byte(data), &r.Data)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionImportReportRead, "import_job", jobID
	if err := db.AuditRead(ctx, actor); err != nil {
		return nil, err
	}
	return out, nil
}

func encodeData(d map[string]any) string {
	if len(d) == 0 {
		return ""
	}
	b, _ := json.Marshal(d)
	return string(b)
}

// RunImportJob claims a job (see ClaimImportJob) and imports its file from
// where it stopped, calling progress after each committed batch. A job
// stopped by a bad row or file returns imports.ErrStopped (the job says
// why); cancelled between batches, it is released as interrupted.
func (db *DB) RunImportJob(ctx context.Context, id string, skipBadRows, force bool, actor audit.Event, progress func(*imports.Job)) (imports.Job, error) {
	claim := newImportClaim()
	j, err := db.ClaimImportJob(ctx, id, claim, skipBadRows, force, actor)
	if err != nil {
		return j, err
	}
	if h, _, herr := imports.HashFile(j.FilePath); herr != nil || h != j.FileHash {
		cause := &imports.RowError{MessageID: "import.file_changed"}
		if herr != nil {
			cause.MessageID = "import.file_gone"
		}
		if err := db.ImportSink(claim, actor).FailJob(ctx, &j, nil, cause); err != nil {
			return j, err
		}
		j.Status, j.Error = imports.Failed, cause
		return j, imports.ErrStopped
	}
	err = imports.Run(ctx, db.ImportSink(claim, actor), &j, db.Now(), progress)
	if ctx.Err() != nil {
		// The context is gone; release with a fresh one so the job is not
		// left looking busy until it goes stale.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = db.ReleaseImportJob(rctx, id, claim)
	}
	return j, err
}
