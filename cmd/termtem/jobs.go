package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"termtem/internal/store"
)

// nodeID names this process among the nodes sharing one database: the
// host, the process and a random part (a restarted process with a reused
// PID is another holder).
func nodeID() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	id := store.NewID()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), id[len(id)-8:])
}

// job is a background job that runs on one node at a time, at most once
// per every across all nodes (store.ClaimJob).
type job struct {
	db     *store.DB
	log    *slog.Logger
	holder string
	name   string
	ttl    time.Duration // longer than one run takes; renewed by stillMine
	every  time.Duration
}

// run runs fn when this node gets the lease, and records the finish.
// fn may call stillMine between steps of a long run: it renews the lease
// and reports false when another node took it over.
func (j job) run(ctx context.Context, fn func(stillMine func() bool) error) {
	ok, err := j.db.ClaimJob(ctx, j.name, j.holder, j.ttl, j.every)
	if err != nil {
		if ctx.Err() == nil {
			j.log.Warn("job lease failed", slog.String("job", j.name), slog.String("error", err.Error()))
		}
		return
	}
	if !ok {
		return // another node runs it, or it is not due
	}
	stillMine := func() bool {
		mine, err := j.db.ClaimJob(ctx, j.name, j.holder, j.ttl, j.every)
		return err == nil && mine
	}
	if err := fn(stillMine); err != nil {
		if ctx.Err() == nil {
			j.log.Warn("job failed", slog.String("job", j.name), slog.String("error", err.Error()))
		}
		// Not finished: the lease runs out and the job is due again then.
		return
	}
	if done, err := j.db.FinishJob(ctx, j.name, j.holder); err != nil && ctx.Err() == nil {
		j.log.Warn("job finish not recorded", slog.String("job", j.name), slog.String("error", err.Error()))
	} else if err == nil && !done {
		j.log.Warn("job overran its lease; another node took it over", slog.String("job", j.name))
	}
}
