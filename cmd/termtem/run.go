package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"termtem/internal/account"
	"termtem/internal/auth"
	"termtem/internal/config"
	"termtem/internal/flower"
	"termtem/internal/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `termtem — แพลตฟอร์มเติมเต็ม, the shared data platform for vulnerable children and families

Usage:
  termtem serve [--addr 127.0.0.1:8080] [--data DIR] [--demo]   run the web app and JSON API
  termtem migrate                                                apply database migrations
  termtem demo                                                   load the Lat Krabang demo data
  termtem user add --username U --role ROLE --org ORG_CODE [--name NAME] --password-stdin
  termtem user passwd --username U --password-stdin
  termtem user disable --username U
  termtem token create --user U [--expires 90d] [--name NAME]   print a bearer token for the API
  termtem token revoke --id TOKEN_ID
  termtem service-account add|list|token|rotate|disable …       agency systems' accounts: one organisation, one role, tokens only
  termtem backup --out FILE                                      online backup of the SQLite database
  termtem audit verify                                           check the tamper-evident audit chain
  termtem retention run [--dry-run]                              delete records past their retention period (or count them)
  termtem dashboards rebuild [--check]                           recompute the dashboard counters from the records
  termtem import csv|43|status|resume|report …                   import other agencies' files ("termtem import" lists)
  termtem linkage train|weights                                  estimate record-linkage weights from the data (a new version) or show those in use
  termtem export --area CODE [--format csv|xlsx|fhir] [--out FILE] export an area's people ("termtem export -h")
  termtem demo fhir [--children N] [--out FILE]                  write the demo health centre's FHIR bundle (no database needed)
  termtem version

Every command takes --data DIR or --database-url postgres://… (or TERMTEM_DATA,
TERMTEM_DATABASE_URL, TERMTEM_DATABASE_URL_FILE). "termtem serve -h" lists all settings.
`

// env bundles the process's surroundings so that tests can run commands
// in-process with their own input and output.
type env struct {
	getenv config.Getenv
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return e.serve(ctx, rest)
	case "migrate":
		return e.migrate(ctx, rest)
	case "demo":
		return e.demo(ctx, rest)
	case "user":
		return e.user(ctx, rest)
	case "token":
		return e.token(ctx, rest)
	case "service-account":
		return e.serviceAccount(ctx, rest)
	case "backup":
		return e.backup(ctx, rest)
	case "audit":
		return e.audit(ctx, rest)
	case "import":
		return e.imports(ctx, rest)
	case "retention":
		return e.retention(ctx, rest)
	case "dashboards":
		return e.dashboards(ctx, rest)
	case "export":
		return e.export(ctx, rest)
	case "linkage":
		return e.linkageCmd(ctx, rest)
	case "version":
		fmt.Fprintln(stdout, "termtem", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// parse reads the common settings plus a command's own flags.
func (e env) parse(name string, args []string, own func(*flag.FlagSet)) (config.Config, error) {
	cfg := config.Defaults()
	fs := flag.NewFlagSet("termtem "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := cfg.Register(fs, e.getenv); err != nil {
		return cfg, err
	}
	if own != nil {
		own(fs)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return cfg, cfg.Finish()
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// openStore opens and migrates the configured database.
func openStore(ctx context.Context, cfg config.Config) (*store.DB, error) {
	db, err := store.Open(ctx, store.Options{DataDir: cfg.DataDir, DatabaseURL: cfg.DatabaseURL, ReplicaURL: cfg.DatabaseReplicaURL, ReplicaMaxLag: cfg.ReplicaMaxLag, DataKey: []byte(cfg.DataKey)})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.AlertPolicy = flower.AlertPolicy{Urgent: cfg.AlertUrgent, Red: cfg.AlertRed, Review: cfg.AlertReview}
	db.MinistryContact = cfg.MinistryContact
	if db.AuditKey, err = auditKey(cfg); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func newAuth(db *store.DB, cfg config.Config) (*auth.Service, error) {
	svc, err := auth.New(db, account.SessionRules{Idle: cfg.SessionIdle, Absolute: cfg.SessionAbsolute}, account.DefaultHashParams)
	if err != nil {
		return nil, err
	}
	svc.RequireMFA = cfg.RequireMFA
	return svc, nil
}

func (e env) migrate(ctx context.Context, args []string) error {
	cfg, err := e.parse("migrate", args, nil)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "database is at schema version %d\n", v)
	return nil
}

// readSecret reads one line (a password) from standard input.
func readSecret(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return "", err
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", errors.New("no password on standard input")
	}
	return s, nil
}
