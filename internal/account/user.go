package account

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/errs"
)

// User is a person who signs in: staff of a service unit, or a family member.
type User struct {
	ID           string
	Username     string
	DisplayName  string
	Kind         AccountKind
	PasswordHash string
	Disabled     bool
	Lang         string // preferred UI language, "th" or "en"
	Email        string // optional; where e-mail notifications go
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Memberships  []Membership
}

// Membership places a user in an organisation with a role.
type Membership struct {
	OrganisationID     string
	OrganisationCode   string
	OrganisationName   string // Thai name
	OrganisationNameEN string
	RoleCode           string
}

// OrgName returns the organisation's name in lang.
func (m Membership) OrgName(lang string) string {
	if lang == "en" && m.OrganisationNameEN != "" {
		return m.OrganisationNameEN
	}
	return m.OrganisationName
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// NormalizeUsername lowers and trims, so that "Nurse.A " and "nurse.a" are one user.
func NormalizeUsername(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// ValidateUser checks the fields an administrator types.
func ValidateUser(u *User) error {
	u.Username = NormalizeUsername(u.Username)
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	if !usernamePattern.MatchString(u.Username) {
		return errs.Field("username", "user.username_format", nil)
	}
	if u.DisplayName == "" {
		return errs.Field("display_name", "field.required", nil)
	}
	if utf8.RuneCountInString(u.DisplayName) > 200 {
		return errs.Field("display_name", "field.too_long", map[string]any{"Max": 200})
	}
	if err := validateEmail(&u.Email); err != nil {
		return err
	}
	if u.Kind != StaffAccount && u.Kind != FamilyAccount {
		return errs.Field("kind", "field.choice", nil)
	}
	if u.Lang != "th" && u.Lang != "en" {
		u.Lang = "th"
	}
	return nil
}

// Principal is who is acting in a request: the user and what their roles allow.
type Principal struct {
	User        User
	Permissions map[Permission]bool
	SessionID   string // hash of the session token; empty for API tokens
	TokenID     string // the API token's ID; empty for sessions
}

// Can reports whether the principal holds permission p. Deny unless allowed.
func (p *Principal) Can(perm Permission) bool {
	return p != nil && !p.User.Disabled && p.Permissions[perm]
}

// OrganisationIDs lists the organisations the principal works in.
func (p *Principal) OrganisationIDs() []string {
	ids := make([]string, 0, len(p.User.Memberships))
	for _, m := range p.User.Memberships {
		ids = append(ids, m.OrganisationID)
	}
	return ids
}

// Global reports whether the principal administers the whole installation
// rather than their own organisations (the system administrator role).
func (p *Principal) Global() bool {
	if p == nil || p.User.Disabled {
		return false
	}
	for _, m := range p.User.Memberships {
		if m.RoleCode == RoleSystemAdmin {
			return true
		}
	}
	return false
}

// InOrganisation reports whether the principal is a member of organisation id.
func (p *Principal) InOrganisation(id string) bool {
	for _, m := range p.User.Memberships {
		if m.OrganisationID == id {
			return true
		}
	}
	return false
}

// ManagesOrganisation reports whether the principal may change organisation
// id and its users: system administrators everywhere, organisation
// administrators in their own organisations.
func (p *Principal) ManagesOrganisation(id string, perm Permission) bool {
	return p.Can(perm) && (p.Global() || p.InOrganisation(id))
}

// SeesSensitive reports whether the principal may read content of a PDPA
// sensitive category ("health", "safety").
func (p *Principal) SeesSensitive(category string) bool {
	return category != "" && p.Can(Permission("sensitive:"+category))
}

// validateEmail accepts an empty address (no e-mail notifications) or one
// bare address: no display name, because the address is all a mail needs
// and a name would be personal data sent along with it.
func validateEmail(email *string) error {
	*email = strings.TrimSpace(*email)
	if *email == "" {
		return nil
	}
	a, err := mail.ParseAddress(*email)
	if err != nil || a.Name != "" || a.Address != *email || len(*email) > 254 || strings.ContainsAny(*email, "\r\n") {
		return errs.Field("email", "user.email_format", nil)
	}
	return nil
}
