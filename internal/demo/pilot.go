package demo

import (
	"termtem/internal/account"
	"termtem/internal/organisations"
)

// The Lat Krabang pilot as Load creates it. Community and organisation names
// follow the pilot's public reports (ศูนย์บริการสาธารณสุข 45 ร่มเกล้า,
// ชุมชนฟื้นนครร่มเกล้า, โรงเรียนเคหะชุมชนร่มเกล้า …) but the records are
// synthetic. Every English name ends in demoMarker, which is how Load tells
// its own records from real ones that happen to share a code.

const demoMarker = " (demo)"

// Sub-districts (แขวง) of Lat Krabang used by the demo.
const (
	subLatKrabang      = "101101" // ลาดกระบัง
	subKhlongSamPrawet = "101103" // คลองสามประเวศ, where Rom Klao is
	subLamPlaThio      = "101104" // ลำปลาทิว
	districtLatKrabang = "1011"
	provinceBangkok    = "10"
)

type demoCommunity struct {
	code, th, en string
	households   int
	streets      []string
}

// communities: most in Khlong Sam Prawet around Rom Klao (community zone
// 10), two elsewhere in the district for comparison. 40 households.
var communities = []demoCommunity{
	{subKhlongSamPrawet + "-C01", "ชุมชนเคหะร่มเกล้า", "Kheha Rom Klao Community", 10,
		[]string{"ถนนเคหะร่มเกล้า", "ซอยเคหะร่มเกล้า 27", "ซอยเคหะร่มเกล้า 29"}},
	{subKhlongSamPrawet + "-C02", "ชุมชนฟื้นนครร่มเกล้า", "Fuen Nakhon Rom Klao Community", 9,
		[]string{"ถนนร่มเกล้า", "ซอยร่มเกล้า 24"}},
	{subKhlongSamPrawet + "-C03", "ชุมชนร่มเกล้าพัฒนา", "Rom Klao Phatthana Community", 7,
		[]string{"ซอยร่มเกล้า 19", "ซอยร่มเกล้า 21"}},
	{subKhlongSamPrawet + "-C04", "ชุมชนบ้านเอื้ออาทรร่มเกล้า", "Baan Eua Arthorn Rom Klao Community", 6,
		[]string{"ถนนร่มเกล้า", "ซอยร่มเกล้า 52"}},
	{subLatKrabang + "-C01", "ชุมชนตลาดหัวตะเข้", "Hua Takhe Market Community", 4,
		[]string{"ถนนลาดกระบัง", "ซอยลาดกระบัง 17"}},
	{subLamPlaThio + "-C01", "ชุมชนริมคลองลำปลาทิว", "Khlong Lam Pla Thio Canal-side Community", 4,
		[]string{"ถนนคุ้มเกล้า", "ซอยคุ้มเกล้า 15"}},
}

type demoOrganisation struct {
	code       string
	kind       organisations.Kind
	th, en     string
	placeCode  string
	parentCode string // stored before this one
}

