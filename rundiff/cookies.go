package rundiff

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A CookieChange is one cookie added (only in B), gone (only in A) or
// changed. Cookies are matched by identity, never by value: values are
// fingerprinted with a key drawn per run, so the same value has different
// fingerprints in two runs.
type CookieChange struct {
	Name string `json:"name"`
	// Change is added, gone or changed.
	Change string `json:"change"`
	// SessionID is true when the analysis takes the cookie for a session
	// ID in either run: its lifetime changes then count as regressions.
	SessionID bool `json:"sessionId"`
	// A and B are the cookie in each run; nil where it is absent.
	A *CookieState `json:"a"`
	B *CookieState `json:"b"`
	// Attributes lists the attributes that changed (for a changed cookie).
	Attributes  []AttrChange `json:"attributes"`
	Regression  bool         `json:"regression"`
	Improvement bool         `json:"improvement"`
}

// A CookieState is what one run showed of a cookie over the compared
// steps. When the cookie's attributes varied during the run, it holds the
// weakest seen: Secure and HttpOnly only if always set, the weakest
// SameSite, persistent if ever persistent, the longest lifetime and the
// largest size.
type CookieState struct {
	Name string `json:"name"`
	// Domain is as the browser holds it: a leading dot for a domain cookie.
	Domain string `json:"domain"`
	// Scope is Domain relative to the scenario's target host: "{target}",
	// "www.{target}", "{target-1}" (its parent), "api.{target-1}", or the
	// domain itself when it is unrelated to the target.
	Scope     string `json:"scope"`
	Path      string `json:"path"`
	Partition string `json:"partition,omitempty"`
	HostOnly  bool   `json:"hostOnly"`
	Secure    bool   `json:"secure"`
	HTTPOnly  bool   `json:"httpOnly"`
	// SameSite is Strict, Lax, None, or "" when the cookie set none.
	SameSite string `json:"sameSite"`
	// Session is true for a cookie without expiry (dropped when the
	// browser closes).
	Session bool `json:"session"`
	// Lifetime is a persistent cookie's lifetime in seconds, from when it
	// was set to its expiry.
	Lifetime float64 `json:"lifetime,omitempty"`
	Size     int     `json:"size"`
	// Source is "jar" (the browser's jar after the steps) or "set-cookie"
	// (Set-Cookie lines, for cookies no jar shows, as in HAR imports).
	Source string `json:"source"`
}

// A profile is a CookieState being built, with what matching needs.
type profile struct {
	CookieState
	life      time.Duration
	partScope string
	sessionID bool
}

// ident is a cookie's identity as the analysis names it.
type ident struct{ name, domain, path string }

func (p *profile) ident() ident { return ident{p.Name, p.Domain, p.Path} }

// profiles collects what a recording shows of each cookie over the
// compared steps: the jar after each step, and for cookies that no jar of
// the recording holds (HAR imports have no jar), the accepted Set-Cookie
// lines.
func profiles(r *recording.Recording, compared func(int) bool) []*profile {
	target := targetHost(r.Scenario.Target)
	sets := setTimes(r)
	type pkey struct {
		ident
		partition string
	}
	byKey := map[pkey]*profile{}
	var order []*profile
	observe := func(k pkey, o profile) {
		p, ok := byKey[k]
		if !ok {
			o.Scope = scopeOf(o.Domain, target)
			o.partScope = partitionScope(o.Partition, target)
			p = &o
			byKey[k] = p
			order = append(order, p)
			return
		}
		p.Secure = p.Secure && o.Secure
		p.HTTPOnly = p.HTTPOnly && o.HTTPOnly
		if sameSiteRank(o.SameSite) < sameSiteRank(p.SameSite) {
			p.SameSite = o.SameSite
		}
		p.Session = p.Session && o.Session
		p.life = max(p.life, o.life)
		p.Size = max(p.Size, o.Size)
	}
	inJar := map[ident]bool{}
	for _, st := range r.Steps {
		for _, c := range st.Jar {
			inJar[ident{c.Name, c.Domain, c.Path}] = true
		}
	}
	for _, st := range r.Steps {
		if !compared(st.Index) {
			continue
		}
		for _, c := range st.Jar {
			o := profile{CookieState: CookieState{Name: c.Name, Domain: c.Domain, Path: c.Path, Partition: c.Partition,
				HostOnly: c.HostOnly(), Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: recording.SameSiteMode(c.SameSite),
				Session: c.Session || c.Expires == nil, Size: c.Size, Source: "jar"}}
			if !o.Session {
				o.life = max(0, c.Expires.Sub(sets.setAt(c, st.End)))
			}
			observe(pkey{ident{c.Name, c.Domain, c.Path}, c.Partition}, o)
		}
	}
	for _, q := range r.Requests {
		if !compared(q.Step) {
			continue
		}
		for _, sc := range q.SetCookies {
			if sc.Rejected || sc.Deletion {
				continue
			}
			id := ident{name: sc.Name}
			id.domain, id.path = sc.Identity(q.URL)
			if inJar[id] {
				continue
			}
			o := profile{CookieState: CookieState{Name: sc.Name, Domain: id.domain, Path: id.path, HostOnly: !strings.HasPrefix(id.domain, "."),
				Secure: sc.Secure, HTTPOnly: sc.HTTPOnly, SameSite: recording.SameSiteMode(sc.SameSite), Session: true, Size: sc.Size, Source: "set-cookie"}}
			now := q.End
			if now.IsZero() {
				now = q.Start
			}
			if life, ok := sc.Lifetime(now); ok {
				o.Session, o.life = false, max(0, life)
			}
			observe(pkey{id, ""}, o)
		}
	}
	for _, p := range order {
		if !p.Session {
			p.Lifetime = p.life.Round(time.Second).Seconds()
		}
	}
	return order
}

