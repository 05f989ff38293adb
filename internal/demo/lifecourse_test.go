package demo

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
	"termtem/internal/thai"
)

// loaded runs Load on a fresh store and returns it with the demo people.
func loaded(t *testing.T) (*store.DB, Result, []people.Person) {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t)
	var out bytes.Buffer
	res, err := Load(ctx, db, newService(t, db), &out)
	if err != nil {
		t.Fatalf("Load: %v\n%s", err, out.String())
	}
	var ids []string
	for _, c := range communities {
		p, err := db.GetPlaceByCode(ctx, c.code)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	ps, err := db.PeopleInCommunities(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	return db, res, ps
}

func TestLoadHouseholds(t *testing.T) {
	ctx := context.Background()
	db, res, ps := loaded(t)
	if len(ps) != res.PeopleCreated+res.BirthsCreated {
		t.Fatalf("%d people in the demo communities, want %d", len(ps), res.PeopleCreated+res.BirthsCreated)
	}
	households := map[string]bool{}
	var withID, withOther, withLatin, withPhone, nonThai int
	for _, p := range ps {
		if !slices.Contains(people.Relationships, p.Relation) {
			t.Fatalf("%s: relation %q is not a relationship code", p.ID, p.Relation)
		}
		households[p.HouseholdID] = true
		full, err := db.GetPerson(ctx, p.ID, auditActor())
		if err != nil {
			t.Fatal(err)
		}
		if full.NationalID != "" {
			withID++
			if _, err := thai.ValidateNationalID(full.NationalID); err != nil {
				t.Fatalf("%s: national ID %s: %v", p.ID, full.NationalID, err)
			}
		}
		withOther += min(len(full.Identifiers), 1)
		if p.GivenNameLatin != "" {
			withLatin++
		}
		if p.Phone != "" {
			withPhone++
		}
		if p.Nationality != people.Thai {
			nonThai++
		}
	}
	t.Logf("%d people: %d with a national ID, %d with another document, %d with Latin names, %d with phones, %d not Thai",
		len(ps), withID, withOther, withLatin, withPhone, nonThai)
	if withID < len(ps)/2 || withLatin == 0 || withPhone == 0 {
		t.Errorf("too few IDs (%d), Latin names (%d) or phones (%d)", withID, withLatin, withPhone)
	}
	for id := range households {
		v, err := db.GetHousehold(ctx, id, auditActor())
		if err != nil {
			t.Fatal(err)
		}
		h := v.Household
		isMember := func(personID string) bool {
			return slices.ContainsFunc(v.Current, func(m store.HouseholdMember) bool { return m.Person.ID == personID })
		}
		if h.HeadID == "" || h.CaregiverID == "" || !isMember(h.HeadID) || !isMember(h.CaregiverID) {
			t.Fatalf("household %s: head %q, caregiver %q, members %d", id, h.HeadID, h.CaregiverID, len(v.Current))
		}
		for _, m := range v.Current {
			if m.Membership.Relationship != m.Person.Relation {
				t.Fatalf("household %s: membership %q, person %q", id, m.Membership.Relationship, m.Person.Relation)
			}
			if (m.Person.ID == h.HeadID) != (m.Person.Relation == people.RelHead) {
				t.Fatalf("household %s: head %s, but %s is %s", id, h.HeadID, m.Person.ID, m.Person.Relation)
			}
		}
	}
}

func TestLoadPregnancies(t *testing.T) {
	ctx := context.Background()
	db, _, ps := loaded(t)
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.CommunityID)
	}
	prs, err := db.PregnanciesInCommunities(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	today := dateOf(db.Now())
	ongoing := 0
	var born people.Pregnancy
	for _, pr := range prs {
		due, _ := time.Parse(time.DateOnly, pr.ExpectedDate)
		switch pr.Status {
		case people.Ongoing:
			ongoing++
			if !due.After(today) || due.After(today.AddDate(0, 7, 0)) {
				t.Errorf("ongoing pregnancy due %s", pr.ExpectedDate)
			}
		case people.Born:
			born = pr
		}
	}
	if ongoing != 3 || born.ChildID == "" {
		t.Fatalf("pregnancies %+v", prs)
	}
	child, err := db.GetPerson(ctx, born.ChildID, auditActor())
	if err != nil {
		t.Fatal(err)
	}
	mother, err := db.GetPerson(ctx, born.MotherID, auditActor())
	if err != nil {
		t.Fatal(err)
	}
	if child.FromPregnancyID != born.ID || child.HouseholdID != mother.HouseholdID || child.NationalID == "" {
		t.Fatalf("child %+v of mother %+v", child, mother)
	}
	tl, err := db.Timeline(ctx, child.ID, store.TimelineFilter{}, auditActor())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[people.RecordKind]int{}
	for _, r := range tl {
		kinds[r.Kind]++
		if r.Kind == people.AntenatalVisit && r.PregnancyID != born.ID {
			t.Errorf("antenatal visit %+v not of the child's pregnancy", r)
		}
	}
	if kinds[people.AntenatalVisit] < 4 || kinds[people.Birth] != 1 || kinds[people.Vaccination] < 2 {
		t.Fatalf("the newborn's timeline: %v", kinds)
	}
}

