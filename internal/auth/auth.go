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
	Hash     account.HashParams
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
	return &Service{DB: db, Rules: rules, Throttle: account.DefaultLoginThrottle, Hash: hash, dummyHash: dummy}, nil
}

// errBadLogin is the one answer to a wrong username or a wrong password.
func errBadLogin() error { return errs.New(errs.Unauthenticated, "auth.bad_login") }

// Login checks a username and password and starts a session, returning the
// session token. Unknown users, wrong passwords and disabled accounts all get
// the same error after the same work.
func (s *Service) Login(ctx context.Context, username, password, requestID string) (string, error) {
	username = account.NormalizeUsername(username)
	// An overlong password is refused before hashing, so that nobody can
	// make the server hash megabytes per request.
	if username == "" || password == "" || len(password) > 4*account.MaxPasswordLen {
		return "", errBadLogin()
	}
	locked, err := s.DB.LoginLocked(ctx, username)
	if err != nil {
		return "", err
	}
	if locked {
		_ = s.DB.AuditAlone(ctx, audit.Event{Action: audit.LoginThrottled, Outcome: audit.Denied, RequestID: requestID, ObjectType: "username"})
		return "", errs.New(errs.TooManyRequests, "auth.locked")
	}
	u, err := s.DB.GetUserByUsername(ctx, username)
	hash := u.PasswordHash
	if err != nil {
		if !errs.Is(err, errs.NotFound) {
			return "", err
		}
		hash = s.dummyHash
	}
	ok, verr := account.VerifyPassword(password, hash)
	if err != nil || verr != nil || !ok || u.Disabled {
		reason := "password"
		if err != nil {
			reason = "unknown_user"
		} else if u.Disabled && ok {
			reason = "disabled"
		}
		nowLocked, ferr := s.DB.RecordLoginFailure(ctx, username, s.Throttle,
			audit.Event{ActorID: u.ID, Action: audit.LoginFailed, Outcome: audit.Denied, RequestID: requestID, ObjectType: "user", ObjectID: u.ID, Detail: reason})
		if ferr != nil {
			return "", ferr
		}
		if nowLocked {
			return "", errs.New(errs.TooManyRequests, "auth.locked")
		}
		return "", errBadLogin()
	}
	return s.DB.CreateSession(ctx, u.ID, audit.Event{ActorID: u.ID, RequestID: requestID})
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
	ok, err := account.VerifyPassword(current, p.User.PasswordHash)
	if err != nil || !ok {
		return errs.Field("current_password", "auth.current_password_wrong", nil)
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
	if err := s.DB.DeleteStaleLoginThrottle(ctx, now.Add(-s.Throttle.Window-s.Throttle.Lockout)); err != nil {
		return 0, err
	}
	return s.DB.DeleteExpiredSessions(ctx, now.Add(-s.Rules.Idle), now.Add(-s.Rules.Absolute))
}

// Every is how often SweepSessions should run.
const Every = 10 * time.Minute
