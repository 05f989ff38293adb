package directory

import (
	"slices"
	"sort"

	"termtem/internal/flower"
)

// Concern is a red or yellow indicator of a child (or of the household).
type Concern struct {
	Code  string       `json:"code"`
	Level flower.Level `json:"level"`
}

// Match is a service offered for a child's concerns.
type Match struct {
	Service  Service
	Concerns []Concern // the child's concerns it addresses, red first
	Verdict  Verdict
	// Refused is the rule that makes the child ineligible (its line).
	Refused string
	// Distance is how far the provider is from the child: 0 the same
	// community, 1 the same sub-district, 2 the same district, 3 further.
	Distance int
}

// Candidate is a service with what the store knows of its place.
type Candidate struct {
	Service Service
	// ProviderPath are the place codes of the provider, its own place
	// first, then each place above it.
	ProviderPath []string
	// AreaCode is the code of the area the service serves.
	AreaCode string
}

// MatchServices offers the services that address any of the concerns,
// eligible first, then to check, then ineligible; within each the red
// concerns before the yellow, then the nearest, then the shortest wait.
// childPath are the codes of the child's community and the places above it.
// Services whose area does not cover the child are left out; so are
// inactive ones.
func MatchServices(candidates []Candidate, concerns []Concern, facts Facts, childPath []string) []Match {
	var out []Match
	for _, c := range candidates {
		s := c.Service
		if !s.Active || (c.AreaCode != "" && len(childPath) > 0 && !slices.Contains(childPath, c.AreaCode)) {
			continue
		}
		var hits []Concern
		for _, con := range concerns {
			if slices.Contains(s.Indicators, con.Code) {
				hits = append(hits, con)
			}
		}
		if len(hits) == 0 {
			continue
		}
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Level == flower.Red && hits[j].Level != flower.Red })
		rules, err := ParseRules(s.Eligibility, nil)
		m := Match{Service: s, Concerns: hits, Distance: distance(c.ProviderPath, childPath)}
		if err != nil {
			// Stored rules were checked on save; an entry imported before a
			// rule's words changed is shown as "to check", never hidden.
			m.Verdict = ToCheck
		} else {
			var refused *Rule
			m.Verdict, refused = Evaluate(rules, facts)
			if refused != nil {
				m.Refused = refused.String()
			}
		}
		out = append(out, m)
	}
	rank := map[Verdict]int{Eligible: 0, ToCheck: 1, Ineligible: 2}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if rank[a.Verdict] != rank[b.Verdict] {
			return rank[a.Verdict] < rank[b.Verdict]
		}
		ar, br := a.Concerns[0].Level == flower.Red, b.Concerns[0].Level == flower.Red
		if ar != br {
			return ar
		}
		if a.Distance != b.Distance {
			return a.Distance < b.Distance
		}
		return a.Service.WaitingDays < b.Service.WaitingDays
	})
	return out
}

// distance compares two place paths (own place first): the number of steps
// from the child's community up to the first place they share, at most 3.
func distance(provider, child []string) int {
	for i, c := range child {
		if i >= 3 {
			break
		}
		if slices.Contains(provider, c) {
			return i
		}
	}
	return 3
}
