package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/imports"
)

// bulkTimeout bounds the reading of a bulk upload (and, twice over, its
// import and answer).
const bulkTimeout = time.Hour

// BulkPeople answers POST /api/v1/bulk/people: NDJSON, a person a line.
func (h *Handler) BulkPeople(w http.ResponseWriter, r *http.Request) {
	h.bulk(w, r, imports.NDJSONPeople)
}

// BulkRecords answers POST /api/v1/bulk/records: NDJSON, records a line.
func (h *Handler) BulkRecords(w http.ResponseWriter, r *http.Request) {
	h.bulk(w, r, imports.NDJSONRecords)
}

// bulk streams the body to a file (never held in memory), makes an import
// job of it and runs it: batches of imports.BatchRows lines, each all or
// nothing; the same lines sent again change nothing. It answers 200 with
// the job when it is done, 422 when a bad line stopped it (the batches
// before stay; send the corrected lines again, or all of them with
// ?skip_bad_rows=true to import the good lines and list the bad).
func (h *Handler) bulk(w http.ResponseWriter, r *http.Request, format imports.Format) {
	p := h.require(w, r, account.ImportsRun)
	if p == nil {
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-ndjson" {
		h.Fail(w, r, errs.Field("Content-Type", "bulk.content_type", nil))
		return
	}
	orgID, err := bulkOrganisation(r, p)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	source := r.URL.Query().Get("source")
	if source == "" {
		source = "default"
	}
	if !sourcePattern.MatchString(source) {
		h.Fail(w, r, errs.Field("source", "bulk.source_name", nil))
		return
	}
	var orgCode string
	for _, m := range p.User.Memberships {
		if m.OrganisationID == orgID {
			orgCode = m.OrganisationCode
		}
	}
	// The server's read and write timeouts suit a page, not a gigabyte of
	// lines and their import: this request gets hours.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(bulkTimeout))
	_ = rc.SetWriteDeadline(time.Now().Add(2 * bulkTimeout))
	r.Body = http.MaxBytesReader(w, r.Body, imports.MaxUpload)
	path, hash, size, err := h.receiveBody(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = errs.Wrap(errs.Invalid, "error.too_large", err)
		} else if !errs.Is(err, errs.Invalid) {
			err = errs.Wrap(errs.Invalid, "bulk.body_unreadable", err)
		}
		h.Fail(w, r, err)
		return
	}
	defer os.Remove(path) // the lines hold personal data; a finished or stopped job never reads them again
	// The source's keys are the organisation's own: another organisation's
	// upload can never touch them.
	j, err := h.DB.CreateImportJob(r.Context(), imports.Job{Source: "api:" + orgCode + ":" + source, Format: format, FileName: string(format) + ".ndjson",
		FileHash: hash, FilePath: path, FileSize: size, Encoding: "utf-8", Mapping: imports.NDJSONMapping(format),
		SkipBadRows: r.URL.Query().Get("skip_bad_rows") == "true", OrganisationID: orgID, CreatedBy: p.User.ID}, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	// The job runs to its end even when the client goes away: it is
	// committed batch by batch either way, and a server that dies under it
	// resumes it when it starts again.
	done, err := h.DB.RunImportJob(context.WithoutCancel(r.Context()), j.ID, false, false, httpx.Actor(r), nil)
	if err != nil && !errors.Is(err, imports.ErrStopped) {
		h.Fail(w, r, err)
		return
	}
	res, err := h.bulkResult(r, done)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	status := http.StatusOK
	if done.Status != imports.Done {
		status = http.StatusUnprocessableEntity
	}
	w.Header().Set("Location", "/api/v1/bulk/jobs/"+j.ID)
	writeJSON(w, status, res)
}

// receiveBody copies the request body to a new file in the import
// directory, hashing it on the way.
func (h *Handler) receiveBody(r *http.Request) (path, hash string, size int64, err error) {
	dir := h.ImportDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "termtem-imports")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", 0, err
	}
	f, err := os.CreateTemp(dir, "bulk-*.ndjson")
	if err != nil {
		return "", "", 0, err
	}
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, sum), r.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n == 0 {
		err = errs.Field("body", "bulk.empty", nil)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", 0, err
	}
	return f.Name(), hex.EncodeToString(sum.Sum(nil)), n, nil
}
