// Package notifytest gives tests the far ends of notification delivery: a
// small SMTP server on loopback that speaks just enough SMTP (EHLO,
// STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) for net/smtp and keeps what
// it receives, and a webhook receiver.
package notifytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one message the test SMTP server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	TLS  bool
	Auth string // "user:password" of AUTH PLAIN
}

// SMTPServer is the server. It offers STARTTLS when it has a TLS
// configuration, and AUTH PLAIN once the connection is encrypted.
type SMTPServer struct {
	Addr      string
	tls       *tls.Config
	rcptError string
	mu        sync.Mutex
	msgs      []Message
}

// StartSMTP listens on 127.0.0.1 until the test ends.
func StartSMTP(t testing.TB, tlsConfig *tls.Config) *SMTPServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &SMTPServer{Addr: ln.Addr().String(), tls: tlsConfig}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(conn) })
		}
	})
	return s
}

func (s *SMTPServer) serve(conn net.Conn) {
	defer func() { conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	tp := textproto.NewConn(conn)
	var m Message
	_ = tp.PrintfLine("220 test.example ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			ext := []string{"test.example"} // the greeting line
			if s.tls != nil && !m.TLS {
				ext = append(ext, "STARTTLS")
			}
			if m.TLS {
				ext = append(ext, "AUTH PLAIN")
			}
			for _, e := range ext {
				_ = tp.PrintfLine("250-%s", e)
			}
			_ = tp.PrintfLine("250 8BITMIME")
		case "STARTTLS":
			_ = tp.PrintfLine("220 go ahead")
			tc := tls.Server(conn, s.tls)
			if tc.Handshake() != nil {
				return
			}
			conn, tp, m.TLS = tc, textproto.NewConn(tc), true
		case "AUTH":
			b, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(arg, "PLAIN "))
			parts := strings.Split(string(b), "\x00")
			if len(parts) == 3 {
				m.Auth = parts[1] + ":" + parts[2]
			}
			_ = tp.PrintfLine("235 ok")
		case "MAIL":
			m.From = strings.Trim(strings.Fields(arg[len("FROM:"):])[0], "<>")
			_ = tp.PrintfLine("250 ok")
		case "RCPT":
			if e := s.refusal(); e != "" {
				_ = tp.PrintfLine("%s", e)
				continue
			}
			m.To = append(m.To, strings.Trim(arg[3:], "<>"))
			_ = tp.PrintfLine("250 ok")
		case "DATA":
			_ = tp.PrintfLine("354 go on")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			m.Data = data
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			_ = tp.PrintfLine("250 queued")
		case "QUIT":
			_ = tp.PrintfLine("221 bye")
			return
		default:
			_ = tp.PrintfLine("250 ok")
		}
	}
}

// Refuse answers every recipient with reply (an SMTP error line such as
// "550 5.1.1 …"), or, with "", accepts them again.
func (s *SMTPServer) Refuse(reply string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcptError = reply
}

func (s *SMTPServer) refusal() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcptError
}

// Messages returns what was received so far.
func (s *SMTPServer) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// SelfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func SelfSigned(t testing.TB) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test relay"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// Call is one request a Gateway received.
type Call struct {
	Header http.Header
	Body   []byte
}

// Gateway stands for the operator's webhook receiver: it answers 204 and
// hands every call to Calls.
type Gateway struct {
	URL   string
	Calls chan Call
}

// StartGateway listens on 127.0.0.1 until the test ends.
func StartGateway(t testing.TB) *Gateway {
	t.Helper()
	g := &Gateway{Calls: make(chan Call, 100)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		g.Calls <- Call{r.Header.Clone(), b}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	g.URL = srv.URL
	return g
}

// Next waits for the next call, or fails the test after wait.
func (g *Gateway) Next(t testing.TB, wait time.Duration) Call {
	t.Helper()
	select {
	case c := <-g.Calls:
		return c
	case <-time.After(wait):
		t.Fatalf("no webhook call within %s", wait)
		return Call{}
	}
}
