package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// KeyFile returns the key kept in dir/name, making a random one (owner
// read-only) on first use. Keys live beside the database file, never in
// it, so that the database alone — a copy, a backup — does not hold them;
// deployments that back up the directory should set the keys from a
// secret store instead (TERMTEM_DATA_KEY_FILE, TERMTEM_AUDIT_KEY_FILE).
func KeyFile(dir, name string) ([]byte, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err == nil && len(b) >= 32 {
		return b, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("key %s: %w", name, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("key %s: %w", name, err)
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	b = []byte(hex.EncodeToString(k))
	// O_EXCL: two processes starting at once must not each make a key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("key %s: %w", name, err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		return nil, fmt.Errorf("key %s: %w", name, err)
	}
	return b, f.Sync()
}
