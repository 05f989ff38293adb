package fhir

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Problem is something wrong with a bundle or one of its entries: the
// entry's 0-based index (-1 for the bundle itself), the element as a
// FHIRPath-like path ("entry[3].resource.vaccineCode"), and a message ID
// with its data. It never holds the element's value.
type Problem struct {
	Index     int
	Field     string
	MessageID string
	Data      map[string]any
}

func (p *Problem) Error() string {
	return fmt.Sprintf("entry %d %s: %s", p.Index, p.Field, p.MessageID)
}

func bundleProblem(id string) *Problem { return &Problem{Index: -1, MessageID: id} }

// BundleReader reads a bundle's entries one at a time from a stream: a
// bundle of a whole district needs no more memory than its largest entry.
type BundleReader struct {
	dec     *json.Decoder
	Meta    Meta   // the bundle's meta, when it comes before the entries
	Type    string // the bundle's type, likewise
	index   int
	inArray bool
	done    bool
	typed   bool // resourceType "Bundle" seen
}

// NewBundleReader starts reading a bundle. It refuses what is not a JSON
// object, and a resource that says it is not a Bundle.
func NewBundleReader(r io.Reader) (*BundleReader, error) {
	// A byte-order mark, as Windows tools write, is not JSON: skip it.
	buf := bufio.NewReader(r)
	if b, err := buf.Peek(3); err == nil && string(b) == "\xEF\xBB\xBF" {
		buf.Discard(3)
	}
	br := &BundleReader{dec: json.NewDecoder(buf)}
	tok, err := br.dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, bundleProblem("fhir.empty")
		}
		return nil, bundleProblem("fhir.not_json")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, bundleProblem("fhir.not_bundle")
	}
	if err := br.advance(); err != nil {
		return nil, err
	}
	return br, nil
}

// advance reads the bundle's members up to the start of the entry array
// (or the end of the bundle).
func (br *BundleReader) advance() error {
	for br.dec.More() {
		tok, err := br.dec.Token()
		if err != nil {
			return bundleProblem("fhir.not_json")
		}
		key, _ := tok.(string)
		switch key {
		case "resourceType":
			var t string
			if err := br.dec.Decode(&t); err != nil || t != "Bundle" {
				return bundleProblem("fhir.not_bundle")
			}
			br.typed = true
		case "type":
			if err := br.dec.Decode(&br.Type); err != nil {
				return &Problem{Index: -1, Field: "type", MessageID: "fhir.not_json"}
			}
		case "meta":
			if err := br.dec.Decode(&br.Meta); err != nil {
				return &Problem{Index: -1, Field: "meta", MessageID: "fhir.not_json"}
			}
		case "entry":
			tok, err := br.dec.Token()
			if err != nil {
				return bundleProblem("fhir.not_json")
			}
			if d, ok := tok.(json.Delim); !ok || d != '[' {
				return &Problem{Index: -1, Field: "entry", MessageID: "fhir.entry_not_list"}
			}
			br.inArray = true
			return nil
		default:
			var skip json.RawMessage
			if err := br.dec.Decode(&skip); err != nil {
				return bundleProblem("fhir.not_json")
			}
		}
	}
	// The closing brace.
	if _, err := br.dec.Token(); err != nil {
		return bundleProblem("fhir.not_json")
	}
	if !br.typed {
		return bundleProblem("fhir.not_bundle")
	}
	br.done = true
	return nil
}

// Next returns the next entry, or io.EOF after the last. An entry that is
// not an object with a resource comes back with a Problem and the reader
// goes on; broken JSON stops it.
func (br *BundleReader) Next() (RawEntry, error) {
	for !br.done {
		if !br.inArray {
			if err := br.advance(); err != nil {
				return RawEntry{}, err
			}
			continue
		}
		if !br.dec.More() {
			if _, err := br.dec.Token(); err != nil { // ']'
				return RawEntry{}, bundleProblem("fhir.not_json")
			}
			br.inArray = false
			if err := br.advance(); err != nil {
				return RawEntry{}, err
			}
			continue
		}
		var raw json.RawMessage
		if err := br.dec.Decode(&raw); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) || err == io.ErrUnexpectedEOF {
				return RawEntry{}, &Problem{Index: br.index, MessageID: "fhir.not_json"}
			}
			return RawEntry{}, &Problem{Index: br.index, MessageID: "fhir.not_json"}
		}
		e := RawEntry{Index: br.index}
		br.index++
		if err := json.Unmarshal(raw, &e); err != nil || len(e.Resource) == 0 || string(e.Resource) == "null" {
			return e, &Problem{Index: e.Index, Field: fmt.Sprintf("entry[%d].resource", e.Index), MessageID: "fhir.resource_missing"}
		}
		return e, nil
	}
	if !br.typed {
		return RawEntry{}, bundleProblem("fhir.not_bundle")
	}
	return RawEntry{}, io.EOF
}

// Offset is how many bytes of the input the reader has consumed.
func (br *BundleReader) Offset() int64 { return br.dec.InputOffset() }

// HeadOf reads an entry's resource type and id.
func HeadOf(e RawEntry) (Head, *Problem) {
	var h Head
	if err := json.Unmarshal(e.Resource, &h); err != nil {
		return h, &Problem{Index: e.Index, Field: fmt.Sprintf("entry[%d].resource", e.Index), MessageID: "fhir.resource_shape"}
	}
	if h.ResourceType == "" {
		return h, &Problem{Index: e.Index, Field: fmt.Sprintf("entry[%d].resource.resourceType", e.Index), MessageID: "field.required"}
	}
	return h, nil
}
