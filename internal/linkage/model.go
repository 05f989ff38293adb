package linkage

import (
	"encoding/json"
	"fmt"
	"math"
)

// Model holds, for every field and agreement level, m (the probability of
// that level between two records of one person) and u (between records of
// two people), and the thresholds that cut a score into outcomes.
type Model struct {
	M [numFields][]float64 `json:"-"`
	U [numFields][]float64 `json:"-"`
	// Prior is the share of compared (blocked) pairs that are matches.
	Prior float64 `json:"prior"`
	// Link: a score at or above it links automatically. Review: at or above
	// it (and below Link) a data officer decides. Below Review: a new person.
	Link   float64 `json:"link"`
	Review float64 `json:"review"`
	// Pairs is how many pairs the weights were estimated from (0: defaults).
	Pairs int `json:"pairs"`
	// Iterations the EM ran.
	Iterations int `json:"iterations"`
}

// DefaultLink and DefaultReview are the default thresholds (in bits: a
// score of 10 means the agreement seen is 2^10 times likelier between
// records of one child than of two). They were chosen on the synthetic
// agency files (see quality_test.go and docs/linkage.md).
const (
	DefaultLink   = 10.0
	DefaultReview = 3.0
)

// Default is the model before any data: m and u as a careful reader of
// Thai registry extracts would guess them. EM starts from here, and an
// import uses it until a model estimated from the data is saved.
func Default() *Model {
	m := &Model{Prior: 0.1, Link: DefaultLink, Review: DefaultReview}
	set := func(f Field, mm, uu []float64) { m.M[f], m.U[f] = mm, uu }
	set(Given, []float64{0.86, 0.07, 0.04, 0.03}, []float64{0.02, 0.02, 0.04, 0.92})
	set(Family, []float64{0.82, 0.06, 0.03, 0.09}, []float64{0.10, 0.05, 0.05, 0.80})
	set(Latin, []float64{0.70, 0.22, 0.08}, []float64{0.02, 0.05, 0.93})
	set(Birth, []float64{0.86, 0.03, 0.05, 0.04, 0.02}, []float64{0.02, 0.005, 0.02, 0.035, 0.92})
	set(Sex, []float64{0.98, 0.02}, []float64{0.5, 0.5})
	set(Mother, []float64{0.82, 0.06, 0.07, 0.05}, []float64{0.03, 0.02, 0.05, 0.90})
	set(Address, []float64{0.75, 0.15, 0.10}, []float64{0.15, 0.15, 0.70})
	set(Nickname, []float64{0.85, 0.15}, []float64{0.05, 0.95})
	return m
}

// Weight is the weight of one field's level: log2(m/u); 0 when missing.
func (m *Model) Weight(f Field, l uint8) float64 {
	if l == Missing || int(l) >= len(m.M[f]) {
		return 0
	}
	return math.Log2(m.M[f][l] / m.U[f][l])
}

// Score adds the weights of a comparison.
func (m *Model) Score(v Vector) float64 {
	s := 0.0
	for f := Field(0); f < numFields; f++ {
		s += m.Weight(f, v[f])
	}
	return s
}

// Evidence is one field's part in a score, for the review page.
type Evidence struct {
	Field  string  `json:"field"`
	Level  string  `json:"level"`
	Weight float64 `json:"weight"`
}

// Explain lists every field's level and weight.
func (m *Model) Explain(v Vector) []Evidence {
	out := make([]Evidence, 0, numFields)
	for _, f := range Fields {
		w := m.Weight(f, v[f])
		out = append(out, Evidence{Field: f.String(), Level: f.LevelName(v[f]), Weight: math.Round(w*10) / 10})
	}
	return out
}

// EstimateU sets u from the comparison vectors of random pairs of records:
// almost all of them are two different people, so the share of each level
// among them is u. Blocked pairs cannot give u: they were chosen for
// agreeing on the blocking fields, and u estimated from them would make
// agreeing on a family name look common among strangers.
func EstimateU(random []Vector, start *Model) *Model {
	m := start.clone()
	var sums [numFields][]float64
	for f := range numFields {
		sums[f] = make([]float64, len(m.U[f]))
	}
	for _, v := range random {
		for f := range numFields {
			if l := v[f]; l != Missing {
				sums[f][l]++
			}
		}
	}
	for f := range numFields {
		normalise(m.U[f], sums[f], 1e-4)
	}
	return m
}

