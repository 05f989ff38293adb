package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"termtem/internal/errs"
)

// HashParams are argon2id's cost settings. They are written into every PHC
// string, so raising them later does not break existing passwords.
type HashParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultHashParams follow OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane):
// about 30 ms here, slow for an attacker, bearable for a 2-core server.
var DefaultHashParams = HashParams{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
	// What VerifyPassword accepts from a stored hash.
	minSaltLen   = 8
	minKeyLen    = 16
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 100
	// MinPasswordLen and MaxPasswordLen follow ASVS 5: at least 8, at least 64
	// allowed; 128 leaves room for long Thai passphrases.
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// check refuses parameters argon2 would panic on (zero passes or lanes),
// silently change (less than 8 KiB per lane) or that would exhaust memory.
func (p HashParams) check() error {
	if p.Time < 1 || p.Time > maxTime || p.Threads < 1 || p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB {
		return fmt.Errorf("argon2id parameters out of range: m=%d, t=%d, p=%d", p.MemoryKiB, p.Time, p.Threads)
	}
	return nil
}

// HashPassword returns a PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$key.
func HashPassword(password string, p HashParams) (string, error) {
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC string, in time
// independent of where the two differ.
func VerifyPassword(password, phc string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, fmt.Errorf("not an argon2id PHC string")
	}
	if parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false, fmt.Errorf("unsupported argon2 version %q", parts[2])
	}
	var p HashParams
	// The parameters must read back exactly: no trailing text, no zero that
	// would make argon2 panic, no cost that would exhaust the server's memory.
	_, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads)
	if err != nil || parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", p.MemoryKiB, p.Time, p.Threads) || p.check() != nil {
		return false, fmt.Errorf("bad argon2 parameters %q", parts[3])
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < minSaltLen {
		return false, fmt.Errorf("bad salt")
	}
	// An empty or short key would make any password "match".
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < minKeyLen || len(want) > 64 {
		return false, fmt.Errorf("bad key")
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// CheckPasswordPolicy applies ASVS 5's rules: length only, no composition
// rules, and not a commonly used password or the username itself.
func CheckPasswordPolicy(password, username string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return errs.Field("password", "password.invalid_text", nil)
	case n < MinPasswordLen:
		return errs.Field("password", "password.too_short", map[string]any{"Min": MinPasswordLen})
	case n > MaxPasswordLen:
		return errs.Field("password", "password.too_long", map[string]any{"Max": MaxPasswordLen})
	case strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(username)):
		return errs.Field("password", "password.is_username", nil)
	case isCommonPassword(password):
		return errs.Field("password", "password.common", nil)
	}
	return nil
}
