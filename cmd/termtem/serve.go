package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"termtem/internal/auth"
	"termtem/internal/demo"
	"termtem/internal/locale"
	"termtem/internal/notify"
	"termtem/internal/server"
	"termtem/internal/store"
)

func (e env) serve(ctx context.Context, args []string) error {
	cfg, err := e.parse("serve", args, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, e.stderr)
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := newAuth(db, cfg)
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := e.loadDemoIfEmpty(ctx, db, a); err != nil {
			return err
		}
	}
	cat, err := locale.Load()
	if err != nil {
		return err
	}
	// Channels are set after the demo load: loading the demo's alerts
	// must not e-mail anyone.
	notifier := notify.New(db, cat, log, cfg)
	pushKeys, err := notify.PushKeys(cfg)
	if err != nil {
		return err
	}
	notifier.EnablePush(cfg, pushKeys)
	db.Channels = notifier.Channels()
	log.Info("notification channels", slog.Bool("email", db.Channels.Email), slog.Bool("webhook", db.Channels.Webhook), slog.Bool("push", db.Channels.Push))
	srv, err := server.New(server.Deps{DB: db, Auth: a, Cat: cat, Log: log,
		SecureCookies: cfg.SecureCookies(), SeparateMetrics: cfg.MetricsAddr != "",
		ImportDir: filepath.Join(cfg.DataDir, "imports"), Chromium: cfg.Chromium,
		MaxConcurrent: cfg.MaxConcurrent, QueueTimeout: cfg.QueueTimeout, RequestTimeout: cfg.RequestTimeout,
		ClientRate: cfg.ClientRate, ClientBurst: cfg.ClientBurst,
		PushKey: pushKeys.PublicKey(), OfflineKeyLife: cfg.OfflineKeyLife})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	httpServer := newHTTPServer(srv, log)
	servers := []*http.Server{httpServer}
	errc := make(chan error, 2)
	go func() { errc <- httpServer.Serve(ln) }()
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s: %w", cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.MetricsHandler())
		ms := newHTTPServer(mux, log)
		servers = append(servers, ms)
		go func() { errc <- ms.Serve(mln) }()
	}
	backend := "SQLite in " + cfg.DataDir
	if cfg.UsesPostgres() {
		backend = "PostgreSQL at " + store.RedactURL(cfg.DatabaseURL)
	}
	log.Info("termtem started", slog.String("version", version), slog.String("addr", ln.Addr().String()), slog.String("database", backend))
	fmt.Fprintf(e.stdout, "Termtem is running at http://%s (%s). Stop with Ctrl-C.\n", ln.Addr(), backend)

	// Jobs that must run once across nodes take a lease in the database
	// (jobs.go); the outbox is claimed row by row (notify).
	node := nodeID()
	log.Info("node", slog.String("id", node))
	go sweepSessions(ctx, a, log)
	go watchAlerts(ctx, db, log, node)
	go sealAudit(ctx, db, log, node)
	go watchRetention(ctx, db, log, node)
	go resumeImports(ctx, db, log, filepath.Join(cfg.DataDir, "imports"))
	workerCtx, stopWorker := context.WithCancel(ctx)
	defer stopWorker()
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); notifier.Run(workerCtx, notify.Every) }()

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
	}
	log.Info("termtem stopping")
	// The notification worker stops before the store closes under it.
	stopWorker()
	<-workerDone
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var errsOut []error
	for _, s := range servers {
		errsOut = append(errsOut, s.Shutdown(shutdownCtx))
	}
	return errors.Join(errsOut...)
}

// newHTTPServer sets timeouts so that slow or stuck clients cannot hold
// connections open forever.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

func sweepSessions(ctx context.Context, a *auth.Service, log *slog.Logger) {
	t := time.NewTicker(auth.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := a.SweepSessions(ctx); err != nil {
				log.Warn("session sweep failed", slog.String("error", err.Error()))
			} else if n > 0 {
				log.Info("expired sessions removed", slog.Int64("count", n))
			}
		}
	}
}

// loadDemoIfEmpty loads the demo only into a database without users, so
// that --demo never mixes demo accounts into a real installation.
func (e env) loadDemoIfEmpty(ctx context.Context, db *store.DB, a *auth.Service) error {
	n, err := db.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintln(e.stdout, "Demo data not loaded: the database already has users.")
		return nil
	}
	_, err = demo.Load(ctx, db, a, e.stdout)
	return err
}

