package fhir

import (
	"bufio"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"termtem/internal/people"
)

// PatientOf is a person as a Patient. The resource's id is the person's
// Termtem ID, so that a bundle exported twice names the same people, and
// the entry's fullUrl is urn:uuid:ID (references use it).
func PatientOf(p people.Person) Patient {
	r := Patient{ResourceType: TypePatient, ID: p.ID, BirthDate: p.BirthDate}
	fill(p, &r.Identifier, &r.Name, &r.Telecom, &r.Gender)
	return r
}

// RelatedPersonOf is a person as the relative of a patient.
func RelatedPersonOf(p people.Person, patientID string, rel people.Relationship) RelatedPerson {
	r := RelatedPerson{ResourceType: TypeRelatedPerson, ID: p.ID, BirthDate: p.BirthDate, Patient: Reference{Reference: refTo(TypePatient, patientID)},
		Relationship: []CodeableConcept{{Coding: []Coding{{System: SystemRoleCode, Code: RoleCodeOf(rel)}}}}}
	fill(p, &r.Identifier, &r.Name, &r.Telecom, &r.Gender)
	return r
}

// RelatedPersonID is the id of a person's RelatedPerson resource for one
// patient: one person is the relative of several patients, each resource
// needs an id of its own, and the same pair must get the same id in every
// export (so that importing an export again changes nothing). It is a
// name-based UUID (version 5 layout) of the two Termtem IDs.
func RelatedPersonID(personID, patientID string) string {
	sum := sha1.Sum([]byte("termtem:related-person:" + personID + "/" + patientID))
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func fill(p people.Person, ids *[]Identifier, names *[]HumanName, telecom *[]ContactPoint, gender *string) {
	if p.NationalID != "" {
		*ids = append(*ids, Identifier{System: SystemThaiCID, Value: p.NationalID})
	}
	if p.GivenName != "" || p.FamilyName != "" {
		n := HumanName{Use: "official", Family: p.FamilyName}
		if p.GivenName != "" {
			n.Given = []string{p.GivenName}
		}
		if p.Title != "" {
			n.Prefix = []string{p.Title}
		}
		*names = append(*names, n)
	}
	if p.GivenNameLatin != "" || p.FamilyNameLatin != "" {
		n := HumanName{Use: "usual", Family: p.FamilyNameLatin}
		if p.GivenNameLatin != "" {
			n.Given = []string{p.GivenNameLatin}
		}
		*names = append(*names, n)
	}
	if p.Nickname != "" {
		*names = append(*names, HumanName{Use: "nickname", Given: []string{p.Nickname}})
	}
	if p.Phone != "" {
		*telecom = append(*telecom, ContactPoint{System: "phone", Value: p.Phone})
	}
	switch p.Sex {
	case people.Male:
		*gender = "male"
	case people.Female:
		*gender = "female"
	default:
		*gender = "unknown"
	}
}

// ResourceOf is a record as a FHIR resource about the patient with the
// given ID; ok is false for kinds FHIR export does not carry (enrolments,
// grants, conditions).
func ResourceOf(r people.Record, patientID string) (any, bool) {
	subject := Reference{Reference: refTo(TypePatient, patientID)}
	switch r.Kind {
	case people.Vaccination:
		return Immunization{ResourceType: TypeImmunization, ID: r.ID, Status: "completed", Patient: subject, OccurrenceDateTime: r.OccurredOn,
			VaccineCode:     CodeableConcept{Coding: []Coding{{System: SystemVaccine, Code: r.Data.Vaccine}}, Text: r.Data.Vaccine},
			ProtocolApplied: []ProtocolApplied{{DoseNumberPositiveInt: max(r.Data.Dose, 1)}}}, true
	case people.Growth:
		o := Observation{ResourceType: TypeObservation, ID: r.ID, Status: "final", Subject: subject, EffectiveDateTime: r.OccurredOn,
			Category: []CodeableConcept{{Coding: []Coding{{System: SystemObsCat, Code: "vital-signs"}}}},
			Code:     CodeableConcept{Coding: []Coding{{System: SystemLOINC, Code: LOINCGrowthPanel}}, Text: "Growth"}}
		add := func(code string, v float64, unit string) {
			if v != 0 {
				x := v
				o.Component = append(o.Component, Component{Code: CodeableConcept{Coding: []Coding{{System: SystemLOINC, Code: code}}},
					ValueQuantity: &Quantity{Value: &x, Unit: unit, System: SystemUCUM, Code: unit}})
			}
		}
		add(LOINCWeight, r.Data.WeightKg, "kg")
		add(LOINCHeight, r.Data.HeightCm, "cm")
		add(LOINCHead, r.Data.HeadCm, "cm")
		return o, true
	case people.DevelopmentScreening:
		if r.Data.Domains == nil {
			return nil, false
		}
		age := strconv.Itoa(r.Data.ScreeningAge)
		o := Observation{ResourceType: TypeObservation, ID: r.ID, Status: "final", Subject: subject, EffectiveDateTime: r.OccurredOn,
			Category: []CodeableConcept{{Coding: []Coding{{System: SystemObsCat, Code: "survey"}}}},
			Code:     CodeableConcept{Coding: []Coding{{System: SystemDSPMAge, Code: age}}, Text: "DSPM " + age}}
		d := r.Data.Domains
		for _, c := range []struct{ code, v string }{{"gm", d.GM}, {"fm", d.FM}, {"rl", d.RL}, {"el", d.EL}, {"ps", d.PS}} {
			o.Component = append(o.Component, Component{Code: CodeableConcept{Coding: []Coding{{System: SystemDSPM, Code: c.code}}},
				ValueCodeableConcept: &CodeableConcept{Coding: []Coding{{System: SystemDSPMRes, Code: c.v}}}})
		}
		if r.Data.Note != "" {
			o.Note = []Annotation{{Text: r.Data.Note}}
		}
		return o, true
	case people.HomeVisit:
		return Encounter{ResourceType: TypeEncounter, ID: r.ID, Status: "finished", Class: Coding{System: SystemActCode, Code: "HH"},
			Subject: subject, Period: Period{Start: r.OccurredOn}, ReasonCode: []CodeableConcept{{Text: r.Data.Note}}}, true
	}
	return nil, false
}

// BundleWriter writes a collection bundle entry by entry: an export of a
// whole district is never held in memory.
type BundleWriter struct {
	w       *bufio.Writer
	entries int
	err     error
}

// NewBundleWriter starts a bundle of type "collection".
func NewBundleWriter(w io.Writer, id, timestamp string) *BundleWriter {
	bw := &BundleWriter{w: bufio.NewWriterSize(w, 64<<10)}
	head, _ := json.Marshal(struct {
		ResourceType string `json:"resourceType"`
		ID           string `json:"id,omitempty"`
		Type         string `json:"type"`
		Timestamp    string `json:"timestamp,omitempty"`
	}{"Bundle", id, "collection", timestamp})
	// The object stays open for the entry array.
	_, bw.err = bw.w.WriteString(strings.TrimSuffix(string(head), "}") + `,"entry":[`)
	return bw
}

// Add writes one resource as an entry.
func (bw *BundleWriter) Add(resource any) error {
	if bw.err != nil {
		return bw.err
	}
	e := Entry{Resource: resource}
	if id := headOf(resource); isUUID(id) {
		e.FullURL = "urn:uuid:" + id
	}
	b, err := json.Marshal(e)
	if err != nil {
		bw.err = err
		return err
	}
	if bw.entries > 0 {
		bw.w.WriteByte(',')
	}
	bw.entries++
	_, bw.err = bw.w.Write(b)
	return bw.err
}

// Entries is how many entries were written.
func (bw *BundleWriter) Entries() int { return bw.entries }

// Close ends the bundle and flushes it.
func (bw *BundleWriter) Close() error {
	if bw.err != nil {
		return bw.err
	}
	if _, err := bw.w.WriteString("]}\n"); err != nil {
		return err
	}
	return bw.w.Flush()
}

// headOf is a resource's id: Termtem's IDs are UUIDs, so that an entry's
// fullUrl is urn:uuid:ID and references within the bundle resolve.
func headOf(r any) string {
	switch v := r.(type) {
	case Patient:
		return v.ID
	case RelatedPerson:
		return v.ID
	case Immunization:
		return v.ID
	case Observation:
		return v.ID
	case Encounter:
		return v.ID
	}
	return ""
}

// refTo is a reference to a resource in the same bundle: by its fullUrl
// when its id is a UUID (Termtem's own), else as Type/id.
func refTo(typ, id string) string {
	if isUUID(id) {
		return "urn:uuid:" + id
	}
	return typ + "/" + id
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'):
			return false
		}
	}
	return true
}
