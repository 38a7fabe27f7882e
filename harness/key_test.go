package harness

import (
	"bytes"
	"strings"
	"testing"
)

func TestKeyFromSecret(t *testing.T) {
	a, err := KeyFromSecret([]byte("pipeline-secret-0123456789\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := KeyFromSecret([]byte("  pipeline-secret-0123456789"))
	c, _ := KeyFromSecret([]byte("pipeline-secret-0123456780"))
	if !bytes.Equal(a, b) || bytes.Equal(a, c) || len(a) != 32 {
		t.Fatalf("keys: same secret %x / %x, other secret %x", a, b, c)
	}
	if bytes.Contains(a, []byte("pipeline")) {
		t.Fatal("the key is the secret")
	}
	_, err = KeyFromSecret([]byte("short-s3cr3t\n"))
	if err == nil || !strings.Contains(err.Error(), "12 bytes: want at least 16") || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("a short secret: %v", err)
	}
}
