// Package auth signs people in and out and says who is behind a request:
// browser sessions (cookies) and API bearer tokens. It applies the account
// rules (password check, throttling, idle and absolute timeouts) over the store.
package auth

import (
	"context"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/store"
)

// Service is the sign-in service.
type Service struct {
	DB       *store.DB
	Rules    account.SessionRules
	Throttle account.LoginThrottle
	// IPThrottle counts failures per client address, so that one machine
	// cannot try one password against many usernames (spraying) below the
	// per-username limit.
	IPThrottle account.LoginThrottle
	Hash       account.HashParams
	// RequireMFA confines users whose roles see sensitive categories and who
	// have no second factor yet to its enrolment (--require-mfa).
	RequireMFA bool
	// Verify checks a password against a stored hash; tests wrap it to see
	// that every path runs the hash.
	Verify func(password, phc string) (bool, error)
	// dummyHash is verified against when the username is unknown, so that a
	// wrong username costs the same time as a wrong password (no enumeration).
	dummyHash string
	// tokens remembers recently verified API tokens (see tokenCache).
	tokens tokenCache
}

// New makes the service.
func New(db *store.DB, rules account.SessionRules, hash account.HashParams) (*Service, error) {
	dummy, err := account.HashPassword("termtem-dummy-password", hash)
	if err != nil {
		return nil, err
	}
	return &Service{DB: db, Rules: rules, Throttle: account.DefaultLoginThrottle, IPThrottle: account.DefaultIPThrottle,
		Hash: hash, RequireMFA: true, Verify: account.VerifyPassword, dummyHash: dummy}, nil
}

// errBadLogin is the one answer to a wrong username or a wrong password.
func errBadLogin() error { return errs.New(errs.Unauthenticated, "auth.bad_login") }

// Attempt is one filled-in login form.
type Attempt struct {
	Username, Password string
	ClientIP           string // empty: not counted per address (command line, tests)
	RequestID          string
}

// Outcome of a right password: a session, or a challenge when the user's
// second factor must follow.
type Outcome struct {
	Session   string
	Challenge string
}

// Login checks a username and password and starts a session, returning the
// session token. A user with a second factor gets auth.mfa_required: the
// web form uses Authenticate, which goes on to the code.
func (s *Service) Login(ctx context.Context, username, password, requestID string) (string, error) {
	out, err := s.Authenticate(ctx, Attempt{Username: username, Password: password, RequestID: requestID})
	if err != nil {
		return "", err
	}
	if out.Session == "" {
		_ = s.DB.DeleteLoginChallenges(ctx, account.HashSecret(out.Challenge), time.Time{})
		return "", errs.New(errs.Unauthenticated, "auth.mfa_required")
	}
	return out.Session, nil
}

// throttleKeys are the counters a failed attempt adds to.
func (s *Service) throttleKeys(username, clientIP string) []store.ThrottleKey {
	keys := []store.ThrottleKey{{Key: username, Rule: s.Throttle}}
	if clientIP != "" {
		keys = append(keys, store.ThrottleKey{Key: "ip:" + clientIP, Rule: s.IPThrottle})
	}
	return keys
}

// locked reports (and audits) whether the username or the address is locked.
func (s *Service) locked(ctx context.Context, username, clientIP, requestID string) (bool, error) {
	for _, k := range s.throttleKeys(username, clientIP) {
		locked, err := s.DB.LoginLocked(ctx, k.Key)
		if err != nil {
			return false, err
		}
		if locked {
			action := audit.LoginThrottled
			if k.Key != username {
				action = audit.LoginIPThrottled
			}
			_ = s.DB.AuditAlone(ctx, audit.Event{Action: action, Outcome: audit.Denied, RequestID: requestID, ObjectType: "username"})
			return true, nil
		}
	}
	return false, nil
}

