package fhir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"termtem/internal/errs"
	"termtem/internal/people"
)

// Item is what one entry gives Termtem: a person (Patient, RelatedPerson),
// or a service record about the person a reference names.
type Item struct {
	Type string
	// Key is the resource's identity within its source: "Patient/123", or
	// the entry's fullUrl when the resource has no id.
	Key string
	// Person is the person of a Patient or RelatedPerson, validated.
	Person *people.Person
	// Subject is the reference to the person a record is about (or, for a
	// RelatedPerson, the patient they are related to), as written.
	Subject string
	// Relationship is a RelatedPerson's relation to the patient, and
	// RelationshipField the element that gave it (entry[3].resource.relationship[0]).
	Relationship      people.Relationship
	RelationshipField string
	// Record is the record of an Immunization, Observation or Encounter,
	// validated without the person's birth date (the store checks that).
	Record *people.Record
	// Fields maps Termtem's field names to the resource's elements, for
	// problems the store finds later (a record dated before the birth).
	Fields map[string]string
	// MotherName (a Patient's contact whose relationship is mother) and
	// Address (the Patient's home address) are linkage evidence.
	MotherName, Address string

	resourcePath string // "entry[3].resource"
}

// Codes43 looks up a 43-file VACCINETYPE code: the imports package knows
// the list, and passes it here so that one list serves both.
type Codes43 func(code string) (vaccine string, dose int, ok bool)

