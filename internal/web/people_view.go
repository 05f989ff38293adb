package web

import (
	"context"
	"fmt"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// What the people, household and record screens share: how a person, a
// date and an age are shown, and the community choices of the forms.

// personRow is a person as lists show them: name, age, life stage, where.
type personRow struct {
	ID        string
	Name      string // title, given and family name as Thai documents write them
	Latin     string
	Nickname  string
	Age       string // localised; empty when the birth date is unknown
	Stage     people.LifeStage
	Community string
	// Flower is the small flower of the latest assessment, on lists, for
	// those who may see assessments.
	Flower template.HTML
	// Restricted: outside the viewer's area; the record opens only by
	// breaking the glass.
	Restricted bool
}

func (h *Handler) personRow(lang string, p people.Person, schooling people.Schooling, community string) personRow {
	return personRow{ID: p.ID, Name: displayName(p), Latin: p.LatinName(), Nickname: p.Nickname,
		Age: h.ageText(lang, p.BirthDate), Stage: people.StageAt(p.BirthDate, false, schooling, h.DB.Now()), Community: community}
}

// displayName is the full name, or the Latin name or nickname when a
// person has no Thai name yet.
func displayName(p people.Person) string {
	if n := strings.TrimSpace(p.FullName()); n != "" && (p.GivenName != "" || p.FamilyName != "") {
		return n
	}
	if n := p.LatinName(); n != "" {
		return n
	}
	return p.Nickname
}

// ageText says how old someone is: months for babies, years after.
func (h *Handler) ageText(lang, birth string) string {
	months, ok := people.AgeInMonths(birth, h.DB.Now())
	if !ok {
		return ""
	}
	if months < 24 {
		return h.Cat.T(lang, "person.age_months", map[string]any{"Months": months})
	}
	return h.Cat.T(lang, "person.age_years", map[string]any{"Years": months / 12})
}

// dayText shows a stored C.E. date (full or partial) in lang: B.E. in Thai.
func dayText(lang, s string) string {
	if s == "" {
		return ""
	}
	d, err := thai.ParseDate(s)
	if err != nil {
		return s
	}
	return d.Format(lang)
}

// dateInput puts a stored C.E. date back into a form field the way people
// type it: dd/mm/yyyy in B.E. in Thai, the ISO form in English. Both read
// back to the same date.
func dateInput(lang, s string) string {
	if s == "" || lang == "en" {
		return s
	}
	d, err := thai.ParseDate(s)
	if err != nil {
		return s
	}
	y := d.Year + thai.BEOffset
	switch {
	case d.Month == 0:
		return strconv.Itoa(y)
	case d.Day == 0:
		return fmt.Sprintf("%02d/%d", d.Month, y)
	}
	return fmt.Sprintf("%02d/%02d/%d", d.Day, d.Month, y)
}

// todayInput is today's date as a form field shows it.
func (h *Handler) todayInput(lang string) string {
	return dateInput(lang, h.DB.Now().In(thai.Bangkok()).Format("2006-01-02"))
}

// day parses a stored full C.E. date; zero when it is not one.
func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

// placeOption is one choice of a place select.
type placeOption struct {
	ID, Code, Name string
}

// placeGroup is the communities of one district, for an <optgroup>.
type placeGroup struct {
	Label   string
	Options []placeOption
}

// placeChoices are the district and community choices of the people forms.
type placeChoices struct {
	Districts   []placeOption
	Communities []placeGroup
	names       map[string]string // community ID → name
}

// placeChoices loads the place tree once (a few hundred places in a city)
// and groups the communities by district.
func (h *Handler) placeChoices(ctx context.Context, lang string) (placeChoices, error) {
	var c placeChoices
	all, err := h.DB.ListPlaces(ctx, store.PlaceFilter{})
	if err != nil {
		return c, err
	}
	byID := make(map[string]places.Place, len(all))
	for _, p := range all {
		byID[p.ID] = p
	}
	district := func(p places.Place) (places.Place, bool) {
		for range 6 {
			if p.Kind == places.District {
				return p, true
			}
			parent, ok := byID[p.ParentID]
			if !ok {
				return places.Place{}, false
			}
			p = parent
		}
		return places.Place{}, false
	}
	groups := map[string]*placeGroup{}
	var order []string
	c.names = map[string]string{}
	for _, p := range all {
		switch p.Kind {
		case places.District:
			c.Districts = append(c.Districts, placeOption{p.ID, p.Code, p.Name(lang)})
		case places.Community:
			c.names[p.ID] = p.Name(lang)
			key, label := "", h.Cat.T(lang, "place.kind.community", nil)
			if d, ok := district(p); ok {
				key, label = d.Code, h.Cat.T(lang, "place.kind.district", nil)+" "+d.Name(lang)
			}
			g, ok := groups[key]
			if !ok {
				g = &placeGroup{Label: label}
				groups[key] = g
				order = append(order, key)
			}
			g.Options = append(g.Options, placeOption{p.ID, p.Code, p.Name(lang)})
		}
	}
	sort.Strings(order)
	for _, k := range order {
		c.Communities = append(c.Communities, *groups[k])
	}
	return c, nil
}

// communityName returns the name of a community, or "".
func (h *Handler) communityName(ctx context.Context, lang, id string) string {
	if id == "" {
		return ""
	}
	p, err := h.DB.GetPlace(ctx, id)
	if err != nil {
		return ""
	}
	return p.Name(lang)
}

// personTitles are the title prefixes the person form suggests; any other
// may be typed.
var personTitles = []string{"เด็กชาย", "เด็กหญิง", "นาย", "นาง", "นางสาว"}
