package linkage

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestCompareLevels(t *testing.T) {
	base := Record{GivenName: "เด็กหญิงศิริพร", FamilyName: "ศรีสุข", Sex: "female", BirthDate: "2015-03-07",
		MotherName: "นางมาลี ศรีสุข", Address: "ชุมชนบุญมา ซอย 4", GivenLatin: "Siriphon", FamilyLatin: "Srisuk"}
	cases := []struct {
		name  string
		edit  func(*Record)
		field Field
		level string
	}{
		{"title stripped", func(r *Record) { r.GivenName = "ศิริพร" }, Given, "exact"},
		{"sound-alike", func(r *Record) { r.FamilyName = "สีสุข" }, Family, "sound"},
		{"typo", func(r *Record) { r.GivenName = "ศิรพิร" }, Given, "close"},
		{"other name", func(r *Record) { r.GivenName = "มานี" }, Given, "differ"},
		{"day and month swapped", func(r *Record) { r.BirthDate = "2015-07-03" }, Birth, "swapped"},
		{"partial date", func(r *Record) { r.BirthDate = "2015-03" }, Birth, "partial"},
		{"year only", func(r *Record) { r.BirthDate = "2015" }, Birth, "partial"},
		{"year off", func(r *Record) { r.BirthDate = "2016-03-07" }, Birth, "near"},
		{"birth unknown", func(r *Record) { r.BirthDate = "" }, Birth, "missing"},
		{"sex differs", func(r *Record) { r.Sex = "male" }, Sex, "differ"},
		{"mother remarried", func(r *Record) { r.MotherName = "มาลี ใจดี" }, Mother, "given"},
		{"mother respelt", func(r *Record) { r.MotherName = "มาลี สีสุข" }, Mother, "sound"},
		{"other mother", func(r *Record) { r.MotherName = "สมศรี ศรีสุข" }, Mother, "differ"},
		{"other mother, her ID on one side", func(r *Record) { r.MotherName, r.MotherCID = "สมศรี ใจดี", "3101700203451" }, Mother, "differ"},
		{"address abbreviated", func(r *Record) { r.Address = "ชุมชนบุญมา ซ. 4" }, Address, "overlap"},
		{"latin variant", func(r *Record) { r.GivenName, r.GivenLatin = "", "Siriporn" }, Latin, "close"},
	}
	a := Prepare(base)
	for _, c := range cases {
		r := base
		c.edit(&r)
		v := Compare(a, Prepare(r))
		if got := c.field.LevelName(v[c.field]); got != c.level {
			t.Errorf("%s: %s level %q, want %q", c.name, c.field, got, c.level)
		}
	}
}

func TestDecideOutcomes(t *testing.T) {
	m := Default()
	child := Record{ID: "a", GivenName: "ธนกฤต", FamilyName: "ใจดี", Sex: "male", BirthDate: "2016-05-12", MotherName: "สมศรี ใจดี"}
	same := Record{GivenName: "ด.ช.ธนกฤต", FamilyName: "ใจดี", BirthDate: "2016-12-05", Sex: "male"}
	twin := Record{GivenName: "ธนภัทร", FamilyName: "ใจดี", Sex: "male", BirthDate: "2016-05-12", MotherName: "สมศรี ใจดี"}
	stranger := Record{GivenName: "กวิน", FamilyName: "ทองดี", BirthDate: "2012-01-02"}
	cands := []*Prepared{Prepare(child)}
	if d := m.Decide(Prepare(same), cands, nil); d.Outcome != Link {
		t.Errorf("same child (title, swapped date): %v, score %v", d.Outcome, d.Best)
	}
	if d := m.Decide(Prepare(twin), cands, nil); d.Outcome == Link {
		t.Errorf("twin linked: score %.1f", d.Best.Score)
	}
	if d := m.Decide(Prepare(stranger), cands, nil); d.Outcome != New {
		t.Errorf("stranger: %v", d.Outcome)
	}
	withID := same
	withID.NationalID, child.NationalID = "1101700203451", "3101700203451"
	if d := m.Decide(Prepare(withID), []*Prepared{Prepare(child)}, nil); d.Outcome != New {
		t.Errorf("different national IDs: %v", d.Outcome)
	}
	// Two people both good enough: a person decides.
	dup := child
	dup.ID = "b"
	if d := m.Decide(Prepare(same), []*Prepared{Prepare(child), Prepare(dup)}, nil); d.Outcome != Review {
		t.Errorf("two equal candidates: %v", d.Outcome)
	}
	pending := func(a, b string) bool { return true }
	if d := m.Decide(Prepare(same), []*Prepared{Prepare(child), Prepare(dup)}, pending); d.Outcome != Link {
		t.Errorf("two candidates already pending as a pair: %v", d.Outcome)
	}
}

