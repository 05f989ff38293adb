package auth

import (
	"context"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
)

// ChallengeTTL is how long the code form waits after a right password.
const ChallengeTTL = 5 * time.Minute

// CompleteLogin checks the second factor of a login challenge: a six-digit
// TOTP code, or a recovery code. Each works once: a TOTP code's time step
// is remembered, so the same code again (or an older one) is refused and
// audited as a replay. Wrong codes count against the username and the
// client address like wrong passwords.
func (s *Service) CompleteLogin(ctx context.Context, challenge, code, clientIP, requestID string) (string, error) {
	hash := account.HashSecret(challenge)
	userID, created, err := s.DB.GetLoginChallenge(ctx, hash)
	if err != nil {
		return "", err
	}
	now := s.DB.Now()
	if now.Sub(created) > ChallengeTTL {
		_ = s.DB.DeleteLoginChallenges(ctx, hash, time.Time{})
		return "", errs.New(errs.Unauthenticated, "auth.session_expired")
	}
	u, err := s.DB.GetUser(ctx, userID)
	if err != nil || u.Disabled {
		_ = s.DB.DeleteLoginChallenges(ctx, hash, time.Time{})
		return "", errs.New(errs.Unauthenticated, "auth.session_expired")
	}
	if locked, err := s.locked(ctx, u.Username, clientIP, requestID); err != nil || locked {
		if err != nil {
			return "", err
		}
		return "", errs.New(errs.TooManyRequests, "auth.locked")
	}
	t, err := s.DB.GetTOTP(ctx, u.ID)
	if err != nil {
		return "", err
	}
	failure := audit.Event{ActorID: u.ID, Action: audit.MFAFailed, Outcome: audit.Denied, RequestID: requestID, ObjectType: "user", ObjectID: u.ID}
	ok := false
	switch {
	case !t.Enrolled():
		// Removed since the password step: nothing to check against.
		failure.Detail = "not_enrolled"
	case account.LooksLikeTOTP(code):
		failure.Detail = "totp"
		if step := account.MatchTOTP(t.Secret, code, now); step != 0 {
			if ok, err = s.DB.UseTOTPStep(ctx, u.ID, step); err != nil {
				return "", err
			}
			if !ok {
				failure.Action, failure.Detail = audit.MFAReplay, "totp_step_used"
			}
		}
	default:
		failure.Detail = "recovery"
		ok, err = s.DB.UseRecoveryCode(ctx, u.ID, account.HashRecoveryCode(code),
			audit.Event{ActorID: u.ID, RequestID: requestID})
		if err != nil {
			return "", err
		}
	}
	if !ok {
		nowLocked, err := s.DB.RecordLoginFailures(ctx, s.throttleKeys(u.Username, clientIP), failure)
		if err != nil {
			return "", err
		}
		if nowLocked {
			_ = s.DB.DeleteLoginChallenges(ctx, hash, time.Time{})
			return "", errs.New(errs.TooManyRequests, "auth.locked")
		}
		return "", errs.New(errs.Unauthenticated, "mfa.code_wrong")
	}
	if err := s.DB.DeleteLoginChallenges(ctx, hash, time.Time{}); err != nil {
		return "", err
	}
	return s.DB.CreateSession(ctx, u.ID, audit.Event{ActorID: u.ID, RequestID: requestID, Detail: "mfa"})
}

// MustEnrolMFA reports whether a browser session may reach only the
// second-factor enrolment: the requirement is on, the user's roles see a
// sensitive category, and they have no second factor yet.
func (s *Service) MustEnrolMFA(ctx context.Context, p *account.Principal) (bool, error) {
	if !s.RequireMFA || p == nil || !NeedsMFA(p) {
		return false, nil
	}
	has, err := s.DB.HasTOTP(ctx, p.User.ID)
	return !has, err
}

// NeedsMFA reports whether the principal's roles see sensitive categories
// (health conditions, abuse and safety notes), for which a password alone
// is not enough.
func NeedsMFA(p *account.Principal) bool {
	return p.Can(account.SensitiveHealth) || p.Can(account.SensitiveSafety)
}

// reauthenticate checks the current password before a change to how the
// user logs in. Wrong answers count against the username, so a stolen
// session cannot be used to guess the password.
func (s *Service) reauthenticate(ctx context.Context, p *account.Principal, current, requestID string) error {
	if locked, err := s.locked(ctx, p.User.Username, "", requestID); err != nil || locked {
		if err != nil {
			return err
		}
		return errs.Field("current_password", "auth.locked", nil)
	}
	ok, err := s.Verify(current, p.User.PasswordHash)
	if err == nil && ok {
		return nil
	}
	if _, err := s.DB.RecordLoginFailures(ctx, s.throttleKeys(p.User.Username, ""),
		audit.Event{ActorID: p.User.ID, Action: audit.ReauthFailed, Outcome: audit.Denied, RequestID: requestID, ObjectType: "user", ObjectID: p.User.ID}); err != nil {
		return err
	}
	return errs.Field("current_password", "auth.current_password_wrong", nil)
}

// StartMFA re-authenticates the user and stores a new secret awaiting its
// first code; an existing second factor stays until the new one is
// confirmed.
func (s *Service) StartMFA(ctx context.Context, p *account.Principal, current, requestID string) error {
	if err := s.reauthenticate(ctx, p, current, requestID); err != nil {
		return err
	}
	secret, _, err := account.NewTOTPKey(p.User.Username)
	if err != nil {
		return err
	}
	return s.DB.SetPendingTOTP(ctx, p.User.ID, secret, audit.Event{ActorID: p.User.ID, RequestID: requestID})
}

// ConfirmMFA checks the first code of the pending secret and makes it the
// user's second factor, returning the new recovery codes, to be shown once.
func (s *Service) ConfirmMFA(ctx context.Context, p *account.Principal, code, requestID string) ([]string, error) {
	t, err := s.DB.GetTOTP(ctx, p.User.ID)
	if err != nil {
		return nil, err
	}
	if t.PendingSecret == "" {
		return nil, errs.Field("code", "mfa.no_pending", nil)
	}
	step := account.MatchTOTP(t.PendingSecret, code, s.DB.Now())
	if step == 0 {
		_ = s.DB.AuditAlone(ctx, audit.Event{ActorID: p.User.ID, Action: audit.MFAFailed, Outcome: audit.Denied, RequestID: requestID,
			ObjectType: "user", ObjectID: p.User.ID, Detail: "enrolment"})
		return nil, errs.Field("code", "mfa.code_wrong", nil)
	}
	codes, hashes := account.NewRecoveryCodes()
	if err := s.DB.ConfirmTOTP(ctx, p.User.ID, t.PendingSecret, step, hashes, audit.Event{ActorID: p.User.ID, RequestID: requestID}); err != nil {
		return nil, err
	}
	return codes, nil
}

// RemoveMFA re-authenticates the user and deletes their second factor.
func (s *Service) RemoveMFA(ctx context.Context, p *account.Principal, current, requestID string) error {
	if err := s.reauthenticate(ctx, p, current, requestID); err != nil {
		return err
	}
	return s.DB.RemoveTOTP(ctx, p.User.ID, audit.Event{ActorID: p.User.ID, RequestID: requestID})
}
