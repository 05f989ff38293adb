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
// (never the token itself). An entry is served only while all of these
// hold:
//
//   - the token is neither revoked nor expired, and its user is neither
//     disabled nor changed (password, memberships): checked against the
//     database on every request, in one query by primary key
//     (store.APITokenState), so a change made by any process applies to
//     the next request;
//   - no write transaction has been committed by this process since it was
//     read (store.WriteGeneration), which covers what that query does not
//     see, such as a role's permissions or an organisation's code;
//   - it is younger than TokenCacheTTL, which bounds how long such a change
//     made by another process can go unseen.
//
// Only successful verifications are kept: unknown, revoked and expired
// tokens go the full way (and to the audit log) every time.

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
func (c *tokenCache) get(hash string, gen uint64, now time.Time) (*account.Principal, bool) {
	c.mu.Lock()
	e, ok := c.m[hash]
	c.mu.Unlock()
	// The map lookup found the entry by hash; the explicit constant-time
	// comparison keeps the check independent of how the map compares keys.
	if !ok || subtle.ConstantTimeCompare([]byte(e.hash), []byte(hash)) != 1 {
		return nil, false
	}
	if e.gen != gen || !now.Before(e.until) || !now.Before(e.expires) || now.Before(e.until.Add(-TokenCacheTTL)) {
		c.drop(hash)
		return nil, false
	}
	// Each request gets its own copy: nothing a handler does to its
	// principal may reach another request's.
	p := e.principal
	p.Permissions = maps.Clone(p.Permissions)
	p.User.Memberships = slices.Clone(p.User.Memberships)
	return &p, true
}

// drop forgets a token.
func (c *tokenCache) drop(hash string) {
	c.mu.Lock()
	delete(c.m, hash)
	c.mu.Unlock()
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
