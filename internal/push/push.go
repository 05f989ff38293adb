// Package push sends Web Push messages: encrypted to the browser's keys
// (RFC 8291, aes128gcm content coding of RFC 8188) and signed with the
// server's VAPID key (RFC 8292), using the standard library only. What a
// message says is the caller's business; Termtem sends a short text that
// names nobody and a link.
package push

import (
	"bytes"
	"context"
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
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Subscription is what a browser's PushManager gives: where to send, and
// the keys to encrypt to (base64url, as the browser encodes them).
type Subscription struct {
	Endpoint string
	P256dh   string
	Auth     string
}

// Keys is the server's VAPID key pair.
type Keys struct {
	private *ecdsa.PrivateKey
}

// NewKeys makes a key pair from a raw P-256 private scalar (32 bytes).
func NewKeys(scalar []byte) (*Keys, error) {
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), scalar)
	if err != nil {
		return nil, fmt.Errorf("VAPID private key: %w", err)
	}
	return &Keys{private: k}, nil
}

// ParseKeys reads a private key in the form web-push tools print: the
// 32-byte scalar in base64url (padding optional).
func ParseKeys(s string) (*Keys, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(s), "="))
	if err != nil || len(b) != 32 {
		return nil, errors.New("VAPID private key: want 32 bytes in base64url")
	}
	return NewKeys(b)
}

// PublicKey is the application server key browsers subscribe with: the
// uncompressed point in base64url.
func (k *Keys) PublicKey() string {
	b, _ := k.private.PublicKey.Bytes()
	return base64.RawURLEncoding.EncodeToString(b)
}

// ErrGone means the push service no longer knows the subscription (the
// user revoked the permission, the browser was reset): delete it.
var ErrGone = errors.New("push subscription expired or unsubscribed")

// Sender posts messages to push services.
type Sender struct {
	Keys *Keys
	// Subject is the operator's contact (mailto: or https:), sent in the
	// VAPID claims so that a push service can reach the operator.
	Subject string
	Client  *http.Client
	// Allowed says whether the server may post to an endpoint's host:
	// endpoints come from browsers, and the server must not be made to
	// call arbitrary addresses.
	Allowed func(*url.URL) bool
	now     func() time.Time
}

// TTL is how long a push service keeps a message for a phone that is off.
const TTL = 24 * time.Hour

// recordSize is the aes128gcm record size announced in the header; one
// record holds the whole (short) message.
const recordSize = 4096

// Send encrypts payload to the subscription and posts it.
func (s *Sender) Send(ctx context.Context, sub Subscription, payload []byte) error {
	u, err := url.Parse(sub.Endpoint)
	if err != nil || u.Host == "" || (s.Allowed != nil && !s.Allowed(u)) {
		return errors.New("push endpoint not allowed")
	}
	body, err := Encrypt(payload, sub.P256dh, sub.Auth)
	if err != nil {
		return err
	}
	jwt, err := s.vapidToken(u.Scheme + "://" + u.Host)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.Endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "vapid t="+jwt+", k="+s.Keys.PublicKey())
	req.Header.Set("Content-Encoding", "aes128gcm")
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("TTL", fmt.Sprint(int(TTL.Seconds())))
	req.Header.Set("Urgency", "normal")
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return ErrGone
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return fmt.Errorf("push service answered %d", resp.StatusCode)
	}
	return nil
}

// vapidToken is the ES256-signed JWT of RFC 8292 for one push service.
func (s *Sender) vapidToken(audience string) (string, error) {
	now := time.Now
	if s.now != nil {
		now = s.now
	}
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"ES256"}`))
	claims, err := json.Marshal(map[string]any{"aud": audience, "exp": now().Add(12 * time.Hour).Unix(), "sub": s.Subject})
	if err != nil {
		return "", err
	}
	signing := header + "." + enc.EncodeToString(claims)
	digest := sha256.Sum256([]byte(signing))
	r, sig, err := ecdsa.Sign(rand.Reader, s.Keys.private, digest[:])
	if err != nil {
		return "", err
	}
	raw := make([]byte, 64)
	r.FillBytes(raw[:32])
	sig.FillBytes(raw[32:])
	return signing + "." + enc.EncodeToString(raw), nil
}

// Encrypt encrypts a message to a browser's keys as RFC 8291 describes:
// an ephemeral ECDH key agreed with the browser's p256dh key, mixed with its
// auth secret, gives the content key and nonce of one aes128gcm record.
func Encrypt(payload []byte, p256dh, auth string) ([]byte, error) {
	uaPublic, err := decodeKey(p256dh)
	if err != nil {
		return nil, fmt.Errorf("p256dh: %w", err)
	}
	authSecret, err := decodeKey(auth)
	if err != nil || len(authSecret) != 16 {
		return nil, errors.New("auth: want 16 bytes")
	}
	as, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	return encrypt(payload, uaPublic, authSecret, as, salt)
}

// encrypt is Encrypt with the sender's ephemeral key and the salt given
// (the RFC's worked example fixes both).
func encrypt(payload, uaPublic, authSecret []byte, as *ecdh.PrivateKey, salt []byte) ([]byte, error) {
	ua, err := ecdh.P256().NewPublicKey(uaPublic)
	if err != nil {
		return nil, fmt.Errorf("p256dh: %w", err)
	}
	asPublic := as.PublicKey().Bytes()
	secret, err := as.ECDH(ua)
	if err != nil {
		return nil, err
	}
	cek, nonce, err := contentKeys(secret, authSecret, uaPublic, asPublic, salt)
	if err != nil {
		return nil, err
	}
	if len(payload)+1+16 > recordSize {
		return nil, errors.New("push message too long")
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	// The last (only) record ends with the delimiter 2.
	plain := append(append([]byte{}, payload...), 2)
	header := make([]byte, 0, 16+4+1+len(asPublic))
	header = append(header, salt...)
	header = binary.BigEndian.AppendUint32(header, recordSize)
	header = append(header, byte(len(asPublic)))
	header = append(header, asPublic...)
	return gcm.Seal(header, nonce, plain, nil), nil
}

// contentKeys derives the content-encryption key and nonce (RFC 8291 §3.4).
func contentKeys(ecdhSecret, authSecret, uaPublic, asPublic, salt []byte) (cek, nonce []byte, err error) {
	prkKey, err := hkdf.Extract(sha256.New, ecdhSecret, authSecret)
	if err != nil {
		return nil, nil, err
	}
	keyInfo := "WebPush: info\x00" + string(uaPublic) + string(asPublic)
	ikm, err := hkdf.Expand(sha256.New, prkKey, keyInfo, 32)
	if err != nil {
		return nil, nil, err
	}
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, nil, err
	}
	if cek, err = hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16); err != nil {
		return nil, nil, err
	}
	nonce, err = hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	return cek, nonce, err
}

func decodeKey(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}
