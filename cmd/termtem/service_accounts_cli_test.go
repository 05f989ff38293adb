package main

import (
	"strings"
	"testing"

	"termtem/internal/account"
)

// TestServiceAccountCommands: termtem service-account add, token, list,
// rotate and disable, with the refusals an operator may meet.
func TestServiceAccountCommands(t *testing.T) {
	getenv, db := importSetup(t)
	if out, err := runCLI(getenv, "", "service-account", "add", "--username", "dmc.sync", "--org", "SCH-K", "--role", account.RoleOrganisationAdmin); err == nil {
		t.Fatalf("administrator role accepted: %s", out)
	}
	if out, err := runCLI(getenv, "", "service-account", "add", "--username", "dmc.sync", "--org", "NOPE", "--role", account.RoleDataOfficer); err == nil ||
		!strings.Contains(err.Error(), "no such organisation") {
		t.Fatalf("unknown organisation: %v %s", err, out)
	}
	if out, err := runCLI(getenv, "", "service-account", "add", "--username", "dmc.sync", "--org", "SCH-K", "--role", account.RoleDataOfficer,
		"--name", "ระบบ DMC"); err != nil {
		t.Fatalf("add: %v %s", err, out)
	}
	token := func(out string) string {
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, account.APITokenPrefix) {
				return line
			}
		}
		t.Fatalf("no token in %s", out)
		return ""
	}
	out, err := runCLI(getenv, "", "service-account", "token", "--username", "dmc.sync", "--name", "nightly", "--expires", "30d")
	if err != nil {
		t.Fatalf("token: %v %s", err, out)
	}
	first, err := db.GetAPITokenByHash(t.Context(), account.HashSecret(token(out)))
	if err != nil || first.Name != "nightly" {
		t.Fatalf("issued token %+v %v", first, err)
	}
	if out, err := runCLI(getenv, "", "service-account", "list", "--org", "SCH-K"); err != nil || !strings.Contains(out, "dmc.sync") ||
		!strings.Contains(out, first.ID) || strings.Contains(out, account.APITokenPrefix) {
		t.Fatalf("list: %v %s", err, out)
	}
	out, err = runCLI(getenv, "", "service-account", "rotate", "--username", "dmc.sync", "--id", first.ID)
	if err != nil {
		t.Fatalf("rotate: %v %s", err, out)
	}
	second, err := db.GetAPITokenByHash(t.Context(), account.HashSecret(token(out)))
	if st, _ := db.APITokenState(t.Context(), first.ID); err != nil || !st.Revoked || second.Name != "nightly" {
		t.Fatalf("after rotation: old revoked %v, new %+v %v", st.Revoked, second, err)
	}
	if out, err := runCLI(getenv, "", "service-account", "token", "--username", "admin.nobody"); err == nil {
		t.Fatalf("token for no service account: %s", out)
	}
	if out, err := runCLI(getenv, "", "service-account", "disable", "--username", "dmc.sync"); err != nil {
		t.Fatalf("disable: %v %s", err, out)
	}
	if st, _ := db.APITokenState(t.Context(), second.ID); !st.Revoked || !st.UserDisabled {
		t.Fatalf("after disable: %+v", st)
	}
}
