package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"termtem/internal/config"
	"termtem/internal/store"
)

// auditKeyFile is where the chain key lives when none is configured: in the
// data directory, outside the database file, readable by the owner only.
const auditKeyFile = "audit.key"

// auditKey returns the audit chain's key: TERMTEM_AUDIT_KEY(_FILE) if set,
// else the data directory's key file, made on first use. Several app
// nodes on PostgreSQL must share one key through TERMTEM_AUDIT_KEY_FILE.
func auditKey(cfg config.Config) ([]byte, error) {
	if cfg.AuditKey != "" {
		return []byte(cfg.AuditKey), nil
	}
	if cfg.DataDir == "" {
		return nil, errors.New("no audit key: set TERMTEM_AUDIT_KEY_FILE")
	}
	return store.KeyFile(cfg.DataDir, auditKeyFile)
}

// audit is `termtem audit verify`: walk the chain and name the first bad
// entry; the exit status says whether it verified.
func (e env) audit(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: termtem audit verify [flags]")
	}
	cfg, err := e.parse("audit verify", args[1:], nil)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	// Seal what is waiting first, so that the report covers everything
	// old enough to be sealed — under the sealing job's lease, as a node
	// would: a node sealing at this moment would otherwise race this
	// command for the chain's next number. Without the lease a node has
	// just sealed, and sealing here is not needed.
	holder := "audit-verify/" + nodeID()
	if ok, err := db.ClaimJob(ctx, store.JobSealAudit, holder, time.Minute, 0); err != nil {
		return err
	} else if ok {
		for {
			n, err := db.SealAudit(ctx)
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
		if _, err := db.FinishJob(ctx, store.JobSealAudit, holder); err != nil {
			return err
		}
	}
	rep, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "audit chain: %d events verified; head %d %s\n", rep.Sealed, rep.HeadSeq, rep.HeadHash)
	if rep.BadSeq != 0 || rep.Problem != "" {
		fmt.Fprintf(e.stdout, "BROKEN at seal %d (event %s): %s\n", rep.BadSeq, rep.BadEvent, rep.Problem)
		return errors.New("the audit chain does not verify")
	}
	if rep.Unsealed > 0 {
		fmt.Fprintf(e.stdout, "UNSEALED: %d events older than the sealer's reach carry no seal\n", rep.Unsealed)
		return errors.New("the audit chain does not verify")
	}
	fmt.Fprintln(e.stdout, "OK: keep the head above outside the database to detect a truncated chain")
	return nil
}

// sealAudit chains new audit events every few seconds while serving.
func sealAudit(ctx context.Context, db *store.DB, log *slog.Logger, node string) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	// One sealer at a time across nodes: two would race for the chain's
	// next number and one of them would fail every time.
	seal := job{db: db, log: log, holder: node, name: store.JobSealAudit, ttl: time.Minute, every: 4 * time.Second}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		seal.run(ctx, func(stillMine func() bool) error {
			for {
				n, err := db.SealAudit(ctx)
				if err != nil || n == 0 {
					return err
				}
				if !stillMine() {
					return nil
				}
			}
		})
	}
}
