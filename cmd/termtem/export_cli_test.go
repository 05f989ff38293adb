package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"termtem/internal/store"
)

// The demo bundle from the command line, imported by the command line
// (twice: the second changes nothing), then exported back as CSV and as a
// FHIR bundle, with the export audited as the command line's.
func TestFHIRAndExportCommands(t *testing.T) {
	getenv, db := importSetup(t)
	dir := t.TempDir()
	bundle := filepath.Join(dir, "bundle.json")
	if out, err := runCLI(getenv, "", "demo", "fhir", "--children", "4", "--out", bundle); err != nil || !strings.Contains(out, "4 children") {
		t.Fatalf("demo fhir: %v %s", err, out)
	}
	out, err := runCLI(getenv, "", "import", "fhir", bundle, "--org", "10669")
	if err != nil || !strings.Contains(out, "done: read") || !strings.Contains(out, "rejected 0") {
		t.Fatalf("import fhir: %v %s", err, out)
	}
	out, err = runCLI(getenv, "", "import", "fhir", bundle, "--org", "10669")
	if err != nil || !strings.Contains(out, "new people 0") || !strings.Contains(out, "records written 0") {
		t.Fatalf("import fhir again: %v %s", err, out)
	}
	if _, err := runCLI(getenv, "", "import", "fhir", bundle); err == nil || !strings.Contains(err.Error(), "--org") {
		t.Fatalf("without --org: %v", err)
	}
	notJSON := filepath.Join(dir, "x.json")
	os.WriteFile(notJSON, []byte("HOSPCODE|PID\n"), 0o600)
	if _, err := runCLI(getenv, "", "import", "fhir", notJSON, "--org", "10669"); err == nil || !strings.Contains(err.Error(), "not a FHIR bundle") {
		t.Fatalf("not a bundle: %v", err)
	}
	// The imported people have no community: an export of the district
	// holds nobody, and says so.
	csvPath := filepath.Join(dir, "out.csv")
	out, err = runCLI(getenv, "", "export", "--area", "1011", "--out", csvPath)
	if err != nil || !strings.Contains(out, "exported 0 people") {
		t.Fatalf("export: %v %s", err, out)
	}
	b, _ := os.ReadFile(csvPath)
	if !strings.HasPrefix(string(b), "\ufeffรหัสในระบบ,เลขประจำตัวประชาชน") {
		t.Fatalf("CSV header: %q", b)
	}
	if _, err := runCLI(getenv, "", "export", "--area", "1011", "--fields", "given_name,password"); err == nil || !strings.Contains(err.Error(), "fields") {
		t.Fatalf("bad field: %v", err)
	}
	if _, err := runCLI(getenv, "", "export", "--area", "no-such"); err == nil || !strings.Contains(err.Error(), "no such place") {
		t.Fatalf("bad area: %v", err)
	}
	evs, err := db.RecentAudit(t.Context(), store.ActionExport, 5)
	if err != nil || len(evs) != 1 || evs[0].RequestID != "cli" {
		t.Fatalf("export audit: %+v %v", evs, err)
	}
}
