package account_test

import (
	"strings"
	"testing"

	"termtem/internal/account"
	"termtem/internal/errs"
)

func TestValidateUser(t *testing.T) {
	tests := []struct {
		name  string
		user  account.User
		field string // empty: valid
	}{
		{"valid", account.User{Username: "nurse.a", DisplayName: "ก", Kind: account.StaffAccount}, ""},
		{"family", account.User{Username: "mae-noi_1", DisplayName: "แม่น้อย", Kind: account.FamilyAccount}, ""},
		{"normalised", account.User{Username: "  Nurse.A ", DisplayName: "ก", Kind: account.StaffAccount}, ""},
		{"too short", account.User{Username: "ab", DisplayName: "ก", Kind: account.StaffAccount}, "username"},
		{"starts with a dot", account.User{Username: ".nurse", DisplayName: "ก", Kind: account.StaffAccount}, "username"},
		{"space inside", account.User{Username: "nurse a", DisplayName: "ก", Kind: account.StaffAccount}, "username"},
		{"Thai username", account.User{Username: "พยาบาล", DisplayName: "ก", Kind: account.StaffAccount}, "username"},
		{"65 characters", account.User{Username: strings.Repeat("a", 65), DisplayName: "ก", Kind: account.StaffAccount}, "username"},
		{"no display name", account.User{Username: "nurse", DisplayName: "  ", Kind: account.StaffAccount}, "display_name"},
		{"long display name", account.User{Username: "nurse", DisplayName: strings.Repeat("ก", 201), Kind: account.StaffAccount}, "display_name"},
		{"unknown kind", account.User{Username: "nurse", DisplayName: "ก", Kind: "admin"}, "kind"},
		{"e-mail", account.User{Username: "nurse", DisplayName: "ก", Kind: account.StaffAccount, Email: " unit7@example.go.th "}, ""},
		{"e-mail with a name", account.User{Username: "nurse", DisplayName: "ก", Kind: account.StaffAccount, Email: "Nurse A <a@example.go.th>"}, "email"},
		{"not an e-mail", account.User{Username: "nurse", DisplayName: "ก", Kind: account.StaffAccount, Email: "a at example"}, "email"},
		{"e-mail with a line break", account.User{Username: "nurse", DisplayName: "ก", Kind: account.StaffAccount, Email: "a@example.go.th\r\nBcc: b@example.go.th"}, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.user
			err := account.ValidateUser(&u)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if u.Username != account.NormalizeUsername(tt.user.Username) || u.Lang != "th" {
					t.Errorf("not normalised: %+v", u)
				}
				return
			}
			if e := errs.As(err); err == nil || e.Code != errs.Invalid || e.Field != tt.field {
				t.Fatalf("got %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func TestPrincipalCan(t *testing.T) {
	p := &account.Principal{Permissions: map[account.Permission]bool{account.PeopleRead: true}}
	if !p.Can(account.PeopleRead) || p.Can(account.PeopleWrite) {
		t.Error("Can does not follow the permission set")
	}
	p.User.Disabled = true
	if p.Can(account.PeopleRead) {
		t.Error("a disabled user can act")
	}
	var none *account.Principal
	if none.Can(account.PeopleRead) {
		t.Error("nobody can act")
	}
}

func TestBuiltinRoles(t *testing.T) {
	codes := map[string]bool{}
	for _, r := range account.BuiltinRoles {
		if codes[r.Code] {
			t.Errorf("role %s twice", r.Code)
		}
		codes[r.Code] = true
		if r.NameTH == "" || r.NameEN == "" || (r.Kind != account.StaffAccount && r.Kind != account.FamilyAccount) {
			t.Errorf("role %s incomplete: %+v", r.Code, r)
		}
		for _, p := range r.Permissions {
			if !account.Known(p) {
				t.Errorf("role %s has unknown permission %s", r.Code, p)
			}
		}
	}
	admin, _ := account.BuiltinRole(account.RoleSystemAdmin)
	for _, p := range admin.Permissions {
		if p == account.PeopleRead || p == account.CasesRead {
			t.Errorf("system administrators see children's records by default (%s)", p)
		}
	}
	family, ok := account.BuiltinRole(account.RoleFamily)
	if !ok || family.Kind != account.FamilyAccount {
		t.Errorf("family role %+v", family)
	}
	if _, ok := account.BuiltinRole("pope"); ok {
		t.Error("unknown role found")
	}
}
