package recording

import (
	"math"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// A Value is a cookie value as stored in a recording: a keyed fingerprint
// and statistics, and the raw value only when the run revealed values.
type Value struct {
	// Fingerprint is a keyed hash (HMAC-SHA256 with a per-run key, first 12
	// bytes, base64url): equal values have equal fingerprints within a run,
	// and nothing about the value can be recovered from it.
	Fingerprint string `json:"fp"`
	// Len is the length of the value in bytes.
	Len int `json:"len"`
	// Classes lists the character classes in the value: "lower", "upper",
	// "digit", "hex" (only 0-9a-f), "symbol", "other".
	Classes []string `json:"classes,omitempty"`
	// Bits estimates the entropy: length times log2 of the alphabet size
	// implied by the classes. An upper bound: a counter scores high too.
	Bits float64 `json:"bits"`
	// Raw is the value itself, stored only with --reveal-values.
	Raw *string `json:"raw,omitempty"`
	// Secret is true when the value was marked secret in the scenario: it
	// is never stored, even with --reveal-values.
	Secret bool `json:"secret,omitempty"`
	// Format names the value's structure when it has a known one (jwt,
	// itsdangerous, django-signed, rails, express-signed, securecookie,
	// laravel, signed): see [ValueFormat]. It reveals the shape, never the
	// content.
	Format Format `json:"format,omitempty"`
}

// Same reports whether two values are the same value (same fingerprint).
// Empty values compare equal only to empty values.
func (v Value) Same(w Value) bool { return v.Fingerprint == w.Fingerprint && v.Len == w.Len }

// Short is a short display form of the fingerprint.
func (v Value) Short() string {
	if len(v.Fingerprint) > 8 {
		return v.Fingerprint[:8]
	}
	return v.Fingerprint
}

// A Redactor turns raw cookie values into Values and removes secrets and
// known cookie values from free text (URLs, error messages). The zero value
// is not usable; make one with NewRedactor.
type Redactor struct {
	mu      sync.Mutex // one Redactor serves every worker of a run
	key     []byte
	reveal  bool
	secrets []string
	known   map[string]bool // raw cookie values seen in this run, to scrub from text
}

// NewRedactor returns a Redactor keyed with key (make a random one per
// run). With reveal, Values keep the raw value, except secrets.
func NewRedactor(key []byte, reveal bool) *Redactor {
	return &Redactor{key: append([]byte(nil), key...), reveal: reveal, known: map[string]bool{}}
}

// KeyID identifies the key without revealing it.
func (r *Redactor) KeyID() string {
	sum := hmacSHA256(r.key, []byte("sessiontrace key id"))
	return base64URL(sum[:6])
}

// Reveal reports whether raw values are kept.
func (r *Redactor) Reveal() bool { return r.reveal }

// AddSecret marks s as secret: it never appears in a Value or in text
// passed through Scrub, even with reveal.
func (r *Redactor) AddSecret(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s != "" {
		r.secrets = append(r.secrets, s)
	}
}

// MinScrubbedLen is the shortest cookie value Scrub removes from text (and
// report takes back out of revealed runs): shorter
// values ("1", "dark") are too common to scrub without mangling URLs.
const MinScrubbedLen = 8

// Value fingerprints raw and notes it as a known value to scrub from text.
func (r *Redactor) Value(raw string) Value {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := Value{Len: len(raw), Fingerprint: r.fingerprint(raw)}
	v.Classes, v.Bits = Stats(raw)
	if r.isSecret(raw) {
		v.Secret = true
	} else if v.Format = ValueFormat(raw); r.reveal {
		s := raw
		v.Raw = &s
	}
	if len(raw) >= MinScrubbedLen && !r.reveal {
		r.known[raw] = true
	}
	return v
}

func (r *Redactor) fingerprint(raw string) string {
	sum := hmacSHA256(r.key, []byte(raw))
	return base64URL(sum[:12])
}

func (r *Redactor) isSecret(raw string) bool {
	for _, s := range r.secrets {
		if raw == s || strings.Contains(raw, s) {
			return true
		}
	}
	return false
}

// Note records raw as a cookie value to scrub from text without making a
// Value of it.
func (r *Redactor) Note(raw string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(raw) >= MinScrubbedLen && !r.reveal {
		r.known[raw] = true
	}
}

// Scrub removes secrets from s (replaced by SecretPlaceholder) and, unless
// values are revealed, every known cookie value (replaced by its
// ValuePlaceholder, with the first 8 characters of the value's
// fingerprint, so a URL that carried a session ID still shows which one).
// URL-encoded forms are scrubbed too.
func (r *Redactor) Scrub(s string) string {
	if s == "" {
		return s
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, sec := range r.secrets {
		s = replaceForms(s, sec, SecretPlaceholder)
	}
	if r.reveal || len(r.known) == 0 {
		return s
	}
	// Longest first, so a value that contains another is replaced whole.
	vals := make([]string, 0, len(r.known))
	for v := range r.known {
		if strings.Contains(s, v) || strings.Contains(s, url.QueryEscape(v)) {
			vals = append(vals, v)
		}
	}
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	for _, v := range vals {
		s = replaceForms(s, v, ValuePlaceholder(r.fingerprint(v)[:8]))
	}
	return s
}

func replaceForms(s, raw, with string) string {
	s = strings.ReplaceAll(s, raw, with)
	if q := url.QueryEscape(raw); q != raw {
		s = strings.ReplaceAll(s, q, with)
	}
	if p := url.PathEscape(raw); p != raw {
		s = strings.ReplaceAll(s, p, with)
	}
	return s
}

// charClasses are the character classes of Stats, in the order it lists
// them, with the size of the alphabet each implies.
var charClasses = [...]struct {
	name string
	size int
}{{"hex", 16}, {"lower", 26}, {"upper", 26}, {"digit", 10}, {"symbol", 4}, {"other", 16}}

// Bits of the classes seen, in the order of charClasses.
const (
	classHex = 1 << iota
	classLower
	classUpper
	classDigit
	classSymbol
	classOther
)

// Stats returns the character classes of s and an estimate of its entropy
// in bits (length times log2 of the alphabet the classes imply).
func Stats(s string) (classes []string, bits float64) {
	var seen uint8
	hexOnly := s != ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			seen |= classLower
			if c > 'f' {
				hexOnly = false
			}
		case c >= 'A' && c <= 'Z':
			seen |= classUpper
			hexOnly = false
		case c >= '0' && c <= '9':
			seen |= classDigit
		case c == '-' || c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '=' || c == '%':
			seen |= classSymbol
			hexOnly = false
		default:
			seen |= classOther
			hexOnly = false
		}
	}
	// Lower-case hex digits (with or without digits) are one alphabet.
	if hexOnly && seen&classLower != 0 {
		seen = seen&^(classLower|classDigit) | classHex
	}
	alphabet := 0
	for i, c := range charClasses {
		if seen&(1<<i) != 0 {
			classes = append(classes, c.name)
			alphabet += c.size
		}
	}
	if alphabet < 2 {
		return classes, 0
	}
	return classes, math.Round(float64(len(s))*math.Log2(float64(alphabet))*10) / 10
}

// base64URL is base64.RawURLEncoding.EncodeToString: encoding/base64
// would weigh on the inspector's WebAssembly for two calls
// (docs/benchmarks.md).
func base64URL(b []byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	out := make([]byte, 0, (len(b)*8+5)/6)
	for i := 0; i < len(b); i += 3 {
		var n uint32
		k := min(3, len(b)-i)
		for j := 0; j < 3; j++ {
			n <<= 8
			if j < k {
				n |= uint32(b[i+j])
			}
		}
		for j := 0; j < k+1; j++ {
			out = append(out, alphabet[n>>(18-6*j)&63])
		}
	}
	return string(out)
}
