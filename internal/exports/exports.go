// Package exports turns people of an area into files other agencies read:
// CSV and XLSX lists with the columns a data officer chooses, and FHIR
// bundles. It holds the field catalogue (which fields exist and which need
// a sensitive-data permission), the cell rules (a cell a spreadsheet would
// run as a formula is neutralised) and the streaming writers; the store
// decides who may export whom. It knows nothing of SQL or HTTP.
package exports

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"termtem/internal/errs"
	"termtem/internal/imports"
	"termtem/internal/people"
	"termtem/internal/thai"
)

// Format is a kind of export file.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
	FHIR Format = "fhir"
)

// Formats lists the formats in the order the page offers them.
var Formats = []Format{CSV, XLSX, FHIR}

// Row is one person as an export sees them: the person, where they live,
// and the records the exporter may read in full.
type Row struct {
	Person    people.Person
	Community string // the community's name in the export's language
	Address   string // the household's address
	Records   []people.Record
	// Relatives are the person's household members in the same export
	// with what each is to the person (a FHIR export writes them as
	// RelatedPersons).
	Relatives []Relative
}

// Relative is a household member as someone's relative.
type Relative struct {
	Person       people.Person
	Relationship people.Relationship
}

// Field is one column an export may hold.
type Field struct {
	Key string
	// Sensitive is the PDPA s.26 category a role must be granted to export
	// the field ("" for none): like the timeline, sensitive records go only
	// to those allowed them.
	Sensitive people.Sensitivity
	// Default: chosen unless the officer chooses otherwise.
	Default bool
	value   func(r *Row, asOf time.Time) string
}

// Fields is the catalogue, in column order.
var Fields = []Field{
	{Key: "person_id", Default: true, value: func(r *Row, _ time.Time) string { return r.Person.ID }},
	{Key: "national_id", Default: true, value: func(r *Row, _ time.Time) string { return r.Person.NationalID }},
	{Key: "title", Default: true, value: func(r *Row, _ time.Time) string { return r.Person.Title }},
	{Key: "given_name", Default: true, value: func(r *Row, _ time.Time) string { return r.Person.GivenName }},
	{Key: "family_name", Default: true, value: func(r *Row, _ time.Time) string { return r.Person.FamilyName }},
	{Key: "nickname", value: func(r *Row, _ time.Time) string { return r.Person.Nickname }},
	{Key: "latin_name", value: func(r *Row, _ time.Time) string { return r.Person.LatinName() }},
	{Key: "sex", Default: true, value: func(r *Row, _ time.Time) string { return string(r.Person.Sex) }},
	{Key: "birth_date", Default: true, value: func(r *Row, _ time.Time) string { return r.Person.BirthDate }},
	{Key: "birth_date_be", value: func(r *Row, _ time.Time) string { return birthBE(r.Person.BirthDate) }},
	{Key: "age_years", Default: true, value: func(r *Row, asOf time.Time) string {
		if m, ok := people.AgeInMonths(r.Person.BirthDate, asOf); ok {
			return strconv.Itoa(m / 12)
		}
		return ""
	}},
	{Key: "nationality", value: func(r *Row, _ time.Time) string { return string(r.Person.Nationality) }},
	{Key: "phone", value: func(r *Row, _ time.Time) string { return r.Person.Phone }},
	{Key: "community", Default: true, value: func(r *Row, _ time.Time) string { return r.Community }},
	{Key: "address", value: func(r *Row, _ time.Time) string { return r.Address }},
	{Key: "vaccinations", value: func(r *Row, _ time.Time) string {
		var out []string
		for _, rec := range r.oldestFirst(people.Vaccination) {
			out = append(out, rec.Data.Vaccine+strconv.Itoa(rec.Data.Dose))
		}
		return strings.Join(out, " ")
	}},
	{Key: "last_growth", value: func(r *Row, _ time.Time) string {
		rec, ok := r.latest(people.Growth)
		if !ok {
			return ""
		}
		s := rec.OccurredOn + " " + num(rec.Data.WeightKg) + " kg"
		if rec.Data.HeightCm > 0 {
			s += " " + num(rec.Data.HeightCm) + " cm"
		}
		return s
	}},
	{Key: "last_dspm", value: func(r *Row, _ time.Time) string {
		rec, ok := r.latest(people.DevelopmentScreening)
		if !ok || rec.Data.Domains == nil {
			return ""
		}
		d := rec.Data.Domains
		var behind []string
		for _, x := range []struct{ k, v string }{{"GM", d.GM}, {"FM", d.FM}, {"RL", d.RL}, {"EL", d.EL}, {"PS", d.PS}} {
			if x.v != people.DSPMPass {
				behind = append(behind, x.k+"="+x.v)
			}
		}
		s := rec.OccurredOn + " " + strconv.Itoa(rec.Data.ScreeningAge) + "m"
		if len(behind) == 0 {
			return s + " pass"
		}
		return s + " " + strings.Join(behind, ",")
	}},
	{Key: "conditions", Sensitive: people.SensitiveHealth, value: func(r *Row, _ time.Time) string {
		var out []string
		for _, rec := range r.oldestFirst(people.Condition) {
			s := rec.Data.Condition
			if rec.Data.Note != "" {
				s += ": " + rec.Data.Note
			}
			out = append(out, s)
		}
		return strings.Join(out, "; ")
	}},
	{Key: "last_home_visit", Sensitive: people.SensitiveSafety, value: func(r *Row, _ time.Time) string {
		rec, ok := r.latest(people.HomeVisit)
		if !ok {
			return ""
		}
		return rec.OccurredOn + " " + rec.Data.Note
	}},
}

