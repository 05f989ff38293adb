package store_test

import (
	"testing"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/store/storetest"
)

// TestFormNonces: a form's nonce is used up by its first sending; the same
// form sent again, another form's nonce, another session's, or one too old
// (more than the kept number of pages ago) is refused; the nonces go with
// their session.
func TestFormNonces(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "SCH-FN1")
	u := newUser(t, db, "admin.fn", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleOrganisationAdmin})
	session := func() string {
		tok, err := db.CreateSession(ctx, u.ID, actor())
		if err != nil {
			t.Fatal(err)
		}
		return account.HashSecret(tok)
	}
	s1, s2 := session(), session()
	nonce := func(s, form string) string {
		t.Helper()
		n, err := db.NewFormNonce(ctx, s, form)
		if err != nil || n == "" {
			t.Fatalf("nonce: %q %v", n, err)
		}
		return n
	}
	sent := func(err error) {
		t.Helper()
		wantErr(t, err, errs.Conflict, "", "form_once.sent")
	}

	a := nonce(s1, "service_account:A")
	sent(db.UseFormNonce(ctx, s1, "service_account:B", a))  // another form's
	sent(db.UseFormNonce(ctx, s2, "service_account:A", a))  // another session's
	sent(db.UseFormNonce(ctx, s1, "service_account:A", "")) // none
	if err := db.UseFormNonce(ctx, s1, "service_account:A", a); err != nil {
		t.Fatalf("first sending: %v", err) // the refusals above did not use it up
	}
	sent(db.UseFormNonce(ctx, s1, "service_account:A", a)) // sent again
	if b := nonce(s1, "service_account:A"); b == a {
		t.Fatal("the same nonce given twice")
	}

	// A session keeps its newest nonces only; another session's are untouched.
	other := nonce(s2, "service_account:new")
	oldest := nonce(s1, "service_account:new")
	kept := make([]string, 0, 20)
	for range 20 {
		kept = append(kept, nonce(s1, "service_account:new"))
	}
	sent(db.UseFormNonce(ctx, s1, "service_account:new", oldest))
	for _, n := range kept {
		if err := db.UseFormNonce(ctx, s1, "service_account:new", n); err != nil {
			t.Fatalf("a kept nonce: %v", err)
		}
	}
	// They go with the session: logging out deletes them, and a session
	// that has ended gets none.
	if err := db.DeleteSession(ctx, s2, actor()); err != nil {
		t.Fatalf("logout with form nonces: %v", err)
	}
	sent(db.UseFormNonce(ctx, s2, "service_account:new", other))
	if _, err := db.NewFormNonce(ctx, s2, "service_account:new"); err == nil {
		t.Fatal("a nonce for an ended session")
	}
}
