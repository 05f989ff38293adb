package store_test

import (
	"sync"
	"testing"
	"time"

	"termtem/internal/cases"
	"termtem/internal/flower"
	"termtem/internal/store"
)

// Overdue care-plan steps: the step's owner (the person named, or the
// unit's case workers for a step of the whole unit) and the case manager
// are told once per step, with a push to the owner's phone; not again on
// the next run, nor after reading it; again when the due date is moved and
// passes. Steps done, not yet due, or of a closed case are left alone; two
// nodes running at once remind once.
func TestRemindOverdueSteps(t *testing.T) {
	w := newCaseWorld(t)
	db := w.db
	db.Channels = store.Channels{Push: true}
	if _, err := db.SavePushSubscription(ctx, w.nurse.ID, store.PushSubscription{Endpoint: "https://push.example/nurse", P256dh: testP256dh, Auth: testAuth}, actor()); err != nil {
		t.Fatal(err)
	}
	c, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: w.child.ID, Risk: cases.RiskHigh, Origin: cases.FromWorker,
		OrganisationID: w.dsw.ID, ManagerID: w.worker.ID}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []cases.Step{
		{What: "ตรวจพัฒนาการ DSPM", OrganisationID: w.hc.ID, ResponsibleID: w.nurse.ID, DueOn: "2026-03-10"},
		{What: "เยี่ยมบ้านร่วมกัน", OrganisationID: w.dsw.ID, DueOn: "2026-03-05"},
		{What: "ประชุมทบทวนแผน", OrganisationID: w.dsw.ID, ResponsibleID: w.worker.ID, DueOn: "2026-04-01"},
		{What: "ขอเงินอุดหนุน", OrganisationID: w.dsw.ID, ResponsibleID: w.worker.ID, DueOn: "2026-03-03"},
	} {
		if c, err = db.AddStep(ctx, c.ID, c.Version, s, "", by(w.worker)); err != nil {
			t.Fatal(err)
		}
	}
	if c, err = db.GetCase(ctx, c.ID, by(w.worker)); err != nil || len(c.Steps) != 4 {
		t.Fatalf("case read back: %d steps, %v", len(c.Steps), err)
	}
	for _, s := range c.Steps {
		if s.What == "ขอเงินอุดหนุน" {
			if _, err := db.MoveStep(ctx, s.ID, s.Version, cases.Done, "ยื่นเรื่องแล้ว", by(w.worker)); err != nil {
				t.Fatal(err)
			}
		}
	}
	overdue := func(u string) int {
		t.Helper()
		ns, _, err := db.ListNotifications(ctx, u, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range ns {
			if x.Kind == "notify.step_overdue" && x.Link == "/cases/"+c.ID {
				n++
			}
		}
		return n
	}
	pushes := func() int {
		t.Helper()
		ds, err := db.ClaimDeliveries(ctx, 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range ds {
			if ok, err := db.DeliverySucceeded(ctx, d); err != nil || !ok {
				t.Fatalf("delivery not marked sent: %v", err)
			}
			if d.Kind == "notify.step_overdue" {
				if d.Channel != store.ChannelPush {
					t.Fatalf("overdue-step delivery %+v", d)
				}
				if r, err := db.PushRecipientOf(ctx, d.ID); err != nil || len(r.Devices) != 1 || r.Devices[0].Endpoint != "https://push.example/nurse" {
					t.Fatalf("push to %+v %v, want the nurse's phone", r, err)
				}
				n++
			}
		}
		return n
	}
	run := func(want int) {
		t.Helper()
		if n, err := db.RemindOverdueSteps(ctx, 100); err != nil || n != want {
			t.Fatalf("reminded of %d steps (%v), want %d", n, err, want)
		}
	}

	// Nothing is overdue on the day the plan is made; on 2026-03-12 two
	// steps are.
	run(0)
	w.clock.Advance(11 * 24 * time.Hour)
	run(2)
	for _, u := range []struct {
		name string
		id   string
	}{{"the nurse named", w.nurse.ID}, {"the case manager", w.worker.ID}, {"the unit's supervisor", w.supervisor.ID}} {
		if n := overdue(u.id); n != 1 {
			t.Fatalf("%s has %d overdue-step notices", u.name, n)
		}
	}
	if n := overdue(w.teacher.ID); n != 0 {
		t.Fatalf("someone outside the step's unit and case told: %d", n)
	}
	if n := pushes(); n != 1 {
		t.Fatalf("%d pushes to the nurse's phone", n)
	}
	run(0)
	if err := db.MarkNotificationsRead(ctx, w.nurse.ID, ""); err != nil {
		t.Fatal(err)
	}
	run(0)
	if n := overdue(w.nurse.ID); n != 1 {
		t.Fatalf("reminded again without a new due date: %d", n)
	}

	// The due date moved: reminded again once it passes, and only once
	// when two nodes run at the same moment.
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.ExecForTest(ctx, `UPDATE plan_steps SET due_on = '2026-03-14' WHERE responsible_id = ?`, w.nurse.ID)
	}); err != nil {
		t.Fatal(err)
	}
	run(0)
	w.clock.Advance(3 * 24 * time.Hour) // 2026-03-15
	var wg sync.WaitGroup
	total := make([]int, 2)
	for i := range total {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := db.RemindOverdueSteps(ctx, 100)
			if err != nil {
				t.Error(err)
			}
			total[i] = n
		}()
	}
	wg.Wait()
	if total[0]+total[1] != 1 {
		t.Fatalf("two nodes reminded of %d and %d steps", total[0], total[1])
	}
	if n := overdue(w.nurse.ID); n != 2 {
		t.Fatalf("the nurse has %d overdue-step notices after the new due date passed", n)
	}
	if n := pushes(); n != 1 {
		t.Fatalf("%d pushes for the moved step", n)
	}

	// A closed case's steps are not chased: the review meeting's step is
	// overdue too, but the case was closed meanwhile.
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.ExecForTest(ctx, `UPDATE cases SET status = 'closed' WHERE id = ?`, c.ID)
	}); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(30 * 24 * time.Hour)
	run(0)
}