func TestEstimateSeparatesMatches(t *testing.T) {
	// Matches agree on most fields, non-matches on few: EM started from
	// a flat model must find agreement weighs for a match.
	flat := Default()
	for _, f := range Fields {
		for l := range flat.M[f] {
			flat.M[f][l] = 1 / float64(f.Levels())
			flat.U[f][l] = 1 / float64(f.Levels())
		}
		flat.M[f][0] += 0.01 // a nudge, or EM has nothing to break the symmetry
		flat.U[f][0] -= 0.01
	}
	var vs []Vector
	for i := 0; i < 2000; i++ {
		var v Vector
		match := i%5 == 0
		for _, f := range Fields {
			last := uint8(f.Levels() - 1)
			if match == (i%7 != 0 || f == Sex) {
				v[f] = 0
			} else {
				v[f] = last
			}
		}
		vs = append(vs, v)
	}
	m := Estimate(vs, flat, 50, false)
	if m.Prior < 0.1 || m.Prior > 0.35 {
		t.Errorf("prior %.3f, want about 0.2", m.Prior)
	}
	if w := m.Weight(Given, 0); w < 2 {
		t.Errorf("given name agreement weighs %.2f", w)
	}
	if w := m.Weight(Birth, uint8(Birth.Levels()-1)); w > -2 {
		t.Errorf("birth date disagreement weighs %.2f", w)
	}
}

