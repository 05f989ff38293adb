package synth

import (
	"fmt"
	"math/rand/v2"

	"termtem/internal/linkage"
)

// Result counts the decisions of one linkage run against the truth.
// A row "could link" when a row about the same child came before it.
type Result struct {
	Rows        int // rows decided by linkage (no national ID already known)
	ByID        int // rows linked by a national ID already known
	CouldLink   int // of Rows: rows whose child was already known
	Linked      int // of Rows: linked automatically
	Correct     int // of Linked: to the right child
	Review      int // of Rows: sent to a data officer
	ReviewRight int // of Review: whose best candidate was the right child
	Pairs       int // candidate pairs compared
	// Mistakes describes some wrong links, for reading failures.
	Mistakes []string
	Missed   []string // some rows not linked that could have been
}

// Precision, Recall and F1 of the automatic links among the rows linkage
// decided; a row sent to review counts as not linked.
func (r Result) Precision() float64 { return ratio(r.Correct, r.Linked) }
func (r Result) Recall() float64    { return ratio(r.Correct, r.CouldLink) }
func (r Result) F1() float64 {
	p, q := r.Precision(), r.Recall()
	if p+q == 0 {
		return 0
	}
	return 2 * p * q / (p + q)
}

// ReviewedF1 is F1 when data officers resolve every reviewed pair rightly
// (their link to the best candidate counts when it is right).
func (r Result) ReviewedF1() float64 {
	p := ratio(r.Correct+r.ReviewRight, r.Linked+r.ReviewRight)
	q := ratio(r.Correct+r.ReviewRight, r.CouldLink)
	if p+q == 0 {
		return 0
	}
	return 2 * p * q / (p + q)
}

func (r Result) String() string {
	return fmt.Sprintf("rows=%d by_id=%d could_link=%d linked=%d correct=%d review=%d (right %d) pairs=%d precision=%.4f recall=%.4f F1=%.4f reviewed_F1=%.4f",
		r.Rows, r.ByID, r.CouldLink, r.Linked, r.Correct, r.Review, r.ReviewRight, r.Pairs, r.Precision(), r.Recall(), r.F1(), r.ReviewedF1())
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Link imports the files one after another as the store does: a row whose
// national ID is known joins that person; any other row is decided by the
// model against the people known so far (its blocking candidates): linked,
// sent to review (and kept as a new person meanwhile), or new. A linked
// row fills what its person lacked. It returns the counts.
func Link(files [][]Record, m *linkage.Model) Result {
	var res Result
	ix := linkage.NewIndex()
	byID := map[string]string{}     // national ID → cluster
	people := map[string]*cluster{} // cluster ID → what is known
	known := map[string]bool{}      // true child IDs seen in some cluster
	pending := map[[2]string]bool{} // pairs sent to review
	related := func(a, b string) bool { return pending[[2]string{a, b}] || pending[[2]string{b, a}] }
	n := 0
	for _, f := range files {
		for _, r := range f {
			if c, ok := byID[r.NationalID]; ok && r.NationalID != "" {
				res.ByID++
				people[c].fill(r, ix)
				known[r.Truth] = true
				continue
			}
			res.Rows++
			could := known[r.Truth]
			if could {
				res.CouldLink++
			}
			rec := r.Record
			rec.NationalID = r.NationalID
			p := linkage.Prepare(rec)
			cands := ix.Candidates(p)
			res.Pairs += len(cands)
			d := m.Decide(p, cands, related)
			if d.Outcome == linkage.Link {
				res.Linked++
				c := people[d.Best.Candidate.Record().ID]
				if c.truths[r.Truth] {
					res.Correct++
				} else if len(res.Mistakes) < 40 {
					res.Mistakes = append(res.Mistakes, fmt.Sprintf("%.1f %+v %v\n   row %+v\n   to  %+v", d.Best.Score,
						m.Explain(d.Best.Vector), r.Noise, r.Record, c.rec))
				}
				c.fill(r, ix)
				if r.NationalID != "" {
					byID[r.NationalID] = c.rec.ID
				}
				known[r.Truth] = true
				continue
			}
			if could && len(res.Missed) < 40 {
				var truth linkage.Record
				for _, c := range people {
					if c.truths[r.Truth] {
						truth = c.rec
					}
				}
				tp := linkage.Prepare(truth)
				v := linkage.Compare(p, tp)
				res.Missed = append(res.Missed, fmt.Sprintf("%s %.1f own %.1f %+v %v\n   row %+v\n   was %+v", d.Outcome, m.Score(v), m.Own(v), m.Explain(v), r.Noise, r.Record, truth))
			}
			if d.Outcome == linkage.Review {
				res.Review++
				if people[d.Best.Candidate.Record().ID].truths[r.Truth] {
					res.ReviewRight++
				}
			}
			n++
			c := &cluster{rec: rec, truths: map[string]bool{r.Truth: true}}
			c.rec.ID = fmt.Sprintf("C%d", n)
			if d.Outcome == linkage.Review {
				pending[[2]string{c.rec.ID, d.Best.Candidate.Record().ID}] = true
				for _, o := range d.Others {
					pending[[2]string{c.rec.ID, o.Candidate.Record().ID}] = true
				}
			}
			people[c.rec.ID] = c
			ix.Add(linkage.Prepare(c.rec))
			if r.NationalID != "" {
				byID[r.NationalID] = c.rec.ID
			}
			known[r.Truth] = true
		}
	}
	return res
}

// cluster is a person as the store would hold it: the first row's values,
// with what later linked rows add where it had nothing.
type cluster struct {
	rec    linkage.Record
	truths map[string]bool
}

func (c *cluster) fill(r Record, ix *linkage.Index) {
	c.truths[r.Truth] = true
	before := c.rec
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	set(&c.rec.GivenLatin, r.GivenLatin)
	set(&c.rec.FamilyLatin, r.FamilyLatin)
	set(&c.rec.Nickname, r.Nickname)
	set(&c.rec.Sex, r.Sex)
	set(&c.rec.BirthDate, r.BirthDate)
	set(&c.rec.MotherName, r.MotherName)
	set(&c.rec.Address, r.Address)
	set(&c.rec.NationalID, r.NationalID)
	if c.rec != before {
		ix.Add(linkage.Prepare(c.rec)) // found under its new keys too
	}
}

// Pairs returns the comparison vectors of every blocked pair of rows from
// different files, for estimating a model with linkage.Estimate.
func Pairs(files [][]Record) []linkage.Vector {
	ix := linkage.NewIndex()
	var out []linkage.Vector
	for _, f := range files {
		var ps []*linkage.Prepared
		for _, r := range f {
			p := linkage.Prepare(r.Record)
			ps = append(ps, p)
			for _, c := range ix.Candidates(p) {
				out = append(out, linkage.Compare(p, c))
			}
		}
		for _, p := range ps {
			ix.Add(p)
		}
	}
	return out
}

// RandomPairs returns the comparison vectors of n pairs of rows drawn at
// random from different files, for linkage.EstimateU.
func RandomPairs(files [][]Record, n int, seed uint64) []linkage.Vector {
	rng := rand.New(rand.NewPCG(seed, 11))
	var out []linkage.Vector
	for len(out) < n && len(files) > 1 {
		a, b := rng.IntN(len(files)), rng.IntN(len(files))
		if a == b || len(files[a]) == 0 || len(files[b]) == 0 {
			continue
		}
		x := files[a][rng.IntN(len(files[a]))]
		y := files[b][rng.IntN(len(files[b]))]
		out = append(out, linkage.Compare(linkage.Prepare(x.Record), linkage.Prepare(y.Record)))
	}
	return out
}
