package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A sighting is one time the site gave the browser a cookie it kept: a
// Set-Cookie line the browser stored, or a jar entry that no such line
// explains (a script write, or something only the jar shows). The policy
// clauses on flags and lifetime are checked against each.
type sighting struct {
	key     recording.CookieKey // domain with a leading dot for a domain cookie
	value   recording.Value
	step    int
	request string
	url     string
	// how says where the cookie came from, for the evidence: the
	// Set-Cookie line and its request, the script, or the jar.
	how string

	secure, httpOnly, hostOnly bool
	sameSite                   string // as sent; "" when absent
	persistent                 bool
	lifetime                   time.Duration
	// exact is true when the lifetime came from Max-Age; one derived from
	// Expires depends on the server's and the harness's clocks.
	exact bool
	// lifetimeText is the attribute that set the lifetime, for messages.
	lifetimeText string
}

// observe lists the sightings of a recording in the order they happened:
// first every stored Set-Cookie line (by request), then the jar entries
// no line explains (by step). Cookies the scenario planted itself
// (setCookie steps) are not the site's and are left out.
func observe(rec *recording.Recording) []sighting {
	var out []sighting
	fromLines := map[string]bool{} // name|fp|len of values a stored line set
	identity := map[string]recording.CookieKey{}
	planted := map[string]bool{}
	scripted := map[string]*recording.CookieEvent{}
	for i := range rec.Events {
		e := &rec.Events[i]
		if e.Value == nil || e.Kind != recording.EventSet {
			continue
		}
		k := valueKey(e.Name, *e.Value)
		switch e.Source {
		case recording.SourceHTTP:
			identity[e.Request+"\x00"+k] = recording.CookieKey{Name: e.Name, Domain: e.Domain, Path: e.Path}
		case recording.SourceHarness:
			planted[k] = true
		case recording.SourceScript:
			if scripted[k] == nil {
				scripted[k] = e
			}
		}
	}
	for i := range rec.Requests {
		q := &rec.Requests[i]
		for j := range q.SetCookies {
			sc := &q.SetCookies[j]
			if sc.Rejected || sc.Deletion || sc.Name == "" {
				continue
			}
			vk := valueKey(sc.Name, sc.Value)
			fromLines[vk] = true
			key, ok := identity[q.ID+"\x00"+vk]
			if !ok {
				key = lineKey(q.URL, sc)
			}
			out = append(out, lineSighting(q, sc, key))
		}
	}
	seen := map[string]bool{}
	for i := range rec.Steps {
		st := &rec.Steps[i]
		if st.Status == recording.StatusSkipped {
			continue
		}
		for j := range st.Jar {
			c := &st.Jar[j]
			vk := valueKey(c.Name, c.Value)
			id := c.Key()
			once := fmt.Sprint(id, "\x00", vk)
			if fromLines[vk] || planted[vk] || seen[once] {
				continue
			}
			seen[once] = true
			id.Partition = ""
			out = append(out, jarSighting(st, c, id, scripted[vk]))
		}
	}
	return out
}

// lineSighting is the sighting of a stored Set-Cookie line of q, of the
// cookie key.
func lineSighting(q *recording.Request, sc *recording.SetCookie, key recording.CookieKey) sighting {
	s := sighting{key: key, value: sc.Value, step: q.Step, request: q.ID, url: q.URL,
		how:    setCookieText(sc) + " (" + q.Method + " " + q.URL + ")",
		secure: sc.Secure, httpOnly: sc.HTTPOnly, hostOnly: strings.Trim(sc.Domain, ". ") == "", sameSite: sc.SameSite}
	if d, ok := sc.Lifetime(responseTime(q)); ok {
		s.persistent, s.lifetime, s.exact = true, d, sc.MaxAge != nil
		if sc.MaxAge != nil {
			s.lifetimeText = fmt.Sprintf("Max-Age=%d", *sc.MaxAge)
		} else {
			s.lifetimeText = "Expires=" + sc.Expires.UTC().Format(time.RFC1123)
		}
	}
	return s
}

// jarSighting is the sighting of a cookie of the jar after step st that
// no line set, as id; script is the script write that set its value, if
// one did.
func jarSighting(st *recording.Step, c *recording.Cookie, id recording.CookieKey, script *recording.CookieEvent) sighting {
	s := sighting{key: id, value: c.Value, step: st.Index, url: st.URL,
		how:    fmt.Sprintf("in the jar after step %d, set by no Set-Cookie line", st.Index),
		secure: c.Secure, httpOnly: c.HTTPOnly, hostOnly: c.HostOnly(), sameSite: c.SameSite}
	since := st.End
	if since.IsZero() {
		since = st.Start
	}
	if e := script; e != nil {
		s.step, s.url, since = e.Step, e.URL, e.Time
		s.how = "set by script (" + e.Detail + ")"
		if e.Location != "" {
			s.how += " at " + e.Location
		}
	}
	if c.Expires != nil && !c.Session {
		s.persistent, s.lifetime = true, c.Expires.Sub(since)
		s.lifetimeText = "expires " + c.Expires.UTC().Format(time.RFC1123)
	}
	return s
}

func valueKey(name string, v recording.Value) string {
	return fmt.Sprint(name, "\x00", v.Fingerprint, "\x00", v.Len)
}

// lineKey is the identity a Set-Cookie line gives its cookie when no event
// says (recording.SetCookie.Identity).
func lineKey(reqURL string, sc *recording.SetCookie) recording.CookieKey {
	d, p := sc.Identity(reqURL)
	return recording.CookieKey{Name: sc.Name, Domain: d, Path: p}
}

func setCookieText(sc *recording.SetCookie) string {
	s := "Set-Cookie: " + sc.Name + "=…"
	if sc.Attributes != "" {
		s += "; " + sc.Attributes
	}
	return s
}

// identities lists every cookie identity the recording holds, stored or
// not (also planted ones), in order of first appearance.
func identities(rec *recording.Recording, sightings []sighting) []recording.CookieKey {
	var out []recording.CookieKey
	seen := map[recording.CookieKey]bool{}
	add := func(k recording.CookieKey) {
		k.Partition = ""
		if k.Name != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, s := range sightings {
		add(s.key)
	}
	for _, st := range rec.Steps {
		for _, c := range st.Jar {
			add(c.Key())
		}
	}
	return out
}
