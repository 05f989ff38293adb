// Package fhir reads and writes the part of HL7 FHIR R4 that Termtem
// exchanges with health facilities: Patient, RelatedPerson, Immunization,
// Observation (growth, DSPM development screening) and Encounter (home
// visits), in JSON bundles. It holds the resource shapes, the codes, and the
// mapping to and from the people package; it knows nothing of SQL or HTTP.
// The structs carry only the elements Termtem uses: unknown elements of a
// known resource are ignored, unknown resource types are reported.
package fhir

import "encoding/json"

// Code systems and identifier systems. The Thai national-ID system follows
// the sil-th implementation guide's naming [unverified against the
// published IG]; Termtem's own code systems are URNs so that nobody takes
// them for a national standard.
const (
	SystemThaiCID   = "https://terms.sil-th.org/id/th-cid"
	SystemLOINC     = "http://loinc.org"
	SystemActCode   = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	SystemRoleCode  = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
	SystemObsCat    = "http://terminology.hl7.org/CodeSystem/observation-category"
	SystemUCUM      = "http://unitsofmeasure.org"
	SystemVaccine   = "urn:termtem:fhir:CodeSystem:epi-vaccine"        // Termtem's EPI codes: BCG, HBV, DTP-HB-Hib …
	SystemVaccine43 = "urn:termtem:fhir:CodeSystem:moph43-vaccinetype" // the 43 files' VACCINETYPE codes
	SystemDSPMAge   = "urn:termtem:fhir:CodeSystem:dspm-age"           // screening age in months: 9, 18, 30, 42, 60
	SystemDSPM      = "urn:termtem:fhir:CodeSystem:dspm-domain"        // gm, fm, rl, el, ps
	SystemDSPMRes   = "urn:termtem:fhir:CodeSystem:dspm-result"        // pass, suspected, delayed (or 1, 2, 3 as sil-th CS_THCC_Pediatrics)
)

// LOINC codes of growth measurements.
const (
	LOINCGrowthPanel = "85353-1" // vital signs, weight, height, head circumference … panel
	LOINCWeight      = "29463-7" // body weight
	LOINCHeight      = "8302-2"  // body height
	LOINCHead        = "9843-4"  // head occipital-frontal circumference
)

// Resource types Termtem reads and writes.
const (
	TypePatient       = "Patient"
	TypeRelatedPerson = "RelatedPerson"
	TypeImmunization  = "Immunization"
	TypeObservation   = "Observation"
	TypeEncounter     = "Encounter"
)

// Types lists the resource types Termtem reads.
var Types = []string{TypePatient, TypeRelatedPerson, TypeImmunization, TypeObservation, TypeEncounter}

// Coding is a code in a system.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is codings and a text.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Code returns the first code of the concept in system.
func (c CodeableConcept) Code(system string) string {
	for _, cd := range c.Coding {
		if cd.System == system {
			return cd.Code
		}
	}
	return ""
}

// Reference points at another resource: "Patient/123" or a bundle entry's
// fullUrl ("urn:uuid:…").
type Reference struct {
	Reference string `json:"reference,omitempty"`
	Display   string `json:"display,omitempty"`
}

