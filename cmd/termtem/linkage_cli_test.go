package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"termtem/internal/linkage/synth"
	"termtem/internal/store"
)

// termtem linkage weights shows the defaults until termtem linkage train
// has estimated weights from what two imports compared; the training is a
// new version, audited, and refused while too few pairs are recorded.
func TestLinkageTrainCommand(t *testing.T) {
	getenv, db := importSetup(t)
	out, err := runCLI(getenv, "", "linkage", "weights")
	if err != nil || !strings.Contains(out, "built-in defaults") || !strings.Contains(out, "given_name") {
		t.Fatalf("weights before training: %v\n%s", err, out)
	}
	if out, err := runCLI(getenv, "", "linkage", "train"); err == nil {
		t.Fatalf("trained with nothing imported:\n%s", out)
	}
	dir := t.TempDir()
	mapping := filepath.Join(dir, "mapping.json")
	if err := os.WriteFile(mapping, []byte(synthMappingJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, path := range synthFiles(t, dir, 800) {
		if out, err := runCLI(getenv, "", "import", "csv", "--source", fmt.Sprintf("agency-%d", i), "--file", path, "--mapping", mapping,
			"--org", "SCH-K", "--skip-bad-rows"); err != nil {
			t.Fatalf("import %d: %v\n%s", i, err, out)
		}
	}
	out, err = runCLI(getenv, "", "linkage", "train", "--min-pairs", "100")
	if err != nil || !strings.Contains(out, "linkage weights version 1 trained from") || !strings.Contains(out, "thresholds: link ≥ 10, review ≥ 3") {
		t.Fatalf("train: %v\n%s", err, out)
	}
	out, err = runCLI(getenv, "", "linkage", "weights")
	if err != nil || !strings.Contains(out, "linkage weights version 1, trained") || !strings.Contains(out, "(command)") {
		t.Fatalf("weights after training: %v\n%s", err, out)
	}
	evs, err := db.RecentAudit(t.Context(), store.ActionLinkageTrained, 10)
	if err != nil || len(evs) != 1 || evs[0].RequestID != "cli" || !strings.Contains(evs[0].Detail, "version=1") {
		t.Fatalf("audit of the training: %+v %v", evs, err)
	}
}

const synthMappingJSON = `{"header":true,"date_era":"ce","columns":{"local_id":"id","given_name":"given",
	"family_name":"family","nickname":"nick","sex":"sex","birth_date":"birth"}}`

// synthFiles writes two synthetic agencies' files about the same children
// (internal/linkage/synth), without national IDs, as CSV files with the
// columns synthMappingJSON maps.
func synthFiles(t *testing.T, dir string, people int) []string {
	t.Helper()
	o := synth.Defaults()
	o.People, o.Agencies = people, 2
	var out []string
	for i, f := range synth.Files(synth.Population(o), o) {
		path := filepath.Join(dir, fmt.Sprintf("f%d.csv", i))
		fh, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(fh)
		_ = w.Write([]string{"id", "given", "family", "nick", "sex", "birth"})
		for j, r := range f {
			_ = w.Write([]string{fmt.Sprint(j), r.GivenName, r.FamilyName, r.Nickname, r.Sex, r.BirthDate})
		}
		w.Flush()
		if err := fh.Close(); err != nil || w.Error() != nil {
			t.Fatal(err, w.Error())
		}
		out = append(out, path)
	}
	return out
}
