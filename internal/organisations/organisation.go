// Package organisations holds the service units that care for children and
// families — health centres, child-care centres, schools, district social
// welfare, hospitals, NGOs — and the committees that oversee them.
package organisations

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/errs"
)

// Kind is the type of a service unit.
type Kind string

const (
	HealthCentre            Kind = "health_centre"
	ChildcareCentre         Kind = "childcare_centre"
	School                  Kind = "school"
	DistrictSocialWelfare   Kind = "district_social_welfare"
	Hospital                Kind = "hospital"
	NGO                     Kind = "ngo"
	DistrictQualityOfLife   Kind = "committee_district_qol"
	DistrictChildProtection Kind = "committee_child_protection_district"
	BangkokChildProtection  Kind = "committee_child_protection_bangkok"
)

// Kinds lists every kind, in the order forms offer them.
var Kinds = []Kind{HealthCentre, ChildcareCentre, School, DistrictSocialWelfare, Hospital, NGO,
	DistrictQualityOfLife, DistrictChildProtection, BangkokChildProtection}

// IsCommittee reports whether k is a committee, whose members see aggregates only.
func (k Kind) IsCommittee() bool { return strings.HasPrefix(string(k), "committee_") }

// Organisation is a service unit or committee.
type Organisation struct {
	ID        string
	Code      string
	Kind      Kind
	NameTH    string
	NameEN    string
	PlaceID   string // the place it serves
	ParentID  string // e.g. a health centre under the BMA Health Department
	Active    bool
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Name returns the organisation's name in lang, falling back to Thai.
func (o Organisation) Name(lang string) string {
	if lang == "en" && o.NameEN != "" {
		return o.NameEN
	}
	return o.NameTH
}

var codePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._-]{1,31}$`)

// Validate checks the fields an administrator types.
func Validate(o *Organisation) error {
	o.Code = strings.ToUpper(strings.TrimSpace(o.Code))
	o.NameTH = strings.Join(strings.Fields(o.NameTH), " ")
	o.NameEN = strings.Join(strings.Fields(o.NameEN), " ")
	if !codePattern.MatchString(o.Code) {
		return errs.Field("code", "organisation.code_format", nil)
	}
	known := false
	for _, k := range Kinds {
		known = known || k == o.Kind
	}
	if !known {
		return errs.Field("kind", "field.choice", nil)
	}
	if o.NameTH == "" {
		return errs.Field("name_th", "field.required", nil)
	}
	if utf8.RuneCountInString(o.NameTH) > 200 || utf8.RuneCountInString(o.NameEN) > 200 {
		return errs.Field("name_th", "field.too_long", map[string]any{"Max": 200})
	}
	if o.PlaceID == "" {
		return errs.Field("place_id", "field.required", nil)
	}
	if o.ParentID != "" && o.ParentID == o.ID {
		return errs.Field("parent_id", "organisation.parent_self", nil)
	}
	return nil
}
