package recording

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// placeholderRE is the grammar of placeholders (placeholder.go); the
// scanner is held to it on ASCII input (a case-insensitive regexp also
// folds "ſ" into "s" and "K" into "k", which the scanner does not, on
// purpose: see TestPlaceholdersFoldASCIIOnly).
var placeholderRE = regexp.MustCompile(`(?i)(?:\[|%5B)(?:value(?::|%3A)([A-Za-z0-9_-]{1,32})|secret)(?:\]|%5D)`)

var placeholderSeeds = []string{
	"", "[value:abc]", "[value:]", "[value:" + strings.Repeat("a", 33) + "]", "[value:a-b_C9]x", "[secret]", "%5bSECRET%5d",
	"/x?%5Bvalue:Ab%5D&%5Bsecret%5D%5Bvalue:%5D%5B%5Bvalue:q%5D", "%5Bvalue:" + strings.Repeat("z", 40) + "%5D",
	"/a?sid=[value:AbCd1234]", "%5bVALUE%3aabcd%5D[value:abc][value:abcdefghijklmnopq]",
	"[[value:abcd]]%5Bvalue:zzzz%5d[value%3Aq_-9]", "[secret[value:ab]", "%5B%5Bvalue:x%5D%5D", "[value:" + strings.Repeat("b", 32) + "]",
}

// FuzzPlaceholdersMatchRegexp holds the scanner to placeholderRE (its
// seeds run with every go test).
func FuzzPlaceholdersMatchRegexp(f *testing.F) {
	for _, s := range placeholderSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		b = slices.DeleteFunc(b, func(c byte) bool { return c >= 0x80 }) // see placeholderRE
		checkPlaceholders(t, string(b))
	})
}

func checkPlaceholders(t *testing.T, s string) {
	t.Helper()
	var want []string
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		if m[1] != "" {
			want = append(want, m[1])
		}
	}
	if got := ValuePlaceholders(s); !reflect.DeepEqual(got, want) {
		t.Errorf("ValuePlaceholders(%q) = %q, regexp says %q", s, got, want)
	}
	wantFP, wantOK := "", false
	if m := placeholderRE.FindStringSubmatchIndex(s); m != nil && m[0] == 0 && m[1] == len(s) && m[2] >= 0 {
		wantFP, wantOK = s[m[2]:m[3]], true
	}
	if fp, ok := ParseValuePlaceholder(s); fp != wantFP || ok != wantOK {
		t.Errorf("ParseValuePlaceholder(%q) = %q, %v, regexp says %q, %v", s, fp, ok, wantFP, wantOK)
	}
	plain := placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
		if !strings.Contains(m, "%") {
			return m
		}
		if sm := placeholderRE.FindStringSubmatch(m); sm[1] != "" {
			return "[value:" + sm[1] + "]"
		}
		return "[secret]"
	})
	if got := UnescapePlaceholders(s); got != plain {
		t.Errorf("UnescapePlaceholders(%q) = %q, regexp says %q", s, got, plain)
	}
}

// What Scrub and HAR export write, the readers read back.
func TestPlaceholderRoundTrip(t *testing.T) {
	r := NewRedactor([]byte("k"), false)
	r.AddSecret("hunter2hunter2")
	v := r.Value("abcdefghijklmnop")
	s := r.Scrub("https://a.test/x;jsessionid=abcdefghijklmnop?p=hunter2hunter2")
	if want := "https://a.test/x;jsessionid=" + ValuePlaceholder(v.Fingerprint[:8]) + "?p=" + SecretPlaceholder; s != want {
		t.Fatalf("Scrub = %q, want %q", s, want)
	}
	if got := ValuePlaceholders(s); !reflect.DeepEqual(got, []string{v.Fingerprint[:8]}) {
		t.Errorf("ValuePlaceholders(%q) = %q", s, got)
	}
	if fp, ok := ParseValuePlaceholder(ValuePlaceholder(v.Fingerprint)); !ok || fp != v.Fingerprint {
		t.Errorf("ParseValuePlaceholder: %q, %v", fp, ok)
	}
	esc := strings.NewReplacer("[", "%5B", "]", "%5D").Replace(s)
	if got := UnescapePlaceholders(esc); got != s {
		t.Errorf("UnescapePlaceholders(%q) = %q, want %q", esc, got, s)
	}
	if n := testing.AllocsPerRun(100, func() { ValuePlaceholders("https://a.test/p?q=1&r=%20") }); n != 0 {
		t.Errorf("ValuePlaceholders of text without one allocates %v times", n)
	}
}

// The scanner folds ASCII only, like the rest of the cookie grammar.
func TestPlaceholdersFoldASCIIOnly(t *testing.T) {
	for _, s := range []string{"[ſecret]", "[value:abcd\u212a]", "%5Bvalue:ab\u017f%5D"} {
		if got := ValuePlaceholders(s); got != nil {
			t.Errorf("ValuePlaceholders(%q) = %q", s, got)
		}
	}
	if got := UnescapePlaceholders("%5Bſecret%5D"); got != "%5Bſecret%5D" {
		t.Errorf("UnescapePlaceholders = %q", got)
	}
}