// Read turns one entry into an Item. now is today, for "not in the future".
func Read(e RawEntry, now time.Time, codes43 Codes43) (*Item, *Problem) {
	h, p := HeadOf(e)
	if p != nil {
		return nil, p
	}
	path := fmt.Sprintf("entry[%d].resource", e.Index)
	bad := func(field, id string, data map[string]any) *Problem {
		f := path
		if field != "" {
			f += "." + field
		}
		return &Problem{Index: e.Index, Field: f, MessageID: id, Data: data}
	}
	if !slices.Contains(Types, h.ResourceType) {
		return nil, bad("resourceType", "fhir.resource_unknown", map[string]any{"Type": h.ResourceType})
	}
	key := ""
	switch {
	case h.ID != "":
		if !validID(h.ID) {
			return nil, bad("id", "fhir.id_format", nil)
		}
		key = h.ResourceType + "/" + h.ID
	case strings.HasPrefix(e.FullURL, "urn:uuid:") || strings.HasPrefix(e.FullURL, "urn:oid:"):
		key = e.FullURL
	default:
		return nil, bad("id", "field.required", nil)
	}
	it := &Item{Type: h.ResourceType, Key: key, resourcePath: path}
	dec := func(v any) *Problem {
		d := json.NewDecoder(bytes.NewReader(e.Resource))
		if err := d.Decode(v); err != nil {
			field := ""
			if te, ok := err.(*json.UnmarshalTypeError); ok {
				field = te.Field
			}
			return bad(field, "fhir.resource_shape", nil)
		}
		return nil
	}
	var err error
	switch h.ResourceType {
	case TypePatient:
		var r Patient
		if p := dec(&r); p != nil {
			return nil, p
		}
		it.Person, err = personOf(r.Identifier, r.Name, r.Telecom, r.Gender, r.BirthDate, now, it)
		it.MotherName, it.Address = contactMother(r.Contact), homeAddress(r.Address)
	case TypeRelatedPerson:
		var r RelatedPerson
		if p := dec(&r); p != nil {
			return nil, p
		}
		if r.Patient.Reference == "" {
			return nil, bad("patient", "field.required", nil)
		}
		it.Subject = r.Patient.Reference
		for i, rel := range r.Relationship {
			if c := rel.Code(SystemRoleCode); c != "" {
				v, ok := relationships[c]
				if !ok {
					return nil, bad(fmt.Sprintf("relationship[%d]", i), "fhir.code", map[string]any{"Code": c})
				}
				it.Relationship, it.RelationshipField = v, fmt.Sprintf("%s.relationship[%d]", path, i)
				break
			}
		}
		it.Person, err = personOf(r.Identifier, r.Name, r.Telecom, r.Gender, r.BirthDate, now, it)
		if err == nil {
			// A mother is female and a father male: a gender saying
			// otherwise is an error in the data, and a parent whose
			// gender is not given is recorded as the relation says (the
			// household reads parents back by sex).
			sex := map[people.Relationship]people.Sex{people.RelMother: people.Female, people.RelFather: people.Male}[it.Relationship]
			switch {
			case sex == "":
			case it.Person.Sex == people.Unknown:
				it.Person.Sex = sex
			case it.Person.Sex != sex:
				return nil, &Problem{Index: e.Index, Field: it.RelationshipField, MessageID: "fhir.relationship_sex",
					Data: map[string]any{"Code": RoleCodeOf(it.Relationship)}}
			}
		}
	case TypeImmunization:
		var r Immunization
		if p := dec(&r); p != nil {
			return nil, p
		}
		if r.Status != "" && r.Status != "completed" {
			return nil, bad("status", "fhir.not_completed", map[string]any{"Status": r.Status})
		}
		it.Subject, it.Fields = r.Patient.Reference, map[string]string{"person_id": path + ".patient", "occurred_on": path + ".occurrenceDateTime",
			"vaccine": path + ".vaccineCode", "dose": path + ".protocolApplied[0].doseNumberPositiveInt"}
		rec := people.Record{Kind: people.Vaccination, OccurredOn: datePart(r.OccurrenceDateTime)}
		dose := 0
		if len(r.ProtocolApplied) > 0 {
			dose = r.ProtocolApplied[0].DoseNumberPositiveInt
		}
		switch {
		case r.VaccineCode.Code(SystemVaccine) != "":
			c := r.VaccineCode.Code(SystemVaccine)
			if !slices.Contains(people.EPIVaccines, c) {
				return nil, bad("vaccineCode", "fhir.code", map[string]any{"Code": c})
			}
			rec.Data.Vaccine, rec.Data.Dose = c, dose
		case r.VaccineCode.Code(SystemVaccine43) != "" && codes43 != nil:
			c := r.VaccineCode.Code(SystemVaccine43)
			v, d, ok := codes43(strings.ToUpper(c))
			if !ok {
				return nil, bad("vaccineCode", "fhir.code", map[string]any{"Code": c})
			}
			rec.Data.Vaccine, rec.Data.Dose = v, d
			if dose != 0 {
				rec.Data.Dose = dose
			}
		default:
			return nil, bad("vaccineCode", "fhir.code", map[string]any{"Code": firstCode(r.VaccineCode)})
		}
		if rec.Data.Dose == 0 {
			rec.Data.Dose = 1 // a vaccination without a dose number is a first dose
		}
		it.Record = &rec
	case TypeObservation:
		var r Observation
		if p := dec(&r); p != nil {
			return nil, p
		}
		if r.Status == "entered-in-error" || r.Status == "cancelled" {
			return nil, bad("status", "fhir.not_completed", map[string]any{"Status": r.Status})
		}
		it.Subject = r.Subject.Reference
		rec, p := observationRecord(r, path, it)
		if p != nil {
			p.Index = e.Index
			return nil, p
		}
		it.Record = rec
	case TypeEncounter:
		var r Encounter
		if p := dec(&r); p != nil {
			return nil, p
		}
		if r.Class.System != SystemActCode || r.Class.Code != "HH" {
			return nil, bad("class", "fhir.encounter_class", map[string]any{"Code": r.Class.Code})
		}
		it.Subject, it.Fields = r.Subject.Reference, map[string]string{"person_id": path + ".subject", "occurred_on": path + ".period.start",
			"note": path + ".reasonCode[0].text"}
		note := ""
		if len(r.ReasonCode) > 0 {
			note = r.ReasonCode[0].Text
			if note == "" && len(r.ReasonCode[0].Coding) > 0 {
				note = r.ReasonCode[0].Coding[0].Display
			}
		}
		it.Record = &people.Record{Kind: people.HomeVisit, OccurredOn: datePart(r.Period.Start), Data: people.RecordData{Note: note}}
	}
	if err != nil {
		return nil, problemOf(err, e.Index, it.Fields)
	}
	if it.Record != nil {
		if it.Subject == "" {
			return nil, &Problem{Index: e.Index, Field: it.Fields["person_id"], MessageID: "field.required"}
		}
		// Checked here without the birth date; the store checks the record
		// against the person's.
		check := *it.Record
		check.PersonID = "-"
		if verr := people.ValidateRecord(&check, "", now); verr != nil {
			return nil, problemOf(verr, e.Index, it.Fields)
		}
		it.Record.Data = check.Data
		it.Record.OccurredOn = check.OccurredOn
	}
	return it, nil
}

