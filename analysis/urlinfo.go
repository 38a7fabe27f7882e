package analysis

import (
	"net/url"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// urlInfo is what the analysis reads of a URL, as url.Parse (through
// parseURL) gives it.
type urlInfo struct {
	scheme   string // schemeOf: lower case, or ""
	hostname string // url.URL.Hostname, as written; "" when it does not parse
	host     string // hostOf: hostname as recording.CanonicalHost spells it (lower case)
	path     string // url.URL.EscapedPath; "" when it does not parse
}

// infoOf reads u. Most recorded URLs are plain http(s) URLs, which
// simpleURL reads without net/url: url.Parse and the memo's locking and
// string hashing were a tenth of the analysis in the inspector's wasm.
func infoOf(u string) urlInfo {
	if in, ok := simpleURL(u); ok {
		return in
	}
	return parsedInfo(u, parseURL(u))
}

// parsedInfo is what url.Parse says of u, p (nil when it failed): the
// slow path, to which urlinfo_test.go holds simpleURL.
func parsedInfo(u string, p *url.URL) urlInfo {
	var in urlInfo
	if p != nil {
		in.scheme = strings.ToLower(p.Scheme)
		in.hostname, in.path = p.Hostname(), p.EscapedPath()
		in.host = recording.CanonicalHost(in.hostname)
	} else if i := strings.Index(u, "://"); i > 0 {
		in.scheme = strings.ToLower(u[:i])
	}
	return in
}

// simpleURL reads "http://host[:port][/path][?query][#fragment]" (or
// https) whose every byte is printable ASCII other than '%', whose host
// is letters, digits, '.', '-' and '_' and whose path needs no escaping:
// for those, url.Parse's scheme, Hostname and EscapedPath are plain
// slices of u. false for anything else (urlinfo_test.go holds the two to
// the same results).
func simpleURL(u string) (urlInfo, bool) {
	var in urlInfo
	var rest string
	switch {
	case strings.HasPrefix(u, "https://"):
		in.scheme, rest = "https", u[len("https://"):]
	case strings.HasPrefix(u, "http://"):
		in.scheme, rest = "http", u[len("http://"):]
	default:
		return in, false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c <= ' ' || c >= 0x7f || c == '%' {
			return in, false
		}
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	auth, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		auth, path = rest[:i], rest[i:]
	}
	name, colon := auth, -1
	for i := 0; i < len(auth); i++ {
		c := auth[i]
		switch {
		case colon >= 0:
			if c < '0' || c > '9' {
				return in, false // a port is digits only
			}
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == '_':
		case c == ':':
			colon = i
		default:
			return in, false
		}
	}
	if colon >= 0 {
		name = auth[:colon]
	}
	if name == "" {
		return in, false
	}
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~/$&+,:;=@", c) >= 0:
		default:
			return in, false
		}
	}
	in.hostname, in.path = name, path
	in.host = recording.CanonicalHost(name)
	return in, true
}
