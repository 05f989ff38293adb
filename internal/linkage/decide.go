package linkage

// Outcome is what to do with a record after scoring its candidates.
type Outcome int

const (
	// New: no candidate scores high enough to be worth a look.
	New Outcome = iota
	// Review: the best candidate is uncertain, or two are nearly as good:
	// a data officer decides.
	Review
	// Link: the best candidate is the same person.
	Link
)

func (o Outcome) String() string {
	switch o {
	case Link:
		return "link"
	case Review:
		return "review"
	}
	return "new"
}

// Own is the weight of what belongs to the child alone — given name,
// nickname, Latin name, birth date, sex — without the family name, the
// mother and the address, which a child shares with brothers and sisters.
// A link needs it above zero, and a given name that does not plainly
// differ: a household agreeing is not enough to say which of its children
// (twins share even the birth date) a row is about, however high the score.
func (m *Model) Own(v Vector) float64 {
	s := 0.0
	for _, f := range []Field{Given, Nickname, Latin, Birth, Sex} {
		s += m.Weight(f, v[f])
	}
	return s
}

// Margin is how far (in bits) the best candidate must lead any rival that
// also reaches the link threshold for the row to link without a person
// looking: 2^8 times likelier.
const Margin = 8.0

func (m *Model) linkable(v Vector) bool { return m.Own(v) > 0 && v[Given] != 3 }

// Match is a scored candidate.
type Match struct {
	Candidate *Prepared
	Vector    Vector
	Score     float64
}

// Decision is the outcome for one record with the candidates behind it.
type Decision struct {
	Outcome Outcome
	// Best is the best-scoring candidate (nil when there was none); for
	// Review, Others holds further candidates above the review threshold.
	Best   *Match
	Others []Match
	// Compared holds the comparison vector of every candidate compared
	// (those a differing national ID rules out are not): what training
	// estimates the weights from.
	Compared []Vector
}

// Decide scores every candidate and returns the outcome. A record links
// only when its best candidate reaches the link threshold and no rival
// does: two people who would both be linked is a question for a person,
// not for arithmetic — unless the two are already waiting for a data
// officer as a possible pair themselves (pending reports that, and may be
// nil), when the row joins the better and the pair stays in the queue.
func (m *Model) Decide(p *Prepared, candidates []*Prepared, pending func(a, b string) bool) Decision {
	var d Decision
	var above []Match
	for _, c := range candidates {
		if p.rec.NationalID != "" && c.rec.NationalID != "" && p.rec.NationalID != c.rec.NationalID {
			continue
		}
		v := Compare(p, c)
		d.Compared = append(d.Compared, v)
		s := m.Score(v)
		if s < m.Review {
			continue
		}
		mt := Match{Candidate: c, Vector: v, Score: s}
		above = append(above, mt)
		if d.Best == nil || s > d.Best.Score {
			d.Best = &above[len(above)-1]
		}
	}
	if d.Best == nil {
		return d
	}
	best := *d.Best
	d.Best = &best
	for _, a := range above {
		// The same person indexed twice (as first known and as updated)
		// is no rival.
		if a.Candidate != best.Candidate && a.Candidate.rec.ID != best.Candidate.rec.ID {
			d.Others = append(d.Others, a)
		}
	}
	d.Outcome = Review
	if best.Score >= m.Link && m.linkable(best.Vector) {
		d.Outcome = Link
		for _, o := range d.Others {
			if o.Score >= m.Link && o.Score > best.Score-Margin && m.linkable(o.Vector) &&
				(pending == nil || !pending(best.Candidate.rec.ID, o.Candidate.rec.ID)) {
				d.Outcome = Review
			}
		}
	}
	return d
}
