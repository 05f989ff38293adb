package directory

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/people"
)

// The directory's exchange format is HSDS 3.0 (Open Referral): a page of
// service objects, each with its organization, phones, schedules, service
// areas, capacities and attributes, as the HSDS API's /services answers.
// What HSDS has no field for is carried in attributes under the vocabulary
// "termtem": the flower dimension and indicators, the eligibility rules,
// the referral kind and the waiting time. Thai is the service's name; the
// English name is its alternate_name.

// HSDSVersion is the version of the specification written.
const HSDSVersion = "3.0"

// Vocabulary names Termtem's taxonomy in HSDS attributes.
const Vocabulary = "termtem"

// HSDSPage is a page of services (HSDS API).
type HSDSPage struct {
	TotalItems int           `json:"total_items"`
	TotalPages int           `json:"total_pages"`
	PageNumber int           `json:"page_number"`
	Size       int           `json:"size"`
	FirstPage  bool          `json:"first_page"`
	LastPage   bool          `json:"last_page"`
	Empty      bool          `json:"empty"`
	Contents   []HSDSService `json:"contents"`
}

// HSDSService is an HSDS service, with the fields Termtem writes.
type HSDSService struct {
	ID                     string            `json:"id"`
	OrganizationID         string            `json:"organization_id,omitempty"`
	Name                   string            `json:"name"`
	AlternateName          string            `json:"alternate_name,omitempty"`
	Description            string            `json:"description,omitempty"`
	Email                  string            `json:"email,omitempty"`
	Status                 string            `json:"status"`
	ApplicationProcess     string            `json:"application_process,omitempty"`
	FeesDescription        string            `json:"fees_description,omitempty"`
	EligibilityDescription string            `json:"eligibility_description,omitempty"`
	MinimumAge             *int              `json:"minimum_age,omitempty"`
	MaximumAge             *int              `json:"maximum_age,omitempty"`
	AssuredDate            string            `json:"assured_date,omitempty"`
	LastModified           string            `json:"last_modified,omitempty"`
	Organization           *HSDSOrganization `json:"organization,omitempty"`
	Phones                 []HSDSPhone       `json:"phones,omitempty"`
	Schedules              []HSDSSchedule    `json:"schedules,omitempty"`
	ServiceAreas           []HSDSServiceArea `json:"service_areas,omitempty"`
	CostOptions            []HSDSCostOption  `json:"cost_options,omitempty"`
	Capacities             []HSDSCapacity    `json:"capacities,omitempty"`
	Attributes             []HSDSAttribute   `json:"attributes,omitempty"`
}

// HSDSOrganization is the service's provider.
type HSDSOrganization struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// HSDSPhone is a telephone number.
type HSDSPhone struct {
	ID     string `json:"id"`
	Number string `json:"number"`
}

// HSDSSchedule carries the opening hours as words.
type HSDSSchedule struct {
	ID          string `json:"id"`
	Description string `json:"description"`
}

// HSDSServiceArea is the area served; Termtem writes the place's geocode
// as a text extent.
type HSDSServiceArea struct {
	ID         string `json:"id"`
	Name       string `json:"name,omitempty"`
	Extent     string `json:"extent,omitempty"`
	ExtentType string `json:"extent_type,omitempty"`
}

// HSDSCostOption says what the service costs.
type HSDSCostOption struct {
	ID     string   `json:"id"`
	Amount *float64 `json:"amount,omitempty"`
	Option string   `json:"option,omitempty"`
}

// HSDSCapacity is how many it can take.
type HSDSCapacity struct {
	ID          string   `json:"id"`
	Unit        HSDSUnit `json:"unit"`
	Maximum     *int     `json:"maximum,omitempty"`
	Description string   `json:"description,omitempty"`
	Updated     string   `json:"updated"`
}

// HSDSUnit is the unit of a capacity.
type HSDSUnit struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// HSDSAttribute links a taxonomy term to the service.
type HSDSAttribute struct {
	ID           string           `json:"id"`
	LinkType     string           `json:"link_type,omitempty"`
	LinkEntity   string           `json:"link_entity,omitempty"`
	Value        string           `json:"value,omitempty"`
	TaxonomyTerm HSDSTaxonomyTerm `json:"taxonomy_term"`
}

