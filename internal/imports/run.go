package imports

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"hash/fnv"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"termtem/internal/errs"
)

// Batch is up to BatchRows consecutive data rows of a file: the rows to
// store and the rows rejected, committed in one transaction or not at all.
type Batch struct {
	Number    int // 1-based
	Rows      []*Row
	Rejects   []RowError
	LastLine  int   // the last input line the batch covers
	BytesDone int64 // how far into the file the batch reaches
	Read      int   // data rows in the batch (stored or rejected)
	Prepared  any   // what the sink's PrepareBatch worked out (see Preparer)
}

// Sink stores batches: the store implements it.
type Sink interface {
	// CommitBatch writes a batch's rows and rejects and the job's progress
	// in one transaction. Rows the database refuses (a national ID held by
	// another person's key, a record dated before the birth) come back as
	// row errors: then, unless the job skips bad rows, nothing was written.
	CommitBatch(ctx context.Context, job *Job, b *Batch) (Counts, []RowError, error)
	// FailJob stops a job at a bad row or a bad file, keeping the batch's
	// rejected rows for the report; the committed batches stay.
	FailJob(ctx context.Context, job *Job, rejects []RowError, cause *RowError) error
	// FinishJob marks a job done.
	FinishJob(ctx context.Context, job *Job) error
}

// Preparer is a Sink that does part of a batch's work as the batch is
// read: on the reading goroutine, while the batch before it commits, so
// that the one writer does less. PrepareBatch may keep what it works out
// in the batch's Prepared, for CommitBatch.
type Preparer interface {
	PrepareBatch(b *Batch)
}

// ErrStopped is returned when a job stopped at a bad row or file: the job
// says why (Job.Error) and the report lists the rows.
var ErrStopped = errors.New("import stopped at a bad row")

// HashFile returns a file's SHA-256 and size: a job remembers them, so
// that a resume never continues with another file.
func HashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Binder turns a file's rows into Termtem rows.
type Binder func(line int, cells []string) (*Row, *RowError)

// Bind opens a job's file and binds its header to the job's mapping (or,
// for a 43 file, to the file's kind). The caller closes the table.
func Bind(job *Job, now time.Time) (Table, Binder, *RowError) {
	if job.Format == FHIR {
		return bindFHIR(job, now)
	}
	t, err := Open(job.FilePath, job.Format, job.Mapping.Sheet)
	if err != nil {
		var re *RowError
		if errors.As(err, &re) {
			return nil, nil, re
		}
		return nil, nil, rowErr(0, "", "import.read_failed", nil)
	}
	if job.Format == NDJSONRecords {
		return t, bindRecords(t.Header(), now), nil
	}
	if job.Format == MOPH43 {
		r43, rerr := NewReader43(job.FileName, t.Header())
		if rerr != nil {
			t.Close()
			return nil, nil, rerr
		}
		return t, func(line int, cells []string) (*Row, *RowError) { return r43.Row(line, cells, now) }, nil
	}
	b, rerr := job.Mapping.Bind(t.Header())
	if rerr != nil {
		t.Close()
		return nil, nil, rerr
	}
	return t, func(line int, cells []string) (*Row, *RowError) { return b.Row(line, cells, job.Format, now) }, nil
}

// Run imports a job's file from where it stopped (after job.LinesDone),
// batch by batch, calling progress after each committed batch. It returns
// ErrStopped when a bad row or a bad file stopped the job (the job records
// why), ctx's error when cancelled between batches.
func Run(ctx context.Context, sink Sink, job *Job, now time.Time, progress func(*Job)) error {
	if job.Error != nil {
		job.Error = nil
	}
	t, bind, rerr := Bind(job, now)
	if rerr != nil {
		return fail(ctx, sink, job, nil, rerr)
	}
	job.Encoding = t.Encoding()
	// The file is read and its rows checked one batch ahead of the batch
	// being committed: on two cores the reading (decoding, Thai names,
	// dates, national IDs) then costs no time of its own. At most two
	// batches wait, so memory stays bounded whatever the file's size.
	batches := make(chan readBatch, 1)
	stop := make(chan struct{})
	go func() {
		defer close(batches)
		defer t.Close()
		prepare := func(*Batch) {}
		if p, ok := sink.(Preparer); ok {
			prepare = p.PrepareBatch
		}
		readBatches(t, bind, job, prepare, batches, stop)
	}()
	defer func() {
		close(stop)
		for range batches { // let the reader finish and close the file
		}
	}()
	for rb := range batches {
		if rb.err != nil {
			return fail(ctx, sink, job, nil, rb.err)
		}
		if err := commit(ctx, sink, job, rb.b, progress); err != nil {
			return err
		}
	}
	job.BytesDone = job.FileSize
	if err := sink.FinishJob(ctx, job); err != nil {
		return err
	}
	job.Status = Done
	if progress != nil {
		progress(job)
	}
	return nil
}

// readBatch is a batch read, or the file problem that ends the reading.
type readBatch struct {
	b   *Batch
	err *RowError
}

