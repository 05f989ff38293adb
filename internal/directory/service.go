// Package directory is the service directory of the network (ทำเนียบบริการ):
// what each organisation offers, for whom (eligibility rules), how to refer
// and how long the wait is; the matching of a child's red and yellow
// indicators to services; and the exchange with other directories in the
// Open Referral Human Services Data Specification (HSDS). It knows nothing
// of HTTP or SQL.
package directory

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// StaleAfter is how long an entry stays trusted without its organisation
// confirming it.
const StaleAfter = 183 * 24 * time.Hour

// Service is one entry of the directory.
type Service struct {
	ID             string           `json:"id"`
	OrganisationID string           `json:"organisation_id"`
	OrgNameTH      string           `json:"organisation_name_th,omitempty"`
	OrgNameEN      string           `json:"organisation_name_en,omitempty"`
	OrgCode        string           `json:"organisation_code,omitempty"`
	OrgPlaceID     string           `json:"-"`
	NameTH         string           `json:"name_th"`
	NameEN         string           `json:"name_en"`
	DescriptionTH  string           `json:"description_th"`
	DescriptionEN  string           `json:"description_en"`
	Dimension      people.Dimension `json:"dimension"`
	Indicators     []string         `json:"indicators"`
	ReferralKind   cases.Service    `json:"referral_kind"`
	Eligibility    string           `json:"eligibility"`
	HowToRefer     string           `json:"how_to_refer"`
	Capacity       int              `json:"capacity"`
	WaitingDays    int              `json:"waiting_days"`
	OpeningHours   string           `json:"opening_hours"`
	ContactPhone   string           `json:"contact_phone"`
	ContactEmail   string           `json:"contact_email"`
	AreaPlaceID    string           `json:"area_place_id"`
	AreaCode       string           `json:"area_code,omitempty"`
	Free           bool             `json:"free"`
	FeeNote        string           `json:"fee_note"`
	Active         bool             `json:"active"`
	ConfirmedAt    time.Time        `json:"confirmed_at"`
	Stale          bool             `json:"stale"`
	Version        int              `json:"version"`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
	// Outcomes of the referrals sent to it (set by the reader).
	Outcomes Outcomes `json:"outcomes"`
}

// Outcomes are what the referrals sent to a service became.
type Outcomes struct {
	Sent      int `json:"sent"`
	Accepted  int `json:"accepted"` // accepted, in progress or completed
	Declined  int `json:"declined"`
	Completed int `json:"completed"`
	// AcceptancePercent is accepted of those answered (accepted or
	// declined); -1 before any answer.
	AcceptancePercent int `json:"acceptance_percent"`
	// DaysToComplete is the mean days from sending to completion; -1 when
	// none completed.
	DaysToComplete float64 `json:"days_to_complete"`
}

// Name is the service's name in lang.
func (s Service) Name(lang string) string {
	if lang == "en" && s.NameEN != "" {
		return s.NameEN
	}
	return s.NameTH
}

// Description is the description in lang.
func (s Service) Description(lang string) string {
	if lang == "en" && s.DescriptionEN != "" {
		return s.DescriptionEN
	}
	return s.DescriptionTH
}

// OrganisationName is the provider's name in lang.
func (s Service) OrganisationName(lang string) string {
	if lang == "en" && s.OrgNameEN != "" {
		return s.OrgNameEN
	}
	return s.OrgNameTH
}

// Limits of the text fields.
const (
	maxName = 200
	maxText = 4000
	maxLine = 300
)

