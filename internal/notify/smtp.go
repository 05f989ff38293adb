package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"termtem/internal/store"
)

// SMTP sends e-mail through a relay.
type SMTP struct {
	Addr     string // host:port
	From     string
	Username string // empty: no AUTH
	Password string
	// RootCAs verify the relay's STARTTLS certificate (nil: the system's).
	RootCAs *x509.CertPool
}

// smtpTimeout bounds one whole conversation with the relay, so that a
// stuck relay cannot hold a claimed delivery past its lease.
const smtpTimeout = 30 * time.Second

// Send delivers one message to one address. It upgrades to TLS when the
// relay offers STARTTLS, and authenticates only when a user name is set
// (net/smtp refuses to send a password unencrypted except to localhost).
func (s *SMTP) Send(ctx context.Context, to string, msg []byte) error {
	if a, err := mail.ParseAddress(to); err != nil || a.Address != to {
		return errors.New("recipient address is not valid")
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, smtpTimeout)
	defer cancel()
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return err
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if err := c.Hello(helloName(s.From)); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, RootCAs: s.RootCAs}); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
	}
	if err := c.Mail(s.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	wc, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := wc.Write(msg); err != nil {
		return err
	}
	if err := wc.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// helloName greets with the sender's domain: some relays refuse
// "localhost".
func helloName(from string) string {
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i+1 < len(from) {
		return from[i+1:]
	}
	return "localhost"
}

// emailMessage is the whole message: the subject in Thai and English, and
// in the body each language's subject with the link. Nothing else: no
// name, no number, not even the recipient's own name.
func (w *Worker) emailMessage(d store.Delivery) []byte {
	th, en := w.Cat.T("th", d.Kind, nil), w.Cat.T("en", d.Kind, nil)
	link := w.link(d.Link)
	var body bytes.Buffer
	qp := quotedprintable.NewWriter(&body)
	fmt.Fprintf(qp, "%s\r\n%s: %s\r\n\r\n%s\r\n%s: %s\r\n", th, w.Cat.T("th", "notify.open", nil), link, en, w.Cat.T("en", "notify.open", nil), link)
	qp.Close()

	domain := helloName(w.Email.From)
	var m bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&m, "%s: %s\r\n", k, v) }
	header("From", w.Email.From)
	header("To", d.Email)
	header("Subject", mime.BEncoding.Encode("UTF-8", w.Cat.T("th", "app.name", nil)+": "+th+" / "+en))
	header("Date", time.Now().Format(time.RFC1123Z))
	// The delivery's ID: a relay retried after a lost answer sends the
	// same Message-ID, which lets mail systems drop the duplicate.
	header("Message-ID", "<"+d.ID+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	// No out-of-office replies to a machine (RFC 3834).
	header("Auto-Submitted", "auto-generated")
	m.WriteString("\r\n")
	m.Write(body.Bytes())
	return m.Bytes()
}
