package imports

import (
	"strconv"
	"strings"
	"time"

	"termtem/internal/people"
	"termtem/internal/thai"
)

// The 43 files (มาตรฐานข้อมูลด้านสุขภาพ 43 แฟ้ม) Termtem reads. Each is one
// text export per health facility, fields separated by "|", with a header
// line naming them. HOSPCODE+PID is the facility's own key for a person;
// CID (the national ID) links across facilities when it is valid.
const (
	File43Person    = "PERSON"
	File43EPI       = "EPI"
	File43Nutrition = "NUTRITION"
	File43ANC       = "ANC"
	File43Newborn   = "NEWBORN"
	File43SpecialPP = "SPECIALPP"
)

// Files43 lists the files in the order they are best imported: people
// first, so that the service files find them.
var Files43 = []string{File43Person, File43Newborn, File43ANC, File43EPI, File43Nutrition, File43SpecialPP}

// file43Columns are the columns each file must have (others are ignored).
var file43Columns = map[string][]string{
	File43Person:    {"HOSPCODE", "PID", "NAME", "SEX", "BIRTH"},
	File43EPI:       {"HOSPCODE", "PID", "DATE_SERV", "VACCINETYPE"},
	File43Nutrition: {"HOSPCODE", "PID", "DATE_SERV", "WEIGHT"},
	File43ANC:       {"HOSPCODE", "PID", "DATE_SERV", "GA"},
	File43Newborn:   {"HOSPCODE", "PID", "BDATE", "BWEIGHT"},
	File43SpecialPP: {"HOSPCODE", "PID", "DATE_SERV", "PPSPECIAL"},
}

// Kind43 tells which 43 file a header belongs to, from the file's name
// (PERSON.txt, F43_10669_EPI.txt) or else from its columns.
func Kind43(fileName string, header []string) (string, *RowError) {
	base := strings.ToUpper(fileName)
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".TXT"), ".CSV")
	for _, k := range Files43 {
		if base == k || strings.HasSuffix(base, "_"+k) {
			return k, checkColumns43(k, header)
		}
	}
	has := func(c string) bool {
		for _, h := range header {
			if h == c {
				return true
			}
		}
		return false
	}
	switch {
	case has("VACCINETYPE"):
		return File43EPI, checkColumns43(File43EPI, header)
	case has("PPSPECIAL"):
		return File43SpecialPP, checkColumns43(File43SpecialPP, header)
	case has("BWEIGHT"):
		return File43Newborn, checkColumns43(File43Newborn, header)
	case has("WEIGHT") && has("HEIGHT"):
		return File43Nutrition, checkColumns43(File43Nutrition, header)
	case has("GA") && has("ANCNO"):
		return File43ANC, checkColumns43(File43ANC, header)
	case has("NAME") && has("BIRTH"):
		return File43Person, checkColumns43(File43Person, header)
	}
	if looksLikeData(header) {
		return "", rowErr(1, "", "import.header_missing", nil)
	}
	return "", rowErr(1, "", "import.file43_unknown", nil)
}

func checkColumns43(kind string, header []string) *RowError {
	for _, c := range file43Columns[kind] {
		found := false
		for _, h := range header {
			found = found || h == c
		}
		if !found {
			if looksLikeData(header) {
				return rowErr(1, "", "import.header_missing", nil)
			}
			return rowErr(1, c, "import.column_missing", map[string]any{"Column": c})
		}
	}
	return nil
}

// Reader43 turns the rows of one 43 file into Termtem rows.
type Reader43 struct {
	Kind  string
	index map[string]int
}

// NewReader43 binds a 43 file's header.
func NewReader43(fileName string, header []string) (*Reader43, *RowError) {
	kind, err := Kind43(fileName, header)
	if err != nil {
		return nil, err
	}
	r := &Reader43{Kind: kind, index: map[string]int{}}
	for i, h := range header {
		r.index[h] = i
	}
	return r, nil
}

// Key43 is the source key of a facility's person: HOSPCODE and PID.
func Key43(hospcode, pid string) string {
	return strings.TrimSpace(hospcode) + ":" + strings.TrimLeft(strings.TrimSpace(pid), " ")
}