// Validate normalises and checks an entry. knownPlace checks the place
// codes of the eligibility rules.
func Validate(s *Service, knownPlace func(string) bool) error {
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	for _, p := range []*string{&s.NameTH, &s.NameEN, &s.DescriptionTH, &s.DescriptionEN, &s.HowToRefer, &s.OpeningHours,
		&s.ContactPhone, &s.ContactEmail, &s.FeeNote, &s.Eligibility} {
		trim(p)
	}
	if s.NameTH == "" {
		return errs.Field("name_th", "field.required", nil)
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"name_th", s.NameTH, maxName}, {"name_en", s.NameEN, maxName}, {"description_th", s.DescriptionTH, maxText},
		{"description_en", s.DescriptionEN, maxText}, {"how_to_refer", s.HowToRefer, maxText}, {"opening_hours", s.OpeningHours, maxLine},
		{"contact_phone", s.ContactPhone, 40}, {"contact_email", s.ContactEmail, maxLine}, {"fee_note", s.FeeNote, maxLine},
		{"eligibility", s.Eligibility, maxText}} {
		if utf8.RuneCountInString(f.v) > f.max {
			return errs.Field(f.name, "field.too_long", map[string]any{"Max": f.max})
		}
	}
	if s.OrganisationID == "" {
		return errs.Field("organisation_id", "field.required", nil)
	}
	if s.AreaPlaceID == "" {
		return errs.Field("area_place_id", "field.required", nil)
	}
	if !slices.Contains(people.Dimensions, s.Dimension) {
		return errs.Field("dimension", "field.choice", nil)
	}
	if s.ReferralKind == "" {
		s.ReferralKind = "other"
	}
	if !slices.Contains(cases.Services, s.ReferralKind) {
		return errs.Field("referral_kind", "field.choice", nil)
	}
	if s.Capacity < 0 {
		return errs.Field("capacity", "directory.capacity_negative", nil)
	}
	if s.WaitingDays < 0 || s.WaitingDays > 3650 {
		return errs.Field("waiting_days", "directory.waiting_range", nil)
	}
	if s.ContactEmail != "" {
		if a, err := mail.ParseAddress(s.ContactEmail); err != nil || a.Address != s.ContactEmail {
			return errs.Field("contact_email", "directory.email", nil)
		}
	}
	in := flower.Default()
	var codes []string
	for _, c := range s.Indicators {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" || slices.Contains(codes, c) {
			continue
		}
		ind := in.Indicator(c)
		if ind == nil {
			return errs.Field("indicators", "directory.indicator_unknown", map[string]any{"Code": c})
		}
		if ind.Dimension != s.Dimension {
			return errs.Field("indicators", "directory.indicator_dimension", map[string]any{"Code": c})
		}
		codes = append(codes, c)
	}
	s.Indicators = codes
	if s.Free {
		s.FeeNote = ""
	}
	_, err := ParseRules(s.Eligibility, knownPlace)
	return err
}

// IsStale reports whether the entry has gone unconfirmed too long.
func IsStale(confirmed, now time.Time) bool { return now.Sub(confirmed) > StaleAfter }

// SplitCodes reads a comma-separated list of indicator codes.
func SplitCodes(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// SameEntry says whether storing s would change nothing of the stored
// entry old (both validated): what an import of the same file twice must
// find. The day it was confirmed counts only when s gives one.
func SameEntry(old, s Service) bool {
	day := func(t time.Time) string { return t.UTC().Format(time.DateOnly) }
	return old.OrganisationID == s.OrganisationID && old.NameTH == s.NameTH && old.NameEN == s.NameEN &&
		old.DescriptionTH == s.DescriptionTH && old.DescriptionEN == s.DescriptionEN && old.Dimension == s.Dimension &&
		slices.Equal(old.Indicators, s.Indicators) && old.ReferralKind == s.ReferralKind && CanonicalRules(old.Eligibility) == CanonicalRules(s.Eligibility) &&
		old.HowToRefer == s.HowToRefer && old.Capacity == s.Capacity && old.WaitingDays == s.WaitingDays && old.OpeningHours == s.OpeningHours &&
		old.ContactPhone == s.ContactPhone && old.ContactEmail == s.ContactEmail && old.AreaPlaceID == s.AreaPlaceID && old.Free == s.Free &&
		old.FeeNote == s.FeeNote && old.Active == s.Active && (s.ConfirmedAt.IsZero() || day(old.ConfirmedAt) == day(s.ConfirmedAt))
}

// CanonicalRules writes eligibility rules one a line in their standard
// form (no comments or blank lines), as HSDS carries them.
func CanonicalRules(text string) string {
	rules, _ := ParseRules(text, nil)
	lines := make([]string, len(rules))
	for i, r := range rules {
		lines[i] = r.String()
	}
	return strings.Join(lines, "\n")
}
