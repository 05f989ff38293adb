package directory

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/imports"
	"termtem/internal/people"
)

// HSDS 3.0 also travels as a tabular data package: a ZIP of CSV files, one
// per table, described by datapackage.json. Termtem writes the tables it
// has something to say in; a service's parts are rows of their own tables
// linked by service_id, and what HSDS has no field for is an attribute
// row whose taxonomy term belongs to the taxonomy "termtem", as in the
// JSON form. Each table's file is named after the table (service.csv);
// on reading, the paths datapackage.json gives win, and without one the
// plural names of earlier HSDS packages (services.csv) are found too.

// table is one CSV file of the package: its name and the columns Termtem
// writes, in order.
type table struct {
	name    string
	columns []string
}

// The tables Termtem writes, parents before children.
var tabularTables = []table{
	{"organization", []string{"id", "name", "alternate_name", "description", "email", "website"}},
	{"organization_identifier", []string{"id", "organization_id", "identifier_scheme", "identifier_type", "identifier"}},
	{"location", []string{"id", "location_type", "organization_id", "name", "alternate_name", "description"}},
	{"service", []string{"id", "organization_id", "name", "alternate_name", "description", "email", "status", "application_process",
		"fees_description", "eligibility_description", "minimum_age", "maximum_age", "assured_date", "last_modified"}},
	{"service_at_location", []string{"id", "service_id", "location_id", "description"}},
	{"phone", []string{"id", "service_id", "number", "type"}},
	{"schedule", []string{"id", "service_id", "description"}},
	{"service_area", []string{"id", "service_id", "name", "extent", "extent_type"}},
	{"cost_option", []string{"id", "service_id", "option", "currency", "amount"}},
	{"unit", []string{"id", "name"}},
	{"service_capacity", []string{"id", "service_id", "unit_id", "available", "maximum", "description", "updated"}},
	{"taxonomy", []string{"id", "name", "description", "version"}},
	{"taxonomy_term", []string{"id", "code", "name", "description", "taxonomy_id"}},
	{"attribute", []string{"id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value"}},
}

// Column types other than string, for datapackage.json.
var tabularTypes = map[string]string{"minimum_age": "integer", "maximum_age": "integer", "available": "integer", "maximum": "integer",
	"amount": "number", "assured_date": "date", "last_modified": "datetime", "updated": "datetime"}

// IdentifierType marks an organisation's Termtem code among its
// organization_identifier rows: another Termtem reads it to find the
// organisation when the IDs differ.
const IdentifierType = "termtem_code"

// linkDescriptionEN carries the English description (HSDS has one
// description; Termtem's Thai one goes there).
const linkDescriptionEN = "description_en"

// The two forms a directory is downloaded in: the file's name, its media
// type and how it is written.
type ExportForm struct {
	FileName, ContentType string
	Write                 func(w io.Writer, list []Service) error
}

var (
	JSONForm    = ExportForm{"termtem-services-hsds.json", "application/json; charset=utf-8", WriteJSON}
	TabularForm = ExportForm{"termtem-services-hsds.zip", "application/zip", WriteTabular}
)

// WriteJSON writes the directory as one HSDS page of services.
func WriteJSON(w io.Writer, list []Service) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(Page(list))
}