// vaccines43 maps the 43 files' VACCINETYPE codes to Termtem's EPI vaccine
// and dose. [Codes unverified against the MOPH code list; extend or correct
// here — an unknown code rejects the row, never guesses.]
var vaccines43 = map[string]struct {
	vaccine string
	dose    int
}{
	"010": {"BCG", 1},
	"041": {"HBV", 1}, "042": {"HBV", 2}, "043": {"HBV", 3},
	"081": {"OPV", 1}, "082": {"OPV", 2}, "083": {"OPV", 3}, "084": {"OPV", 4}, "085": {"OPV", 5},
	"091": {"DTP-HB-Hib", 1}, "092": {"DTP-HB-Hib", 2}, "093": {"DTP-HB-Hib", 3},
	"031": {"DTP", 4}, "032": {"DTP", 5},
	"401": {"IPV", 1},
	"061": {"MMR", 1}, "073": {"MMR", 2},
	"J11": {"JE", 1}, "J12": {"JE", 2},
	"R21": {"ROTA", 1}, "R22": {"ROTA", 2}, "R23": {"ROTA", 3},
	"HPV1": {"HPV", 1}, "HPV2": {"HPV", 2},
	"815": {"FLU", 1},
}

// dspm43 maps SPECIALPP's PPSPECIAL development-screening codes to the
// DSPM screening age and the overall result (the file gives no per-domain
// result, so all five domains carry it). [Codes unverified; see
// sil-th/terminology-ig CS_THCC_Pediatrics: 1 normal, 2 suspected delay,
// 3 delayed.]
var dspm43 = map[string]struct {
	age    int
	result string
}{}

func init() {
	results := []string{people.DSPMPass, people.DSPMSuspected, people.DSPMDelayed}
	for i, age := range people.DSPMAges {
		for j, res := range results {
			dspm43["1B26"+strconv.Itoa(i)+strconv.Itoa(j+1)] = struct {
				age    int
				result string
			}{age, res}
		}
	}
}

