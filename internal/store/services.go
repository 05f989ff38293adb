package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/directory"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// Audit actions of the service directory.
const (
	ActionServiceSaved     = "service.saved"
	ActionServiceConfirmed = "service.confirmed"
	ActionServicesImported = "services.imported"
	ActionServicesMatched  = "services.matched"
)

const serviceSelect = `SELECT s.id, s.organisation_id, o.name_th, o.name_en, o.code, o.place_id, s.name_th, s.name_en, s.description_th, s.description_en,
	s.dimension, s.indicators, s.referral_kind, s.eligibility, s.how_to_refer, s.capacity, s.waiting_days, s.opening_hours,
	s.contact_phone, s.contact_email, s.area_place_id, a.code, s.free, s.fee_note, s.active, s.confirmed_at, s.version, s.created_at, s.updated_at
	FROM services s JOIN organisations o ON o.id = s.organisation_id JOIN places a ON a.id = s.area_place_id`

func scanService(row interface{ Scan(...any) error }, now time.Time) (directory.Service, error) {
	var s directory.Service
	var dim, inds, kind, confirmed, created, updated string
	err := row.Scan(&s.ID, &s.OrganisationID, &s.OrgNameTH, &s.OrgNameEN, &s.OrgCode, &s.OrgPlaceID, &s.NameTH, &s.NameEN, &s.DescriptionTH, &s.DescriptionEN,
		&dim, &inds, &kind, &s.Eligibility, &s.HowToRefer, &s.Capacity, &s.WaitingDays, &s.OpeningHours,
		&s.ContactPhone, &s.ContactEmail, &s.AreaPlaceID, &s.AreaCode, &s.Free, &s.FeeNote, &s.Active, &confirmed, &s.Version, &created, &updated)
	s.Dimension, s.Indicators, s.ReferralKind = people.Dimension(dim), directory.SplitCodes(inds), cases.Service(kind)
	s.ConfirmedAt, s.CreatedAt, s.UpdatedAt = parseTS(confirmed), parseTS(created), parseTS(updated)
	s.Stale = directory.IsStale(s.ConfirmedAt, now)
	s.OrgNameEN = strings.TrimSpace(s.OrgNameEN)
	return s, err
}

// ServiceFilter narrows the directory. Empty fields do not filter.
type ServiceFilter struct {
	OrganisationID string
	Dimension      people.Dimension
	Indicator      string
	Search         string
	StaleOnly      bool
	ActiveOnly     bool
}

