package people

import "testing"

// TestKinshipRoundTrip: whatever relation a relative is placed in a
// household with (beside the patient, or the patient beside them), reading
// it back between the two gives the relation stated — for every relation,
// every relation to the head and every sex where the rules give an answer;
// and a head's relatives are always answered. (A mother is female and a
// father male: the FHIR import refuses a contradiction and records the
// sex a parent's relation gives when the resource gives none.)
func TestKinshipRoundTrip(t *testing.T) {
	sexes := []Sex{Female, Male, Unknown}
	placed, joined := 0, 0
	for _, r := range Relationships {
		for _, toHead := range Relationships {
			for _, rs := range sexes {
				switch {
				case r == RelMother && rs == Unknown:
					rs = Female
				case r == RelFather && rs == Unknown:
					rs = Male
				case r == RelMother && rs == Male, r == RelFather && rs == Female:
					continue
				}
				for _, ps := range sexes {
					// The relative joins the patient's household.
					if m, ok := RelatedToHead(r, toHead, rs); ok {
						placed++
						back, ok := RelationTo(m, toHead, rs)
						if !ok || back != r {
							t.Errorf("r=%s patient=%s sex=%s: placed as %s, read back %q %v", r, toHead, rs, m, back, ok)
						}
					}
					// The patient joins the relative's household.
					if p, ok := PatientToHead(r, toHead, ps); ok {
						joined++
						back, ok := RelationTo(toHead, p, rs)
						want := r
						if r == RelGuardian {
							want = RelFosterParent // a ward is recorded as a foster child of the head
						}
						if !ok || back != want {
							t.Errorf("r=%s relative=%s sexes=%s/%s: joined as %s, read back %q %v", r, toHead, rs, ps, p, back, ok)
						}
					}
				}
			}
		}
	}
	if placed < 30 || joined < 20 {
		t.Errorf("only %d placements and %d joins answered", placed, joined)
	}
	// A head's relative is always placed as what they are to the head.
	for _, r := range Relationships[1 : len(Relationships)-1] { // all but the head and "other"
		if got, ok := RelatedToHead(r, RelHead, Unknown); !ok || got != r {
			t.Errorf("relative %s of the head placed as %s", r, got)
		}
	}
	// Nothing is guessed for a relative of a relative.
	if _, ok := RelatedToHead(RelMother, RelRelative, Female); ok {
		t.Error("the mother of a relative was placed")
	}
	if _, ok := RelationTo(RelSpouse, RelChild, Unknown); ok {
		t.Error("a parent of unknown sex was named")
	}
}