// Authenticate checks a login form. Unknown users, wrong passwords and
// disabled accounts all get the same error after the same work (the
// password is hashed in every case); failures count per username and per
// client address.
func (s *Service) Authenticate(ctx context.Context, a Attempt) (Outcome, error) {
	username := account.NormalizeUsername(a.Username)
	// An overlong password is refused before hashing, so that nobody can
	// make the server hash megabytes per request.
	if username == "" || a.Password == "" || len(a.Password) > 4*account.MaxPasswordLen {
		return Outcome{}, errBadLogin()
	}
	if locked, err := s.locked(ctx, username, a.ClientIP, a.RequestID); err != nil || locked {
		if err != nil {
			return Outcome{}, err
		}
		return Outcome{}, errs.New(errs.TooManyRequests, "auth.locked")
	}
	u, err := s.DB.GetUserByUsername(ctx, username)
	hash := u.PasswordHash
	if err != nil {
		if !errs.Is(err, errs.NotFound) {
			return Outcome{}, err
		}
		hash = s.dummyHash
	}
	ok, verr := s.Verify(a.Password, hash)
	if err != nil || verr != nil || !ok || u.Disabled {
		reason := "password"
		if err != nil {
			reason = "unknown_user"
		} else if u.Disabled && ok {
			reason = "disabled"
		}
		nowLocked, ferr := s.DB.RecordLoginFailures(ctx, s.throttleKeys(username, a.ClientIP),
			audit.Event{ActorID: u.ID, Action: audit.LoginFailed, Outcome: audit.Denied, RequestID: a.RequestID, ObjectType: "user", ObjectID: u.ID, Detail: reason})
		if ferr != nil {
			return Outcome{}, ferr
		}
		if nowLocked {
			return Outcome{}, errs.New(errs.TooManyRequests, "auth.locked")
		}
		return Outcome{}, errBadLogin()
	}
	has, err := s.DB.HasTOTP(ctx, u.ID)
	if err != nil {
		return Outcome{}, err
	}
	if has {
		c, err := s.DB.CreateLoginChallenge(ctx, u.ID)
		return Outcome{Challenge: c}, err
	}
	tok, err := s.DB.CreateSession(ctx, u.ID, audit.Event{ActorID: u.ID, RequestID: a.RequestID})
	return Outcome{Session: tok}, err
}

