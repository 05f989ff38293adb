package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

var errRollback = errors.New("roll back")

func enqueue(t *testing.T, db *store.DB, n store.Notification) {
	t.Helper()
	if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.Enqueue(ctx, n) }); err != nil {
		t.Fatal(err)
	}
}

// kinds lists a user's notices as "kind link" in the order shown.
func kinds(t *testing.T, db *store.DB, u account.User) ([]string, int) {
	t.Helper()
	ns, unread, err := db.ListNotifications(ctx, u.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, n.Kind+" "+n.Link)
	}
	return out, unread
}

func withEmail(t *testing.T, db *store.DB, u account.User, email string) account.User {
	t.Helper()
	u.Email = email
	u, err := db.SaveUser(ctx, u, actor())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestEnqueueInTheChangesTransaction(t *testing.T) {
	db := storetest.Open(t)
	db.Channels = store.Channels{Email: true, Webhook: true}
	org := newOrg(t, db, "HC-N1")
	u := withEmail(t, db, newUser(t, db, "nurse.n1", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff}), "nurse.n1@example.org")
	n := store.Notification{Kind: "notify.alert_opened", UserIDs: []string{u.ID}, Link: "/alerts"}

	// The change fails after enqueuing: nobody hears of it.
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.Enqueue(ctx, n); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("transaction: %v", err)
	}
	if got, unread := kinds(t, db, u); len(got) != 0 || unread != 0 {
		t.Fatalf("a rolled-back change left notices %v", got)
	}
	if ds, err := db.ClaimDeliveries(ctx, 10, time.Minute); err != nil || len(ds) != 0 {
		t.Fatalf("a rolled-back change left deliveries %+v %v", ds, err)
	}

	enqueue(t, db, n)
	if got, unread := kinds(t, db, u); len(got) != 1 || unread != 1 {
		t.Fatalf("notices %v, %d unread", got, unread)
	}
	ds, err := db.ClaimDeliveries(ctx, 10, time.Minute)
	if err != nil || len(ds) != 2 {
		t.Fatalf("deliveries %+v %v", ds, err)
	}
	for _, d := range ds {
		if d.Kind != n.Kind || d.Link != n.Link || d.Attempts != 1 {
			t.Fatalf("delivery %+v", d)
		}
		switch d.Channel {
		case store.ChannelEmail:
			if d.Email != "nurse.n1@example.org" {
				t.Fatalf("email delivery to %q", d.Email)
			}
		case store.ChannelWebhook:
			if d.Email != "" {
				t.Fatalf("the webhook carries an address: %q", d.Email)
			}
		default:
			t.Fatalf("channel %q", d.Channel)
		}
	}

	// A link with anything but opaque IDs, or a kind that is not a
	// message ID, is a programming error.
	for _, bad := range []store.Notification{
		{Kind: "notify.x", UserIDs: []string{u.ID}, Link: "/people?name=สมชาย"},
		{Kind: "notify.x", UserIDs: []string{u.ID}, Link: "https://elsewhere.example/"},
		{Kind: "notify.x", UserIDs: []string{u.ID}, Link: "//elsewhere.example/"},
		{Kind: "Alert for Somchai", UserIDs: []string{u.ID}, Link: "/alerts"},
	} {
		err := db.InTx(ctx, func(tx *store.Tx) error { return tx.Enqueue(ctx, bad) })
		if !errs.Is(err, errs.Internal) {
			t.Fatalf("%+v: %v", bad, err)
		}
	}
}

