package analysis

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// The functions below are the analysis's earlier, simpler versions of
// functions rewritten not to allocate: the tests hold the two equal.

func urlParamsSplit(u string) []urlParam {
	u, _, _ = strings.Cut(u, "#")
	path, query, _ := strings.Cut(u, "?")
	var out []urlParam
	for _, seg := range strings.Split(path, "/") {
		parts := strings.Split(seg, ";")
		for _, p := range parts[1:] {
			if n, v, ok := strings.Cut(p, "="); ok {
				out = append(out, urlParam{n, v, "path"})
			}
		}
	}
	for _, p := range strings.Split(query, "&") {
		if n, v, ok := strings.Cut(p, "="); ok {
			if un, err := url.QueryUnescape(n); err == nil {
				n = un
			}
			out = append(out, urlParam{n, v, "query"})
		}
	}
	return out
}

// attrValueSplit is recording.AttrValue (once the analysis's attrValue)
// by strings.Split. It folds and trims ASCII only, as browsers do: the
// earlier version's strings.EqualFold and strings.TrimSpace also took
// "ſameSite" (U+017F) for SameSite and trimmed a no-break space, which is
// where it and the browsers parted (see recording.AttrValue).
func attrValueSplit(attrs, name string) (string, bool) {
	trim := func(s string) string { return strings.Trim(s, " \t\r\n") }
	lower := func(s string) string {
		return strings.Map(func(r rune) rune {
			if 'A' <= r && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, s)
	}
	val, found := "", false
	for _, a := range strings.Split(attrs, ";") {
		n, v, _ := strings.Cut(a, "=")
		if lower(trim(n)) == name {
			val, found = trim(v), true
		}
	}
	return val, found
}

var equivInputs = []string{
	"", "https://a.test/p/1", "https://a.test/x;jsessionid=ABCDEFGH12/y;a=b;c?sid=1234567890&t%6Fken=x&&=#f;g=h",
	"/a;;b=;=c/;d=e?", "?a=1&b", ";", "a;b", "SameSite=None; Secure; samesite=Lax", "Path=/;SameSite", " samesite = x ;",
	"ſameSite=None", "\u00a0SameSite=None; Secure", "SAMESITE=Strict;\tSameSite\t=\tLax\t",
	"https://a.test/;x=1;y=2/z;w=3?q=%zz&r=1",
}

func checkEquiv(t *testing.T, s string) {
	t.Helper()
	if got, want := urlParams(s), urlParamsSplit(s); !reflect.DeepEqual(got, want) {
		t.Errorf("urlParams(%q) = %v, want %v", s, got, want)
	}
	gv, gf := recording.AttrValue(s, "samesite")
	wv, wf := attrValueSplit(s, "samesite")
	if gv != wv || gf != wf {
		t.Errorf("attrValue(%q) = %q, %v, want %q, %v", s, gv, gf, wv, wf)
	}
}

func TestRewritesMatchSplit(t *testing.T) {
	for _, s := range equivInputs {
		checkEquiv(t, s)
	}
}

func FuzzRewritesMatchSplit(f *testing.F) {
	for _, s := range equivInputs {
		f.Add(s)
	}
	f.Fuzz(checkEquiv)
}
