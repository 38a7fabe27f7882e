package analysis

import (
	"fmt"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

const (
	maxCookieSize = 4096
	maxLifetime   = 400 * 24 * time.Hour
)

// cookieRules runs the COOKIE-* rules over every Set-Cookie line of every
// response.
func (a *analyzer) cookieRules() {
	for qi, q := range a.reqs {
		if len(q.SetCookies) == 0 {
			continue
		}
		in := a.reqInfo[qi]
		for i := range q.SetCookies {
			a.checkSetCookie(q, in, &q.SetCookies[i])
		}
		for i := range q.SetCookies {
			sc := &q.SetCookies[i]
			if n := sameName(q.SetCookies, i); n > 1 { // reported once per response, at the first line
				k := setCookieKeyAt(in, sc)
				a.cookieFinding(RuleCookieDuplicateSet, Low, Low, q, sc, k,
					fmt.Sprintf("%s is set %d times in one response; only one value can win, and which depends on the order of the headers.", sc.Name, n),
					fmt.Sprintf("%d Set-Cookie lines named %s on %s %s", n, sc.Name, q.Method, q.URL))
			}
		}
	}
}

// sameName counts the lines named like line i, or returns 0 when an
// earlier line has that name.
func sameName(scs []recording.SetCookie, i int) int {
	n := 0
	for j := range scs {
		if scs[j].Name == scs[i].Name {
			if j < i {
				return 0
			}
			n++
		}
	}
	return n
}

// cookieFinding adds a COOKIE-* finding with the session or the other
// severity.
func (a *analyzer) cookieFinding(rule string, sessSev, otherSev Severity, q *recording.Request, sc *recording.SetCookie, k ckey, msg, evidence string) {
	sev := otherSev
	if a.isSession(sc.Name) {
		sev = sessSev
	}
	a.findings.add(Finding{Rule: rule, Severity: sev, Step: q.Step, Cookie: sc.Name, Domain: k.domain, Path: k.path,
		URL: q.URL, Request: q.ID, Message: msg, Evidence: evidence}, "")
}

func setCookieText(sc *recording.SetCookie) string {
	s := "Set-Cookie: " + sc.Name + "=…"
	if sc.Attributes != "" {
		s += "; " + sc.Attributes
	}
	return s
}

func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

// lineCheck is the context of the checks of one Set-Cookie line.
type lineCheck struct {
	a       *analyzer
	q       *recording.Request
	sc      *recording.SetCookie
	k       ckey
	session bool
	fired   [16]string // rules already reported for the line (in an array: the check stays on the stack)
	nfired  int
	more    []string // past 16, should the rules ever be that many
	ev      string   // the evidence, made when first needed
}

// fire reports rule for the line once; msg makes the message, only when
// the finding is kept (see collector.addCookie).
func (c *lineCheck) fire(rule string, sessSev, otherSev Severity, msg func() string) {
	for _, r := range c.fired[:c.nfired] {
		if r == rule {
			return
		}
	}
	for _, r := range c.more {
		if r == rule {
			return
		}
	}
	if c.nfired < len(c.fired) {
		c.fired[c.nfired] = rule
		c.nfired++
	} else {
		c.more = append(c.more, rule)
	}
	sev := otherSev
	if c.session {
		sev = sessSev
	}
	q, sc := c.q, c.sc
	c.a.findings.addCookie(rule, sev, q.Step, sc.Name, c.k.domain, c.k.path, func() Finding {
		if c.ev == "" {
			c.ev = setCookieText(sc) + " (" + q.Method + " " + q.URL + ")"
		}
		return Finding{Rule: rule, Severity: sev, Step: q.Step, Cookie: sc.Name, Domain: c.k.domain, Path: c.k.path,
			URL: q.URL, Request: q.ID, Message: msg(), Evidence: c.ev}
	})
}

// checkSetCookie runs the COOKIE-* rules over one line of q's response;
// in is what q.URL says.
func (a *analyzer) checkSetCookie(q *recording.Request, in urlInfo, sc *recording.SetCookie) {
	k := setCookieKeyAt(in, sc)
	host := in.host
	secureOrigin := secureContext(in)
	session := a.isSession(sc.Name)
	kind, Kind := "cookie", "The cookie"
	if session {
		kind, Kind = "session cookie", "The session cookie"
	}
	// c.fire, not a method value: the message functions then stay on the stack.
	c := &lineCheck{a: a, q: q, sc: sc, k: k, session: session}

	// What the browser refused.
	if sc.Rejected {
		var uncovered []string
		for _, r := range sc.Reasons {
			switch r {
			case "SameSiteNoneInsecure":
				c.fire(RuleCookieSameSiteNoneInsec, Medium, Low, func() string {
					return fmt.Sprintf("The browser refused %s %s: SameSite=None requires Secure.", kind, sc.Name)
				})
			case "InvalidPrefix":
				c.fire(RuleCookiePrefixViolation, Medium, Low, func() string {
					return fmt.Sprintf("The browser refused %s %s: it breaks the rules of its name prefix.", kind, sc.Name)
				})
			case "NameValuePairExceedsMaxSize":
				c.fire(RuleCookieSizeExceeded, Medium, Low, func() string {
					return fmt.Sprintf("The browser refused %s %s: name and value are %d bytes, more than %d.", kind, sc.Name, sc.Size, maxCookieSize)
				})
			case "OverwriteSecure":
				c.fire(RuleCookieOverwriteSecure, Medium, Low, func() string {
					return fmt.Sprintf("A response over %s tried to set %s %s without Secure while the browser held a Secure %s: the browser refused it (OverwriteSecure).",
						in.scheme, kind, sc.Name, sc.Name)
				})
			default:
				uncovered = append(uncovered, r)
			}
		}
		if len(uncovered) > 0 || len(sc.Reasons) == 0 {
			why := "no reason given"
			if len(uncovered) > 0 {
				why = reasonsText(uncovered)
			}
			c.fire(RuleCookieRejected, Medium, Low, func() string {
				return fmt.Sprintf("The browser refused %s %s (%s): it was never stored.", kind, sc.Name, why)
			})
		}
	}
	if sc.Deletion {
		return
	}

	// Attribute checks of lines that were meant to store a cookie.
	ss, hasSS := attrValue(sc.Attributes, "samesite")
	if !hasSS && sc.SameSite != "" {
		ss, hasSS = sc.SameSite, true
	}
	ssNone := strings.EqualFold(ss, "none")
	if hasSS && ssNone && !sc.Secure {
		c.fire(RuleCookieSameSiteNoneInsec, Medium, Low, func() string {
			return fmt.Sprintf("%s sets SameSite=None without Secure: Chromium refuses such cookies.", sc.Name)
		})
	}
	if sc.Size > maxCookieSize {
		c.fire(RuleCookieSizeExceeded, Medium, Low, func() string {
			return fmt.Sprintf("%s is %d bytes (name and value), more than the %d browsers accept.", sc.Name, sc.Size, maxCookieSize)
		})
	}
	if msg := prefixViolation(sc, secureOrigin); msg != "" {
		c.fire(RuleCookiePrefixViolation, Medium, Low, func() string { return msg })
	}
	if sc.Rejected {
		return // never stored: its other attributes do not matter
	}
	if life, ok := lifetime(sc, reqEnd(q)); ok {
		if life > maxLifetime {
			c.fire(RuleCookieExpiryCapped, Low, Low, func() string {
				return fmt.Sprintf("%s asks for a lifetime of %s; browsers cap cookies at 400 days, so it will expire earlier than intended.", sc.Name, fmtDuration(life))
			})
		}
		if session {
			sev := Severity("")
			switch {
			case life > 7*24*time.Hour:
				sev = High
			case life > 24*time.Hour:
				sev = Medium
			case life > time.Hour:
				sev = Low
			}
			if sev != "" {
				c.fire(RuleCookieSessionPersistent, sev, sev, func() string {
					return fmt.Sprintf("The session cookie %s is persistent (it lives %s): it survives browser restarts and stays on disk.", sc.Name, fmtDuration(life))
				})
			}
		}
	}
	if hasSS && !ssNone && !strings.EqualFold(ss, "lax") && !strings.EqualFold(ss, "strict") {
		c.fire(RuleCookieSameSiteInvalid, Low, Low, func() string {
			return fmt.Sprintf("%s has SameSite=%q, which is not Strict, Lax or None: browsers ignore it and apply their default (Lax in Chromium).", sc.Name, ss)
		})
	}
	if d := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(sc.Domain), ".")); d != "" {
		if host != d && strings.HasSuffix(host, "."+d) {
			c.fire(RuleCookieDomainLoose, Medium, Low, func() string {
				return fmt.Sprintf("%s is set with Domain=%s from %s: every subdomain of %s receives it and can overwrite it.", sc.Name, d, host, d)
			})
		} else if host == d {
			c.fire(RuleCookieDomainLoose, Low, Info, func() string {
				return fmt.Sprintf("%s is set with Domain=%s: that also sends it to every subdomain of %s; without Domain it would be host-only.", sc.Name, d, d)
			})
		}
	}
	if hasSS && ssNone {
		c.fire(RuleCookieSameSiteNone, Medium, Info, func() string {
			return fmt.Sprintf("%s %s has SameSite=None: the browser attaches it to every cross-site request, forged ones included.", Kind, sc.Name)
		})
	}
	if !sc.Secure && secureOrigin {
		c.fire(RuleCookieSecureMissing, High, Low, func() string {
			if isLoopback(host) && in.scheme != "https" {
				return fmt.Sprintf("%s %s was set on %s without Secure. localhost and 127.0.0.1 are secure origins for Chromium, so a Secure cookie would have worked here; on a real host name this cookie would travel over plain http.",
					Kind, sc.Name, host)
			}
			return fmt.Sprintf("%s %s was set over https without Secure: the browser will also send it over plain http, where anyone on the network can read it.", Kind, sc.Name)
		})
	}
	if !sc.HTTPOnly {
		c.fire(RuleCookieHTTPOnlyMissing, Medium, Info, func() string {
			return fmt.Sprintf("%s %s has no HttpOnly: any script in the page, including injected XSS, can read it with document.cookie.", Kind, sc.Name)
		})
	}
	if !hasSS {
		c.fire(RuleCookieSameSiteMissing, Low, Info, func() string {
			return fmt.Sprintf("%s %s sets no SameSite: Chromium treats it as Lax, other browsers may send it on cross-site requests.", Kind, sc.Name)
		})
	}
	if session && !hasPrefixFold(sc.Name, "__Host-") {
		fit := "it already has Secure, Path=/ and no Domain, so only the name has to change"
		if !sc.Secure || sc.Domain != "" || sc.Path != "/" {
			fit = "it would also need Secure, Path=/ and no Domain"
		}
		c.fire(RuleCookieHostPrefixAbsent, Info, Info, func() string {
			return fmt.Sprintf("The session cookie %s has no __Host- prefix (%s): with it the browser guarantees a Secure, host-only cookie that subdomains cannot overwrite.", sc.Name, fit)
		})
	}
}

