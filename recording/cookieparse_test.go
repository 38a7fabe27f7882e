package recording

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The seeds cover every branch of the grammar; the fuzzer explores the rest.
var cookieGrammarSeeds = []string{
	"",
	" ",
	"sid=abc",
	"sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
	`sid="quoted"; Domain=.example.test; Max-Age=0`,
	"sid=a b; Max-Age=-5",
	"sid=abc; Max-Age=007; Max-Age=12",
	"sid=abc; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
	"sid=abc; Expires=Wed, 21-Oct-2015 07:28:00 GMT",
	"sid=abc; Expires=tomorrow",
	"sid=abc; SameSite=Strict; SameSite=none; SameSite=bogus; SameSite=ÿ",
	"sid=abc; Partitioned; Priority=High; Ünïcode=1; x=\"q\"",
	"noequals",
	"bad name=1",
	"sid=\x01",
	"a=1; b=2; c=\"3\"",
	"a=1;;b=2",
	"\t__Host-sid = v ; path = /app ",
	strings.Repeat("a=1;", 3000) + "z=2",
}

func FuzzParseMatchesNetHTTP(f *testing.F) {
	for _, s := range cookieGrammarSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		checkSetCookieMatches(t, line)
		checkCookieMatches(t, line)
	})
}

func TestParseMatchesNetHTTP(t *testing.T) {
	for _, s := range cookieGrammarSeeds {
		checkSetCookieMatches(t, s)
		checkCookieMatches(t, s)
	}
}

func checkSetCookieMatches(t *testing.T, line string) {
	t.Helper()
	want, werr := http.ParseSetCookie(line)
	got, gerr := parseSetCookieLine(line)
	if !sameError(t, "Set-Cookie", line, gerr, werr) {
		return
	}
	sameSite := map[http.SameSite]string{0: "", http.SameSiteDefaultMode: "default", http.SameSiteLaxMode: "lax",
		http.SameSiteStrictMode: "strict", http.SameSiteNoneMode: "none"}
	conv := parsedCookie{Name: want.Name, Value: want.Value, Path: want.Path, Domain: want.Domain,
		Expires: want.Expires, MaxAge: want.MaxAge, Secure: want.Secure, HTTPOnly: want.HttpOnly,
		Partitioned: want.Partitioned, SameSite: sameSite[want.SameSite], Unparsed: want.Unparsed}
	if !conv.Expires.Equal(got.Expires) {
		t.Fatalf("Set-Cookie %q: expires %v, net/http says %v", line, got.Expires, conv.Expires)
	}
	conv.Expires, got.Expires = time.Time{}, time.Time{}
	if !reflect.DeepEqual(conv, *got) {
		t.Fatalf("Set-Cookie %q:\n got %+v\nwant %+v (net/http)", line, *got, conv)
	}
}

func checkCookieMatches(t *testing.T, line string) {
	t.Helper()
	want, werr := http.ParseCookie(line)
	got, gerr := parseCookiePairs(line)
	sameError(t, "Cookie", line, gerr, werr) // and no pairs with an error
	for i, c := range want {
		if got[i] != [2]string{c.Name, c.Value} {
			t.Fatalf("Cookie %q: pair %d is %q, net/http says %s=%s", line, i, got[i], c.Name, c.Value)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("Cookie %q: %d pairs, net/http says %d", line, len(got), len(want))
	}
}

func TestParseHTTPTimeMatchesNetHTTP(t *testing.T) {
	for _, s := range []string{"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
		"Sun Nov  6 08:49:37 1994", "yesterday", ""} {
		want, werr := http.ParseTime(s)
		got, gerr := ParseHTTPTime(s)
		if (werr == nil) != (gerr == nil) || !want.Equal(got) {
			t.Errorf("ParseHTTPTime(%q) = %v, %v; net/http says %v, %v", s, got, gerr, want, werr)
		}
	}
}

// sameError fails t unless gerr, our error for the header line, is werr,
// net/http's; it reports whether the line parsed.
func sameError(t *testing.T, header, line string, gerr, werr error) bool {
	t.Helper()
	if fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%s %q: error %v, net/http says %v", header, line, gerr, werr)
	}
	return werr == nil
}