func (r *Reader43) get(cells []string, col string) string {
	i, ok := r.index[col]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// Row turns one line of the file into a row: a PERSON line into a person
// keyed by HOSPCODE+PID; a service line into a record for the person of
// that key (or of its CID).
func (r *Reader43) Row(line int, cells []string, now time.Time) (*Row, *RowError) {
	get := func(c string) string { return r.get(cells, c) }
	hosp, pid := get("HOSPCODE"), get("PID")
	if hosp == "" {
		return nil, rowErr(line, "HOSPCODE", "field.required", nil)
	}
	if pid == "" {
		return nil, rowErr(line, "PID", "field.required", nil)
	}
	key := Key43(hosp, pid)
	cid := ""
	if c := get("CID"); c != "" {
		if d, err := thai.ValidateNationalID(c); err == nil {
			cid = d // an invalid CID (often a placeholder) is not an error: the row is keyed locally
		}
	}
	date := func(col string) (string, *RowError) {
		v := get(col)
		if v == "" {
			return "", rowErr(line, col, "field.required", nil)
		}
		d, err := people.ValidateBirthDate(v, now, col)
		if err != nil {
			return "", AsRowError(err, line, nil)
		}
		return d, nil
	}
	columns := map[string]string{"occurred_on": "DATE_SERV", "person_id": "PID", "key": "PID"}
	row := &Row{Line: line, OrganisationCode: hosp, Columns: columns}
	if r.Kind == File43Person {
		p := &people.Person{GivenName: get("NAME"), FamilyName: get("LNAME"), NationalID: cid}
		if t, ok := titleOf(get("PRENAME")); ok {
			p.Title = t.TH
		}
		switch get("SEX") {
		case "1":
			p.Sex = people.Male
		case "2":
			p.Sex = people.Female
		}
		if get("NATION") == "099" {
			p.Nationality = people.Thai
		}
		birth, err := date("BIRTH")
		if err != nil {
			return nil, err
		}
		p.BirthDate = birth
		if verr := people.ValidatePerson(p, now); verr != nil {
			return nil, AsRowError(verr, line, map[string]string{"given_name": "NAME", "family_name": "LNAME", "birth_date": "BIRTH", "national_id": "CID"})
		}
		row.Key, row.Person = key, p
		row.Hash = hashOf(File43Person, personHash(p))
		// MOTHER is the mother's CID: linkage evidence (evidence.go).
		if row.Evidence = newEvidence("", get("MOTHER"), "", ""); !row.Evidence.Empty() {
			row.Hash = hashOf(row.Hash, row.Evidence.hash())
		}
		return row, nil
	}
	row.PersonKey, row.NationalID = key, cid
	var rec people.Record
	var recKey string
	switch r.Kind {
	case File43EPI:
		on, err := date("DATE_SERV")
		if err != nil {
			return nil, err
		}
		code := strings.ToUpper(get("VACCINETYPE"))
		v, ok := vaccines43[code]
		if !ok {
			return nil, rowErr(line, "VACCINETYPE", "import.vaccine_code", map[string]any{"Code": code})
		}
		rec = people.Record{Kind: people.Vaccination, OccurredOn: on, Data: people.RecordData{Vaccine: v.vaccine, Dose: v.dose}}
		recKey = "EPI/" + key + "/" + on + "/" + code
	case File43Nutrition:
		on, err := date("DATE_SERV")
		if err != nil {
			return nil, err
		}
		d := people.RecordData{}
		for _, f := range []struct {
			col string
			v   *float64
		}{{"WEIGHT", &d.WeightKg}, {"HEIGHT", &d.HeightCm}, {"HEADCIRCUM", &d.HeadCm}} {
			if s := get(f.col); s != "" {
				x, perr := strconv.ParseFloat(s, 64)
				if perr != nil {
					return nil, rowErr(line, f.col, "import.number", nil)
				}
				*f.v = x
			}
		}
		rec = people.Record{Kind: people.Growth, OccurredOn: on, Data: d}
		recKey = "NUTRITION/" + key + "/" + on
		columns["weight_kg"], columns["height_cm"], columns["head_cm"] = "WEIGHT", "HEIGHT", "HEADCIRCUM"
	case File43SpecialPP:
		on, err := date("DATE_SERV")
		if err != nil {
			return nil, err
		}
		code := strings.ToUpper(get("PPSPECIAL"))
		s, ok := dspm43[code]
		if !ok {
			return nil, rowErr(line, "PPSPECIAL", "import.ppspecial_code", map[string]any{"Code": code})
		}
		res := s.result
		rec = people.Record{Kind: people.DevelopmentScreening, OccurredOn: on, Data: people.RecordData{ScreeningAge: s.age,
			Domains: &people.Domains{GM: res, FM: res, RL: res, EL: res, PS: res}, Note: "SPECIALPP " + code}}
		recKey = "SPECIALPP/" + key + "/" + on + "/" + code
	case File43ANC:
		on, err := date("DATE_SERV")
		if err != nil {
			return nil, err
		}
		ga, perr := strconv.Atoi(get("GA"))
		if perr != nil {
			return nil, rowErr(line, "GA", "import.number", nil)
		}
		rec = people.Record{Kind: people.AntenatalVisit, OccurredOn: on, Data: people.RecordData{GestationalWeeks: ga}}
		recKey = "ANC/" + key + "/" + on
		columns["gestational_weeks"] = "GA"
	case File43Newborn:
		on, err := date("BDATE")
		if err != nil {
			return nil, err
		}
		w, perr := strconv.Atoi(get("BWEIGHT"))
		if perr != nil {
			return nil, rowErr(line, "BWEIGHT", "import.number", nil)
		}
		ga := 0
		if s := get("GA"); s != "" {
			if ga, perr = strconv.Atoi(s); perr != nil {
				return nil, rowErr(line, "GA", "import.number", nil)
			}
		}
		rec = people.Record{Kind: people.Birth, OccurredOn: on, Data: people.RecordData{BirthWeightGrams: w, GestationalWeeks: ga}}
		recKey = "NEWBORN/" + key
		columns["occurred_on"], columns["birth_weight_g"], columns["gestational_weeks"] = "BDATE", "BWEIGHT", "GA"
	}
	// Checked here without the birth date (the store checks it against
	// the person's); a pregnancy record is checked as one.
	check := rec
	if rec.Kind == people.AntenatalVisit {
		check.PregnancyID = "-"
	} else {
		check.PersonID = "-"
	}
	if verr := people.ValidateRecord(&check, "", now); verr != nil {
		return nil, AsRowError(verr, line, columns)
	}
	rec.Data = check.Data
	h := recordHash(check)
	row.Records = []RowRecord{{Key: recKey, Hash: h, Record: rec}}
	row.Hash = h
	return row, nil
}
