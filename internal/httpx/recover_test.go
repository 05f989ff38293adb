package httpx_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"termtem/internal/httpx"
)

// A panic carrying personal data reaches neither the client nor the log.
func TestRecoverKeepsThePanicValueSecret(t *testing.T) {
	const canary = "CANARY-นางสาวมะลิ-HIV-1100900359657"
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	h := httpx.Logging(log, nil, httpx.Recover(log, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(errors.New("record of " + canary))
	})))
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/people/x")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d", resp.StatusCode)
	}
	id := resp.Header.Get("X-Request-ID")
	if id == "" || !strings.Contains(string(body), id) {
		t.Fatalf("the answer lacks the reference: %q", body)
	}
	if strings.Contains(string(body), canary) || strings.Contains(logs.String(), canary) || strings.Contains(logs.String(), "มะลิ") {
		t.Fatalf("the panic's value leaked:\nbody %q\nlog %s", body, logs.String())
	}
	if !strings.Contains(logs.String(), "handler panicked") || !strings.Contains(logs.String(), id) {
		t.Fatalf("the panic was not logged with its reference: %s", logs.String())
	}
}