// WriteTabular writes the directory as an HSDS 3.0 tabular data package.
// The IDs of a service's parts derive from the service's, so exporting
// the same directory twice gives the same files.
func WriteTabular(w io.Writer, list []Service) error {
	rows := map[string][][]string{}
	add := func(t string, r ...string) { rows[t] = append(rows[t], r) }
	orgs := map[string]bool{}
	terms := map[string]bool{}
	add("taxonomy", Vocabulary, Vocabulary, "Termtem: flower dimensions and indicators, eligibility rules, referral kinds, waiting days", "1")
	add("unit", "termtem-children", "children")
	for _, s := range list {
		loc := s.OrganisationID + "/location"
		if !orgs[s.OrganisationID] {
			orgs[s.OrganisationID] = true
			add("organization", s.OrganisationID, s.OrgNameTH, s.OrgNameEN, s.OrgNameTH, "", "")
			if s.OrgCode != "" {
				add("organization_identifier", s.OrganisationID+"/code", s.OrganisationID, "", IdentifierType, s.OrgCode)
			}
			add("location", loc, "physical", s.OrganisationID, s.OrgNameTH, s.OrgNameEN, "")
		}
		h := ToHSDS(s)
		str := func(p *int) string {
			if p == nil {
				return ""
			}
			return strconv.Itoa(*p)
		}
		add("service", s.ID, s.OrganisationID, h.Name, h.AlternateName, h.Description, h.Email, h.Status, h.ApplicationProcess,
			h.FeesDescription, h.EligibilityDescription, str(h.MinimumAge), str(h.MaximumAge), h.AssuredDate, h.LastModified)
		add("service_at_location", s.ID+"/at", s.ID, loc, "")
		for _, p := range h.Phones {
			add("phone", p.ID, s.ID, p.Number, "voice")
		}
		for _, x := range h.Schedules {
			add("schedule", x.ID, s.ID, x.Description)
		}
		for _, a := range h.ServiceAreas {
			add("service_area", a.ID, s.ID, a.Name, a.Extent, a.ExtentType)
		}
		for _, c := range h.CostOptions {
			add("cost_option", c.ID, s.ID, c.Option, "THB", strconv.FormatFloat(*c.Amount, 'f', -1, 64))
		}
		for _, c := range h.Capacities {
			add("service_capacity", c.ID, s.ID, c.Unit.ID, str(c.Maximum), str(c.Maximum), "", c.Updated)
		}
		attrs := h.Attributes
		if s.DescriptionEN != "" {
			attrs = append(attrs, HSDSAttribute{ID: s.ID + "/attribute/" + strconv.Itoa(len(attrs)), LinkType: linkDescriptionEN, LinkEntity: "service",
				Value: s.DescriptionEN, TaxonomyTerm: HSDSTaxonomyTerm{ID: Vocabulary + ":" + linkDescriptionEN + ":en", Code: "en", Name: "en", Vocabulary: Vocabulary}})
		}
		for _, a := range attrs {
			if t := a.TaxonomyTerm; !terms[t.ID] {
				terms[t.ID] = true
				add("taxonomy_term", t.ID, t.Code, t.Name, a.LinkType, Vocabulary)
			}
			add("attribute", a.ID, s.ID, a.LinkType, a.LinkEntity, a.TaxonomyTerm.ID, a.Value)
		}
	}
	z := zip.NewWriter(w)
	// The same directory gives the same bytes: a fixed time in every
	// file header.
	stamp := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	create := func(name string) (io.Writer, error) {
		return z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
	}
	f, err := create("datapackage.json")
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(dataPackage()); err != nil {
		return err
	}
	for _, t := range tabularTables {
		f, err := create(t.name + ".csv")
		if err != nil {
			return err
		}
		cw := csv.NewWriter(f)
		if err := cw.Write(t.columns); err != nil {
			return err
		}
		for _, r := range rows[t.name] {
			safe := make([]string, len(r))
			for i, v := range r {
				safe[i] = imports.SafeCell(v) // =HYPERLINK(…) stays text in a spreadsheet
			}
			if err := cw.Write(safe); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	return z.Close()
}

type packageField struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type packageResource struct {
	Name      string `json:"name"`
	Path      string `json:"path"`
	Profile   string `json:"profile"`
	Format    string `json:"format"`
	MediaType string `json:"mediatype"`
	Encoding  string `json:"encoding"`
	Schema    struct {
		Fields     []packageField `json:"fields"`
		PrimaryKey string         `json:"primaryKey"`
	} `json:"schema"`
}

type dataPackageJSON struct {
	Name      string            `json:"name"`
	Title     string            `json:"title"`
	Profile   string            `json:"profile"`
	Version   string            `json:"version"`
	Resources []packageResource `json:"resources"`
}

func dataPackage() dataPackageJSON {
	p := dataPackageJSON{Name: "termtem-services", Title: "Termtem service directory (HSDS " + HSDSVersion + ")", Profile: "tabular-data-package",
		Version: HSDSVersion}
	for _, t := range tabularTables {
		r := packageResource{Name: t.name, Path: t.name + ".csv", Profile: "tabular-data-resource", Format: "csv", MediaType: "text/csv", Encoding: "utf-8"}
		r.Schema.PrimaryKey = "id"
		for _, c := range t.columns {
			typ := tabularTypes[c]
			if typ == "" {
				typ = "string"
			}
			r.Schema.Fields = append(r.Schema.Fields, packageField{Name: c, Type: typ})
		}
		p.Resources = append(p.Resources, r)
	}
	return p
}

// Origin is where a value of an imported file came from.
type Origin struct {
	File   string
	Line   int
	Column string
}

// Imported is a service read from an exchange file, with what the store
// needs to resolve and to say where a refused value came from.
type Imported struct {
	Service Service
	// OrgCode is the organisation's Termtem code where the file gives it:
	// the store falls back to it when no organisation has the file's ID.
	OrgCode string
	// Locate points a validation error at the file: JSON names the entry
	// (contents[2].eligibility), CSV the file, line and column.
	Locate func(e *errs.Error) *errs.Error
}

// ImportedJSON is one service of an HSDS JSON document.
func ImportedJSON(s Service, i int) Imported {
	return Imported{Service: s, Locate: func(e *errs.Error) *errs.Error {
		if !strings.HasPrefix(e.Field, "contents[") {
			e.Field = "contents[" + strconv.Itoa(i) + "]." + jsonField(e.Field)
		}
		return e
	}}
}

// jsonField names the area by its HSDS name, as FromHSDS does.
func jsonField(f string) string {
	if f == "area_code" || f == "area_place_id" {
		return "service_areas"
	}
	return f
}

// MaxTabular bounds an uploaded package, packed and unpacked.
const (
	MaxTabular         = 8 << 20
	maxTabularUnpacked = 64 << 20
)

// IsZip says whether an upload is a ZIP (a tabular package) rather than
// JSON.
func IsZip(body []byte) bool { return bytes.HasPrefix(body, []byte("PK\x03\x04")) }

// csvTable is one CSV file read: its name in the package, its columns
// and its rows with their line numbers.
type csvTable struct {
	file    string
	columns map[string]int
	rows    []csvRow
}

type csvRow struct {
	line  int
	cells []string
}

func (t *csvTable) get(r csvRow, col string) string {
	i, ok := t.columns[col]
	if !ok || i >= len(r.cells) {
		return ""
	}
	v := strings.TrimSpace(r.cells[i])
	// What WriteTabular (and Termtem's exports) made safe for a
	// spreadsheet is read back as it was.
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
		v = v[1:]
	}
	return v
}

// ReadTabular reads an HSDS tabular package into directory entries. Every
// problem is reported, each with its file, line and column, so that one
// upload shows all that must be corrected; nothing is returned for storing
// unless the whole package reads.
func ReadTabular(body []byte) ([]Imported, error) {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "directory.tabular_zip", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if !f.FileInfo().IsDir() {
			files[strings.ToLower(path.Base(f.Name))] = f
		}
	}
	paths := map[string]string{}
	if f, ok := files["datapackage.json"]; ok {
		var pkg struct {
			Resources []struct{ Name, Path string } `json:"resources"`
		}
		data, err := readZipped(f, 1<<20)
		if err == nil {
			err = json.Unmarshal(data, &pkg)
		}
		if err != nil {
			return nil, &errs.Error{Code: errs.Invalid, MessageID: "directory.tabular_package", File: "datapackage.json", Err: err}
		}
		for _, r := range pkg.Resources {
			paths[r.Name] = strings.ToLower(path.Base(r.Path))
		}
	}
	var problems []error
	budget := int64(maxTabularUnpacked)
	open := func(name string) *csvTable {
		var f *zip.File
		for _, candidate := range []string{paths[name], name + ".csv", name + "s.csv"} {
			if f = files[candidate]; candidate != "" && f != nil {
				break
			}
		}
		if f == nil {
			return nil
		}
		t, err := readCSV(f, &budget)
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		return t
	}
	services := open("service")
	if services == nil {
		if len(problems) > 0 {
			return nil, errors.Join(problems...)
		}
		return nil, &errs.Error{Code: errs.Invalid, MessageID: "directory.tabular_no_service", File: "service.csv"}
	}
	bad := func(t *csvTable, line int, col, id string, data map[string]any) {
		problems = append(problems, &errs.Error{Code: errs.Invalid, MessageID: id, File: t.file, Line: line, Field: col, Data: data})
	}
	need := func(t *csvTable, cols ...string) bool {
		ok := true
		for _, c := range cols {
			if _, has := t.columns[c]; !has {
				bad(t, 1, c, "directory.tabular_column_missing", map[string]any{"Column": c})
				ok = false
			}
		}
		return ok
	}
	type entry struct {
		Imported
		line  int
		at    map[string]Origin
		rules []Origin
		terms []string
	}
	var list []*entry
	byID := map[string]*entry{}
	if !need(services, "id", "name", "organization_id") {
		return nil, errors.Join(problems...)
	}
	for _, r := range services.rows {
		get := func(c string) string { return services.get(r, c) }
		id := get("id")
		origin := func(c string) Origin { return Origin{services.file, r.line, c} }
		if id == "" {
			bad(services, r.line, "id", "field.required", nil)
			continue
		}
		if byID[id] != nil {
			bad(services, r.line, "id", "directory.tabular_duplicate", map[string]any{"Value": id})
			continue
		}
		s := Service{ID: id, OrganisationID: get("organization_id"), NameTH: get("name"), NameEN: get("alternate_name"), DescriptionTH: get("description"),
			ContactEmail: get("email"), HowToRefer: get("application_process"), FeeNote: get("fees_description"), Free: get("fees_description") == "",
			ReferralKind: "other"}
		switch st := get("status"); st {
		case "", "active":
			s.Active = true
		case "inactive", "defunct", "temporarily closed":
		default:
			bad(services, r.line, "status", "directory.tabular_status", map[string]any{"Value": st})
		}
		e := &entry{line: r.line, at: map[string]Origin{"organisation_id": origin("organization_id"), "name_th": origin("name"),
			"name_en": origin("alternate_name"), "description_th": origin("description"), "contact_email": origin("email"),
			"how_to_refer": origin("application_process"), "fee_note": origin("fees_description")}}
		for _, c := range []string{"minimum_age", "maximum_age"} {
			if v := get(c); v != "" {
				if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 120 {
					bad(services, r.line, c, "directory.tabular_number", map[string]any{"Value": v})
				} else {
					op := ">="
					if c == "maximum_age" {
						op = "<="
					}
					e.terms = append(e.terms, "age "+op+" "+v)
				}
			}
		}
		if v := get("assured_date"); v != "" {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				bad(services, r.line, "assured_date", "directory.tabular_date", map[string]any{"Value": v})
			}
			s.ConfirmedAt = t
		}
		e.Service = s
		list = append(list, e)
		byID[id] = e
	}
	// child opens a table whose rows belong to a service and calls each
	// with the row's service; a row naming no service of the package is
	// refused.
	child := func(name, link string, cols []string, each func(t *csvTable, r csvRow, e *entry)) {
		t := open(name)
		if t == nil || !need(t, append([]string{link}, cols...)...) {
			return
		}
		for _, r := range t.rows {
			id := t.get(r, link)
			e := byID[id]
			if e == nil {
				bad(t, r.line, link, "directory.tabular_unknown_service", map[string]any{"Value": id})
				continue
			}
			each(t, r, e)
		}
	}
	child("phone", "service_id", []string{"number"}, func(t *csvTable, r csvRow, e *entry) {
		if e.Service.ContactPhone == "" {
			e.Service.ContactPhone, e.at["contact_phone"] = t.get(r, "number"), Origin{t.file, r.line, "number"}
		}
	})
	child("schedule", "service_id", []string{"description"}, func(t *csvTable, r csvRow, e *entry) {
		if e.Service.OpeningHours == "" {
			e.Service.OpeningHours, e.at["opening_hours"] = t.get(r, "description"), Origin{t.file, r.line, "description"}
		}
	})
	child("service_area", "service_id", []string{"extent"}, func(t *csvTable, r csvRow, e *entry) {
		if v := t.get(r, "extent"); v != "" && e.Service.AreaCode == "" {
			e.Service.AreaCode = v
			e.at["area_code"], e.at["area_place_id"] = Origin{t.file, r.line, "extent"}, Origin{t.file, r.line, "extent"}
		}
	})
	child("cost_option", "service_id", []string{"amount"}, func(t *csvTable, r csvRow, e *entry) {
		v := t.get(r, "amount")
		if v == "" {
			return
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 {
			bad(t, r.line, "amount", "directory.tabular_number", map[string]any{"Value": v})
			return
		}
		if n > 0 {
			e.Service.Free = false
		}
	})
	child("service_capacity", "service_id", []string{"maximum"}, func(t *csvTable, r csvRow, e *entry) {
		if _, done := e.at["capacity"]; done {
			return
		}
		v := t.get(r, "maximum")
		if v == "" {
			v = t.get(r, "available")
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			bad(t, r.line, "maximum", "directory.tabular_number", map[string]any{"Value": v})
			return
		}
		e.Service.Capacity, e.at["capacity"] = n, Origin{t.file, r.line, "maximum"}
	})
	// Taxonomy terms: Termtem's are those of the taxonomy "termtem".
	type term struct{ code, taxonomy string }
	termsByID := map[string]term{}
	if t := open("taxonomy_term"); t != nil && need(t, "id", "code") {
		for _, r := range t.rows {
			tax := t.get(r, "taxonomy_id")
			if tax == "" {
				tax = t.get(r, "taxonomy")
			}
			termsByID[t.get(r, "id")] = term{t.get(r, "code"), tax}
		}
	}
	attrs := open("attribute")
	if attrs != nil && need(attrs, "link_id", "link_type", "taxonomy_term_id", "value") {
		for _, r := range attrs.rows {
			if le := attrs.get(r, "link_entity"); le != "" && le != "service" {
				continue
			}
			id := attrs.get(r, "link_id")
			e := byID[id]
			if e == nil {
				bad(attrs, r.line, "link_id", "directory.tabular_unknown_service", map[string]any{"Value": id})
				continue
			}
			tid := attrs.get(r, "taxonomy_term_id")
			tm, ok := termsByID[tid]
			if !ok {
				bad(attrs, r.line, "taxonomy_term_id", "directory.tabular_unknown_term", map[string]any{"Value": tid})
				continue
			}
			if tm.taxonomy != Vocabulary {
				continue
			}
			at := func(col string) Origin { return Origin{attrs.file, r.line, col} }
			value := attrs.get(r, "value")
			switch attrs.get(r, "link_type") {
			case linkDimension:
				e.Service.Dimension, e.at["dimension"] = people.Dimension(tm.code), at("taxonomy_term_id")
			case linkIndicator:
				e.Service.Indicators, e.at["indicators"] = append(e.Service.Indicators, tm.code), at("taxonomy_term_id")
			case linkEligibility:
				e.rules = append(e.rules, at("value"))
				e.Service.Eligibility += value + "\n"
			case linkReferral:
				e.Service.ReferralKind, e.at["referral_kind"] = cases.Service(tm.code), at("taxonomy_term_id")
			case linkWait:
				n, err := strconv.Atoi(value)
				if err != nil {
					bad(attrs, r.line, "value", "directory.tabular_number", map[string]any{"Value": value})
					continue
				}
				e.Service.WaitingDays, e.at["waiting_days"] = n, at("value")
			case linkDescriptionEN:
				e.Service.DescriptionEN, e.at["description_en"] = value, at("value")
			}
		}
	}
	codes := map[string]string{}
	if t := open("organization_identifier"); t != nil && need(t, "organization_id", "identifier_type", "identifier") {
		for _, r := range t.rows {
			if t.get(r, "identifier_type") == IdentifierType {
				codes[t.get(r, "organization_id")] = t.get(r, "identifier")
			}
		}
	}
	// Tables HSDS links a service to but Termtem keeps nothing of still
	// must not name a service the package lacks.
	child("service_at_location", "service_id", nil, func(*csvTable, csvRow, *entry) {})
	var out []Imported
	for _, e := range list {
		s := &e.Service
		s.Eligibility = strings.TrimSuffix(s.Eligibility, "\n")
		if len(e.rules) == 0 && len(e.terms) > 0 {
			// A directory that is not Termtem's: the age limits are its rules.
			s.Eligibility = strings.Join(e.terms, "\n")
			for range e.terms {
				e.rules = append(e.rules, Origin{services.file, e.line, "minimum_age"})
			}
		}
		if s.Dimension == "" {
			bad(services, e.line, "id", "directory.tabular_dimension", map[string]any{"Value": s.ID})
		}
		if s.AreaCode == "" {
			bad(services, e.line, "id", "directory.tabular_no_area", map[string]any{"Value": s.ID})
		}
		e.OrgCode = codes[s.OrganisationID]
		at, rules, line := e.at, e.rules, e.line
		e.Locate = func(err *errs.Error) *errs.Error {
			o, ok := at[err.Field]
			if err.Field == "eligibility" && err.Line > 0 && err.Line <= len(rules) {
				o, ok = rules[err.Line-1], true
			}
			if !ok {
				o = Origin{services.file, line, "id"}
			}
			err.File, err.Line, err.Field = o.File, o.Line, o.Column
			return err
		}
		out = append(out, e.Imported)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return out, nil
}

// readZipped reads one file of the package, at most max bytes unpacked.
func readZipped(f *zip.File, max int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, errors.New("too large")
	}
	return data, nil
}

