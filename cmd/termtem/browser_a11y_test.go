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

	"termtem/internal/account"
	"termtem/internal/audit"
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

// a11ySession is a demo server, a browser and axe-core, for the
// accessibility tests. Each test takes a part of the pages, with a browser
// of its own, so that no browser outlives its time budget.
type a11ySession struct {
	t    *testing.T
	ts   *testServer
	b    *tab
	axe  []byte
	seen int
}

func newA11ySession(t *testing.T) *a11ySession {
	axePath := os.Getenv("TERMTEM_TEST_AXE")
	if axePath == "" {
		axePath = "../../tools/a11y/node_modules/axe-core/axe.min.js"
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		storetest.Skip(t, "axe-core not installed (scripts/test installs it): "+err.Error())
	}
	ts := startServer(t, testEnv(t), "--demo")
	return &a11ySession{t: t, ts: ts, b: newBrowser(t, ts), axe: axe}
}

// audit runs axe on the current page and fails on any WCAG 2.0/2.1 A or
// AA violation.
func (s *a11ySession) audit(page string) {
	t, b := s.t, s.b
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(s.axe)+";true")); err != nil {
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
	s.seen++
	for _, v := range res.Violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target...))
		}
		t.Errorf("%s (%s): %s [%s] at %s", page, b.lang(), v.Help, v.ID, strings.Join(where, ", "))
	}
}

// as signs in as a demo user (signing out first when someone is in).
func (s *a11ySession) as(username string) {
	s.t.Helper()
	if s.b.has("#logout") {
		s.b.clickAndWait("#logout")
	}
	if status := s.b.login(username, demoPassword(s.t, s.ts, username)); status != http.StatusOK {
		s.t.Fatalf("%s login: %d", username, status)
	}
}

// pages audits pages on a desktop and a phone, in Thai and in English;
// forms load the pages that answer a form (results, errors).
func (s *a11ySession) pages(pages []string, forms map[string]func(*tab)) {
	t, b := s.t, s.b
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
					form(b)
				} else {
					b.open(p)
				}
				s.audit(fmt.Sprintf("%s @%dpx", p, viewport.w))
			}
		}
	}
}

// TestBrowserAccessibility runs axe-core (pinned in tools/a11y) against the
// sign-in and administration pages; the tests below take the rest.
func TestBrowserAccessibility(t *testing.T) {
	s := newA11ySession(t)
	db := s.ts.openDB(t)
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
	s.b.open("/login")
	s.audit("/login")
	s.as("demo.admin")
	notifyUser(t, db, "demo.admin", "notify.alert_opened")
	s.pages([]string{"/", "/places/" + lk.ID, "/places/new?parent=" + lk.ID, "/organisations",
		"/organisations/" + org.ID + "/edit", "/users", "/users/" + user.ID + "/edit", "/roles", "/profile", "/profile/mfa", "/instruments",
		"/notifications", "/notifications/failed", "/offline",
		"/places/0190a0a0-0000-7000-8000-000000000000"}, nil) // the last: an error page
}

// The people pages, as a health-centre nurse: administrators see no
// personal data.
func TestBrowserAccessibilityPeople(t *testing.T) {
	s := newA11ySession(t)
	pages, forms := a11yPeoplePages(t, s.ts)
	s.as("demo.nurse")
	s.pages(pages, forms)
}

// The family self-assessment (staff and family sides) and the alerts
// inbox, as a social worker.
func TestBrowserAccessibilityFamilyAndAlerts(t *testing.T) {
	s := newA11ySession(t)
	pages, forms := a11yFlowerPages(t, s.ts)
	s.as("demo.socialworker")
	s.pages(pages, forms)
}

// Case management: cases, the care plan, referrals, hand-offs, the inbox.
func TestBrowserAccessibilityCases(t *testing.T) {
	s := newA11ySession(t)
	pages, forms := a11yCasePages(t, s.ts)
	s.as("demo.socialworker")
	s.pages(pages, forms)
}

// The import screens (upload, mapping with preview, progress and report),
// as a data officer.
func TestBrowserAccessibilityImports(t *testing.T) {
	s := newA11ySession(t)
	pages, forms := a11yImportPages(t, s.ts)
	s.as("demo.dataofficer")
	s.pages(pages, forms)
}

// The export screens and a FHIR bundle's mapping page, as a data officer.
func TestBrowserAccessibilityExports(t *testing.T) {
	s := newA11ySession(t)
	pages, forms := a11yExportPages(t)
	s.as("demo.dataofficer")
	s.pages(pages, forms)
}

// The record-linkage review queue and a pair, as a data officer.
func TestBrowserAccessibilityLinkage(t *testing.T) {
	s := newA11ySession(t)
	db := s.ts.openDB(t)
	pair := linkageTestPair(t, db, dataOfficerOrg(t, db))
	s.as("demo.dataofficer")
	s.pages([]string{"/linkage", "/linkage/pairs/" + pair}, nil)
}

