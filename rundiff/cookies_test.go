package rundiff

import (
	"reflect"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

func TestScopeOf(t *testing.T) {
	cases := []struct{ domain, target, want string }{
		{"app.test", "app.test", "{target}"},
		{".app.test", "app.test", "{target}"},
		{"APP.test.", "app.test", "{target}"},
		{"www.app.test", "app.test", "www.{target}"},
		{".app.test", "www.app.test", "{target-1}"},
		{"api.app.test", "www.app.test", "api.{target-1}"},
		{".shop.example.com", "a.b.shop.example.com", "{target-2}"},
		{"idp.test", "sso.test", "idp.test"}, // shares only the TLD: another site
		{"127.0.0.1", "127.0.0.1", "{target}"},
		{"10.0.0.1", "127.0.0.1", "10.0.0.1"},
		{"app.test", "", "app.test"},
		{"", "app.test", ""},
	}
	for _, c := range cases {
		if got := scopeOf(c.domain, c.target); got != c.want {
			t.Errorf("scopeOf(%q, %q) = %q, want %q", c.domain, c.target, got, c.want)
		}
	}
	if got := partitionScope("https://shop.test", "shop.test"); got != "https://{target}" {
		t.Errorf("partitionScope = %q", got)
	}
	if got := targetHost("https://Shop.Test:8443/base"); got != "shop.test" {
		t.Errorf("targetHost = %q", got)
	}
}

func TestWider(t *testing.T) {
	cases := []struct {
		from, to string
		want     bool
	}{
		{"{target}", "{target-1}", true},
		{"www.{target}", "{target}", true},
		{"{target-1}", "{target}", false},
		{"api.{target-1}", "{target}", false}, // a sibling: neither wider nor narrower
		{"www.shop.test", "shop.test", true},
		{"{target}", "shop.test", false}, // relative and absolute do not compare
		{"{target}", "{target}", false},
	}
	for _, c := range cases {
		if got := wider(c.from, c.to); got != c.want {
			t.Errorf("wider(%q, %q) = %v", c.from, c.to, got)
		}
	}
}

func TestFormatLifetime(t *testing.T) {
	cases := map[time.Duration]string{
		400 * 24 * time.Hour:                  "400d",
		36 * time.Hour:                        "1d12h",
		time.Hour - 400*time.Millisecond:      "1h",
		2*time.Hour + 30*time.Minute:          "2h30m",
		5*time.Minute + 30*time.Second:        "5m30s",
		45 * time.Second:                      "45s",
		0:                                     "0s",
		24*time.Hour + 59*time.Minute + 59e9:  "1d",
		24*time.Hour + 60*time.Minute + 0.4e9: "1d1h",
	}
	for d, want := range cases {
		if got := FormatLifetime(d); got != want {
			t.Errorf("FormatLifetime(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSameLifetimeAndMaterialSize(t *testing.T) {
	if !sameLifetime(time.Hour, time.Hour+3*time.Minute) || sameLifetime(time.Hour, 2*time.Hour) {
		t.Error("sameLifetime: 10% tolerance")
	}
	if !sameLifetime(5*time.Second, 6*time.Second) || sameLifetime(5*time.Second, 10*time.Second) {
		t.Error("sameLifetime: 2s floor")
	}
	for _, c := range []struct {
		a, b int
		want bool
	}{{32, 40, false}, {32, 48, true}, {200, 240, false}, {200, 260, true}, {0, 16, true}} {
		if got := materialSize(c.a, c.b); got != c.want {
			t.Errorf("materialSize(%d, %d) = %v", c.a, c.b, got)
		}
	}
}

// A cookie that only a Set-Cookie line shows gets the identity
// recording.SetCookie.Identity gives, the jar's (rundiff once had its own
// copy of those rules), so a
// line and the jar's entry for the same cookie are one profile; its
// SameSite is read ASCII case-insensitively ("ſtrict" is no SameSite
// browsers know).
func TestProfileOfSetCookieLine(t *testing.T) {
	red := recording.NewRedactor([]byte("k"), false)
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	q := recording.Request{ID: "1", URL: "https://App.Test/a%2Fb/c", Start: t0, End: t0,
		SetCookies: []recording.SetCookie{recording.ParseSetCookie("held=1", t0, red), recording.ParseSetCookie("line=1; SameSite=ſtrict", t0, red)}}
	r := &recording.Recording{Requests: []recording.Request{q}, Steps: []recording.Step{{Jar: []recording.Cookie{
		{Name: "held", Domain: "app.test", Path: "/a%2Fb", SameSite: "Lax", Session: true}}}}}
	var got []string
	for _, p := range profiles(r, func(int) bool { return true }) {
		got = append(got, p.Name+" "+p.Domain+" "+p.Path+" "+p.Source+" "+sameSiteName(p.SameSite))
	}
	if want := []string{"held app.test /a%2Fb jar Lax", "line app.test /a%2Fb set-cookie unset"}; !reflect.DeepEqual(got, want) {
		t.Errorf("profiles %q, want %q", got, want)
	}
}
