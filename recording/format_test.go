package recording

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Values made the way each framework makes them, not typed in by hand.
func formatSamples(t testing.TB) map[Format]string {
	key := []byte("test key")
	b64 := base64.RawURLEncoding
	sign1 := func(s string) []byte { m := hmac.New(sha1.New, key); m.Write([]byte(s)); return m.Sum(nil) }
	sign256 := func(s string) []byte { m := hmac.New(sha256.New, key); m.Write([]byte(s)); return m.Sum(nil) }
	random := func(n int) []byte { b := make([]byte, n); rand.Read(b); return b }

	jwtHead := b64.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	jwtBody := b64.EncodeToString([]byte(`{"sub":"alice","iat":1733580000}`))
	jwt := jwtHead + "." + jwtBody + "." + b64.EncodeToString(sign256(jwtHead+"."+jwtBody))

	ts := make([]byte, 4)
	binary.BigEndian.PutUint32(ts, uint32(time.Now().Unix()))
	flaskBody := b64.EncodeToString([]byte(`{"user":"alice","visits":3}`)) + "." + b64.EncodeToString(ts)
	flask := flaskBody + "." + b64.EncodeToString(sign1(flaskBody))

	djangoBody := b64.EncodeToString([]byte(`{"user":"alice"}`)) + ":1tJ0ab"
	django := djangoBody + ":" + b64.EncodeToString(sign256(djangoBody))

	railsData := base64.StdEncoding.EncodeToString([]byte(`{"session_id":"abc","user":1}`))
	rails := url.QueryEscape(railsData + "--" + hex.EncodeToString(sign1(railsData)))
	railsEnc := url.QueryEscape(base64.StdEncoding.EncodeToString(random(48)) + "--" +
		base64.StdEncoding.EncodeToString(random(12)) + "--" + base64.StdEncoding.EncodeToString(random(16)))

	id := b64.EncodeToString(random(18))
	express := url.QueryEscape("s:" + id + "." + base64.RawStdEncoding.EncodeToString(sign256(id)))

	inner := base64.URLEncoding.EncodeToString(random(40))
	stamp := fmt.Sprintf("%d|%s", time.Now().Unix(), inner)
	secure := base64.URLEncoding.EncodeToString([]byte(stamp + "|" + string(sign256(stamp))))

	laravel := url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(
		`{"iv":"` + base64.StdEncoding.EncodeToString(random(16)) + `","value":"` + base64.StdEncoding.EncodeToString(random(48)) +
			`","mac":"` + hex.EncodeToString(sign256("x")) + `","tag":""}`)))

	cookieSession := base64.StdEncoding.EncodeToString([]byte(`{"user":"alice","visits":2}`))

	return map[Format]string{
		FormatJWT: jwt, FormatItsdangerous: flask, FormatDjangoSigned: django, FormatRails: rails,
		FormatRails + "/encrypted": railsEnc, FormatExpressSigned: express, FormatSecurecookie: secure,
		FormatLaravel: laravel, FormatBase64JSON: cookieSession,
		// A compressed Flask payload starts with a dot.
		FormatItsdangerous + "/compressed": "." + flask,
	}
}

func TestValueFormat(t *testing.T) {
	for f, v := range formatSamples(t) {
		want, _, _ := strings.Cut(string(f), "/")
		if got := ValueFormat(v); string(got) != want {
			t.Errorf("ValueFormat(%.40s...) = %q, want %q", v, got, want)
		}
	}
}

func TestValueFormatPlainIDs(t *testing.T) {
	// Opaque IDs of the common stacks have no format: a new one is a new
	// session.
	for _, v := range []string{
		"0f3c9d2a7b1e4f60a9c8d7e6f5a4b3c2",                 // PHP, Django (hex)
		"9B2F6D1C4E8A7B3D5F0E2C4A6B8D0F1E",                 // Tomcat
		"9B2F6D1C4E8A7B3D5F0E2C4A6B8D0F1E.node-a",          // Tomcat with a jvmRoute
		"Zx81kQ2mP0aL7cR4tW9yB3",                           // base64url, 128 bits
		"ZGY4ZWI3YjQtYmFhMS00YjMzLWE1ZjItODM1ZjM2NDY1ZDVm", // Spring Session: base64 of a UUID
		"1", "dark", "en-US",
	} {
		if got := ValueFormat(v); got != "" {
			t.Errorf("ValueFormat(%q) = %q, want none", v, got)
		}
	}
}

func TestClientSideAndVolatileFormats(t *testing.T) {
	for f, want := range map[Format][2]bool{
		FormatJWT: {true, true}, FormatItsdangerous: {true, true}, FormatDjangoSigned: {true, true}, FormatRails: {true, true},
		FormatBase64JSON: {true, true}, FormatSecurecookie: {false, true}, FormatLaravel: {false, true}, FormatSigned: {false, true},
		FormatExpressSigned: {false, false}, "": {false, false},
	} {
		if got := [2]bool{ClientSideFormat(f), VolatileFormat(f)}; got != want {
			t.Errorf("%q: client-side, volatile = %v, want %v", f, got, want)
		}
	}
}

func TestSecretValuesHaveNoFormat(t *testing.T) {
	r := NewRedactor([]byte("k"), true)
	jwt := formatSamples(t)[FormatJWT]
	r.AddSecret(jwt)
	if v := r.Value(jwt); v.Format != "" || !v.Secret {
		t.Errorf("secret value: %+v", v)
	}
	if v := NewRedactor([]byte("k"), false).Value(jwt); v.Format != FormatJWT {
		t.Errorf("format = %q", v.Format)
	}
}

// FuzzB64DecodeMatchesEncodingBase64 holds the page's small base64 decoder
// to encoding/base64 (standard and URL alphabets, padded or not).
func FuzzB64DecodeMatchesEncodingBase64(f *testing.F) {
	for _, v := range formatSamples(f) {
		f.Add(v)
	}
	f.Add("YQ")
	f.Add("YWI=")
	f.Add("a-_b")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := b64decode(s)
		if !ok {
			return // it may refuse what it does not need; it must not mis-decode
		}
		clean := strings.TrimRight(s, "=")
		want, err := base64.RawURLEncoding.DecodeString(strings.NewReplacer("+", "-", "/", "_").Replace(clean))
		if err != nil {
			// The last group may carry bits encoding/base64 refuses as
			// non-canonical; the prefix must still agree.
			if len(got) == 0 || len(clean)%4 == 0 {
				return
			}
			want, err = base64.RawURLEncoding.DecodeString(strings.NewReplacer("+", "-", "/", "_").Replace(clean[:len(clean)-len(clean)%4]))
			if err != nil || !bytes.HasPrefix(got, want) {
				t.Fatalf("b64decode(%q) = %x, prefix want %x (%v)", s, got, want, err)
			}
			return
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("b64decode(%q) = %x, want %x", s, got, want)
		}
	})
}

// FuzzValueFormat: any input gets an answer, never a panic, and an answer
// from the documented set.
func FuzzValueFormat(f *testing.F) {
	for _, v := range formatSamples(f) {
		f.Add(v)
	}
	f.Add("s%3A")
	f.Add("a--b--c")
	f.Fuzz(func(t *testing.T, s string) {
		switch ValueFormat(s) {
		case "", FormatJWT, FormatItsdangerous, FormatDjangoSigned, FormatRails, FormatExpressSigned, FormatSecurecookie,
			FormatLaravel, FormatBase64JSON, FormatSigned:
		default:
			t.Fatalf("ValueFormat(%q): undocumented format", s)
		}
	})
}