// Session returns the principal behind a session token, refreshing its idle
// timer. Expired sessions are deleted.
func (s *Service) Session(ctx context.Context, token string) (*account.Principal, error) {
	hash := account.HashSecret(token)
	sess, err := s.DB.GetSession(ctx, hash)
	if err != nil {
		return nil, err
	}
	now := s.DB.Now()
	if s.Rules.Expired(sess, now) {
		_ = s.DB.DeleteSession(ctx, hash, audit.Event{})
		return nil, errs.New(errs.Unauthenticated, "auth.session_expired")
	}
	p, err := s.principal(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if now.Sub(sess.LastSeenAt) >= s.Rules.TouchInterval() {
		if err := s.DB.TouchSession(ctx, hash); err != nil {
			return nil, err
		}
	}
	p.SessionID = hash
	return p, nil
}

// Bearer returns the principal behind an Authorization header.
func (s *Service) Bearer(ctx context.Context, header, requestID string) (*account.Principal, error) {
	token, err := account.ParseBearer(header)
	if err != nil {
		return nil, err
	}
	hash := account.HashSecret(token)
	now := s.DB.Now()
	if p, ok := s.tokens.get(hash, s.DB.WriteGeneration(), now); ok {
		// One query instead of four, but never none: a token revoked or a
		// user disabled or changed by another process fails at once.
		st, err := s.DB.APITokenState(ctx, p.TokenID)
		if err != nil {
			return nil, err
		}
		if !st.Revoked && !st.UserDisabled && st.UserVersion == p.User.Version {
			if err := s.DB.TouchAPIToken(ctx, p.TokenID); err != nil {
				return nil, err
			}
			return p, nil
		}
		s.tokens.drop(hash)
	}
	// Noted before reading: a write committed during the reads makes the
	// entry stale at once (store.WriteGeneration).
	gen := s.DB.WriteGeneration()
	tk, err := s.DB.GetAPITokenByHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	if !tk.Usable(now) {
		_ = s.DB.AuditAlone(ctx, audit.Event{ActorID: tk.UserID, Action: audit.TokenRejected, Outcome: audit.Denied,
			ObjectType: "api_token", ObjectID: tk.ID, RequestID: requestID, Detail: "expired_or_revoked"})
		return nil, errs.New(errs.Unauthenticated, "auth.token_invalid")
	}
	p, err := s.principal(ctx, tk.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.DB.TouchAPIToken(ctx, tk.ID); err != nil {
		return nil, err
	}
	p.TokenID = tk.ID
	s.tokens.put(hash, p, tk.ExpiresAt, gen, now)
	return p, nil
}

func (s *Service) principal(ctx context.Context, userID string) (*account.Principal, error) {
	u, err := s.DB.GetUser(ctx, userID)
	if errs.Is(err, errs.NotFound) || (err == nil && u.Disabled) {
		return nil, errs.New(errs.Unauthenticated, "auth.session_expired")
	}
	if err != nil {
		return nil, err
	}
	perms, err := s.DB.Permissions(ctx, userID)
	if err != nil {
		return nil, err
	}
	return &account.Principal{User: u, Permissions: perms}, nil
}

// Logout ends the session server-side.
func (s *Service) Logout(ctx context.Context, p *account.Principal, requestID string) error {
	return s.DB.DeleteSession(ctx, p.SessionID, audit.Event{ActorID: p.User.ID, Action: audit.Logout,
		ObjectType: "user", ObjectID: p.User.ID, RequestID: requestID})
}

// ChangePassword checks the current password, applies the policy, and ends
// every other session of the user.
func (s *Service) ChangePassword(ctx context.Context, p *account.Principal, current, next, requestID string) error {
	if err := s.reauthenticate(ctx, p, current, requestID); err != nil {
		return err
	}
	return s.SetPassword(ctx, p.User, next, p.SessionID, audit.Event{ActorID: p.User.ID, RequestID: requestID})
}

// SetPassword applies the policy and stores a new password for u, ending
// their sessions except keepSession.
func (s *Service) SetPassword(ctx context.Context, u account.User, password, keepSession string, actor audit.Event) error {
	if err := account.CheckPasswordPolicy(password, u.Username); err != nil {
		return err
	}
	hash, err := account.HashPassword(password, s.Hash)
	if err != nil {
		return err
	}
	return s.DB.SetPassword(ctx, u.ID, hash, keepSession, actor)
}

// CreateUser applies the password policy, hashes, and stores a new user.
func (s *Service) CreateUser(ctx context.Context, u account.User, password string, actor audit.Event) (account.User, error) {
	if err := account.CheckPasswordPolicy(password, u.Username); err != nil {
		return account.User{}, err
	}
	hash, err := account.HashPassword(password, s.Hash)
	if err != nil {
		return account.User{}, err
	}
	u.PasswordHash = hash
	return s.DB.SaveUser(ctx, u, actor)
}

// SweepSessions deletes expired sessions and login-failure counts that no
// longer matter (so that spraying random usernames cannot grow the table
// without end); serve runs it periodically.
func (s *Service) SweepSessions(ctx context.Context) (int64, error) {
	now := s.DB.Now()
	longest := max(s.Throttle.Window+s.Throttle.Lockout, s.IPThrottle.Window+s.IPThrottle.Lockout)
	if err := s.DB.DeleteStaleLoginThrottle(ctx, now.Add(-longest)); err != nil {
		return 0, err
	}
	if err := s.DB.DeleteLoginChallenges(ctx, "", now.Add(-ChallengeTTL)); err != nil {
		return 0, err
	}
	return s.DB.DeleteExpiredSessions(ctx, now.Add(-s.Rules.Idle), now.Add(-s.Rules.Absolute))
}

// Every is how often SweepSessions should run.
const Every = 10 * time.Minute
