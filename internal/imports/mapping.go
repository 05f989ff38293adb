package imports

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"termtem/internal/people"
	"termtem/internal/thai"
)

// Target is a Termtem field a column can be mapped to.
type Target string

const (
	LocalID         Target = "local_id" // the agency's own number: student number, HN
	NationalIDCol   Target = "national_id"
	Title           Target = "title"
	GivenName       Target = "given_name"
	FamilyName      Target = "family_name"
	FullName        Target = "full_name" // title, given and family name in one cell
	Nickname        Target = "nickname"
	GivenNameLatin  Target = "given_name_latin"
	FamilyNameLatin Target = "family_name_latin"
	Sex             Target = "sex"
	BirthDate       Target = "birth_date"
	Nationality     Target = "nationality"
	Phone           Target = "phone"
	SchoolGrade     Target = "school_grade" // with EnrolledOn: a school enrolment record
	EnrolledOn      Target = "enrolled_on"
	ChildcareSince  Target = "childcare_enrolled_on" // a child-care enrolment record
	GrantCode       Target = "grant"                 // with GrantedOn: a welfare grant record
	GrantAmount     Target = "grant_amount"
	GrantedOn       Target = "granted_on"
	// Linkage evidence (linkage.go): kept only for record linkage, never
	// shown as the child's own data.
	MotherName Target = "mother_name" // the mother's full name
	Community  Target = "community"   // the community's code or name
	Address    Target = "address"     // the address as written
)

// Targets lists the targets in the order the mapping screen shows them.
var Targets = []Target{LocalID, NationalIDCol, Title, GivenName, FamilyName, FullName, Nickname, GivenNameLatin,
	FamilyNameLatin, Sex, BirthDate, Nationality, Phone, SchoolGrade, EnrolledOn, ChildcareSince, GrantCode, GrantAmount, GrantedOn,
	MotherName, Community, Address}

// Date eras a column of dates may be declared in.
const (
	EraAuto = ""   // a year of 2400 or more is B.E., a smaller one C.E.
	EraBE   = "be" // the source writes B.E.: a C.E. year is a typing slip
	EraCE   = "ce" // the source writes C.E.: a B.E. year is a typing slip
)

// Mapping says how a source's columns become Termtem's fields. It is saved
// per source, so that next month's file imports with one click.
type Mapping struct {
	// Header: the file's first row names the columns. Without one, Columns
	// name columns by number ("1" is the first).
	Header  bool              `json:"header"`
	Columns map[Target]string `json:"columns"`
	// DateEra is the era the source writes years in.
	DateEra string `json:"date_era,omitempty"`
	// Sheet is the XLSX worksheet (default: the first).
	Sheet string `json:"sheet,omitempty"`
}

