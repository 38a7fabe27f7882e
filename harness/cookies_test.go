package harness

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/scenarios"
)

// Only what the step gives is sent; a max age becomes an expiry.
func TestSetCookieParams(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	got := setCookieParams(&scenarios.CookieSpec{Name: "a", Value: "v"}, "https://app.test/", now)
	want := map[string]any{"name": "a", "value": "v", "secure": false, "httpOnly": false, "url": "https://app.test/"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bare: %v", got)
	}
	cs := &scenarios.CookieSpec{Name: "a", Value: "v", Domain: ".app.test", Path: "/x", SameSite: "Strict",
		Secure: true, HTTPOnly: true, MaxAge: time.Hour}
	got = setCookieParams(cs, "", now)
	want = map[string]any{"name": "a", "value": "v", "secure": true, "httpOnly": true, "domain": ".app.test",
		"path": "/x", "sameSite": "Strict", "expires": float64(1_700_003_600)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("full: %v", got)
	}
}

// The harness's setCookie event names the cookie as the jar will, so that
// the two are one cookie to the analysis.
func TestSetCookieKey(t *testing.T) {
	for _, c := range []struct {
		cs           scenarios.CookieSpec
		url          string
		domain, path string
	}{
		{scenarios.CookieSpec{Name: "a"}, "https://app.test/account", "app.test", "/"},
		{scenarios.CookieSpec{Name: "a", Domain: ".App.Test", Path: "/x"}, "https://app.test/", ".app.test", "/x"},
		{scenarios.CookieSpec{Name: "a", Domain: "app.test"}, "", "app.test", "/"},
		// The host of a URL is spelled as the domain a step gives is
		// (recording.CanonicalHost), as the jar spells it: it once kept its
		// capitals.
		{scenarios.CookieSpec{Name: "a"}, "https://App.test", "app.test", "/"},
		{scenarios.CookieSpec{Name: "a"}, "https://APP.test./x/y", "app.test.", "/"},
		{scenarios.CookieSpec{Name: "a", Domain: "App.Test."}, "", "app.test.", "/"},
		{scenarios.CookieSpec{Name: "a", Domain: ".App.Test"}, "https://www.app.test/", ".app.test", "/"},
	} {
		d, p := setCookieKey(&c.cs, c.url)
		if d != c.domain || p != c.path {
			t.Errorf("%+v at %s: %s %s, want %s %s", c.cs, c.url, d, p, c.domain, c.path)
		}
	}
}

// A restart sets the kept cookies again as they were: a host-only cookie
// through a URL of its scheme (a domain would widen it), a domain cookie
// by its domain; the jar's read-only fields are left out.
func TestCookieParam(t *testing.T) {
	for _, c := range []struct {
		name string
		ck   cdpCookie
		raw  string
		want map[string]any
	}{
		{"host-only, secure", cdpCookie{Name: "s", Domain: "app.test", Path: "/", Secure: true, SourceScheme: "Secure"},
			`{"name":"s","value":"v","domain":"app.test","path":"/","size":2,"session":false,"sameParty":false,"secure":true,"expires":2000000000}`,
			map[string]any{"name": "s", "value": "v", "path": "/", "secure": true, "expires": 2e9, "url": "https://app.test/"}},
		{"host-only, from http", cdpCookie{Name: "s", Domain: "app.test", Path: "/a", SourceScheme: "NonSecure"},
			`{"name":"s","value":"v","domain":"app.test","path":"/a"}`,
			map[string]any{"name": "s", "value": "v", "path": "/a", "url": "http://app.test/a"}},
		{"domain cookie", cdpCookie{Name: "s", Domain: ".app.test", Path: "/"},
			`{"name":"s","value":"v","domain":".app.test","path":"/"}`,
			map[string]any{"name": "s", "value": "v", "domain": ".app.test", "path": "/"}},
		{"unreadable raw", cdpCookie{Name: "s", Value: "v", Domain: ".app.test", Path: "/"}, `not json`,
			map[string]any{"name": "s", "value": "v", "path": "/"}},
	} {
		var got map[string]any
		if err := json.Unmarshal(cookieParam(json.RawMessage(c.raw), c.ck), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
