package store_test

import (
	"testing"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func TestSaveUserWithMemberships(t *testing.T) {
	db := storetest.Open(t)
	hc, school := newOrg(t, db, "HC-1"), newOrg(t, db, "SCH-1")
	u, err := db.SaveUser(ctx, account.User{
		Username: " Nurse.A ", DisplayName: " พยาบาล ก ", Kind: account.StaffAccount, PasswordHash: "$argon2id$x", Lang: "en",
		Memberships: []account.Membership{
			{OrganisationID: school.ID, RoleCode: account.RoleSchoolTeacher},
			{OrganisationID: hc.ID, RoleCode: account.RoleCaseManager},
			{OrganisationID: hc.ID, RoleCode: account.RoleHealthStaff},
		},
	}, actor())
	if err != nil {
		t.Fatalf("SaveUser: %v", err)
	}
	if u.ID == "" || u.Username != "nurse.a" || u.DisplayName != "พยาบาล ก" || u.Version != 1 || u.Lang != "en" || u.Disabled {
		t.Errorf("saved %+v", u)
	}
	if len(u.Memberships) != 3 {
		t.Fatalf("memberships %+v, want 3", u.Memberships)
	}
	// Ordered by organisation code, then role.
	want := []struct{ code, role string }{{"HC-1", account.RoleCaseManager}, {"HC-1", account.RoleHealthStaff}, {"SCH-1", account.RoleSchoolTeacher}}
	for i, m := range u.Memberships {
		if m.OrganisationCode != want[i].code || m.RoleCode != want[i].role || m.OrganisationName == "" {
			t.Errorf("membership %d = %+v, want %s/%s", i, m, want[i].code, want[i].role)
		}
	}
	byName, err := db.GetUserByUsername(ctx, "NURSE.A")
	if err != nil || byName.ID != u.ID || len(byName.Memberships) != 3 {
		t.Errorf("GetUserByUsername = %+v, %v", byName, err)
	}
	perms, err := db.Permissions(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Union: cases:manage comes from case_manager only; nobody here manages users.
	if !perms[account.CasesManage] || !perms[account.PeopleWrite] || perms[account.UsersManage] || perms[account.AuditRead] {
		t.Errorf("permissions = %v", perms)
	}
	if n := auditCount(t, db, audit.UserCreated, u.ID); n != 1 {
		t.Errorf("%d user.created rows, want 1", n)
	}

	// Updating replaces the memberships.
	u.Memberships = []account.Membership{{OrganisationID: hc.ID, RoleCode: account.RoleHealthStaff}}
	u.DisplayName = "พยาบาล ข"
	u2, err := db.SaveUser(ctx, u, actor())
	if err != nil {
		t.Fatal(err)
	}
	if u2.Version != 2 || u2.DisplayName != "พยาบาล ข" || len(u2.Memberships) != 1 || u2.PasswordHash != u.PasswordHash {
		t.Errorf("after update %+v", u2)
	}
	if perms, _ := db.Permissions(ctx, u.ID); perms[account.CasesManage] {
		t.Error("cases:manage kept after the case-manager membership was removed")
	}
	_, err = db.SaveUser(ctx, u, actor()) // u.Version is now stale
	wantErr(t, err, errs.Stale, "", "error.stale")
}

func TestSaveUserRefusals(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "HC-1")
	newUser(t, db, "taken")
	tests := []struct {
		name    string
		user    account.User
		code    errs.Code
		field   string
		message string
	}{
		{"staff with a family role", account.User{Username: "user1", DisplayName: "x", Kind: account.StaffAccount,
			Memberships: []account.Membership{{OrganisationID: org.ID, RoleCode: account.RoleFamily}}}, errs.Invalid, "role", "user.role_kind"},
		{"family with a staff role", account.User{Username: "user2", DisplayName: "x", Kind: account.FamilyAccount,
			Memberships: []account.Membership{{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff}}}, errs.Invalid, "role", "user.role_kind"},
		{"unknown role", account.User{Username: "user3", DisplayName: "x", Kind: account.StaffAccount,
			Memberships: []account.Membership{{OrganisationID: org.ID, RoleCode: "pope"}}}, errs.Invalid, "role", "user.role_unknown"},
		{"unknown organisation", account.User{Username: "user4", DisplayName: "x", Kind: account.StaffAccount,
			Memberships: []account.Membership{{OrganisationID: "nowhere", RoleCode: account.RoleHealthStaff}}}, errs.Invalid, "organisation", ""},
		{"no password hash", account.User{Username: "user5", DisplayName: "x", Kind: account.StaffAccount}, errs.Invalid, "password", "field.required"},
		{"bad username", account.User{Username: "a b", DisplayName: "x", Kind: account.StaffAccount}, errs.Invalid, "username", "user.username_format"},
		{"taken username, other case", account.User{Username: "TAKEN", DisplayName: "x", Kind: account.StaffAccount}, errs.Conflict, "username", "error.duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.user
			if u.PasswordHash == "" && tt.field != "password" {
				u.PasswordHash = "$argon2id$x"
			}
			_, err := db.SaveUser(ctx, u, actor())
			wantErr(t, err, tt.code, tt.field, tt.message)
		})
	}
	if n, err := db.CountUsers(ctx); err != nil || n != 1 {
		t.Errorf("CountUsers = %d, %v; want only the first user", n, err)
	}
}