// ListServices lists the directory, by provider then name, with each
// service's referral outcomes. The directory holds no personal data: any
// staff member may read it.
func (db *DB) ListServices(ctx context.Context, f ServiceFilter) ([]directory.Service, error) {
	var where []string
	var args []any
	if f.OrganisationID != "" {
		where, args = append(where, "s.organisation_id = ?"), append(args, f.OrganisationID)
	}
	if f.Dimension != "" {
		where, args = append(where, "s.dimension = ?"), append(args, string(f.Dimension))
	}
	if f.Indicator != "" {
		// Codes are stored comma-separated: match a whole code.
		where, args = append(where, "(',' || s.indicators || ',') LIKE ?"), append(args, "%,"+strings.ToUpper(f.Indicator)+",%")
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		like := "%" + strings.ToLower(s) + "%"
		where = append(where, "(LOWER(s.name_th) LIKE ? OR LOWER(s.name_en) LIKE ? OR LOWER(s.description_th) LIKE ? OR LOWER(s.description_en) LIKE ? OR LOWER(o.name_th) LIKE ?)")
		args = append(args, like, like, like, like, like)
	}
	if f.ActiveOnly {
		where = append(where, "s.active")
	}
	now := db.Now()
	if f.StaleOnly {
		where, args = append(where, "s.confirmed_at < ?"), append(args, ts(now.Add(-directory.StaleAfter)))
	}
	q := serviceSelect
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY o.name_th, s.name_th, s.id LIMIT 1000`
	out, err := queryAll(ctx, db.reader(), q, args, func(rows *sql.Rows) (directory.Service, error) { return scanService(rows, now) })
	if err != nil {
		return nil, err
	}
	return out, db.reader().serviceOutcomes(ctx, out)
}

// GetService returns one entry with its outcomes.
func (db *DB) GetService(ctx context.Context, id string) (directory.Service, error) {
	s, err := db.reader().getService(ctx, id)
	if err != nil {
		return s, err
	}
	list := []directory.Service{s}
	err = db.reader().serviceOutcomes(ctx, list)
	return list[0], err
}

func (t *Tx) getService(ctx context.Context, id string) (directory.Service, error) {
	s, err := scanService(t.queryRow(ctx, serviceSelect+` WHERE s.id = ?`, id), t.db.Now())
	if err == sql.ErrNoRows {
		return s, errs.New(errs.NotFound, "directory.not_found")
	}
	return s, classify(err)
}

// serviceOutcomes fills each service's acceptance rate and time to
// complete from the referrals sent to it.
func (t *Tx) serviceOutcomes(ctx context.Context, list []directory.Service) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[string]int{}
	args := make([]any, 0, len(list))
	for i, s := range list {
		idx[s.ID] = i
		args = append(args, s.ID)
	}
	type row struct {
		service, status, created string
		closed                   sql.NullString
	}
	rows, err := queryAll(ctx, t, `SELECT service_id, status, created_at, closed_at FROM referrals WHERE service_id IN (`+placeholders(len(args))+`)`, args,
		func(r *sql.Rows) (row, error) {
			var x row
			return x, r.Scan(&x.service, &x.status, &x.created, &x.closed)
		})
	if err != nil {
		return err
	}
	days := make([]float64, len(list))
	for _, r := range rows {
		o := &list[idx[r.service]].Outcomes
		o.Sent++
		switch cases.ReferralStatus(r.status) {
		case cases.Accepted, cases.InProgress:
			o.Accepted++
		case cases.Completed:
			o.Accepted++
			o.Completed++
			if c := parseNullTS(r.closed); c != nil {
				days[idx[r.service]] += c.Sub(parseTS(r.created)).Hours() / 24
			}
		case cases.Declined:
			o.Declined++
		}
	}
	for i := range list {
		o := &list[i].Outcomes
		o.AcceptancePercent, o.DaysToComplete = -1, -1
		if n := o.Accepted + o.Declined; n > 0 {
			o.AcceptancePercent = (o.Accepted*100 + n/2) / n
		}
		if o.Completed > 0 {
			o.DaysToComplete = float64(int(days[i]/float64(o.Completed)*10+0.5)) / 10
		}
	}
	return nil
}

// knownPlaceCode is the check of the place codes named in eligibility rules.
func (t *Tx) knownPlaceCode(ctx context.Context) func(string) bool {
	return func(code string) bool {
		_, err := t.getPlace(ctx, "code", code)
		return err == nil
	}
}

// SaveService creates (empty ID) or updates an entry, with optimistic
// concurrency on Version. Saving confirms the entry: whoever saves it says
// it is true today. The caller has checked that the actor keeps the
// organisation's entries.
func (db *DB) SaveService(ctx context.Context, s directory.Service, actor audit.Event) (directory.Service, error) {
	var out directory.Service
	err := db.InTx(ctx, func(t *Tx) error {
		var err error
		out, err = t.saveService(ctx, s, actor)
		return err
	})
	if err != nil {
		return out, err
	}
	return db.GetService(ctx, out.ID)
}

func (t *Tx) saveService(ctx context.Context, s directory.Service, actor audit.Event) (directory.Service, error) {
	if err := directory.Validate(&s, t.knownPlaceCode(ctx)); err != nil {
		return s, err
	}
	org, err := t.getOrganisation(ctx, "id", s.OrganisationID)
	if err != nil || !org.Active {
		return s, errs.Field("organisation_id", "case.organisation_inactive", nil)
	}
	if _, err := t.getPlace(ctx, "id", s.AreaPlaceID); err != nil {
		return s, errs.Field("area_place_id", "organisation.place_unknown", nil)
	}
	now := t.now()
	confirmed := now
	if !s.ConfirmedAt.IsZero() && s.ConfirmedAt.Before(t.db.Now()) {
		confirmed = ts(s.ConfirmedAt) // an import keeps the day the source assured it
	}
	inds := strings.Join(s.Indicators, ",")
	if s.Version == 0 {
		if s.ID == "" {
			s.ID = NewID()
			t.made(s.ID)
		}
		if _, err := t.exec(ctx, `INSERT INTO services (id, organisation_id, name_th, name_en, description_th, description_en, dimension, indicators,
			referral_kind, eligibility, how_to_refer, capacity, waiting_days, opening_hours, contact_phone, contact_email, area_place_id, free, fee_note,
			active, confirmed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.OrganisationID, s.NameTH, s.NameEN, s.DescriptionTH, s.DescriptionEN, string(s.Dimension), inds, string(s.ReferralKind),
			s.Eligibility, s.HowToRefer, s.Capacity, s.WaitingDays, s.OpeningHours, s.ContactPhone, s.ContactEmail, s.AreaPlaceID, s.Free, s.FeeNote,
			s.Active, confirmed, now, now); err != nil {
			return s, fieldConflict(classify(err), "id")
		}
	} else {
		old, err := t.getService(ctx, s.ID)
		if err != nil {
			return s, err
		}
		if old.OrganisationID != s.OrganisationID {
			return s, errs.Field("organisation_id", "directory.organisation_fixed", nil)
		}
		res, err := t.exec(ctx, `UPDATE services SET name_th = ?, name_en = ?, description_th = ?, description_en = ?, dimension = ?, indicators = ?,
			referral_kind = ?, eligibility = ?, how_to_refer = ?, capacity = ?, waiting_days = ?, opening_hours = ?, contact_phone = ?, contact_email = ?,
			area_place_id = ?, free = ?, fee_note = ?, active = ?, confirmed_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			s.NameTH, s.NameEN, s.DescriptionTH, s.DescriptionEN, string(s.Dimension), inds, string(s.ReferralKind), s.Eligibility, s.HowToRefer,
			s.Capacity, s.WaitingDays, s.OpeningHours, s.ContactPhone, s.ContactEmail, s.AreaPlaceID, s.Free, s.FeeNote, s.Active, confirmed, now,
			s.ID, s.Version)
		if err != nil {
			return s, classify(err)
		}
		if err := oneRow(res); err != nil {
			return s, err
		}
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionServiceSaved, "service", s.ID
	if err := t.Audit(ctx, actor); err != nil {
		return s, err
	}
	return t.getService(ctx, s.ID)
}

// ConfirmService says an entry is still true today without changing it.
func (db *DB) ConfirmService(ctx context.Context, id string, version int, actor audit.Event) (directory.Service, error) {
	var out directory.Service
	err := db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE services SET confirmed_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			t.now(), t.now(), id, version)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if _, err := t.getService(ctx, id); err != nil {
				return err
			}
			return errs.New(errs.Stale, "error.stale")
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionServiceConfirmed, "service", id
		if err := t.Audit(ctx, actor); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	return db.GetService(ctx, id)
}

// ImportResult says what an import did.
type ImportResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// ImportServices stores the services of an HSDS exchange file (JSON or a
// tabular package), all or none. Every entry is checked before anything is
// written, and every refusal is reported, each pointed at its place in the
// file. An entry whose ID is already in the directory is updated in place
// (the source is the authority for what it sent) unless nothing in it
// changed: importing the same file twice changes nothing. The organisation
// is found by the file's ID, else by the Termtem code the file gives;
// allowed says whether the importer keeps its entries.
func (db *DB) ImportServices(ctx context.Context, list []directory.Imported, allowed func(orgID string) bool, actor audit.Event) (ImportResult, error) {
	var res ImportResult
	err := db.InTx(ctx, func(t *Tx) error {
		res = ImportResult{}
		type plan struct {
			s   directory.Service
			old *directory.Service
		}
		var plans []plan
		var problems []error
		seen := map[string]bool{}
		for _, im := range list {
			s := im.Service
			fail := func(e *errs.Error) { problems = append(problems, im.Locate(e)) }
			org, err := t.getOrganisation(ctx, "id", s.OrganisationID)
			if errs.Is(err, errs.NotFound) && im.OrgCode != "" {
				org, err = t.getOrganisation(ctx, "code", im.OrgCode)
			}
			switch {
			case errs.Is(err, errs.NotFound):
				fail(errs.Field("organisation_id", "directory.hsds_organisation", map[string]any{"Value": s.OrganisationID}))
				continue
			case err != nil:
				return err
			case !allowed(org.ID):
				fail(errs.Field("organisation_id", "directory.not_yours", nil))
				continue
			case !org.Active:
				fail(errs.Field("organisation_id", "case.organisation_inactive", nil))
				continue
			}
			s.OrganisationID = org.ID
			if s.AreaPlaceID == "" {
				p, err := t.getPlace(ctx, "code", s.AreaCode)
				if errs.Is(err, errs.NotFound) {
					fail(errs.Field("area_code", "directory.area_unknown", map[string]any{"Value": s.AreaCode}))
					continue
				}
				if err != nil {
					return err
				}
				s.AreaPlaceID = p.ID
			}
			if err := directory.Validate(&s, t.knownPlaceCode(ctx)); err != nil {
				fail(errs.As(err))
				continue
			}
			var old *directory.Service
			if s.ID != "" {
				if seen[s.ID] {
					fail(errs.Field("id", "directory.tabular_duplicate", map[string]any{"Value": s.ID}))
					continue
				}
				seen[s.ID] = true
				o, err := t.getService(ctx, s.ID)
				switch {
				case err == nil && o.OrganisationID != s.OrganisationID:
					fail(errs.Field("id", "directory.organisation_fixed", nil))
					continue
				case err == nil:
					old = &o
				case !errs.Is(err, errs.NotFound):
					return err
				}
			}
			plans = append(plans, plan{s, old})
		}
		if len(problems) > 0 {
			return errors.Join(problems...)
		}
		for _, p := range plans {
			switch {
			case p.old == nil:
				res.Created++
			case directory.SameEntry(*p.old, p.s):
				res.Unchanged++
				continue
			default:
				p.s.Version = p.old.Version
				res.Updated++
			}
			if _, err := t.saveService(ctx, p.s, actor); err != nil {
				return err
			}
		}
		actor.Action, actor.ObjectType = ActionServicesImported, "service"
		actor.Detail = itoa(res.Created) + " created, " + itoa(res.Updated) + " updated, " + itoa(res.Unchanged) + " unchanged"
		return t.Audit(ctx, actor)
	})
	return res, err
}

// ChildMatches are the services offered for a child's red and yellow
// indicators, with what the form shows about the child's concerns.
type ChildMatches struct {
	Concerns []directory.Concern
	Matches  []directory.Match
}

// MatchServicesFor offers the directory's services for the concerns of a
// child's newest staff assessment (and of the household's), eligible and
// nearest first. Access to the child is checked and the read audited.
func (db *DB) MatchServicesFor(ctx context.Context, personID string, actor audit.Event) (ChildMatches, error) {
	var out ChildMatches
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		return out, err
	}
	r := db.reader()
	p, err := r.getPerson(ctx, personID)
	if err != nil {
		return out, err
	}
	latest, err := db.latestAssessments(ctx, flower.Child, []string{personID}, ByStaff)
	if err != nil {
		return out, err
	}
	seen := map[string]bool{}
	add := func(a Assessment) {
		for _, c := range a.Result.Concerns {
			if (c.Level == flower.Red || c.Level == flower.Yellow) && !seen[c.Code] {
				seen[c.Code] = true
				out.Concerns = append(out.Concerns, directory.Concern{Code: c.Code, Level: c.Level})
			}
		}
	}
	if a, ok := latest[personID]; ok {
		add(a)
	}
	var income *int
	if p.HouseholdID != "" {
		hh, err := db.latestAssessments(ctx, flower.Household, []string{p.HouseholdID}, ByStaff)
		if err != nil {
			return out, err
		}
		if a, ok := hh[p.HouseholdID]; ok {
			add(a)
			for _, ind := range a.Result.Indicators {
				if ind.Code == "ECO01" && ind.Number != nil {
					n := int(*ind.Number)
					income = &n
				}
			}
		}
	}
	path, err := r.placeCodes(ctx, p.CommunityID)
	if err != nil {
		return out, err
	}
	facts := directory.Facts{Income: income, PlaceCodes: path, Nationality: p.Nationality}
	if y, ok := people.AgeInYears(p.BirthDate, db.today()); ok {
		facts.AgeYears = &y
	}
	if len(out.Concerns) > 0 {
		services, err := db.ListServices(ctx, ServiceFilter{ActiveOnly: true})
		if err != nil {
			return out, err
		}
		var cands []directory.Candidate
		for _, s := range services {
			pp, err := r.placeCodes(ctx, s.OrgPlaceID)
			if err != nil {
				return out, err
			}
			cands = append(cands, directory.Candidate{Service: s, ProviderPath: pp, AreaCode: s.AreaCode})
		}
		out.Matches = directory.MatchServices(cands, out.Concerns, facts, path)
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionServicesMatched, "person", personID
	return out, db.AuditRead(ctx, actor)
}

// placeCodes are the codes of a place and every place above it, its own
// first.
func (t *Tx) placeCodes(ctx context.Context, id string) ([]string, error) {
	var out []string
	for id != "" && len(out) < 10 {
		p, err := t.getPlace(ctx, "id", id)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Code)
		id = p.ParentID
	}
	return out, nil
}
