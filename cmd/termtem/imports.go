package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"termtem/internal/imports"
	"termtem/internal/locale"
	"termtem/internal/store"
)

const importUsage = `termtem import — files from other agencies

  termtem import csv --source NAME --file F [--mapping saved|MAPPING.json] [--org CODE] [--skip-bad-rows]
                                 a CSV or XLSX roster; the mapping is saved for the source
  termtem import 43 --file PERSON.txt [--file EPI.txt …] [--org CODE] [--skip-bad-rows]
                                 MOPH 43 files (PERSON, NEWBORN, ANC, EPI, NUTRITION, SPECIALPP)
  termtem import fhir FILE --org CODE [--source NAME] [--skip-bad-rows]
                                 an HL7 FHIR R4 bundle (Patient, RelatedPerson, Immunization, Observation, Encounter)
  termtem import status [JOB]    recent imports, or one
  termtem import resume JOB [--skip-bad-rows] [--force]
                                 continue from the last committed batch
  termtem import report JOB      the rejected rows as CSV on standard output
`

// stringList is a flag given several times.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func (e env) imports(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, importUsage)
		return errors.New("import needs a sub-command: csv, xlsx, 43, fhir, status, resume or report")
	}
	sub, rest := args[0], args[1:]
	// status, resume and report take the job's ID first.
	jobID := ""
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") && (sub == "status" || sub == "resume" || sub == "report" || sub == "fhir") {
		jobID, rest = rest[0], rest[1:] // for fhir: the file
	}
	var source, mapping, org string
	var files stringList
	var skip, force bool
	cfg, err := e.parse("import "+sub, rest, func(fs *flag.FlagSet) {
		switch sub {
		case "fhir":
			fs.Var(&files, "file", "the bundle to import (or give it first)")
			fs.StringVar(&org, "org", "", "code of the organisation the bundle comes from")
			fs.StringVar(&source, "source", "fhir", "the source's name: resource ids are unique within it")
			fs.BoolVar(&skip, "skip-bad-rows", false, "import the good entries of a batch and report the bad ones (default: a bad entry stops the import)")
		case "csv", "xlsx", "43":
			fs.Var(&files, "file", "the file to import (43: repeat for several files)")
			fs.StringVar(&org, "org", "", "code of the organisation the data comes from (default: the saved mapping's, or the 43 files' HOSPCODE)")
			fs.BoolVar(&skip, "skip-bad-rows", false, "import the good rows of a batch and report the bad ones (default: a bad row stops the import)")
			if sub != "43" {
				fs.StringVar(&source, "source", "", "the source's name, e.g. school-1011-roster (its mapping is saved under it)")
				fs.StringVar(&mapping, "mapping", "saved", `"saved" or a mapping file (JSON), saved for the source`)
			}
		case "resume":
			fs.BoolVar(&skip, "skip-bad-rows", false, "from now on, import the good rows of a batch and report the bad ones")
			fs.BoolVar(&force, "force", false, "take over a job that still looks running (only when its process is surely gone)")
		}
	})
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "csv", "xlsx":
		if source == "" || len(files) != 1 {
			return errors.New("--source and one --file are required")
		}
		return e.importTable(ctx, db, source, files[0], mapping, org, skip)
	case "43":
		if len(files) == 0 {
			return errors.New("--file is required")
		}
		return e.import43(ctx, db, files, org, skip)
	case "fhir":
		if jobID != "" {
			files = append(files, jobID)
		}
		if len(files) != 1 {
			return errors.New("one bundle is required: termtem import fhir FILE --org CODE")
		}
		return e.importFHIR(ctx, db, files[0], source, org, skip)
	case "status":
		return e.importStatus(ctx, db, jobID)
	case "resume":
		if jobID == "" {
			return errors.New("resume needs the job's ID: termtem import resume JOB")
		}
		j, err := db.RunImportJob(ctx, jobID, skip, force, cliActor, e.progress(time.Now()))
		return e.importResult(j, err)
	case "report":
		if jobID == "" {
			return errors.New("report needs the job's ID: termtem import report JOB")
		}
		return e.importReport(ctx, db, jobID)
	}
	fmt.Fprint(e.stderr, importUsage)
	return fmt.Errorf("unknown import sub-command %q", sub)
}