// HSDSTaxonomyTerm is a term of a vocabulary.
type HSDSTaxonomyTerm struct {
	ID         string `json:"id"`
	Code       string `json:"code,omitempty"`
	Name       string `json:"name"`
	Vocabulary string `json:"vocabulary,omitempty"`
}

// Attribute link types Termtem writes.
const (
	linkDimension   = "dimension"
	linkIndicator   = "indicator"
	linkEligibility = "eligibility_rule"
	linkReferral    = "referral_kind"
	linkWait        = "waiting_days"
)

// ToHSDS writes a service as HSDS. sub makes the IDs of the parts (stable
// per service, so a second export is the same document).
func ToHSDS(s Service) HSDSService {
	sub := func(part string, i int) string { return s.ID + "/" + part + "/" + strconv.Itoa(i) }
	h := HSDSService{ID: s.ID, OrganizationID: s.OrganisationID, Name: s.NameTH, AlternateName: s.NameEN, Description: s.DescriptionTH,
		Email: s.ContactEmail, Status: "active", ApplicationProcess: s.HowToRefer, AssuredDate: s.ConfirmedAt.UTC().Format(time.DateOnly),
		LastModified: s.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000Z"),
		Organization: &HSDSOrganization{ID: s.OrganisationID, Name: s.OrgNameTH, Description: s.OrgNameEN}}
	if !s.Active {
		h.Status = "inactive"
	}
	if s.Free {
		zero := 0.0
		h.CostOptions = []HSDSCostOption{{ID: sub("cost", 0), Amount: &zero, Option: "free"}}
	} else {
		h.FeesDescription = s.FeeNote
	}
	if s.ContactPhone != "" {
		h.Phones = []HSDSPhone{{ID: sub("phone", 0), Number: s.ContactPhone}}
	}
	if s.OpeningHours != "" {
		h.Schedules = []HSDSSchedule{{ID: sub("schedule", 0), Description: s.OpeningHours}}
	}
	if s.AreaCode != "" {
		h.ServiceAreas = []HSDSServiceArea{{ID: sub("area", 0), Extent: s.AreaCode, ExtentType: "text"}}
	}
	capacity := s.Capacity
	h.Capacities = []HSDSCapacity{{ID: sub("capacity", 0), Unit: HSDSUnit{ID: "termtem-children", Name: "children"}, Maximum: &capacity,
		Updated: s.UpdatedAt.UTC().Format(time.RFC3339)}}
	rules, _ := ParseRules(s.Eligibility, nil)
	var lines []string
	for _, r := range rules {
		lines = append(lines, r.String())
	}
	h.EligibilityDescription = strings.Join(lines, "; ")
	if min, max := AgeRange(rules); min >= 0 || max >= 0 {
		if min >= 0 {
			h.MinimumAge = &min
		}
		if max >= 0 {
			h.MaximumAge = &max
		}
	}
	attr := func(link, code, value string) {
		h.Attributes = append(h.Attributes, HSDSAttribute{ID: sub("attribute", len(h.Attributes)), LinkType: link, LinkEntity: "service",
			Value: value, TaxonomyTerm: HSDSTaxonomyTerm{ID: Vocabulary + ":" + link + ":" + code, Code: code, Name: code, Vocabulary: Vocabulary}})
	}
	attr(linkDimension, string(s.Dimension), "")
	for _, c := range s.Indicators {
		attr(linkIndicator, c, "")
	}
	for _, l := range lines {
		attr(linkEligibility, "rule", l)
	}
	attr(linkReferral, string(s.ReferralKind), "")
	attr(linkWait, "days", strconv.Itoa(s.WaitingDays))
	return h
}

// Page is a whole directory as one HSDS page.
func Page(list []Service) HSDSPage {
	page := HSDSPage{TotalItems: len(list), TotalPages: 1, PageNumber: 1, Size: len(list), FirstPage: true, LastPage: true,
		Empty: len(list) == 0, Contents: []HSDSService{}}
	for _, s := range list {
		page.Contents = append(page.Contents, ToHSDS(s))
	}
	return page
}

// ParseHSDS reads a document of services: an HSDS page ({"contents": […]})
// or a bare array. Each service must name its organization.
func ParseHSDS(body []byte) ([]HSDSService, error) {
	trimmed := strings.TrimSpace(string(body))
	var list []HSDSService
	if strings.HasPrefix(trimmed, "[") {
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, errs.Wrap(errs.Invalid, "directory.hsds_json", err)
		}
		return list, nil
	}
	var page HSDSPage
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, errs.Wrap(errs.Invalid, "directory.hsds_json", err)
	}
	if page.Contents == nil {
		return nil, errs.Field("contents", "directory.hsds_no_contents", nil)
	}
	return page.Contents, nil
}