// Identifier is a document number.
type Identifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// HumanName is one name of a person.
type HumanName struct {
	Use    string   `json:"use,omitempty"` // official, usual, nickname …
	Text   string   `json:"text,omitempty"`
	Family string   `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
	Prefix []string `json:"prefix,omitempty"`
}

// ContactPoint is a phone number or other contact.
type ContactPoint struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// Quantity is a measured amount.
type Quantity struct {
	Value  *float64 `json:"value,omitempty"`
	Unit   string   `json:"unit,omitempty"`
	System string   `json:"system,omitempty"`
	Code   string   `json:"code,omitempty"`
}

// Meta carries a resource's or bundle's source.
type Meta struct {
	Source      string `json:"source,omitempty"`
	LastUpdated string `json:"lastUpdated,omitempty"`
}

// Patient is a person receiving care (here: the child, or any person).
type Patient struct {
	ResourceType string         `json:"resourceType"`
	ID           string         `json:"id,omitempty"`
	Identifier   []Identifier   `json:"identifier,omitempty"`
	Name         []HumanName    `json:"name,omitempty"`
	Telecom      []ContactPoint `json:"telecom,omitempty"`
	Gender       string         `json:"gender,omitempty"`
	BirthDate    string         `json:"birthDate,omitempty"`
	// Address and Contact are read for record linkage only (the home; the
	// mother named as a contact), never written on export.
	Address []Address        `json:"address,omitempty"`
	Contact []PatientContact `json:"contact,omitempty"`
}

// Address is a postal address as FHIR writes it.
type Address struct {
	Use      string   `json:"use,omitempty"` // home, old, temp …
	Text     string   `json:"text,omitempty"`
	Line     []string `json:"line,omitempty"`
	District string   `json:"district,omitempty"`
	City     string   `json:"city,omitempty"`
}

// PatientContact is someone to contact about a patient: a parent, a
// guardian.
type PatientContact struct {
	Relationship []CodeableConcept `json:"relationship,omitempty"`
	Name         *HumanName        `json:"name,omitempty"`
}

// RelatedPerson is someone related to a patient: a parent, a grandparent,
// a guardian.
type RelatedPerson struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id,omitempty"`
	Identifier   []Identifier      `json:"identifier,omitempty"`
	Patient      Reference         `json:"patient"`
	Relationship []CodeableConcept `json:"relationship,omitempty"`
	Name         []HumanName       `json:"name,omitempty"`
	Telecom      []ContactPoint    `json:"telecom,omitempty"`
	Gender       string            `json:"gender,omitempty"`
	BirthDate    string            `json:"birthDate,omitempty"`
}

// ProtocolApplied says which dose of a series a vaccination was.
type ProtocolApplied struct {
	DoseNumberPositiveInt int `json:"doseNumberPositiveInt,omitempty"`
}

// Immunization is one vaccination.
type Immunization struct {
	ResourceType       string            `json:"resourceType"`
	ID                 string            `json:"id,omitempty"`
	Status             string            `json:"status,omitempty"`
	VaccineCode        CodeableConcept   `json:"vaccineCode"`
	Patient            Reference         `json:"patient"`
	OccurrenceDateTime string            `json:"occurrenceDateTime,omitempty"`
	ProtocolApplied    []ProtocolApplied `json:"protocolApplied,omitempty"`
}

// Component is one part of an observation (a panel's measurement, a
// screening domain's result).
type Component struct {
	Code                 CodeableConcept  `json:"code"`
	ValueQuantity        *Quantity        `json:"valueQuantity,omitempty"`
	ValueCodeableConcept *CodeableConcept `json:"valueCodeableConcept,omitempty"`
}

// Observation is a growth measurement or a development screening.
type Observation struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id,omitempty"`
	Status            string            `json:"status,omitempty"`
	Category          []CodeableConcept `json:"category,omitempty"`
	Code              CodeableConcept   `json:"code"`
	Subject           Reference         `json:"subject"`
	EffectiveDateTime string            `json:"effectiveDateTime,omitempty"`
	ValueQuantity     *Quantity         `json:"valueQuantity,omitempty"`
	Component         []Component       `json:"component,omitempty"`
	Note              []Annotation      `json:"note,omitempty"`
}

// Annotation is a free-text note.
type Annotation struct {
	Text string `json:"text"`
}

// Period is a time span.
type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// Encounter is a contact with a person; Termtem reads home visits (class
// HH, home health).
type Encounter struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id,omitempty"`
	Status       string            `json:"status,omitempty"`
	Class        Coding            `json:"class"`
	Subject      Reference         `json:"subject"`
	Period       Period            `json:"period,omitempty"`
	ReasonCode   []CodeableConcept `json:"reasonCode,omitempty"`
}

// Entry is one entry of a bundle.
type Entry struct {
	FullURL  string `json:"fullUrl,omitempty"`
	Resource any    `json:"resource"`
}

// RawEntry is an entry as read: its place in the bundle (0-based, as
// FHIRPath counts Bundle.entry[i]) and the resource's JSON.
type RawEntry struct {
	Index    int             `json:"-"`
	FullURL  string          `json:"fullUrl,omitempty"`
	Resource json.RawMessage `json:"resource"`
}

// Head is what every resource starts with.
type Head struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id,omitempty"`
}
