// Package audit records who did what to which object, and how it ended. An
// event is written in the same transaction as the act it records: if the
// record cannot be written, the act fails too. Events never hold personal
// data themselves, only IDs and action names.
package audit

// Outcome of an audited act.
const (
	Success = "success"
	Denied  = "denied"
	Failure = "failure"
)

// Actions of the foundation; later capabilities add their own.
const (
	LoginSucceeded    = "login.succeeded"
	LoginFailed       = "login.failed"
	LoginThrottled    = "login.throttled"
	Logout            = "logout"
	PasswordChanged   = "user.password_changed"
	UserCreated       = "user.created"
	UserUpdated       = "user.updated"
	UserDisabled      = "user.disabled"
	TokenCreated      = "token.created"
	TokenRevoked      = "token.revoked"
	TokenRejected     = "token.rejected"
	OrganisationSaved = "organisation.saved"
	PlaceSaved        = "place.saved"
	AccessDenied      = "access.denied"
)

// Event is one audit row.
type Event struct {
	ActorID    string
	Action     string
	ObjectType string
	ObjectID   string
	Outcome    string
	RequestID  string
	Detail     string // a reason code or field names, never personal data
}
