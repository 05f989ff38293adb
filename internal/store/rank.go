package store

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// candidate is a person found by a search, with what ranking needs.
type candidate struct {
	id                                               string
	given, family, nickname, givenLatin, familyLatin string
	named                                            bool // the names are read
	matched                                          int  // how many of the query's name keys the person has
	dist                                             int  // closest edit distance of a name to what was typed
	order                                            int  // place among the candidates as found
	coll                                             []byte
}

// rankCandidates orders search candidates: most name keys matched first,
// then the closest spelling to what was typed, then Thai alphabetical
// order (which skips leading vowels as Thai dictionaries do), then the
// order they were found in. Only cs[from:to], the page shown, is
// guaranteed in full order: the collation keys, the costly part, are made
// only for the candidates that tie with the page's.
func rankCandidates(cs []candidate, typed string, from, to int) {
	typedRunes := []rune(strings.ToLower(strings.ReplaceAll(typed, " ", "")))
	var ed editDistancer
	var buf []rune
	for i := range cs {
		c := &cs[i]
		c.order = i
		c.dist = -1
		for _, name := range [...]string{c.given + c.family, c.given, c.nickname, c.givenLatin + c.familyLatin, c.givenLatin} {
			if name == "" {
				continue
			}
			buf = appendLowerRunes(buf[:0], name)
			if d := ed.distance(typedRunes, buf); c.dist < 0 || d < c.dist {
				c.dist = d
			}
		}
	}
	byScore := func(a, b candidate) int {
		if a.matched != b.matched {
			return b.matched - a.matched
		}
		return a.dist - b.dist
	}
	slices.SortStableFunc(cs, byScore)
	if from >= to || from >= len(cs) {
		return
	}
	// Widen the page to whole runs of equal score, then order those runs
	// by name.
	lo, hi := from, min(to, len(cs))
	for lo > 0 && byScore(cs[lo-1], cs[from]) == 0 {
		lo--
	}
	for hi < len(cs) && byScore(cs[hi], cs[to-1]) == 0 {
		hi++
	}
	col := collate.New(language.Thai)
	var kb collate.Buffer
	for i := lo; i < hi; i++ {
		cs[i].coll = col.KeyFromString(&kb, cs[i].given+" "+cs[i].family)
	}
	slices.SortFunc(cs[lo:hi], func(a, b candidate) int {
		if s := byScore(a, b); s != 0 {
			return s
		}
		if c := bytes.Compare(a.coll, b.coll); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
}

// appendLowerRunes appends the runes of s in lower case.
func appendLowerRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, unicode.ToLower(r))
	}
	return dst
}

// editDistancer computes Levenshtein distances in runes, reusing its rows.
type editDistancer struct{ prev, cur []int }

func (e *editDistancer) distance(ra, rb []rune) int {
	if cap(e.prev) < len(rb)+1 {
		e.prev, e.cur = make([]int, len(rb)+1), make([]int, len(rb)+1)
	}
	prev, cur := e.prev[:len(rb)+1], e.cur[:len(rb)+1]
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
