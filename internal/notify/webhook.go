package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"termtem/internal/store"
)

// Headers of a webhook call.
const (
	HeaderTimestamp = "X-Termtem-Timestamp"
	HeaderSignature = "X-Termtem-Signature"
)

// Payload is the JSON body of a webhook call: what happened (kind and its
// Thai subject) and where to look, never whom it is about. ID stays the
// same across retries, so a gateway can drop a call it already handled.
type Payload struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Subject   string    `json:"subject"`
	Link      string    `json:"link"`
	CreatedAt time.Time `json:"created_at"`
}

// Webhook posts signed calls to the operator's gateway.
type Webhook struct {
	URL    string
	Secret string
	Client *http.Client // nil: a client with a 15-second timeout
}

func (w *Worker) payload(d store.Delivery) Payload {
	return Payload{ID: d.ID, Kind: d.Kind, Subject: w.Cat.T("th", d.Kind, nil), Link: w.link(d.Link), CreatedAt: d.CreatedAt.UTC()}
}

// Send posts p; any answer but 2xx is a failure to retry.
func (h *Webhook) Send(ctx context.Context, p Payload) error {
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Termtem-Webhook/1")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, "sha256="+Sign(h.Secret, ts, body))
	client := h.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second,
			// A redirect would re-send the body somewhere the operator did
			// not configure.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook answered %d", resp.StatusCode)
	}
	return nil
}

// Sign is the hex HMAC-SHA256 of timestamp + "." + body under secret: the
// signature a receiver recomputes to check that a call came from Termtem
// and was not altered.
func Sign(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write([]byte("."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks a received call's signature and that its timestamp is
// within maxAge of now (so that a recorded call cannot be replayed later),
// for gateways written in Go and for tests.
func Verify(secret string, h http.Header, body []byte, now time.Time, maxAge time.Duration) error {
	ts := h.Get(HeaderTimestamp)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("missing or malformed timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > maxAge || d < -maxAge {
		return errors.New("timestamp too far from now")
	}
	want := "sha256=" + Sign(secret, ts, body)
	if !hmac.Equal([]byte(h.Get(HeaderSignature)), []byte(want)) {
		return errors.New("signature does not match")
	}
	return nil
}
