package imports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/thai"
)

// NDJSON is what the agency API's bulk endpoints receive: one JSON object
// a line (application/x-ndjson), each line a row. Its fields are the
// targets of a mapping under their own names, so a line goes through the
// same checks as a roster row, and a bulk upload is an import job like any
// other: batches, keys, the report of rejected lines.
const (
	NDJSONPeople  Format = "ndjson-people"  // a person a line, with optional enrolment and grant
	NDJSONRecords Format = "ndjson-records" // records a line about a person sent before (person_key) or known by national ID
)

// PersonKey is the field of a records line naming the person by the key
// the same source gave them (their local_id, else national_id).
const PersonKey = "person_key"

// MaxLine bounds one NDJSON line: a person is a few hundred bytes.
const MaxLine = 64 << 10

// recordTargets are the targets a records line may hold besides its key.
var recordTargets = []Target{SchoolGrade, EnrolledOn, ChildcareSince, GrantCode, GrantAmount, GrantedOn}

// NDJSONFields lists the fields a line of the format may have.
func NDJSONFields(f Format) []string {
	var out []string
	if f == NDJSONRecords {
		out = append(out, PersonKey, string(NationalIDCol))
		for _, t := range recordTargets {
			out = append(out, string(t))
		}
		return out
	}
	for _, t := range Targets {
		out = append(out, string(t))
	}
	return out
}

// NDJSONMapping is the mapping of a bulk upload: every field to itself,
// dates in C.E. (ISO 8601, 2019-05-31), as JSON APIs write them.
func NDJSONMapping(f Format) Mapping {
	m := Mapping{Header: true, DateEra: EraCE, Columns: map[Target]string{}}
	for _, name := range NDJSONFields(f) {
		if name != PersonKey {
			m.Columns[Target(name)] = name
		}
	}
	return m
}

// IsNDJSON reports whether a format is one of the bulk API's.
func IsNDJSON(f Format) bool { return f == NDJSONPeople || f == NDJSONRecords }

// badLine is a line that cannot be read as a row (not JSON, an unknown
// field): the line is rejected like a row that fails its checks, and the
// lines after it are read on.
type badLine struct{ RowError }

func (e *badLine) Error() string { return e.RowError.Error() }

// ndjsonTable reads an NDJSON file line by line: nothing holds more than
// a line, whatever the file's size.
type ndjsonTable struct {
	f      *os.File
	r      *bufio.Reader
	fields []string
	index  map[string]int
	cells  []string
	line   int
	offset int64
}

func openNDJSON(path string, format Format) (Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, rowErr(0, "", "import.read_failed", nil)
	}
	t := &ndjsonTable{f: f, r: bufio.NewReaderSize(f, 64<<10), fields: NDJSONFields(format), index: map[string]int{}}
	for i, name := range t.fields {
		t.index[name] = i
	}
	t.cells = make([]string, len(t.fields))
	return t, nil
}

func (t *ndjsonTable) Header() []string { return t.fields }
func (t *ndjsonTable) Encoding() string { return "utf-8" }
func (t *ndjsonTable) Offset() int64    { return t.offset }
func (t *ndjsonTable) Close() error     { return t.f.Close() }
func (t *ndjsonTable) fail(field, id string, data map[string]any) (int, []string, error) {
	return t.line, nil, &badLine{RowError{Line: t.line, Field: field, MessageID: id, Data: data}}
}

