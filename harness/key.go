package harness

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// NewKey returns a random fingerprint key for one run: its fingerprints
// compare within the run only.
func NewKey() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return k
}

// MinKeySecret is the shortest secret KeyFromSecret takes: shorter ones
// could be guessed, and with them every fingerprinted value of a low
// entropy cookie.
const MinKeySecret = 16

// KeyFromSecret derives the fingerprint key from a secret the user keeps
// (a file's or an environment variable's content, surrounding white
// space ignored), so that the shards of one suite and the runs of one
// pipeline fingerprint a value alike and compare IDs across each other.
// The error never repeats the secret.
func KeyFromSecret(secret []byte) ([]byte, error) {
	secret = bytes.TrimSpace(secret)
	if len(secret) < MinKeySecret {
		return nil, fmt.Errorf("the fingerprint key is %d bytes: want at least %d (e.g. openssl rand -hex 32)", len(secret), MinKeySecret)
	}
	h := sha256.New()
	h.Write([]byte("sessiontrace fingerprint key\x00"))
	h.Write(secret)
	return h.Sum(nil), nil
}

// randomHex is n random bytes in hex, for names no one may guess.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
