package account

import (
	"slices"
	"testing"
)

// TestAdministeredOrganisations: an organisation's service accounts are
// managed by whoever holds a role granting the permission in *that*
// organisation — not by someone who administers another unit and holds a
// lesser role here — and by a system administrator everywhere.
func TestAdministeredOrganisations(t *testing.T) {
	roles := []Role{
		{Code: RoleOrganisationAdmin, Kind: StaffAccount, Permissions: []Permission{UsersManage, UsersRead}},
		{Code: RoleSystemAdmin, Kind: StaffAccount, Permissions: []Permission{UsersManage}},
		{Code: RoleHealthStaff, Kind: StaffAccount, Permissions: []Permission{PeopleRead}},
	}
	principal := func(ms ...Membership) *Principal {
		p := &Principal{User: User{Memberships: ms}, Permissions: map[Permission]bool{}}
		for _, m := range ms {
			for _, r := range roles {
				if r.Code == m.RoleCode {
					for _, x := range r.Permissions {
						p.Permissions[x] = true
					}
				}
			}
		}
		return p
	}
	mixed := principal(Membership{OrganisationID: "A", RoleCode: RoleOrganisationAdmin}, Membership{OrganisationID: "B", RoleCode: RoleHealthStaff})
	if all, ids := AdministeredOrganisations(mixed, roles, UsersManage); all || !slices.Equal(ids, []string{"A"}) {
		t.Errorf("admin of A, staff of B: all=%v %v, want only A", all, ids)
	}
	if !mixed.ManagesOrganisation("B", UsersManage) {
		t.Error("the looser merged-permission check no longer lets B through: this test no longer shows the difference")
	}
	if all, ids := AdministeredOrganisations(principal(Membership{OrganisationID: "B", RoleCode: RoleHealthStaff}), roles, UsersManage); all || ids != nil {
		t.Errorf("staff only: all=%v %v", all, ids)
	}
	if all, _ := AdministeredOrganisations(principal(Membership{OrganisationID: "C", RoleCode: RoleSystemAdmin}), roles, UsersManage); !all {
		t.Error("a system administrator does not manage every organisation's accounts")
	}
	disabled := principal(Membership{OrganisationID: "A", RoleCode: RoleOrganisationAdmin})
	disabled.User.Disabled = true
	if all, ids := AdministeredOrganisations(disabled, roles, UsersManage); all || ids != nil {
		t.Errorf("a disabled administrator: all=%v %v", all, ids)
	}
}