// prefixViolation says how a line breaks its __Secure- or __Host- prefix,
// or "".
func prefixViolation(sc *recording.SetCookie, secureOrigin bool) string {
	switch {
	case hasPrefixFold(sc.Name, "__Host-"):
		var bad []string
		if !sc.Secure {
			bad = append(bad, "no Secure")
		}
		if sc.Domain != "" {
			bad = append(bad, "a Domain attribute")
		}
		if sc.Path != "/" {
			bad = append(bad, "Path is not /")
		}
		if !secureOrigin {
			bad = append(bad, "set from an insecure origin")
		}
		if len(bad) > 0 {
			return fmt.Sprintf("%s breaks the __Host- prefix rules (%s): browsers refuse it.", sc.Name, strings.Join(bad, ", "))
		}
	case hasPrefixFold(sc.Name, "__Secure-"):
		var bad []string
		if !sc.Secure {
			bad = append(bad, "no Secure")
		}
		if !secureOrigin {
			bad = append(bad, "set from an insecure origin")
		}
		if len(bad) > 0 {
			return fmt.Sprintf("%s breaks the __Secure- prefix rules (%s): browsers refuse it.", sc.Name, strings.Join(bad, ", "))
		}
	}
	return ""
}

// lifetime is how long the cookie set by sc lives from now; false for a
// session cookie, or when Expires cannot be compared with an unknown time.
func lifetime(sc *recording.SetCookie, now time.Time) (time.Duration, bool) {
	if sc.MaxAge == nil && (sc.Expires == nil || now.IsZero()) {
		return 0, false
	}
	return sc.Lifetime(now)
}
