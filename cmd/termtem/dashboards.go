package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"time"
)

// dashboards is `termtem dashboards rebuild [--check]`: recompute every
// dashboard counter from the records. The counters are kept up to date in
// each change's own transaction; a rebuild is for a restore, a moved place
// or doubt. --check says whether the counters already matched.
func (e env) dashboards(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "rebuild" {
		return errors.New("usage: termtem dashboards rebuild [--check] [flags]")
	}
	var check bool
	cfg, err := e.parse("dashboards rebuild", args[1:], func(fs *flag.FlagSet) {
		fs.BoolVar(&check, "check", false, "also report whether the counters kept so far matched the rebuilt ones")
	})
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	var before []string
	if check {
		if before, err = db.DashboardRows(ctx); err != nil {
			return err
		}
	}
	start := time.Now()
	rows, err := db.RebuildDashboards(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "dashboard counters rebuilt: %d rows in %s\n", rows, time.Since(start).Round(time.Millisecond))
	if !check {
		return nil
	}
	after, err := db.DashboardRows(ctx)
	if err != nil {
		return err
	}
	if !slices.Equal(before, after) {
		return fmt.Errorf("the counters kept so far differed from the rebuilt ones (%d rows before, %d after); they are now rebuilt", len(before), len(after))
	}
	fmt.Fprintln(e.stdout, "the counters kept so far matched the rebuild")
	return nil
}
