package account

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// TOTP follows RFC 6238 with the parameters every authenticator app
// understands: 30-second steps, 6 digits, HMAC-SHA-1. Codes of the step
// before and after the current one are accepted too (clock drift of the
// phone), which is why a used step must be remembered: otherwise a code
// seen over a shoulder would work for another minute.
const (
	TOTPPeriod = 30
	TOTPDigits = 6
	TOTPSkew   = 1
	// RecoveryCodeCount codes are made at enrolment, each usable once.
	RecoveryCodeCount = 10
	totpIssuer        = "Termtem"
)

var hotpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPKey makes a random 160-bit secret (RFC 4226's recommended size)
// and its otpauth:// URL for the authenticator app.
func NewTOTPKey(username string) (secret, url string, err error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: username, Period: TOTPPeriod, SecretSize: 20,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return k.Secret(), k.URL(), nil
}

// TOTPURL is the otpauth:// URL of an existing secret.
func TOTPURL(username, secret string) string {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: username, Period: TOTPPeriod,
		Secret: decodeSecret(secret), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return ""
	}
	return k.URL()
}

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

func decodeSecret(secret string) []byte {
	b, _ := base32NoPad.DecodeString(strings.ToUpper(secret))
	return b
}

// TOTPQRCode returns the otpauth URL as a PNG QR code, for the phone's
// camera; the same secret is shown as text beside it.
func TOTPQRCode(url string) ([]byte, error) {
	k, err := otp.NewKeyFromURL(url)
	if err != nil {
		return nil, err
	}
	img, err := k.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TOTPStep is the RFC 6238 time step of t.
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// TOTPCode is the code of one time step (tests, the demo harness).
func TOTPCode(secret string, step int64) (string, error) {
	return hotp.GenerateCodeCustom(secret, uint64(step), hotpOpts)
}

// MatchTOTP returns the step within ±TOTPSkew of now whose code is code,
// or 0. Every candidate is computed and compared in constant time, so the
// answer's timing does not tell which step matched.
func MatchTOTP(secret, code string, now time.Time) int64 {
	code = strings.TrimSpace(code)
	if len(code) != TOTPDigits {
		return 0
	}
	var found int64
	cur := TOTPStep(now)
	for s := cur - TOTPSkew; s <= cur+TOTPSkew; s++ {
		want, err := TOTPCode(secret, s)
		if err != nil {
			return 0
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			found = s
		}
	}
	return found
}

// NewRecoveryCodes returns RecoveryCodeCount codes of 80 random bits each,
// written in groups of four from the unambiguous alphabet, and their
// hashes. A fast hash is enough: the codes are random, not chosen.
func NewRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		var raw [16]byte
		rand.Read(raw[:]) // crypto/rand never fails
		var b strings.Builder
		for i, r := range raw {
			if i > 0 && i%4 == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[r%32])
		}
		codes = append(codes, b.String())
		hashes = append(hashes, HashRecoveryCode(b.String()))
	}
	return codes, hashes
}

// recoveryAlphabet has 32 letters and digits none of which look alike.
const recoveryAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// HashRecoveryCode hashes a code as typed: case, spaces and dashes do not
// matter, so that a code copied from paper works however it was written.
func HashRecoveryCode(code string) string {
	norm := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte("termtem-recovery:" + norm))
	return hex.EncodeToString(sum[:])
}

// LooksLikeTOTP tells a six-digit code from a recovery code.
func LooksLikeTOTP(code string) bool {
	code = strings.TrimSpace(code)
	if len(code) != TOTPDigits {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// QRDataURL is a PNG as a data: URL (the page's policy allows data: images,
// and the secret then never sits at an address of its own).
func QRDataURL(png []byte) string {
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
}
