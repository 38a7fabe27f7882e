package recording

import (
	"net/url"
	"strings"
)

// A cookie's identity in the jar is its name, domain, path and partition
// (CookieKey). This file works out the domain and the path a Set-Cookie
// line gives a cookie, the way Chromium does, for every part of
// sessiontrace: the harness's events, HAR import (DeriveEvents), the
// analysis, the policy checks and the run diff.

// CanonicalHost spells a host name as Chromium's cookie jar does: ASCII
// letters in lower case ("App.test" is "app.test"). A final dot stays:
// Chromium keeps it (a response from http://A.test./ sets a cookie whose
// domain is "a.test.", and Domain=A.test. from there gives ".a.test."),
// so "a.test." and "a.test" are two hosts. A browser records non-ASCII
// names in punycode; other bytes are left as they are (no Unicode case
// mapping). It allocates only when it changes host.
func CanonicalHost(host string) string {
	for i := 0; i < len(host); i++ {
		if c := host[i]; 'A' <= c && c <= 'Z' {
			b := []byte(host)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return host
}

// DefaultPath is RFC 6265bis' default-path (section 5.1.4) of a request
// path as sent, that is escaped ("/a%2Fb/c" gives "/a%2Fb", not "/a/b"):
// "/" when the path is empty, is not absolute or has no "/" after the
// first, else the path up to its last "/".
func DefaultPath(escapedPath string) string {
	if escapedPath == "" || escapedPath[0] != '/' {
		return "/"
	}
	if i := strings.LastIndexByte(escapedPath, '/'); i > 0 {
		return escapedPath[:i]
	}
	return "/"
}

// Identity returns the domain and path a Set-Cookie line received from
// requestURL gives its cookie (see IdentityAt).
func (sc *SetCookie) Identity(requestURL string) (domain, path string) {
	var host, reqPath string
	if u, err := url.Parse(strings.TrimSpace(requestURL)); err == nil {
		host, reqPath = u.Hostname(), u.EscapedPath()
	}
	return sc.IdentityAt(host, reqPath)
}

// IdentityAt returns the domain and path a Set-Cookie line received from
// a request to host and (escaped) requestPath gives its cookie, spelled as
// the jar spells them: a Domain attribute becomes ".domain", none means the
// host, both as CanonicalHost spells them; no Path (or a relative one)
// means the DefaultPath of the request's path.
func (sc *SetCookie) IdentityAt(host, requestPath string) (domain, path string) {
	if d := strings.TrimPrefix(trimASCIISpace(sc.Domain), "."); d != "" {
		domain = "." + CanonicalHost(d)
	} else {
		domain = CanonicalHost(host)
	}
	if strings.HasPrefix(sc.Path, "/") {
		return domain, sc.Path
	}
	return domain, DefaultPath(requestPath)
}
