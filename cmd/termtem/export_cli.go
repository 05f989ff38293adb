package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"termtem/internal/exports"
	"termtem/internal/locale"
)

const exportUsage = `termtem export --area CODE [--format csv|xlsx|fhir] [--fields a,b,c] [--children] [--lang th|en] [--out FILE]
  the people of a district, sub-district or community (by place code) as a list or a FHIR bundle.
  Run on the server as the platform's own work: not limited to an area, audited as "cli".
`

func (e env) export(ctx context.Context, args []string) error {
	var area, format, fields, lang, out string
	var children bool
	cfg, err := e.parse("export", args, func(fs *flag.FlagSet) {
		fs.StringVar(&area, "area", "", "place `CODE` of a district, sub-district or community, e.g. 1011")
		fs.StringVar(&format, "format", "csv", "csv, xlsx or fhir")
		fs.StringVar(&fields, "fields", strings.Join(exports.DefaultFields(), ","), "comma-separated field keys (csv, xlsx)")
		fs.BoolVar(&children, "children", false, "people under 18 only")
		fs.StringVar(&lang, "lang", "th", "language of the header row and community names")
		fs.StringVar(&out, "out", "", "write to `FILE` (default: standard output)")
	})
	if err != nil {
		return err
	}
	if area == "" {
		fmt.Fprint(e.stderr, exportUsage)
		return errors.New("--area is required")
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	place, err := db.GetPlaceByCode(ctx, area)
	if err != nil {
		return fmt.Errorf("--area %q: no such place", area)
	}
	req := exports.Request{AreaID: place.ID, Format: exports.Format(format), ChildrenOnly: children, Lang: lang}
	if fields != "" {
		req.Fields = strings.Split(fields, ",")
	}
	cat, err := locale.Load()
	if err != nil {
		return err
	}
	header := make([]string, len(req.Fields))
	for i, k := range req.Fields {
		header[i] = cat.T(lang, "exports.field."+k, nil)
	}
	var w io.Writer = e.stdout
	if out != "" {
		f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600) // personal data: readable by its owner only
		if err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		defer f.Close()
		w = f
	}
	file := &exports.Lazy{Open: func() (*exports.File, error) { return exports.Open(w, req, db.Now(), header) }}
	n, err := db.Export(ctx, req, "", cliActor, file.Write)
	if err == nil {
		err = file.Finish()
	}
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stderr, "exported %d people\n", n)
	return nil
}
