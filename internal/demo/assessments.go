package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
)

// The demo's flower assessments: the social worker of the district has
// assessed some families and their children, a few of them twice (three
// months apart, to show a trend), with the spread of answers a pilot sees —
// mostly green, some yellow, a few red, one family with violence at home,
// which opens an urgent alert. Children's derived indicators come from the
// records loadRecords made.

// assessedHouseholds is how many demo households have been assessed.
const assessedHouseholds = 8

// loadAssessments adds the assessments unless the social-welfare unit has
// made some already.
func loadAssessments(ctx context.Context, db *store.DB, communityIDs []string, orgs map[string]organisations.Organisation,
	users map[string]string, res *Result) error {
	org := orgs[orgWelfare]
	n, err := db.CountAssessmentsBy(ctx, org.ID)
	if err != nil || n > 0 {
		res.AssessmentsExisting = n
		return err
	}
	ps, err := db.PeopleInCommunities(ctx, communityIDs)
	if err != nil {
		return err
	}
	today := dateOf(db.Now())
	var households []string
	children := map[string][]people.Person{}
	for _, p := range ps {
		if p.HouseholdID == "" {
			continue
		}
		if _, seen := children[p.HouseholdID]; !seen {
			households = append(households, p.HouseholdID)
			children[p.HouseholdID] = nil
		}
		if people.IsChild(p.BirthDate, today) {
			children[p.HouseholdID] = append(children[p.HouseholdID], p)
		}
	}
	rng := rand.New(rand.NewPCG(uint64(lifeCourseSeed), 3))
	author := users[userSocialWork]
	actor := audit.Event{ActorID: author, Detail: "demo"}
	done := 0
	for _, hh := range households {
		if done == assessedHouseholds {
			break
		}
		if len(children[hh]) == 0 {
			continue
		}
		rounds := []time.Time{today}
		if done%2 == 0 {
			rounds = []time.Time{today.AddDate(0, -3, 0), today}
		}
		for round, on := range rounds {
			worse := round == 0 && len(rounds) == 2 // the earlier visit found more to worry about
			hAnswers := map[string]flower.Answer{
				"ECO02": {Option: pickOption(rng, worse, "stable", "irregular", "none")},
				"ECO03": {Option: pickOption(rng, worse, "none", "behind_formal", "informal")},
				"ECO05": {Option: pickOption(rng, worse, "never", "sometimes", "often")},
				"ECO07": {Option: pickOption(rng, worse, "secure", "at_risk", "homeless")},
				"SAF06": {Option: "none"},
				"HLT10": {Option: pickOption(rng, worse, "both", "one", "neither")},
			}
			if done == 1 && round == len(rounds)-1 {
				hAnswers["SAF06"] = flower.Answer{Option: "current", Note: "ข้อมูลสมมติสำหรับการสาธิต"}
			}
			if err := assess(ctx, db, res, flower.Household, hh, on, hAnswers, org.ID, author, actor); err != nil {
				return err
			}
			for _, c := range children[hh] {
				answers := map[string]flower.Answer{
					"SAF01": {Option: "yes"},
					"SAF03": {Option: pickOption(rng, worse, "never", "once_with_child", "never")},
					"SAF04": {Option: pickOption(rng, false, "parent", "relatives", "parent")},
				}
				err := assess(ctx, db, res, flower.Child, c.ID, on, answers, org.ID, author, actor)
				if err != nil {
					// An answer that does not apply to this child's age
					// is left out rather than failing the demo.
					err = assess(ctx, db, res, flower.Child, c.ID, on, nil, org.ID, author, actor)
				}
				if err != nil {
					return err
				}
			}
		}
		done++
	}
	return nil
}

func assess(ctx context.Context, db *store.DB, res *Result, subject flower.Subject, id string, on time.Time,
	answers map[string]flower.Answer, org, author string, actor audit.Event) error {
	a, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: subject, SubjectID: id, On: on.Format(time.DateOnly), Answers: answers,
		Source: store.ByStaff, OrganisationID: org, AuthorID: author}, actor)
	if err != nil {
		return err
	}
	res.AssessmentsCreated++
	res.AlertsOpened += len(a.Alerts)
	return nil
}

// pickOption picks mostly the first (green) option, sometimes the second,
// rarely the third; worse makes the second and third likelier.
func pickOption(rng *rand.Rand, worse bool, green, yellow, red string) string {
	x := rng.IntN(100)
	if worse {
		x += 25
	}
	switch {
	case x >= 95:
		return red
	case x >= 70:
		return yellow
	}
	return green
}