// aliases are column names agencies use, normalised (lower case, no spaces,
// dots or underscores), for suggesting a mapping.
var aliases = map[Target][]string{
	LocalID:         {"localid", "studentid", "studentno", "เลขประจำตัวนักเรียน", "รหัสนักเรียน", "เลขที่นักเรียน", "hn", "pid", "รหัส", "id"},
	NationalIDCol:   {"nationalid", "cid", "idcard", "เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "เลขบัตรประจำตัวประชาชน", "บัตรประชาชน"},
	Title:           {"title", "prefix", "prename", "คำนำหน้า", "คำนำหน้าชื่อ"},
	GivenName:       {"givenname", "firstname", "name", "ชื่อ"},
	FamilyName:      {"familyname", "lastname", "surname", "lname", "นามสกุล"},
	FullName:        {"fullname", "ชื่อสกุล", "ชื่อนามสกุล", "ชื่อ-นามสกุล"},
	Nickname:        {"nickname", "ชื่อเล่น"},
	GivenNameLatin:  {"givennamelatin", "firstnameen", "givennameen", "ชื่ออังกฤษ", "ชื่อภาษาอังกฤษ"},
	FamilyNameLatin: {"familynamelatin", "lastnameen", "surnameen", "นามสกุลอังกฤษ", "นามสกุลภาษาอังกฤษ"},
	Sex:             {"sex", "gender", "เพศ"},
	BirthDate:       {"birthdate", "dateofbirth", "dob", "birth", "วันเกิด", "วันเดือนปีเกิด", "วันที่เกิด"},
	Nationality:     {"nationality", "nation", "สัญชาติ"},
	Phone:           {"phone", "tel", "telephone", "mobile", "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์"},
	SchoolGrade:     {"grade", "class", "level", "ชั้น", "ระดับชั้น", "ชั้นเรียน"},
	EnrolledOn:      {"enrolledon", "enrolmentdate", "enrollmentdate", "วันที่เข้าเรียน", "วันเข้าเรียน"},
	ChildcareSince:  {"childcareenrolledon", "วันที่เข้าศูนย์"},
	GrantCode:       {"grant", "grantcode", "สวัสดิการ"},
	GrantAmount:     {"amount", "grantamount", "จำนวนเงิน"},
	GrantedOn:       {"grantedon", "วันที่ได้รับ"},
	MotherName:      {"mothername", "mother", "mothersname", "ชื่อมารดา", "ชื่อแม่", "มารดา", "ชื่อ-สกุลมารดา", "ชื่อสกุลมารดา"},
	Community:       {"community", "communitycode", "ชุมชน", "รหัสชุมชน", "ชื่อชุมชน"},
	Address:         {"address", "ที่อยู่", "ที่อยู่ปัจจุบัน", "บ้านเลขที่"},
}

func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '.', '\u200b':
			return -1
		}
		return r
	}, s)
}

// Suggest proposes a mapping for a file with this header row: every column
// whose name is a known alias. A header that looks like data (a national ID
// or a date in it) suggests a file without a header row.
func Suggest(header []string) Mapping {
	m := Mapping{Header: !looksLikeData(header), Columns: map[Target]string{}}
	if !m.Header {
		return m
	}
	for _, t := range Targets {
		for _, h := range header {
			n := normHeader(h)
			if slices.Contains(aliases[t], n) && !m.used(cleanHeader(h)) {
				m.Columns[t] = cleanHeader(h)
				break
			}
		}
	}
	return m
}

func cleanHeader(h string) string { return strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) }

func (m Mapping) used(col string) bool {
	for _, c := range m.Columns {
		if c == col {
			return true
		}
	}
	return false
}

// looksLikeData reports whether a first row is data rather than names: a
// cell holding a valid national ID, a date, or a number of several digits.
func looksLikeData(row []string) bool {
	for _, c := range row {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if _, err := thai.ValidateNationalID(c); err == nil {
			return true
		}
		if strings.ContainsAny(c, "/-") {
			if _, err := thai.ParseDate(c); err == nil {
				return true
			}
		}
		if len(c) >= 4 && strings.Trim(c, "0123456789") == "" {
			return true
		}
	}
	return false
}

// Bound is a mapping checked against a file's header: each target's column
// index.
type Bound struct {
	Mapping
	index   map[Target]int
	columns map[string]string // Termtem field name → the file's column name
}

