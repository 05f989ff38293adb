package auth_test

import (
	"sync/atomic"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/auth"
	"termtem/internal/errs"
)

// countVerify makes the service count its password hashes.
func countVerify(svc *auth.Service) *atomic.Int32 {
	var n atomic.Int32
	next := svc.Verify
	svc.Verify = func(pw, phc string) (bool, error) {
		n.Add(1)
		return next(pw, phc)
	}
	return &n
}

// Twenty wrong passwords in a row: the account is locked from the tenth on,
// the right password too is refused, and the lock ends with its time.
func TestTwentyBadLoginsLock(t *testing.T) {
	f := setup(t)
	locked := 0
	for i := range 20 {
		_, err := f.svc.Authenticate(ctx, auth.Attempt{Username: "nurse.a", Password: "wrong password", ClientIP: "192.0.2.1", RequestID: "req"})
		if errs.Is(err, errs.TooManyRequests) {
			locked++
		} else if i >= f.svc.Throttle.MaxFailures-1 {
			t.Fatalf("attempt %d not locked: %v", i+1, err)
		}
	}
	if locked != 20-f.svc.Throttle.MaxFailures+1 {
		t.Errorf("%d attempts locked, want %d", locked, 20-f.svc.Throttle.MaxFailures+1)
	}
	_, err := f.svc.Authenticate(ctx, auth.Attempt{Username: "nurse.a", Password: password, ClientIP: "192.0.2.9", RequestID: "req"})
	wantCode(t, err, errs.TooManyRequests, "auth.locked")
	if evs, _ := f.db.RecentAudit(ctx, audit.LoginThrottled, 100); len(evs) == 0 {
		t.Error("refusals while locked were not audited")
	}
	f.clock.Advance(f.svc.Throttle.Lockout + time.Second)
	f.login(t, "nurse.a", password)
}

// An unknown username and a wrong password get the same answer, and both
// run the password hash once (so they take the same time).
func TestUnknownUserAndWrongPasswordIndistinguishable(t *testing.T) {
	f := setup(t)
	hashes := countVerify(f.svc)
	_, errWrong := f.svc.Authenticate(ctx, auth.Attempt{Username: "nurse.a", Password: "not the password", RequestID: "req"})
	if hashes.Load() != 1 {
		t.Fatalf("wrong password: %d hashes, want 1", hashes.Load())
	}
	_, errUnknown := f.svc.Authenticate(ctx, auth.Attempt{Username: "nobody.here", Password: "not the password", RequestID: "req"})
	if hashes.Load() != 2 {
		t.Fatalf("unknown user: %d hashes in all, want 2 (the dummy hash was not run)", hashes.Load())
	}
	a, b := errs.As(errWrong), errs.As(errUnknown)
	if a.Code != b.Code || a.MessageID != b.MessageID || a.Error() != b.Error() || a.MessageID != "auth.bad_login" {
		t.Errorf("answers differ: %q / %q", a.Error(), b.Error())
	}
}

// One client address trying many usernames is locked as a whole, whatever
// the usernames; another address is not affected.
func TestClientAddressLock(t *testing.T) {
	f := setup(t)
	max := f.svc.IPThrottle.MaxFailures
	for i := range max {
		_, err := f.svc.Authenticate(ctx, auth.Attempt{Username: "spray" + string(rune('a'+i%26)) + string(rune('a'+i/26)),
			Password: "Password1", ClientIP: "198.51.100.7", RequestID: "req"})
		if i < max-1 {
			wantCode(t, err, errs.Unauthenticated, "auth.bad_login")
		} else {
			wantCode(t, err, errs.TooManyRequests, "auth.locked")
		}
	}
	// The right password of a real user, from the locked address: refused.
	_, err := f.svc.Authenticate(ctx, auth.Attempt{Username: "nurse.a", Password: password, ClientIP: "198.51.100.7", RequestID: "req"})
	wantCode(t, err, errs.TooManyRequests, "auth.locked")
	if evs, _ := f.db.RecentAudit(ctx, audit.LoginIPThrottled, 10); len(evs) == 0 {
		t.Error("address lock not audited")
	}
	out, err := f.svc.Authenticate(ctx, auth.Attempt{Username: "nurse.a", Password: password, ClientIP: "198.51.100.8", RequestID: "req"})
	if err != nil || out.Session == "" {
		t.Fatalf("another address: %v", err)
	}
	f.clock.Advance(f.svc.IPThrottle.Lockout + time.Second)
	if _, err := f.svc.Authenticate(ctx, auth.Attempt{Username: "nurse.a", Password: password, ClientIP: "198.51.100.7", RequestID: "req"}); err != nil {
		t.Fatalf("after the lock-out: %v", err)
	}
}