// problemOf turns a validation error into a problem at the element that
// held the field.
func problemOf(err error, index int, fields map[string]string) *Problem {
	e := errs.As(err)
	field := fields[e.Field]
	if field == "" {
		field = fmt.Sprintf("entry[%d].resource", index)
	}
	id := e.MessageID
	if e.Code == errs.Internal {
		id = "import.row_internal"
	}
	return &Problem{Index: index, Field: field, MessageID: id, Data: e.Data}
}

// validID is FHIR's id rule: letters, digits, '-' and '.', at most 64.
func validID(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r == '.' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// datePart is the date of a FHIR date or dateTime as written: a record is
// dated by the day the service was given where it was given.
func datePart(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[4] == '-' && s[10] == 'T' {
		return s[:10]
	}
	return s
}

func firstCode(c CodeableConcept) string {
	if len(c.Coding) > 0 {
		return c.Coding[0].Code
	}
	return c.Text
}

// relationships maps HL7 v3 RoleCode family members to Termtem's.
var relationships = map[string]people.Relationship{
	"MTH": people.RelMother, "NMTH": people.RelMother, "FTH": people.RelFather, "NFTH": people.RelFather,
	"GRMTH": people.RelGrandparent, "GRFTH": people.RelGrandparent, "GRPRN": people.RelGrandparent,
	"MGRMTH": people.RelGrandparent, "PGRMTH": people.RelGrandparent, "MGRFTH": people.RelGrandparent, "PGRFTH": people.RelGrandparent,
	"MGRPRN": people.RelGrandparent, "PGRPRN": people.RelGrandparent,
	"SIB": people.RelSibling, "BRO": people.RelSibling, "SIS": people.RelSibling, "NSIB": people.RelSibling,
	"NBRO": people.RelSibling, "NSIS": people.RelSibling, "HSIB": people.RelSibling, "HBRO": people.RelSibling, "HSIS": people.RelSibling,
	"GUARD": people.RelGuardian, "FMRCHLD": people.RelFosterChild, "CHLDFOST": people.RelFosterChild,
	"FTHFOST": people.RelFosterParent, "MTHFOST": people.RelFosterParent, "PRNFOST": people.RelFosterParent,
	"EXT": people.RelRelative, "AUNT": people.RelRelative, "UNCLE": people.RelRelative, "FAMMEMB": people.RelRelative,
	"SPS": people.RelSpouse, "HUSB": people.RelSpouse, "WIFE": people.RelSpouse,
	"CHILD": people.RelChild, "NCHILD": people.RelChild, "DAU": people.RelChild, "SON": people.RelChild, "DAUC": people.RelChild, "SONC": people.RelChild,
	"GRNDCHILD": people.RelGrandchild, "GRNDDAU": people.RelGrandchild, "GRNDSON": people.RelGrandchild,
}

// RoleCodeOf is the v3 RoleCode Termtem writes for a relationship.
func RoleCodeOf(r people.Relationship) string {
	switch r {
	case people.RelMother:
		return "MTH"
	case people.RelFather:
		return "FTH"
	case people.RelGrandparent:
		return "GRPRN"
	case people.RelSibling:
		return "SIB"
	case people.RelGuardian:
		return "GUARD"
	case people.RelFosterParent:
		return "PRNFOST"
	case people.RelSpouse:
		return "SPS"
	case people.RelChild:
		return "CHILD"
	case people.RelGrandchild:
		return "GRNDCHILD"
	case people.RelFosterChild:
		return "CHLDFOST"
	}
	return "FAMMEMB"
}

// personOf reads the person elements Patient and RelatedPerson share.
func personOf(ids []Identifier, names []HumanName, telecom []ContactPoint, gender, birth string, now time.Time, it *Item) (*people.Person, error) {
	p := &people.Person{BirthDate: birth}
	it.Fields = map[string]string{"birth_date": "birthDate", "sex": "gender", "phone": "telecom", "national_id": "identifier",
		"given_name": "name", "family_name": "name", "title": "name", "nickname": "name", "given_name_latin": "name", "family_name_latin": "name"}
	for i, id := range ids {
		if id.System == SystemThaiCID {
			p.NationalID = id.Value
			it.Fields["national_id"] = fmt.Sprintf("identifier[%d].value", i)
			break
		}
	}
	for i, n := range names {
		given := strings.Join(n.Given, " ")
		if given == "" && n.Family == "" && n.Text != "" {
			given = n.Text
		}
		if n.Use == "nickname" {
			if p.Nickname == "" {
				p.Nickname = given
				it.Fields["nickname"] = fmt.Sprintf("name[%d]", i)
			}
			continue
		}
		if isLatin(given + n.Family) {
			if p.GivenNameLatin == "" && p.FamilyNameLatin == "" {
				p.GivenNameLatin, p.FamilyNameLatin = given, n.Family
				it.Fields["given_name_latin"], it.Fields["family_name_latin"] = fmt.Sprintf("name[%d].given", i), fmt.Sprintf("name[%d].family", i)
			}
			continue
		}
		if p.GivenName == "" && p.FamilyName == "" {
			p.GivenName, p.FamilyName = given, n.Family
			if len(n.Prefix) > 0 {
				p.Title = n.Prefix[0]
			}
			it.Fields["given_name"], it.Fields["family_name"], it.Fields["title"] = fmt.Sprintf("name[%d].given", i), fmt.Sprintf("name[%d].family", i), fmt.Sprintf("name[%d].prefix", i)
		}
	}
	for i, t := range telecom {
		if t.System == "phone" && p.Phone == "" {
			p.Phone = t.Value
			it.Fields["phone"] = fmt.Sprintf("telecom[%d].value", i)
		}
	}
	for k, v := range it.Fields {
		it.Fields[k] = it.path(v)
	}
	switch gender {
	case "male":
		p.Sex = people.Male
	case "female":
		p.Sex = people.Female
	case "", "other", "unknown":
	default:
		return nil, errs.Field("sex", "fhir.code", map[string]any{"Code": gender})
	}
	if err := people.ValidatePerson(p, now); err != nil {
		return nil, err
	}
	return p, nil
}

// path is an element's path within the item's entry.
func (it *Item) path(element string) string {
	return it.resourcePath + "." + element
}

// isLatin reports whether a name is written in Latin letters only (the
// Latin spelling, kept apart from the Thai name).
func isLatin(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if r > unicode.MaxLatin1 && !unicode.Is(unicode.Latin, r) {
				return false
			}
			letters++
		}
	}
	return letters > 0
}

