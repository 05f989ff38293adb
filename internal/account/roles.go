package account

// AccountKind separates staff of service units from families, who later sign
// in to see their own record and assess themselves.
type AccountKind string

const (
	StaffAccount  AccountKind = "staff"
	FamilyAccount AccountKind = "family"
	// ServiceAccount is an agency's system, not a person: it belongs to
	// exactly one organisation with one staff role, signs in only with
	// bearer tokens (it has no password) and sees what a person of that
	// role and organisation would see.
	ServiceAccount AccountKind = "service"
)

// Role is a named set of permissions. Built-in roles are seeded at migration
// and kept in step with this list; administrators may add more.
type Role struct {
	Code        string
	NameTH      string
	NameEN      string
	Kind        AccountKind
	Permissions []Permission
}

// Name returns the role's name in lang ("th" or "en").
func (r Role) Name(lang string) string {
	if lang == "en" {
		return r.NameEN
	}
	return r.NameTH
}

// Built-in role codes.
const (
	RoleSystemAdmin        = "system_admin"
	RoleOrganisationAdmin  = "organisation_admin"
	RoleCaseManager        = "case_manager"
	RoleHealthStaff        = "health_staff"
	RoleChildcareTeacher   = "childcare_teacher"
	RoleSchoolTeacher      = "school_teacher"
	RoleCommunityVolunteer = "community_volunteer"
	RoleCommitteeMember    = "committee_member"
	RoleExecutive          = "executive"
	RoleDataOfficer        = "data_officer"
	RoleFamily             = "family"
	RoleSupervisor         = "supervisor"
	RoleCommitteeSecretary = "committee_secretary"
	RoleDataProtection     = "data_protection_officer"
)

var frontline = []Permission{PlacesRead, OrganisationsRead, PeopleRead, PeopleWrite, AssessmentsRead, AssessmentsWrite, CasesRead, ReferralsManage, AlertsRead}

// BuiltinRoles are the roles every installation starts with. System
// administrators run the platform but do not see children's records by
// default: access to personal data comes from care work, not from rank.
var BuiltinRoles = []Role{
	{RoleSystemAdmin, "ผู้ดูแลระบบ", "System administrator", StaffAccount,
		[]Permission{PlacesRead, PlacesManage, OrganisationsRead, OrganisationsManage, UsersRead, UsersManage, AuditRead, MetricsRead, ReportsAggregate,
			InstrumentsPublish, DirectoryManage}},
	{RoleOrganisationAdmin, "ผู้ดูแลหน่วยงาน", "Organisation administrator", StaffAccount,
		[]Permission{PlacesRead, OrganisationsRead, OrganisationsManage, UsersRead, UsersManage, DirectoryManage}},
	{RoleCaseManager, "ผู้จัดการรายกรณี / นักสังคมสงเคราะห์", "Case manager / social worker", StaffAccount,
		append(append([]Permission{}, frontline...), CasesManage, SensitiveHealth, SensitiveSafety, GuidesWrite)},
	{RoleHealthStaff, "เจ้าหน้าที่ศูนย์บริการสาธารณสุข", "Health-centre staff", StaffAccount,
		append(append([]Permission{}, frontline...), SensitiveHealth)},
	{RoleChildcareTeacher, "ครูศูนย์พัฒนาเด็กก่อนวัยเรียน", "Child-care teacher", StaffAccount, frontline},
	{RoleSchoolTeacher, "ครูโรงเรียน", "School teacher", StaffAccount, frontline},
	{RoleCommunityVolunteer, "อาสาสมัครชุมชน", "Community volunteer", StaffAccount,
		[]Permission{PlacesRead, OrganisationsRead, PeopleRead, AssessmentsRead, AssessmentsWrite, AlertsRead}},
	{RoleCommitteeMember, "กรรมการ (ข้อมูลภาพรวม)", "Committee member (aggregates only)", StaffAccount,
		[]Permission{PlacesRead, OrganisationsRead, ReportsAggregate}},
	{RoleExecutive, "ผู้บริหาร (ข้อมูลภาพรวม)", "Executive (aggregates only)", StaffAccount,
		[]Permission{PlacesRead, OrganisationsRead, ReportsAggregate}},
	{RoleDataOfficer, "เจ้าหน้าที่ข้อมูล (นำเข้าข้อมูล)", "Data officer (imports)", StaffAccount,
		[]Permission{PlacesRead, OrganisationsRead, PeopleRead, ImportsRun, ExportsRun, LinkageReview}},
	{RoleFamily, "ครอบครัว / ผู้ปกครอง", "Family / guardian", FamilyAccount,
		[]Permission{SelfRead, SelfAssess}},
	// The supervisor of a service unit receives its alerts that nobody
	// acknowledged by their deadline (the first step of escalation).
	{RoleSupervisor, "หัวหน้าหน่วยงาน", "Supervisor", StaffAccount,
		append(append([]Permission{}, frontline...), CasesManage, AlertsSupervise, SensitiveHealth, SensitiveSafety, ExportsRun, DirectoryManage, GuidesWrite)},
	// The committee secretary receives what is still unacknowledged after
	// the supervisor's deadline (the second step). The secretary of a
	// district child-protection committee is usually the district's
	// social-welfare director, who may see the child concerned.
	{RoleCommitteeSecretary, "เลขานุการคณะกรรมการ", "Committee secretary", StaffAccount,
		[]Permission{PlacesRead, OrganisationsRead, ReportsAggregate, PeopleRead, AssessmentsRead, AlertsRead, AlertsSupervise}},
	// The data-protection officer (PDPA s.41) oversees access, not care:
	// who opened which record and why, without the records themselves.
	{RoleDataProtection, "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO)", "Data-protection officer", StaffAccount,
		[]Permission{PlacesRead, OrganisationsRead, UsersRead, AuditRead, PrivacyOversee}},
}

// BuiltinRole returns the built-in role with the given code.
func BuiltinRole(code string) (Role, bool) {
	for _, r := range BuiltinRoles {
		if r.Code == code {
			return r, true
		}
	}
	return Role{}, false
}
