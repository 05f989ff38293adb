package synth_test

import (
	"fmt"
	"strings"
	"testing"

	"termtem/internal/linkage"
	"termtem/internal/linkage/synth"
)

// TestLinkageQuality links three synthetic agency files with weights
// estimated by EM from the files themselves and fails when F1 of the
// automatic links at the default thresholds is below 0.98.
func TestLinkageQuality(t *testing.T) {
	o := synth.Defaults()
	pop := synth.Population(o)
	files := synth.Files(pop, o)
	m := linkage.Train(synth.Pairs(files), synth.RandomPairs(files, 20000, 1), linkage.Default(), 30)
	if err := m.Check(); err != nil {
		t.Fatalf("estimated model: %v", err)
	}
	res := synth.Link(files, m)
	t.Logf("EM model from %d pairs, prior %.3f", m.Pairs, m.Prior)
	for _, f := range linkage.Fields {
		var ws []string
		for l := 0; l < f.Levels(); l++ {
			ws = append(ws, fmt.Sprintf("%s %.1f", f.LevelName(uint8(l)), m.Weight(f, uint8(l))))
		}
		t.Logf("  %-12s %s", f, strings.Join(ws, ", "))
	}
	t.Logf("%v", res)
	if testing.Verbose() {
		for _, x := range append(res.Mistakes, res.Missed...) {
			t.Log(x)
		}
	}
	if res.F1() < 0.98 {
		t.Errorf("F1 %.4f < 0.98 (precision %.4f, recall %.4f)", res.F1(), res.Precision(), res.Recall())
	}
}