// FieldByKey finds a field of the catalogue.
func FieldByKey(key string) (Field, bool) {
	for _, f := range Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// DefaultFields are the keys chosen when the officer chooses none.
func DefaultFields() []string {
	var out []string
	for _, f := range Fields {
		if f.Default {
			out = append(out, f.Key)
		}
	}
	return out
}

// NeedsRecords reports whether any of the fields reads records.
func NeedsRecords(keys []string) bool {
	for _, k := range keys {
		if slices.Contains([]string{"vaccinations", "last_growth", "last_dspm", "conditions", "last_home_visit"}, k) {
			return true
		}
	}
	return false
}

// Request is what an officer asks for.
type Request struct {
	AreaID       string
	Format       Format
	Fields       []string // CSV and XLSX; FHIR carries its own resources
	ChildrenOnly bool     // people under 18 only
	Lang         string   // of the community names and the header
}

// Validate checks a request against the catalogue and the exporter's
// sensitive categories (sees reports whether one is granted): a field the
// role may not see is refused by name, never silently left out.
func (r *Request) Validate(sees func(category string) bool) error {
	if r.AreaID == "" {
		return errs.Field("area_id", "field.required", nil)
	}
	if !slices.Contains(Formats, r.Format) {
		return errs.Field("format", "field.choice", nil)
	}
	if r.Format == FHIR {
		r.Fields = nil
		return nil
	}
	if len(r.Fields) == 0 {
		return errs.Field("fields", "exports.fields_required", nil)
	}
	seen := map[string]bool{}
	for _, k := range r.Fields {
		f, ok := FieldByKey(k)
		if !ok {
			return errs.Field("fields", "field.choice", nil)
		}
		if seen[k] {
			return errs.Field("fields", "exports.field_twice", map[string]any{"Field": k})
		}
		seen[k] = true
		if f.Sensitive != people.NotSensitive && !sees(string(f.Sensitive)) {
			return errs.Field("fields", "exports.field_not_allowed", map[string]any{"Field": k})
		}
	}
	return nil
}

// Cells are a row's values for the chosen fields, neutralised for
// spreadsheets.
func Cells(r *Row, keys []string, asOf time.Time, out []string) []string {
	out = out[:0]
	for _, k := range keys {
		f, _ := FieldByKey(k)
		v := ""
		if f.value != nil {
			v = f.value(r, asOf)
		}
		out = append(out, imports.SafeCell(v)) // =HYPERLINK(…) in a name stays text
	}
	return out
}

func (r *Row) oldestFirst(kind people.RecordKind) []people.Record {
	var out []people.Record
	for _, rec := range r.Records {
		if rec.Kind == kind {
			out = append(out, rec)
		}
	}
	slices.SortStableFunc(out, func(a, b people.Record) int { return strings.Compare(a.OccurredOn, b.OccurredOn) })
	return out
}

func (r *Row) latest(kind people.RecordKind) (people.Record, bool) {
	recs := r.oldestFirst(kind)
	if len(recs) == 0 {
		return people.Record{}, false
	}
	return recs[len(recs)-1], true
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// birthBE is a birth date as Thai documents write it: day/month/B.E. year
// (or what part of it is known).
func birthBE(s string) string {
	d, err := thai.ParseDate(s)
	if err != nil || s == "" {
		return ""
	}
	switch {
	case d.Day > 0:
		return strconv.Itoa(d.Day) + "/" + strconv.Itoa(d.Month) + "/" + strconv.Itoa(d.Year+543)
	case d.Month > 0:
		return strconv.Itoa(d.Month) + "/" + strconv.Itoa(d.Year+543)
	}
	return strconv.Itoa(d.Year + 543)
}
