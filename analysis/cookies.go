package analysis

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

const (
	maxCookieSize = 4096
	maxLifetime   = 400 * 24 * time.Hour
)

// cookieRules runs the catalogue's line checks (Rule.lineCheck: the
// COOKIE-* rules) over every Set-Cookie line of every response.
func (a *analyzer) cookieRules() {
	// One for all lines: the checks are called through function values,
	// which would move one per line to the heap.
	l := &cookieLine{a: a, slot: -1}
	for qi, q := range a.reqs {
		for i := range q.SetCookies {
			l.set(q, &a.reqInfo[qi], i)
			for _, r := range lineChecks {
				l.run(r)
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

func setCookieText(sc *recording.SetCookie) string {
	s := "Set-Cookie: " + sc.Name + "=…"
	if sc.Attributes != "" {
		s += "; " + sc.Attributes
	}
	return s
}

// cookieLine is what the line checks share about one Set-Cookie line,
// worked out once per line (the analysis was optimised: see
// docs/benchmarks.md), and the state of the check being run.
type cookieLine struct {
	a            *analyzer
	q            *recording.Request
	in           *urlInfo // what q.URL says
	i            int      // the line is q.SetCookies[i]
	sc           *recording.SetCookie
	k            ckey
	session      bool
	kind, Kind   string // "cookie", "The cookie", or for a session cookie "session cookie", "The session cookie"
	secureOrigin bool
	// stored: not a deletion and not refused by the browser. Only such a
	// line stores a cookie whose attributes matter.
	stored bool
	// ss is the SameSite value, from the attributes or else the parsed
	// line; hasSS whether there is one; ssNone whether it is None, ssValid
	// whether it is one browsers know (recording.SameSiteMode).
	ss                     string
	hasSS, ssNone, ssValid bool
	life                   time.Duration // the lifetime asked for, when hasLife
	hasLife                bool
	unclaimed              []string // refusal reasons no rule claims (Rule.refusals): COOKIE-REJECTED's
	text                   string   // the evidence of most findings, made when first needed

	r *Rule // the rule of the check being run
	// After fire, when the finding is kept: where, its severity, and the
	// message and (if not the line) evidence the check gives it.
	slot          int
	sev           Severity
	msg, evidence string
}

// set makes l the line q.SetCookies[i]; in is what q.URL says. Field by
// field, not *l = cookieLine{...}, which builds a whole line aside and
// copies it.
func (l *cookieLine) set(q *recording.Request, in *urlInfo, i int) {
	sc := &q.SetCookies[i]
	l.q, l.in, l.i, l.sc = q, in, i, sc
	l.k = setCookieKeyAt(*in, sc)
	l.session = l.a.isSession(sc.Name)
	l.kind, l.Kind = "cookie", "The cookie"
	if l.session {
		l.kind, l.Kind = "session cookie", "The session cookie"
	}
	l.secureOrigin = secureContext(*in)
	// Chromium refuses a Partitioned line without Secure and says nothing
	// (COOKIE-PARTITIONED-INSECURE): its attributes store nothing either.
	l.stored = !sc.Deletion && !sc.Rejected && !(sc.Partitioned && !sc.Secure)
	l.ss, l.hasSS = recording.AttrValue(sc.Attributes, "samesite")
	if !l.hasSS && sc.SameSite != "" {
		l.ss, l.hasSS = sc.SameSite, true
	}
	mode := recording.SameSiteMode(l.ss)
	l.ssNone, l.ssValid = mode == "None", mode != ""
	l.life, l.hasLife = lifetime(sc, reqEnd(q))
	l.unclaimed = l.unclaimed[:0]
	if sc.Rejected {
		for _, r := range sc.Reasons {
			if !claimed(r) {
				l.unclaimed = append(l.unclaimed, r)
			}
		}
	}
	l.text = ""
}

// claimed reports whether a rule reports the refusal reason r (not an
// empty one: that is the refusal of every rule that claims none).
func claimed(r string) bool {
	for _, c := range lineChecks {
		if r != "" && slices.Contains(c.refusals, r) {
			return true
		}
	}
	return false
}

// run runs the check of rule r on the line.
func (l *cookieLine) run(r *Rule) {
	l.r = r
	r.lineCheck(l)
	if l.slot < 0 {
		return
	}
	if l.evidence == "" {
		if l.text == "" {
			l.text = setCookieText(l.sc) + " (" + l.q.Method + " " + l.q.URL + ")"
		}
		l.evidence = l.text
	}
	q, sc, f := l.q, l.sc, l.a.findings
	f.put(&f.kept[l.slot], Finding{Rule: r.ID, Severity: l.sev, Step: q.Step, Cookie: sc.Name, Domain: l.k.domain, Path: l.k.path,
		URL: q.URL, Request: q.ID, Message: l.msg, Evidence: l.evidence})
	l.slot, l.msg, l.evidence = -1, "", ""
}

// refused reports whether the browser refused the line for a reason
// that the rule of the check claims (Rule.refusals).
func (l *cookieLine) refused() bool {
	if !l.sc.Rejected {
		return false
	}
	for _, r := range l.r.refusals {
		if slices.Contains(l.sc.Reasons, r) {
			return true
		}
	}
	return false
}

// fire reports the line for the rule of the check, with the session or
// the other severity. It returns true when the finding is kept: then,
// and only then, the check sets l.msg (and l.evidence, when it is not
// the line). A check fires at most once per line.
func (l *cookieLine) fire(sessSev, otherSev Severity) bool {
	l.sev = otherSev
	if l.session {
		l.sev = sessSev
	}
	l.slot = l.a.findings.cookieSlot(l.r.ID, l.sev, l.q.Step, l.sc.Name, l.k.domain, l.k.path)
	return l.slot >= 0
}

// The line checks, one per rule, named by the rule's catalogue entry
// (Rule.lineCheck). Each fires at most once per line, and makes its
// message only when fire says the finding is kept.

// checkSecureMissing: COOKIE-SECURE-MISSING.
func checkSecureMissing(l *cookieLine) {
	if !l.stored || l.sc.Secure || !l.secureOrigin || !l.fire(High, Low) {
		return
	}
	if isLoopback(l.in.host) && l.in.scheme != "https" {
		l.msg = fmt.Sprintf("%s %s was set on %s without Secure. localhost and 127.0.0.1 are secure origins for Chromium, so a Secure cookie would have worked here; on a real host name this cookie would travel over plain http.",
			l.Kind, l.sc.Name, l.in.host)
	} else {
		l.msg = fmt.Sprintf("%s %s was set over https without Secure: the browser will also send it over plain http, where anyone on the network can read it.", l.Kind, l.sc.Name)
	}
}

// checkHTTPOnlyMissing: COOKIE-HTTPONLY-MISSING.
func checkHTTPOnlyMissing(l *cookieLine) {
	if l.stored && !l.sc.HTTPOnly && l.fire(Medium, Info) {
		l.msg = fmt.Sprintf("%s %s has no HttpOnly: any script in the page, including injected XSS, can read it with document.cookie.", l.Kind, l.sc.Name)
	}
}

// checkSameSiteMissing: COOKIE-SAMESITE-MISSING.
func checkSameSiteMissing(l *cookieLine) {
	if l.stored && !l.hasSS && l.fire(Low, Info) {
		l.msg = fmt.Sprintf("%s %s sets no SameSite: Chromium treats it as Lax, other browsers may send it on cross-site requests.", l.Kind, l.sc.Name)
	}
}

// checkSameSiteNone: COOKIE-SAMESITE-NONE.
func checkSameSiteNone(l *cookieLine) {
	if l.stored && l.ssNone && l.fire(Medium, Info) {
		l.msg = fmt.Sprintf("%s %s has SameSite=None: the browser attaches it to every cross-site request, forged ones included.", l.Kind, l.sc.Name)
	}
}

// checkSameSiteInvalid: COOKIE-SAMESITE-INVALID.
func checkSameSiteInvalid(l *cookieLine) {
	if l.stored && l.hasSS && !l.ssValid && l.fire(Low, Low) {
		l.msg = fmt.Sprintf("%s has SameSite=%q, which is not Strict, Lax or None: browsers ignore it and apply their default (Lax in Chromium).", l.sc.Name, l.ss)
	}
}

// checkSameSiteNoneInsecure: COOKIE-SAMESITE-NONE-INSECURE, the browser's
// refusal rather than the attributes when it gave one.
func checkSameSiteNoneInsecure(l *cookieLine) {
	switch {
	case l.refused():
		if l.fire(Medium, Low) {
			l.msg = fmt.Sprintf("The browser refused %s %s: SameSite=None requires Secure.", l.kind, l.sc.Name)
		}
	case !l.sc.Deletion && l.ssNone && !l.sc.Secure:
		if l.fire(Medium, Low) {
			l.msg = fmt.Sprintf("%s sets SameSite=None without Secure: Chromium refuses such cookies.", l.sc.Name)
		}
	}
}

// checkDomainLoose: COOKIE-DOMAIN-LOOSE.
func checkDomainLoose(l *cookieLine) {
	if !l.stored {
		return
	}
	d, host := "", l.in.host
	if strings.HasPrefix(l.k.domain, ".") {
		d = l.k.domain[1:] // the Domain attribute, as the identity spells it
	}
	switch {
	case d == "":
	case host != d && strings.HasSuffix(host, "."+d):
		if l.fire(Medium, Low) {
			l.msg = fmt.Sprintf("%s is set with Domain=%s from %s: every subdomain of %s receives it and can overwrite it.", l.sc.Name, d, host, d)
		}
	case host == d:
		if l.fire(Low, Info) {
			l.msg = fmt.Sprintf("%s is set with Domain=%s: that also sends it to every subdomain of %s; without Domain it would be host-only.", l.sc.Name, d, d)
		}
	}
}

// checkPrefixViolation: COOKIE-PREFIX-VIOLATION, the browser's refusal
// rather than the attributes when it gave one.
func checkPrefixViolation(l *cookieLine) {
	if l.refused() {
		if l.fire(Medium, Low) {
			l.msg = fmt.Sprintf("The browser refused %s %s: it breaks the rules of its name prefix.", l.kind, l.sc.Name)
		}
	} else if !l.sc.Deletion {
		if msg := prefixViolation(l.sc, l.secureOrigin); msg != "" && l.fire(Medium, Low) {
			l.msg = msg
		}
	}
}

// checkHostPrefixAbsent: COOKIE-HOST-PREFIX-ABSENT.
func checkHostPrefixAbsent(l *cookieLine) {
	if !l.stored || !l.session || recording.CookiePrefix(l.sc.Name) == "__Host-" || !l.fire(Info, Info) {
		return
	}
	fit := "it already has Secure, Path=/ and no Domain, so only the name has to change"
	if !l.sc.Secure || l.sc.Domain != "" || l.sc.Path != "/" {
		fit = "it would also need Secure, Path=/ and no Domain"
	}
	l.msg = fmt.Sprintf("The session cookie %s has no __Host- prefix (%s): with it the browser guarantees a Secure, host-only cookie that subdomains cannot overwrite.", l.sc.Name, fit)
}

// checkSessionPersistent: COOKIE-SESSION-PERSISTENT.
func checkSessionPersistent(l *cookieLine) {
	if !l.stored || !l.session || !l.hasLife {
		return
	}
	var sev Severity
	switch {
	case l.life > 7*24*time.Hour:
		sev = High
	case l.life > 24*time.Hour:
		sev = Medium
	case l.life > time.Hour:
		sev = Low
	default:
		return
	}
	if l.fire(sev, sev) {
		l.msg = fmt.Sprintf("The session cookie %s is persistent (it lives %s): it survives browser restarts and stays on disk.", l.sc.Name, fmtDuration(l.life))
	}
}

// checkExpiryCapped: COOKIE-EXPIRY-CAPPED.
func checkExpiryCapped(l *cookieLine) {
	if l.stored && l.hasLife && l.life > maxLifetime && l.fire(Low, Low) {
		l.msg = fmt.Sprintf("%s asks for a lifetime of %s; browsers cap cookies at 400 days, so it will expire earlier than intended.", l.sc.Name, fmtDuration(l.life))
	}
}

// checkSizeExceeded: COOKIE-SIZE-EXCEEDED, the browser's refusal rather
// than the size when it gave one.
func checkSizeExceeded(l *cookieLine) {
	switch {
	case l.refused():
		if l.fire(Medium, Low) {
			l.msg = fmt.Sprintf("The browser refused %s %s: name and value are %d bytes, more than %d.", l.kind, l.sc.Name, l.sc.Size, maxCookieSize)
		}
	case !l.sc.Deletion && l.sc.Size > maxCookieSize:
		if l.fire(Medium, Low) {
			l.msg = fmt.Sprintf("%s is %d bytes (name and value), more than the %d browsers accept.", l.sc.Name, l.sc.Size, maxCookieSize)
		}
	}
}

// checkDuplicateSet: COOKIE-DUPLICATE-SET, once per response and name, at
// the first line of the name.
func checkDuplicateSet(l *cookieLine) {
	if n := sameName(l.q.SetCookies, l.i); n > 1 && l.fire(Low, Low) {
		l.msg = fmt.Sprintf("%s is set %d times in one response; only one value can win, and which depends on the order of the headers.", l.sc.Name, n)
		l.evidence = fmt.Sprintf("%d Set-Cookie lines named %s on %s %s", n, l.sc.Name, l.q.Method, l.q.URL)
	}
}

// checkOverwriteSecure: COOKIE-OVERWRITE-SECURE, from the browser's
// refusal only.
func checkOverwriteSecure(l *cookieLine) {
	if l.refused() && l.fire(Medium, Low) {
		l.msg = fmt.Sprintf("A response over %s tried to set %s %s without Secure while the browser held a Secure %s: the browser refused it (OverwriteSecure).",
			l.in.scheme, l.kind, l.sc.Name, l.sc.Name)
	}
}

// checkRejected: COOKIE-REJECTED, a refusal for reasons no other rule
// claims (Rule.refusals), or for none given.
func checkRejected(l *cookieLine) {
	if !l.sc.Rejected || len(l.sc.Reasons) > 0 && len(l.unclaimed) == 0 || !l.fire(Medium, Low) {
		return
	}
	why := "no reason given"
	if len(l.unclaimed) > 0 {
		why = reasonsText(l.unclaimed)
	}
	l.msg = fmt.Sprintf("The browser refused %s %s (%s): it was never stored.", l.kind, l.sc.Name, why)
}

// prefixViolation says how a line breaks its __Secure- or __Host- prefix,
// or "".
func prefixViolation(sc *recording.SetCookie, secureOrigin bool) string {
	switch recording.CookiePrefix(sc.Name) {
	case "__Host-":
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
	case "__Secure-":
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
