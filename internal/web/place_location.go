package web

import (
	"strconv"
	"strings"

	"termtem/internal/errs"
	"termtem/internal/places"
)

// readLocation reads a community's latitude and longitude from the form
// (decimal degrees; a comma is taken as the decimal point, as some phones
// type it). Both empty: no location; one alone, or not a number, is an
// error naming its field.
func readLocation(p *places.Place, lat, lon string) error {
	lat, lon = strings.TrimSpace(lat), strings.TrimSpace(lon)
	p.Located = false
	if lat == "" && lon == "" {
		return nil
	}
	num := func(s, field string) (float64, error) {
		if s == "" {
			return 0, errs.Field(field, "mapreport.location_both", nil)
		}
		v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil {
			return 0, errs.Field(field, "mapreport.location_number", nil)
		}
		return v, nil
	}
	var err error
	if p.Lat, err = num(lat, "latitude"); err != nil {
		return err
	}
	if p.Lon, err = num(lon, "longitude"); err != nil {
		return err
	}
	p.Located = true
	return nil
}

// locationText shows a stored coordinate in the form.
func locationText(p places.Place, v float64) string {
	if !p.Located {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
