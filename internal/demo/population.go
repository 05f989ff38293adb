package demo

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// A synthetic population for benchmarks: N generated people in households
// spread over all 50 districts of Bangkok, in synthetic communities under
// the real sub-districts (codes like 101103-G001, names that say they are
// synthetic), stored through the bulk path.

// AuditPopulationLoaded records that Populate stored a synthetic population.
const AuditPopulationLoaded = "demo.population_loaded"

// syntheticMarker ends the English name of every synthetic community, the
// way demoMarker marks the demo's.
const syntheticMarker = " (synthetic)"

// PopulationSeed is the default seed of Populate.
const PopulationSeed int64 = 1

// PopulationOptions say what to generate.
type PopulationOptions struct {
	People int
	Seed   int64
	// Progress receives a line every tenth of the way; nil for none.
	Progress io.Writer
}

// PopulationResult says what Populate did.
type PopulationResult struct {
	Communities       int // synthetic communities (created or found)
	CommunitiesNew    int
	Households        int
	People            int
	PeopleExisting    int // people already in the synthetic communities: nothing was added
	Elapsed           time.Duration
	GenerationElapsed time.Duration // of Elapsed, spent making people rather than storing them
}

// PeoplePerSecond is the rate the people were generated and stored at.
func (r PopulationResult) PeoplePerSecond() float64 {
	return float64(r.People) / max(r.Elapsed.Seconds(), 1e-9)
}

// populationBatch is the households given to one InsertHouseholds call,
// and populationTxRows the households and people of one transaction.
const (
	populationBatch  = 4000
	populationTxRows = 20000
)

