package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"termtem/internal/errs"
	"termtem/internal/people"
)

// Field-level encryption of the most sensitive values: free text about a
// child's health and safety, and the users' TOTP secrets. A service record
// of a sensitive kind (health conditions, home-visit notes about safety)
// keeps its data encrypted at rest with AES-256-GCM under a key that lives
// outside the database, bound to the record's ID so that a ciphertext
// cannot be moved onto another record. A copy of the database file or a
// backup without the key does not reveal them.

// sealedPrefix marks encrypted data: version 1, AES-256-GCM.
const sealedPrefix = "enc1:"

// dataCipher derives the AEAD from the configured key material.
func (db *DB) dataCipher() (cipher.AEAD, error) {
	if len(db.DataKey) == 0 {
		return nil, errs.Internalf("store: no data key configured for sensitive records")
	}
	k := sha256.Sum256(db.DataKey)
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, errs.Internalf("store: data key: %w", err)
	}
	return cipher.NewGCM(block)
}

// recordData is a record's data as stored: encrypted for sensitive kinds.
func (db *DB) recordData(r people.Record) (string, error) {
	plain := r.Data.Encode()
	if r.Sensitivity == people.NotSensitive {
		return plain, nil
	}
	return db.seal(r.ID, plain)
}

// openData reads stored record data, decrypting it when sealed.
func (db *DB) openData(recordID, stored string) (string, error) {
	return db.open(recordID, stored)
}

// seal encrypts a value bound to aad (the row it belongs to).
func (db *DB) seal(aad, plain string) (string, error) {
	aead, err := db.dataCipher()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", errs.Internalf("store: nonce: %w", err)
	}
	sealed := aead.Seal(nonce, nonce, []byte(plain), []byte(aad))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// open decrypts a sealed value; a value stored before sealing (no prefix)
// is returned as it is.
func (db *DB) open(aad, stored string) (string, error) {
	rest, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return stored, nil
	}
	aead, err := db.dataCipher()
	if err != nil {
		return "", err
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil || len(raw) < aead.NonceSize() {
		return "", errs.Internalf("store: %s: sealed value is damaged", aad)
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(aad))
	if err != nil {
		return "", errs.Internalf("store: %s: sealed value does not open with this key", aad)
	}
	return string(plain), nil
}
