package account

import "termtem/internal/errs"

// ServiceRoleAllowed reports whether a service account may hold role: any
// staff role except the administrators', so that a leaked token can never
// create users, issue more tokens or change the installation.
func ServiceRoleAllowed(r Role) bool {
	return r.Kind == StaffAccount && r.Code != RoleSystemAdmin && r.Code != RoleOrganisationAdmin
}

// ValidateServiceAccount checks a new service account: a username and name
// as for people, exactly one organisation and role.
func ValidateServiceAccount(u *User) error {
	u.Kind = StaffAccount // the name and username rules of staff
	err := ValidateUser(u)
	u.Kind = ServiceAccount
	if err != nil {
		return err
	}
	if len(u.Memberships) != 1 || u.Memberships[0].OrganisationID == "" {
		return errs.Field("organisation_id", "service_account.one_organisation", nil)
	}
	if u.Memberships[0].RoleCode == "" {
		return errs.Field("role", "field.required", nil)
	}
	return nil
}

// AdministeredOrganisations tells which organisations' service accounts p
// may manage: every one for a system administrator (all true), otherwise
// those where p's own role there grants perm. Asking the role of each
// membership, not p's permissions merged across them, keeps someone who
// administers unit A and is a nurse in unit B out of B's accounts.
func AdministeredOrganisations(p *Principal, roles []Role, perm Permission) (all bool, ids []string) {
	if !p.Can(perm) {
		return false, nil
	}
	if p.Global() {
		return true, nil
	}
	grants := map[string]bool{}
	for _, r := range roles {
		for _, x := range r.Permissions {
			if x == perm {
				grants[r.Code] = true
			}
		}
	}
	for _, m := range p.User.Memberships {
		if grants[m.RoleCode] {
			ids = append(ids, m.OrganisationID)
		}
	}
	return false, ids
}
