package harness

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// doExpect checks an expect step against the page and against the jars
// the runner recorded. Every failed check is reported, not only the first.
func (r *runner) doExpect(c context.Context, s *stepCall) error {
	i, e := s.i, s.st.Expect
	if e == nil {
		return nil
	}
	var fails []string
	if e.URL != nil {
		cur, err := docURL(c, s.doc)
		if err != nil {
			return err
		}
		if msg := r.checkURL(cur, e.URL); msg != "" {
			fails = append(fails, msg)
		}
	}
	if e.Text != nil {
		// The rendered text, as chromedp's Text has it: none for an
		// element without a box.
		text, err := whenPresent(c, s.doc, e.Text.Selector, `(`+visibleCond+` ? el.innerText : "")`)
		if err != nil {
			return fmt.Errorf("text: %s not found: %w", e.Text.Selector, err)
		}
		switch {
		case e.Text.Equals != "" && strings.TrimSpace(text) != e.Text.Equals:
			fails = append(fails, fmt.Sprintf("text of %s is %q, want %q", e.Text.Selector, clip(text), e.Text.Equals))
		case e.Text.Contains != "" && !strings.Contains(text, e.Text.Contains):
			fails = append(fails, fmt.Sprintf("text of %s is %q, want it to contain %q", e.Text.Selector, clip(text), e.Text.Contains))
		}
	}
	if e.Session != "" {
		if msg := r.checkSession(i, e.Session); msg != "" {
			fails = append(fails, msg)
		}
	}
	if e.Cookie != nil {
		jar, _, err := r.readJar(c)
		if err != nil {
			return err
		}
		cur, _ := docURL(c, s.doc)
		if msg := checkCookie(jar, cur, e.Cookie); msg != "" {
			fails = append(fails, msg)
		}
	}
	if len(fails) > 0 {
		return expectFailed("%s", strings.Join(fails, "; "))
	}
	return nil
}

// expectError is a failed expectation: the scenario failed, the run did
// not break.
type expectError struct{ msg string }

func (e *expectError) Error() string { return "expectation failed: " + e.msg }

func expectFailed(format string, args ...any) error {
	return &expectError{fmt.Sprintf(format, args...)}
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

func (r *runner) checkURL(cur string, m *scenarios.Match) string {
	switch {
	case m.Equals != "":
		want := m.Equals
		got := cur
		if !strings.Contains(want, "://") {
			if u, err := url.Parse(cur); err == nil {
				got = u.Path
			}
		}
		if got != want {
			return fmt.Sprintf("url is %s, want %s", got, want)
		}
	case m.Contains != "":
		if !strings.Contains(cur, m.Contains) {
			return fmt.Sprintf("url %s does not contain %s", cur, m.Contains)
		}
	case m.Matches != "":
		re, err := regexp.Compile(m.Matches)
		if err != nil {
			return "url: bad regexp: " + err.Error()
		}
		if !re.MatchString(cur) {
			return fmt.Sprintf("url %s does not match %s", cur, m.Matches)
		}
	}
	return ""
}

// sessionIDs returns the session-ID cookies of a jar: the scenario's
// declared names, else the names that look like session IDs.
func (r *runner) sessionIDs(jar []cdpCookie) map[recording.CookieKey]string {
	return sessionIDsIn(jar, r.sc.Session.Cookies)
}

// sessionIDsIn returns the session-ID cookies of a jar for the declared
// names (see recording.IsSessionCookie), by identity.
func sessionIDsIn(jar []cdpCookie, declared []string) map[recording.CookieKey]string {
	out := map[recording.CookieKey]string{}
	for _, c := range jar {
		if recording.IsSessionCookie(c.Name, declared) {
			out[keyOf(c)] = c.Value
		}
	}
	return out
}

// compareSessions says whether a session ID of before has another value
// in after, or was replaced by a new identity (rotated), and whether one
// kept its value (kept).
func compareSessions(before, after map[recording.CookieKey]string) (rotated, kept bool) {
	for k, v := range after {
		if old, ok := before[k]; ok {
			if old == v {
				kept = true
			} else {
				rotated = true
			}
		} else if len(before) > 0 {
			rotated = true // a new identity replaced the old one (e.g. renamed)
		}
	}
	return rotated, kept
}

// checkSession compares the session ID after the previous step with the
// one before it.
func (r *runner) checkSession(i int, want string) string {
	var before, after []cdpCookie
	if n := len(r.steps); n >= 1 {
		after = r.steps[n-1].jar
		if n >= 2 {
			before = r.steps[n-2].jar
		}
	}
	b, a := r.sessionIDs(before), r.sessionIDs(after)
	rotated, kept := compareSessions(b, a)
	names := func(m map[recording.CookieKey]string) string {
		var ns []string
		for k := range m {
			ns = append(ns, k.Name)
		}
		if len(ns) == 0 {
			return "none"
		}
		return strings.Join(ns, ", ")
	}
	switch want {
	case "rotated":
		if !rotated {
			if kept {
				return "session: the session ID was kept, want rotated"
			}
			return fmt.Sprintf("session: no session ID changed (before: %s; after: %s), want rotated", names(b), names(a))
		}
	case "kept":
		if !kept || rotated {
			return fmt.Sprintf("session: the session ID was not kept (before: %s; after: %s)", names(b), names(a))
		}
	case "present":
		if len(a) == 0 {
			return "session: no session ID cookie in the jar, want one"
		}
	case "gone":
		if len(a) > 0 {
			return fmt.Sprintf("session: session ID cookie still in the jar (%s), want gone", names(a))
		}
	}
	return ""
}

// checkCookie checks a cookie of the jar. Among cookies of that name it
// prefers the one whose domain matches the current page.
func checkCookie(jar []cdpCookie, pageURL string, e *scenarios.CookieExpect) string {
	host := ""
	if u, err := url.Parse(pageURL); err == nil {
		host = u.Hostname()
	}
	var found *cdpCookie
	for i := range jar {
		c := &jar[i]
		if c.Name != e.Name {
			continue
		}
		if found == nil || domainMatch(host, c.Domain) {
			found = c
		}
	}
	if e.Present != nil && !*e.Present {
		if found != nil {
			return fmt.Sprintf("cookie %s is present, want absent", e.Name)
		}
		return ""
	}
	if found == nil {
		return fmt.Sprintf("cookie %s is not in the jar", e.Name)
	}
	var fails []string
	flag := func(name string, want *bool, got bool) {
		if want != nil && *want != got {
			fails = append(fails, fmt.Sprintf("%s=%v, want %v", name, got, *want))
		}
	}
	flag("secure", e.Secure, found.Secure)
	flag("httpOnly", e.HTTPOnly, found.HTTPOnly)
	flag("session", e.Session, found.Session)
	if e.SameSite != "" && !strings.EqualFold(e.SameSite, found.SameSite) {
		got := found.SameSite
		if got == "" {
			got = "(none)"
		}
		fails = append(fails, fmt.Sprintf("sameSite=%s, want %s", got, e.SameSite))
	}
	if e.Domain != "" && e.Domain != found.Domain {
		fails = append(fails, fmt.Sprintf("domain=%s, want %s", found.Domain, e.Domain))
	}
	if e.Path != "" && e.Path != found.Path {
		fails = append(fails, fmt.Sprintf("path=%s, want %s", found.Path, e.Path))
	}
	if len(fails) > 0 {
		return "cookie " + e.Name + ": " + strings.Join(fails, ", ")
	}
	return ""
}

func domainMatch(host, domain string) bool {
	d := strings.TrimPrefix(domain, ".")
	return host == d || strings.HasSuffix(host, "."+d)
}
