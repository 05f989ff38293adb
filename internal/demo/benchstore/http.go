package benchstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
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

// What the HTTP benchmarks share: who calls, how a call is checked, the
// bare handler they measure themselves against, and how their latencies
// are summed up.

// Caller is a city-wide health-centre worker of the benchmark store.
type Caller struct {
	OrgCode, OrgNameTH, OrgNameEN string
	Username, DisplayName         string
	Password                      string
	Roles                         []string // in the organisation
}

// Token makes (once per store) the caller's organisation, covering all of
// Bangkok (a district's unit sees only its district: the access policy),
// and the caller, and returns a new bearer token and the organisation's ID.
func Token(b *testing.B, db *store.DB, c Caller) (token, orgID string) {
	b.Helper()
	ctx := context.Background()
	actor := audit.Event{RequestID: "bench"}
	org, err := db.GetOrganisationByCode(ctx, c.OrgCode)
	if errs.Is(err, errs.NotFound) {
		city, perr := db.GetPlaceByCode(ctx, "10")
		if perr != nil {
			b.Fatal(perr)
		}
		org, err = db.SaveOrganisation(ctx, organisations.Organisation{Code: c.OrgCode, Kind: organisations.HealthCentre,
			NameTH: c.OrgNameTH, NameEN: c.OrgNameEN, PlaceID: city.ID, Active: true}, actor)
	}
	if err != nil {
		b.Fatal(err)
	}
	u, err := db.GetUserByUsername(ctx, c.Username)
	if errs.Is(err, errs.NotFound) {
		svc, aerr := auth.New(db, account.SessionRules{Idle: time.Hour, Absolute: time.Hour}, storetest.FastHash())
		if aerr != nil {
			b.Fatal(aerr)
		}
		var ms []account.Membership
		for _, role := range c.Roles {
			ms = append(ms, account.Membership{OrganisationID: org.ID, RoleCode: role})
		}
		u, err = svc.CreateUser(ctx, account.User{Username: c.Username, DisplayName: c.DisplayName, Kind: account.StaffAccount, Lang: "th",
			Memberships: ms}, c.Password, actor)
	}
	if err != nil {
		b.Fatal(err)
	}
	token, _, err = db.CreateAPIToken(ctx, u.ID, "bench", 24*time.Hour, actor)
	if err != nil {
		b.Fatal(err)
	}
	return token, org.ID
}

// Call sends one request with the bearer token (and body as JSON when
// given), reads the whole answer and fails unless its status is want.
func Call(hc *http.Client, token, method, url string, body []byte, want int) error {
	var rdr io.Reader
	if body != nil {
		rdr = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rdr)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d %.300s", method, url, resp.StatusCode, got)
	}
	return nil
}

// BareJSON is the ceiling the API is measured against: decode a small
// JSON body, answer a fixed JSON object about the size of a person.
func BareJSON(w http.ResponseWriter, r *http.Request) {
	var in struct {
		NationalID string `json:"national_id"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"id": "0195f3a2-0000-7000-8000-000000000000", "version": 1,
		"national_id": in.NationalID, "title": "เด็กหญิง", "given_name": "ณัฐธิดา", "family_name": "ใจดี", "sex": "female",
		"birth_date": "2019-11-30", "nationality": "thai", "life_stage": "primary", "community_code": "101103-G001"})
}

// By splits the latencies by the kind of each call (kind gets its index).
func (l Latencies) By(kind func(i int) string) map[string]Latencies {
	out := map[string]Latencies{}
	for i, d := range l {
		k := kind(i)
		out[k] = append(out[k], d)
	}
	return out
}

// ReportAs adds p50, p95 and p99 in milliseconds as name-pNN-ms metrics
// (pNN-ms without a name).
func (l Latencies) ReportAs(b *testing.B, name string) {
	if name != "" {
		name += "-"
	}
	for _, p := range []float64{50, 95, 99} {
		b.ReportMetric(ms(l.Percentile(p)), name+"p"+strconv.Itoa(int(p))+"-ms")
	}
}

// Summary is a line for b.Logf: the count and p50, p95 and p99 in ms.
func (l Latencies) Summary() string {
	return fmt.Sprintf("n=%6d p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms", len(l), ms(l.Percentile(50)), ms(l.Percentile(95)), ms(l.Percentile(99)))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
