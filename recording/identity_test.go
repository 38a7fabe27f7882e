package recording

import (
	"net/url"
	"testing"
)

func TestSetCookieIdentity(t *testing.T) {
	for _, c := range []struct {
		url          string
		sc           SetCookie
		domain, path string
	}{
		{"https://Shop.Example./a/b/c?x=1", SetCookie{}, "shop.example.", "/a/b"},
		{"https://shop.example", SetCookie{}, "shop.example", "/"},
		{"https://shop.example/x", SetCookie{Domain: " .Example.COM ", Path: "/p"}, ".example.com", "/p"},
		{"https://shop.example/a/b", SetCookie{Path: "rel"}, "shop.example", "/a"},
		{"http://[::1]:8080/x/", SetCookie{}, "::1", "/x"},
		{"::not a url", SetCookie{}, "", "/"},
		// The harness's copy of these rules once gave "/a/b" (the decoded
		// path's directory) and "/a/b" again (path.Dir cleans); HAR import
		// gave these. A final dot stays, as in Chromium's jar (HAR import
		// and the analysis once took it off; the harness kept it).
		{"https://h/a%2Fb/c", SetCookie{}, "h", "/a%2Fb"},
		{"https://h/a//b/./c", SetCookie{}, "h", "/a//b/."},
		{"https://a.test./x/y", SetCookie{}, "a.test.", "/x"},
		{"https://App.test", SetCookie{}, "app.test", "/"},
		{"https://APP.TEST./a%2Fb/c", SetCookie{Domain: "App.Test."}, ".app.test.", "/a%2Fb"},
		// Hosts are ASCII (a browser records others in punycode): no
		// Unicode case mapping.
		{"https://ÀPP.test/", SetCookie{}, "Àpp.test", "/"},
		{"https://app.test/", SetCookie{Domain: "\u212a.test"}, ".\u212a.test", "/"},
	} {
		if d, p := c.sc.Identity(c.url); d != c.domain || p != c.path {
			t.Errorf("%q %+v: %q %q, want %q %q", c.url, c.sc, d, p, c.domain, c.path)
		}
	}
}

func TestCanonicalHost(t *testing.T) {
	checkEach(t, "CanonicalHost", CanonicalHost, map[string]string{
		"": "", "a.test": "a.test", "App.TEST": "app.test", "a.test.": "a.test.", "A.test.": "a.test.",
		".": ".", "::1": "::1", "É.test": "É.test", "\u212a.test": "\u212a.test", "[::FFFF:7F00:1]": "[::ffff:7f00:1]",
	})
	if n := testing.AllocsPerRun(100, func() { CanonicalHost("app.test") }); n != 0 {
		t.Errorf("CanonicalHost of a canonical host allocates %v times", n)
	}
}

// DefaultPath is RFC 6265bis section 5.1.4 on the path as sent.
func TestDefaultPath(t *testing.T) {
	checkEach(t, "DefaultPath", DefaultPath, map[string]string{
		"": "/", "x": "/", "/": "/", "/a": "/", "/a/": "/a", "/a/b": "/a", "/a/b/c": "/a/b",
		"/a%2Fb/c": "/a%2Fb", "/a%2fb": "/", "//": "/", "/a//b": "/a/", "/a/./b": "/a/.",
	})
	// The path as sent: url.URL.EscapedPath keeps an escaped slash.
	u, _ := url.Parse("https://h/a%2Fb/c")
	if got := DefaultPath(u.EscapedPath()); got != "/a%2Fb" {
		t.Errorf("DefaultPath of %s = %q", u, got)
	}
}