func TestDisablingUserEndsSessions(t *testing.T) {
	db := storetest.Open(t)
	u := newUser(t, db, "nurse")
	other := newUser(t, db, "other")
	var hashes []string
	for range 2 {
		tok, err := db.CreateSession(ctx, u.ID, actor())
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, account.HashSecret(tok))
	}
	if _, err := db.CreateSession(ctx, other.ID, actor()); err != nil {
		t.Fatal(err)
	}
	u.Disabled = true
	saved, err := db.SaveUser(ctx, u, actor())
	if err != nil {
		t.Fatal(err)
	}
	if !saved.Disabled {
		t.Error("user not stored as disabled")
	}
	if n, _ := db.CountSessions(ctx, u.ID); n != 0 {
		t.Errorf("%d sessions left after disabling", n)
	}
	for _, h := range hashes {
		_, err := db.GetSession(ctx, h)
		wantErr(t, err, errs.Unauthenticated, "", "auth.session_expired")
	}
	if n, _ := db.CountSessions(ctx, other.ID); n != 1 {
		t.Errorf("another user's sessions: %d, want 1", n)
	}
	if n := auditCount(t, db, audit.UserDisabled, u.ID); n != 1 {
		t.Errorf("%d user.disabled rows, want 1", n)
	}
}

func TestSetPasswordKeepsOnlyGivenSession(t *testing.T) {
	db := storetest.Open(t)
	u := newUser(t, db, "nurse")
	var hashes []string
	for range 3 {
		tok, err := db.CreateSession(ctx, u.ID, actor())
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, account.HashSecret(tok))
	}
	if err := db.SetPassword(ctx, u.ID, "$argon2id$new", hashes[1], actor()); err != nil {
		t.Fatal(err)
	}
	if s, err := db.GetSession(ctx, hashes[1]); err != nil || s.UserID != u.ID {
		t.Errorf("the kept session: %+v, %v", s, err)
	}
	for _, h := range []string{hashes[0], hashes[2]} {
		_, err := db.GetSession(ctx, h)
		wantErr(t, err, errs.Unauthenticated, "", "")
	}
	got, err := db.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.PasswordHash != "$argon2id$new" || got.Version != u.Version+1 {
		t.Errorf("after SetPassword: hash %q, version %d", got.PasswordHash, got.Version)
	}
	if n := auditCount(t, db, audit.PasswordChanged, u.ID); n != 1 {
		t.Errorf("%d password_changed rows, want 1", n)
	}
	// Without a session to keep, all go.
	if err := db.SetPassword(ctx, u.ID, "$argon2id$newer", "", actor()); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.CountSessions(ctx, u.ID); n != 0 {
		t.Errorf("%d sessions left, want 0", n)
	}
	err = db.SetPassword(ctx, "no-such-user", "$argon2id$x", "", actor())
	wantErr(t, err, errs.NotFound, "", "user.not_found")
}

func TestListUsersScoping(t *testing.T) {
	db := storetest.Open(t)
	a, b := newOrg(t, db, "ORG-A"), newOrg(t, db, "ORG-B")
	newUser(t, db, "anna", account.Membership{OrganisationID: a.ID, RoleCode: account.RoleHealthStaff})
	newUser(t, db, "boonmee", account.Membership{OrganisationID: b.ID, RoleCode: account.RoleHealthStaff})
	newUser(t, db, "chai", account.Membership{OrganisationID: a.ID, RoleCode: account.RoleHealthStaff},
		account.Membership{OrganisationID: b.ID, RoleCode: account.RoleCaseManager})
	names := func(f store.UserFilter) []string {
		t.Helper()
		us, err := db.ListUsers(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.Username)
		}
		return out
	}
	tests := []struct {
		name   string
		filter store.UserFilter
		want   string
	}{
		{"all", store.UserFilter{}, "anna boonmee chai"},
		{"no organisations means nobody", store.UserFilter{OrganisationIDs: []string{}}, ""},
		{"organisation A", store.UserFilter{OrganisationIDs: []string{a.ID}}, "anna chai"},
		{"both organisations, no duplicates", store.UserFilter{OrganisationIDs: []string{a.ID, b.ID}}, "anna boonmee chai"},
		{"search", store.UserFilter{Search: "BOON"}, "boonmee"},
		{"search within scope", store.UserFilter{OrganisationIDs: []string{a.ID}, Search: "boon"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for i, n := range names(tt.filter) {
				if i > 0 {
					got += " "
				}
				got += n
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	us, _ := db.ListUsers(ctx, store.UserFilter{Search: "chai"})
	if len(us) != 1 || len(us[0].Memberships) != 2 {
		t.Errorf("ListUsers does not fill memberships: %+v", us)
	}
}

// Search ignores case the same way on SQLite and PostgreSQL.
func TestListUsersSearchIgnoresCase(t *testing.T) {
	db := storetest.Open(t)
	if _, err := db.SaveUser(ctx, account.User{Username: "nurse.1", DisplayName: "Somchai Jaidee (สมชาย)", Kind: account.StaffAccount,
		PasswordHash: "$argon2id$x"}, actor()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"somchai", "JAIDEE", "สมชาย", "NURSE.1"} {
		us, err := db.ListUsers(ctx, store.UserFilter{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(us) != 1 {
			t.Errorf("search %q found %d users, want 1", q, len(us))
		}
	}
}