// Train estimates a model from the data: m by EM over blocked candidate
// pairs (where the matches are), u from random pairs (where they are not).
// EM's own u, estimated among blocked pairs, is only its means of telling
// matches apart: those pairs were chosen for agreeing on the blocking
// fields, and weights built on that u would make agreeing on a family name
// look common among strangers. start gives the thresholds and the
// starting point.
func Train(blocked, random []Vector, start *Model, iterations int) *Model {
	counts := map[Vector]float64{}
	for _, v := range blocked {
		counts[v]++
	}
	m, _ := TrainCounts(counts, random, start, iterations, 0)
	return m
}

// TrainCounts is Train over blocked pairs already counted by pattern, EM
// stopping once it converges within tol (0: after every iteration).
func TrainCounts(blocked map[Vector]float64, random []Vector, start *Model, iterations int, tol float64) (*Model, Convergence) {
	em, conv := EstimateCounts(blocked, start, iterations, tol, false)
	m := EstimateU(random, start)
	for f := range numFields {
		m.M[f] = em.M[f]
	}
	m.Prior, m.Pairs, m.Iterations = em.Prior, em.Pairs, em.Iterations
	return m, conv
}

// Estimate runs expectation–maximisation over the comparison vectors of
// candidate pairs (which pairs match is unknown) and returns a model with
// m, u and the prior estimated from them, starting from start and keeping
// its thresholds. Each field's levels are assumed independent given match
// status, as Fellegi and Sunter do. Probabilities are kept off 0 and 1 so
// that a level never seen weighs a finite amount.
//
// With fixedU only m and the prior are estimated.
func Estimate(vectors []Vector, start *Model, iterations int, fixedU bool) *Model {
	// Identical vectors are counted once with their number: a few hundred
	// patterns stand for millions of pairs.
	counts := map[Vector]float64{}
	for _, v := range vectors {
		counts[v]++
	}
	m, _ := EstimateCounts(counts, start, iterations, 0, fixedU)
	return m
}

// Convergence says how an EM run ended.
type Convergence struct {
	Iterations int
	// Delta is the largest change of any probability in the last
	// iteration; Converged that it fell below the tolerance asked for.
	Delta     float64
	Converged bool
}

// EstimateCounts is Estimate over vectors already counted (pattern →
// number of pairs), stopping early once no probability moves by more than
// tol in an iteration (tol 0: run every iteration).
func EstimateCounts(counts map[Vector]float64, start *Model, iterations int, tol float64, fixedU bool) (*Model, Convergence) {
	m := start.clone()
	var conv Convergence
	if len(counts) == 0 {
		return m, conv
	}
	type pattern struct {
		v Vector
		n float64
	}
	pats := make([]pattern, 0, len(counts))
	total := 0.0
	for v, n := range counts {
		pats = append(pats, pattern{v, n})
		total += n
	}
	const eps = 1e-4
	for it := 0; it < iterations; it++ {
		var mSum, uSum [numFields][]float64
		for f := range numFields {
			mSum[f] = make([]float64, len(m.M[f]))
			uSum[f] = make([]float64, len(m.U[f]))
		}
		matchTotal := 0.0
		for _, p := range pats {
			lm, lu := math.Log(m.Prior), math.Log(1-m.Prior)
			for f := range numFields {
				if l := p.v[f]; l != Missing {
					lm += math.Log(m.M[f][l])
					lu += math.Log(m.U[f][l])
				}
			}
			g := 1 / (1 + math.Exp(lu-lm)) // probability the pattern is a match
			matchTotal += g * p.n
			for f := range numFields {
				if l := p.v[f]; l != Missing {
					mSum[f][l] += g * p.n
					uSum[f][l] += (1 - g) * p.n
				}
			}
		}
		before := m.clone()
		m.Prior = clamp(matchTotal/total, eps, 1-eps)
		for f := range numFields {
			normalise(m.M[f], mSum[f], MFloor)
			if !fixedU {
				normalise(m.U[f], uSum[f], eps)
			}
		}
		m.Iterations = it + 1
		conv.Iterations, conv.Delta = it+1, m.distance(before)
		if tol > 0 && conv.Delta < tol {
			conv.Converged = true
			break
		}
	}
	m.Pairs = int(total)
	return m, conv
}

// distance is the largest difference of any probability between two
// models of the same shape.
func (m *Model) distance(o *Model) float64 {
	d := math.Abs(m.Prior - o.Prior)
	for f := range numFields {
		for l := range m.M[f] {
			d = max(d, math.Abs(m.M[f][l]-o.M[f][l]), math.Abs(m.U[f][l]-o.U[f][l]))
		}
	}
	return d
}

