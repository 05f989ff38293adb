package demo

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"termtem/internal/fhir"
	"termtem/internal/people"
	"termtem/internal/thai"
)

// FHIRSeed seeds the demo bundle's services (not its people).
const FHIRSeed = Seed + 77

// epiSchedule is the Thai EPI schedule by age in months: the vaccinations
// a health centre's bundle would hold for a child of that age.
var epiSchedule = []struct {
	months  int
	vaccine string
	dose    int
}{
	{0, "BCG", 1}, {0, "HBV", 1},
	{2, "DTP-HB-Hib", 1}, {2, "OPV", 1}, {2, "ROTA", 1},
	{4, "DTP-HB-Hib", 2}, {4, "OPV", 2}, {4, "IPV", 1}, {4, "ROTA", 2},
	{6, "DTP-HB-Hib", 3}, {6, "OPV", 3},
	{9, "MMR", 1}, {12, "JE", 1},
	{18, "DTP", 4}, {18, "OPV", 4}, {18, "MMR", 2},
	{30, "JE", 2}, {48, "DTP", 5}, {48, "OPV", 5},
}

// FHIRBundle writes a health centre's FHIR bundle about the demo's young
// children (under six) as of asOf: each child as a Patient with their
// mother or caregiver as a RelatedPerson, the vaccinations of the EPI
// schedule (a few missed), growth measurements and DSPM screenings, and
// some home visits. The people are the demo's own (the same generator, seed
// and national IDs as Load on the same day), so that importing the bundle
// into a database holding the demo links every child by national ID
// instead of making a second record. At most maxChildren children (0: all).
// It returns the number of children written.
func FHIRBundle(w io.Writer, asOf time.Time, maxChildren int) (int, error) {
	today := asOf.In(thai.Bangkok())
	g := NewGenerator(Seed, today)
	g.SerialBase = DemoSerialBase
	rng := rand.New(rand.NewPCG(uint64(FHIRSeed), 1))
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	bw := fhir.NewBundleWriter(w, "demo-"+day.Format("20060102"), day.Format(time.RFC3339))
	children, seq := 0, 0
	id := func(kind string) string {
		seq++
		// Stable ids: the same bundle for the same day, so that importing
		// it twice changes nothing.
		return fmt.Sprintf("demo-%s-%06d", kind, seq)
	}
	placeholder := make([]string, 1)
	for _, c := range communities {
		g.Streets = c.streets
		placeholder[0] = c.code
		for h, members := range g.Households(placeholder, c.households) {
			if maxChildren > 0 && children >= maxChildren {
				break
			}
			var carer *people.Person
			for i := range members {
				if members[i].Relation == people.RelHead || members[i].Relation == people.RelSpouse {
					if members[i].Sex == people.Female && carer == nil {
						carer = &members[i]
					}
				}
			}
			for _, p := range members {
				months, ok := people.AgeInMonths(p.BirthDate, day)
				if !ok || months >= 72 || len(p.BirthDate) != len("2006-01-02") || p.NationalID == "" {
					continue
				}
				if maxChildren > 0 && children >= maxChildren {
					break
				}
				children++
				pid := id("patient")
				pat := fhir.PatientOf(p)
				pat.ID = pid
				// The home and the mother, as a health centre's system
				// writes them: what record linkage compares.
				pat.Address = []fhir.Address{{Use: "home", Text: h.Address}}
				if carer != nil && p.Relation == people.RelChild {
					pat.Contact = []fhir.PatientContact{{Relationship: []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: fhir.SystemRoleCode, Code: "MTH"}}}},
						Name: &fhir.HumanName{Family: carer.FamilyName, Given: []string{carer.GivenName}}}}
				}
				if err := bw.Add(pat); err != nil {
					return children, err
				}
				if carer != nil && carer.BirthDate != "" {
					rel := people.RelMother
					if p.Relation != people.RelChild {
						rel = people.RelRelative
					}
					rp := fhir.RelatedPersonOf(*carer, pid, rel)
					rp.ID = id("related")
					if err := bw.Add(rp); err != nil {
						return children, err
					}
				}
				if err := childServices(bw, rng, pid, p.BirthDate, months, day, id); err != nil {
					return children, err
				}
			}
		}
	}
	return children, bw.Close()
}

