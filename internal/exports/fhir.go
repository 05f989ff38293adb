package exports

import "termtem/internal/fhir"

// WriteFHIR adds a person and the records FHIR carries (vaccinations,
// growth, DSPM screenings, home visits) to a bundle.
func WriteFHIR(bw *fhir.BundleWriter, r *Row) error {
	if err := bw.Add(fhir.PatientOf(r.Person)); err != nil {
		return err
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
