// Package pushtest is a push service for tests: an HTTP server on loopback
// that plays a browser's push endpoint. It checks the VAPID signature and
// decrypts each message with the subscription's private key, written here
// from RFC 8291 independently of the sender.
package pushtest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"termtem/internal/push"
)

// Message is one message the endpoint received and opened.
type Message struct {
	Payload  []byte
	Audience string // the VAPID token's aud claim
	Subject  string // its sub claim
	TTL      string
}

// Endpoint is a browser's push endpoint.
type Endpoint struct {
	URL    string
	key    *ecdh.PrivateKey
	auth   []byte
	mu     sync.Mutex
	msgs   []Message
	errs   []error
	status int // answer to give (0: 201)
	got    chan struct{}
}

// New starts an endpoint with fresh subscription keys; it stops when the
// test ends.
func New(t *testing.T) *Endpoint {
	t.Helper()
	key, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e := &Endpoint{key: key, auth: make([]byte, 16), got: make(chan struct{}, 100)}
	_, _ = rand.Read(e.auth)
	srv := httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(srv.Close)
	e.URL = srv.URL + "/push/" + base64.RawURLEncoding.EncodeToString(e.auth[:6])
	return e
}

// Subscription is what the browser would hand the application.
func (e *Endpoint) Subscription() push.Subscription {
	return push.Subscription{Endpoint: e.URL, P256dh: base64.RawURLEncoding.EncodeToString(e.key.PublicKey().Bytes()),
		Auth: base64.RawURLEncoding.EncodeToString(e.auth)}
}

// Answer makes the endpoint answer every message with status (410: the
// subscription is gone).
func (e *Endpoint) Answer(status int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status = status
}

// Messages returns what arrived so far, and the faults of messages that
// could not be verified or opened.
func (e *Endpoint) Messages() ([]Message, []error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Message(nil), e.msgs...), append([]error(nil), e.errs...)
}

// Wait waits until n messages (good or bad) arrived, or d passed.
func (e *Endpoint) Wait(n int, d time.Duration) bool {
	deadline := time.After(d)
	for {
		e.mu.Lock()
		have := len(e.msgs) + len(e.errs)
		e.mu.Unlock()
		if have >= n {
			return true
		}
		select {
		case <-e.got:
		case <-deadline:
			return false
		}
	}
}

func (e *Endpoint) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8192))
	m, err := e.open(r, body)
	e.mu.Lock()
	if err != nil {
		e.errs = append(e.errs, err)
	} else {
		e.msgs = append(e.msgs, m)
	}
	status := e.status
	e.mu.Unlock()
	e.got <- struct{}{}
	if status == 0 {
		status = http.StatusCreated
	}
	if err != nil && status < 300 {
		status = http.StatusBadRequest
	}
	w.WriteHeader(status)
}

func (e *Endpoint) open(r *http.Request, body []byte) (Message, error) {
	var m Message
	if r.Method != http.MethodPost || r.Header.Get("Content-Encoding") != "aes128gcm" {
		return m, fmt.Errorf("%s with Content-Encoding %q", r.Method, r.Header.Get("Content-Encoding"))
	}
	m.TTL = r.Header.Get("TTL")
	aud, sub, err := verifyVAPID(r.Header.Get("Authorization"))
	if err != nil {
		return m, err
	}
	if want := "http://" + r.Host; aud != want {
		return m, fmt.Errorf("VAPID aud %q, want %q", aud, want)
	}
	m.Audience, m.Subject = aud, sub
	m.Payload, err = e.decrypt(body)
	return m, err
}

// decrypt opens an aes128gcm body (RFC 8188 header, RFC 8291 keys).
func (e *Endpoint) decrypt(body []byte) ([]byte, error) {
	if len(body) < 21 {
		return nil, errors.New("body too short")
	}
	salt, rs, idlen := body[:16], binary.BigEndian.Uint32(body[16:20]), int(body[20])
	if rs < 18 || idlen != 65 || len(body) < 21+idlen {
		return nil, fmt.Errorf("header: rs %d, idlen %d", rs, idlen)
	}
	asPublic := body[21 : 21+idlen]
	ciphertext := body[21+idlen:]
	as, err := ecdh.P256().NewPublicKey(asPublic)
	if err != nil {
		return nil, err
	}
	secret, err := e.key.ECDH(as)
	if err != nil {
		return nil, err
	}
	prkKey, _ := hkdf.Extract(sha256.New, secret, e.auth)
	ikm, _ := hkdf.Expand(sha256.New, prkKey, "WebPush: info\x00"+string(e.key.PublicKey().Bytes())+string(asPublic), 32)
	prk, _ := hkdf.Extract(sha256.New, ikm, salt)
	cek, _ := hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16)
	nonce, _ := hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, nonce, ciphertext, nil)
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	// Strip the padding back to the last record's delimiter (2).
	i := len(plain) - 1
	for i >= 0 && plain[i] == 0 {
		i--
	}
	if i < 0 || plain[i] != 2 {
		return nil, errors.New("no last-record delimiter")
	}
	return plain[:i], nil
}

// verifyVAPID checks "vapid t=JWT, k=KEY" (RFC 8292): an ES256 JWT signed by
// the key k, not expired, expiring within 24 hours.
func verifyVAPID(h string) (aud, sub string, err error) {
	rest, ok := strings.CutPrefix(h, "vapid ")
	if !ok {
		return "", "", fmt.Errorf("authorization %q is not vapid", h)
	}
	var token, key string
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			token = v
		case "k":
			key = v
		}
	}
	pub, err := base64.RawURLEncoding.DecodeString(key)
	if err != nil {
		return "", "", fmt.Errorf("vapid k: %w", err)
	}
	pk, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), pub)
	if err != nil {
		return "", "", fmt.Errorf("vapid k: %w", err)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", "", errors.New("vapid t is not a JWT")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return "", "", errors.New("vapid signature is not 64 bytes")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pk, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return "", "", errors.New("vapid signature does not verify")
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var header struct{ Alg string }
	if json.Unmarshal(hdr, &header) != nil || header.Alg != "ES256" {
		return "", "", fmt.Errorf("vapid header %s", hdr)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Aud string
		Exp int64
		Sub string
	}
	if err := json.Unmarshal(raw, &claims); err != nil {
		return "", "", err
	}
	now := time.Now().Unix()
	if claims.Exp <= now || claims.Exp > now+24*3600 {
		return "", "", fmt.Errorf("vapid exp %d out of range", claims.Exp)
	}
	if !strings.HasPrefix(claims.Sub, "mailto:") && !strings.HasPrefix(claims.Sub, "https:") && !strings.HasPrefix(claims.Sub, "http:") {
		return "", "", fmt.Errorf("vapid sub %q", claims.Sub)
	}
	return claims.Aud, claims.Sub, nil
}
