package exports

import "termtem/internal/fhir"

// WriteFHIR adds a person, their household's members as RelatedPersons
// and the records FHIR carries (vaccinations, growth, DSPM screenings,
// home visits) to a bundle.
func WriteFHIR(bw *fhir.BundleWriter, r *Row) error {
	if err := bw.Add(fhir.PatientOf(r.Person)); err != nil {
		return err
	}
	for _, rel := range r.Relatives {
		rp := fhir.RelatedPersonOf(rel.Person, r.Person.ID, rel.Relationship)
		rp.ID = fhir.RelatedPersonID(rel.Person.ID, r.Person.ID)
		if err := bw.Add(rp); err != nil {
			return err
		}
	}
	for _, rec := range r.Records {
		if res, ok := fhir.ResourceOf(rec, r.Person.ID); ok {
			if err := bw.Add(res); err != nil {
				return err
			}
		}
	}
	return nil
}