// enrol sets up TOTP for the fixture's nurse through the service, as the
// profile page does, and returns the secret and recovery codes.
func enrol(t *testing.T, f *fixture) (string, []string) {
	t.Helper()
	tok := f.login(t, "nurse.a", password)
	p, err := f.svc.Session(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	err = f.svc.StartMFA(ctx, p, "wrong password", "req")
	wantCode(t, err, errs.Invalid, "auth.current_password_wrong")
	if err := f.svc.StartMFA(ctx, p, password, "req"); err != nil {
		t.Fatal(err)
	}
	st, err := f.db.GetTOTP(ctx, f.user.ID)
	if err != nil || st.PendingSecret == "" || st.Enrolled() {
		t.Fatalf("after start: %+v %v", st, err)
	}
	_, err = f.svc.ConfirmMFA(ctx, p, "000000", "req")
	wantCode(t, err, errs.Invalid, "mfa.code_wrong")
	code, _ := account.TOTPCode(st.PendingSecret, account.TOTPStep(f.clock.Now()))
	codes, err := f.svc.ConfirmMFA(ctx, p, code, "req")
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != account.RecoveryCodeCount {
		t.Fatalf("%d recovery codes", len(codes))
	}
	st, _ = f.db.GetTOTP(ctx, f.user.ID)
	if !st.Enrolled() || st.RecoveryLeft != account.RecoveryCodeCount {
		t.Fatalf("after confirm: %+v", st)
	}
	return st.Secret, codes
}

// challenge logs in with the password and returns the code challenge.
func challenge(t *testing.T, f *fixture) string {
	t.Helper()
	out, err := f.svc.Authenticate(ctx, auth.Attempt{Username: "nurse.a", Password: password, ClientIP: "192.0.2.1", RequestID: "req"})
	if err != nil || out.Session != "" || out.Challenge == "" {
		t.Fatalf("password step: %+v %v", out, err)
	}
	return out.Challenge
}

func TestTOTPLogin(t *testing.T) {
	f := setup(t)
	secret, recovery := enrol(t, f)
	// The code used to confirm the enrolment is spent: wait for the next step.
	f.clock.Advance(account.TOTPPeriod * time.Second)
	step := account.TOTPStep(f.clock.Now())
	code, _ := account.TOTPCode(secret, step)

	t.Run("password alone starts no session", func(t *testing.T) {
		_, err := f.svc.Login(ctx, "nurse.a", password, "req")
		wantCode(t, err, errs.Unauthenticated, "auth.mfa_required")
	})
	sessionsBefore, _ := f.db.CountSessions(ctx, f.user.ID)

	t.Run("right code accepted once", func(t *testing.T) {
		tok, err := f.svc.CompleteLogin(ctx, challenge(t, f), code, "192.0.2.1", "req")
		if err != nil {
			t.Fatal(err)
		}
		if p, err := f.svc.Session(ctx, tok); err != nil || p.User.ID != f.user.ID {
			t.Fatalf("session: %v", err)
		}
		// The same code again, within its 30 seconds: a replay.
		_, err = f.svc.CompleteLogin(ctx, challenge(t, f), code, "192.0.2.1", "req")
		wantCode(t, err, errs.Unauthenticated, "mfa.code_wrong")
		evs, _ := f.db.RecentAudit(ctx, audit.MFAReplay, 10)
		if len(evs) != 1 || evs[0].ActorID != f.user.ID || evs[0].Outcome != audit.Denied {
			t.Errorf("replay audit: %+v", evs)
		}
		// Nor does an older step's code work once a newer one was used.
		old, _ := account.TOTPCode(secret, step-1)
		_, err = f.svc.CompleteLogin(ctx, challenge(t, f), old, "192.0.2.1", "req")
		wantCode(t, err, errs.Unauthenticated, "mfa.code_wrong")
	})

	t.Run("out of window refused", func(t *testing.T) {
		for _, s := range []int64{step - 3, step + 2, step + 10} {
			c, _ := account.TOTPCode(secret, s)
			_, err := f.svc.CompleteLogin(ctx, challenge(t, f), c, "192.0.2.1", "req")
			wantCode(t, err, errs.Unauthenticated, "mfa.code_wrong")
		}
		// The next step's code is inside the window (a phone a little ahead).
		c, _ := account.TOTPCode(secret, step+1)
		if _, err := f.svc.CompleteLogin(ctx, challenge(t, f), c, "192.0.2.1", "req"); err != nil {
			t.Fatalf("code of the next step: %v", err)
		}
		if evs, _ := f.db.RecentAudit(ctx, audit.MFAFailed, 10); len(evs) < 3 {
			t.Errorf("%d mfa.failed rows, want at least 3", len(evs))
		}
	})

	t.Run("recovery code works once", func(t *testing.T) {
		f.clock.Advance(2 * time.Minute) // the failures above must not lock the test out
		if _, err := f.svc.CompleteLogin(ctx, challenge(t, f), "  "+recovery[3]+" ", "192.0.2.1", "req"); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		_, err := f.svc.CompleteLogin(ctx, challenge(t, f), recovery[3], "192.0.2.1", "req")
		wantCode(t, err, errs.Unauthenticated, "mfa.code_wrong")
		if st, _ := f.db.GetTOTP(ctx, f.user.ID); st.RecoveryLeft != account.RecoveryCodeCount-1 {
			t.Errorf("%d recovery codes left", st.RecoveryLeft)
		}
		if evs, _ := f.db.RecentAudit(ctx, audit.MFARecoveryUsed, 10); len(evs) != 1 {
			t.Errorf("%d mfa.recovery_used rows", len(evs))
		}
	})

	t.Run("challenge expires", func(t *testing.T) {
		c := challenge(t, f)
		f.clock.Advance(auth.ChallengeTTL + time.Second)
		next, _ := account.TOTPCode(secret, account.TOTPStep(f.clock.Now()))
		_, err := f.svc.CompleteLogin(ctx, c, next, "192.0.2.1", "req")
		wantCode(t, err, errs.Unauthenticated, "auth.session_expired")
	})

	if n, _ := f.db.CountSessions(ctx, f.user.ID); n != sessionsBefore+3 {
		t.Errorf("%d sessions, want %d: a refused code started one", n, sessionsBefore+3)
	}

	t.Run("removing needs the password", func(t *testing.T) {
		tok := f.sessionWithCode(t, secret)
		p, _ := f.svc.Session(ctx, tok)
		wantCode(t, f.svc.RemoveMFA(ctx, p, "not it", "req"), errs.Invalid, "auth.current_password_wrong")
		if err := f.svc.RemoveMFA(ctx, p, password, "req"); err != nil {
			t.Fatal(err)
		}
		f.login(t, "nurse.a", password) // no code asked any more
	})
}

// sessionWithCode logs in with the code of a fresh time step.
func (f *fixture) sessionWithCode(t *testing.T, secret string) string {
	t.Helper()
	f.clock.Advance(account.TOTPPeriod * time.Second * 3)
	c, _ := account.TOTPCode(secret, account.TOTPStep(f.clock.Now()))
	tok, err := f.svc.CompleteLogin(ctx, challenge(t, f), c, "192.0.2.1", "req")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Wrong codes count like wrong passwords: guessing six digits is locked
// out long before it could succeed.
func TestWrongCodesLock(t *testing.T) {
	f := setup(t)
	enrol(t, f) // one wrong password in it counts too
	tries := 0
	for ; tries < 20; tries++ {
		_, err := f.svc.CompleteLogin(ctx, challenge(t, f), "123456", "192.0.2.1", "req")
		if errs.Is(err, errs.TooManyRequests) {
			break
		}
		wantCode(t, err, errs.Unauthenticated, "mfa.code_wrong")
	}
	if tries >= f.svc.Throttle.MaxFailures {
		t.Fatalf("%d wrong codes before the lock", tries)
	}
	_, err := f.svc.Authenticate(ctx, auth.Attempt{Username: "nurse.a", Password: password, RequestID: "req"})
	wantCode(t, err, errs.TooManyRequests, "auth.locked")
}

// Roles that see health or safety notes must enrol; others need not; the
// requirement can be turned off (--require-mfa=false).
func TestMFARequiredForSensitiveRoles(t *testing.T) {
	f := setup(t)
	p, err := f.svc.Session(ctx, f.login(t, "nurse.a", password))
	if err != nil {
		t.Fatal(err)
	}
	if must, err := f.svc.MustEnrolMFA(ctx, p); err != nil || !must {
		t.Fatalf("health staff without a second factor: must enrol = %v, %v", must, err)
	}
	f.svc.RequireMFA = false
	if must, _ := f.svc.MustEnrolMFA(ctx, p); must {
		t.Error("requirement off, still must enrol")
	}
	f.svc.RequireMFA = true
	teacher, err := f.svc.CreateUser(ctx, account.User{Username: "teacher.a", DisplayName: "ครู", Kind: account.StaffAccount,
		Memberships: []account.Membership{{OrganisationID: f.user.Memberships[0].OrganisationID, RoleCode: account.RoleSchoolTeacher}}}, password, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	tp, _ := f.svc.Session(ctx, f.login(t, teacher.Username, password))
	if must, _ := f.svc.MustEnrolMFA(ctx, tp); must {
		t.Error("a school teacher must enrol")
	}
	enrol(t, f)
	if must, _ := f.svc.MustEnrolMFA(ctx, p); must {
		t.Error("enrolled, still must enrol")
	}
}

// A change of roles ends the user's sessions: the new rights start with a
// new login. A change of name alone does not.
func TestRoleChangeEndsSessions(t *testing.T) {
	f := setup(t)
	tok := f.login(t, "nurse.a", password)
	u, _ := f.db.GetUser(ctx, f.user.ID)
	u.DisplayName = "พยาบาล ก (ชื่อใหม่)"
	u, err := f.db.SaveUser(ctx, u, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Session(ctx, tok); err != nil {
		t.Fatalf("a name change ended the session: %v", err)
	}
	u.Memberships[0].RoleCode = account.RoleCaseManager
	if _, err := f.db.SaveUser(ctx, u, audit.Event{ActorID: "admin"}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Session(ctx, tok)
	wantCode(t, err, errs.Unauthenticated, "")
	if evs, _ := f.db.RecentAudit(ctx, audit.SessionsRevoked, 10); len(evs) != 1 || evs[0].ObjectID != f.user.ID {
		t.Errorf("revocation audit: %+v", evs)
	}
}
