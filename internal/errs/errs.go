// Package errs holds Termtem's one error type. Every failure that reaches a
// user carries a code (what kind of failure), a message ID (what to say, in
// the user's language) and optionally the field it is about. The internal
// cause is kept for the log and never shown. The code is mapped to an HTTP
// status in exactly one place (package httpx).
package errs

import (
	"errors"
	"fmt"
)

// Code says what kind of failure happened, independent of transport.
type Code string

const (
	Invalid         Code = "invalid"           // the input is wrong; Field says where
	NotFound        Code = "not_found"         // no such object, or not visible to the caller
	Conflict        Code = "conflict"          // the object already exists
	Stale           Code = "stale"             // optimistic concurrency: the version changed
	VersionRequired Code = "version_required"  // an update came without the version it is based on
	Unauthenticated Code = "unauthenticated"   // no valid session or token
	Forbidden       Code = "forbidden"         // authenticated but not allowed
	TooManyRequests Code = "too_many_requests" // throttled
	Unavailable     Code = "unavailable"       // a dependency (the database) is down
	Internal        Code = "internal"          // a bug or an unexpected failure
	// BadRequest: the address itself is wrong (an unknown value in the
	// query string, such as a map indicator), not the content of a form.
	BadRequest Code = "bad_request"
)

// Error is the one error type. MessageID names a message in the locale
// catalogues; Data fills its template.
type Error struct {
	Code      Code
	MessageID string
	Field     string
	File      string // for imports of several files: the file the line is in
	Line      int    // for imports: the 1-based input line, 0 when not applicable
	Data      map[string]any
	Err       error // internal cause, for logs only
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.MessageID
	if e.Field != "" {
		s += " (field " + e.Field + ")"
	}
	if e.File != "" {
		s += " (file " + e.File + ")"
	}
	if e.Line > 0 {
		s += fmt.Sprintf(" (line %d)", e.Line)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New makes an error of the given code with a message ID.
func New(code Code, messageID string) *Error {
	return &Error{Code: code, MessageID: messageID}
}

// Field makes an Invalid error about one input field.
func Field(field, messageID string, data map[string]any) *Error {
	return &Error{Code: Invalid, MessageID: messageID, Field: field, Data: data}
}

// Wrap makes an error that keeps an internal cause.
func Wrap(code Code, messageID string, cause error) *Error {
	return &Error{Code: code, MessageID: messageID, Err: cause}
}

// Internalf wraps an unexpected failure. The message shown is generic.
func Internalf(format string, args ...any) *Error {
	return &Error{Code: Internal, MessageID: "error.internal", Err: fmt.Errorf(format, args...)}
}

// As returns the *Error in err's chain, turning any other error into an
// Internal one so that nothing unclassified is ever shown to a user.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, MessageID: "error.internal", Err: err}
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
