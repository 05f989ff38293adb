package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
)

func (e env) backup(ctx context.Context, args []string) error {
	var out string
	cfg, err := e.parse("backup", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "file to write the backup to (must not exist)")
	})
	if err != nil {
		return err
	}
	if cfg.UsesPostgres() {
		return errors.New("on PostgreSQL use the database's own tools, e.g. pg_dump --format=custom --file=termtem.dump \"$TERMTEM_DATABASE_URL\" (see README, Backup and restore)")
	}
	if out == "" {
		return errors.New("--out FILE is required")
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Backup(ctx, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s (%d bytes, integrity check ok)\n", out, n)
	return nil
}
