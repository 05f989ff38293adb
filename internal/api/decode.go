package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"termtem/internal/errs"
)

// maxBody bounds a JSON request body.
const maxBody = 64 << 10

// decode reads a JSON body strictly: unknown fields are refused (no mass
// assignment: a client cannot set what the API does not offer), and a type
// error names the field.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeMax(w, r, v, maxBody)
}

// decodeMax is decode for a body of up to limit bytes.
func decodeMax(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data after the JSON object")
	}
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &typeErr):
		return &errs.Error{Code: errs.Invalid, MessageID: "error.json_type", Field: typeErr.Field, Err: err}
	case errors.As(err, &maxErr):
		return errs.Wrap(errs.Invalid, "error.too_large", err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &errs.Error{Code: errs.Invalid, MessageID: "error.json_unknown_field", Field: field, Err: err}
	}
	return errs.Wrap(errs.Invalid, "error.json", err)
}

// ifMatch reads the version an update is based on from If-Match ("3" or W/"3").
func ifMatch(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, errs.New(errs.VersionRequired, "error.version_required")
	}
	h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, err := strconv.Atoi(h)
	if err != nil || v < 1 {
		return 0, errs.New(errs.Stale, "error.stale")
	}
	return v, nil
}

// created answers 201 with the new object's address (an opaque UUID: no
// personal data in URLs).
func created(w http.ResponseWriter, location string, version int, v any) {
	w.Header().Set("Location", location)
	w.Header().Set("ETag", etag(version))
	writeJSON(w, http.StatusCreated, v)
}

func parseDay(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}
