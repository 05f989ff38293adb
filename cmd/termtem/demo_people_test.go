package main

import (
	"strings"
	"testing"
)

// TestDemoPeople runs "termtem demo --people" on a fresh database: people,
// then their activity and casework, a progress bar, the spread with no
// implausible rows; a second run adds nothing; the kept dashboard counters
// agree with a rebuild.
func TestDemoPeople(t *testing.T) {
	getenv := testEnv(t)
	if out, err := runCLI(getenv, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	out, err := runCLI(getenv, "", "demo", "--people", "800", "--seed", "4")
	if err != nil {
		t.Fatalf("demo --people: %v\n%s", err, out)
	}
	for _, want := range []string{"people: 800 in ", "people [####", "activity [####", "activity: ", "cases/active ", "referrals/",
		"implausible/alert 0, implausible/case 0, implausible/handoff 0, implausible/referral 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	out, err = runCLI(getenv, "", "demo", "--people", "800")
	if err != nil || !strings.Contains(out, "no people added") || !strings.Contains(out, "no activity added") {
		t.Errorf("second run: %v\n%s", err, out)
	}
	out, err = runCLI(getenv, "", "dashboards", "rebuild", "--check")
	if err != nil || !strings.Contains(out, "matched the rebuild") {
		t.Errorf("rebuild --check: %v\n%s", err, out)
	}
	if _, err := runCLI(getenv, "", "demo", "--people", "-5"); err == nil {
		t.Error("a negative population accepted")
	}
}
