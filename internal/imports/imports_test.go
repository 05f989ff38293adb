package imports

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		enc  string
		msg  string
	}{
		{"utf-8", []byte("ชื่อ,นามสกุล\n"), UTF8, ""},
		{"bom", []byte("\xEF\xBB\xBFชื่อ\n"), UTF8BOM, ""},
		{"tis-620", []byte("\xaa\xd7\xe8\xcd,x\n"), Windows874, ""},
		{"ascii", []byte("id,name\n"), UTF8, ""},
		{"cut at the end", []byte("ชื่อ")[:5], UTF8, ""},
		{"utf-16", []byte("\xFF\xFEi\x00d\x00"), "", "import.encoding_utf16"},
		{"pdf", []byte("%PDF-1.7"), "", "import.not_csv"},
		{"zip", []byte("PK\x03\x04"), "", "import.not_csv_xlsx"},
		{"mixed", []byte("ชื่อ\n\xaa\xd7\xe8\xcd\n"), "", "import.encoding_changed"},
		{"undefined byte", []byte("a\n\xfc\xfd\n"), "", "import.encoding_unknown"},
	} {
		enc, err := Sniff(c.in)
		if enc != c.enc || (err == nil) != (c.msg == "") || (err != nil && err.MessageID != c.msg) {
			t.Errorf("%s: %q %+v, want %q %q", c.name, enc, err, c.enc, c.msg)
		}
	}
}

func TestSuggestAndBind(t *testing.T) {
	header := []string{"\ufeffเลขประจำตัวนักเรียน", "ชื่อ", "นามสกุล", "วันเกิด", "Nickname", "อื่น ๆ"}
	m := Suggest(header)
	if !m.Header || m.Columns[LocalID] != "เลขประจำตัวนักเรียน" || m.Columns[GivenName] != "ชื่อ" || m.Columns[Nickname] != "Nickname" {
		t.Fatalf("suggested %+v", m)
	}
	b, err := m.Bind(header)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	row, rerr := b.Row(2, []string{"S1", "ด.ญ.มะลิ", "ใจดี", "12/01/2562", "มะลิ"}, CSV, now)
	if rerr != nil || row.Person.Title != "เด็กหญิง" || row.Person.BirthDate != "2019-01-12" || row.Key != "S1" {
		t.Fatalf("row %+v %+v", row, rerr)
	}
	if s := Suggest([]string{"S1", "1101700230706", "สมชาย"}); s.Header {
		t.Fatal("a data row taken for a header")
	}
	if _, err := (Mapping{Header: true, Columns: map[Target]string{GivenName: "ชื่อ"}}).Bind(header); err == nil || err.MessageID != "import.key_unmapped" {
		t.Fatalf("no key: %+v", err)
	}
	// Without a header, columns are numbered.
	nb, err := (Mapping{Columns: map[Target]string{LocalID: "1", GivenName: "2"}}).Bind([]string{"S1", "สมชาย"})
	if err != nil {
		t.Fatal(err)
	}
	if row, err := nb.Row(1, []string{"S1", "สมชาย"}, CSV, now); err != nil || row.Person.GivenName != "สมชาย" {
		t.Fatalf("numbered: %+v %+v", row, err)
	}
}

func TestExcelSerialDateAndGrade(t *testing.T) {
	b, err := (Mapping{Header: true, Columns: map[Target]string{LocalID: "id", GivenName: "name", BirthDate: "birth", SchoolGrade: "grade", EnrolledOn: "on"}}).
		Bind([]string{"id", "name", "birth", "grade", "on"})
	if err != nil {
		t.Fatal(err)
	}
	row, rerr := b.Row(2, []string{"1", "ดาว", "43477", "ม.๒", "45792"}, XLSX, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	if rerr != nil || row.Person.BirthDate != "2019-01-12" || row.Records[0].Record.Data.Grade != "m2" {
		t.Fatalf("%+v %+v", row, rerr)
	}
}

func TestKind43(t *testing.T) {
	if k, err := Kind43("F43_10669_EPI.txt", []string{"HOSPCODE", "PID", "DATE_SERV", "VACCINETYPE"}); k != File43EPI || err != nil {
		t.Fatalf("%s %+v", k, err)
	}
	if k, err := Kind43("x.txt", []string{"HOSPCODE", "PID", "SEQ", "DATE_SERV", "PPSPECIAL"}); k != File43SpecialPP || err != nil {
		t.Fatalf("%s %+v", k, err)
	}
	if _, err := Kind43("PERSON.txt", []string{"HOSPCODE", "PID"}); err == nil || err.MessageID != "import.column_missing" {
		t.Fatalf("%+v", err)
	}
}

func TestReportNeutralisesFormulas(t *testing.T) {
	var buf bytes.Buffer
	err := WriteReport(&buf, [3]string{"line", "column", "reason"}, []RowError{{Line: 3, Field: "=HYPERLINK(\"http://x\")", MessageID: "m"}},
		func(id string, _ map[string]any) string { return "reason " + id })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "'=HYPERLINK") || !strings.HasPrefix(buf.String(), "\ufeffline,column,reason\n3,") {
		t.Fatalf("%q", buf.String())
	}
}