// Bind checks a mapping against the header row of a file: every mapped
// column must exist, a key and a name must be mapped, and a file whose
// first row is data needs a mapping that says so.
func (m Mapping) Bind(header []string) (*Bound, *RowError) {
	if len(header) < 2 {
		return nil, rowErr(1, "", "import.not_csv", nil)
	}
	if m.Header && looksLikeData(header) {
		return nil, rowErr(1, "", "import.header_missing", nil)
	}
	b := &Bound{Mapping: m, index: map[Target]int{}, columns: map[string]string{}}
	for _, t := range Targets {
		col, ok := m.Columns[t]
		if !ok || strings.TrimSpace(col) == "" {
			continue
		}
		i := -1
		if m.Header {
			for j, h := range header {
				if cleanHeader(h) == strings.TrimSpace(col) {
					i = j
					break
				}
			}
		} else if n, err := strconv.Atoi(strings.TrimPrefix(col, "#")); err == nil && n >= 1 && n <= len(header) {
			i = n - 1
		}
		if i < 0 {
			return nil, rowErr(1, col, "import.column_missing", map[string]any{"Column": col})
		}
		b.index[t] = i
		b.columns[string(t)] = b.colName(t)
	}
	// Fields the people package names differently from the targets.
	b.columns["other_ids[0]"] = b.colName(LocalID)
	b.columns["occurred_on"] = b.firstCol(EnrolledOn, ChildcareSince, GrantedOn)
	b.columns["grade"] = b.colName(SchoolGrade)
	b.columns["amount_baht"] = b.colName(GrantAmount)
	b.columns["key"] = b.firstCol(LocalID, NationalIDCol)
	if _, ok := b.index[LocalID]; !ok {
		if _, ok := b.index[NationalIDCol]; !ok {
			return nil, rowErr(1, string(LocalID), "import.key_unmapped", nil)
		}
	}
	if !b.has(GivenName) && !b.has(FullName) && !b.has(GivenNameLatin) && !b.has(Nickname) {
		return nil, rowErr(1, string(GivenName), "import.name_unmapped", nil)
	}
	return b, nil
}

func (b *Bound) has(t Target) bool { _, ok := b.index[t]; return ok }

func (b *Bound) colName(t Target) string {
	c := b.Columns[t]
	if !b.Header {
		return "#" + strings.TrimPrefix(c, "#")
	}
	return c
}

func (b *Bound) firstCol(ts ...Target) string {
	for _, t := range ts {
		if b.has(t) {
			return b.colName(t)
		}
	}
	return ""
}

