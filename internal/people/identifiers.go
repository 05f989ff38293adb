package people

import (
	"regexp"
	"strings"

	"termtem/internal/errs"
	"termtem/internal/thai"
)

// IdentifierKind is a kind of document number. Many vulnerable children
// have no national ID: they carry another number, or none yet — a child
// must be recordable with no identifier at all.
type IdentifierKind string

const (
	NationalID       IdentifierKind = "national_id"
	GCode            IdentifierKind = "g_code"            // schools' number for pupils without an ID
	BirthCertificate IdentifierKind = "birth_certificate" // ท.ร.1/1, ท.ร.3
	Passport         IdentifierKind = "passport"
	AlienID          IdentifierKind = "alien_id" // pink card, work permit numbers
	HospitalPID      IdentifierKind = "hospital_pid"
)

// IdentifierKinds lists the kinds forms offer besides the national ID.
var IdentifierKinds = []IdentifierKind{GCode, BirthCertificate, Passport, AlienID, HospitalPID}

// Identifier is one document number of a person.
type Identifier struct {
	Kind  IdentifierKind
	Value string // normalised: upper case, no spaces or dashes
}

var otherIDPattern = regexp.MustCompile(`^[A-Z0-9/]{3,32}$`)

// NormalizeIdentifier validates and normalises a number of the given kind.
// field names the input for the error (e.g. "national_id", "other_ids[0]").
func NormalizeIdentifier(kind IdentifierKind, value, field string) (Identifier, error) {
	if kind == NationalID {
		d, err := thai.ValidateNationalID(value)
		if err != nil {
			reason := "format"
			if ie, ok := err.(*thai.IDError); ok {
				reason = ie.Reason
			}
			return Identifier{}, errs.Field(field, "person.national_id_"+reason, nil)
		}
		return Identifier{Kind: NationalID, Value: d}, nil
	}
	known := false
	for _, k := range IdentifierKinds {
		known = known || k == kind
	}
	if !known {
		return Identifier{}, errs.Field(field, "field.choice", nil)
	}
	v := strings.ToUpper(thai.NormalizeNationalID(value)) // strips spaces and dashes, Thai digits → ASCII
	if !otherIDPattern.MatchString(v) {
		return Identifier{}, errs.Field(field, "person.identifier_format", nil)
	}
	return Identifier{Kind: kind, Value: v}, nil
}
