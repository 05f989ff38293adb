package auth

import (
	"crypto/subtle"
	"maps"
	"slices"
	"sync"
	"time"

	"termtem/internal/account"
)

// An API client sends its token with every request, and verifying it took
// four queries (the token, the user, their memberships, their permissions)
// — more than the national-ID lookup it guarded. Verified tokens are
// therefore remembered for a moment, keyed by the token's SHA-256 hash
// (never the token itself), and an entry is served only while all of these
// hold:
//
//   - it is younger than TokenCacheTTL, which bounds how long a change made
//     by another process (termtem token revoke, user disable) can go unseen;
//   - no write transaction has been committed by this process since it was
//     read (store.WriteGeneration), so a revocation, a disabled account, a
//     new password or a changed role made through this server applies to
//     the very next request;
//   - the token has not expired meanwhile.
//
// Only successful verifications are kept: unknown, revoked and expired
// tokens go to the database (and the audit log) every time.

// TokenCacheTTL is how long a verified token is trusted without asking the
// database again.
const TokenCacheTTL = time.Second

// maxCachedTokens bounds the cache; past it, it starts afresh.
const maxCachedTokens = 10000

type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
}

type cachedToken struct {
	hash      string
	principal account.Principal
	expires   time.Time // the token's own expiry
	gen       uint64    // store write generation when it was read
	until     time.Time // end of trust in this entry
}

// get returns a copy of the principal of a verified token, or false.
func (c *tokenCache) get(hash string, gen uint64, now time.Time) (*account.Principal, string, bool) {
	c.mu.Lock()
	e, ok := c.m[hash]
	c.mu.Unlock()
	// The map lookup found the entry by hash; the explicit constant-time
	// comparison keeps the check independent of how the map compares keys.
	if !ok || subtle.ConstantTimeCompare([]byte(e.hash), []byte(hash)) != 1 {
		return nil, "", false
	}
	if e.gen != gen || !now.Before(e.until) || !now.Before(e.expires) || now.Before(e.until.Add(-TokenCacheTTL)) {
		c.mu.Lock()
		if cur, ok := c.m[hash]; ok && cur.gen == e.gen && cur.until.Equal(e.until) {
			delete(c.m, hash)
		}
		c.mu.Unlock()
		return nil, "", false
	}
	// Each request gets its own copy: nothing a handler does to its
	// principal may reach another request's.
	p := e.principal
	p.Permissions = maps.Clone(p.Permissions)
	p.User.Memberships = slices.Clone(p.User.Memberships)
	return &p, p.TokenID, true
}

// put remembers a token verified at now under write generation gen.
func (c *tokenCache) put(hash string, p *account.Principal, expires time.Time, gen uint64, now time.Time) {
	e := cachedToken{hash: hash, principal: *p, expires: expires, gen: gen, until: now.Add(TokenCacheTTL)}
	e.principal.Permissions = maps.Clone(p.Permissions)
	e.principal.User.Memberships = slices.Clone(p.User.Memberships)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedTokens {
		c.m = make(map[string]cachedToken)
	}
	c.m[hash] = e
}
