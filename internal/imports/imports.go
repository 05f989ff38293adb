// Package imports reads the files other agencies send — CSV and XLSX
// rosters, the Ministry of Public Health's "43 files" — and turns each data
// row into a person and service records for the store, with every problem
// reported by line, field and a message ID. It knows nothing of SQL: the
// store commits what Run hands it, one batch per transaction.
package imports

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"termtem/internal/errs"
	"termtem/internal/people"
)

// Format is a kind of input file.
type Format string

const (
	CSV    Format = "csv"
	XLSX   Format = "xlsx"
	MOPH43 Format = "moph43"
	// FHIR (an HL7 FHIR R4 bundle) is declared in fhir.go.
)

// Status is where a job stands.
type Status string

const (
	Draft   Status = "draft"   // uploaded, mapping not chosen yet
	Queued  Status = "queued"  // ready to run
	Running Status = "running" // a process holds it (see Job.Heartbeat)
	Done    Status = "done"
	Failed  Status = "failed" // stopped at a bad row or a bad file; resumable once fixed or with skip-bad-rows
)

// BatchRows is how many data rows one transaction holds: enough to amortise
// the commit, few enough that a failed batch costs little to redo and the
// single SQLite writer is not held for long.
const BatchRows = 1000

// MaxUpload bounds an uploaded file. The file is streamed to disk, never
// held in memory, so the bound is about disk space and time, not memory.
const MaxUpload = 1 << 30

// Counts summarise a job.
type Counts struct {
	Read      int `json:"read"`      // data rows read
	Created   int `json:"created"`   // new people
	Linked    int `json:"linked"`    // rows linked to a person already known by national ID
	Added     int `json:"added"`     // service rows that added records to a person already known
	Updated   int `json:"updated"`   // corrected rows updated in place
	Unchanged int `json:"unchanged"` // rows already imported exactly so
	Rejected  int `json:"rejected"`  // rows not imported
	Records   int `json:"records"`   // service records added or corrected
}

// Add adds another batch's counts.
func (c *Counts) Add(o Counts) {
	c.Read += o.Read
	c.Created += o.Created
	c.Linked += o.Linked
	c.Added += o.Added
	c.Updated += o.Updated
	c.Unchanged += o.Unchanged
	c.Rejected += o.Rejected
	c.Records += o.Records
}

// Job is one import of one file.
type Job struct {
	ID             string
	Source         string // the agency's source name, e.g. "school-1011-roster" or "moph43"
	Format         Format
	FileName       string // as uploaded; shown, never logged
	FileHash       string // SHA-256 of the file: resume refuses a changed file
	FilePath       string // where the file is kept until the job is done
	FileSize       int64
	Encoding       string
	Mapping        Mapping
	SkipBadRows    bool
	OrganisationID string // records are written as from this organisation unless the row names its own (HOSPCODE)
	CreatedBy      string // user ID, or "cli"
	Status         Status
	BatchesDone    int
	LinesDone      int   // the last input line of the last committed batch
	BytesDone      int64 // how far the committed batches reach into the file
	Counts         Counts
	Error          *RowError // what stopped a failed job
	Claim          string    // the token of the process running it
	StartedAt      time.Time
	FinishedAt     time.Time
	Heartbeat      time.Time
	CreatedAt      time.Time
}

// Percent is how far the job is, by bytes of the file committed; -1 when
// unknown (XLSX is compressed: its bytes say nothing about rows).
func (j Job) Percent() int {
	if j.Status == Done {
		return 100
	}
	if j.FileSize <= 0 || j.Format == XLSX {
		return -1
	}
	return int(min(100, j.BytesDone*100/j.FileSize))
}

// RowError is one rejected row, or the file-level problem that stopped a
// job: the 1-based input line, the source's field (column) name, and a
// message ID with its data. It never holds the row's values.
type RowError struct {
	Line      int            `json:"line"`
	Field     string         `json:"field,omitempty"`
	MessageID string         `json:"message"`
	Data      map[string]any `json:"data,omitempty"`
}

func (e *RowError) Error() string {
	return (&errs.Error{Code: errs.Invalid, MessageID: e.MessageID, Field: e.Field, Line: e.Line}).Error()
}

// rowErr makes a RowError; field is the source's column name.
func rowErr(line int, field, id string, data map[string]any) *RowError {
	return &RowError{Line: line, Field: field, MessageID: id, Data: data}
}

