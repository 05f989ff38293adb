package imports

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readAll reads an NDJSON file through the table and binder a job would
// use, returning its rows and its rejected lines.
func readAll(t *testing.T, format Format, body string) ([]*Row, []RowError) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bulk.ndjson")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	job := &Job{Format: format, FilePath: path, Mapping: NDJSONMapping(format)}
	tab, bind, rerr := Bind(job, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	if rerr != nil {
		t.Fatalf("bind: %+v", rerr)
	}
	defer tab.Close()
	var rows []*Row
	var bad []RowError
	for {
		line, cells, err := tab.Next()
		if err == io.EOF {
			break
		}
		if re, ok := lineOf(err); ok {
			bad = append(bad, re)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if blank(cells) {
			continue
		}
		row, re := bind(line, cells)
		if re != nil {
			bad = append(bad, *re)
			continue
		}
		rows = append(rows, row)
	}
	if tab.Offset() != int64(len(body)) {
		t.Errorf("offset %d after reading %d bytes", tab.Offset(), len(body))
	}
	return rows, bad
}

func TestNDJSONPeople(t *testing.T) {
	body := "\ufeff" + `{"local_id":"S1","national_id":"1101700230708","given_name":"สมชาย","family_name":"ใจดี","sex":"ชาย","birth_date":"2019-05-31","school_grade":"ป.1","enrolled_on":"2025-05-16"}` + "\r\n" +
		"\n" +
		`{"local_id":"S2","given_name":"สมหญิง",` + "\n" +
		`{"local_id":"S3","given_name":"มานี","colour":"red"}` + "\n" +
		`{"local_id":"S4","given_name":"มานะ","sex":{"code":1}}` + "\n" +
		`["S5"]` + "\n" +
		`{"local_id":"S6","given_name":"ปิติ","birth_date":"31/05/2562"}` + "\n" +
		`{"local_id":"S7","given_name":"ชูใจ"} trailing` + "\n" +
		`{"local_id":"S8","given_name":"` + strings.Repeat("ก", MaxLine) + `"}` + "\n" +
		`{"local_id":9,"given_name":"วีระ","phone":null}`
	rows, bad := readAll(t, NDJSONPeople, body)
	if len(rows) != 2 || rows[0].Key != "S1" || rows[0].Person.NationalID != "1101700230708" || rows[0].Person.BirthDate != "2019-05-31" ||
		len(rows[0].Records) != 1 || rows[0].Line != 1 || rows[1].Key != "9" || rows[1].Line != 10 {
		t.Fatalf("rows %+v, rejected %+v", rows, bad)
	}
	want := []RowError{
		{Line: 3, MessageID: "bulk.bad_json"},
		{Line: 4, Field: "colour", MessageID: "bulk.unknown_field"},
		{Line: 5, Field: "sex", MessageID: "bulk.value_type"},
		{Line: 6, MessageID: "bulk.not_object"},
		{Line: 7, Field: "birth_date", MessageID: "import.date_be_in_ce"},
		{Line: 8, MessageID: "bulk.bad_json"},
		{Line: 9, MessageID: "bulk.line_too_long"},
	}
	if len(bad) != len(want) {
		t.Fatalf("rejected %+v, want %+v", bad, want)
	}
	for i, w := range want {
		if bad[i].Line != w.Line || bad[i].Field != w.Field || bad[i].MessageID != w.MessageID {
			t.Errorf("reject %d = %+v, want %+v", i, bad[i], w)
		}
	}
}

func TestNDJSONRecords(t *testing.T) {
	body := `{"person_key":"S1","school_grade":"ป.2","enrolled_on":"2025-11-16"}` + "\n" +
		`{"national_id":"1101700230708","grant":"newborn_support","grant_amount":600,"granted_on":"2026-01-10"}` + "\n" +
		`{"school_grade":"ป.2","enrolled_on":"2025-11-16"}` + "\n" +
		`{"person_key":"S1"}` + "\n" +
		`{"person_key":"S1","national_id":"1101700230709","childcare_enrolled_on":"2025-06-01"}` + "\n" +
		`{"person_key":"S1","given_name":"สมชาย"}` + "\n"
	rows, bad := readAll(t, NDJSONRecords, body)
	if len(rows) != 2 || rows[0].PersonKey != "S1" || rows[0].Person != nil || rows[0].Records[0].Key != "S1/school_enrolment/2025-11-16" ||
		rows[1].PersonKey != "1101700230708" || rows[1].NationalID != "1101700230708" || rows[1].Records[0].Record.Data.AmountBaht != 600 {
		t.Fatalf("rows %+v, rejected %+v", rows, bad)
	}
	want := []RowError{
		{Line: 3, Field: PersonKey, MessageID: "import.key_missing"},
		{Line: 4, MessageID: "bulk.no_record"},
		{Line: 5, Field: "national_id", MessageID: "person.national_id_checksum"},
		{Line: 6, Field: "given_name", MessageID: "bulk.unknown_field"},
	}
	if len(bad) != len(want) {
		t.Fatalf("rejected %+v, want %+v", bad, want)
	}
	for i, w := range want {
		if bad[i].Line != w.Line || bad[i].Field != w.Field || bad[i].MessageID != w.MessageID {
			t.Errorf("reject %d = %+v, want %+v", i, bad[i], w)
		}
	}
}
