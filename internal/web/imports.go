package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/imports"
	"termtem/internal/organisations"
	"termtem/internal/store"
)

// The import screens: upload (streamed to a file, never held in memory),
// the column mapping with a preview, a progress page that polls while the
// job runs, and the rejected rows as a downloadable report. Everything
// needs imports:run, and a job is seen only in the organisations it was
// started for. URLs carry job IDs only, never file or person names.

const previewRows = 10

// importDir is where uploads wait for their job: the data directory when
// the server has one, so that a job survives a restart and can be resumed.
func (h *Handler) importDir() string {
	if h.ImportDir != "" {
		return h.ImportDir
	}
	return filepath.Join(os.TempDir(), "termtem-imports")
}

type importsPage struct {
	Jobs     []importJobView
	Mappings []store.SavedMapping
	MaxMB    int
}

type importJobView struct {
	imports.Job
	Stale   bool
	Percent int
	OrgName string
}

// Busy reports whether the job is waiting or running: its page polls.
func (v importJobView) Busy() bool {
	return !v.Stale && (v.Status == imports.Queued || v.Status == imports.Running)
}

// StatusKey names the job's state for people: a running job whose process
// stopped committing is "interrupted".
func (v importJobView) StatusKey() string {
	if v.Stale {
		return "interrupted"
	}
	return string(v.Status)
}

func (h *Handler) jobView(j imports.Job) importJobView {
	return importJobView{Job: j, Percent: j.Percent(),
		Stale: j.Status == imports.Running && h.DB.Now().Sub(j.Heartbeat) > store.ImportStale}
}

// ImportsList shows recent imports and the upload form (GET /imports).
func (h *Handler) ImportsList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.ImportsRun)
	if p == nil {
		return
	}
	h.renderImports(w, r, p, http.StatusOK, nil)
}

func (h *Handler) renderImports(w http.ResponseWriter, r *http.Request, p *account.Principal, status int, fe *FormError) {
	jobs, err := h.DB.ImportJobs(r.Context(), p.OrganisationIDs(), 50)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	maps, err := h.DB.ImportMappings(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := importsPage{Mappings: maps, MaxMB: imports.MaxUpload >> 20}
	for _, j := range jobs {
		page.Jobs = append(page.Jobs, h.jobView(j))
	}
	v := h.view(r, "imports.title", page)
	v.Error = fe
	h.render(w, r, status, "imports", v)
}

// ImportUpload streams an uploaded file to disk, detects its format and
// encoding, and makes a draft job (POST /imports).
func (h *Handler) ImportUpload(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.ImportsRun)
	if p == nil {
		return
	}
	orgs := p.OrganisationIDs()
	if len(orgs) == 0 {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, imports.MaxUpload+1<<20)
	path, name, hash, size, err := h.receiveFile(r)
	if err != nil {
		status := http.StatusUnprocessableEntity
		msg := "imports.upload_failed"
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status, msg = http.StatusRequestEntityTooLarge, "imports.too_big"
		}
		h.renderImports(w, r, p, status, h.fieldError(r, "file", msg, map[string]any{"Max": imports.MaxUpload >> 20}))
		return
	}
	format, ferr := imports.DetectFormat(path)
	if ferr == nil && strings.EqualFold(filepath.Ext(name), ".xlsx") && format != imports.XLSX {
		ferr = &imports.RowError{MessageID: "import.not_xlsx"}
	}
	var enc string
	if ferr == nil {
		var t imports.Table
		if t, ferr = imports.Open(path, format, ""); ferr == nil {
			enc = t.Encoding()
			if format == imports.MOPH43 {
				_, ferr = imports.NewReader43(name, t.Header())
			}
			t.Close()
		}
	}
	if ferr != nil {
		os.Remove(path)
		h.renderImports(w, r, p, http.StatusUnprocessableEntity, h.rowFormError(r, "file", ferr))
		return
	}
	source := ""
	switch format {
	case imports.MOPH43:
		source = "moph43"
	case imports.FHIR:
		source = "fhir" // resource ids are unique within a source; the officer may name it
	}
	// The form's nonce: the same upload sent again makes no second job; it
	// goes to the first one's mapping.
	ctx, err := h.formSending(r, "import:new")
	var j imports.Job
	if err == nil {
		j, err = h.DB.CreateImportJob(ctx, imports.Job{Source: source, Format: format, FileName: name, FileHash: hash, FilePath: path,
			FileSize: size, Encoding: enc, OrganisationID: orgs[0], CreatedBy: p.User.ID, Status: imports.Draft}, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend2_import", func(id string) string { return "/imports/" + id + "/mapping" }) {
		os.Remove(path)
		return
	}
	if err != nil {
		if fe, status, ok := h.formError(r, err); ok { // a form opened before the last sign-in
			os.Remove(path)
			h.renderImports(w, r, p, status, fe)
			return
		}
		os.Remove(path)
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+j.ID+"/mapping", http.StatusSeeOther)
}