func TestModelJSONRoundTrip(t *testing.T) {
	m := Default()
	m.M[Given][0], m.Link = 0.9, 12
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back Model
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.M[Given][0] != 0.9 || back.Link != 12 || back.Weight(Birth, 0) != m.Weight(Birth, 0) {
		t.Errorf("round trip changed the model: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"link":3,"review":5}`), &back); err == nil {
		t.Error("a review threshold above the link threshold was accepted")
	}
}

func TestSimilarity(t *testing.T) {
	if s := similarity("martha", "marhta"); s < 0.96 || s > 0.97 {
		t.Errorf("Jaro-Winkler(martha, marhta) = %.4f, want 0.9611", s)
	}
	if similarity("abc", "xyz") != 0 || similarity("ศิริพร", "ศิริพร") != 1 {
		t.Error("similarity of nothing shared or of equals")
	}
}

// Reweigh gives saved evidence the weights of another model, and the same
// total as scoring the vector with it.
func TestReweigh(t *testing.T) {
	a := Default()
	b := Default()
	b.M[Given] = []float64{0.5, 0.2, 0.2, 0.1}
	b.U[Family] = []float64{0.01, 0.05, 0.05, 0.89}
	v := Vector{0, 0, Missing, 1, 0, Missing, 2, Missing}
	ev, total := b.Reweigh(a.Explain(v))
	want := b.Explain(v)
	for i := range ev {
		if ev[i] != want[i] {
			t.Errorf("field %s: %+v, want %+v", ev[i].Field, ev[i], want[i])
		}
	}
	if math.Abs(total-b.Score(v)) > 0.3 {
		t.Errorf("total %.2f, score %.2f", total, b.Score(v))
	}
	if ev[0].Weight == a.Explain(v)[0].Weight {
		t.Error("given name kept the old weight")
	}
}

// A mother named by the same national ID on both sides agrees, whatever
// her name; different IDs are different mothers.
func TestMotherByNationalID(t *testing.T) {
	a := Record{GivenName: "ศิริพร", MotherName: "มาลี ศรีสุข", MotherCID: "3101700203451"}
	b := Record{GivenName: "ศิริพร", MotherName: "มาลี ใจดี", MotherCID: "3101700203451"}
	if v := Compare(Prepare(a), Prepare(b)); Mother.LevelName(v[Mother]) != "exact" {
		t.Errorf("same mother's ID: %s", Mother.LevelName(v[Mother]))
	}
	b.MotherCID = "1101700203451"
	b.MotherName = a.MotherName
	if v := Compare(Prepare(a), Prepare(b)); Mother.LevelName(v[Mother]) != "differ" {
		t.Errorf("different mothers' IDs: %s", Mother.LevelName(v[Mother]))
	}
	b.MotherCID = ""
	if v := Compare(Prepare(a), Prepare(b)); Mother.LevelName(v[Mother]) != "exact" {
		t.Errorf("one ID only, same name: %s", Mother.LevelName(v[Mother]))
	}
}

// Patterns are written in the current format and read back; patterns
// recorded in format 1 (no prefix, fewer birth and mother levels) are read
// with their levels renumbered, by name.
func TestPatternFormats(t *testing.T) {
	v := Vector{0, 1, Missing, 2, 0, 2, 1, Missing}
	s := v.String()
	if s != "2:0.1.-.2.0.2.1.-" {
		t.Errorf("written %q", s)
	}
	if back, ok := ParseVector(s); !ok || back != v {
		t.Errorf("read back %v %v", back, ok)
	}
	// Format 1: birth swapped(1), near(2), differ(3); mother sound(1), differ(2).
	for _, c := range []struct {
		old           string
		birth, mother string
	}{
		{"0.0.-.1.0.1.0.-", "swapped", "sound"},
		{"0.0.-.2.0.2.0.-", "near", "differ"},
		{"0.0.-.3.0.-.0.-", "differ", "missing"},
	} {
		got, ok := ParseVector(c.old)
		if !ok || Birth.LevelName(got[Birth]) != c.birth || Mother.LevelName(got[Mother]) != c.mother {
			t.Errorf("format 1 %q: birth %s mother %s (%v)", c.old, Birth.LevelName(got[Birth]), Mother.LevelName(got[Mother]), ok)
		}
	}
	for _, bad := range []string{"0.0.-.4.0.1.0.-", "3:0.0.-.1.0.1.0.-", "2:0.0.-.5.0.1.0.-", "0.0.-"} {
		if _, ok := ParseVector(bad); ok {
			t.Errorf("%q read", bad)
		}
	}
}

// A model saved before the levels grew (format 1: no "partial" birth date,
// no mother's "given") is read: its levels by name, the new ones at the
// defaults.
func TestModelFormat1Readable(t *testing.T) {
	old := `{"prior":0.3,"link":10,"review":3,"pairs":5000,"iterations":40,"fields":{
		"birth_date":{"exact":[0.9,0.01],"swapped":[0.05,0.02],"near":[0.03,0.04],"differ":[0.02,0.93]},
		"mother_name":{"exact":[0.8,0.02],"sound":[0.15,0.08],"differ":[0.05,0.9]}}}`
	var m Model
	if err := json.Unmarshal([]byte(old), &m); err != nil {
		t.Fatal(err)
	}
	d := Default()
	if m.M[Birth][0] != 0.9 || m.U[Mother][1] != 0.08 || m.M[Birth][2] != d.M[Birth][2] || m.M[Mother][2] != d.M[Mother][2] {
		t.Errorf("read %v %v", m.M[Birth], m.U[Mother])
	}
	b, _ := json.Marshal(&m)
	if !strings.Contains(string(b), `"format":2`) {
		t.Errorf("saved without its format: %s", b)
	}
}

// A field given in only a few pairs keeps the starting probabilities: one
// pair whose mothers share only a given name must not make agreeing on
// the mother weigh against a match (the model would be refused).
func TestSparseFieldKeepsStart(t *testing.T) {
	counts := map[Vector]float64{}
	agree := Vector{0, 0, Missing, 0, 0, Missing, Missing, Missing}
	differ := Vector{3, 3, Missing, 4, 1, Missing, Missing, Missing}
	counts[agree], counts[differ] = 400, 1600
	counts[Vector{0, 0, Missing, 0, 0, 2, Missing, Missing}] = 1 // the only pair giving both mothers
	var random []Vector
	for i := 0; i < 500; i++ {
		random = append(random, differ)
	}
	m, _ := TrainCounts(counts, random, Default(), 50, 1e-6)
	if err := m.Check(); err != nil {
		t.Fatalf("model refused: %v", err)
	}
	d := Default()
	for l := range m.M[Mother] {
		if m.M[Mother][l] != d.M[Mother][l] || m.U[Mother][l] != d.U[Mother][l] {
			t.Errorf("mother level %s: m %.3f u %.3f, want the defaults", Mother.LevelName(uint8(l)), m.M[Mother][l], m.U[Mother][l])
		}
	}
	if m.M[Given][0] == d.M[Given][0] {
		t.Error("the given name, given in every pair, kept the default m")
	}
}
