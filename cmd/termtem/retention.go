package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"termtem/internal/store"
)

// retention is `termtem retention run [--dry-run]`: delete the records
// past their retention period now (or only count them), printing the
// count per kind of record.
func (e env) retention(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "run" {
		return errors.New("usage: termtem retention run [--dry-run] [flags]")
	}
	var dry bool
	cfg, err := e.parse("retention run", args[1:], func(fs *flag.FlagSet) {
		fs.BoolVar(&dry, "dry-run", false, "only count the records past their retention; delete nothing")
	})
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	counts, err := db.RunRetention(ctx, dry)
	verb := "deleted"
	if dry {
		verb = "past retention (dry run, nothing deleted)"
	}
	total := 0
	for _, c := range counts {
		fmt.Fprintf(e.stdout, "%-24s %d\n", c.Kind, c.Count)
		total += c.Count
	}
	fmt.Fprintf(e.stdout, "%d records %s\n", total, verb)
	return err
}

// watchRetention deletes records past their retention once a day while
// serving; the first run waits an hour so that a restart loop does not
// turn into a deletion loop, and each deletion is audited by the store.
func watchRetention(ctx context.Context, db *store.DB, log *slog.Logger, node string) {
	wait := time.Hour
	// Once a day across all nodes, not once per node.
	retention := job{db: db, log: log, holder: node, name: store.JobRetention, ttl: time.Hour, every: 23 * time.Hour}
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = time.Hour
		retention.run(ctx, func(func() bool) error {
			counts, err := db.RunRetention(ctx, false)
			if err != nil {
				return err
			}
			total := 0
			for _, c := range counts {
				total += c.Count
			}
			log.Info("retention run done", slog.Int("records_deleted", total))
			return nil
		})
	}
}
