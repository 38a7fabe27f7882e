package recording

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"
)

func checkMAC(t *testing.T, key, msg []byte) {
	t.Helper()
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	want := m.Sum(nil)
	got := smallHMACSHA256(key, msg)
	if string(got[:]) != string(want) {
		t.Fatalf("HMAC(key %d bytes, msg %d bytes) = %x, crypto/hmac says %x", len(key), len(msg), got, want)
	}
	if s := sum256(msg); s != sha256.Sum256(msg) {
		t.Fatalf("SHA-256(%d bytes) = %x, crypto/sha256 says %x", len(msg), s, sha256.Sum256(msg))
	}
}

// The WebAssembly build's HMAC-SHA256 gives crypto/hmac's results: every
// length around the block and padding boundaries, keys shorter and longer
// than a block.
func TestSmallHMACMatchesCryptoHMAC(t *testing.T) {
	for _, keyLen := range []int{0, 1, 32, 63, 64, 65, 200} {
		key := []byte(strings.Repeat("k", keyLen))
		for n := 0; n <= 200; n++ {
			checkMAC(t, key, []byte(strings.Repeat("\xa5", n)))
		}
	}
	// RFC 4231 test case 2.
	m := smallHMACSHA256([]byte("Jefe"), []byte("what do ya want for nothing?"))
	if got := string(hexOf(m[:])); got != "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" {
		t.Fatalf("RFC 4231 case 2: %s", got)
	}
}

func FuzzSmallHMACMatchesCryptoHMAC(f *testing.F) {
	f.Add([]byte("key"), []byte("value"))
	f.Fuzz(func(t *testing.T, key, msg []byte) { checkMAC(t, key, msg) })
}

func hexOf(b []byte) []byte {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return out
}
