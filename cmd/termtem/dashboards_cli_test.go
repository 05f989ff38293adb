package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// After the demo is loaded through the ordinary store paths, the counters
// kept incrementally are exactly what a rebuild computes.
func TestDashboardsRebuildCommand(t *testing.T) {
	env := testEnv(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"demo"}, env, strings.NewReader(""), &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"dashboards", "rebuild", "--check"}, env, strings.NewReader(""), &out, &out); err != nil {
		t.Fatalf("rebuild: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "the counters kept so far matched the rebuild") || strings.Contains(out.String(), "rebuilt: 0 rows") {
		t.Fatalf("rebuild printed %q", out.String())
	}
	if err := run(context.Background(), []string{"dashboards"}, env, strings.NewReader(""), &out, &out); err == nil {
		t.Fatal("dashboards without rebuild succeeded")
	}
}