func (e env) demo(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "fhir" {
		return e.demoFHIR(args[1:])
	}
	var n int
	var seed int64
	var activity bool
	var cpuProfile string
	cfg, err := e.parse("demo", args, func(fs *flag.FlagSet) {
		fs.IntVar(&n, "people", 0, "instead of the Lat Krabang demo, add `N` synthetic people across Bangkok (benchmarks)")
		fs.Int64Var(&seed, "seed", demo.PopulationSeed, "seed of the --people population")
		fs.BoolVar(&activity, "activity", true, "with --people: also service records, assessments, cases, plans, referrals, alerts and hand-offs")
		fs.StringVar(&cpuProfile, "cpuprofile", "", "with --people: write a CPU profile of the generation to `FILE` (go tool pprof)")
	})
	if err != nil {
		return err
	}
	if n < 0 {
		return fmt.Errorf("--people %d: give a positive number of people", n)
	}
	if cpuProfile != "" {
		stop, err := startCPUProfile(cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if n > 0 {
		return demo.RunPopulation(ctx, db, n, seed, activity, e.stdout)
	}
	a, err := newAuth(db, cfg)
	if err != nil {
		return err
	}
	_, err = demo.Load(ctx, db, a, e.stdout)
	return err
}

// watchAlerts escalates alerts past their deadline every minute and, once
// a day, runs the scheduled checks (vaccines overdue, DSPM screenings
// missed) through the whole population, a page of children at a time so
// that the writer is never held for long. Each is a job that one node
// runs at a time: with several nodes no alert escalates twice for one
// deadline and the population is checked once a day, not once per node.
func watchAlerts(ctx context.Context, db *store.DB, log *slog.Logger, node string) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	escalate := job{db: db, log: log, holder: node, name: store.JobEscalateAlerts, ttl: 5 * time.Minute, every: 50 * time.Second}
	checks := job{db: db, log: log, holder: node, name: store.JobScheduledCheck, ttl: 10 * time.Minute, every: 24 * time.Hour}
	reports := job{db: db, log: log, holder: node, name: store.JobSelfReports, ttl: 10 * time.Minute, every: time.Hour}
	overdue := job{db: db, log: log, holder: node, name: store.JobOverdueSteps, ttl: 10 * time.Minute, every: 15 * time.Minute}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		escalate.run(ctx, func(func() bool) error {
			n, err := db.EscalateAlerts(ctx)
			if err == nil && n > 0 {
				log.Info("alerts escalated", slog.Int("count", n))
			}
			return err
		})
		checks.run(ctx, func(stillMine func() bool) error {
			after, total := "", 0
			for {
				next, opened, err := db.RunChecks(ctx, after, 500)
				total += opened
				if err != nil {
					return err
				}
				if next == "" || ctx.Err() != nil {
					break
				}
				if !stillMine() {
					return fmt.Errorf("scheduled checks: lease lost after %d alerts", total)
				}
				after = next
			}
			log.Info("scheduled checks done", slog.Int("alerts_opened", total))
			return ctx.Err()
		})
		// Care-plan steps past their due date: their owners and case
		// managers are told, once per step and due date.
		overdue.run(ctx, remindOverdueSteps(ctx, db, log))
		// Families' periodic self-reports: reminders and missed reports.
		reports.run(ctx, func(func() bool) error {
			run, err := db.RunSelfReports(ctx)
			if err == nil && run.Reminded+run.Missed > 0 {
				log.Info("self-reports", slog.Int("reminded", run.Reminded), slog.Int("missed", run.Missed))
			}
			return err
		})
	}
}

// remindOverdueSteps is one run of the overdue-step job: pages of steps,
// the lease renewed between pages.
func remindOverdueSteps(ctx context.Context, db *store.DB, log *slog.Logger) func(stillMine func() bool) error {
	const page = 200
	return func(stillMine func() bool) error {
		total := 0
		for {
			n, err := db.RemindOverdueSteps(ctx, page)
			total += n
			if err != nil {
				return err
			}
			if n < page || ctx.Err() != nil {
				break
			}
			if !stillMine() {
				return fmt.Errorf("overdue steps: lease lost after %d steps", total)
			}
		}
		if total > 0 {
			log.Info("overdue steps reminded", slog.Int("steps", total))
		}
		return ctx.Err()
	}
}