// Populate generates and stores opts.People people across Bangkok, unless
// the synthetic communities already have people (then it adds nothing: run
// it on a fresh database to get another size or seed). The same seed and
// day give the same people.
func Populate(ctx context.Context, db *store.DB, opts PopulationOptions) (PopulationResult, error) {
	var res PopulationResult
	if opts.People <= 0 {
		return res, errs.Field("people", "field.required", nil)
	}
	start := time.Now()
	subs, err := syntheticCommunities(ctx, db, opts.People, &res)
	if err != nil {
		return res, err
	}
	counts, err := db.CountPeopleByCommunity(ctx)
	if err != nil {
		return res, err
	}
	for _, s := range subs {
		for _, id := range s.communityIDs {
			res.PeopleExisting += counts[id]
		}
	}
	if res.PeopleExisting > 0 {
		return res, nil
	}

	g := NewGenerator(opts.Seed, db.Now().In(thai.Bangkok()))
	hs := make([]people.Household, 0, populationBatch)
	ps := make([]people.Person, 0, populationBatch*4)
	var genTime time.Duration
	bar := newProgress(opts.Progress, "people", opts.People)
	flush := func() error {
		if err := db.InsertHouseholdsBatched(ctx, hs, ps, populationTxRows); err != nil {
			return err
		}
		res.Households += len(hs)
		res.People += len(ps)
		hs, ps = hs[:0], ps[:0]
		bar.update(res.People, fmt.Sprintf("%d households", res.Households))
		return nil
	}
	made := 0
	for i, s := range subs {
		// An even share for each sub-district; the last takes the rest.
		quota := opts.People*(i+1)/len(subs) - made
		g.Offices, g.Streets = s.offices, s.streets
		for quota > 0 {
			t0 := time.Now()
			h, members := g.CityHousehold(s.communityIDs)
			if len(members) > quota { // the last household is cut to fit
				members = members[:quota]
				if !containsID(members, h.CaregiverID) {
					h.CaregiverID = h.HeadID
				}
			}
			hs = append(hs, h)
			ps = append(ps, members...)
			quota -= len(members)
			made += len(members)
			genTime += time.Since(t0)
			if len(hs) == populationBatch {
				if err := flush(); err != nil {
					return res, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	bar.done(res.People)
	res.Elapsed, res.GenerationElapsed = time.Since(start), genTime
	return res, db.AuditAlone(ctx, audit.Event{Action: AuditPopulationLoaded, RequestID: "demo-populate",
		Detail: fmt.Sprintf("seed=%d households=%d people=%d", opts.Seed, res.Households, res.People)})
}

func containsID(ps []people.Person, id string) bool {
	for i := range ps {
		if ps[i].ID == id {
			return true
		}
	}
	return false
}

// syntheticSub is a real sub-district with its synthetic communities.
type syntheticSub struct {
	communityIDs []string
	offices      []string // the district's registration office
	streets      []string
}

// peoplePerCommunity is about the size of a Bangkok community (ชุมชน):
// 2,000-odd communities for about 5 million registered residents.
const peoplePerCommunity = 2000

// syntheticCommunities finds or creates the synthetic communities of every
// Bangkok sub-district: enough for about peoplePerCommunity people each.
func syntheticCommunities(ctx context.Context, db *store.DB, n int, res *PopulationResult) ([]syntheticSub, error) {
	districts, err := db.ListPlaces(ctx, store.PlaceFilter{Kind: places.District})
	if err != nil {
		return nil, err
	}
	subdistricts, err := db.ListPlaces(ctx, store.PlaceFilter{Kind: places.Subdistrict})
	if err != nil {
		return nil, err
	}
	existing, err := db.ListPlaces(ctx, store.PlaceFilter{Kind: places.Community})
	if err != nil {
		return nil, err
	}
	byCode := map[string]places.Place{}
	for _, p := range existing {
		byCode[p.Code] = p
	}
	districtCode := map[string]string{}
	for _, d := range districts {
		districtCode[d.ID] = d.Code
	}
	if len(subdistricts) == 0 {
		return nil, fmt.Errorf("demo: no sub-districts: is the database migrated?")
	}
	perSub := min(max((n+len(subdistricts)*peoplePerCommunity-1)/(len(subdistricts)*peoplePerCommunity), 1), 999)
	actor := audit.Event{RequestID: "demo-populate", Detail: "synthetic"}
	var out []syntheticSub
	for _, s := range subdistricts {
		sub := syntheticSub{offices: []string{districtCode[s.ParentID]}}
		if sub.offices[0] == "" {
			sub.offices = nil
		}
		for k := 1; k <= 5; k++ {
			sub.streets = append(sub.streets, fmt.Sprintf("ซอยสมมุติ%s %d", s.NameTH, k))
		}
		for k := 1; k <= perSub; k++ {
			code := fmt.Sprintf("%s-G%03d", s.Code, k)
			c, ok := byCode[code]
			switch {
			case ok && (c.ParentID != s.ID || !strings.HasSuffix(c.NameEN, syntheticMarker)):
				return nil, fmt.Errorf("demo: place %s exists and is not a synthetic community; not adding synthetic people to it", code)
			case !ok:
				c, err = db.SavePlace(ctx, places.Place{Kind: places.Community, Code: code, ParentID: s.ID,
					NameTH: fmt.Sprintf("ชุมชนสมมุติ %s %d", s.NameTH, k),
					NameEN: fmt.Sprintf("%s synthetic community %d%s", s.NameEN, k, syntheticMarker)}, actor)
				if err != nil {
					return nil, fmt.Errorf("demo: community %s: %w", code, err)
				}
				res.CommunitiesNew++
			}
			sub.communityIDs = append(sub.communityIDs, c.ID)
			res.Communities++
		}
		out = append(out, sub)
	}
	return out, nil
}

// RunPopulation is "termtem demo --people N": Populate, then (with
// activity) PopulateActivity, each with a progress bar, and a summary, on
// out. On a database whose synthetic communities already have people it
// adds only the activity, if they have none yet.
func RunPopulation(ctx context.Context, db *store.DB, n int, seed int64, activity bool, out io.Writer) error {
	engine := "SQLite"
	if db.Postgres() {
		engine = "PostgreSQL"
	}
	fmt.Fprintf(out, "Termtem demo: %d synthetic people across Bangkok's 50 districts (seed %d, %s)\n", n, seed, engine)
	res, err := Populate(ctx, db, PopulationOptions{People: n, Seed: seed, Progress: out})
	if err != nil {
		return err
	}
	if res.PeopleExisting > 0 {
		fmt.Fprintf(out, "no people added: the synthetic communities already have %d people (use a fresh database for another population)\n", res.PeopleExisting)
	} else {
		fmt.Fprintf(out, "people: %d in %d households, %d synthetic communities (%d new), in %s: %.0f people/s (generation %s of it)\n",
			res.People, res.Households, res.Communities, res.CommunitiesNew, res.Elapsed.Round(time.Millisecond), res.PeoplePerSecond(),
			res.GenerationElapsed.Round(time.Millisecond))
	}
	if !activity {
		return nil
	}
	if org, err := db.GetOrganisationByCode(ctx, "BENCH-HC"); err == nil {
		if k, err := db.CountAssessmentsBy(ctx, org.ID); err != nil || k > 0 {
			if err == nil {
				fmt.Fprintf(out, "no activity added: the population already has %d synthetic assessments\n", k)
				err = printSpread(ctx, db, out)
			}
			return err
		}
	}
	act, err := PopulateActivity(ctx, db, ActivityOptions{Seed: seed, Progress: out})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "activity: %d service records, %d assessments, %d cases, %d referrals, %d alerts, %d hand-offs for %d people in %s: %.0f rows/s\n",
		act.Records, act.Assessments, act.Cases, act.Referrals, act.Alerts, act.Handoffs, act.People, act.Elapsed.Round(time.Second),
		float64(act.Rows())/max(act.Elapsed.Seconds(), 1e-9))
	if err := printSpread(ctx, db, out); err != nil {
		return err
	}
	fmt.Fprintln(out, "dashboard counters were kept in each batch's transaction; `termtem dashboards rebuild --check` compares them with a rebuild")
	return nil
}

// printSpread shows how the casework is spread over statuses.
func printSpread(ctx context.Context, db *store.DB, out io.Writer) error {
	spread, err := db.ActivitySpread(ctx)
	if err != nil {
		return err
	}
	keys := slices.Sorted(maps.Keys(spread))
	table := func(k string) string { t, _, _ := strings.Cut(k, "/"); return t }
	for i, k := range keys {
		sep := ", "
		if i == len(keys)-1 || table(keys[i+1]) != table(k) {
			sep = "\n"
		}
		fmt.Fprintf(out, "%s %d%s", k, spread[k], sep)
	}
	return nil
}

// GeneratorVersion names what the generator makes; benchmark caches are
// keyed by it. Change it whenever the generated people change (4: households
// of adults only and extended families, CityHousehold).
const GeneratorVersion = 4