// organisationsList is in creation order: parents first.
var organisationsList = []demoOrganisation{
	{"LKB-DSW", organisations.DistrictSocialWelfare,
		"ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม สำนักงานเขตลาดกระบัง",
		"Community Development and Social Welfare Section, Lat Krabang District Office", districtLatKrabang, ""},
	{"LKB-HC45", organisations.HealthCentre,
		"ศูนย์บริการสาธารณสุข 45 ร่มเกล้า", "Public Health Centre 45 Rom Klao", subKhlongSamPrawet, ""},
	// Community child-care centres are run by the community and supervised
	// by the district's community-development section.
	{"LKB-CDC-FNRK", organisations.ChildcareCentre,
		"ศูนย์พัฒนาเด็กก่อนวัยเรียนชุมชนฟื้นนครร่มเกล้า", "Fuen Nakhon Rom Klao Community Child Development Centre",
		subKhlongSamPrawet + "-C02", "LKB-DSW"},
	{"LKB-SCH-KRK", organisations.School,
		"โรงเรียนเคหะชุมชนร่มเกล้า", "Kheha Chumchon Rom Klao School (BMA)", subKhlongSamPrawet, ""},
	{"LKB-SCH-SPR", organisations.School,
		"โรงเรียนสมโภชรัตนโกสินทร์ลาดกระบัง", "Somphot Rattanakosin Lat Krabang School (BMA)", districtLatKrabang, ""},
	{"LKB-QOL", organisations.DistrictQualityOfLife,
		"คณะกรรมการพัฒนาคุณภาพชีวิตระดับเขต (พชข.) ลาดกระบัง", "Lat Krabang District Quality of Life Development Committee", districtLatKrabang, ""},
	{"BKK-CPC", organisations.BangkokChildProtection,
		"คณะกรรมการคุ้มครองเด็กกรุงเทพมหานคร", "Bangkok Child Protection Committee", provinceBangkok, ""},
	{"LKB-CPC", organisations.DistrictChildProtection,
		"คณะอนุกรรมการคุ้มครองเด็กเขตลาดกระบัง", "Lat Krabang District Child Protection Sub-committee", districtLatKrabang, "BKK-CPC"},
	// A fictional foundation, so that referrals to an NGO can be shown.
	{"LKB-NGO-TR", organisations.NGO,
		"มูลนิธิเติมรักเด็กร่มเกล้า (สมมติ)", "Termrak Rom Klao Children Foundation, fictional", subKhlongSamPrawet, ""},
}

type demoUser struct {
	username, displayName, orgCode string
}

// usersByRole gives each built-in role a user in the organisation where
// that role works. Display names are fictional people.
var usersByRole = map[string]demoUser{
	account.RoleSystemAdmin:        {"demo.admin", "ผู้ดูแลระบบ (ตัวอย่าง)", "LKB-DSW"},
	account.RoleOrganisationAdmin:  {"demo.orgadmin", "จิราพร ศรีวงศ์ (ตัวอย่าง)", "LKB-HC45"},
	account.RoleCaseManager:        {"demo.socialworker", "ปวีณา ทองดี (ตัวอย่าง)", "LKB-DSW"},
	account.RoleHealthStaff:        {"demo.nurse", "สุภาพร ใจดี (ตัวอย่าง)", "LKB-HC45"},
	account.RoleChildcareTeacher:   {"demo.childcare", "วันเพ็ญ แสงทอง (ตัวอย่าง)", "LKB-CDC-FNRK"},
	account.RoleSchoolTeacher:      {"demo.teacher", "ณัฐพล บุญมา (ตัวอย่าง)", "LKB-SCH-KRK"},
	account.RoleCommunityVolunteer: {"demo.volunteer", "ลำดวน มีสุข (ตัวอย่าง)", "LKB-HC45"},
	account.RoleCommitteeMember:    {"demo.committee", "ประเสริฐ สมบูรณ์ (ตัวอย่าง)", "LKB-QOL"},
	account.RoleExecutive:          {"demo.executive", "วิชัย รุ่งเรือง (ตัวอย่าง)", "BKK-CPC"},
	account.RoleDataOfficer:        {"demo.dataofficer", "ธนากร แก้วมณี (ตัวอย่าง)", "LKB-HC45"},
	account.RoleFamily:             {"demo.family", "สมศรี พึ่งบุญ (ตัวอย่าง)", "LKB-CDC-FNRK"},
	account.RoleSupervisor:         {"demo.supervisor", "สมพร วงศ์สวัสดิ์ (ตัวอย่าง)", "LKB-DSW"},
	account.RoleCommitteeSecretary: {"demo.secretary", "อรุณี ศักดิ์ดี (ตัวอย่าง)", "LKB-CPC"},
	account.RoleDataProtection:     {"demo.dpo", "กมล ปกป้อง (ตัวอย่าง)", "BKK-CPC"},
}

// Seed is the generator seed of the demo households: Lat Krabang's code.
const Seed int64 = 1011
