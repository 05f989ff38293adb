package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"termtem/internal/linkage"
	"termtem/internal/store"
)

// linkageCmd is `termtem linkage train|weights`: estimate the linkage
// weights from what the imports compared and the people in the database
// (a new version, audited; imports and the review queue use it from then
// on), or print the weights in use.
func (e env) linkageCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "train" && args[0] != "weights") {
		return errors.New("usage: termtem linkage train [--max-pairs N] [--random-pairs N] | termtem linkage weights")
	}
	var o store.TrainOptions
	cfg, err := e.parse("linkage "+args[0], args[1:], func(fs *flag.FlagSet) {
		if args[0] == "train" {
			fs.Int64Var(&o.MaxPairs, "max-pairs", 0, "candidate pairs EM runs over, newest import batches first (default 5,000,000)")
			fs.IntVar(&o.RandomPairs, "random-pairs", 0, "random pairs of people u is estimated from (default 20,000)")
			fs.Int64Var(&o.MinPairs, "min-pairs", 0, "refuse to train on fewer recorded pairs (default 2,000)")
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
	var lm store.LinkageModel
	if args[0] == "train" {
		o.Cause = store.TrainedByCommand
		if lm, err = db.TrainLinkage(ctx, o, cliActor); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "linkage weights version %d trained from %d candidate pairs (%d patterns) and %d random pairs: %d EM iterations, converged %v (last change %.1e), %.1f s\n",
			lm.Version, lm.BlockedPairs, lm.Patterns, lm.RandomPairs, lm.Iterations, lm.Converged, lm.Delta, lm.Seconds)
	} else {
		if lm, err = db.CurrentLinkageModel(ctx); err != nil {
			return err
		}
		total, since, err := db.LinkagePairsRecorded(ctx)
		if err != nil {
			return err
		}
		if lm.Version == 0 {
			fmt.Fprintf(e.stdout, "linkage weights: the built-in defaults (never trained); imports have recorded %d candidate pairs\n", total)
		} else {
			fmt.Fprintf(e.stdout, "linkage weights version %d, trained %s (%s) from %d candidate pairs; %d pairs recorded since\n",
				lm.Version, lm.TrainedAt.Format("2006-01-02 15:04 UTC"), lm.Cause, lm.BlockedPairs, since)
		}
	}
	for _, f := range linkage.Fields {
		var ws []string
		for l := 0; l < f.Levels(); l++ {
			ws = append(ws, fmt.Sprintf("%s %+.1f", f.LevelName(uint8(l)), lm.Model.Weight(f, uint8(l))))
		}
		fmt.Fprintf(e.stdout, "  %-12s %s\n", f, strings.Join(ws, ", "))
	}
	fmt.Fprintf(e.stdout, "thresholds: link ≥ %.0f, review ≥ %.0f\n", lm.Model.Link, lm.Model.Review)
	return nil
}
