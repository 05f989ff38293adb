package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// termtem retention run --dry-run counts per kind and deletes nothing;
// without --dry-run it deletes and says so.
func TestRetentionCommand(t *testing.T) {
	env := testEnv(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"retention", "run", "--dry-run"}, "records past retention (dry run, nothing deleted)"},
		{[]string{"retention", "run"}, "0 records deleted"},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), c.args, env, strings.NewReader(""), &out, &out); err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, out.String())
		}
		if !strings.Contains(out.String(), c.want) || !strings.Contains(out.String(), "home_visit") {
			t.Fatalf("%v printed %q", c.args, out.String())
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"retention"}, env, strings.NewReader(""), &out, &out); err == nil {
		t.Fatal("retention without run succeeded")
	}
}