// Data-subject rights as a social worker, and the data-protection
// officer's pages.
func TestBrowserAccessibilityPrivacy(t *testing.T) {
	s := newA11ySession(t)
	w := newPrivacyWorld(t, s.ts)
	w.breakGlass(t, "demo.nurse", w.near.ID)
	s.as("demo.socialworker")
	erase := "/people/" + w.aunt.ID + "/erase"
	s.pages([]string{"/people/" + w.child.ID, "/people/" + w.child.ID + "/rights", "/people/" + w.child.ID + "/export", erase},
		map[string]func(*tab){erase: func(b *tab) { // the erasure refused for want of confirmation
			b.open("/people/" + w.aunt.ID + "/rights")
			b.clickAndWait("#erase-submit")
		}})
	s.as("demo.dpo")
	s.pages([]string{"/privacy", "/privacy/glass", "/privacy/people/" + w.near.ID + "/access", "/privacy/chain"}, nil)
}

// The map and the committee report, as the demo's committee member of Lat
// Krabang (one district) and as the executive (the city).
func TestBrowserAccessibilityMapAndReport(t *testing.T) {
	s := newA11ySession(t)
	s.as("demo.committee")
	s.pages([]string{"/map", "/map?indicator=red_health", "/map?view=communities", "/reports/committee", "/map?indicator=nope"}, nil) // the last: a 400 page
	s.as("demo.executive")
	s.pages([]string{"/map", "/map?area=10-Z4&indicator=red_education"}, nil)
}

// The dashboards, as the demo's committee member (a district), the
// committee secretary (names of a cell) and the executive (the city).
func TestBrowserAccessibilityDashboards(t *testing.T) {
	s := newA11ySession(t)
	s.as("demo.committee")
	s.pages([]string{"/dashboards/1011", "/dashboards/1011?dimension=health&unseen=365", "/dashboards/1011?from=2026-06&to=2026-01"}, nil) // the last: a 400 page
	s.as("demo.executive")
	s.pages([]string{"/dashboards"}, nil)
}

// The mobile pages as the demo's community volunteer: today's visits (the
// demo has households to prepare), the offline visit app with a household
// on it, the list of conflicts and the side-by-side conflict screen.
func TestBrowserAccessibilityMobile(t *testing.T) {
	s := newA11ySession(t)
	w := newOfflineWorld(t, s.ts, "AX")
	vol, err := w.db.GetUserByUsername(t.Context(), "demo.volunteer")
	if err != nil {
		t.Fatal(err)
	}
	conflict := a11yConflict(t, w, vol.ID)
	s.as("demo.volunteer")
	s.b.open("/visits")
	if !s.b.has("#visit-candidates li") {
		s.b.fatalf("the demo volunteer has no households to prepare")
	}
	s.pages([]string{"/visits", "/visits/offline", "/visits/conflicts", "/visits/conflicts/" + conflict, "/profile"},
		map[string]func(*tab){"/visits/offline": func(b *tab) { b.prepareVisit(w) }})
	// A nurse's offline page: the child's service-record form open.
	s.as("demo.nurse")
	s.pages([]string{"/visits/offline"}, map[string]func(*tab){"/visits/offline": func(b *tab) {
		b.prepareVisit(w)
		b.do("open the child's record", chromedp.Click(chromedp.CSS("#ov-c-0-0 .ov-records summary"), chromedp.NodeVisible))
	}})
}

// The service-account pages of an organisation administrator: the list,
// the form and its error, an account, the token shown once, and the
// revoke and disable confirmations, and a token form sent again.
func TestBrowserAccessibilityServiceAccounts(t *testing.T) {
	s := newA11ySession(t)
	db := s.ts.openDB(t)
	org, err := db.GetOrganisationByCode(t.Context(), "LKB-HC45")
	if err != nil {
		t.Fatal(err)
	}
	sa, _, err := db.CreateServiceAccountWithToken(t.Context(), account.User{Username: "his.a11y", DisplayName: "ระบบ HIS ทดสอบ", Lang: "th",
		Memberships: []account.Membership{{OrganisationID: org.ID, RoleCode: account.RoleDataOfficer}}}, "nightly", 24*time.Hour, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	page := "/service-accounts/" + sa.ID
	s.as("demo.orgadmin")
	s.pages([]string{"/service-accounts", "/service-accounts/new", "/service-accounts/new#error", page, page + "#token",
		page + "/tokens/" + sa.Tokens[0].ID + "/revoke", page + "/disable", page + "#resent"},
		map[string]func(*tab){
			"/service-accounts/new#error": func(b *tab) { // a bad username, named on the form
				b.open("/service-accounts/new")
				b.fill("#display_name", "ระบบ")
				b.fill("#username", "X")
				jsEval[bool](b, `document.querySelector("form.stack").noValidate = true`)
				b.clickAndWait("#sa-create")
			},
			page + "#token": func(b *tab) { // a new token, shown once
				b.open(page)
				b.fill("#name", "a11y")
				b.clickAndWait("#sa-issue")
			},
			page + "#resent": func(b *tab) { // the token page reloaded: its form sent again, refused
				b.open(page)
				b.fill("#name", "a11y")
				b.clickAndWait("#sa-issue")
				if status := b.reload(); status != http.StatusConflict {
					b.fatalf("token form sent again: %d", status)
				}
			},
		})
}
