package store

import (
	"testing"
	"time"
)

// Every write that changes counters gives them a new version. The memo
// must then hold one result a slot, not one a version: under a steady flow
// of writes a memo keyed by version would fill with results no view can
// use again, up to its cap (tens of megabytes).
func TestFamilyMemoHoldsOneVersionASlot(t *testing.T) {
	var m familyMemo
	now := time.Now()
	m.put("flower|city", "v1", "first", now)
	if got := m.recall("flower|city", "v1", now); got != "first" {
		t.Fatalf("recall at the version kept = %v, want first", got)
	}
	m.put("flower|city", "v2", "second", now)
	if got := m.recall("flower|city", "v1", now); got != nil {
		t.Errorf("an older version's result is still served: %v", got)
	}
	if got := m.recall("flower|city", "v2", now); got != "second" {
		t.Errorf("recall at the new version = %v, want second", got)
	}
	for i := range 1000 {
		m.put("flower|city", string(rune('a'+i%26))+time.Duration(i).String(), i, now)
	}
	if len(m.m) != 1 {
		t.Errorf("after 1,000 versions of one slot the memo holds %d entries, want 1", len(m.m))
	}
	m.put("flower|city", "v3", "third", now)
	if got := m.recall("flower|city", "v3", now.Add(familyMemoTTL+time.Second)); got != nil {
		t.Errorf("a result past its time to live is served: %v", got)
	}
}