// setMarks holds, per cookie identity, when each value was set, so that a
// persistent cookie's lifetime is measured from when it was set, not from
// whichever later step's jar shows it.
type setMarks map[ident][]recording.CookieEvent

func setTimes(r *recording.Recording) setMarks {
	m := setMarks{}
	for _, e := range r.Events {
		if (e.Kind == recording.EventSet || e.Kind == recording.EventChanged) && e.Value != nil {
			k := ident{e.Name, e.Domain, e.Path}
			m[k] = append(m[k], e)
		}
	}
	return m
}

// setAt returns when the jar cookie c got its value: the last set event of
// that value before the snapshot, else the snapshot's time.
func (m setMarks) setAt(c recording.Cookie, snapshot time.Time) time.Time {
	at := snapshot
	for _, e := range m[ident{c.Name, c.Domain, c.Path}] {
		if e.Value.Same(c.Value) && (snapshot.IsZero() || !e.Time.After(snapshot)) {
			at = e.Time
		}
	}
	return at
}

func targetHost(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(recording.CanonicalHost(u.Hostname()), ".")
}

// scopeOf writes a cookie domain relative to the target host, so that two
// environments (shop.test and staging.shop.test) compare equal: the
// target host is {target}, a subdomain of it www.{target}, its parent
// {target-1}, a sibling api.{target-1}. Domains that share less than two
// labels with the target (another site, a TLD) and IP addresses stay as
// they are.
func scopeOf(domain, target string) string {
	d := strings.TrimSuffix(recording.CanonicalHost(strings.TrimPrefix(domain, ".")), ".") // a scope: a.test. is a.test
	switch {
	case d == "" || target == "":
		return d
	case d == target:
		return "{target}"
	case isIP(d) || isIP(target):
		return d
	case strings.HasSuffix(d, "."+target):
		return d[:len(d)-len(target)] + "{target}"
	}
	dl, tl := strings.Split(d, "."), strings.Split(target, ".")
	k := 0
	for k < len(dl) && k < len(tl) && dl[len(dl)-1-k] == tl[len(tl)-1-k] {
		k++
	}
	if k < 2 {
		return d
	}
	base := fmt.Sprintf("{target-%d}", len(tl)-k)
	if rest := dl[:len(dl)-k]; len(rest) > 0 {
		return strings.Join(rest, ".") + "." + base
	}
	return base
}

// partitionScope is scopeOf for a partition key's top-level site
// (https://host).
func partitionScope(partition, target string) string {
	if partition == "" {
		return ""
	}
	u, err := url.Parse(partition)
	if err != nil || u.Host == "" {
		return scopeOf(partition, target)
	}
	return u.Scheme + "://" + scopeOf(u.Hostname(), target)
}

func isIP(h string) bool {
	_, err := netip.ParseAddr(strings.Trim(h, "[]"))
	return err == nil
}

// syntheticHost stands in for the target to compare two relative scopes.
var syntheticHost = []string{"t9", "t8", "t7", "t6", "t5", "t4", "t3", "t2", "t1"}

// materialize turns a scope back into a domain under syntheticHost; abs
// is true for a scope that was not relative.
func materialize(scope string) (d string, abs bool) {
	i := strings.Index(scope, "{target")
	if i < 0 {
		return scope, true
	}
	up := 0
	if rest, ok := strings.CutPrefix(scope[i+len("{target"):], "-"); ok {
		if n, _, ok := strings.Cut(rest, "}"); ok {
			up, _ = strconv.Atoi(n)
		}
	}
	up = min(max(up, 0), len(syntheticHost)-1)
	return scope[:i] + strings.Join(syntheticHost[up:], "."), false
}

// wider reports whether scope to covers scope from and more (from is a
// subdomain of to). Scopes of which only one is relative do not compare.
func wider(from, to string) bool {
	f, fa := materialize(from)
	t, ta := materialize(to)
	return fa == ta && f != t && strings.HasSuffix(f, "."+t)
}

// sameSiteRank orders SameSite by protection: Strict, Lax, unset (Lax in
// Chromium, but None in other browsers), None.
func sameSiteRank(s string) int {
	switch s {
	case "Strict":
		return 3
	case "Lax":
		return 2
	case "None":
		return 0
	}
	return 1
}

func sameSiteName(s string) string {
	if s == "" {
		return "unset"
	}
	return s
}

