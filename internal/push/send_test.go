package push_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"termtem/internal/push"
	"termtem/internal/push/pushtest"
)

func newSender(t *testing.T) *push.Sender {
	scalar := make([]byte, 32)
	_, _ = rand.Read(scalar)
	scalar[0] &= 0x7f // below the group order
	keys, err := push.NewKeys(scalar)
	if err != nil {
		t.Fatal(err)
	}
	return &push.Sender{Keys: keys, Subject: "mailto:ops@example.org", Allowed: func(u *url.URL) bool { return u.Hostname() == "127.0.0.1" }}
}

// A message reaches a local push endpoint, which verifies the VAPID
// signature and decrypts it with the subscription's private key.
func TestSendToLocalEndpoint(t *testing.T) {
	ep := pushtest.New(t)
	s := newSender(t)
	want := `{"title":"แพลตฟอร์มเติมเต็ม","body":"มีการแจ้งเตือนใหม่ 1 รายการ","link":"/notifications"}`
	if err := s.Send(context.Background(), ep.Subscription(), []byte(want)); err != nil {
		t.Fatal(err)
	}
	msgs, faults := ep.Messages()
	if len(faults) > 0 || len(msgs) != 1 {
		t.Fatalf("messages %d, faults %v", len(msgs), faults)
	}
	if got := string(msgs[0].Payload); got != want {
		t.Errorf("payload %q", got)
	}
	if msgs[0].Subject != "mailto:ops@example.org" || msgs[0].TTL != "86400" {
		t.Errorf("claims/headers %+v", msgs[0])
	}

	// A subscription the push service no longer knows is reported gone.
	ep.Answer(http.StatusGone)
	if err := s.Send(context.Background(), ep.Subscription(), []byte("x")); !errors.Is(err, push.ErrGone) {
		t.Errorf("410: %v, want ErrGone", err)
	}
	ep.Answer(http.StatusInternalServerError)
	if err := s.Send(context.Background(), ep.Subscription(), []byte("x")); err == nil || errors.Is(err, push.ErrGone) {
		t.Errorf("500: %v", err)
	}
	if !ep.Wait(3, time.Second) {
		t.Error("endpoint did not see three messages")
	}
}

// The server posts only to allowed push services: an endpoint is chosen by
// a browser, and must not make the server call any address.
func TestSendRefusesEndpointNotAllowed(t *testing.T) {
	s := newSender(t)
	s.Allowed = func(u *url.URL) bool { return u.Hostname() == "push.example.org" }
	ep := pushtest.New(t)
	if err := s.Send(context.Background(), ep.Subscription(), []byte("x")); err == nil {
		t.Fatal("sent to an endpoint that is not allowed")
	}
	if msgs, faults := ep.Messages(); len(msgs)+len(faults) != 0 {
		t.Errorf("endpoint was called")
	}
}

func TestParseKeys(t *testing.T) {
	s := newSender(t)
	if len(s.Keys.PublicKey()) != 87 { // 65 bytes in base64url
		t.Errorf("public key %q", s.Keys.PublicKey())
	}
	for _, bad := range []string{"", "abc", "AAAA"} {
		if _, err := push.ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		}
	}
	k, err := push.ParseKeys("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")
	if err != nil {
		t.Fatal(err)
	}
	if got := k.PublicKey(); got != "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8" {
		t.Errorf("public key of the RFC's private key: %q", got)
	}
}