// observationRecord reads a growth measurement or a DSPM screening.
func observationRecord(r Observation, path string, it *Item) (*people.Record, *Problem) {
	bad := func(field, id string, data map[string]any) *Problem {
		return &Problem{Field: path + "." + field, MessageID: id, Data: data}
	}
	on := datePart(r.EffectiveDateTime)
	it.Fields = map[string]string{"person_id": path + ".subject", "occurred_on": path + ".effectiveDateTime"}
	quantity := func(q *Quantity, field string, want string, scale map[string]float64) (float64, *Problem) {
		if q == nil || q.Value == nil {
			return 0, bad(field, "field.required", nil)
		}
		unit := q.Code
		if unit == "" {
			unit = q.Unit
		}
		f, ok := scale[unit]
		if !ok {
			return 0, bad(field+".code", "fhir.unit", map[string]any{"Unit": unit, "Want": want})
		}
		return *q.Value * f, nil
	}
	kg := map[string]float64{"kg": 1, "g": 0.001}
	cm := map[string]float64{"cm": 1, "m": 100, "mm": 0.1}
	switch {
	case r.Code.Code(SystemLOINC) == LOINCWeight || r.Code.Code(SystemLOINC) == LOINCGrowthPanel:
		d := people.RecordData{}
		if r.Code.Code(SystemLOINC) == LOINCWeight {
			w, p := quantity(r.ValueQuantity, "valueQuantity", "kg", kg)
			if p != nil {
				return nil, p
			}
			d.WeightKg = w
			it.Fields["weight_kg"] = path + ".valueQuantity"
		}
		for i, c := range r.Component {
			field := fmt.Sprintf("component[%d].valueQuantity", i)
			var err *Problem
			switch c.Code.Code(SystemLOINC) {
			case LOINCWeight:
				d.WeightKg, err = quantity(c.ValueQuantity, field, "kg", kg)
				it.Fields["weight_kg"] = path + "." + field
			case LOINCHeight:
				d.HeightCm, err = quantity(c.ValueQuantity, field, "cm", cm)
				it.Fields["height_cm"] = path + "." + field
			case LOINCHead:
				d.HeadCm, err = quantity(c.ValueQuantity, field, "cm", cm)
				it.Fields["head_cm"] = path + "." + field
			default:
				err = bad(fmt.Sprintf("component[%d].code", i), "fhir.code", map[string]any{"Code": firstCode(c.Code)})
			}
			if err != nil {
				return nil, err
			}
		}
		if d.WeightKg == 0 {
			return nil, bad("component", "fhir.growth_weight", nil)
		}
		d.WeightKg, d.HeightCm, d.HeadCm = round1(d.WeightKg, 3), round1(d.HeightCm, 1), round1(d.HeadCm, 1)
		return &people.Record{Kind: people.Growth, OccurredOn: on, Data: d}, nil
	case r.Code.Code(SystemDSPMAge) != "":
		age, err := strconv.Atoi(r.Code.Code(SystemDSPMAge))
		if err != nil || !slices.Contains(people.DSPMAges, age) {
			return nil, bad("code", "fhir.code", map[string]any{"Code": r.Code.Code(SystemDSPMAge)})
		}
		it.Fields["screening_age"] = path + ".code"
		dom := &people.Domains{}
		slots := map[string]*string{"gm": &dom.GM, "fm": &dom.FM, "rl": &dom.RL, "el": &dom.EL, "ps": &dom.PS}
		for i, c := range r.Component {
			code := c.Code.Code(SystemDSPM)
			slot, ok := slots[code]
			if !ok {
				return nil, bad(fmt.Sprintf("component[%d].code", i), "fhir.code", map[string]any{"Code": firstCode(c.Code)})
			}
			it.Fields[code] = fmt.Sprintf("%s.component[%d].valueCodeableConcept", path, i)
			res := ""
			if c.ValueCodeableConcept != nil {
				res = dspmResults[c.ValueCodeableConcept.Code(SystemDSPMRes)]
			}
			if res == "" {
				return nil, bad(fmt.Sprintf("component[%d].valueCodeableConcept", i), "fhir.code", nil)
			}
			*slot = res
		}
		for code, slot := range slots {
			if *slot == "" {
				return nil, bad("component", "fhir.dspm_domain_missing", map[string]any{"Domain": strings.ToUpper(code)})
			}
		}
		note := ""
		if len(r.Note) > 0 {
			note = r.Note[0].Text
		}
		return &people.Record{Kind: people.DevelopmentScreening, OccurredOn: on, Data: people.RecordData{ScreeningAge: age, Domains: dom, Note: note}}, nil
	}
	return nil, bad("code", "fhir.code", map[string]any{"Code": firstCode(r.Code)})
}

