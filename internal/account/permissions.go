// Package account holds users, their roles and permissions, and the rules of
// passwords, sessions and API tokens. It knows nothing of HTTP or SQL.
package account

// Permission names one thing a role may do, as "object:verb". The catalogue
// is data: roles in the database list permissions by these names, and the
// code checks them with Principal.Can.
type Permission string

const (
	PlacesRead          Permission = "places:read"
	PlacesManage        Permission = "places:manage"
	OrganisationsRead   Permission = "organisations:read"
	OrganisationsManage Permission = "organisations:manage"
	UsersRead           Permission = "users:read"
	UsersManage         Permission = "users:manage"
	PeopleRead          Permission = "people:read"
	PeopleWrite         Permission = "people:write"
	AssessmentsRead     Permission = "assessments:read"
	AssessmentsWrite    Permission = "assessments:write"
	CasesRead           Permission = "cases:read"
	CasesManage         Permission = "cases:manage"
	ReferralsManage     Permission = "referrals:manage"
	ImportsRun          Permission = "imports:run"
	// ExportsRun: export lists and FHIR bundles of the people of an area
	// one's organisations serve (see internal/exports).
	ExportsRun       Permission = "exports:run"
	ReportsAggregate Permission = "reports:aggregate"
	AuditRead        Permission = "audit:read"
	MetricsRead      Permission = "metrics:read"
	SensitiveHealth  Permission = "sensitive:health" // health conditions, disability, HIV (PDPA s.26)
	SensitiveSafety  Permission = "sensitive:safety" // violence, abuse and neglect notes
	SelfRead         Permission = "self:read"
	SelfAssess       Permission = "self:assess"
	// AlertsRead: see and act on the early-warning alerts sent to one's
	// organisation.
	AlertsRead Permission = "alerts:read"
	// AlertsSupervise: receive the alerts of one's organisation that nobody
	// acknowledged in time, and, in a committee, those escalated to it.
	AlertsSupervise Permission = "alerts:supervise"
	// InstrumentsPublish: publish a new version of an assessment instrument.
	InstrumentsPublish Permission = "instruments:publish"
	// PrivacyOversee: the data-protection officer's view — who opened a
	// record, break-the-glass grants, data-subject requests.
	PrivacyOversee Permission = "privacy:oversee"
	// DirectoryManage: keep one's own organisation's entries of the
	// service directory (a global administrator: any organisation's).
	DirectoryManage Permission = "directory:manage"
	// GuidesWrite: write a new version of a practice guide.
	GuidesWrite Permission = "guides:write"
	// LinkageReview: the record-linkage review queue — see both people of
	// a possible pair, link (merge) or separate them, undo a merge.
	LinkageReview Permission = "linkage:review"
)

// Catalogue lists every permission, in the order shown to administrators.
var Catalogue = []Permission{
	PlacesRead, PlacesManage, OrganisationsRead, OrganisationsManage, UsersRead, UsersManage,
	PeopleRead, PeopleWrite, AssessmentsRead, AssessmentsWrite, CasesRead, CasesManage,
	ReferralsManage, ImportsRun, ReportsAggregate, AuditRead, MetricsRead, SensitiveHealth, SensitiveSafety, SelfRead, SelfAssess,
	AlertsRead, AlertsSupervise, InstrumentsPublish, PrivacyOversee, ExportsRun,
	DirectoryManage, GuidesWrite,
	LinkageReview,
}

// Known reports whether p is in the catalogue.
func Known(p Permission) bool {
	for _, q := range Catalogue {
		if q == p {
			return true
		}
	}
	return false
}
