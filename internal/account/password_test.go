package account_test

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"termtem/internal/account"
	"termtem/internal/errs"
)

// cheap is a low argon2id cost for tests; the code path is the real one.
var cheap = account.HashParams{MemoryKiB: 1024, Time: 1, Threads: 1}

func TestCheckPasswordPolicy(t *testing.T) {
	tests := []struct {
		name     string
		password string
		username string
		message  string // empty: accepted
	}{
		{"7 characters", "abcdefg", "nurse", "password.too_short"},
		{"empty", "", "nurse", "password.too_short"},
		{"8 characters", "kx8#vq2m", "nurse", ""},
		{"common", "password", "nurse", "password.common"},
		{"common, other case", "PassWord123", "nurse", "password.common"},
		{"common Thai choice", "bangkok123", "nurse", "password.common"},
		{"username as password", "nurse.somchai", "nurse.somchai", "password.is_username"},
		{"username as password, other case", "Nurse.Somchai", "nurse.somchai", "password.is_username"},
		{"64 characters", strings.Repeat("correct horse ", 4) + strings.Repeat("x", 8), "nurse", ""},
		{"128 characters", strings.Repeat("ab", 64), "nurse", ""},
		{"129 characters", strings.Repeat("ab", 64) + "c", "nurse", "password.too_long"},
		{"128 Thai characters", strings.Repeat("กข", 64), "nurse", ""},
		{"Thai passphrase", "แมวดำนอนบนหลังคาบ้าน", "nurse", ""},
		{"short Thai counted in characters, not bytes", "แมวดำ", "nurse", "password.too_short"},
		{"8 Thai characters", "กขคงจฉชซ", "nurse", ""},
		{"no composition rules: lower-case words", "tomyum kung nam khon", "nurse", ""},
		{"emoji and spaces", "🐘 ช้าง elephant 🐘", "nurse", ""},
		{"invalid UTF-8", "abcdefgh\xff", "nurse", "password.invalid_text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := account.CheckPasswordPolicy(tt.password, tt.username)
			if tt.message == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := errs.As(err)
			if err == nil || e.Code != errs.Invalid || e.Field != "password" || e.MessageID != tt.message {
				t.Fatalf("got %v, want invalid password %s", err, tt.message)
			}
		})
	}
}

var phcShape = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

func TestHashAndVerifyPassword(t *testing.T) {
	for _, pw := range []string{"kx8#vq2m", "แมวดำนอนบนหลังคาบ้าน", strings.Repeat("long ", 50)} {
		phc, err := account.HashPassword(pw, cheap)
		if err != nil {
			t.Fatal(err)
		}
		m := phcShape.FindStringSubmatch(phc)
		if m == nil {
			t.Fatalf("hash %q is not a PHC argon2id string", phc)
		}
		if m[1] != "1024" || m[2] != "1" || m[3] != "1" {
			t.Errorf("parameters m=%s,t=%s,p=%s, want the ones asked for", m[1], m[2], m[3])
		}
		salt, _ := base64.RawStdEncoding.DecodeString(m[4])
		key, _ := base64.RawStdEncoding.DecodeString(m[5])
		if len(salt) != 16 || len(key) != 32 {
			t.Errorf("salt %d bytes, key %d bytes; want 16 and 32", len(salt), len(key))
		}
		if ok, err := account.VerifyPassword(pw, phc); !ok || err != nil {
			t.Errorf("VerifyPassword(right) = %v, %v", ok, err)
		}
		if ok, err := account.VerifyPassword(pw+" ", phc); ok || err != nil {
			t.Errorf("VerifyPassword(wrong) = %v, %v", ok, err)
		}
		again, _ := account.HashPassword(pw, cheap)
		if again == phc {
			t.Error("two hashes of one password are equal: the salt is not random")
		}
	}
	// The default cost is written into the string, so it can be raised later.
	phc, err := account.HashPassword("kx8#vq2m", account.DefaultHashParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("default hash %q", phc)
	}
	if ok, _ := account.VerifyPassword("kx8#vq2m", phc); !ok {
		t.Error("default-cost hash does not verify")
	}
}

func TestVerifyPasswordTampered(t *testing.T) {
	const pw = "kx8#vq2m"
	phc, err := account.HashPassword(pw, cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(phc, "$")
	flip := func(s string) string { // change the first base64 character
		c := "A"
		if s[0] == 'A' {
			c = "B"
		}
		return c + s[1:]
	}
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	// Still well-formed, but no longer this password's hash.
	for name, h := range map[string]string{
		"key changed":        with(5, flip(parts[5])),
		"salt changed":       with(4, flip(parts[4])),
		"cost changed":       with(3, "m=2048,t=1,p=1"),
		"key of another one": with(5, strings.Split(mustHash(t, "another password"), "$")[5]),
	} {
		if ok, err := account.VerifyPassword(pw, h); ok || err != nil {
			t.Errorf("%s: VerifyPassword = %v, %v; want false, nil", name, ok, err)
		}
	}
	// Malformed: an error, never a match, never a panic.
	for name, h := range map[string]string{
		"empty":              "",
		"bcrypt":             "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":            strings.Replace(phc, "$argon2id$", "$argon2i$", 1),
		"version 16":         with(2, "v=16"),
		"text before":        "x" + phc,
		"no key":             with(5, ""),
		"short key":          with(5, base64.RawStdEncoding.EncodeToString([]byte("short"))),
		"no salt":            with(4, ""),
		"zero passes":        with(3, "m=1024,t=0,p=1"),
		"zero lanes":         with(3, "m=1024,t=1,p=0"),
		"too little memory":  with(3, "m=4,t=1,p=1"),
		"absurd memory":      with(3, "m=4294967295,t=1,p=1"),
		"trailing parameter": with(3, "m=1024,t=1,p=1,x=2"),
		"key not base64":     with(5, "!!!!"),
		"too many parts":     phc + "$x",
	} {
		ok, err := account.VerifyPassword(pw, h)
		if ok || err == nil {
			t.Errorf("%s: VerifyPassword = %v, %v; want false and an error", name, ok, err)
		}
	}
}

func TestHashPasswordRefusesBadParameters(t *testing.T) {
	for _, p := range []account.HashParams{{MemoryKiB: 1024, Time: 0, Threads: 1}, {MemoryKiB: 1024, Time: 1, Threads: 0}, {MemoryKiB: 4, Time: 1, Threads: 1}} {
		if h, err := account.HashPassword("kx8#vq2m", p); err == nil {
			t.Errorf("HashPassword(%+v) = %q, want an error", p, h)
		}
	}
}

func mustHash(t *testing.T, pw string) string {
	t.Helper()
	h, err := account.HashPassword(pw, cheap)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
