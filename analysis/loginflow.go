package analysis

import (
	"strconv"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A login flow keeps its state in cookies besides the session: an OAuth
// state or nonce, a PKCE verifier, a CSRF token, a "return to" URL. When
// the browser does not send one back (its Path or Domain does not cover
// the callback, SameSite on a cross-site return), the login fails with no
// session cookie changing: the reset causes, which follow session
// cookies, do not see it. So: a login step after which the user was seen
// logged out, and a cookie the browser withheld during it from a request
// the server refused (4xx, 5xx): flows scope some cookies narrowly on
// purpose (an identity provider's per-interaction cookie), and a request
// that went on without one was no failure.

// loginCookiesWithheld: LOGIN-COOKIE-WITHHELD.
func (a *analyzer) loginCookiesWithheld() {
	for _, st := range a.steps {
		if st.As != recording.BoundaryLogin || st.Status == recording.StatusSkipped || st.Auth == nil || st.Auth.State != recording.AuthOut {
			continue
		}
		for _, q := range a.reqs {
			if q.Step != st.Index || q.Status < 400 {
				continue
			}
			for i := range q.CookiesWithheld {
				c := &q.CookiesWithheld[i]
				// Session cookies are the reset causes'; third-party
				// blocking is COOKIE-THIRD-PARTY-UNPARTITIONED's.
				if a.isSession(c.Name) || len(thirdParty(c.Reasons)) == len(c.Reasons) {
					continue
				}
				a.loginCookieWithheld(st, q, c)
			}
		}
	}
}

func (a *analyzer) loginCookieWithheld(st *recording.Step, q *recording.Request, c *recording.SentCookie) {
	set := ""
	for i := range a.r.Events {
		e := &a.r.Events[i]
		if e.Kind == recording.EventSet && e.Name == c.Name && e.Domain == c.Domain && e.Path == c.Path && !e.Time.After(q.Start) {
			set = ", set at step " + strconv.Itoa(e.Step)
			if e.URL != "" {
				set += " by " + e.URL
			}
			if e.Path != "" {
				set += " with Path=" + e.Path
			}
			break
		}
	}
	a.findings.add(Finding{Rule: RuleLoginCookieWithheld, Severity: Medium, Step: st.Index, Cookie: c.Name, Domain: c.Domain, Path: c.Path,
		URL: q.URL, Request: q.ID,
		Message: "The login at step " + strconv.Itoa(st.Index) + " (" + stepAction(st) + ") did not log the user in, and during it the browser withheld the cookie " +
			c.Name + set + " from " + q.Method + " " + q.URL + " (" + reasonsText(c.Reasons) + "): a login flow that keeps its state in a cookie (an OAuth state or nonce, " +
			"a PKCE verifier, a CSRF token) fails when the cookie does not come back.",
		Evidence: q.Method + " " + q.URL + ": " + c.Name + " withheld (" + strings.Join(c.Reasons, ", ") + "); after the step: logged out (" + st.Auth.Evidence + ")"},
		c.Name+"|"+c.Domain+"|"+c.Path+"|"+strconv.Itoa(st.Index))
}