var dspmResults = map[string]string{
	people.DSPMPass: people.DSPMPass, people.DSPMSuspected: people.DSPMSuspected, people.DSPMDelayed: people.DSPMDelayed,
	"1": people.DSPMPass, "2": people.DSPMSuspected, "3": people.DSPMDelayed,
}

// round1 rounds to places decimals: converted units should not carry
// binary noise into the record (1500 g is 1.5 kg).
func round1(v float64, places int) float64 {
	p := 1.0
	for range places {
		p *= 10
	}
	if v < 0 {
		return -float64(int64(-v*p+0.5)) / p
	}
	return float64(int64(v*p+0.5)) / p
}

// contactMother is the name of a Patient's contact whose relationship is
// mother (v3 RoleCode MTH or NMTH, or v2 0131 "N" with the text mother).
func contactMother(cs []PatientContact) string {
	for _, c := range cs {
		if c.Name == nil {
			continue
		}
		for _, rel := range c.Relationship {
			code := rel.Code(SystemRoleCode)
			if code == "MTH" || code == "NMTH" || strings.EqualFold(strings.TrimSpace(rel.Text), "mother") || strings.TrimSpace(rel.Text) == "มารดา" {
				return nameText(*c.Name)
			}
		}
	}
	return ""
}

// nameText writes a name as one line: its text, or given and family names.
func nameText(n HumanName) string {
	if t := strings.TrimSpace(n.Text); t != "" {
		return t
	}
	return strings.TrimSpace(strings.Join(append(append([]string(nil), n.Given...), n.Family), " "))
}

// homeAddress is the Patient's current home: the first address not marked
// old, as its text or its lines and district.
func homeAddress(as []Address) string {
	for _, a := range as {
		if a.Use == "old" {
			continue
		}
		if t := strings.TrimSpace(a.Text); t != "" {
			return t
		}
		return strings.TrimSpace(strings.Join(append(append([]string(nil), a.Line...), a.District), " "))
	}
	return ""
}
