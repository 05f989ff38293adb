package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"termtem/internal/audit"
	"termtem/internal/people"
)

// A social worker records a mother's consent for her child, prints the
// receipt, and records its withdrawal; a child cannot consent for itself.
func TestBrowserConsent(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	ctx := context.Background()
	db := ts.openDB(t)
	community, err := db.GetPlaceByCode(ctx, "101103-C03")
	if err != nil {
		t.Fatal(err)
	}
	hh, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID, Address: "5 ซอยร่มเกล้าพัฒนา"}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	child, err := db.CreatePerson(ctx, people.Person{GivenName: "ด.ช.ก้อง", FamilyName: "ทดสอบยินยอม", BirthDate: "2022-05-01",
		HouseholdID: hh.ID, Relation: people.RelChild}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, ts)
	if status := b.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		b.fatalf("login: %d", status)
	}
	b.open("/people/" + child.ID)
	b.clickAndWait("#consents-link")
	if !b.has("#no-consents") || !b.has("#no-disclosures") {
		b.fatalf("a new child has a ledger")
	}
	b.choose("#basis", "ความยินยอม")
	b.check(`input[name="purposes"][value="referral"]`)
	b.choose("#receiver_kind", "ศูนย์บริการสาธารณสุข")
	b.check(`input[name="dimensions"][value="health"]`)
	b.choose("#given_by", "ตัวเด็ก/ตนเอง")
	b.fill("#giver_name", "ก้อง")
	if status := b.clickAndWait("#consent-save"); status != http.StatusUnprocessableEntity || !b.has("#given_by-error") {
		b.fatalf("a four-year-old consenting: %d", status)
	}
	if !jsEval[bool](b, `document.querySelector('input[name="purposes"][value="referral"]').checked`) {
		b.fatalf("the form lost the purpose")
	}
	b.choose("#given_by", "มารดา")
	b.fill("#giver_name", "นางแก้ว ทดสอบยินยอม")
	if status := b.clickAndWait("#consent-save"); status != http.StatusOK {
		b.fatalf("record: %d", status)
	}
	item := b.text("#consents li")
	if !strings.Contains(item, "มีผลอยู่") || !strings.Contains(item, "นางแก้ว") || !strings.Contains(item, "สุขภาพ") {
		b.fatalf("ledger %q", item)
	}
	b.clickLinkAndWait("#consents", "ใบรับรองความยินยอม")
	if !strings.Contains(b.text("#receipt"), "ถอนความยินยอมได้ทุกเมื่อ") || !strings.Contains(b.text("#receipt"), "ทดสอบยินยอม") {
		b.fatalf("receipt %q", b.text("#receipt"))
	}
	b.open("/people/" + child.ID + "/consents")
	id := jsEval[string](b, `document.querySelector('#consents li').dataset.consent`)
	b.fill("#reason-"+id, "มารดาขอถอนความยินยอม")
	if status := b.clickAndWait("#withdraw-" + id); status != http.StatusOK {
		b.fatalf("withdraw: %d", status)
	}
	if got := b.text("#consents li"); !strings.Contains(got, "ถอนแล้ว") || !strings.Contains(got, "มารดาขอถอน") {
		b.fatalf("after withdrawal %q", got)
	}
}