// receiveFile copies the multipart "file" part to a new file in the
// import directory, hashing it on the way.
func (h *Handler) receiveFile(r *http.Request) (path, name, hash string, size int64, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", "", "", 0, err
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return "", "", "", 0, errors.New("no file part")
		}
		if err != nil {
			return "", "", "", 0, err
		}
		if name := part.FormName(); name == "nonce" || name == "nonce_page" {
			// The form's nonce (form_once), before the file: kept where
			// formSending reads it, the body being read as a stream.
			v, _ := io.ReadAll(io.LimitReader(part, 256))
			if r.PostForm == nil {
				r.PostForm = url.Values{}
			}
			r.PostForm.Set(name, string(v))
		}
		if part.FormName() != "file" || part.FileName() == "" {
			part.Close()
			continue
		}
		if err := os.MkdirAll(h.importDir(), 0o700); err != nil {
			return "", "", "", 0, err
		}
		f, err := os.CreateTemp(h.importDir(), "upload-*"+strings.ToLower(filepath.Ext(part.FileName())))
		if err != nil {
			return "", "", "", 0, err
		}
		sum := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, sum), part)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil && n == 0 {
			err = errors.New("empty file")
		}
		if err != nil {
			os.Remove(f.Name())
			return "", "", "", 0, err
		}
		return f.Name(), filepath.Base(part.FileName()), hex.EncodeToString(sum.Sum(nil)), n, nil
	}
}

// rowFormError shows a file problem on the form, with its line and column.
func (h *Handler) rowFormError(r *http.Request, field string, err error) *FormError {
	var re *imports.RowError
	if !errors.As(err, &re) {
		return h.fieldError(r, field, "imports.upload_failed", nil)
	}
	lang := httpx.Lang(r.Context())
	msg := h.Cat.T(lang, re.MessageID, re.Data)
	where := map[string]any{"Line": re.Line, "Column": re.Field}
	switch {
	case re.Line > 0 && re.Field != "":
		msg = h.Cat.T(lang, "imports.where", where) + ": " + msg
	case re.Line > 0:
		msg = h.Cat.T(lang, "imports.where_line", where) + ": " + msg
	case re.Field != "":
		msg = h.Cat.T(lang, "imports.where_column", where) + ": " + msg
	}
	return &FormError{Field: field, Message: msg}
}

// ownJob reads a job the principal may see: one of their organisations'.
func (h *Handler) ownJob(w http.ResponseWriter, r *http.Request) (*account.Principal, imports.Job, bool) {
	p := h.require(w, r, account.ImportsRun)
	if p == nil {
		return nil, imports.Job{}, false
	}
	j, err := h.DB.ImportJob(r.Context(), r.PathValue("id"))
	if err == nil && !p.InOrganisation(j.OrganisationID) {
		err = errs.New(errs.NotFound, "import.job_not_found")
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, j, false
	}
	return p, j, true
}

type mappingPage struct {
	Job      imports.Job
	Kind43   string
	Header   []string
	Preview  [][]string
	Targets  []mappingTarget
	Sources  []string
	Source   string
	HasHead  bool
	DateEra  string
	Orgs     []organisations.Organisation
	OrgID    string
	Skip     bool
	Columns  []string // choices: header names, or column numbers without a header
	Problems []string
}

type mappingTarget struct {
	Target string
	Chosen string
}

// ImportMappingForm shows the mapping of a draft job's columns with a
// preview of its first rows (GET /imports/{id}/mapping). ?source= loads a
// saved mapping.
func (h *Handler) ImportMappingForm(w http.ResponseWriter, r *http.Request) {
	p, j, ok := h.ownJob(w, r)
	if !ok {
		return
	}
	if j.Status != imports.Draft {
		http.Redirect(w, r, "/imports/"+j.ID, http.StatusSeeOther)
		return
	}
	m, source := imports.Mapping{}, r.URL.Query().Get("source")
	orgID := j.OrganisationID
	if source == "" {
		source = j.Source
	}
	if saved, err := h.DB.ImportMapping(r.Context(), source); err == nil {
		m = saved.Mapping
		if saved.OrganisationID != "" && p.InOrganisation(saved.OrganisationID) {
			orgID = saved.OrganisationID
		}
	}
	h.renderMapping(w, r, p, j, source, m, orgID, j.SkipBadRows, http.StatusOK, nil)
}

