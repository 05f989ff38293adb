package places_test

import (
	"strings"
	"testing"

	"termtem/internal/errs"
	"termtem/internal/places"
)

func TestValidate(t *testing.T) {
	province := &places.Place{Kind: places.Province, Code: "10"}
	zone := &places.Place{Kind: places.Zone, Code: "10-Z4"}
	district := &places.Place{Kind: places.District, Code: "1011"}
	sub := &places.Place{Kind: places.Subdistrict, Code: "101101"}
	tests := []struct {
		name    string
		place   places.Place
		parent  *places.Place
		field   string // empty: valid
		message string
	}{
		{"province", places.Place{Kind: places.Province, Code: "10", NameTH: "กรุงเทพมหานคร"}, nil, "", ""},
		{"zone", places.Place{Kind: places.Zone, Code: "10-z4", NameTH: "กรุงเทพตะวันออก"}, province, "", ""},
		{"district", places.Place{Kind: places.District, Code: "1011", NameTH: "ลาดกระบัง"}, zone, "", ""},
		{"sub-district", places.Place{Kind: places.Subdistrict, Code: "101101", NameTH: "ลาดกระบัง"}, district, "", ""},
		{"community", places.Place{Kind: places.Community, Code: " 101101-c12 ", NameTH: "ชุมชน"}, sub, "", ""},
		{"unknown kind", places.Place{Kind: "village", Code: "1", NameTH: "ก"}, sub, "kind", "field.choice"},
		{"province with a parent", places.Place{Kind: places.Province, Code: "11", NameTH: "ก"}, province, "parent_id", "place.parent_kind"},
		{"zone without a parent", places.Place{Kind: places.Zone, Code: "10-Z7", NameTH: "ก"}, nil, "parent_id", "place.parent_kind"},
		{"district under a province", places.Place{Kind: places.District, Code: "1099", NameTH: "ก"}, province, "parent_id", "place.parent_kind"},
		{"community under a district", places.Place{Kind: places.Community, Code: "101101-1", NameTH: "ก"}, district, "parent_id", "place.parent_kind"},
		{"community without a parent", places.Place{Kind: places.Community, Code: "101101-1", NameTH: "ก"}, nil, "parent_id", "place.parent_kind"},
		{"community code of another sub-district", places.Place{Kind: places.Community, Code: "101102-1", NameTH: "ก"}, sub, "code", "place.community_code_prefix"},
		{"community code too long", places.Place{Kind: places.Community, Code: "101101-123456789", NameTH: "ก"}, sub, "code", "place.code_format"},
		{"community code with Thai", places.Place{Kind: places.Community, Code: "101101-ก", NameTH: "ก"}, sub, "code", "place.code_format"},
		{"sub-district of another district", places.Place{Kind: places.Subdistrict, Code: "101201", NameTH: "ก"}, district, "code", "place.code_format"},
		{"district code of 3 digits", places.Place{Kind: places.District, Code: "101", NameTH: "ก"}, zone, "code", "place.code_format"},
		{"zone code", places.Place{Kind: places.Zone, Code: "10-4", NameTH: "ก"}, province, "code", "place.code_format"},
		{"no Thai name", places.Place{Kind: places.District, Code: "1099", NameTH: " \t "}, zone, "name_th", "field.required"},
		{"Thai name too long", places.Place{Kind: places.District, Code: "1099", NameTH: strings.Repeat("ก", 201)}, zone, "name_th", "field.too_long"},
		{"English name too long", places.Place{Kind: places.District, Code: "1099", NameTH: "ก", NameEN: strings.Repeat("a", 201)}, zone, "name_th", "field.too_long"},
		{"200 Thai characters", places.Place{Kind: places.District, Code: "1099", NameTH: strings.Repeat("ก", 200)}, zone, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.place
			err := places.Validate(&p, tt.parent)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if p.Code != strings.ToUpper(strings.TrimSpace(tt.place.Code)) {
					t.Errorf("code not normalised: %q", p.Code)
				}
				return
			}
			e := errs.As(err)
			if err == nil || e.Code != errs.Invalid || e.Field != tt.field || e.MessageID != tt.message {
				t.Fatalf("got %v, want invalid %s %s", err, tt.field, tt.message)
			}
		})
	}
}

func TestValidateNormalisesNames(t *testing.T) {
	p := places.Place{Kind: places.District, Code: " 1011 ", NameTH: "  ลาด \n กระบัง ", NameEN: " Lat   Krabang "}
	if err := places.Validate(&p, &places.Place{Kind: places.Zone}); err != nil {
		t.Fatal(err)
	}
	if p.Code != "1011" || p.NameTH != "ลาด กระบัง" || p.NameEN != "Lat Krabang" {
		t.Errorf("normalised to %+v", p)
	}
	if p.Name("en") != "Lat Krabang" || p.Name("th") != "ลาด กระบัง" {
		t.Error("Name does not choose the language")
	}
	p.NameEN = ""
	if p.Name("en") != "ลาด กระบัง" {
		t.Error("Name does not fall back to Thai")
	}
}

func TestBangkokReference(t *testing.T) {
	ref, err := places.BangkokReference()
	if err != nil {
		t.Fatal(err)
	}
	if len(ref) != 237 {
		t.Fatalf("%d reference places, want 237", len(ref))
	}
	counts := map[places.Kind]int{}
	byCode := map[string]places.ReferencePlace{}
	for i, r := range ref {
		counts[r.Kind]++
		if _, dup := byCode[r.Code]; dup {
			t.Errorf("code %s twice", r.Code)
		}
		if r.NameTH == "" || r.NameEN == "" {
			t.Errorf("%s lacks a name: %+v", r.Code, r)
		}
		// Parents come before their children, so they can be stored in order.
		var parent *places.Place
		if r.ParentCode != "" {
			pr, ok := byCode[r.ParentCode]
			if !ok {
				t.Errorf("place %d (%s): parent %q not listed before it", i, r.Code, r.ParentCode)
				continue
			}
			parent = &pr.Place
		}
		// Every reference place passes the rules administrators' places must pass.
		p := r.Place
		if err := places.Validate(&p, parent); err != nil {
			t.Errorf("%s (%s) fails Validate: %v", r.Code, r.NameEN, err)
		}
		if p.Code != r.Code {
			t.Errorf("code %q is not in normal form", r.Code)
		}
		if r.Kind == places.Subdistrict && (len(r.Postcode) != 5 || !strings.HasPrefix(r.Postcode, "10")) {
			t.Errorf("%s: postcode %q is not a Bangkok postcode", r.Code, r.Postcode)
		}
		byCode[r.Code] = r
	}
	want := map[places.Kind]int{places.Province: 1, places.Zone: 6, places.District: 50, places.Subdistrict: 180, places.Community: 0}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: %d, want %d", k, counts[k], n)
		}
	}
	lk := byCode["1011"]
	if lk.Kind != places.District || lk.NameEN != "Lat Krabang" || lk.ParentCode != "10-Z4" || byCode["10-Z4"].NameEN != "East Bangkok" {
		t.Errorf("Lat Krabang = %+v, want district 1011 in East Bangkok (10-Z4)", lk)
	}
	// Every district has at least one sub-district.
	hasSub := map[string]bool{}
	for _, r := range ref {
		if r.Kind == places.Subdistrict {
			hasSub[r.ParentCode] = true
		}
	}
	for _, r := range ref {
		if r.Kind == places.District && !hasSub[r.Code] {
			t.Errorf("district %s (%s) has no sub-district", r.Code, r.NameEN)
		}
	}
}
