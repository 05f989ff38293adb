package store_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"termtem/internal/errs"
	"termtem/internal/imports"
	"termtem/internal/linkage"
	"termtem/internal/linkage/synth"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// synthMapping maps the columns synthCSV writes.
func synthMapping() imports.Mapping {
	return imports.Mapping{Header: true, DateEra: imports.EraCE, Columns: map[imports.Target]string{
		imports.LocalID: "local_id", imports.NationalIDCol: "national_id", imports.GivenName: "given_name",
		imports.FamilyName: "family_name", imports.Nickname: "nickname", imports.GivenNameLatin: "given_name_latin",
		imports.FamilyNameLatin: "family_name_latin", imports.Sex: "sex", imports.BirthDate: "birth_date",
		imports.MotherName: "mother_name", imports.Community: "community",
	}}
}

// synthCSV writes one synthetic agency file as a CSV an agency would send,
// with the mother's name and the community.
func synthCSV(t *testing.T, dir string, n int, f []synth.Record) string {
	return synthCSVOf(t, dir, n, f, true)
}

// synthCSVOf writes the file with or without the mother's name and the
// community (evidence): a file without them is what schools often send.
func synthCSVOf(t *testing.T, dir string, n int, f []synth.Record, evidence bool) string {
	t.Helper()
	path := filepath.Join(dir, fmt.Sprintf("agency%d.csv", n))
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	_ = w.Write([]string{"local_id", "national_id", "given_name", "family_name", "nickname", "given_name_latin", "family_name_latin", "sex", "birth_date",
		"mother_name", "community"})
	for i, r := range f {
		_ = w.Write([]string{fmt.Sprintf("A%d-%d", n, i), r.NationalID, r.GivenName, r.FamilyName, r.Nickname, r.GivenLatin, r.FamilyLatin,
			r.Sex, r.BirthDate, pick(evidence, r.MotherName), pick(evidence, r.Address)})
	}
	w.Flush()
	if err := out.Close(); err != nil || w.Error() != nil {
		t.Fatal(err, w.Error())
	}
	return path
}

// TestLinkageTrainedFromImports imports three synthetic agency files with
// known truth (with the default weights: nothing is trained yet), trains
// the weights from the pairs those imports compared and random pairs of
// the people now in the database, and checks that the trained weights
// link the same files with F1 ≥ 0.98 at the default thresholds. Only
// training changes the weights: importing does not, every training is a
// new audited version, and imports then decide with it.
func TestLinkageTrainedFromImports(t *testing.T) {
	db := storetest.Open(t)
	db.LinkageAutoTrain = -1
	org := newOrg(t, db, "SYN-1")
	o := synth.Defaults()
	files := synth.Files(synth.Population(o), o)
	dir := t.TempDir()

	if _, err := db.TrainLinkage(ctx, store.TrainOptions{}, actor()); err == nil {
		t.Fatal("trained with no pairs recorded")
	} else {
		wantErr(t, err, errs.Invalid, "", "linkage.too_few_pairs")
	}
	cur, err := db.CurrentLinkageModel(ctx)
	if err != nil || cur.Version != 0 || cur.Model.Weight(linkage.Given, 0) != linkage.Default().Weight(linkage.Given, 0) {
		t.Fatalf("before training: version %d %v", cur.Version, err)
	}
	for i, f := range files {
		j, err := runImport(t, db, org.ID, fmt.Sprintf("synth-%d", i), imports.CSV, synthCSV(t, dir, i, f), synthMapping(), true)
		if err != nil {
			t.Fatalf("import %d: %v", i, err)
		}
		t.Logf("file %d: %+v", i, j.Counts)
	}
	// Importing recorded pairs but changed no weights.
	total, since, err := db.LinkagePairsRecorded(ctx)
	if err != nil || total < 5000 || since != total {
		t.Fatalf("pairs recorded: %d (%d since training) %v", total, since, err)
	}
	if cur, _ := db.CurrentLinkageModel(ctx); cur.Version != 0 {
		t.Fatalf("an import changed the weights: version %d", cur.Version)
	}

	lm, err := db.TrainLinkage(ctx, store.TrainOptions{Seed: 3}, actor())
	if err != nil {
		t.Fatal(err)
	}
	if lm.Version != 1 || lm.BlockedPairs != total || !lm.Converged || lm.RandomPairs == 0 || lm.TrainedBy != actor().ActorID {
		t.Fatalf("trained: %+v", lm)
	}
	if n := auditCount(t, db, store.ActionLinkageTrained, lm.ID); n != 1 {
		t.Fatalf("training audited %d times", n)
	}
	res := synth.Link(files, lm.Model)
	if testing.Verbose() {
		for _, x := range res.Mistakes[:min(12, len(res.Mistakes))] {
			t.Log(x)
		}
	}
	t.Logf("trained from %d pairs (%d patterns), %d random, %d iterations: %v", lm.BlockedPairs, lm.Patterns, lm.RandomPairs, lm.Iterations, res)
	for _, f := range linkage.Fields {
		var ws []string
		for l := 0; l < f.Levels(); l++ {
			ws = append(ws, fmt.Sprintf("%s %.1f", f.LevelName(uint8(l)), lm.Model.Weight(f, uint8(l))))
		}
		t.Logf("  %-12s %s", f, strings.Join(ws, ", "))
	}
	// The target: F1 ≥ 0.98 at the default thresholds with the weights
	// trained from what the imports compared (measured 0.982 on both
	// databases, docs/linkage.md). The files carry the mother's name and
	// the community, disturbed as the synthetic files disturb them.
	if res.F1() < 0.98 {
		t.Errorf("F1 with the trained weights %.4f < 0.98 (precision %.4f, recall %.4f)", res.F1(), res.Precision(), res.Recall())
	}
	// The mother's name and the address were trained too: their weights
	// are not the defaults'.
	for _, f := range []linkage.Field{linkage.Mother, linkage.Address} {
		if lm.Model.Weight(f, 0) == linkage.Default().Weight(f, 0) {
			t.Errorf("%s weight is still the default's", f)
		}
	}
	// The weights differ from the defaults: they came from the data.
	if lm.Model.Weight(linkage.Family, 0) == linkage.Default().Weight(linkage.Family, 0) {
		t.Error("family name weight is still the default's")
	}

	cur, err = db.CurrentLinkageModel(ctx)
	if err != nil || cur.Version != 1 || cur.Model.Weight(linkage.Birth, 0) != lm.Model.Weight(linkage.Birth, 0) {
		t.Fatalf("current after training: %d %v", cur.Version, err)
	}
	// An import now decides with version 1 and queues its pairs under it.
	// Rows that agree with known children on everything but the given
	// name (a brother or sister, or a renamed child) are uncertain
	// whatever the weights: linkage never links a plainly different given
	// name, and the family name and birth date lift the score above the
	// review threshold.
	var unsure []synth.Record
	for i, r := range files[0][:300] {
		other := files[0][(i+7)%len(files[0])]
		if cleanGiven(other.GivenName) == cleanGiven(r.GivenName) {
			continue
		}
		r.GivenName, r.Nickname, r.GivenLatin, r.FamilyLatin, r.NationalID = other.GivenName, "", "", "", ""
		unsure = append(unsure, r)
	}
	again := synthCSVOf(t, dir, 9, unsure, false)
	if _, err := runImport(t, db, org.ID, "synth-again", imports.CSV, again, synthMapping(), true); err != nil {
		t.Fatal(err)
	}
	v1, all := 0, 0
	for off := 0; ; off += 500 {
		pairs, _, err := db.ListPairs(ctx, nil, store.PairPending, 500, off, actor())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pairs {
			all++
			if p.ModelVersion == 1 {
				v1++
			}
		}
		if len(pairs) < 500 {
			break
		}
	}
	if v1 == 0 {
		t.Fatalf("no pair queued with the trained model (of %d)", all)
	}
	if cur, _ := db.CurrentLinkageModel(ctx); cur.Version != 1 {
		t.Fatalf("an import changed the weights: version %d", cur.Version)
	}
	// Training again makes version 2; version 1 is kept as it was.
	lm2, err := db.TrainLinkage(ctx, store.TrainOptions{Seed: 4}, actor())
	if err != nil || lm2.Version != 2 {
		t.Fatalf("second training: %+v %v", lm2, err)
	}
	hist, err := db.LinkageModels(ctx, 10)
	if err != nil || len(hist) != 2 || hist[0].Version != 2 || hist[1].ID != lm.ID || hist[1].Model.Weight(linkage.Birth, 0) != lm.Model.Weight(linkage.Birth, 0) {
		t.Fatalf("history: %d %v", len(hist), err)
	}
	if n := auditCount(t, db, store.ActionLinkageTrained, ""); n != 2 {
		t.Fatalf("trainings audited: %d", n)
	}
}

