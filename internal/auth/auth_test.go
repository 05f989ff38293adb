package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/auth"
	"termtem/internal/errs"
	"termtem/internal/organisations"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

var ctx = context.Background()

const password = "ต้มยำกุ้ง น้ำข้น 2569"

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type fixture struct {
	db    *store.DB
	svc   *auth.Service
	clock *clock
	user  account.User
}

var rules = account.SessionRules{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// setup makes a store with one health-centre nurse whose password is password.
func setup(t *testing.T) *fixture {
	t.Helper()
	return setupOn(t, storetest.Open(t))
}

// setupOn is setup on a store the test opened itself.
func setupOn(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	clk := &clock{now: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	db.Now = clk.Now
	svc, err := auth.New(db, rules, storetest.FastHash())
	if err != nil {
		t.Fatal(err)
	}
	lk, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	org, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "HC-44", Kind: organisations.HealthCentre,
		NameTH: "ศูนย์บริการสาธารณสุข ๔๔", PlaceID: lk.ID, Active: true}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.CreateUser(ctx, account.User{Username: "nurse.a", DisplayName: "พยาบาล ก", Kind: account.StaffAccount,
		Memberships: []account.Membership{{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff}}}, password, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, svc: svc, clock: clk, user: u}
}

func (f *fixture) login(t *testing.T, username, pw string) string {
	t.Helper()
	tok, err := f.svc.Login(ctx, username, pw, "req")
	if err != nil {
		t.Fatalf("Login(%q): %v", username, err)
	}
	return tok
}

func wantCode(t *testing.T, err error, code errs.Code, messageID string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != code || (messageID != "" && e.MessageID != messageID) {
		t.Fatalf("got %v, want %s %s", err, code, messageID)
	}
}

func TestLoginSucceeds(t *testing.T) {
	f := setup(t)
	if !strings.HasPrefix(f.user.PasswordHash, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("stored hash %q is not argon2id with the configured cost", f.user.PasswordHash)
	}
	tok := f.login(t, "  Nurse.A ", password)
	p, err := f.svc.Session(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if p.User.ID != f.user.ID || p.SessionID != account.HashSecret(tok) || p.TokenID != "" {
		t.Errorf("principal %+v", p)
	}
	if !p.Can(account.PeopleWrite) || p.Can(account.UsersManage) {
		t.Errorf("health staff permissions wrong: %v", p.Permissions)
	}
	// A new login is a new session: tokens are never reused.
	if tok2 := f.login(t, "nurse.a", password); tok2 == tok {
		t.Error("second login returned the same token")
	}
	if n, _ := f.db.CountSessions(ctx, f.user.ID); n != 2 {
		t.Errorf("%d sessions, want 2", n)
	}
}

// A wrong password, an unknown user and a disabled account must look the same.
func TestLoginFailuresAreIndistinguishable(t *testing.T) {
	f := setup(t)
	disabled, err := f.svc.CreateUser(ctx, account.User{Username: "gone", DisplayName: "ลาออก", Kind: account.StaffAccount}, password, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	disabled.Disabled = true
	if _, err := f.db.SaveUser(ctx, disabled, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	attempts := []struct{ name, username, password string }{
		{"wrong password", "nurse.a", "not the password"},
		{"unknown user", "nobody.here", "not the password"},
		{"unknown user, real password", "nobody.here", password},
		{"disabled user, right password", "gone", password},
		{"empty password", "nurse.a", ""},
	}
	var first *errs.Error
	for _, a := range attempts {
		_, err := f.svc.Login(ctx, a.username, a.password, "req")
		var e *errs.Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: %v is not an *errs.Error", a.name, err)
		}
		if e.Code != errs.Unauthenticated || e.MessageID != "auth.bad_login" {
			t.Errorf("%s: %s %s, want unauthenticated auth.bad_login", a.name, e.Code, e.MessageID)
		}
		if first == nil {
			first = e
			continue
		}
		if e.Code != first.Code || e.MessageID != first.MessageID || e.Field != first.Field || e.Error() != first.Error() || len(e.Data) != len(first.Data) {
			t.Errorf("%s: %q differs from %q", a.name, e.Error(), first.Error())
		}
	}
	if n, _ := f.db.CountSessions(ctx, disabled.ID); n != 0 {
		t.Error("a disabled user got a session")
	}
	evs, _ := f.db.RecentAudit(ctx, audit.LoginFailed, 100)
	if len(evs) != 4 { // the empty password is refused before any lookup
		t.Errorf("%d login.failed rows, want 4", len(evs))
	}
}

func TestLoginLocksAfterTooManyFailures(t *testing.T) {
	f := setup(t)
	max := f.svc.Throttle.MaxFailures
	if max != 10 {
		t.Fatalf("default MaxFailures = %d, want 10", max)
	}
	for _, username := range []string{"nurse.a", "no.such.user"} {
		t.Run(username, func(t *testing.T) {
			for i := 1; i < max; i++ {
				_, err := f.svc.Login(ctx, username, "wrong password", "req")
				wantCode(t, err, errs.Unauthenticated, "auth.bad_login")
			}
			_, err := f.svc.Login(ctx, username, "wrong password", "req")
			wantCode(t, err, errs.TooManyRequests, "auth.locked")
			// Locked means locked: even the right password is refused.
			_, err = f.svc.Login(ctx, username, password, "req")
			wantCode(t, err, errs.TooManyRequests, "auth.locked")
		})
	}
	if n, _ := f.db.CountSessions(ctx, f.user.ID); n != 0 {
		t.Errorf("%d sessions while locked", n)
	}
	// Another username is not affected.
	if _, err := f.svc.CreateUser(ctx, account.User{Username: "nurse.b", DisplayName: "ข", Kind: account.StaffAccount}, password, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	f.login(t, "nurse.b", password)

	f.clock.Advance(f.svc.Throttle.Lockout + time.Second)
	f.login(t, "nurse.a", password)
}

func TestSessionIdleExpiry(t *testing.T) {
	f := setup(t)
	tok := f.login(t, "nurse.a", password)
	for range 3 { // activity keeps it alive past the idle limit
		f.clock.Advance(rules.Idle - time.Minute)
		if _, err := f.svc.Session(ctx, tok); err != nil {
			t.Fatalf("active session refused: %v", err)
		}
	}
	f.clock.Advance(rules.Idle)
	_, err := f.svc.Session(ctx, tok)
	wantCode(t, err, errs.Unauthenticated, "auth.session_expired")
	if n, _ := f.db.CountSessions(ctx, f.user.ID); n != 0 {
		t.Error("the idle session was not deleted")
	}
	// Gone for good, even if the clock went back.
	f.clock.Advance(-rules.Idle)
	_, err = f.svc.Session(ctx, tok)
	wantCode(t, err, errs.Unauthenticated, "")
}

func TestSessionAbsoluteExpiry(t *testing.T) {
	f := setup(t)
	tok := f.login(t, "nurse.a", password)
	step := 20 * time.Minute
	var elapsed time.Duration
	for elapsed+step < rules.Absolute {
		f.clock.Advance(step)
		elapsed += step
		if _, err := f.svc.Session(ctx, tok); err != nil {
			t.Fatalf("session refused after %v of activity: %v", elapsed, err)
		}
	}
	f.clock.Advance(rules.Absolute - elapsed)
	_, err := f.svc.Session(ctx, tok)
	wantCode(t, err, errs.Unauthenticated, "auth.session_expired")
}

func TestSweepSessions(t *testing.T) {
	f := setup(t)
	f.login(t, "nurse.a", password)
	f.clock.Advance(rules.Idle / 2)
	fresh := f.login(t, "nurse.a", password)
	f.clock.Advance(rules.Idle/2 + time.Second)
	n, err := f.svc.SweepSessions(ctx)
	if err != nil || n != 1 {
		t.Fatalf("SweepSessions = %d, %v; want 1", n, err)
	}
	if _, err := f.svc.Session(ctx, fresh); err != nil {
		t.Errorf("the fresh session was swept: %v", err)
	}
}

func TestLogoutEndsSessionServerSide(t *testing.T) {
	f := setup(t)
	tok := f.login(t, "nurse.a", password)
	other := f.login(t, "nurse.a", password)
	p, err := f.svc.Session(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Logout(ctx, p, "req"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Session(ctx, tok)
	wantCode(t, err, errs.Unauthenticated, "")
	if _, err := f.svc.Session(ctx, other); err != nil {
		t.Errorf("logout ended another session: %v", err)
	}
	if evs, _ := f.db.RecentAudit(ctx, audit.Logout, 10); len(evs) != 1 || evs[0].ActorID != f.user.ID {
		t.Errorf("logout audit: %+v", evs)
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	f := setup(t)
	here := f.login(t, "nurse.a", password)
	elsewhere := f.login(t, "nurse.a", password)
	p, err := f.svc.Session(ctx, here)
	if err != nil {
		t.Fatal(err)
	}
	const next = "a new and long passphrase"
	err = f.svc.ChangePassword(ctx, p, "wrong current", next, "req")
	wantCode(t, err, errs.Invalid, "auth.current_password_wrong")
	err = f.svc.ChangePassword(ctx, p, password, "short", "req")
	wantCode(t, err, errs.Invalid, "password.too_short")
	if _, err := f.svc.Session(ctx, elsewhere); err != nil {
		t.Fatalf("a refused change ended a session: %v", err)
	}

	if err := f.svc.ChangePassword(ctx, p, password, next, "req"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Session(ctx, here); err != nil {
		t.Errorf("the session that changed the password was ended: %v", err)
	}
	_, err = f.svc.Session(ctx, elsewhere)
	wantCode(t, err, errs.Unauthenticated, "")
	_, err = f.svc.Login(ctx, "nurse.a", password, "req")
	wantCode(t, err, errs.Unauthenticated, "auth.bad_login")
	f.login(t, "nurse.a", next)
}

func TestDisabledUserSessionRefused(t *testing.T) {
	f := setup(t)
	tok := f.login(t, "nurse.a", password)
	u, _ := f.db.GetUser(ctx, f.user.ID)
	u.Disabled = true
	if _, err := f.db.SaveUser(ctx, u, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Session(ctx, tok)
	wantCode(t, err, errs.Unauthenticated, "")
}

func TestBearer(t *testing.T) {
	f := setup(t)
	token, tk, err := f.db.CreateAPIToken(ctx, f.user.ID, "export", time.Hour, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"", "Bearer", "Bearer ", "Basic " + token, token, "Bearer " + token[:len(token)-1],
		"Bearer tts_" + token[4:], "Bearer " + token + "x", "Bearer " + token[:10] + "!" + token[11:]} {
		_, err := f.svc.Bearer(ctx, h, "req")
		wantCode(t, err, errs.Unauthenticated, "auth.bearer_malformed")
	}

	p, err := f.svc.Bearer(ctx, "bearer "+token, "req")
	if err != nil {
		t.Fatalf("valid token refused: %v", err)
	}
	if p.User.ID != f.user.ID || p.TokenID != tk.ID || p.SessionID != "" {
		t.Errorf("principal %+v", p)
	}
	if !p.Can(account.PeopleRead) || !p.Can(account.AssessmentsWrite) || p.Can(account.UsersManage) || p.Can(account.AuditRead) {
		t.Errorf("permissions %v, want health staff's", p.Permissions)
	}

	// Well-formed but unknown.
	unknown, _, _ := account.NewSecret(account.APITokenPrefix)
	_, err = f.svc.Bearer(ctx, "Bearer "+unknown, "req")
	wantCode(t, err, errs.Unauthenticated, "auth.token_invalid")

	// Expired.
	f.clock.Advance(time.Hour)
	_, err = f.svc.Bearer(ctx, "Bearer "+token, "req")
	wantCode(t, err, errs.Unauthenticated, "auth.token_invalid")

	// Revoked.
	token2, tk2, err := f.db.CreateAPIToken(ctx, f.user.ID, "second", time.Hour, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Bearer(ctx, "Bearer "+token2, "req"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.RevokeAPIToken(ctx, tk2.ID, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Bearer(ctx, "Bearer "+token2, "req")
	wantCode(t, err, errs.Unauthenticated, "auth.token_invalid")
	if evs, _ := f.db.RecentAudit(ctx, audit.TokenRejected, 10); len(evs) != 2 {
		t.Errorf("%d token.rejected rows, want 2 (expired, revoked)", len(evs))
	}

	// A disabled user's token stops working, at once though it was just
	// verified (and so cached).
	token3, _, _ := f.db.CreateAPIToken(ctx, f.user.ID, "third", time.Hour, audit.Event{})
	if _, err := f.svc.Bearer(ctx, "Bearer "+token3, "req"); err != nil {
		t.Fatal(err)
	}
	u, _ := f.db.GetUser(ctx, f.user.ID)
	u.Disabled = true
	if _, err := f.db.SaveUser(ctx, u, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Bearer(ctx, "Bearer "+token3, "req")
	wantCode(t, err, errs.Unauthenticated, "")
}

func TestSweepForgetsOldLoginFailures(t *testing.T) {
	f := setup(t)
	for _, name := range []string{"nobody.1", "nobody.2", "nurse.a"} {
		if _, err := f.svc.Login(ctx, name, "wrong password", "req"); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("login %s: %v", name, err)
		}
	}
	count := func() int {
		n, err := f.db.CountLoginThrottle(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 3 {
		t.Fatalf("throttle rows before sweep: %d", n)
	}
	if _, err := f.svc.SweepSessions(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 3 {
		t.Fatalf("fresh failure counts were swept: %d left", n)
	}
	f.clock.Advance(f.svc.Throttle.Window + f.svc.Throttle.Lockout + time.Minute)
	if _, err := f.svc.SweepSessions(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Fatalf("stale failure counts kept: %d", n)
	}
}

func TestOverlongPasswordRefusedWithoutHashing(t *testing.T) {
	f := setup(t)
	_, err := f.svc.Login(ctx, "nurse.a", strings.Repeat("ก", 10000), "req")
	if !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("overlong password: %v", err)
	}
}