// AsRowError turns a validation error from the people package into a row
// error, naming the source column that held the field (columns maps
// Termtem's field names to the file's).
func AsRowError(err error, line int, columns map[string]string) *RowError {
	if re, ok := err.(*RowError); ok {
		return re
	}
	e := errs.As(err)
	field := e.Field
	if c, ok := columns[field]; ok && c != "" {
		field = c
	}
	if e.Code == errs.Internal {
		return rowErr(line, field, "import.row_internal", nil)
	}
	return rowErr(line, field, e.MessageID, e.Data)
}

// Row is one data row made ready for the store.
type Row struct {
	Line int
	// Key is the agency's own key for the person, unique within the source
	// (student number, HOSPCODE+PID); empty for a row that only adds a
	// record to a person keyed elsewhere (PersonKey).
	Key string
	// Hash identifies the row's meaning: the same values give the same hash
	// however the file was encoded or formatted.
	Hash string
	// Person is the person the row describes (validated and normalised),
	// when it describes one.
	Person *people.Person
	// PersonKey is the source key of the person a record-only row is about
	// (a 43-file EPI row names the PERSON row by HOSPCODE+PID), and
	// NationalID the CID it gives, if valid.
	PersonKey  string
	NationalID string
	// OrganisationCode names the organisation that gave the services (the
	// 43 files' HOSPCODE); empty: the job's organisation.
	OrganisationCode string
	Records          []RowRecord
	// RelatedTo is, for a relative (a FHIR RelatedPerson), the source key of
	// the person they are Relation of: the importer places the two in one
	// household.
	RelatedTo string
	Relation  people.Relationship
	// Columns maps Termtem's field names to the file's, for messages about
	// fields the store checks (a record date before the birth date).
	Columns map[string]string
	// Evidence is what the row says about the person's mother and home,
	// for record linkage only (see Evidence).
	Evidence Evidence
}

// RowRecord is a service record a row gives, with its key within the
// source so that a corrected row corrects the record in place.
type RowRecord struct {
	Key    string
	Hash   string
	Record people.Record
}

// hashOf hashes values joined by a separator that cannot occur in them.
func hashOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0x1f})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// personHash is the hash of the fields of a person a source gives.
func personHash(p *people.Person) string {
	var ids []string
	for _, id := range p.Identifiers {
		ids = append(ids, string(id.Kind)+"="+id.Value)
	}
	return hashOf(p.NationalID, strings.Join(ids, ","), p.Title, p.GivenName, p.FamilyName, p.Nickname, p.GivenNameLatin,
		p.FamilyNameLatin, string(p.Sex), p.BirthDate, string(p.Nationality), p.Phone)
}

// recordHash is the hash of a record's meaning.
func recordHash(r people.Record) string {
	return hashOf(string(r.Kind), r.OccurredOn, r.Data.Encode())
}

// Decision is what to do with a row's person.
type Decision int

const (
	// CreateNew: nobody known; a new person keyed by the source key.
	CreateNew Decision = iota
	// SameKey: the source sent this key before; it is that person (update
	// in place when the row changed).
	SameKey
	// LinkNationalID: a person with the row's valid national ID exists:
	// the row joins that person's record.
	LinkNationalID
	// LinkProbable: record linkage found the person by name, birth date
	// and the rest with a score above the link threshold.
	LinkProbable
)

// Known is what the store found about a row before deciding.
type Known struct {
	// ByKey is the person the source key was imported as, if any.
	ByKey string
	// ByNationalID is the person holding the row's national ID, if any.
	ByNationalID string
	// Probable is the person record linkage links the row to (when
	// neither key nor national ID decided); empty when it did not.
	Probable string
}

// Decide is the one place that decides whether a row is a person already
// known or a new one: the source's own key, then a valid national ID, then
// what record linkage (internal/linkage) found; everything else is new. A
// row linkage was unsure of is new too, and its pair waits in the review
// queue for a data officer.
func Decide(row *Row, k Known) (Decision, string) {
	switch {
	case k.ByKey != "":
		return SameKey, k.ByKey
	case k.ByNationalID != "":
		return LinkNationalID, k.ByNationalID
	case k.Probable != "":
		return LinkProbable, k.Probable
	}
	return CreateNew, ""
}