// newFileJob makes a queued job for a file on this machine. The file stays
// where it is: a resume reads it there (and refuses it if it changed).
func newFileJob(ctx context.Context, db *store.DB, path, source string, format imports.Format, m imports.Mapping, orgID string, skip bool) (imports.Job, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return imports.Job{}, err
	}
	hash, size, err := imports.HashFile(abs)
	if err != nil {
		return imports.Job{}, fmt.Errorf("--file %s: %w", path, err)
	}
	return db.CreateImportJob(ctx, imports.Job{Source: source, Format: format, FileName: filepath.Base(abs), FileHash: hash, FilePath: abs,
		FileSize: size, Mapping: m, SkipBadRows: skip, OrganisationID: orgID, CreatedBy: "cli"}, cliActor)
}

func (e env) importTable(ctx context.Context, db *store.DB, source, path, mappingArg, org string, skip bool) error {
	format, err := imports.DetectFormat(path)
	if err != nil {
		return fmt.Errorf("--file %s: cannot be read", path)
	}
	if format == imports.MOPH43 {
		format = imports.CSV // a pipe-separated file given as a roster is read as one
	}
	saved, serr := db.ImportMapping(ctx, source)
	var m imports.Mapping
	switch {
	case mappingArg != "saved":
		b, err := os.ReadFile(mappingArg)
		if err != nil {
			return fmt.Errorf("--mapping %s: %w", mappingArg, err)
		}
		if m, err = imports.DecodeMapping(string(b)); err != nil {
			return fmt.Errorf("--mapping %s is not a mapping: %w", mappingArg, err)
		}
	case serr == nil:
		m = saved.Mapping
	default:
		// No mapping yet: propose one from the header row; it is used only
		// if it finds a key and a name.
		t, err := imports.Open(path, format, "")
		if err != nil {
			return e.describeRow(err)
		}
		header := t.Header()
		t.Close()
		m = imports.Suggest(header)
		if _, rerr := m.Bind(header); rerr != nil {
			fmt.Fprintf(e.stderr, "columns in the file: %s\nproposed mapping (edit it, then pass --mapping FILE):\n%s\n",
				strings.Join(header, ", "), imports.EncodeMapping(m))
			return e.describeRow(rerr)
		}
	}
	orgID := saved.OrganisationID
	if org != "" {
		o, err := db.GetOrganisationByCode(ctx, org)
		if err != nil {
			return fmt.Errorf("--org %q: no such organisation", org)
		}
		orgID = o.ID
	}
	if orgID == "" {
		return errors.New("--org is required: the organisation the data comes from")
	}
	if err := db.SaveImportMapping(ctx, store.SavedMapping{Source: source, Format: format, OrganisationID: orgID, Mapping: m}, cliActor); err != nil {
		return describe(err)
	}
	j, err := newFileJob(ctx, db, path, source, format, m, orgID, skip)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stdout, "import %s: %s\n", j.ID, source)
	j, err = db.RunImportJob(ctx, j.ID, false, false, cliActor, e.progress(time.Now()))
	return e.importResult(j, err)
}

func (e env) import43(ctx context.Context, db *store.DB, files []string, org string, skip bool) error {
	// PERSON before the service files, whatever the order given: they
	// find their people by HOSPCODE+PID.
	type file43 struct{ path, kind string }
	var fs []file43
	for _, f := range files {
		t, err := imports.Open(f, imports.MOPH43, "")
		if err != nil {
			return fmt.Errorf("--file %s: %w", f, e.describeRow(err))
		}
		kind, rerr := imports.Kind43(f, t.Header())
		first := ""
		if _, cells, err := t.Next(); err == nil && len(cells) > 0 {
			first = strings.TrimSpace(cells[0]) // HOSPCODE comes first in every file
		}
		t.Close()
		if rerr != nil {
			return fmt.Errorf("--file %s: %w", f, e.describeRow(rerr))
		}
		if org == "" {
			org = first
		}
		fs = append(fs, file43{f, kind})
	}
	o, err := db.GetOrganisationByCode(ctx, org)
	if err != nil {
		return fmt.Errorf("--org %q: no such organisation (give --org CODE, the unit the files come from)", org)
	}
	var failed error
	for _, k := range imports.Files43 {
		for _, f := range fs {
			if f.kind != k {
				continue
			}
			j, err := newFileJob(ctx, db, f.path, "moph43", imports.MOPH43, imports.Mapping{}, o.ID, skip)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(e.stdout, "import %s: %s (%s)\n", j.ID, filepath.Base(f.path), k)
			j, err = db.RunImportJob(ctx, j.ID, false, false, cliActor, e.progress(time.Now()))
			if err := e.importResult(j, err); err != nil {
				failed = err
				if !errors.Is(err, imports.ErrStopped) {
					return err
				}
			}
		}
	}
	return failed
}

