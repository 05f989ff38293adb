package store

import (
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// rankHits orders search results: most name keys matched first, then the
// closest spelling to what was typed, then Thai alphabetical order (which
// skips leading vowels as Thai dictionaries do).
func rankHits(hits []PersonHit, typed string) {
	typed = strings.ToLower(strings.ReplaceAll(typed, " ", ""))
	dist := make(map[string]int, len(hits))
	for _, h := range hits {
		p := h.Person
		best := -1
		for _, name := range []string{p.GivenName + p.FamilyName, p.GivenName, p.Nickname, p.GivenNameLatin + p.FamilyNameLatin, p.GivenNameLatin} {
			if name == "" {
				continue
			}
			d := editDistance(typed, strings.ToLower(name))
			if best < 0 || d < best {
				best = d
			}
		}
		dist[p.ID] = best
	}
	col := collate.New(language.Thai)
	slices.SortStableFunc(hits, func(a, b PersonHit) int {
		if a.Matched != b.Matched {
			return b.Matched - a.Matched
		}
		if da, db := dist[a.Person.ID], dist[b.Person.ID]; da != db {
			return da - db
		}
		return col.CompareString(a.Person.GivenName+" "+a.Person.FamilyName, b.Person.GivenName+" "+b.Person.FamilyName)
	})
}

// editDistance is the Levenshtein distance in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func itoa(n int) string { return strconv.Itoa(n) }
