package imports

import (
	"testing"
	"time"
)

// The mother's name, the community and the address are suggested from
// their usual headers, carried as linkage evidence, and change the row's
// hash (a corrected mother's name updates the row); a row without them
// hashes as before they existed.
func TestEvidenceColumns(t *testing.T) {
	header := []string{"เลขประจำตัวนักเรียน", "ชื่อ", "นามสกุล", "วันเกิด", "ชื่อมารดา", "ชุมชน", "ที่อยู่"}
	m := Suggest(header)
	if m.Columns[MotherName] != "ชื่อมารดา" || m.Columns[Community] != "ชุมชน" || m.Columns[Address] != "ที่อยู่" {
		t.Fatalf("suggested %+v", m.Columns)
	}
	b, err := m.Bind(header)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	row, rerr := b.Row(2, []string{"S1", "มะลิ", "ใจดี", "12/01/2562", " นางมาลี  ใจดี ", "ชุมชนบุญมา", "12  ซอย 4"}, CSV, now)
	if rerr != nil {
		t.Fatal(rerr)
	}
	want := Evidence{MotherName: "นางมาลี ใจดี", Community: "ชุมชนบุญมา", Address: "12 ซอย 4"}
	if row.Evidence != want || row.Evidence.Place() != "ชุมชนบุญมา 12 ซอย 4" {
		t.Errorf("evidence %+v", row.Evidence)
	}
	other, _ := b.Row(2, []string{"S1", "มะลิ", "ใจดี", "12/01/2562", "นางมาลี ศรีสุข", "ชุมชนบุญมา", "12 ซอย 4"}, CSV, now)
	if other.Hash == row.Hash {
		t.Error("a changed mother's name kept the row's hash")
	}
	// Without the evidence columns the hash is the one rows had before.
	plain, _ := Mapping{Header: true, Columns: map[Target]string{LocalID: "เลขประจำตัวนักเรียน", GivenName: "ชื่อ", FamilyName: "นามสกุล",
		BirthDate: "วันเกิด"}}.Bind(header)
	p1, _ := plain.Row(2, []string{"S1", "มะลิ", "ใจดี", "12/01/2562"}, CSV, now)
	empty, _ := b.Row(2, []string{"S1", "มะลิ", "ใจดี", "12/01/2562", "", "", ""}, CSV, now)
	if !p1.Evidence.Empty() || empty.Hash != p1.Hash {
		t.Errorf("a row without evidence hashes differently: %s %s", empty.Hash, p1.Hash)
	}
}

// A 43-file PERSON row's MOTHER is the mother's CID: kept when valid,
// dropped when it is a placeholder.
func TestPerson43Mother(t *testing.T) {
	header := []string{"HOSPCODE", "CID", "PID", "PRENAME", "NAME", "LNAME", "SEX", "BIRTH", "MOTHER"}
	r, err := NewReader43("PERSON.txt", header)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	row, rerr := r.Row(2, []string{"10669", "", "7", "", "มะลิ", "ใจดี", "2", "20190112", "1101700203450"}, now)
	if rerr != nil || row.Evidence.MotherCID != "1101700203450" {
		t.Fatalf("%+v %+v", row, rerr)
	}
	row2, rerr := r.Row(3, []string{"10669", "", "8", "", "มะลิ", "ใจดี", "2", "20190112", "0000000000000"}, now)
	if rerr != nil || !row2.Evidence.Empty() {
		t.Fatalf("placeholder mother: %+v %+v", row2.Evidence, rerr)
	}
}
