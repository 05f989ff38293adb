package organisations_test

import (
	"strings"
	"testing"

	"termtem/internal/errs"
	"termtem/internal/organisations"
)

func TestValidate(t *testing.T) {
	valid := func(mod func(o *organisations.Organisation)) organisations.Organisation {
		o := organisations.Organisation{Code: "HC-44", Kind: organisations.HealthCentre, NameTH: "ศูนย์บริการสาธารณสุข ๔๔", PlaceID: "p1"}
		if mod != nil {
			mod(&o)
		}
		return o
	}
	tests := []struct {
		name    string
		org     organisations.Organisation
		field   string // empty: valid
		message string
	}{
		{"valid", valid(nil), "", ""},
		{"code normalised", valid(func(o *organisations.Organisation) { o.Code = " hc-44 " }), "", ""},
		{"code with dot and underscore", valid(func(o *organisations.Organisation) { o.Code = "BMA.HEALTH_DEPT" }), "", ""},
		{"every kind is accepted", valid(func(o *organisations.Organisation) { o.Kind = organisations.BangkokChildProtection }), "", ""},
		{"code of one character", valid(func(o *organisations.Organisation) { o.Code = "H" }), "code", "organisation.code_format"},
		{"code of 33 characters", valid(func(o *organisations.Organisation) { o.Code = strings.Repeat("A", 33) }), "code", "organisation.code_format"},
		{"code starting with a dash", valid(func(o *organisations.Organisation) { o.Code = "-HC" }), "code", "organisation.code_format"},
		{"code with a space", valid(func(o *organisations.Organisation) { o.Code = "HC 44" }), "code", "organisation.code_format"},
		{"Thai code", valid(func(o *organisations.Organisation) { o.Code = "ศบส44" }), "code", "organisation.code_format"},
		{"unknown kind", valid(func(o *organisations.Organisation) { o.Kind = "temple" }), "kind", "field.choice"},
		{"empty kind", valid(func(o *organisations.Organisation) { o.Kind = "" }), "kind", "field.choice"},
		{"no Thai name", valid(func(o *organisations.Organisation) { o.NameTH = "  " }), "name_th", "field.required"},
		{"Thai name too long", valid(func(o *organisations.Organisation) { o.NameTH = strings.Repeat("ก", 201) }), "name_th", "field.too_long"},
		{"English name too long", valid(func(o *organisations.Organisation) { o.NameEN = strings.Repeat("a", 201) }), "name_th", "field.too_long"},
		{"no place", valid(func(o *organisations.Organisation) { o.PlaceID = "" }), "place_id", "field.required"},
		{"own parent", valid(func(o *organisations.Organisation) { o.ID, o.ParentID = "o1", "o1" }), "parent_id", "organisation.parent_self"},
		{"another parent", valid(func(o *organisations.Organisation) { o.ID, o.ParentID = "o1", "o2" }), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.org
			err := organisations.Validate(&o)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if o.Code != strings.ToUpper(strings.TrimSpace(tt.org.Code)) {
					t.Errorf("code not normalised: %q", o.Code)
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
	o := organisations.Organisation{Code: "hc-44", Kind: organisations.HealthCentre, NameTH: " ศูนย์ \t ๔๔ ", NameEN: " Health  Centre 44 ", PlaceID: "p"}
	if err := organisations.Validate(&o); err != nil {
		t.Fatal(err)
	}
	if o.Code != "HC-44" || o.NameTH != "ศูนย์ ๔๔" || o.NameEN != "Health Centre 44" {
		t.Errorf("normalised to %+v", o)
	}
	if o.Name("en") != "Health Centre 44" || o.Name("th") != "ศูนย์ ๔๔" {
		t.Error("Name does not choose the language")
	}
	o.NameEN = ""
	if o.Name("en") != "ศูนย์ ๔๔" {
		t.Error("Name does not fall back to Thai")
	}
}

func TestKinds(t *testing.T) {
	committees := 0
	seen := map[organisations.Kind]bool{}
	for _, k := range organisations.Kinds {
		if seen[k] {
			t.Errorf("kind %s twice", k)
		}
		seen[k] = true
		if k.IsCommittee() {
			committees++
		}
	}
	if committees != 3 {
		t.Errorf("%d committee kinds, want 3", committees)
	}
	if organisations.HealthCentre.IsCommittee() || !organisations.DistrictQualityOfLife.IsCommittee() {
		t.Error("IsCommittee wrong")
	}
}