// MinFieldPairs is the least number of pairs (or, for m, expected
// matches) in which a field must be given for its probabilities to be
// estimated: below it the field keeps the starting model's. A field a few
// files give (the mother's name in one roster of a hundred) would
// otherwise get its m from a handful of pairs — one pair whose mothers
// share only a given name made agreeing on the mother weigh against a
// match, and the whole model was refused.
const MinFieldPairs = 50

func normalise(dst, sums []float64, eps float64) {
	t := 0.0
	for _, s := range sums {
		t += s
	}
	if t < MinFieldPairs {
		return // the field was (almost) never given: keep the start
	}
	for i, s := range sums {
		dst[i] = clamp(s/t, eps, 1-eps)
	}
}

func clamp(x, lo, hi float64) float64 { return math.Min(hi, math.Max(lo, x)) }

func (m *Model) clone() *Model {
	c := *m
	for f := range numFields {
		c.M[f] = append([]float64(nil), m.M[f]...)
		c.U[f] = append([]float64(nil), m.U[f]...)
	}
	return &c
}

// Check refuses a model whose agreement does not weigh for a match: EM on
// too few or too odd pairs can swap the roles of m and u.
func (m *Model) Check() error {
	if !(m.Review < m.Link) {
		return fmt.Errorf("linkage: review threshold %.1f is not below link threshold %.1f", m.Review, m.Link)
	}
	for _, f := range Fields {
		if len(m.M[f]) != f.Levels() || len(m.U[f]) != f.Levels() {
			return fmt.Errorf("linkage: field %s has %d levels, want %d", f, len(m.M[f]), f.Levels())
		}
		if m.Weight(f, 0) <= 0 {
			return fmt.Errorf("linkage: agreement on %s weighs %.2f, not for a match", f, m.Weight(f, 0))
		}
	}
	return nil
}

// modelJSON is how a model is saved: per field, m and u by level name.
type modelJSON struct {
	// Format is the PatternFormat the fields and levels were saved in (0
	// in models saved before it was written: format 1). Levels are read by
	// name, so an older model is read with the levels it lacks at the
	// defaults.
	Format     int                              `json:"format,omitempty"`
	Prior      float64                          `json:"prior"`
	Link       float64                          `json:"link"`
	Review     float64                          `json:"review"`
	Pairs      int                              `json:"pairs"`
	Iterations int                              `json:"iterations"`
	Fields     map[string]map[string][2]float64 `json:"fields"`
}

// MarshalJSON writes m and u by field and level name.
func (m *Model) MarshalJSON() ([]byte, error) {
	j := modelJSON{Format: PatternFormat, Prior: m.Prior, Link: m.Link, Review: m.Review, Pairs: m.Pairs, Iterations: m.Iterations, Fields: map[string]map[string][2]float64{}}
	for _, f := range Fields {
		lv := map[string][2]float64{}
		for l := range m.M[f] {
			lv[f.LevelName(uint8(l))] = [2]float64{m.M[f][l], m.U[f][l]}
		}
		j.Fields[f.String()] = lv
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a saved model; fields or levels it lacks keep the
// defaults.
func (m *Model) UnmarshalJSON(b []byte) error {
	var j modelJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*m = *Default()
	m.Prior, m.Link, m.Review, m.Pairs, m.Iterations = j.Prior, j.Link, j.Review, j.Pairs, j.Iterations
	for _, f := range Fields {
		for l := range m.M[f] {
			if mu, ok := j.Fields[f.String()][f.LevelName(uint8(l))]; ok {
				m.M[f][l], m.U[f][l] = mu[0], mu[1]
			}
		}
	}
	return m.Check()
}

// MFloor is the least m of any level: one record in a hundred has a slip
// in any field, so no disagreement is ever rarer than that between two
// records of one child. Without it EM, finding a level (sex differing,
// say) almost never among the likely matches of a sample, drives its m to
// nothing and its weight to -13 bits: a single typing slip would then
// veto a link that every other field supports.
const MFloor = 0.01

// Reweigh weighs evidence saved earlier (by field and level name) with
// this model's weights, and returns it with its new total: a pair queued
// under older weights is shown and judged under the weights in use.
// Evidence naming a field or level this model lacks keeps its weight.
func (m *Model) Reweigh(ev []Evidence) ([]Evidence, float64) {
	out := make([]Evidence, len(ev))
	total := 0.0
	for i, e := range ev {
		out[i] = e
		for _, f := range Fields {
			if f.String() != e.Field {
				continue
			}
			if e.Level == "missing" {
				out[i].Weight = 0
			}
			for l := range m.M[f] {
				if f.LevelName(uint8(l)) == e.Level {
					out[i].Weight = math.Round(m.Weight(f, uint8(l))*10) / 10
				}
			}
		}
		total += out[i].Weight
	}
	return out, total
}