// TestLinkageAutoTrain: an import job that brings enough new pairs trains
// the weights when it finishes (audited, cause "import"); one that brings
// too few does not.
func TestLinkageAutoTrain(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "SYN-2")
	o := synth.Defaults()
	o.People = 1500
	files := synth.Files(synth.Population(o), o)
	dir := t.TempDir()
	db.LinkageAutoTrain = 1 << 40
	if _, err := runImport(t, db, org.ID, "a-0", imports.CSV, synthCSV(t, dir, 0, files[0]), synthMapping(), true); err != nil {
		t.Fatal(err)
	}
	if _, err := runImport(t, db, org.ID, "a-1", imports.CSV, synthCSV(t, dir, 1, files[1]), synthMapping(), true); err != nil {
		t.Fatal(err)
	}
	if cur, _ := db.CurrentLinkageModel(ctx); cur.Version != 0 {
		t.Fatalf("trained below the threshold: version %d", cur.Version)
	}
	_, since, err := db.LinkagePairsRecorded(ctx)
	if err != nil || since == 0 {
		t.Fatalf("pairs since: %d %v", since, err)
	}
	db.LinkageAutoTrain = since + 1 // the next file's pairs pass it
	if _, err := runImport(t, db, org.ID, "a-2", imports.CSV, synthCSV(t, dir, 2, files[2]), synthMapping(), true); err != nil {
		t.Fatal(err)
	}
	cur, err := db.CurrentLinkageModel(ctx)
	if err != nil || cur.Version != 1 || cur.Cause != store.TrainedByImport {
		t.Fatalf("after the third file: %+v %v", cur, err)
	}
	if n := auditCount(t, db, store.ActionLinkageTrained, cur.ID); n != 1 {
		t.Fatalf("automatic training audited %d times", n)
	}
	if _, since, _ := db.LinkagePairsRecorded(ctx); since != 0 {
		t.Fatalf("pairs since the automatic training: %d", since)
	}
}

func pick(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// cleanGiven is a given name without a title written into it.
func cleanGiven(s string) string {
	for _, t := range []string{"เด็กหญิง", "ด.ช."} {
		s = strings.TrimPrefix(s, t)
	}
	return s
}
