package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"termtem/internal/store/storetest"
)

// axeResult is the part of axe-core's report the test reads.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	} `json:"violations"`
	Passes []json.RawMessage `json:"passes"`
}

// TestBrowserAccessibility runs axe-core (pinned in tools/a11y) against every
// page, in Thai and in English, on a desktop and a phone viewport, and fails
// on any WCAG 2.0/2.1 A or AA violation.
func TestBrowserAccessibility(t *testing.T) {
	axePath := os.Getenv("TERMTEM_TEST_AXE")
	if axePath == "" {
		axePath = "../../tools/a11y/node_modules/axe-core/axe.min.js"
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		storetest.Skip(t, "axe-core not installed (scripts/test installs it): "+err.Error())
	}
	ts := startServer(t, testEnv(t), "--demo")
	b := newBrowser(t, ts)
	db := ts.openDB(t)
	lk, err := db.GetPlaceByCode(t.Context(), "101103")
	if err != nil {
		t.Fatal(err)
	}
	org, err := db.GetOrganisationByCode(t.Context(), "LKB-HC45")
	if err != nil {
		t.Fatal(err)
	}
	user, err := db.GetUserByUsername(t.Context(), "demo.nurse")
	if err != nil {
		t.Fatal(err)
	}

	audit := func(page string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(axe)+";true")); err != nil {
			t.Fatalf("inject axe on %s: %v", page, err)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](
			`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify(r))`,
			chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", page, err)
		}
		var res axeResult
		if err := json.Unmarshal([]byte(raw), &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Passes) == 0 {
			t.Fatalf("axe checked nothing on %s", page)
		}
		for _, v := range res.Violations {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, fmt.Sprint(n.Target...))
			}
			t.Errorf("%s (%s): %s [%s] at %s", page, b.lang(), v.Help, v.ID, strings.Join(where, ", "))
		}
	}

	b.open("/login")
	audit("/login")
	if status := b.login("demo.admin", demoPassword(t, ts, "demo.admin")); status != http.StatusOK {
		t.Fatalf("login: %d", status)
	}
	notifyUser(t, db, "demo.admin", "notify.alert_opened")
	pages := []string{"/", "/places/" + lk.ID, "/places/new?parent=" + lk.ID, "/organisations",
		"/organisations/" + org.ID + "/edit", "/users", "/users/" + user.ID + "/edit", "/roles", "/profile", "/instruments",
		"/notifications", "/notifications/failed",
		"/places/0190a0a0-0000-7000-8000-000000000000"} // an error page
	auditPages := func(pages []string, forms map[string]func(*tab)) {
		t.Helper()
		for _, viewport := range []struct{ w, h int64 }{{1280, 900}, {390, 844}} {
			if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(viewport.w, viewport.h)); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []string{"th", "en"} {
				if b.lang() != lang {
					b.open("/")
					b.clickAndWait("#lang-switch")
				}
				for _, p := range pages {
					if form, ok := forms[p]; ok {
						form(b) // a page that answers a form: results, errors
					} else {
						b.open(p)
					}
					audit(fmt.Sprintf("%s @%dpx", p, viewport.w))
				}
			}
		}
	}
	auditPages(pages, nil)

	// The people pages, as a health-centre nurse: administrators see no
	// personal data.
	peoplePages, peopleForms := a11yPeoplePages(t, ts)
	b.open("/")
	b.clickAndWait("#logout")
	if status := b.login("demo.nurse", demoPassword(t, ts, "demo.nurse")); status != http.StatusOK {
		t.Fatalf("nurse login: %d", status)
	}
	auditPages(peoplePages, peopleForms)
	// The family self-assessment (staff and family sides) and the alerts
	// inbox, as a social worker.
	flowerPages, flowerForms := a11yFlowerPages(t, ts)
	b.open("/")
	b.clickAndWait("#logout")
	if status := b.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		t.Fatalf("social worker login: %d", status)
	}
	auditPages(flowerPages, flowerForms)

	// Case management (cases, the care plan, referrals, hand-offs, the
	// inbox), still as the social worker.
	casePages, caseForms := a11yCasePages(t, ts)
	auditPages(casePages, caseForms)

	// The import screens (upload, mapping with preview, progress and
	// report), as a data officer.
	importPages, importForms := a11yImportPages(t, ts)
	b.open("/")
	b.clickAndWait("#logout")
	if status := b.login("demo.dataofficer", demoPassword(t, ts, "demo.dataofficer")); status != http.StatusOK {
		t.Fatalf("data officer login: %d", status)
	}
	auditPages(importPages, importForms)
}