// readCSV reads one CSV file of the package (UTF-8, a header row). The
// budget bounds what all files may unpack to, against ZIP bombs.
func readCSV(f *zip.File, budget *int64) (*csvTable, error) {
	name := path.Base(f.Name)
	data, err := readZipped(f, *budget)
	if err != nil {
		return nil, &errs.Error{Code: errs.Invalid, MessageID: "directory.tabular_too_large", File: name, Err: err}
	}
	*budget -= int64(len(data))
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, &errs.Error{Code: errs.Invalid, MessageID: "directory.tabular_encoding", File: name}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	t := &csvTable{file: name, columns: map[string]int{}}
	header, err := cr.Read()
	if err != nil {
		return nil, &errs.Error{Code: errs.Invalid, MessageID: "directory.tabular_header", File: name, Line: 1, Err: err}
	}
	for i, c := range header {
		t.columns[strings.ToLower(strings.TrimSpace(c))] = i
	}
	for {
		cells, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &errs.Error{Code: errs.Invalid, MessageID: "directory.tabular_csv", File: name, Line: line, Err: err}
		}
		line, _ := cr.FieldPos(0)
		if slices.IndexFunc(cells, func(c string) bool { return strings.TrimSpace(c) != "" }) < 0 {
			continue
		}
		t.rows = append(t.rows, csvRow{line: line, cells: cells})
	}
	return t, nil
}
