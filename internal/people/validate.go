package people

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"termtem/internal/errs"
	"termtem/internal/thai"
)

// MaxNameLen bounds every name field, in characters.
const MaxNameLen = 100

// ValidatePerson normalises and checks a person as typed: names (title
// parsed out of the given name when typed there), the birth date, the
// identifiers. now is today's date, for "not in the future".
func ValidatePerson(p *Person, now time.Time) error {
	if title, rest, ok := thai.SplitTitle(thai.NormalizeName(p.GivenName)); ok && p.Title == "" {
		p.Title, p.GivenName = title.TH, rest
		if p.Sex == Unknown && title.Sex != "" {
			p.Sex = Sex(title.Sex)
		}
	}
	for _, f := range []struct {
		field string
		value *string
	}{
		{"title", &p.Title}, {"given_name", &p.GivenName}, {"family_name", &p.FamilyName}, {"nickname", &p.Nickname},
		{"given_name_latin", &p.GivenNameLatin}, {"family_name_latin", &p.FamilyNameLatin},
	} {
		*f.value = thai.NormalizeName(*f.value)
		if err := checkName(f.field, *f.value); err != nil {
			return err
		}
	}
	if p.GivenName == "" && p.GivenNameLatin == "" && p.Nickname == "" {
		// A newborn may have no name yet, but then at least a nickname or
		// "ทารก" is typed: a record nobody can call by name gets lost.
		return errs.Field("given_name", "field.required", nil)
	}
	if p.Sex != Male && p.Sex != Female && p.Sex != Unknown {
		return errs.Field("sex", "field.choice", nil)
	}
	if p.Nationality != NationalityUnknown && !slices.Contains(Nationalities, p.Nationality) {
		return errs.Field("nationality", "field.choice", nil)
	}
	if p.Relation != "" && !slices.Contains(Relationships, p.Relation) {
		return errs.Field("relationship", "field.choice", nil)
	}
	birth, err := ValidateBirthDate(p.BirthDate, now, "birth_date")
	if err != nil {
		return err
	}
	p.BirthDate = birth
	p.Phone = strings.TrimSpace(p.Phone)
	if p.Phone != "" {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r == '+' {
				return r
			}
			if r == ' ' || r == '-' {
				return -1
			}
			return 'x'
		}, p.Phone)
		if strings.ContainsRune(digits, 'x') || len(digits) < 9 || len(digits) > 15 {
			return errs.Field("phone", "person.phone_format", nil)
		}
		p.Phone = digits
	}
	if p.NationalID != "" {
		id, err := NormalizeIdentifier(NationalID, p.NationalID, "national_id")
		if err != nil {
			return err
		}
		p.NationalID = id.Value
	}
	seen := map[IdentifierKind]bool{}
	for i, id := range p.Identifiers {
		field := "other_ids[" + strconv.Itoa(i) + "]"
		n, err := NormalizeIdentifier(id.Kind, id.Value, field)
		if err != nil {
			return err
		}
		if seen[n.Kind] {
			return errs.Field(field, "person.identifier_twice", nil)
		}
		seen[n.Kind] = true
		p.Identifiers[i] = n
	}
	return nil
}

func checkName(field, v string) error {
	if utf8.RuneCountInString(v) > MaxNameLen {
		return errs.Field(field, "field.too_long", map[string]any{"Max": MaxNameLen})
	}
	for _, r := range v {
		// Names are letters, marks, spaces and a little punctuation. Markup
		// characters would be escaped on output anyway; refusing them here
		// catches pasted HTML and script early with a clear message.
		if r == '<' || r == '>' || r == '"' || r == '`' || r == '{' || r == '}' || unicode.IsControl(r) {
			return errs.Field(field, "person.name_characters", nil)
		}
	}
	return nil
}

// ValidateBirthDate reads a birth date typed in Thai or international style
// (B.E. or C.E., possibly only a year or a year and month) and returns the
// C.E. form, refusing dates in the future or before 1900 with a message
// that spots a Buddhist-Era year typed where C.E. was meant, and the reverse.
func ValidateBirthDate(s string, now time.Time, field string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	d, err := thai.ParseDate(s)
	if err != nil {
		reason := "format"
		if de, ok := err.(*thai.DateError); ok {
			reason = de.Reason
		}
		return "", errs.Field(field, "date."+reason, nil)
	}
	today := now.In(thai.Bangkok())
	if d.Year < 1900 {
		if d.Year+543 >= 1900 && d.Year+543 <= today.Year() {
			return "", errs.Field(field, "date.be_converted_twice", map[string]any{"Year": d.Year + 543 + 543})
		}
		return "", errs.Field(field, "date.before_1900", nil)
	}
	start := time.Date(d.Year, time.Month(max(d.Month, 1)), max(d.Day, 1), 0, 0, 0, 0, thai.Bangkok())
	if start.After(today) {
		return "", errs.Field(field, "date.future", nil)
	}
	return d.String(), nil
}
