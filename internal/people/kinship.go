package people

// A household records each member's relation to its head only.
// (Where two answers are possible, the usual one is taken and said so:
// a grandchild's parent in the household is the head's child, not a
// child-in-law.) A relation
// between two other members — what a FHIR RelatedPerson states, "this
// woman is the child's mother" — is turned into a relation to the head
// and back by the rules below. They answer only where the family tree
// leaves one answer for the usual Thai household (a parent's parent is a
// grandparent, the head's child's sibling is the head's child); elsewhere
// they say they do not know (ok false), and the caller records a
// relative (ญาติ) or writes nothing rather than guess.

// parentBySex is a mother or a father, as the person's sex says.
func parentBySex(s Sex) (Relationship, bool) {
	switch s {
	case Female:
		return RelMother, true
	case Male:
		return RelFather, true
	}
	return "", false
}

func isParent(r Relationship) bool { return r == RelMother || r == RelFather }

// RelatedToHead is the relation to the head of the patient's household of
// someone who is r of the patient (the patient being patientToHead of the
// head; RelHead when the patient heads it).
func RelatedToHead(r, patientToHead Relationship, relatedSex Sex) (Relationship, bool) {
	if r == "" || r == RelHead || r == RelOther {
		return "", false // not a relation between two members
	}
	switch patientToHead {
	case RelHead:
		return r, true
	case RelChild:
		switch {
		case isParent(r):
			return RelSpouse, true // the head's child's other parent
		case r == RelSibling:
			return RelChild, true
		case r == RelGrandparent:
			return parentBySex(relatedSex)
		}
	case RelGrandchild:
		switch {
		case r == RelGrandparent:
			return RelSpouse, true
		case isParent(r):
			return RelChild, true
		case r == RelSibling:
			return RelGrandchild, true
		}
	case RelFosterChild:
		switch r {
		case RelFosterParent:
			return RelSpouse, true
		case RelSibling:
			return RelFosterChild, true
		}
	case RelSibling:
		switch r {
		case RelMother, RelFather, RelGrandparent, RelSibling:
			return r, true
		}
	case RelSpouse:
		if r == RelChild {
			return RelChild, true
		}
	}
	return "", false
}

// PatientToHead is the relation to the head of a household of a patient
// whose relative, r of the patient, is relatedToHead of that head: the
// patient joining the relative's household.
func PatientToHead(r, relatedToHead Relationship, patientSex Sex) (Relationship, bool) {
	switch relatedToHead {
	case RelHead:
		switch r {
		case RelMother, RelFather:
			return RelChild, true
		case RelGrandparent:
			return RelGrandchild, true
		case RelSibling, RelSpouse:
			return r, true
		case RelFosterParent, RelGuardian:
			return RelFosterChild, true
		case RelChild:
			return parentBySex(patientSex)
		}
	case RelSpouse:
		if isParent(r) {
			return RelChild, true
		}
		if r == RelFosterParent || r == RelGuardian {
			return RelFosterChild, true
		}
	case RelChild:
		switch {
		case isParent(r):
			return RelGrandchild, true
		case r == RelSibling:
			return RelChild, true
		}
	case RelMother, RelFather:
		if r == RelGrandparent {
			return RelChild, true
		}
	case RelSibling:
		if r == RelSibling {
			return RelSibling, true
		}
	case RelGrandchild:
		if r == RelSibling {
			return RelGrandchild, true
		}
	case RelFosterChild:
		if r == RelSibling {
			return RelFosterChild, true
		}
	}
	return "", false
}

// RelationTo is what a member of a household is to another member (the
// patient), from both members' relations to the head: what a FHIR export
// writes as the member's RelatedPerson of the patient.
func RelationTo(memberToHead, patientToHead Relationship, memberSex Sex) (Relationship, bool) {
	switch {
	case memberToHead == "" || patientToHead == "" || memberToHead == RelOther || patientToHead == RelOther:
		return "", false
	case patientToHead == RelHead:
		return memberToHead, memberToHead != RelHead
	case memberToHead == RelRelative || patientToHead == RelRelative:
		return "", false
	case memberToHead == RelHead:
		switch patientToHead {
		case RelChild:
			return parentBySex(memberSex)
		case RelGrandchild:
			return RelGrandparent, true
		case RelFosterChild:
			return RelFosterParent, true
		case RelSpouse, RelSibling:
			return patientToHead, true
		case RelMother, RelFather:
			return RelChild, true
		}
		return "", false
	}
	switch patientToHead {
	case RelChild:
		switch {
		case memberToHead == RelSpouse:
			return parentBySex(memberSex)
		case memberToHead == RelChild:
			return RelSibling, true
		case isParent(memberToHead):
			return RelGrandparent, true
		case memberToHead == RelGrandchild:
			// The head's grandchild is taken as this child's child, as
			// a grandchild's parent is taken as the head's child above.
			return RelChild, true
		}
	case RelGrandchild:
		switch memberToHead {
		case RelSpouse:
			return RelGrandparent, true
		case RelChild:
			return parentBySex(memberSex)
		case RelGrandchild:
			return RelSibling, true
		}
	case RelFosterChild:
		switch memberToHead {
		case RelSpouse:
			return RelFosterParent, true
		case RelFosterChild:
			return RelSibling, true
		}
	case RelSibling:
		switch memberToHead {
		case RelMother, RelFather, RelGrandparent, RelSibling:
			return memberToHead, true
		}
	case RelSpouse:
		if memberToHead == RelChild {
			return RelChild, true
		}
	}
	return "", false
}
