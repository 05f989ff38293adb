package places

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
)

// The reference files are checked data: the 50 districts and 6 zone groups
// from two public sources that agree, and the 180 current sub-districts from
// kongvut/thai-province-data (formats-v2, obsolete rows removed).
//
//go:embed data/bangkok-districts.csv data/bangkok-subdistricts.csv
var referenceFS embed.FS

// Bangkok's zone groups (กลุ่มเขต), in the order BMA lists them.
var bangkokZones = []struct{ code, th, en string }{
	{"10-Z1", "กรุงเทพกลาง", "Central Bangkok"},
	{"10-Z2", "กรุงเทพใต้", "South Bangkok"},
	{"10-Z3", "กรุงเทพเหนือ", "North Bangkok"},
	{"10-Z4", "กรุงเทพตะวันออก", "East Bangkok"},
	{"10-Z5", "กรุงธนเหนือ", "North Thonburi"},
	{"10-Z6", "กรุงธนใต้", "South Thonburi"},
}

// ReferencePlace is a place of the reference data, its parent named by code
// because IDs are made when it is stored.
type ReferencePlace struct {
	Place
	ParentCode string
}

// BangkokReference returns Bangkok's province, zones, districts and
// sub-districts, parents before children.
func BangkokReference() ([]ReferencePlace, error) {
	out := []ReferencePlace{{Place: Place{Kind: Province, Code: "10", NameTH: "กรุงเทพมหานคร", NameEN: "Bangkok"}}}
	zoneByName := map[string]string{}
	for _, z := range bangkokZones {
		out = append(out, ReferencePlace{Place: Place{Kind: Zone, Code: z.code, NameTH: z.th, NameEN: z.en}, ParentCode: "10"})
		zoneByName[z.th] = z.code
	}
	districts, err := readCSV("data/bangkok-districts.csv", 5)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for i, r := range districts {
		zone, ok := zoneByName[r[3]]
		if !ok {
			return nil, fmt.Errorf("bangkok-districts.csv line %d: unknown zone %q", i+2, r[3])
		}
		known[r[0]] = true
		out = append(out, ReferencePlace{Place: Place{Kind: District, Code: r[0], NameTH: r[1], NameEN: r[2]}, ParentCode: zone})
	}
	subs, err := readCSV("data/bangkok-subdistricts.csv", 5)
	if err != nil {
		return nil, err
	}
	for i, r := range subs {
		if !known[r[1]] {
			return nil, fmt.Errorf("bangkok-subdistricts.csv line %d: unknown district %q", i+2, r[1])
		}
		out = append(out, ReferencePlace{Place: Place{Kind: Subdistrict, Code: r[0], NameTH: r[2], NameEN: r[3], Postcode: r[4]}, ParentCode: r[1]})
	}
	return out, nil
}

func readCSV(name string, fields int) ([][]string, error) {
	f, err := referenceFS.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = fields
	if _, err := r.Read(); err != nil { // header
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rows = append(rows, rec)
	}
}