// FromHSDS turns one HSDS service into a directory entry. Its area is
// the geocode of its first service area (AreaCode; the store finds the
// place). The entry is then validated as any other; the index i names the
// service in errors ("contents[3].name").
func FromHSDS(h HSDSService, i int) (Service, error) {
	where := func(f string) string { return fmt.Sprintf("contents[%d].%s", i, f) }
	s := Service{ID: strings.TrimSpace(h.ID), NameTH: h.Name, NameEN: h.AlternateName, DescriptionTH: h.Description, HowToRefer: h.ApplicationProcess,
		ContactEmail: h.Email, Active: h.Status == "" || h.Status == "active", Free: h.FeesDescription == "", FeeNote: h.FeesDescription,
		Dimension: "", ReferralKind: "other"}
	s.OrganisationID = h.OrganizationID
	if h.Organization != nil && h.Organization.ID != "" {
		s.OrganisationID = h.Organization.ID
	}
	if s.OrganisationID == "" {
		return s, errs.Field(where("organization_id"), "field.required", nil)
	}
	for _, c := range h.CostOptions {
		if c.Amount != nil && *c.Amount > 0 {
			s.Free = false
		}
	}
	if len(h.Phones) > 0 {
		s.ContactPhone = h.Phones[0].Number
	}
	if len(h.Schedules) > 0 {
		s.OpeningHours = h.Schedules[0].Description
	}
	for _, a := range h.ServiceAreas {
		if a.Extent != "" {
			s.AreaCode = strings.TrimSpace(a.Extent)
			break
		}
	}
	if s.AreaCode == "" {
		return s, errs.Field(where("service_areas"), "field.required", nil)
	}
	for _, c := range h.Capacities {
		if c.Maximum != nil {
			s.Capacity = *c.Maximum
			break
		}
	}
	var rules []string
	for _, a := range h.Attributes {
		if a.TaxonomyTerm.Vocabulary != Vocabulary {
			continue
		}
		switch a.LinkType {
		case linkDimension:
			s.Dimension = people.Dimension(a.TaxonomyTerm.Code)
		case linkIndicator:
			s.Indicators = append(s.Indicators, a.TaxonomyTerm.Code)
		case linkEligibility:
			rules = append(rules, a.Value)
		case linkReferral:
			s.ReferralKind = cases.Service(a.TaxonomyTerm.Code)
		case linkWait:
			n, err := strconv.Atoi(a.Value)
			if err != nil {
				return s, errs.Field(where("attributes"), "directory.waiting_range", nil)
			}
			s.WaitingDays = n
		}
	}
	// A directory that is not Termtem's has no rules: the age limits are
	// what HSDS says of eligibility.
	if len(rules) == 0 {
		if h.MinimumAge != nil {
			rules = append(rules, fmt.Sprintf("age >= %d", *h.MinimumAge))
		}
		if h.MaximumAge != nil {
			rules = append(rules, fmt.Sprintf("age <= %d", *h.MaximumAge))
		}
	}
	s.Eligibility = strings.Join(rules, "\n")
	if t, err := time.Parse(time.DateOnly, h.AssuredDate); err == nil {
		s.ConfirmedAt = t
	}
	if s.Dimension == "" {
		return s, errs.Field(where("attributes"), "directory.hsds_dimension", nil)
	}
	return s, nil
}

// ReadHSDS reads an HSDS JSON document into directory entries; every
// service that cannot be read is reported, each naming its entry.
func ReadHSDS(body []byte) ([]Imported, error) {
	list, err := ParseHSDS(body)
	if err != nil {
		return nil, err
	}
	var out []Imported
	var problems []error
	for i, h := range list {
		s, err := FromHSDS(h, i)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		out = append(out, ImportedJSON(s, i))
	}
	return out, errors.Join(problems...)
}

// ReadExchange reads an upload in either form HSDS travels in: a tabular
// package (ZIP) or a JSON document.
func ReadExchange(body []byte) ([]Imported, error) {
	if IsZip(body) {
		return ReadTabular(body)
	}
	return ReadHSDS(body)
}