func (b *Bound) cell(cells []string, t Target) string {
	i, ok := b.index[t]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// Row turns one data row into a person with records, or a row error naming
// the source's column.
func (b *Bound) Row(line int, cells []string, format Format, now time.Time) (*Row, *RowError) {
	get := func(t Target) string { return b.cell(cells, t) }
	p := &people.Person{
		Title: get(Title), GivenName: get(GivenName), FamilyName: get(FamilyName), Nickname: get(Nickname),
		GivenNameLatin: get(GivenNameLatin), FamilyNameLatin: get(FamilyNameLatin), Phone: get(Phone),
	}
	if full := get(FullName); full != "" && p.GivenName == "" {
		title, given, family := thai.SplitFullName(thai.NormalizeName(full))
		p.GivenName, p.FamilyName = given, family
		if p.Title == "" {
			p.Title = title.TH
		}
		if p.Sex == people.Unknown && title.Sex != "" {
			p.Sex = people.Sex(title.Sex)
		}
	}
	if title, ok := titleOf(p.Title); ok {
		// A title typed as an abbreviation (ด.ช.) is stored in full, and
		// tells the sex when no column does.
		p.Title = title.TH
		if title.TH == "" {
			p.Title = title.EN
		}
		if p.Sex == people.Unknown && title.Sex != "" {
			p.Sex = people.Sex(title.Sex)
		}
	}
	if s := get(Sex); s != "" {
		sex, ok := parseSex(s)
		if !ok {
			return nil, rowErr(line, b.colName(Sex), "import.sex", nil)
		}
		p.Sex = sex
	}
	if s := get(Nationality); s != "" {
		p.Nationality = parseNationality(s)
	}
	key := get(LocalID)
	if id := get(NationalIDCol); id != "" {
		p.NationalID = id
	}
	var err *RowError
	if p.BirthDate, err = b.date(line, BirthDate, get(BirthDate), format, now); err != nil {
		return nil, err
	}
	if verr := people.ValidatePerson(p, now); verr != nil {
		return nil, AsRowError(verr, line, b.columns)
	}
	if key == "" {
		key = p.NationalID
	}
	if key == "" {
		return nil, rowErr(line, b.firstCol(LocalID, NationalIDCol), "import.key_missing", nil)
	}
	row := &Row{Line: line, Key: key, Person: p, Columns: b.columns,
		Evidence: newEvidence(get(MotherName), "", get(Community), get(Address))}
	hashes := []string{personHash(p)}
	if !row.Evidence.Empty() {
		// Only a row that carries evidence hashes it: rows of a file
		// imported before these columns existed keep their hashes.
		hashes = append(hashes, row.Evidence.hash())
	}
	hashes, rerr := b.addRecords(row, key, p.BirthDate, get, format, now, hashes)
	if rerr != nil {
		return nil, rerr
	}
	row.Hash = hashOf(hashes...)
	return row, nil
}

// addRecords adds the service records a row's cells give (a school or
// child-care enrolment, a welfare grant), keyed by the person's key, and
// returns hashes with the records' hashes added. birth bounds their dates
// when known.
func (b *Bound) addRecords(row *Row, key, birth string, get func(Target) string, format Format, now time.Time, hashes []string) ([]string, *RowError) {
	line := row.Line
	add := func(kind people.RecordKind, on string, d people.RecordData) *RowError {
		r := people.Record{Kind: kind, OccurredOn: on, Data: d}
		if verr := people.ValidateRecord(&r, birth, now); verr != nil {
			return AsRowError(verr, line, b.columns)
		}
		h := recordHash(r)
		row.Records = append(row.Records, RowRecord{Key: key + "/" + string(kind) + "/" + r.OccurredOn, Hash: h, Record: r})
		hashes = append(hashes, h)
		return nil
	}
	if g := get(SchoolGrade); g != "" || get(EnrolledOn) != "" {
		grade, ok := parseGrade(g)
		if !ok {
			return nil, rowErr(line, b.colName(SchoolGrade), "import.grade", nil)
		}
		on, err := b.date(line, EnrolledOn, get(EnrolledOn), format, now)
		if err != nil {
			return nil, err
		}
		if on == "" {
			return nil, rowErr(line, b.colName(EnrolledOn), "field.required", nil)
		}
		if err := add(people.SchoolEnrolment, on, people.RecordData{Grade: grade}); err != nil {
			return nil, err
		}
	}
	if s := get(ChildcareSince); s != "" {
		on, err := b.date(line, ChildcareSince, s, format, now)
		if err != nil {
			return nil, err
		}
		if err := add(people.ChildcareEnrolment, on, people.RecordData{}); err != nil {
			return nil, err
		}
	}
	if g := get(GrantCode); g != "" {
		on, err := b.date(line, GrantedOn, get(GrantedOn), format, now)
		if err != nil {
			return nil, err
		}
		amount := 0
		if a := get(GrantAmount); a != "" {
			f, perr := strconv.ParseFloat(strings.ReplaceAll(a, ",", ""), 64)
			if perr != nil {
				return nil, rowErr(line, b.colName(GrantAmount), "import.number", nil)
			}
			amount = int(math.Round(f))
		}
		if err := add(people.WelfareGrant, on, people.RecordData{Grant: g, AmountBaht: amount}); err != nil {
			return nil, err
		}
	}
	return hashes, nil
}

// date reads a date cell in the mapping's era. XLSX dates come as Excel
// serial day numbers.
func (b *Bound) date(line int, t Target, s string, format Format, now time.Time) (string, *RowError) {
	if s == "" {
		return "", nil
	}
	col := b.colName(t)
	if format == XLSX && len(s) <= 6 && strings.Trim(s, "0123456789.") == "" {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f > 60 && f < 2958466 {
			// Excel's day 0 is 30 December 1899 (after its 1900 leap-year bug).
			s = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f)).Format("2006-01-02")
		}
	}
	d, err := thai.ParseDate(s)
	if err == nil {
		be := yearDigits(s) >= thai.BEOffset+1857
		switch {
		case b.DateEra == EraBE && !be && d.Year > 0:
			return "", rowErr(line, col, "import.date_ce_in_be", map[string]any{"Year": d.Year + thai.BEOffset})
		case b.DateEra == EraCE && be:
			return "", rowErr(line, col, "import.date_be_in_ce", map[string]any{"Year": d.Year})
		}
	}
	v, verr := people.ValidateBirthDate(s, now, string(t))
	if verr != nil {
		return "", AsRowError(verr, line, map[string]string{string(t): col})
	}
	return v, nil
}

