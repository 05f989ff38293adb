// Package people holds the household and person records at their simplest:
// who lives together in which community, with the names, sex, birth date and
// relation that registries and surveys give. The life-course record (health,
// schooling, identifiers, consent) grows from these.
package people

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
}

// Person is one member of a household.
type Person struct {
	ID          string
	HouseholdID string // empty: not (yet) placed in a household
	Title       string // คำนำหน้า: นาย, นาง, นางสาว, เด็กชาย, เด็กหญิง …
	GivenName   string
	FamilyName  string
	Nickname    string // ชื่อเล่น: unofficial, but what everyone calls the child
	Sex         Sex
	// BirthDate is C.E. text, "YYYY-MM-DD", or "YYYY-MM" / "YYYY" when the
	// source only gives part of it (older and migrants' records); empty if unknown.
	BirthDate string
	Relation  string // to the head of the household: หัวหน้าครัวเรือน, คู่สมรส, บุตร, หลาน …
}
