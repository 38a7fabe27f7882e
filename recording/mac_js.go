//go:build js

package recording

// hmacSHA256 is HMAC-SHA256 of msg under key (RFC 2104, FIPS 180-4),
// written out for the WebAssembly build: crypto/sha256 would bring the
// FIPS module's random generators and self-tests into the inspector's
// bundle (docs/benchmarks.md). A test holds it to crypto/hmac.
func hmacSHA256(key, msg []byte) [32]byte {
	return smallHMACSHA256(key, msg)
}
