// Package places is Termtem's geography: Bangkok → zone groups → districts
// (เขต) → sub-districts (แขวง) → communities (ชุมชน). Places are data, not code:
// administrators add communities and regroup districts without a release, and
// other provinces can be loaded the same way.
package places

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/errs"
)

// Kind is a level of the place tree.
type Kind string

const (
	Province    Kind = "province"
	Zone        Kind = "zone"
	District    Kind = "district"
	Subdistrict Kind = "subdistrict"
	Community   Kind = "community"
)

// Kinds lists the levels from the top down.
var Kinds = []Kind{Province, Zone, District, Subdistrict, Community}

// ParentKind says which level each level hangs under.
var ParentKind = map[Kind]Kind{
	Zone:        Province,
	District:    Zone,
	Subdistrict: District,
	Community:   Subdistrict,
}

// Place is one node of the tree.
type Place struct {
	ID       string
	Kind     Kind
	Code     string
	ParentID string // empty for a province
	NameTH   string
	NameEN   string
	Postcode string
	// Lat and Lon are a community's location (WGS 84 degrees), for the
	// map's community view; Located is false when none was given.
	Lat, Lon  float64
	Located   bool
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Name returns the place's name in lang, falling back to Thai.
func (p Place) Name(lang string) string {
	if lang == "en" && p.NameEN != "" {
		return p.NameEN
	}
	return p.NameTH
}

var codePatterns = map[Kind]*regexp.Regexp{
	Province:    regexp.MustCompile(`^[0-9]{2}$`),
	Zone:        regexp.MustCompile(`^[0-9]{2}-Z[0-9]$`),
	District:    regexp.MustCompile(`^[0-9]{4}$`),
	Subdistrict: regexp.MustCompile(`^[0-9]{6}$`),
	Community:   regexp.MustCompile(`^[0-9]{6}-[0-9A-Z]{1,8}$`),
}

// Validate checks a place's own fields and that its parent is of the right
// kind. parent is nil only for a province.
func Validate(p *Place, parent *Place) error {
	p.Code = strings.ToUpper(strings.TrimSpace(p.Code))
	p.NameTH = strings.Join(strings.Fields(p.NameTH), " ")
	p.NameEN = strings.Join(strings.Fields(p.NameEN), " ")
	pattern, ok := codePatterns[p.Kind]
	if !ok {
		return errs.Field("kind", "field.choice", nil)
	}
	if !pattern.MatchString(p.Code) {
		return errs.Field("code", "place.code_format", map[string]any{"Kind": string(p.Kind)})
	}
	if p.NameTH == "" {
		return errs.Field("name_th", "field.required", nil)
	}
	if utf8.RuneCountInString(p.NameTH) > 200 || utf8.RuneCountInString(p.NameEN) > 200 {
		return errs.Field("name_th", "field.too_long", map[string]any{"Max": 200})
	}
	want, needsParent := ParentKind[p.Kind]
	switch {
	case !needsParent && parent != nil:
		return errs.Field("parent_id", "place.parent_kind", nil)
	case needsParent && (parent == nil || parent.Kind != want):
		return errs.Field("parent_id", "place.parent_kind", nil)
	}
	// A community's code starts with its sub-district's code, so codes say
	// where a community is even in an export that lacks the tree.
	if p.Kind == Community && !strings.HasPrefix(p.Code, parent.Code+"-") {
		return errs.Field("code", "place.community_code_prefix", map[string]any{"Prefix": parent.Code + "-"})
	}
	if p.Kind == Subdistrict && !strings.HasPrefix(p.Code, parent.Code) {
		return errs.Field("code", "place.code_format", map[string]any{"Kind": string(p.Kind)})
	}
	return validateLocation(p)
}

// Bangkok's extent in degrees, with a margin: a location outside it is a
// typing slip (latitude and longitude swapped, a digit lost).
const (
	minLat, maxLat = 13.45, 14.05
	minLon, maxLon = 100.25, 101.0
)

// validateLocation accepts a location on communities only, inside Bangkok.
func validateLocation(p *Place) error {
	if !p.Located {
		p.Lat, p.Lon = 0, 0
		return nil
	}
	if p.Kind != Community {
		return errs.Field("latitude", "mapreport.location_community", nil)
	}
	if p.Lat < minLat || p.Lat > maxLat {
		return errs.Field("latitude", "mapreport.location_bangkok", map[string]any{"Min": minLat, "Max": maxLat})
	}
	if p.Lon < minLon || p.Lon > maxLon {
		return errs.Field("longitude", "mapreport.location_bangkok", map[string]any{"Min": minLon, "Max": maxLon})
	}
	return nil
}
