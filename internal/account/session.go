package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"termtem/internal/errs"
)

// Session is a browser login. Only the SHA-256 of its token is stored, so a
// copy of the database does not hand out live logins.
type Session struct {
	TokenHash  string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// SessionRules are the idle and absolute lifetimes of a login (ASVS V7).
type SessionRules struct {
	Idle     time.Duration
	Absolute time.Duration
}

// Expired reports whether s may no longer be used at now.
func (r SessionRules) Expired(s Session, now time.Time) bool {
	return !now.Before(s.LastSeenAt.Add(r.Idle)) || !now.Before(s.CreatedAt.Add(r.Absolute))
}

// TouchInterval is how stale LastSeenAt may get before a request refreshes
// it: writing on every request would make every page view a database write.
func (r SessionRules) TouchInterval() time.Duration {
	return min(time.Minute, r.Idle/10)
}

// NewSecret returns a random 256-bit token with a readable prefix, and its hash.
func NewSecret(prefix string) (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashSecret(token), nil
}

// HashSecret is how session and API tokens are looked up: by their SHA-256.
// A fast hash is right here, unlike for passwords: the tokens are random.
func HashSecret(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Token prefixes tell a leaked secret's kind at a glance (and to scanners).
const (
	SessionPrefix  = "tts_"
	APITokenPrefix = "ttk_"
)

// ParseBearer checks an Authorization header's shape before any lookup.
func ParseBearer(header string) (string, error) {
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", errs.New(errs.Unauthenticated, "auth.bearer_malformed")
	}
	tok = strings.TrimSpace(tok)
	raw, found := strings.CutPrefix(tok, APITokenPrefix)
	if !found || len(raw) != 43 || strings.IndexFunc(raw, notBase64URL) >= 0 {
		return "", errs.New(errs.Unauthenticated, "auth.bearer_malformed")
	}
	// The decoder skips CR and LF, hence the character check above; Strict
	// refuses non-zero trailing bits, so each token has one spelling only.
	if b, err := base64.RawURLEncoding.Strict().DecodeString(raw); err != nil || len(b) != 32 {
		return "", errs.New(errs.Unauthenticated, "auth.bearer_malformed")
	}
	return tok, nil
}

func notBase64URL(r rune) bool {
	return !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '_')
}

// APIToken is a bearer token for the JSON API.
type APIToken struct {
	ID         string
	UserID     string
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

// Usable reports whether the token may authenticate a request at now.
func (t APIToken) Usable(now time.Time) bool {
	return t.RevokedAt == nil && now.Before(t.ExpiresAt)
}

// LoginThrottle is the brute-force rule: after MaxFailures failed logins for
// one username within Window, that username is locked for Lockout. It is kept
// per username whether or not the user exists, so that the lock itself does
// not reveal which usernames are real.
type LoginThrottle struct {
	MaxFailures int
	Window      time.Duration
	Lockout     time.Duration
}

// DefaultLoginThrottle allows 10 failures in 15 minutes.
var DefaultLoginThrottle = LoginThrottle{MaxFailures: 10, Window: 15 * time.Minute, Lockout: 15 * time.Minute}

// DefaultIPThrottle allows 50 failures from one client address in 15
// minutes: higher than per username because a health centre's staff may
// share one address, low enough to stop one machine spraying a password
// over many usernames.
var DefaultIPThrottle = LoginThrottle{MaxFailures: 50, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