// readLine returns the next line without its end, or reports one longer
// than MaxLine (read past, not kept).
func (t *ndjsonTable) readLine() ([]byte, bool, error) {
	var buf []byte
	long := false
	for {
		chunk, err := t.r.ReadSlice('\n')
		t.offset += int64(len(chunk))
		if !long {
			if len(buf)+len(chunk) > MaxLine+2 {
				long, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && (len(buf) > 0 || long):
			return bytes.TrimRight(buf, "\r\n"), long, nil
		case err != nil:
			return nil, false, err
		}
		return bytes.TrimRight(buf, "\r\n"), long, nil
	}
}

// Next implements Table: the line's fields in the order of Header. A line
// that is not one JSON object of known fields holding strings or numbers
// is a bad line (its number, the field, why).
func (t *ndjsonTable) Next() (int, []string, error) {
	raw, long, err := t.readLine()
	if err != nil {
		return 0, nil, err
	}
	t.line++
	if long {
		return t.fail("", "bulk.line_too_long", map[string]any{"Max": MaxLine})
	}
	if t.line == 1 {
		raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
	}
	clear(t.cells)
	if len(bytes.TrimSpace(raw)) == 0 {
		return t.line, t.cells, nil // a blank line: skipped
	}
	if !utf8.Valid(raw) {
		return t.fail("", "bulk.not_utf8", nil)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return t.fail("", "bulk.not_object", nil)
	}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return t.fail("", "bulk.bad_json", nil)
		}
		name, _ := kt.(string)
		i, known := t.index[name]
		if !known {
			return t.fail(name, "bulk.unknown_field", map[string]any{"Field": name})
		}
		vt, err := dec.Token()
		if err != nil {
			return t.fail(name, "bulk.bad_json", nil)
		}
		switch v := vt.(type) {
		case string:
			t.cells[i] = v
		case json.Number:
			t.cells[i] = v.String()
		case nil:
			t.cells[i] = ""
		default:
			return t.fail(name, "bulk.value_type", map[string]any{"Field": name})
		}
	}
	if _, err := dec.Token(); err != nil {
		return t.fail("", "bulk.bad_json", nil)
	}
	if _, err := dec.Token(); err != io.EOF {
		return t.fail("", "bulk.bad_json", nil)
	}
	return t.line, t.cells, nil
}

// bindRecords binds a records line's fields: records only, about the
// person the source keyed as person_key or holding national_id.
func bindRecords(header []string, now time.Time) Binder {
	b := &Bound{Mapping: NDJSONMapping(NDJSONRecords), index: map[Target]int{}, columns: map[string]string{}}
	for i, h := range header {
		b.index[Target(h)] = i
		b.columns[h] = h
	}
	b.columns["occurred_on"] = "enrolled_on"
	b.columns["grade"] = string(SchoolGrade)
	b.columns["amount_baht"] = string(GrantAmount)
	b.columns["key"] = PersonKey
	b.columns["person_id"] = PersonKey
	keyAt := slices.Index(header, PersonKey)
	return func(line int, cells []string) (*Row, *RowError) {
		get := func(t Target) string { return b.cell(cells, t) }
		key := strings.TrimSpace(cells[keyAt])
		row := &Row{Line: line, PersonKey: key, Columns: b.columns}
		if s := get(NationalIDCol); s != "" {
			id, err := thai.ValidateNationalID(s)
			if err != nil {
				reason := "format"
				if ie, ok := err.(*thai.IDError); ok {
					reason = ie.Reason
				}
				return nil, rowErr(line, string(NationalIDCol), "person.national_id_"+reason, nil)
			}
			row.NationalID = id
		}
		if key == "" {
			key = row.NationalID
			row.PersonKey = key
		}
		if key == "" {
			return nil, rowErr(line, PersonKey, "import.key_missing", nil)
		}
		hashes, rerr := b.addRecords(row, key, "", get, NDJSONRecords, now, nil)
		if rerr != nil {
			return nil, rerr
		}
		if len(row.Records) == 0 {
			return nil, rowErr(line, "", "bulk.no_record", nil)
		}
		row.Hash = hashOf(hashes...)
		return row, nil
	}
}

// lineOf reads the line number a bad line's error carries.
func lineOf(err error) (RowError, bool) {
	var bl *badLine
	if errors.As(err, &bl) {
		return bl.RowError, true
	}
	return RowError{}, false
}
