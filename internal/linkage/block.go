package linkage

import (
	"slices"
	"strconv"
)

// BlockKeys are the keys under which a record is a candidate for another:
// two records are compared only when they share one. Each pass catches
// what another misses:
//   - the sound of the family name with the birth year (the main pass);
//   - the sound of the given name with the birth year (a family name
//     changed, as when a mother remarries);
//   - the sounds of given and family name together (a birth year typed
//     wrong or missing);
//   - the sound of the given name with the day and month of birth in either
//     order (a family name changed and the year mistyped);
//   - the nickname's sound with the family name's (a child entered by
//     nickname);
//   - the mother's name with the birth year, and with the given name's
//     first sounds;
//   - the full birth date with the family name's sound, and with the given
//     name's first sounds (a slip in a name);
//   - the given name's first sounds with the family name's.
func BlockKeys(p *Prepared) []string {
	x := p.p
	keys := make([]string, 0, 6)
	y := ""
	if x.year != 0 {
		y = strconv.Itoa(x.year)
	}
	if x.familyKey != "" && y != "" {
		keys = append(keys, "fy:"+x.familyKey+":"+y)
	}
	if x.givenKey != "" && y != "" {
		keys = append(keys, "gy:"+x.givenKey+":"+y)
	}
	if x.givenKey != "" && x.familyKey != "" {
		keys = append(keys, "gf:"+x.givenKey+":"+x.familyKey)
	}
	if x.givenKey != "" && x.month != 0 && x.day != 0 {
		a, b := min(x.month, x.day), max(x.month, x.day)
		keys = append(keys, "gd:"+x.givenKey+":"+strconv.Itoa(a)+"-"+strconv.Itoa(b))
	}
	if x.nickKey != "" && x.familyKey != "" {
		keys = append(keys, "nf:"+x.nickKey+":"+x.familyKey)
		keys = append(keys, "gf:"+x.nickKey+":"+x.familyKey) // the nickname in one file, the given name in the other
	}
	if x.motherKey != "" && y != "" {
		keys = append(keys, "my:"+x.motherKey+":"+y)
	}
	if x.month != 0 && x.day != 0 {
		d := strconv.Itoa(x.year*10000 + x.month*100 + x.day)
		if x.familyKey != "" {
			keys = append(keys, "df:"+d+":"+x.familyKey)
		}
		if x.givenKey != "" {
			keys = append(keys, "dg:"+d+":"+prefix(x.givenKey, 2))
		}
	}
	if len(x.givenKey) > 3 && x.familyKey != "" {
		keys = append(keys, "pf:"+prefix(x.givenKey, 3)+":"+x.familyKey) // a slip late in the given name
	}
	if x.motherKey != "" && x.givenKey != "" {
		keys = append(keys, "mg:"+x.motherKey+":"+prefix(x.givenKey, 2))
	}
	return keys
}

func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Index holds prepared records by block key, for finding candidates in
// memory (a batch's own new people, the synthetic files of the tests).
type Index struct {
	recs   []*Prepared
	blocks map[string][]int32
	// MaxBlock bounds how many records of one block are compared: a block
	// as large as a common family name in a common year says little, and
	// comparing all of it would make the work quadratic.
	MaxBlock int
}

// NewIndex returns an empty index.
func NewIndex() *Index { return &Index{blocks: map[string][]int32{}, MaxBlock: 500} }

// Add puts a record in the index.
func (ix *Index) Add(p *Prepared) {
	i := int32(len(ix.recs))
	ix.recs = append(ix.recs, p)
	for _, k := range BlockKeys(p) {
		ix.blocks[k] = append(ix.blocks[k], i)
	}
}

// Len is how many records the index holds.
func (ix *Index) Len() int { return len(ix.recs) }

// Records returns the records the index holds, in the order added.
func (ix *Index) Records() []*Prepared { return ix.recs }

// Candidates returns the records sharing a block key with p, each once.
func (ix *Index) Candidates(p *Prepared) []*Prepared {
	var ids []int32
	for _, k := range BlockKeys(p) {
		b := ix.blocks[k]
		if len(b) > ix.MaxBlock {
			b = b[:ix.MaxBlock]
		}
		ids = append(ids, b...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make([]*Prepared, len(ids))
	for i, id := range ids {
		out[i] = ix.recs[id]
	}
	return out
}
