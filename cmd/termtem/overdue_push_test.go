package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/flower"
	"termtem/internal/push/pushtest"
	"termtem/internal/store"
)

// TestOverdueStepPush: a care-plan step passes its due date; the overdue-step
// job, run by two nodes at once under the job lease, tells the nurse named
// for the step and the case manager once, and the running server's outbox
// delivers the nurse's notice to her phone (the local push endpoint),
// saying only that a notice waits.
func TestOverdueStepPush(t *testing.T) {
	ts := startServer(t, withEnv(testEnv(t), map[string]string{"TERMTEM_PUSH_LOOPBACK": "true"}))
	org := ts.addOrganisation(t, "HC-OD")
	ts.addUser(t, "od.nurse", "health_staff", "HC-OD", testPassword)
	ts.addUser(t, "od.cm", "case_manager", "HC-OD", testPassword)
	w := newOfflineWorld(t, ts, "OD")
	db, ctx := w.db, t.Context()
	db.Channels = store.Channels{Push: true} // as the server has them
	nurse, err := db.GetUserByUsername(ctx, "od.nurse")
	if err != nil {
		t.Fatal(err)
	}
	cm, err := db.GetUserByUsername(ctx, "od.cm")
	if err != nil {
		t.Fatal(err)
	}
	phone := pushtest.New(t)
	sub := phone.Subscription()
	if _, err := db.SavePushSubscription(ctx, nurse.ID, store.PushSubscription{Endpoint: sub.Endpoint, P256dh: sub.P256dh, Auth: sub.Auth,
		Device: "Android · Chrome"}, audit.Event{ActorID: nurse.ID}); err != nil {
		t.Fatal(err)
	}

	// A plan that started a month ago, with a step due three days ago.
	day := func(days int) string { return db.Now().AddDate(0, 0, days).Format(time.DateOnly) }
	by := audit.Event{ActorID: cm.ID, RequestID: "overdue-test"}
	c, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: w.child.ID, Risk: cases.RiskMedium, Origin: cases.FromWorker,
		OrganisationID: org.ID, ManagerID: cm.ID}, by)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = db.SetCaseReview(ctx, c.ID, c.Version, day(-30), day(30), by); err != nil {
		t.Fatal(err)
	}
	if _, err = db.AddStep(ctx, c.ID, c.Version, cases.Step{What: "ชั่งน้ำหนักและวัดส่วนสูงน้ำฝน", OrganisationID: org.ID,
		ResponsibleID: nurse.ID, DueOn: day(-3)}, "", by); err != nil {
		t.Fatal(err)
	}
	// The step given to her reaches the phone first.
	if !phone.Wait(1, 30*time.Second) {
		t.Fatal("no push of the step given within 30 s (the outbox is read every 5 s)")
	}

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var wg sync.WaitGroup
	for _, node := range []string{"node-a", "node-b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j := job{db: db, log: log, holder: node, name: store.JobOverdueSteps, ttl: time.Minute, every: 15 * time.Minute}
			j.run(ctx, remindOverdueSteps(ctx, db, log))
		}()
	}
	wg.Wait()
	if run, err := db.GetJob(ctx, store.JobOverdueSteps); err != nil || run.LastHolder == "" {
		t.Fatalf("the job's run was not recorded: %+v %v", run, err)
	}
	for _, u := range []struct{ name, id string }{{"nurse", nurse.ID}, {"case manager", cm.ID}} {
		ns, _, err := db.ListNotifications(ctx, u.id, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range ns {
			if x.Kind == "notify.step_overdue" && x.Link == "/cases/"+c.ID {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("the %s has %d overdue-step notices", u.name, n)
		}
	}
	if !phone.Wait(2, 30*time.Second) {
		t.Fatal("no push of the overdue step within 30 s")
	}
	msgs, faults := phone.Messages()
	if len(faults) > 0 || len(msgs) != 2 {
		t.Fatalf("push endpoint: %d messages, faults %v", len(msgs), faults)
	}
	var m struct{ Title, Body, Link string }
	if err := json.Unmarshal(msgs[1].Payload, &m); err != nil {
		t.Fatal(err)
	}
	if m.Body != "มีการแจ้งเตือนใหม่ 2 รายการ" || m.Link != "/notifications" || strings.Contains(string(msgs[1].Payload), "น้ำฝน") {
		t.Errorf("push message %s", msgs[1].Payload)
	}
}
