package analysis

import (
	"fmt"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// parseURL parses u leniently: recordings hold scrubbed URLs
// ("[value:FP]" markers) and whatever a browser sent. The result is
// shared (memoised): callers must not modify it.
func parseURL(u string) *url.URL {
	urlMemo.Lock()
	defer urlMemo.Unlock()
	if p, ok := urlMemo.m[u]; ok {
		return p
	}
	p := parseURLOnce(u)
	if len(urlMemo.m) >= 4096 {
		clear(urlMemo.m)
	}
	urlMemo.m[u] = p
	return p
}

// parseURLOnce is parseURL without the memo: url.Parse of u without its
// surrounding white space, or nil.
func parseURLOnce(u string) *url.URL {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return nil
	}
	return p
}

// urlMemo remembers the URLs url.Parse had to read: those infoOf does not
// read itself (escapes, user info, IPv6 hosts, ...), which a recording may
// name many times.
var urlMemo = struct {
	sync.Mutex
	m map[string]*url.URL
}{m: map[string]*url.URL{}}

// schemeOf returns the lower-case scheme of u, or "".
func schemeOf(u string) string { return infoOf(u).scheme }

// hostOf returns the lower-case host name of u without port, or "".
func hostOf(u string) string { return infoOf(u).host }

// isLoopback reports whether host is localhost, a .localhost name or a
// loopback address: Chromium treats http to these as a secure origin
// (Secure cookies are set and sent there).
func isLoopback(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".") // localhost. too
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	// netip, not net: the net package would weigh on the inspector's wasm.
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.IsLoopback()
}

// secureContext reports whether a request to in is a secure context for
// cookies: https (or wss), or http to a loopback host.
func secureContext(in urlInfo) bool {
	switch in.scheme {
	case "https", "wss":
		return true
	case "http", "ws":
		return isLoopback(in.host)
	}
	return false
}

// resolveURL resolves ref against base; it returns ref unchanged when
// either does not parse.
func resolveURL(base, ref string) string {
	b, r := parseURL(base), parseURL(ref)
	if b == nil || r == nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// sameDocURL compares two URLs ignoring the fragment.
func sameDocURL(a, b string) bool {
	cut := func(s string) string {
		s, _, _ = strings.Cut(s, "#")
		return strings.TrimSuffix(s, "/")
	}
	return cut(a) == cut(b)
}

// domainMatches reports whether a cookie with this jar domain (a leading
// dot for a domain cookie) applies to host.
func domainMatches(cookieDomain, host string) bool {
	d := strings.ToLower(cookieDomain)
	host = strings.ToLower(host)
	if d == "" || host == "" {
		return false
	}
	if strings.HasPrefix(d, ".") {
		d = d[1:]
		return host == d || strings.HasSuffix(host, "."+d)
	}
	return host == d
}

// setCookieKeyAt returns the identity a Set-Cookie line gives its cookie
// (recording.SetCookie.IdentityAt) on the response to a URL read by infoOf.
func setCookieKeyAt(in urlInfo, sc *recording.SetCookie) ckey {
	k := ckey{name: sc.Name}
	k.domain, k.path = sc.IdentityAt(in.hostname, in.path)
	return k
}

// header looks up a response header case-insensitively.
func header(h map[string]string, name string) (string, bool) {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// stepAction is the action of a step without its name: "click #plain-link"
// for a step detailed "follow the http link (click #plain-link)".
func stepAction(st *recording.Step) string {
	if st == nil {
		return ""
	}
	d := st.Detail
	if st.Name != "" {
		if in, ok := strings.CutPrefix(d, st.Name+" ("); ok && strings.HasSuffix(in, ")") {
			d = strings.TrimSuffix(in, ")")
		}
	} else if i := strings.LastIndex(d, " ("); i > 0 && strings.HasSuffix(d, ")") && st.Kind != "" &&
		strings.HasPrefix(d[i+2:], string(st.Kind)+" ") {
		d = d[i+2 : len(d)-1]
	}
	if d == "" {
		d = string(st.Kind)
	}
	return d
}

// fmtDuration prints a duration for people: "4.0s", "350ms", "2h0m0s".
func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < 48*time.Hour:
		return d.Round(time.Second).String()
	}
	return fmt.Sprintf("%.0f days", d.Hours()/24)
}

// evidenceString renders an evidence map as "k=v; k=v" in key order.
func evidenceString(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k)
		b.WriteString("=")
		b.WriteString(m[k])
	}
	return b.String()
}

func short(fp string) string {
	if len(fp) > 8 {
		return fp[:8]
	}
	return fp
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func reasonsText(reasons []string) string {
	parts := make([]string, 0, len(reasons))
	for _, r := range reasons {
		parts = append(parts, r+": "+recording.ReasonText(r))
	}
	return strings.Join(parts, "; ")
}