// yearDigits finds the four-digit year written in a date, or 0.
func yearDigits(s string) int {
	s = strings.Map(func(r rune) rune {
		if r >= '๐' && r <= '๙' {
			return '0' + (r - '๐')
		}
		return r
	}, s)
	run := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		if run == 4 {
			y, _ := strconv.Atoi(s[i-4 : i])
			return y
		}
		if run == 8 { // YYYYMMDD
			y, _ := strconv.Atoi(s[i-8 : i-4])
			return y
		}
		run = 0
	}
	return 0
}

// titleOf reads a title cell written in full, abbreviated or in English.
func titleOf(s string) (thai.Title, bool) {
	n := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
	if n == "" {
		return thai.Title{}, false
	}
	for _, t := range thai.Titles() {
		if n == t.TH || n == strings.TrimSuffix(t.Abbrev, ".") || n == strings.ToLower(t.EN) {
			return t, true
		}
	}
	return thai.Title{}, false
}

func parseSex(s string) (people.Sex, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "m", "male", "ช", "ชาย", "boy", "ด.ช.", "เด็กชาย":
		return people.Male, true
	case "2", "f", "female", "ญ", "หญิง", "girl", "ด.ญ.", "เด็กหญิง":
		return people.Female, true
	case "0", "9", "-", "unknown", "ไม่ทราบ":
		return people.Unknown, true
	}
	return people.Unknown, false
}

func parseNationality(s string) people.Nationality {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ไทย", "thai", "099", "th":
		return people.Thai
	case "พม่า", "เมียนมา", "myanmar", "burmese":
		return people.Myanmar
	case "ลาว", "lao", "laos":
		return people.Lao
	case "กัมพูชา", "เขมร", "cambodian", "cambodia":
		return people.Cambodian
	case "ไร้สัญชาติ", "stateless":
		return people.Stateless
	}
	return people.OtherNationality
}

// parseGrade reads a school grade as rosters write it: ป.1, อ.2, ม.3, p1.
func parseGrade(s string) (string, bool) {
	n := strings.ToLower(strings.NewReplacer(" ", "", ".", "").Replace(strings.TrimSpace(s)))
	for _, p := range [][2]string{{"อนุบาล", "k"}, {"อ", "k"}, {"ประถมศึกษาปีที่", "p"}, {"ป", "p"}, {"มัธยมศึกษาปีที่", "m"}, {"ม", "m"}} {
		if rest, ok := strings.CutPrefix(n, p[0]); ok {
			n = p[1] + rest
			break
		}
	}
	n = strings.Map(func(r rune) rune {
		if r >= '๐' && r <= '๙' {
			return '0' + (r - '๐')
		}
		return r
	}, n)
	return n, slices.Contains(people.Grades, n)
}

// EncodeMapping is the stored form of a mapping.
func EncodeMapping(m Mapping) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// DecodeMapping reads a stored or hand-written mapping.
func DecodeMapping(s string) (Mapping, error) {
	var m Mapping
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return m, err
	}
	if m.Columns == nil {
		m.Columns = map[Target]string{}
	}
	return m, nil
}

func itoa(i int) string { return strconv.Itoa(i) }
