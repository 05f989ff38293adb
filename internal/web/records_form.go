package web

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/thai"
)

// recordForm is the form for one service record: first the kind is
// chosen, then the form shows that kind's fields only.
type recordForm struct {
	Person      people.Person
	Row         personRow
	Kinds       []people.RecordKind
	Kind        people.RecordKind
	Values      map[string]string // as typed, by field name
	Orgs        []account.Membership
	OrgName     string // the user's only organisation, which the record is made for
	Pregnancies []pregnancyRow
	Vaccines    []string
	Conditions  []string
	Grants      []string
	Grades      []string
	DSPMAges    []int
	DSPMDomains []string
	DSPMResults []string
}

// RecordNew shows the record form (GET /people/{id}/records/new?kind=…);
// without a kind, the choice of kinds.
func (h *Handler) RecordNew(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	q := r.URL.Query()
	values := map[string]string{"occurred_on": h.todayInput(httpx.Lang(r.Context())), "pregnancy_id": q.Get("pregnancy")}
	h.renderRecordForm(w, r, http.StatusOK, people.RecordKind(q.Get("kind")), values, nil)
}

func (h *Handler) renderRecordForm(w http.ResponseWriter, r *http.Request, status int, kind people.RecordKind, values map[string]string, fe *FormError) {
	ctx := r.Context()
	p := httpx.Principal(ctx)
	person, err := h.DB.GetPerson(ctx, r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "record.new", nil)
	f := recordForm{Person: person, Values: values, Vaccines: people.EPIVaccines, Conditions: people.Conditions, Grants: people.Grants,
		Grades: people.Grades, DSPMAges: people.DSPMAges, DSPMDomains: dspmDomains,
		DSPMResults: []string{people.DSPMPass, people.DSPMSuspected, people.DSPMDelayed}}
	f.Row = h.personRow(v.Lang, person, people.NoSchooling, "")
	pregnancies, err := h.DB.Pregnancies(ctx, person.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, pr := range pregnancies {
		if pr.Status == people.Ongoing {
			f.Pregnancies = append(f.Pregnancies, pregnancyRow{ID: pr.ID, Expected: dayText(v.Lang, pr.ExpectedDate), Status: pr.Status})
		}
	}
	for _, k := range people.RecordKinds {
		if k == people.AntenatalVisit && !mayBePregnant(person, h.DB.Now()) && len(f.Pregnancies) == 0 {
			continue
		}
		f.Kinds = append(f.Kinds, k)
	}
	if slices.Contains(f.Kinds, kind) {
		f.Kind = kind
		v.Title = h.Cat.T(v.Lang, "record.new_kind", map[string]any{"Kind": h.Cat.T(v.Lang, "record.kind."+string(kind), nil)})
	}
	if f.Kind == people.AntenatalVisit && values["pregnancy_id"] == "" && len(f.Pregnancies) == 1 {
		values["pregnancy_id"] = f.Pregnancies[0].ID
	}
	if len(p.User.Memberships) == 1 {
		f.OrgName = p.User.Memberships[0].OrgName(v.Lang)
	} else {
		f.Orgs = p.User.Memberships
	}
	v.Data, v.Error = f, fe
	v.Return = "/people/" + person.ID + "/records/new"
	if f.Kind != "" {
		v.Return += "?kind=" + string(f.Kind)
	}
	h.render(w, r, status, "record_form", v)
}

// recordFields are the form fields read for each kind (besides the date,
// the organisation and the note, which every kind has).
var recordFields = map[people.RecordKind][]string{
	people.AntenatalVisit:       {"pregnancy_id", "gestational_weeks", "weight_kg"},
	people.Birth:                {"birth_weight_g", "gestational_weeks"},
	people.Vaccination:          {"vaccine", "dose"},
	people.Growth:               {"weight_kg", "height_cm", "head_cm"},
	people.DevelopmentScreening: {"screening_age", "gm", "fm", "rl", "el", "ps"},
	people.Condition:            {"condition", "managed"},
	people.SchoolEnrolment:      {"grade"},
	people.Attendance:           {"attendance_pct", "period"},
	people.DropOut:              {"reason"},
	people.WelfareGrant:         {"grant", "amount_baht", "period"},
}

// RecordSave adds a service record to a person (POST /people/{id}/records)
// in the name of one of the user's organisations.
func (h *Handler) RecordSave(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.PeopleWrite)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
	ctx := r.Context()
	personID := r.PathValue("id")
	kind := people.RecordKind(r.PostFormValue("kind"))
	values := map[string]string{}
	for _, f := range append([]string{"occurred_on", "organisation_id", "note"}, recordFields[kind]...) {
		values[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	again := func(err error) {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderRecordForm(w, r, status, kind, values, fe)
	}
	if _, ok := people.Kinds[kind]; !ok {
		again(errs.Field("kind", "field.choice", nil))
		return
	}
	rec := people.Record{PersonID: personID, Kind: kind, OccurredOn: values["occurred_on"], AuthorID: p.User.ID}
	if rec.OccurredOn == "" {
		again(errs.Field("occurred_on", "date.empty", nil))
		return
	}
	var err error
	if rec.OrganisationID, err = recordOrganisation(p, values["organisation_id"]); err != nil {
		again(err)
		return
	}
	if rec.Data, err = recordData(kind, values); err != nil {
		again(err)
		return
	}
	if pid := values["pregnancy_id"]; kind == people.AntenatalVisit && pid != "" {
		mine, err := h.DB.Pregnancies(ctx, personID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if !slices.ContainsFunc(mine, func(pr people.Pregnancy) bool { return pr.ID == pid && pr.Status == people.Ongoing }) {
			again(errs.Field("pregnancy_id", "field.choice", nil))
			return
		}
		// On the pregnancy, so that the visit follows the child at birth.
		rec.PersonID, rec.PregnancyID = "", pid
	}
	ctx, err = h.formSending(r, "record:"+personID)
	if err != nil {
		again(err)
		return
	}
	if _, err := h.DB.AddRecord(ctx, rec, httpx.Actor(r)); err != nil {
		if !h.sentBefore(w, r, err, "flash.resend_record", func(string) string { return "/people/" + personID }) {
			again(err)
		}
		return
	}
	h.redirectWithFlash(w, r, "/people/"+personID, "flash.record_added")
}

// recordOrganisation is the organisation a record is made for: the user's
// only one, or the one chosen among theirs.
func recordOrganisation(p *account.Principal, chosen string) (string, error) {
	if len(p.User.Memberships) == 1 {
		return p.User.Memberships[0].OrganisationID, nil
	}
	if chosen == "" {
		return "", errs.Field("organisation_id", "record.organisation_required", nil)
	}
	if !p.InOrganisation(chosen) {
		return "", errs.Field("organisation_id", "record.organisation_not_yours", nil)
	}
	return chosen, nil
}

// recordData reads a kind's fields into RecordData; the rules on the values
// are people.ValidateRecord's.
func recordData(kind people.RecordKind, v map[string]string) (people.RecordData, error) {
	d := people.RecordData{Note: v["note"]}
	var err error
	num := func(field string) float64 {
		if err != nil || v[field] == "" {
			return 0
		}
		s := thai.NormalizeNationalID(v[field]) // Thai digits, stray spaces
		if thousandsSep.MatchString(s) {
			s = strings.ReplaceAll(s, ",", "")
		}
		f, perr := strconv.ParseFloat(s, 64) // "10,5" stays an error: not read as 105
		if perr != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			err = errs.Field(field, "record.number", nil)
		}
		return f
	}
	whole := func(field string) int {
		f := num(field)
		if err == nil && f != math.Trunc(f) {
			err = errs.Field(field, "record.whole_number", nil)
		}
		return int(f)
	}
	switch kind {
	case people.AntenatalVisit:
		d.GestationalWeeks = whole("gestational_weeks")
		d.WeightKg = num("weight_kg")
	case people.Birth:
		d.BirthWeightGrams = whole("birth_weight_g")
		d.GestationalWeeks = whole("gestational_weeks")
	case people.Vaccination:
		d.Vaccine = v["vaccine"]
		d.Dose = whole("dose")
	case people.Growth:
		d.WeightKg = num("weight_kg")
		d.HeightCm = num("height_cm")
		d.HeadCm = num("head_cm")
	case people.DevelopmentScreening:
		d.ScreeningAge = whole("screening_age")
		d.Domains = &people.Domains{GM: v["gm"], FM: v["fm"], RL: v["rl"], EL: v["el"], PS: v["ps"]}
	case people.Condition:
		d.Condition = v["condition"]
		managed := v["managed"] == "on"
		d.Managed = &managed
	case people.SchoolEnrolment:
		d.Grade = v["grade"]
	case people.Attendance:
		if v["attendance_pct"] != "" {
			pct := whole("attendance_pct")
			d.AttendancePct = &pct
		}
		d.Period, err = period(v["period"], err)
	case people.DropOut:
		d.Reason = v["reason"]
	case people.WelfareGrant:
		d.Grant = v["grant"]
		d.AmountBaht = whole("amount_baht")
		d.Period, err = period(v["period"], err)
	}
	return d, err
}

// thousandsSep matches a number written with thousands separators: 1,000.
var thousandsSep = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$`)

// period reads a month ("01/2569", "2026-01") as YYYY-MM; empty is allowed.
func period(s string, prev error) (string, error) {
	if prev != nil || s == "" {
		return "", prev
	}
	d, err := thai.ParseDate(s)
	if err != nil || d.Month == 0 {
		return "", errs.Field("period", "record.period_format", nil)
	}
	return fmt.Sprintf("%04d-%02d", d.Year, d.Month), nil
}
