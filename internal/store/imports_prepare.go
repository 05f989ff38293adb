package store

import (
	"termtem/internal/imports"
	"termtem/internal/people"
)

// The phonetic name keys of a new person are the one part of writing it
// that is not SQLite: about a twentieth of the writer's time in an import
// of new people. An import works them out as it reads the file (on the
// reading goroutine, while the batch before commits), and the writer uses
// them when the names it writes are still the names they were made from.

// preparedPerson is what PrepareBatch works out for a row's person.
type preparedPerson struct {
	names [5]string // the names the keys were made from
	keys  []string
}

// nameFields are the names a person's keys are made from.
func nameFields(p *people.Person) [5]string {
	return [5]string{p.GivenName, p.FamilyName, p.Nickname, p.GivenNameLatin, p.FamilyNameLatin}
}

// PrepareBatch implements imports.Preparer.
func (s *importSink) PrepareBatch(b *imports.Batch) {
	prepared := make(map[*imports.Row]*preparedPerson, len(b.Rows))
	for _, r := range b.Rows {
		if r.Person != nil {
			prepared[r] = &preparedPerson{names: nameFields(r.Person), keys: appendNameKeys(nil, r.Person)}
		}
	}
	b.Prepared = prepared
}

// preparedKeys gives the bulk insert the keys prepared for the people a
// batch creates, by person ID.
func preparedKeys(b *imports.Batch, plan []*planned) map[string]*preparedPerson {
	rows, _ := b.Prepared.(map[*imports.Row]*preparedPerson)
	if len(rows) == 0 {
		return nil
	}
	out := make(map[string]*preparedPerson, len(plan))
	for _, p := range plan {
		if pp := rows[p.row]; pp != nil && p.create {
			out[p.personID] = pp
		}
	}
	return out
}

// nameKeysOf is appendNameKeys for a person of the insert, using the
// prepared keys when made from the same names.
func (b *bulkInserter) nameKeysOf(p *people.Person) []string {
	if pp := b.prepared[p.ID]; pp != nil && pp.names == nameFields(p) {
		return pp.keys
	}
	b.keys = appendNameKeys(b.keys[:0], p)
	return b.keys
}