func prefixRank(p string) int {
	switch p {
	case "__Host-":
		return 2
	case "__Secure-":
		return 1
	}
	return 0
}

// Lifetimes within this tolerance of each other are the same: expiries
// are measured against the harness clock, and a server's Expires date has
// one-second resolution and its own clock.
const (
	lifetimeSlack    = 2 * time.Second
	lifetimeSlackPct = 10
)

func sameLifetime(a, b time.Duration) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= max(lifetimeSlack, max(a, b)*lifetimeSlackPct/100)
}

// Sizes count as changed when they differ by at least sizeMinBytes and by
// at least sizeMinPct percent of the smaller: a value that differs by a
// few bytes between runs (a counter, a timestamp, a signature) is noise.
const (
	sizeMinBytes = 16
	sizeMinPct   = 25
)

func materialSize(a, b int) bool {
	lo, hi := min(a, b), max(a, b)
	return hi-lo >= sizeMinBytes && (hi-lo)*100 >= lo*sizeMinPct
}

// compareCookie lists the attributes that changed from a to b.
func compareCookie(a, b *profile, sessionID bool) []AttrChange {
	var out []AttrChange
	add := func(attr, from, to string, reg, imp bool) {
		out = append(out, AttrChange{attr, Delta{From: from, To: to, Regression: reg, Improvement: imp}})
	}
	flag := func(attr string, x, y bool) {
		if x != y {
			add(attr, fmt.Sprint(x), fmt.Sprint(y), x && !y, !x && y)
		}
	}
	if pa, pb := recording.CookiePrefix(a.Name), recording.CookiePrefix(b.Name); pa != pb {
		add("prefix", orNone(pa), orNone(pb), prefixRank(pb) < prefixRank(pa), prefixRank(pb) > prefixRank(pa))
	}
	flag("secure", a.Secure, b.Secure)
	flag("httpOnly", a.HTTPOnly, b.HTTPOnly)
	if ra, rb := sameSiteRank(a.SameSite), sameSiteRank(b.SameSite); a.SameSite != b.SameSite {
		add("sameSite", sameSiteName(a.SameSite), sameSiteName(b.SameSite), rb < ra, rb > ra)
	}
	flag("hostOnly", a.HostOnly, b.HostOnly)
	if a.Scope != b.Scope {
		add("domain", a.Scope, b.Scope, wider(a.Scope, b.Scope), wider(b.Scope, a.Scope))
	}
	if a.Path != b.Path {
		add("path", a.Path, b.Path, false, false)
	}
	flag("partitioned", a.Partition != "", b.Partition != "")
	switch {
	case a.Session != b.Session:
		// For a session ID, a persistent cookie outlives the browser:
		// anyone using the machine later gets the session.
		add("lifetime", lifetimeText(a), lifetimeText(b), sessionID && a.Session, sessionID && b.Session)
	case !a.Session && !sameLifetime(a.life, b.life):
		add("lifetime", lifetimeText(a), lifetimeText(b), sessionID && b.life > a.life, sessionID && b.life < a.life)
	}
	if materialSize(a.Size, b.Size) {
		add("size", fmt.Sprint(a.Size), fmt.Sprint(b.Size), false, false)
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func lifetimeText(p *profile) string {
	if p.Session {
		return "session"
	}
	return FormatLifetime(p.life)
}

// FormatLifetime writes d in at most two units, as the diff reports
// lifetimes: 400d, 1d12h, 2h30m, 45s.
func FormatLifetime(d time.Duration) string {
	two := func(n1 int64, u1 string, n2 int64, u2 string) string {
		out := strconv.FormatInt(n1, 10) + u1
		if n2 != 0 {
			out += strconv.FormatInt(n2, 10) + u2
		}
		return out
	}
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s >= 86400:
		return two(s/86400, "d", s%86400/3600, "h")
	case s >= 3600:
		return two(s/3600, "h", s%3600/60, "m")
	case s >= 60:
		return two(s/60, "m", s%60, "s")
	}
	return strconv.FormatInt(s, 10) + "s"
}

// summary describes the cookie in one line for an added or gone row.
func (c *CookieState) summary() string {
	if c == nil {
		return ""
	}
	parts := []string{"domain " + c.Domain}
	if c.Scope != strings.TrimPrefix(c.Domain, ".") {
		parts[0] += " (" + c.Scope + ")"
	}
	parts = append(parts, "path "+c.Path)
	if c.HostOnly {
		parts = append(parts, "host-only")
	}
	if c.Secure {
		parts = append(parts, "Secure")
	}
	if c.HTTPOnly {
		parts = append(parts, "HttpOnly")
	}
	parts = append(parts, "SameSite="+sameSiteName(c.SameSite))
	if c.Partition != "" {
		parts = append(parts, "partitioned")
	}
	if c.Session {
		parts = append(parts, "session")
	} else {
		parts = append(parts, "lifetime "+FormatLifetime(time.Duration(c.Lifetime)*time.Second))
	}
	return strings.Join(parts, ", ")
}