func TestEnqueueRecipientsByPermission(t *testing.T) {
	db := storetest.Open(t)
	db.Channels = store.Channels{Email: true}
	unit, other := newOrg(t, db, "HC-P1"), newOrg(t, db, "HC-P2")
	worker := withEmail(t, db, newUser(t, db, "worker.p", account.Membership{OrganisationID: unit.ID, RoleCode: account.RoleCaseManager}), "worker.p@example.org")
	boss := newUser(t, db, "boss.p", account.Membership{OrganisationID: unit.ID, RoleCode: account.RoleSupervisor})
	admin := newUser(t, db, "admin.p", account.Membership{OrganisationID: unit.ID, RoleCode: account.RoleOrganisationAdmin})
	away := newUser(t, db, "away.p", account.Membership{OrganisationID: other.ID, RoleCode: account.RoleCaseManager})
	gone := newUser(t, db, "gone.p", account.Membership{OrganisationID: unit.ID, RoleCode: account.RoleCaseManager})
	gone.Disabled = true
	if _, err := db.SaveUser(ctx, gone, actor()); err != nil {
		t.Fatal(err)
	}

	enqueue(t, db, store.Notification{Kind: "notify.alert_escalated", OrganisationIDs: []string{unit.ID}, Permission: account.AlertsSupervise, Link: "/alerts"})
	enqueue(t, db, store.Notification{Kind: "notify.alert_opened", OrganisationIDs: []string{unit.ID}, Permission: account.AlertsRead,
		UserIDs: []string{worker.ID, admin.ID}, Link: "/alerts"})
	want := map[string][]string{
		worker.Username: {"notify.alert_opened /alerts"}, // once, though named and a member
		boss.Username:   {"notify.alert_opened /alerts", "notify.alert_escalated /alerts"},
		admin.Username:  {"notify.alert_opened /alerts"}, // named, without the permission
		away.Username:   nil,                             // another organisation
		gone.Username:   nil,                             // disabled
	}
	for _, u := range []account.User{worker, boss, admin, away, gone} {
		got, unread := kinds(t, db, u)
		if fmt.Sprint(got) != fmt.Sprint(want[u.Username]) || unread != len(got) {
			t.Errorf("%s: %v (%d unread), want %v", u.Username, got, unread, want[u.Username])
		}
	}
	// Only the recipient with an address gets an e-mail.
	if ds, _ := db.ClaimDeliveries(ctx, 10, time.Minute); len(ds) != 1 || ds[0].Email != worker.Email {
		t.Fatalf("e-mail deliveries %+v", ds)
	}

	// The same notice again adds nothing while the first is unread …
	n := store.Notification{Kind: "notify.alert_opened", UserIDs: []string{worker.ID}, Link: "/alerts"}
	enqueue(t, db, n)
	if got, _ := kinds(t, db, worker); len(got) != 1 {
		t.Fatalf("an unread notice was repeated: %v", got)
	}
	// … and comes again once it is read.
	ns, _, _ := db.ListNotifications(ctx, worker.ID, 0)
	if err := db.MarkNotificationsRead(ctx, boss.ID, ns[0].ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("someone else marked the worker's notice read: %v", err)
	}
	if err := db.MarkNotificationsRead(ctx, worker.ID, ns[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, unread := kinds(t, db, worker); unread != 0 {
		t.Fatalf("%d unread after reading", unread)
	}
	enqueue(t, db, n)
	got, unread := kinds(t, db, worker)
	if len(got) != 2 || unread != 1 {
		t.Fatalf("after reading, a new event: %v (%d unread)", got, unread)
	}
	if ns, _, _ := db.ListNotifications(ctx, worker.ID, 0); ns[0].ReadAt != nil || ns[1].ReadAt == nil {
		t.Fatalf("unread not first: %+v", ns)
	}
	if err := db.MarkNotificationsRead(ctx, boss.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, unread := kinds(t, db, boss); unread != 0 {
		t.Fatalf("mark all read left %d", unread)
	}
	if _, unread := kinds(t, db, worker); unread != 1 {
		t.Fatalf("marking the boss's notices read marked the worker's")
	}
}

func TestDeliveryRetriesWithBackoffThenFails(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	db.Channels = store.Channels{Webhook: true}
	u := newUser(t, db, "sw.r")
	enqueue(t, db, store.Notification{Kind: "notify.alert_opened", UserIDs: []string{u.ID}, Link: "/alerts"})
	claim := func() []store.Delivery {
		t.Helper()
		ds, err := db.ClaimDeliveries(ctx, 10, 2*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}

	// A worker that claims and dies: the delivery is due again after the
	// lease, and the dead worker's late report changes nothing.
	lost := claim()
	if len(lost) != 1 || len(claim()) != 0 {
		t.Fatalf("claimed %+v, then again during the lease", lost)
	}
	clk.Advance(2*time.Minute + time.Second)
	ds := claim()
	if len(ds) != 1 || ds[0].Attempts != 2 {
		t.Fatalf("after the lease %+v", ds)
	}
	if ok, err := db.DeliverySucceeded(ctx, lost[0]); err != nil || ok {
		t.Fatalf("a report after the lease counted: %v %v", ok, err)
	}

	d := ds[0]
	for attempt := 2; ; attempt++ {
		final, err := db.DeliveryFailedAttempt(ctx, d, "webhook answered 500")
		if err != nil {
			t.Fatal(err)
		}
		if final {
			if attempt != store.MaxDeliveryAttempts() {
				t.Fatalf("final after attempt %d", attempt)
			}
			break
		}
		wait := store.DeliveryBackoff[attempt-1]
		clk.Advance(wait * 85 / 100)
		if got := claim(); len(got) != 0 {
			t.Fatalf("attempt %d retried after %s, before its back-off of %s", attempt, wait*85/100, wait)
		}
		clk.Advance(wait * 30 / 100)
		got := claim()
		if len(got) != 1 || got[0].Attempts != attempt+1 {
			t.Fatalf("attempt %d not retried after %s: %+v", attempt, wait*115/100, got)
		}
		d = got[0]
	}
	clk.Advance(48 * time.Hour)
	if got := claim(); len(got) != 0 {
		t.Fatalf("a failed delivery was tried again: %+v", got)
	}
	failed, err := db.ListFailedDeliveries(ctx, 0)
	if err != nil || len(failed) != 1 {
		t.Fatalf("failed deliveries %+v %v", failed, err)
	}
	if f := failed[0]; f.Kind != "notify.alert_opened" || f.Channel != store.ChannelWebhook || f.Attempts != store.MaxDeliveryAttempts() ||
		f.LastError != "webhook answered 500" || f.FailedAt.Before(f.CreatedAt) {
		t.Fatalf("failed delivery %+v", f)
	}
	// The in-app notice stays, whatever happened to the webhook.
	if _, unread := kinds(t, db, u); unread != 1 {
		t.Fatalf("%d unread", unread)
	}
}

// Two workers (two store handles, as two application nodes) claiming at
// once never get the same delivery.
func TestTwoWorkersNeverShareADelivery(t *testing.T) {
	opts := storetest.Options(t)
	open := func() *store.DB {
		db, err := store.Open(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a := open()
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b := open()
	a.Channels = store.Channels{Webhook: true}
	u := newUser(t, a, "sw.c")
	const total = 120
	for i := range total {
		enqueue(t, a, store.Notification{Kind: "notify.alert_opened", UserIDs: []string{u.ID}, Link: fmt.Sprintf("/alerts/n%d", i)})
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := range 6 {
		db := []*store.DB{a, b}[w%2]
		wg.Go(func() {
			for {
				ds, err := db.ClaimDeliveries(ctx, 7, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ds) == 0 {
					return
				}
				for _, d := range ds {
					if ok, err := db.DeliverySucceeded(ctx, d); err != nil || !ok {
						t.Errorf("report %s: %v %v", d.ID, ok, err)
					}
					mu.Lock()
					seen[d.ID]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != total {
		t.Fatalf("%d deliveries sent, want %d", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("delivery %s claimed %d times", id, n)
		}
	}
}

// Opening an alert tells the receiving unit's members who read alerts;
// escalating it tells its supervisors, then the committee.
func TestAlertsNotify(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated"}}, Source: store.ByStaff,
		OrganisationID: w.dsw.ID, AuthorID: w.worker.ID}, by(w.worker)); err != nil {
		t.Fatal(err)
	}
	check := func(when string, want map[string]string) {
		t.Helper()
		for _, u := range []account.User{w.worker, w.nurse, w.supervisor, w.secret} {
			got, _ := kinds(t, db, u)
			if w := want[u.Username]; fmt.Sprint(got) != w && !(len(got) == 0 && w == "") {
				t.Errorf("%s, %s: %v, want %s", when, u.Username, got, w)
			}
		}
	}
	// Three alerts opened at once make one notice.
	check("opened", map[string]string{w.worker.Username: "[notify.alert_opened /alerts]", w.supervisor.Username: "[notify.alert_opened /alerts]"})
	w.clock.Advance(25 * time.Hour)
	if _, err := db.EscalateAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	check("escalated to the supervisor", map[string]string{w.worker.Username: "[notify.alert_opened /alerts]",
		w.supervisor.Username: "[notify.alert_escalated /alerts notify.alert_opened /alerts]"})
	w.clock.Advance(25 * time.Hour)
	if _, err := db.EscalateAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	check("escalated to the committee", map[string]string{w.worker.Username: "[notify.alert_opened /alerts]",
		w.supervisor.Username: "[notify.alert_escalated /alerts notify.alert_opened /alerts]", w.secret.Username: "[notify.alert_escalated /alerts]"})
}

func TestPruneKeepsWhatIsUnreadOrPending(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	db.Channels = store.Channels{Webhook: true}
	u := newUser(t, db, "sw.prune")
	enqueue(t, db, store.Notification{Kind: "notify.alert_opened", UserIDs: []string{u.ID}, Link: "/alerts/a"})
	enqueue(t, db, store.Notification{Kind: "notify.alert_opened", UserIDs: []string{u.ID}, Link: "/alerts/b"})
	ns, _, _ := db.ListNotifications(ctx, u.ID, 0)
	if err := db.MarkNotificationsRead(ctx, u.ID, ns[0].ID); err != nil {
		t.Fatal(err)
	}
	ds, _ := db.ClaimDeliveries(ctx, 1, time.Minute)
	if ok, err := db.DeliverySucceeded(ctx, ds[0]); !ok || err != nil {
		t.Fatal(ok, err)
	}
	clk.Advance(400 * 24 * time.Hour)
	if err := db.PruneNotifications(ctx, clk.Now().Add(-180*24*time.Hour), clk.Now().Add(-30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, unread := kinds(t, db, u); len(got) != 1 || unread != 1 {
		t.Fatalf("after pruning: %v (%d unread)", got, unread)
	}
	if left, _ := db.ClaimDeliveries(ctx, 10, time.Minute); len(left) != 1 || left[0].ID == ds[0].ID {
		t.Fatalf("pending deliveries after pruning: %+v", left)
	}
}