func (h *Handler) renderMapping(w http.ResponseWriter, r *http.Request, p *account.Principal, j imports.Job, source string, m imports.Mapping,
	orgID string, skip bool, status int, fe *FormError) {
	t, err := imports.Open(j.FilePath, j.Format, m.Sheet)
	if err != nil {
		h.renderImports(w, r, p, http.StatusUnprocessableEntity, h.rowFormError(r, "file", err))
		return
	}
	defer t.Close()
	page := mappingPage{Job: j, Header: t.Header(), Source: source, OrgID: orgID, Skip: skip}
	if j.Format == imports.MOPH43 {
		page.Kind43, _ = imports.Kind43(j.FileName, page.Header)
	} else if m.Columns == nil {
		m = imports.Suggest(page.Header)
	}
	page.HasHead, page.DateEra = m.Header || j.Format == imports.MOPH43, m.DateEra
	if !page.HasHead {
		page.Preview = append(page.Preview, append([]string(nil), page.Header...))
	}
	for len(page.Preview) < previewRows {
		_, cells, err := t.Next()
		if err != nil {
			break
		}
		page.Preview = append(page.Preview, append([]string(nil), cells...))
	}
	for i, c := range page.Header {
		if page.HasHead {
			page.Columns = append(page.Columns, strings.TrimSpace(c))
		} else {
			page.Columns = append(page.Columns, strconv.Itoa(i+1))
		}
	}
	for _, tg := range imports.Targets {
		page.Targets = append(page.Targets, mappingTarget{Target: string(tg), Chosen: m.Columns[tg]})
	}
	maps, err := h.DB.ImportMappings(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, sm := range maps {
		if (sm.Format == imports.MOPH43) == (j.Format == imports.MOPH43) {
			page.Sources = append(page.Sources, sm.Source)
		}
	}
	for _, id := range p.OrganisationIDs() {
		if o, err := h.DB.GetOrganisation(r.Context(), id); err == nil {
			page.Orgs = append(page.Orgs, o)
		}
	}
	v := h.view(r, "imports.mapping_title", page)
	v.Error = fe
	h.render(w, r, status, "import_mapping", v)
}

// ImportStart saves the mapping for the source and starts the job in the
// background (POST /imports/{id}/start).
func (h *Handler) ImportStart(w http.ResponseWriter, r *http.Request) {
	p, j, ok := h.ownJob(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	f := r.PostForm
	source := strings.TrimSpace(f.Get("source"))
	m := imports.Mapping{Header: f.Get("header") == "1", DateEra: f.Get("date_era"), Columns: map[imports.Target]string{}}
	if j.Format == imports.MOPH43 {
		source, m = "moph43", imports.Mapping{Header: true}
	}
	if j.Format == imports.FHIR {
		m = imports.Mapping{Header: true} // a bundle maps itself
	}
	for _, tg := range imports.Targets {
		if c := f.Get("col_" + string(tg)); c != "" {
			m.Columns[tg] = c
		}
	}
	orgID, skip := f.Get("organisation_id"), f.Get("skip_bad_rows") == "1"
	again := func(fe *FormError) {
		h.renderMapping(w, r, p, j, source, m, orgID, skip, http.StatusUnprocessableEntity, fe)
	}
	if !p.InOrganisation(orgID) {
		again(h.fieldError(r, "organisation_id", "field.choice", nil))
		return
	}
	if source == "" || len(source) > 100 {
		again(h.fieldError(r, "source", "import.source_name", nil))
		return
	}
	if !slices.Contains([]string{imports.EraAuto, imports.EraBE, imports.EraCE}, m.DateEra) {
		again(h.fieldError(r, "date_era", "field.choice", nil))
		return
	}
	if j.Format != imports.MOPH43 && j.Format != imports.FHIR {
		t, err := imports.Open(j.FilePath, j.Format, m.Sheet)
		if err != nil {
			again(h.rowFormError(r, "file", err))
			return
		}
		_, berr := m.Bind(t.Header())
		t.Close()
		if berr != nil {
			field := "col_" + berr.Field
			if berr.MessageID == "import.header_missing" || berr.MessageID == "import.column_missing" {
				field = "header"
			}
			again(h.rowFormError(r, field, berr))
			return
		}
		if err := h.DB.SaveImportMapping(r.Context(), store.SavedMapping{Source: source, Format: j.Format, OrganisationID: orgID, Mapping: m},
			httpx.Actor(r)); err != nil {
			fe, _, ok := h.formError(r, err)
			if !ok {
				h.fail(w, r, err)
				return
			}
			again(fe)
			return
		}
	}
	j.Source, j.Mapping, j.OrganisationID, j.SkipBadRows = source, m, orgID, skip
	if err := h.DB.QueueImportJob(r.Context(), j, httpx.Actor(r)); err != nil {
		// Started before (a second tap, or back and send): it runs once.
		if h.settled(w, r, err, "/imports/"+j.ID, map[string]string{"import.not_draft": "flash.resend2_import_started"}) {
			return
		}
		h.fail(w, r, err)
		return
	}
	h.runInBackground(r, j.ID, false)
	http.Redirect(w, r, "/imports/"+j.ID, http.StatusSeeOther)
}

// runInBackground runs a job after the request has been answered; the
// progress page follows it. A server stopped mid-job leaves whole batches
// only; the job is then resumed from the page or the command line.
func (h *Handler) runInBackground(r *http.Request, id string, skip bool) {
	ctx := context.WithoutCancel(r.Context())
	actor := httpx.Actor(r)
	go func() {
		j, err := h.DB.RunImportJob(ctx, id, skip, false, actor, nil)
		if err == nil && j.Status == imports.Done && filepath.Dir(j.FilePath) == filepath.Clean(h.importDir()) {
			// The upload holds personal data and is no longer needed: a
			// done job is never resumed, and its report is in the database.
			_ = os.Remove(j.FilePath)
		}
		if err != nil && !errors.Is(err, imports.ErrStopped) {
			e := errs.As(err)
			h.Log.Error("import job failed", "job", id, "message_id", e.MessageID, "code", string(e.Code))
		}
	}()
}

type importPage struct {
	importJobView
	Kind43   string
	Rejects  []importReject
	More     bool
	ErrorMsg string
	CanRun   bool // failed or interrupted: may be resumed
}

type importReject struct {
	Line    int
	Field   string
	Message string
}

const shownRejects = 100

// ImportShow is the job's progress and report page (GET /imports/{id});
// htmx polls its status part while the job runs.
func (h *Handler) ImportShow(w http.ResponseWriter, r *http.Request) {
	_, j, ok := h.ownJob(w, r)
	if !ok {
		return
	}
	if j.Status == imports.Draft {
		http.Redirect(w, r, "/imports/"+j.ID+"/mapping", http.StatusSeeOther)
		return
	}
	lang := httpx.Lang(r.Context())
	page := importPage{importJobView: h.jobView(j)}
	page.CanRun = j.Status == imports.Failed || page.Stale
	if j.Error != nil {
		page.ErrorMsg = h.rowFormError(r, "", j.Error).Message
	}
	if !page.Busy() {
		rejects, err := h.DB.ImportRejects(r.Context(), j.ID, shownRejects+1, httpx.Actor(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if len(rejects) > shownRejects {
			rejects, page.More = rejects[:shownRejects], true
		}
		for _, re := range rejects {
			page.Rejects = append(page.Rejects, importReject{Line: re.Line, Field: re.Field, Message: h.Cat.T(lang, re.MessageID, re.Data)})
		}
	}
	v := h.view(r, "imports.job_title", page)
	if r.Header.Get("HX-Request") == "true" {
		v.Partial = true
		h.renderBlock(w, r, http.StatusOK, "import", "progress", v)
		return
	}
	h.render(w, r, http.StatusOK, "import", v)
}

// ImportReport downloads the rejected rows as CSV in the user's language
// (GET /imports/{id}/report.csv).
func (h *Handler) ImportReport(w http.ResponseWriter, r *http.Request) {
	_, j, ok := h.ownJob(w, r)
	if !ok {
		return
	}
	rejects, err := h.DB.ImportRejects(r.Context(), j.ID, 0, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := httpx.Lang(r.Context())
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="import-`+j.ID+`-rejected.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	header := [3]string{h.Cat.T(lang, "imports.report_line", nil), h.Cat.T(lang, "imports.report_column", nil), h.Cat.T(lang, "imports.report_reason", nil)}
	_ = imports.WriteReport(w, header, rejects, func(id string, data map[string]any) string { return h.Cat.T(lang, id, data) })
}

// ImportResume continues a failed or interrupted job from its last
// committed batch (POST /imports/{id}/resume).
func (h *Handler) ImportResume(w http.ResponseWriter, r *http.Request) {
	_, j, ok := h.ownJob(w, r)
	if !ok {
		return
	}
	// Resumed before (it runs), or done: nothing to resume, which the
	// job's page says rather than an error.
	if j.Status == imports.Running && h.DB.Now().Sub(j.Heartbeat) <= store.ImportStale {
		h.redirectWithFlash(w, r, "/imports/"+j.ID, "flash.resend2_import_running")
		return
	}
	if j.Status == imports.Done {
		h.redirectWithFlash(w, r, "/imports/"+j.ID, "flash.resend2_import_done")
		return
	}
	h.runInBackground(r, j.ID, r.PostFormValue("skip_bad_rows") == "1")
	http.Redirect(w, r, "/imports/"+j.ID, http.StatusSeeOther)
}