func TestLoadRecords(t *testing.T) {
	ctx := context.Background()
	db, res, ps := loaded(t)
	orgs := map[string]string{} // ID → code
	for _, code := range recordOrgs {
		o, err := db.GetOrganisationByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		orgs[o.ID] = code
		if res.RecordsByOrganisation[code] == 0 {
			t.Errorf("no records from %s", code)
		}
	}
	users, err := userIDs(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	authors := map[string]string{} // user ID → username
	for name, id := range users {
		authors[id] = name
	}
	wantAuthor := map[string][]string{orgHealth: {userNurse, userVolunteer}, orgChildcare: {userChildcare},
		orgPrimary: {userTeacher}, orgSecondary: {""}, orgWelfare: {userSocialWork}}
	kinds := map[people.RecordKind]int{}
	var suspected, rescreens, sensitive, threeAgencies int
	seen := map[string]bool{}
	for _, p := range ps {
		tl, err := db.Timeline(ctx, p.ID, store.TimelineFilter{}, auditActor())
		if err != nil {
			t.Fatal(err)
		}
		byOrg := map[string]bool{}
		for _, r := range tl {
			if seen[r.ID] {
				continue // antenatal visits show on the child's and nobody else's
			}
			seen[r.ID] = true
			kinds[r.Kind]++
			code := orgs[r.OrganisationID]
			byOrg[code] = true
			if !slices.Contains(wantAuthor[code], authors[r.AuthorID]) {
				t.Fatalf("%s record of %s by %q", r.Kind, code, authors[r.AuthorID])
			}
			if r.Sensitivity != people.Kinds[r.Kind].Sensitivity {
				t.Fatalf("%s record with sensitivity %q", r.Kind, r.Sensitivity)
			}
			if r.Sensitivity != people.NotSensitive {
				sensitive++
			}
			if r.Kind == people.DevelopmentScreening {
				if r.Data.RescreenBy != "" {
					suspected++
				}
				if r.Data.Note != "" {
					rescreens++
				}
			}
			if r.Kind == people.SchoolEnrolment && !slices.Contains(people.Grades, r.Data.Grade) {
				t.Fatalf("school enrolment in grade %q", r.Data.Grade)
			}
		}
		if byOrg[orgHealth] && byOrg[orgWelfare] && (byOrg[orgChildcare] || byOrg[orgPrimary]) {
			threeAgencies++
		}
	}
	t.Logf("records by kind: %v; %d screenings with a suspected delay, %d re-screens, %d sensitive; %d people with records of three agencies",
		kinds, suspected, rescreens, sensitive, threeAgencies)
	for _, k := range people.RecordKinds {
		if kinds[k] == 0 {
			t.Errorf("no %s records", k)
		}
	}
	if kinds[people.DropOut] != 2 || suspected == 0 || rescreens == 0 || threeAgencies == 0 || kinds[people.WelfareGrant] < 10 {
		t.Errorf("drop-outs %d (want 2), suspected %d, re-screens %d, children seen by three agencies %d",
			kinds[people.DropOut], suspected, rescreens, threeAgencies)
	}
	// The rest are the antenatal visits of the three ongoing pregnancies,
	// on no one's timeline until the child is born.
	if notShown := res.RecordsCreated - len(seen); notShown < 3 || notShown > 3*6 {
		t.Errorf("%d records on the timelines, %d created", len(seen), res.RecordsCreated)
	}
	// Bulk records are audited once, as an import.
	events, err := db.RecentAudit(ctx, store.ActionRecordsImported, 10)
	if err != nil || len(events) != 1 || events[0].ActorID != users[userNurse] {
		t.Fatalf("import audit %+v %v", events, err)
	}
}