// readBatches reads a job's table from where the job stopped and sends
// its batches in order, until the end of the file, a bad file, or stop.
func readBatches(t Table, bind Binder, job *Job, prepare func(*Batch), out chan<- readBatch, stop <-chan struct{}) {
	send := func(rb readBatch) bool {
		if rb.b != nil {
			prepare(rb.b)
		}
		select {
		case out <- rb:
			return true
		case <-stop:
			return false
		}
	}
	seen := map[uint64]int32{}    // key hash → line, for duplicates within the file
	hashes := map[uint64]uint64{} // key hash → row hash, to tell an identical row from a clashing one
	number := job.BatchesDone + 1
	linesDone := job.LinesDone
	b := &Batch{Number: number}
	// Without a header row the first row is data.
	pending := !job.Mapping.Header && job.Format != MOPH43
	for {
		var line int
		var cells []string
		var err error
		if pending {
			line, cells, pending = 1, t.Header(), false
		} else {
			line, cells, err = t.Next()
		}
		if err == io.EOF {
			break
		}
		var row *Row
		var bad *RowError
		if re, ok := lineOf(err); ok {
			bad = &re // a line that is no row at all (NDJSON): rejected like a bad row
		} else if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				re = rowErr(line, "", "import.read_failed", nil)
			}
			send(readBatch{err: re})
			return
		} else if blank(cells) {
			continue
		} else if row, bad = bind(line, cells); bad == nil {
			bad = duplicate(row, seen, hashes)
		}
		if line <= linesDone {
			continue // committed before a crash: read again only to know its keys
		}
		b.Read++
		b.LastLine = line
		if bad != nil {
			b.Rejects = append(b.Rejects, *bad)
		} else {
			b.Rows = append(b.Rows, row)
		}
		if b.Read == BatchRows {
			b.BytesDone = t.Offset()
			if !send(readBatch{b: b}) {
				return
			}
			number++
			b = &Batch{Number: number}
		}
	}
	if b.Read > 0 {
		b.BytesDone = t.Offset()
		send(readBatch{b: b})
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// duplicate reports a row whose key an earlier row of the file already
// had: the same values ("a duplicate row") or different ones (two rows
// claiming one key; which is right is for the agency to say).
func duplicate(row *Row, seen map[uint64]int32, hashes map[uint64]uint64) *RowError {
	key := row.Key
	if key == "" && len(row.Records) > 0 {
		key = row.Records[0].Key
	}
	field := row.Columns["key"]
	h := fnv.New64a()
	h.Write([]byte(key))
	k := h.Sum64()
	rh := fnv.New64a()
	rh.Write([]byte(row.Hash))
	if first, ok := seen[k]; ok {
		id := "import.duplicate_key"
		if hashes[k] == rh.Sum64() {
			id = "import.duplicate_row"
		}
		return rowErr(row.Line, field, id, map[string]any{"First": int(first)})
	}
	seen[k] = int32(row.Line)
	hashes[k] = rh.Sum64()
	return nil
}

// commit stores a batch, or stops the job when it holds a bad row and the
// operator did not choose to skip bad rows. A batch that met a concurrent
// change to one of its people is tried again.
func commit(ctx context.Context, sink Sink, job *Job, b *Batch, progress func(*Job)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(b.Rejects) > 0 && !job.SkipBadRows {
		return fail(ctx, sink, job, b.Rejects, &b.Rejects[0])
	}
	var counts Counts
	var bad []RowError
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		counts, bad, err = sink.CommitBatch(ctx, job, b)
		if !errs.Is(err, errs.Stale) {
			break
		}
	}
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return fail(ctx, sink, job, bad, &bad[0])
	}
	job.BatchesDone = b.Number
	job.LinesDone = b.LastLine
	job.BytesDone = b.BytesDone
	job.Counts.Add(counts)
	if progress != nil {
		progress(job)
	}
	return nil
}

func fail(ctx context.Context, sink Sink, job *Job, rejects []RowError, cause *RowError) error {
	if err := sink.FailJob(ctx, job, rejects, cause); err != nil {
		return err
	}
	job.Status, job.Error = Failed, cause
	if len(rejects) == 0 {
		job.Counts.Rejected++ // the file-level error is in the report too
	} else {
		job.Counts.Rejected += len(rejects)
	}
	return ErrStopped
}

// WriteReport writes rejected rows as CSV (UTF-8 with a BOM, so that Excel
// shows Thai): line, column, reason. say translates a message ID. Cells
// that a spreadsheet would run as a formula are neutralised.
func WriteReport(w io.Writer, header [3]string, rejects []RowError, say func(id string, data map[string]any) string) error {
	if _, err := w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header[:]); err != nil {
		return err
	}
	for _, r := range rejects {
		line := ""
		if r.Line > 0 {
			line = strconv.Itoa(r.Line)
		}
		if err := cw.Write([]string{line, SafeCell(r.Field), SafeCell(say(r.MessageID, r.Data))}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SafeCell keeps a spreadsheet from running a cell as a formula: a column
// name such as =HYPERLINK(…) from an uploaded header is shown as text.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
