package web

import (
	"html/template"
	"net/http"

	"termtem/internal/account"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/people"
)

// deprivationPage is the deprivation chart (ผังภาพภาวะขัดสน): every red and
// yellow indicator of the family and its children in one picture, in plain
// words and large type, for the social worker to go through with the
// family so that it can own the picture and choose its goals.
type deprivationPage struct {
	HouseholdID string
	Address     string
	Parts       []deprivationPart
	Assessed    bool // anyone in it has a staff assessment
}

// deprivationPart is the household or one child.
type deprivationPart struct {
	Name     string
	Date     string
	Flower   template.HTML
	Red      []concernRow
	Yellow   []concernRow
	Assessed bool
}

// Deprivation shows a household's deprivation chart (GET /households/{id}/deprivation).
func (h *Handler) Deprivation(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.AssessmentsRead)
	if p == nil {
		return
	}
	ctx := r.Context()
	hv, err := h.DB.GetHousehold(ctx, r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "deprivation.title", nil)
	pg := deprivationPage{HouseholdID: hv.Household.ID, Address: hv.Household.Address}
	type subject struct {
		kind flower.Subject
		id   string
		name string
	}
	subjects := []subject{{flower.Household, hv.Household.ID, h.Cat.T(v.Lang, "deprivation.family", nil)}}
	for _, m := range hv.Current {
		if people.IsChild(m.Person.BirthDate, h.DB.Now()) {
			name := m.Person.Nickname
			if name == "" {
				name = m.Person.GivenName
			}
			subjects = append(subjects, subject{flower.Child, m.Person.ID, name})
		}
	}
	for _, s := range subjects {
		fb, err := h.flowerSection(ctx, v.Lang, p, s.kind, s.id, httpx.Actor(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		part := deprivationPart{Name: s.name}
		if fb.Latest == nil {
			part.Flower = fb.Empty
		} else {
			part.Assessed, pg.Assessed = true, true
			part.Date, part.Flower = fb.Latest.Date, fb.Latest.Flower
			for _, c := range fb.Latest.Concerns {
				if c.Level == flower.Red {
					part.Red = append(part.Red, c)
				} else {
					part.Yellow = append(part.Yellow, c)
				}
			}
		}
		pg.Parts = append(pg.Parts, part)
	}
	v.Data = pg
	h.render(w, r, http.StatusOK, "deprivation", v)
}
