package analysis

import (
	"fmt"
	"github.com/sessiontrace/sessiontrace/recording"
	"slices"
	"strings"
)

// Cookies in a third-party context (a cross-site frame, a request from
// another site's page) and the partitioned cookies (CHIPS) meant for it.

// thirdPartyReasons are the browser's reasons for blocking a cookie
// because the context is third-party: its cookie settings (Chromium's
// default here) or the third-party cookie phase-out.
var thirdPartyReasons = []string{"UserPreferences", "ThirdPartyPhaseout", "ExcludeThirdPartyPhaseout"}

// thirdPartyReason reports whether the browser reason r blocks a cookie
// because the context is third-party: those above, and the ones a later
// Chromium spells with ThirdParty in them (the rule claims the refusals
// it knows; a withheld cookie is reported for any).
func thirdPartyReason(r string) bool {
	return slices.Contains(thirdPartyReasons, r) || strings.Contains(r, "ThirdParty")
}

// thirdParty returns the reasons of rs that block a third-party cookie.
func thirdParty(rs []string) []string {
	var out []string
	for _, r := range rs {
		if thirdPartyReason(r) {
			out = append(out, r)
		}
	}
	return out
}

// checkThirdPartyUnpartitioned: COOKIE-THIRD-PARTY-UNPARTITIONED, a
// Set-Cookie line without Partitioned that the browser refused as a
// third-party cookie (thirdPartyWithheld reports the cookies withheld).
func checkThirdPartyUnpartitioned(l *cookieLine) {
	if l.refused() && !l.sc.Partitioned && l.fire(Medium, Info) {
		l.msg = fmt.Sprintf("The browser refused %s %s as a third-party cookie (%s): in a cross-site frame or request it keeps only Partitioned cookies.",
			l.kind, l.sc.Name, reasonsText(thirdParty(l.sc.Reasons)))
	}
}

// thirdPartyWithheld: COOKIE-THIRD-PARTY-UNPARTITIONED for a cookie the
// browser held but withheld from a request as a third-party cookie (a
// partitioned cookie is never withheld for these reasons).
func (a *analyzer) thirdPartyWithheld() {
	for _, q := range a.reqs {
		for _, c := range q.CookiesWithheld {
			rs := thirdParty(c.Reasons)
			if len(rs) == 0 {
				continue
			}
			sev, kind := Info, "cookie"
			if a.isSession(c.Name) || a.othersSession(c.Name, c.Domain) {
				sev, kind = Medium, "session cookie"
			}
			a.findings.add(Finding{Rule: RuleCookieThirdParty, Severity: sev, Step: q.Step, Cookie: c.Name, Domain: c.Domain, Path: c.Path,
				URL: q.URL, Request: q.ID,
				Message: fmt.Sprintf("The browser withheld the %s %s from a request in a third-party context (%s): what it keeps (a session in an embedded frame, an identity provider's silent renewal) is lost there.",
					kind, c.Name, reasonsText(rs)),
				Evidence: fmt.Sprintf("%s %s: %s withheld (%s)", q.Method, q.URL, c.Name, strings.Join(rs, ", "))}, "")
		}
	}
}

// othersSession reports whether a cookie of another site than the
// scenario's target is named like a session ID: an identity provider's
// session, which the scenario's declared session cookies (the target's)
// do not name, and which silent renewal in a cross-site frame needs.
func (a *analyzer) othersSession(name, domain string) bool {
	if domainMatches(domain, hostOf(a.r.Scenario.Target)) || csrfName(name) {
		return false
	}
	ok, _ := recording.IsSessionName(name)
	return ok
}

// checkPartitionedInsecure: COOKIE-PARTITIONED-INSECURE.
func checkPartitionedInsecure(l *cookieLine) {
	if !l.sc.Deletion && l.sc.Partitioned && !l.sc.Secure && l.fire(Medium, Low) {
		l.msg = fmt.Sprintf("%s sets Partitioned without Secure: Chromium refuses such cookies, without a reason in its DevTools events.", l.sc.Name)
	}
}