// progress draws a progress bar on standard error after every batch.
func (e env) progress(start time.Time) func(*imports.Job) {
	first := -1
	return func(j *imports.Job) {
		if first < 0 {
			first = j.Counts.Read // a resumed job's earlier rows are not this run's speed
		}
		rate := float64(j.Counts.Read-first) / max(time.Since(start).Seconds(), 0.001)
		pct := j.Percent()
		bar := strings.Repeat(" ", 30)
		if pct >= 0 {
			bar = strings.Repeat("#", pct*30/100) + strings.Repeat(" ", 30-pct*30/100)
		}
		fmt.Fprintf(e.stderr, "\r[%s] %3d%%  %d rows  %.0f rows/s ", bar, max(pct, 0), j.Counts.Read, rate)
		if j.Status == imports.Done {
			fmt.Fprintln(e.stderr)
		}
	}
}

// importResult prints what a job did, and why it stopped if it did.
func (e env) importResult(j imports.Job, err error) error {
	if err != nil && !errors.Is(err, imports.ErrStopped) {
		fmt.Fprintln(e.stderr)
		return describe(err)
	}
	c := j.Counts
	fmt.Fprintf(e.stdout, "import %s %s: read %d, new people %d, linked by national ID %d, records added %d, updated %d, unchanged %d, rejected %d; records written %d\n",
		j.ID, j.Status, c.Read, c.Created, c.Linked, c.Added, c.Updated, c.Unchanged, c.Rejected, c.Records)
	if err != nil {
		fmt.Fprintln(e.stderr)
		return fmt.Errorf("import %s stopped: %w\nrejected rows: termtem import report %s; after fixing, import the file again, or: termtem import resume %s --skip-bad-rows",
			j.ID, e.describeRow(j.Error), j.ID, j.ID)
	}
	return nil
}

// describeRow says a row error in English, with its line and column.
func (e env) describeRow(err error) error {
	var re *imports.RowError
	if !errors.As(err, &re) {
		return describe(err)
	}
	cat, lerr := locale.Load()
	if lerr != nil {
		return err
	}
	msg := cat.T("en", re.MessageID, re.Data)
	where := ""
	if re.Line > 0 {
		where = fmt.Sprintf("line %d", re.Line)
	}
	if re.Field != "" {
		where = strings.TrimPrefix(where+", column "+re.Field, ", ")
	}
	if where != "" {
		return fmt.Errorf("%s: %s", where, msg)
	}
	return errors.New(msg)
}

func (e env) importStatus(ctx context.Context, db *store.DB, id string) error {
	var jobs []imports.Job
	if id != "" {
		j, err := db.ImportJob(ctx, id)
		if err != nil {
			return describe(err)
		}
		jobs = append(jobs, j)
	} else {
		var err error
		if jobs, err = db.ImportJobs(ctx, nil, 20); err != nil {
			return err
		}
	}
	for _, j := range jobs {
		status := string(j.Status)
		if j.Status == imports.Running && time.Since(j.Heartbeat) > store.ImportStale {
			status = "interrupted (resume it)"
		}
		c := j.Counts
		fmt.Fprintf(e.stdout, "%s  %-8s %-20s %s  batches %d  read %d  new %d  linked %d  added %d  updated %d  unchanged %d  rejected %d\n",
			j.ID, j.Format, j.Source, status, j.BatchesDone, c.Read, c.Created, c.Linked, c.Added, c.Updated, c.Unchanged, c.Rejected)
		if j.Error != nil {
			fmt.Fprintf(e.stdout, "    stopped: %v\n", e.describeRow(j.Error))
		}
	}
	return nil
}

func (e env) importReport(ctx context.Context, db *store.DB, id string) error {
	if _, err := db.ImportJob(ctx, id); err != nil {
		return describe(err)
	}
	rejects, err := db.ImportRejects(ctx, id, 0, cliActor)
	if err != nil {
		return err
	}
	cat, err := locale.Load()
	if err != nil {
		return err
	}
	return writeReport(e.stdout, cat, "en", rejects)
}

// writeReport writes the rejected rows in a language.
func writeReport(w io.Writer, cat *locale.Catalogue, lang string, rejects []imports.RowError) error {
	header := [3]string{cat.T(lang, "imports.report_line", nil), cat.T(lang, "imports.report_column", nil), cat.T(lang, "imports.report_reason", nil)}
	return imports.WriteReport(w, header, rejects, func(id string, data map[string]any) string { return cat.T(lang, id, data) })
}
