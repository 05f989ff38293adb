// Package access is the one policy that decides who may see a person's
// record: from the viewer's role permissions, the places their
// organisations serve, their part in the person's care (case team, open
// referral, hand-off, records their unit wrote), a break-the-glass grant,
// and the person's restriction flag. The store gathers the facts; this
// package decides. It knows nothing of HTTP or SQL.
package access

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/account"
	"termtem/internal/errs"
)

// Facts are what the store knows of a viewer's relation to one person.
type Facts struct {
	// InArea: the person lives in a district one of the viewer's
	// organisations serves.
	InArea bool
	// InSearchArea: the person lives in the zone group of such a district:
	// the viewer may find them, and open their record only by breaking the
	// glass.
	InSearchArea bool
	OnCaseTeam   bool // on the team of one of the person's open cases
	OpenReferral bool // an open referral of the person to the viewer's organisation
	Handoff      bool // a hand-off of the person to the viewer's organisation
	ServedBy     bool // the viewer's organisation wrote a record about the person
	// GlassUntil: the end of the viewer's break-the-glass grant, if any.
	GlassUntil time.Time
	// Restricted: the person (or guardian) objected to processing beyond
	// their care team (PDPA s.32, s.34); only the team, an open referral
	// and a glass grant open the record.
	Restricted bool
}

// Level is how much of a person a viewer may see.
type Level int

const (
	// None: the person does not exist for the viewer (404, never listed).
	None Level = iota
	// Listed: name, age, life stage and community in search results, so
	// that a worker can ask to break the glass; nothing else.
	Listed
	// Full: the record, as far as the viewer's sensitive categories allow.
	Full
)

// Decide is the policy. Deny unless allowed.
//
// It is monotone in the facts that relate the viewer to the person: with
// Restricted fixed, adding any of them never lowers the level. The store
// relies on it to answer from a person's own row (area, restriction) when
// that alone gives Full; a test checks it over every combination.
func Decide(p *account.Principal, f Facts, now time.Time) Level {
	if !p.Can(account.PeopleRead) {
		return None
	}
	care := f.OnCaseTeam || f.OpenReferral || now.Before(f.GlassUntil)
	if f.Restricted {
		if care {
			return Full
		}
		return None
	}
	if care || f.InArea || f.Handoff || f.ServedBy {
		return Full
	}
	if f.InSearchArea {
		return Listed
	}
	return None
}

// GlassDuration is how long a break-the-glass grant lasts.
const GlassDuration = 3 * time.Hour

// MinGlassReason is the shortest reason accepted: a word is not a reason.
const MinGlassReason = 10

// CheckGlass says whether a viewer may break the glass to open a person's
// record: a reason of some substance, and the person within the viewer's
// search area.
func CheckGlass(p *account.Principal, f Facts, reason string) error {
	if !p.Can(account.PeopleRead) {
		return errs.New(errs.Forbidden, "error.forbidden")
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) < MinGlassReason {
		return errs.Field("reason", "access.glass_reason", map[string]any{"Min": MinGlassReason})
	}
	if utf8.RuneCountInString(reason) > 1000 {
		return errs.Field("reason", "field.too_long", map[string]any{"Max": 1000})
	}
	if !f.InSearchArea && !f.InArea {
		return errs.New(errs.Forbidden, "access.glass_out_of_area")
	}
	return nil
}

// The scope of a request. The HTTP layer marks every request's context,
// anonymous or not, so that the store applies the policy to it; work the
// platform does itself (the demo loader, imports from the command line,
// scheduled checks) carries no mark and is not limited by it.

type requestKey struct{}

// Request is the mark: who asks, and a cache of what the store has worked
// out about them for this request.
type Request struct {
	Principal *account.Principal
	Cache     any // the store's own; one request, one goroutine at a time
}

// ForRequest marks ctx as an outside request made by p (nil: anonymous).
func ForRequest(ctx context.Context, p *account.Principal) context.Context {
	return context.WithValue(ctx, requestKey{}, &Request{Principal: p})
}

// FromContext returns the request's mark, or nil for the platform's own work.
func FromContext(ctx context.Context) *Request {
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}
