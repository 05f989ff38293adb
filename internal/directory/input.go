package directory

import (
	"strconv"
	"strings"

	"termtem/internal/cases"
	"termtem/internal/people"
)

// Input is an entry as a person (the web form) or a client (the API)
// writes it: every field but those the directory keeps itself (its ID,
// version, dates and outcomes). The API reads it as JSON, the form by the
// same names (FormInput); both turn it into a Service the same way.
type Input struct {
	OrganisationID string   `json:"organisation_id"`
	NameTH         string   `json:"name_th"`
	NameEN         string   `json:"name_en"`
	DescriptionTH  string   `json:"description_th"`
	DescriptionEN  string   `json:"description_en"`
	Dimension      string   `json:"dimension"`
	Indicators     []string `json:"indicators"`
	ReferralKind   string   `json:"referral_kind"`
	Eligibility    string   `json:"eligibility"`
	HowToRefer     string   `json:"how_to_refer"`
	Capacity       int      `json:"capacity"`
	WaitingDays    int      `json:"waiting_days"`
	OpeningHours   string   `json:"opening_hours"`
	ContactPhone   string   `json:"contact_phone"`
	ContactEmail   string   `json:"contact_email"`
	AreaPlaceID    string   `json:"area_place_id"`
	Free           bool     `json:"free"`
	FeeNote        string   `json:"fee_note"`
	Active         bool     `json:"active"`
}

// Service is the entry the input describes (not yet validated).
func (in Input) Service() Service {
	return Service{OrganisationID: in.OrganisationID, NameTH: in.NameTH, NameEN: in.NameEN, DescriptionTH: in.DescriptionTH,
		DescriptionEN: in.DescriptionEN, Dimension: people.Dimension(in.Dimension), Indicators: in.Indicators, ReferralKind: cases.Service(in.ReferralKind),
		Eligibility: strings.ReplaceAll(in.Eligibility, "\r\n", "\n"), HowToRefer: in.HowToRefer, Capacity: in.Capacity, WaitingDays: in.WaitingDays,
		OpeningHours: in.OpeningHours, ContactPhone: in.ContactPhone, ContactEmail: in.ContactEmail, AreaPlaceID: in.AreaPlaceID, Free: in.Free,
		FeeNote: in.FeeNote, Active: in.Active}
}

// FormInput reads an entry from form fields named as Input's JSON names:
// indicators comma-separated, free and active "1" when ticked, and a
// number that is not one -1, which Validate refuses naming its field.
func FormInput(get func(name string) string) Input {
	num := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(get(name)))
		if err != nil {
			return -1
		}
		return n
	}
	return Input{OrganisationID: get("organisation_id"), NameTH: get("name_th"), NameEN: get("name_en"), DescriptionTH: get("description_th"),
		DescriptionEN: get("description_en"), Dimension: get("dimension"), Indicators: SplitCodes(get("indicators")), ReferralKind: get("referral_kind"),
		Eligibility: get("eligibility"), HowToRefer: get("how_to_refer"), Capacity: num("capacity"), WaitingDays: num("waiting_days"),
		OpeningHours: get("opening_hours"), ContactPhone: get("contact_phone"), ContactEmail: get("contact_email"), AreaPlaceID: get("area_place_id"),
		Free: get("free") == "1", FeeNote: get("fee_note"), Active: get("active") == "1"}
}
