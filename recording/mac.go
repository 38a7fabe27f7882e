//go:build !js

package recording

import (
	"crypto/hmac"
	"crypto/sha256"
)

// hmacSHA256 is HMAC-SHA256 of msg under key, from the standard library.
// The WebAssembly build has its own (mac_js.go): crypto/sha256 brings the
// FIPS module's generators and self-tests, a twelfth of the inspector.
func hmacSHA256(key, msg []byte) [32]byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	var out [32]byte
	m.Sum(out[:0])
	return out
}
