// Package people is the shared record of children and the families around
// them: identity (Thai rules: national ID, other documents, names, Buddhist-Era
// dates), households with their history, pregnancies, life stages, and the
// service records every agency adds to one timeline. It knows nothing of
// HTTP or SQL.
package people

import "time"

// Sex as registries record it. Unknown is allowed: many records lack it.
type Sex string

const (
	Male    Sex = "male"
	Female  Sex = "female"
	Unknown Sex = ""
)

// Household is people who live and eat together at one address in a
// community (ชุมชน).
type Household struct {
	ID          string
	CommunityID string // a places.Community
	Address     string
	HeadID      string // the head of the household (หัวหน้าครัวเรือน), a member
	CaregiverID string // the main caregiver of the children, a member
	// Situation is how the family lives now, as the last home visit found
	// it (สภาพความเป็นอยู่).
	Situation string
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Person is one child or adult in the record.
type Person struct {
	ID          string
	Version     int
	HouseholdID string // empty: not (yet) placed in a household
	CommunityID string // where the person lives; follows the household when there is one
	Title       string // คำนำหน้า: นาย, นาง, นางสาว, เด็กชาย, เด็กหญิง …
	GivenName   string
	FamilyName  string
	Nickname    string // ชื่อเล่น: unofficial, but what everyone calls the child
	// Latin spellings as the person writes them (passport, school roster).
	GivenNameLatin  string
	FamilyNameLatin string
	Sex             Sex
	// BirthDate is C.E. text, "YYYY-MM-DD", or "YYYY-MM" / "YYYY" when the
	// source only gives part of it (older and migrants' records); empty if unknown.
	BirthDate   string
	Nationality Nationality
	Phone       string
	Relation    Relationship // to the head of the household
	// NationalID is the 13-digit ID when the person has one; other documents
	// are in Identifiers.
	NationalID  string
	Identifiers []Identifier
	// FromPregnancyID links a child to the pregnancy it was born of, so that
	// its antenatal history stays on its timeline.
	FromPregnancyID string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// FullName is the name as Thai documents write it: title, given, family.
func (p Person) FullName() string {
	s := p.Title + p.GivenName
	if p.FamilyName != "" {
		s += " " + p.FamilyName
	}
	return s
}

// LatinName is the Latin spelling, if any.
func (p Person) LatinName() string {
	if p.FamilyNameLatin == "" {
		return p.GivenNameLatin
	}
	return p.GivenNameLatin + " " + p.FamilyNameLatin
}

// Nationality and legal status, as far as they matter for services: many
// children here are stateless or migrants, and entitled to different help.
type Nationality string

const (
	NationalityUnknown Nationality = ""
	Thai               Nationality = "thai"
	Myanmar            Nationality = "myanmar"
	Lao                Nationality = "lao"
	Cambodian          Nationality = "cambodian"
	OtherNationality   Nationality = "other"
	Stateless          Nationality = "stateless"
	StatusUndocumented Nationality = "undocumented" // no document yet; status not determined
)

// Nationalities lists the choices, in the order forms offer them.
var Nationalities = []Nationality{Thai, Myanmar, Lao, Cambodian, OtherNationality, Stateless, StatusUndocumented}

// Relationship is how a member relates to the head of the household.
type Relationship string

const (
	RelHead         Relationship = "head"
	RelSpouse       Relationship = "spouse"
	RelMother       Relationship = "mother"
	RelFather       Relationship = "father"
	RelGrandparent  Relationship = "grandparent"
	RelChild        Relationship = "child"
	RelGrandchild   Relationship = "grandchild"
	RelSibling      Relationship = "sibling"
	RelRelative     Relationship = "relative"
	RelGuardian     Relationship = "guardian"
	RelFosterParent Relationship = "foster_parent"
	RelFosterChild  Relationship = "foster_child"
	RelOther        Relationship = "other"
)

// Relationships lists the choices, in the order forms offer them.
var Relationships = []Relationship{RelHead, RelSpouse, RelMother, RelFather, RelGrandparent, RelChild,
	RelGrandchild, RelSibling, RelRelative, RelGuardian, RelFosterParent, RelFosterChild, RelOther}

// Membership is one stay of a person in a household. A move ends one
// membership and starts another, so the history is kept.
type Membership struct {
	ID           string
	HouseholdID  string
	PersonID     string
	Relationship Relationship
	StartedOn    string // C.E. date
	EndedOn      string // empty while current
}