// childServices writes a child's vaccinations, growth, screenings and
// visits up to their age.
func childServices(bw *fhir.BundleWriter, rng *rand.Rand, pid, birth string, months int, today time.Time, id func(string) string) error {
	born, err := time.Parse("2006-01-02", birth)
	if err != nil {
		return nil
	}
	on := func(m, days int) (string, bool) {
		d := born.AddDate(0, m, days)
		return d.Format("2006-01-02"), !d.After(today)
	}
	for _, v := range epiSchedule {
		if v.months > months || rng.IntN(100) < 8 { // some are missed: the alerts find them
			continue
		}
		date, ok := on(v.months, rng.IntN(10))
		if !ok {
			continue
		}
		r, _ := fhir.ResourceOf(people.Record{ID: id("imm"), Kind: people.Vaccination, OccurredOn: date,
			Data: people.RecordData{Vaccine: v.vaccine, Dose: v.dose}}, pid)
		if err := bw.Add(r); err != nil {
			return err
		}
	}
	for _, m := range []int{1, 2, 4, 6, 9, 12, 18, 24, 30, 36, 42, 48, 60} {
		if m > months {
			break
		}
		date, ok := on(m, rng.IntN(7))
		if !ok {
			continue
		}
		w, h, hc := variedGrowth(m, rng)
		r, _ := fhir.ResourceOf(people.Record{ID: id("growth"), Kind: people.Growth, OccurredOn: date,
			Data: people.RecordData{WeightKg: w, HeightCm: h, HeadCm: hc}}, pid)
		if err := bw.Add(r); err != nil {
			return err
		}
	}
	for _, age := range people.DSPMAges {
		if age > months {
			break
		}
		date, ok := on(age, rng.IntN(14))
		if !ok {
			continue
		}
		d := &people.Domains{GM: people.DSPMPass, FM: people.DSPMPass, RL: people.DSPMPass, EL: people.DSPMPass, PS: people.DSPMPass}
		if rng.IntN(100) < 15 {
			d.EL = people.DSPMSuspected // language is the domain most often behind
		}
		r, _ := fhir.ResourceOf(people.Record{ID: id("dspm"), Kind: people.DevelopmentScreening, OccurredOn: date,
			Data: people.RecordData{ScreeningAge: age, Domains: d}}, pid)
		if err := bw.Add(r); err != nil {
			return err
		}
	}
	if rng.IntN(100) < 10 && months >= 2 {
		date, _ := on(months-1, 0)
		r, _ := fhir.ResourceOf(people.Record{ID: id("visit"), Kind: people.HomeVisit, OccurredOn: date,
			Data: people.RecordData{Note: "เยี่ยมบ้านติดตามการเลี้ยงดูและพัฒนาการ"}}, pid)
		if err := bw.Add(r); err != nil {
			return err
		}
	}
	return nil
}

// variedGrowth is the medians at m months, varied a little.
func variedGrowth(m int, rng *rand.Rand) (float64, float64, float64) {
	w, h, hc := growthAt(m)
	round := func(v float64) float64 { return float64(int(v*10+0.5)) / 10 }
	return round(w * (0.9 + rng.Float64()*0.2)), round(h * (0.97 + rng.Float64()*0.06)), round(hc)
}

// FHIRFileName is the name the demo writes its bundle under.
func FHIRFileName(asOf time.Time) string {
	return "termtem-demo-fhir-" + strings.ReplaceAll(asOf.Format("2006-01-02"), "-", "") + ".json"
}
