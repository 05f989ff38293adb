package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"termtem/internal/demo"
	"termtem/internal/imports"
	"termtem/internal/store"
)

// demoFHIR writes the demo FHIR bundle: "termtem demo fhir [--children N]
// [--out FILE]" (standard output by default). It needs no database.
func (e env) demoFHIR(args []string) error {
	fs := flag.NewFlagSet("termtem demo fhir", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	n := fs.Int("children", 0, "at most `N` children (default: every demo child under six)")
	out := fs.String("out", "", "write the bundle to `FILE` instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var w io.Writer = e.stdout
	if *out != "" {
		f, err := os.OpenFile(*out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600) // personal-looking data: not world-readable
		if err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		defer f.Close()
		w = f
	}
	children, err := demo.FHIRBundle(w, time.Now(), *n)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "demo FHIR bundle: %d children\n", children)
	return nil
}

// importFHIR imports one FHIR bundle as a job: "termtem import fhir FILE
// [--source NAME] [--org CODE] [--skip-bad-rows]".
func (e env) importFHIR(ctx context.Context, db *store.DB, path, source, org string, skip bool) error {
	if org == "" {
		return errors.New("--org is required: the organisation the bundle comes from")
	}
	o, err := db.GetOrganisationByCode(ctx, org)
	if err != nil {
		return fmt.Errorf("--org %q: no such organisation", org)
	}
	if format, err := imports.DetectFormat(path); err != nil || format != imports.FHIR {
		return fmt.Errorf("%s: not a FHIR bundle (JSON)", path)
	}
	if source == "" {
		source = "fhir"
	}
	j, err := newFileJob(ctx, db, path, source, imports.FHIR, imports.Mapping{Header: true}, o.ID, skip)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stdout, "import %s: %s (FHIR)\n", j.ID, source)
	j, err = db.RunImportJob(ctx, j.ID, false, false, cliActor, e.progress(time.Now()))
	return e.importResult(j, err)
}
