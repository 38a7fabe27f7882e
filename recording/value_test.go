package recording

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestStats(t *testing.T) {
	cases := []struct {
		in      string
		classes string
		bits    float64
	}{
		{"", "", 0},
		{"1234", "digit", 13.3},
		{"deadbeef", "hex", 32},
		{"0123456789abcdef0123456789abcdef", "hex", 128},
		{"AbC", "lower,upper", 17.1},
		{"a-b_", "lower,symbol", 19.6},
		{"dark", "lower", 18.8},
	}
	for _, c := range cases {
		classes, bits := Stats(c.in)
		if got := strings.Join(classes, ","); got != c.classes || bits != c.bits {
			t.Errorf("Stats(%q) = %q, %v; want %q, %v", c.in, got, bits, c.classes, c.bits)
		}
	}
}

func TestRedactorFingerprints(t *testing.T) {
	r := NewRedactor([]byte("key-1"), false)
	a, b, c := r.Value("session-value-1"), r.Value("session-value-1"), r.Value("session-value-2")
	if !a.Same(b) || a.Same(c) {
		t.Fatalf("equal values must match and different ones must not: %v %v %v", a, b, c)
	}
	if a.Raw != nil {
		t.Fatalf("raw value stored without reveal")
	}
	other := NewRedactor([]byte("key-2"), false).Value("session-value-1")
	if other.Fingerprint == a.Fingerprint {
		t.Fatalf("fingerprints must depend on the key")
	}
	if strings.Contains(a.Fingerprint, "session") {
		t.Fatalf("fingerprint leaks the value: %s", a.Fingerprint)
	}
}

func TestRedactorRevealKeepsSecretsOut(t *testing.T) {
	r := NewRedactor([]byte("k"), true)
	r.AddSecret("hunter2hunter2")
	v := r.Value("plain-value")
	if v.Raw == nil || *v.Raw != "plain-value" {
		t.Fatalf("reveal must keep the raw value, got %+v", v)
	}
	s := r.Value("hunter2hunter2")
	if s.Raw != nil || !s.Secret {
		t.Fatalf("a secret must never be stored, got %+v", s)
	}
	if got := r.Scrub("pw=hunter2hunter2&x=1"); strings.Contains(got, "hunter2") {
		t.Fatalf("Scrub kept the secret: %s", got)
	}
}

func TestScrubKnownValues(t *testing.T) {
	r := NewRedactor([]byte("k"), false)
	v := r.Value("Zm9vYmFyYmF6cXV4")
	got := r.Scrub("https://a.test/account;jsessionid=Zm9vYmFyYmF6cXV4?x=1")
	if strings.Contains(got, "Zm9vYmFyYmF6cXV4") {
		t.Fatalf("Scrub kept a known cookie value: %s", got)
	}
	if !strings.Contains(got, "[value:"+v.Short()+"]") {
		t.Fatalf("Scrub should name the fingerprint: %s", got)
	}
	// Short values are too common to scrub.
	r.Value("dark")
	if got := r.Scrub("/theme/dark"); got != "/theme/dark" {
		t.Fatalf("Scrub mangled a short value: %s", got)
	}
	// URL-encoded forms are scrubbed too.
	r.Value("a b+c/d=e&f")
	if got := r.Scrub("q=a+b%2Bc%2Fd%3De%26f"); strings.Contains(got, "%2Bc") {
		t.Fatalf("Scrub kept an encoded value: %s", got)
	}
}

// base64URL is base64.RawURLEncoding.EncodeToString.
func TestBase64URL(t *testing.T) {
	b := make([]byte, 40)
	for i := range b {
		b[i] = byte(i*37 + 250)
	}
	for n := 0; n <= len(b); n++ {
		if got, want := base64URL(b[:n]), base64.RawURLEncoding.EncodeToString(b[:n]); got != want {
			t.Fatalf("%d bytes: %q, want %q", n, got, want)
		}
	}
}
