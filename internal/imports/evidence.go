package imports

import (
	"strings"

	"termtem/internal/thai"
)

// Evidence is what a row says about a child's mother and home that
// record linkage compares (the mother's name, the community, the address)
// but that is not the child's own record. The mother's name is personal
// data of another person: the store keeps it only as linkage evidence,
// under the same access and audit rules as the child, and never in a URL,
// a log or an export (docs/linkage.md).
type Evidence struct {
	MotherName string // the mother's full name, normalised
	// MotherCID is the mother's national ID when the source gives one
	// (the 43 files' PERSON.MOTHER) and it is valid.
	MotherCID string
	Community string // the community's code or name
	Address   string // the address as written, normalised
}

// newEvidence normalises the cells of a row's evidence; an invalid mother's
// CID (often a placeholder of zeros) is dropped, never an error.
func newEvidence(mother, motherCID, community, address string) Evidence {
	e := Evidence{
		MotherName: thai.NormalizeName(strings.TrimSpace(mother)),
		Community:  strings.Join(strings.Fields(community), " "),
		Address:    strings.Join(strings.Fields(thai.NormalizeName(address)), " "),
	}
	if c := strings.TrimSpace(motherCID); c != "" {
		if d, err := thai.ValidateNationalID(c); err == nil {
			e.MotherCID = d
		}
	}
	return e
}

// Empty reports whether the row gives no evidence at all.
func (e Evidence) Empty() bool { return e == Evidence{} }

// Place is the community and the address together, as linkage compares
// them.
func (e Evidence) Place() string {
	return strings.TrimSpace(e.Community + " " + e.Address)
}

func (e Evidence) hash() string {
	return hashOf("evidence", e.MotherName, e.MotherCID, e.Community, e.Address)
}
