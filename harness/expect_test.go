package harness

import (
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/scenarios"
)

func TestCheckURL(t *testing.T) {
	r := &runner{}
	const cur = "https://app.test/account?tab=1"
	for _, c := range []struct {
		m    scenarios.Match
		fail string // "" when the check passes
	}{
		{scenarios.Match{Equals: "/account"}, ""}, // a path is held to the path
		{scenarios.Match{Equals: "/login"}, "url is /account, want /login"},
		{scenarios.Match{Equals: cur}, ""}, // a URL to the whole URL
		{scenarios.Match{Equals: "https://app.test/account"}, "url is " + cur + ", want https://app.test/account"},
		{scenarios.Match{Contains: "tab=1"}, ""},
		{scenarios.Match{Contains: "/login"}, "url " + cur + " does not contain /login"},
		{scenarios.Match{Matches: `/account\?tab=\d$`}, ""},
		{scenarios.Match{Matches: `^/account`}, "url " + cur + " does not match ^/account"},
		{scenarios.Match{Matches: `(`}, "url: bad regexp: "},
	} {
		if got := r.checkURL(cur, &c.m); (c.fail == "") != (got == "") || !strings.HasPrefix(got, c.fail) {
			t.Errorf("%+v: %q, want %q", c.m, got, c.fail)
		}
	}
}

func TestCheckCookie(t *testing.T) {
	yes, no := true, false
	jar := []cdpCookie{
		{Name: "sid", Domain: "other.test", Path: "/"},
		{Name: "sid", Domain: ".app.test", Path: "/", Secure: true, HTTPOnly: true, Session: true, SameSite: "Lax"},
		{Name: "pref", Domain: "app.test", Path: "/"},
	}
	const page = "https://www.app.test/"
	for _, c := range []struct {
		e    scenarios.CookieExpect
		fail string
	}{
		// The cookie of the page's domain is the one checked.
		{scenarios.CookieExpect{Name: "sid", Secure: &yes, HTTPOnly: &yes, Session: &yes, SameSite: "lax", Domain: ".app.test", Path: "/"}, ""},
		{scenarios.CookieExpect{Name: "sid", Secure: &no, SameSite: "Strict", Path: "/x"},
			"cookie sid: secure=true, want false, sameSite=Lax, want Strict, path=/, want /x"},
		{scenarios.CookieExpect{Name: "pref", SameSite: "Lax"}, "cookie pref: sameSite=(none), want Lax"},
		{scenarios.CookieExpect{Name: "gone"}, "cookie gone is not in the jar"},
		{scenarios.CookieExpect{Name: "gone", Present: &no}, ""},
		{scenarios.CookieExpect{Name: "pref", Present: &no}, "cookie pref is present, want absent"},
	} {
		if got := checkCookie(jar, page, &c.e); got != c.fail {
			t.Errorf("%+v: %q, want %q", c.e, got, c.fail)
		}
	}
}

// An expect on the session compares the session IDs of the last two jars.
func TestCheckSession(t *testing.T) {
	r := &runner{sc: &scenarios.Scenario{Session: scenarios.Session{Cookies: []string{"sid"}}}}
	jar := func(v string) stepRun {
		if v == "" {
			return stepRun{jar: []cdpCookie{{Name: "theme", Value: "dark", Domain: "app.test", Path: "/"}}}
		}
		return stepRun{jar: []cdpCookie{{Name: "sid", Value: v, Domain: "app.test", Path: "/"}}}
	}
	for _, c := range []struct {
		before, after, want, fail string
	}{
		{"a", "b", "rotated", ""},
		{"a", "a", "rotated", "session: the session ID was kept, want rotated"},
		{"", "", "rotated", "session: no session ID changed (before: none; after: none), want rotated"},
		{"a", "a", "kept", ""},
		{"a", "b", "kept", "session: the session ID was not kept (before: sid; after: sid)"},
		{"", "a", "present", ""},
		{"a", "", "present", "session: no session ID cookie in the jar, want one"},
		{"a", "", "gone", ""},
		{"", "a", "gone", "session: session ID cookie still in the jar (sid), want gone"},
	} {
		r.steps = []stepRun{jar(c.before), jar(c.after)}
		if got := r.checkSession(len(r.steps), c.want); got != c.fail {
			t.Errorf("%q then %q, want %s: %q, want %q", c.before, c.after, c.want, got, c.fail)
		}
	}
}

func TestClip(t *testing.T) {
	if got := clip("  Welcome,\n\n  Ada  "); got != "Welcome, Ada" {
		t.Errorf("%q", got)
	}
	if got := clip(strings.Repeat("x", 100)); len(got) != 80 || !strings.HasSuffix(got, "...") {
		t.Errorf("%q", got)
	}
}
