package imports

import (
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"termtem/internal/fhir"
)

// FHIR is an HL7 FHIR R4 bundle (JSON).
const FHIR Format = "fhir"

// A bundle is read as a table of entries, in two passes over the file: the
// people (Patient, RelatedPerson) first, then everything else, so that a
// record finds its person whatever the order of the bundle. Every entry is
// one row; its line is its place in that order, and the field of a problem
// names the entry itself (entry[7].resource.vaccineCode, counted from 0 as
// FHIRPath does). Nothing but the people's keys is held in memory.
type fhirTable struct {
	path   string
	f      *os.File
	br     *fhir.BundleReader
	pass   int   // 1: people, 2: the rest
	size   int64 // bytes of the file, for progress over two passes
	line   int
	cur    fhir.RawEntry
	curErr *fhir.Problem
	// alias maps a person entry's fullUrl to its key; keys holds every
	// person key of the bundle, for references.
	alias map[string]string
	keys  map[string]bool
}

var fhirHeader = []string{"entry", "resourceType", "id"}

func openFHIR(path string) (*fhirTable, error) {
	t := &fhirTable{path: path, alias: map[string]string{}, keys: map[string]bool{}}
	if fi, err := os.Stat(path); err == nil {
		t.size = fi.Size()
	}
	if err := t.start(1); err != nil {
		return nil, err
	}
	return t, nil
}

// start opens the file for a pass.
func (t *fhirTable) start(pass int) error {
	if t.f != nil {
		t.f.Close()
	}
	f, err := os.Open(t.path)
	if err != nil {
		return rowErr(0, "", "import.read_failed", nil)
	}
	br, err := fhir.NewBundleReader(f)
	if err != nil {
		f.Close()
		return problemRow(0, err)
	}
	t.f, t.br, t.pass = f, br, pass
	return nil
}

// problemRow turns a bundle problem into a row error.
func problemRow(line int, err error) *RowError {
	var p *fhir.Problem
	if !errors.As(err, &p) {
		return rowErr(line, "", "import.read_failed", nil)
	}
	return rowErr(line, p.Field, p.MessageID, p.Data)
}

func (t *fhirTable) Header() []string { return fhirHeader }
func (t *fhirTable) Encoding() string { return "" }
func (t *fhirTable) Close() error {
	if t.f == nil {
		return nil
	}
	return t.f.Close()
}

// Offset counts both passes, each as half the file.
func (t *fhirTable) Offset() int64 {
	o := t.br.Offset() / 2
	if t.pass == 2 {
		o += t.size / 2
	}
	return o
}

func isPersonType(s string) bool { return s == fhir.TypePatient || s == fhir.TypeRelatedPerson }

// Next returns the next entry of the pass as cells (index, type, id); the
// entry itself is kept for the binder.
func (t *fhirTable) Next() (int, []string, error) {
	for {
		e, err := t.br.Next()
		if err == io.EOF {
			if t.pass == 1 {
				if err := t.start(2); err != nil {
					return 0, nil, err
				}
				continue
			}
			return 0, nil, io.EOF
		}
		var p *fhir.Problem
		if err != nil && (!errors.As(err, &p) || p.Index < 0 || p.MessageID == "fhir.not_json") {
			return t.line + 1, nil, problemRow(t.line+1, err)
		}
		h, hp := fhir.Head{}, p
		if hp == nil {
			h, hp = fhir.HeadOf(e)
		}
		person := hp == nil && isPersonType(h.ResourceType)
		if person != (t.pass == 1) {
			continue
		}
		if person {
			key := h.ResourceType + "/" + h.ID
			if h.ID == "" {
				key = e.FullURL
			}
			t.keys[key] = true
			if e.FullURL != "" {
				t.alias[e.FullURL] = key
			}
		}
		t.line++
		t.cur, t.curErr = e, hp
		return t.line, []string{strconv.Itoa(e.Index), h.ResourceType, h.ID}, nil
	}
}

// resolve finds the person a reference names: a fullUrl in the bundle, or
// "Patient/ID" (also at the end of an absolute URL).
func (t *fhirTable) resolve(ref string) string {
	if k, ok := t.alias[ref]; ok {
		return k
	}
	parts := strings.Split(ref, "/")
	if len(parts) >= 2 {
		k := parts[len(parts)-2] + "/" + parts[len(parts)-1]
		if t.keys[k] {
			return k
		}
	}
	return ""
}

// bindFHIR binds a bundle's entries to rows.
func bindFHIR(job *Job, now time.Time) (Table, Binder, *RowError) {
	t, err := openFHIR(job.FilePath)
	if err != nil {
		var re *RowError
		if errors.As(err, &re) {
			return nil, nil, re
		}
		return nil, nil, rowErr(0, "", "import.read_failed", nil)
	}
	job.Mapping.Header = true // the table's header is its own, never data
	return t, func(line int, _ []string) (*Row, *RowError) { return t.row(line, now) }, nil
}

func codes43(code string) (string, int, bool) {
	v, ok := vaccines43[code]
	return v.vaccine, v.dose, ok
}

// row turns the current entry into a row.
func (t *fhirTable) row(line int, now time.Time) (*Row, *RowError) {
	if t.curErr != nil {
		return nil, rowErr(line, t.curErr.Field, t.curErr.MessageID, t.curErr.Data)
	}
	it, p := fhir.Read(t.cur, now, codes43)
	if p != nil {
		return nil, rowErr(line, p.Field, p.MessageID, p.Data)
	}
	base := "entry[" + strconv.Itoa(t.cur.Index) + "].resource"
	columns := map[string]string{"key": base + ".id"}
	for k, v := range it.Fields {
		columns[k] = v
	}
	row := &Row{Line: line, Columns: columns}
	subject := ""
	if it.Subject != "" {
		subject = t.resolve(it.Subject)
		if subject == "" {
			field := columns["person_id"]
			if it.Type == fhir.TypeRelatedPerson {
				field = base + ".patient"
			}
			return nil, rowErr(line, field, "fhir.reference_missing", nil)
		}
	}
	if it.Person != nil {
		row.Key, row.Person = it.Key, it.Person
		if it.Type == fhir.TypeRelatedPerson && it.Relationship != "" {
			row.RelatedTo, row.Relation = subject, it.Relationship
			columns["relationship"], columns["patient"] = it.RelationshipField, base+".patient"
		}
		row.Hash = hashOf(it.Type, personHash(it.Person), subject, string(it.Relationship))
		if row.Evidence = newEvidence(it.MotherName, "", "", it.Address); !row.Evidence.Empty() {
			row.Hash = hashOf(row.Hash, row.Evidence.hash())
		}
		return row, nil
	}
	rec := *it.Record
	h := recordHash(rec)
	row.PersonKey = subject
	row.Records = []RowRecord{{Key: it.Key, Hash: h, Record: rec}}
	row.Hash = h
	return row, nil
}
