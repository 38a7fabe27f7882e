package analysis

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// minMarkerFP is the shortest FP of a "[value:FP]" placeholder matched
// against the IDs' fingerprints (by prefix): a shorter one would match
// too many.
const minMarkerFP = 4

// tokenParams are URL parameter names that carry session tokens.
var tokenParams = map[string]bool{
	"jsessionid": true, "phpsessid": true, "sessionid": true, "session_id": true, "sid": true, "sessid": true,
	"session": true, "token": true, "access_token": true, "auth_token": true, "aspsessionid": true,
}

// frameworks names the framework behind a default session cookie name.
var frameworks = map[string]string{
	"PHPSESSID":         "PHP",
	"JSESSIONID":        "Java servlet containers (Tomcat, Jetty, WildFly)",
	"ASP.NET_SESSIONID": "ASP.NET",
	"ASPSESSIONID":      "classic ASP on IIS",
	"CFID":              "ColdFusion",
	"CFTOKEN":           "ColdFusion",
	"SITESERVER":        "Microsoft Site Server",
	"SESSIONID":         "Django",
	"SESSION":           "Spring Session or Flask",
	"CONNECT.SID":       "Express (express-session)",
	"LARAVEL_SESSION":   "Laravel",
	"RACK.SESSION":      "Ruby Rack",
	"CI_SESSION":        "CodeIgniter",
	"ZENID":             "Zen Cart",
}

func frameworkOf(name string) string {
	n := strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(name, "__Host-"), "__Secure-"))
	if f, ok := frameworks[n]; ok {
		return f
	}
	if strings.HasPrefix(n, "ASPSESSIONID") {
		return frameworks["ASPSESSIONID"]
	}
	if strings.HasPrefix(n, "_") && strings.HasSuffix(n, "_SESSION") && len(n) > len("__SESSION") {
		return "Ruby on Rails (_APP_session)"
	}
	return ""
}

// idRef is an ID of a track.
type idRef struct {
	t  *track
	id *idState
}

func (a *analyzer) allIDs() []idRef {
	var out []idRef
	for _, t := range a.tracks {
		for _, id := range t.ids {
			out = append(out, idRef{t, id})
		}
	}
	return out
}

// place is a piece of text where a session ID must not appear.
type place struct {
	text string
	step int
	req  string
	url  string
	// where it is, for the message (whereText): kind, and the index of
	// the request, step or page and of the page's link or form.
	kind placeKind
	i, j int
}

type placeKind uint8

const (
	placeRequestURL placeKind = iota
	placeLocation
	placeReferrer
	placeStepURL
	placeLink
	placeForm
	placeMetaRefresh
)

// whereText names the place for a message ("the URL of GET https://...").
// It is made only for a finding: a journey has tens of thousands of places.
func (a *analyzer) whereText(p *place) string {
	switch p.kind {
	case placeRequestURL:
		q := a.reqs[p.i]
		return "the URL of " + q.Method + " " + q.URL
	case placeLocation:
		return "the redirect Location sent by " + a.reqs[p.i].URL
	case placeReferrer:
		q := a.reqs[p.i]
		return "the Referer sent with " + q.Method + " " + q.URL
	case placeStepURL:
		return fmt.Sprintf("the page URL after step %d", a.steps[p.i].Index)
	case placeLink:
		pg, l := &a.r.Pages[p.i], a.r.Pages[p.i].Links[p.j]
		return "a link " + orText(l.Selector, l.Text, "") + " on " + pg.URL
	case placeForm:
		pg, f := &a.r.Pages[p.i], a.r.Pages[p.i].Forms[p.j]
		return "the action of form " + orText(f.Selector, "", "") + " on " + pg.URL
	}
	return "the meta refresh of " + a.r.Pages[p.i].URL
}

func (a *analyzer) urlPlaces() []place {
	ps := make([]place, 0, len(a.reqs)+len(a.steps))
	for i, q := range a.reqs {
		ps = append(ps, place{q.URL, q.Step, q.ID, q.URL, placeRequestURL, i, 0})
		if q.Location != "" {
			ps = append(ps, place{q.Location, q.Step, q.ID, q.URL, placeLocation, i, 0})
		}
		if q.Referrer != "" {
			ps = append(ps, place{q.Referrer, q.Step, q.ID, q.URL, placeReferrer, i, 0})
		}
	}
	for i, st := range a.steps {
		if st.URL != "" {
			ps = append(ps, place{st.URL, st.Index, "", st.URL, placeStepURL, i, 0})
		}
	}
	for i, p := range a.r.Pages {
		for j, l := range p.Links {
			ps = append(ps, place{l.Href, p.Step, p.Request, p.URL, placeLink, i, j})
		}
		for j, f := range p.Forms {
			ps = append(ps, place{f.Action, p.Step, p.Request, p.URL, placeForm, i, j})
		}
		if p.MetaRefresh != "" {
			ps = append(ps, place{p.MetaRefresh, p.Step, p.Request, p.URL, placeMetaRefresh, i, 0})
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].step < ps[j].step }) // not slices: 9 kB of code in the page
	return ps
}

func (a *analyzer) sessIDInURL() {
	ids := a.allIDs()
	places := a.urlPlaces()
	for pi := range places {
		p := &places[pi]
		if p.text == "" {
			continue
		}
		// Made when first written: most places match nothing.
		var found map[*track]bool
		var matched map[string]bool // markers and raw values that matched an ID
		for _, fp := range recording.ValuePlaceholders(p.text) {
			if len(fp) < minMarkerFP {
				continue
			}
			for _, r := range ids {
				if strings.HasPrefix(r.id.value.Fingerprint, fp) {
					if matched == nil {
						found, matched = map[*track]bool{}, map[string]bool{}
					}
					matched[fp] = true
					if !found[r.t] {
						found[r.t] = true
						a.inURL(r, p, "the marker "+recording.ValuePlaceholder(fp)+" of one of its IDs")
					}
				}
			}
		}
		if a.reveal {
			for _, r := range ids {
				raw := r.id.value.Raw
				if raw == nil || len(*raw) < 8 {
					continue
				}
				if strings.Contains(p.text, *raw) || strings.Contains(p.text, url.QueryEscape(*raw)) {
					if matched == nil {
						found, matched = map[*track]bool{}, map[string]bool{}
					}
					matched[*raw] = true
					if !found[r.t] {
						found[r.t] = true
						a.inURL(r, p, "the value of one of its IDs")
					}
				}
			}
		}
		for _, prm := range urlParams(p.text) {
			n := strings.ToLower(prm.name)
			if !tokenParams[n] && !a.isSessionFold(prm.name) {
				continue
			}
			if len(prm.value) < 8 || carriesMatch(prm.value, matched) {
				continue // short, or already reported with the ID it carries
			}
			a.findings.add(Finding{Rule: RuleSessIDInURL, Severity: Medium, Step: p.step, URL: p.url, Request: p.req,
				Message:  fmt.Sprintf("A token-named %s parameter %q carries a value in %s.", prm.kind, prm.name, a.whereText(p)),
				Evidence: p.text}, "param")
		}
	}
}

// carriesMatch reports whether a parameter value holds a marker or raw
// value that matched an ID.
func carriesMatch(v string, matched map[string]bool) bool {
	for m := range matched {
		if strings.Contains(v, m) {
			return true
		}
	}
	return false
}

func (a *analyzer) isSessionFold(name string) bool {
	for n := range a.names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

func (a *analyzer) inURL(r idRef, p *place, what string) {
	k := r.t.key
	a.findings.add(Finding{Rule: RuleSessIDInURL, Severity: High, Step: p.step, Cookie: k.name, Domain: k.domain, Path: k.path,
		URL: p.url, Request: p.req,
		Message:  fmt.Sprintf("The session ID %s appears in %s.", k.name, a.whereText(p)),
		Evidence: fmt.Sprintf("%s contains %s (ID %s)", p.text, what, short(r.id.value.Fingerprint))}, "")
}

type urlParam struct{ name, value, kind string }

// urlParams lists the path parameters (";name=value") and query
// parameters of a URL, leniently.
func urlParams(u string) []urlParam {
	u, _, _ = strings.Cut(u, "#")
	path, query, _ := strings.Cut(u, "?")
	var out []urlParam
	// Cut loops, not strings.Split: most URLs have no parameter at all,
	// and splitting every one of them allocated.
	for more := strings.IndexByte(path, ';') >= 0; more; {
		var seg string
		seg, path, more = strings.Cut(path, "/")
		_, params, has := strings.Cut(seg, ";")
		for has {
			var p string
			p, params, has = strings.Cut(params, ";")
			if n, v, ok := strings.Cut(p, "="); ok {
				out = append(out, urlParam{n, v, "path"})
			}
		}
	}
	for more := query != ""; more; {
		var p string
		p, query, more = strings.Cut(query, "&")
		if n, v, ok := strings.Cut(p, "="); ok {
			if un, err := url.QueryUnescape(n); err == nil {
				n = un
			}
			out = append(out, urlParam{n, v, "query"})
		}
	}
	return out
}

func (a *analyzer) trackFor(k recording.CookieKey) *track {
	if t := a.byKey[ckey{k.Name, k.Domain, k.Path}]; t != nil {
		return t
	}
	for _, t := range a.tracks {
		if t.key.name == k.Name && (k.Domain == "" || strings.TrimPrefix(t.key.domain, ".") == strings.TrimPrefix(k.Domain, ".")) {
			return t
		}
	}
	return nil
}

func (a *analyzer) sessIDInPage() {
	for _, p := range a.r.Pages {
		for _, k := range p.CookieValuesInPage {
			t := a.trackFor(k)
			if t == nil {
				continue
			}
			a.findings.add(Finding{Rule: RuleSessIDInPage, Severity: High, Step: p.Step, Cookie: t.key.name, Domain: t.key.domain, Path: t.key.path,
				URL: p.URL, Request: p.Request,
				Message:  fmt.Sprintf("The HTML of %s contains the value of the session cookie %s.", p.URL, t.key.name),
				Evidence: "page facts: cookieValuesInPage lists " + t.key.String()}, "")
		}
	}
	// Readable by script: no HttpOnly, and page script used the cookie
	// APIs on a host the cookie applies to while an ID was held.
	for _, t := range a.tracks {
		for _, e := range a.events {
			if e.Source != recording.SourceScript || e.URL == "" || !domainMatches(t.key.domain, hostOf(e.URL)) {
				continue
			}
			held := t.atEnd[e.Step]
			if held == nil {
				held = t.atStart[e.Step]
			}
			if held == nil || held.httpOnly == nil || *held.httpOnly {
				continue
			}
			api := e.Detail
			if api == "" {
				api = "the cookie API"
			}
			a.findings.add(Finding{Rule: RuleSessIDInPage, Severity: Medium, Step: e.Step, Cookie: t.key.name, Domain: t.key.domain, Path: t.key.path,
				URL: e.URL,
				Message: fmt.Sprintf("The session cookie %s has no HttpOnly and the page script on %s uses %s: that script, and any script injected into the page, can read the session ID.",
					t.key.name, e.URL, api),
				Evidence: fmt.Sprintf("script %s of %s%s while %s was held", e.Kind, e.Name, atLocation(e.Location), short(held.value.Fingerprint))}, "")
			break
		}
	}
}

func (a *analyzer) sessIDNames() {
	seen := map[string]bool{}
	for _, t := range a.tracks {
		if seen[t.key.name] {
			continue
		}
		seen[t.key.name] = true
		if fw := frameworkOf(t.key.name); fw != "" {
			a.findings.add(Finding{Rule: RuleSessIDNameFingerprint, Severity: Info, Step: firstStep(t), Cookie: t.key.name,
				Message:  fmt.Sprintf("The session cookie name %s is the default of %s: it tells an attacker what runs the site.", t.key.name, fw),
				Evidence: "cookie name " + t.key.name}, "name:"+t.key.name)
		}
	}
}

func firstStep(t *track) int {
	if len(t.ids) > 0 {
		return t.ids[0].out.FirstStep
	}
	return 0
}

func digitsOnly(v recording.Value) bool {
	return len(v.Classes) == 1 && v.Classes[0] == "digit"
}

func (a *analyzer) sessIDEntropy() {
	for _, t := range a.tracks {
		var raws []string
		for _, id := range t.ids {
			v := id.value
			if id.out.IssuedBy == recording.SourceHarness || v.Len == 0 || v.Secret {
				continue
			}
			// A structured value (a JWT, a signed payload) shares its header
			// and carries a timestamp by design: its randomness is in the
			// signature, so the pattern checks would see a pattern that is not.
			if a.reveal && v.Raw != nil && v.Format == "" {
				raws = append(raws, *v.Raw)
			}
			if v.Bits >= MinSessionBits {
				continue
			}
			extra := ""
			if digitsOnly(v) {
				extra = " It is all digits, which often means a counter or a timestamp."
			}
			a.findings.add(Finding{Rule: RuleSessIDLowEntropy, Severity: High, Step: id.out.FirstStep, Cookie: t.key.name, Domain: t.key.domain, Path: t.key.path,
				Request: id.out.IssuedRequest, URL: a.reqURL(id.out.IssuedRequest),
				Message: fmt.Sprintf("An ID of %s carries at most about %.0f bits of entropy (%d characters of %s), below the 64 bits required: live IDs can be guessed.%s",
					t.key.name, v.Bits, v.Len, classesText(v.Classes), extra),
				Evidence: fmt.Sprintf("ID %s: len=%d classes=%s bits=%.1f (an upper bound)", short(v.Fingerprint), v.Len, strings.Join(v.Classes, ","), v.Bits)}, "")
		}
		if p := idPattern(raws, a.r.Start); p != "" {
			a.findings.add(Finding{Rule: RuleSessIDLowEntropy, Severity: High, Step: firstStep(t), Cookie: t.key.name, Domain: t.key.domain, Path: t.key.path,
				Message:  fmt.Sprintf("The IDs of %s follow a pattern: %s.", t.key.name, p),
				Evidence: fmt.Sprintf("%d revealed values", len(raws))}, "")
		}
	}
}

func (a *analyzer) reqURL(id string) string {
	if q := a.req(id); q != nil {
		return q.URL
	}
	return ""
}

func classesText(c []string) string {
	if len(c) == 0 {
		return "one repeated character"
	}
	return strings.Join(c, "+")
}

// idPattern looks for what makes revealed IDs predictable: a Unix time in
// every value, a long shared prefix, or close integers. "" when none.
func idPattern(vals []string, start time.Time) string {
	seen := map[string]bool{}
	var d []string
	for _, v := range vals {
		if v != "" && !seen[v] {
			seen[v] = true
			d = append(d, v)
		}
	}
	if len(d) == 0 {
		return ""
	}
	if !start.IsZero() {
		all := true
		for _, v := range d {
			if !hasTimestamp(v, start) {
				all = false
				break
			}
		}
		if all {
			return "every value contains a Unix time close to the recording's"
		}
	}
	if len(d) < 2 {
		return ""
	}
	sort.Strings(d)
	minLen := len(d[0])
	for _, v := range d {
		minLen = min(minLen, len(v))
	}
	if spread, ok := counterSpread(d, 1<<20); ok {
		return fmt.Sprintf("the %d values are integers within %d of each other (a counter)", len(d), spread)
	}
	lcp := commonPrefix(d)
	if lcp >= 4 && 4*lcp >= minLen {
		return fmt.Sprintf("all %d values share their first %d characters", len(d), lcp)
	}
	return ""
}

func commonPrefix(vs []string) int {
	p := vs[0]
	for _, v := range vs[1:] {
		n := 0
		for n < len(p) && n < len(v) && p[n] == v[n] {
			n++
		}
		p = p[:n]
	}
	return len(p)
}

// counterSpread reads every value as a decimal integer (or, failing that,
// as hexadecimal of one length) and returns max-min when it is at most
// limit. Signs are not read: session IDs do not carry them.
func counterSpread(vs []string, limit uint64) (uint64, bool) {
	for _, base := range []int{10, 16} {
		var lo, hi []byte
		ok := true
		for _, v := range vs {
			if base == 16 && len(v) != len(vs[0]) {
				ok = false
				break
			}
			n, good := digitsIn(v, base)
			if !good {
				ok = false
				break
			}
			if lo == nil || compareDigits(n, lo) < 0 {
				lo = n
			}
			if hi == nil || compareDigits(n, hi) > 0 {
				hi = n
			}
		}
		if ok && lo != nil {
			return spreadAtMost(hi, lo, base, limit)
		}
	}
	return 0, false
}

func hasTimestamp(v string, start time.Time) bool {
	for _, run := range digitRuns(v) {
		for _, n := range []int{10, 13} {
			if len(run) < n {
				continue
			}
			x, err := strconv.ParseInt(run[:n], 10, 64)
			if err != nil {
				continue
			}
			t := start.Unix()
			if n == 13 {
				t = start.UnixMilli()
				if d := x - t; d > -86400000 && d < 86400000 {
					return true
				}
				continue
			}
			if d := x - t; d > -86400 && d < 86400 {
				return true
			}
		}
	}
	return false
}

func (a *analyzer) sessIDCacheable() {
	for qi, q := range a.reqs {
		if len(q.Headers) == 0 {
			continue
		}
		cc, ok := header(q.Headers, "Cache-Control")
		if ok && strings.Contains(strings.ToLower(cc), "no-store") || !cacheStores(q, strings.ToLower(cc)) {
			continue
		}
		for i := range q.SetCookies {
			sc := &q.SetCookies[i]
			if !a.isSession(sc.Name) || sc.Deletion || sc.Value.Len == 0 {
				continue
			}
			k := setCookieKeyAt(a.reqInfo[qi], sc)
			got := "no Cache-Control"
			if ok {
				got = fmt.Sprintf("Cache-Control: %s", cc)
			}
			a.findings.add(Finding{Rule: RuleSessIDCacheable, Severity: Medium, Step: q.Step, Cookie: sc.Name, Domain: k.domain, Path: k.path,
				URL: q.URL, Request: q.ID,
				Message:  fmt.Sprintf("The response that sets the session cookie %s has %s, not no-store: a shared cache may hand this session ID to other users.", sc.Name, got),
				Evidence: fmt.Sprintf("%s %s → %d; %s", q.Method, q.URL, q.Status, got)}, "")
		}
	}
}

// cacheStores reports whether a cache may store q's response (RFC 9111
// §3): with explicit freshness (max-age, s-maxage, public, Expires), or
// with a status that is heuristically cacheable (§4.2.2; RFC 9110 §15.1).
// A redirect that sets the session cookie at login (302, 303, 307) with no
// freshness is not stored, whatever its Cache-Control lacks.
func cacheStores(q *recording.Request, cc string) bool {
	if strings.Contains(cc, "max-age") || strings.Contains(cc, "s-maxage") || strings.Contains(cc, "public") {
		return true
	}
	if _, ok := header(q.Headers, "Expires"); ok {
		return true
	}
	switch q.Status {
	case 200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501:
		return true
	}
	return false
}

// crossRecordingFindings runs the checks that need several recordings of
// one run (recordings sharing a fingerprint key): the same server-issued
// ID in two separate browser sessions, and patterns across revealed IDs.
func crossRecordingFindings(all []*analyzer, existing []Finding) []Finding {
	groups := map[string][]*analyzer{}
	var keys []string
	for _, a := range all {
		k := a.r.Options.FingerprintKey
		if k == "" {
			continue
		}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], a)
	}
	has := map[string]bool{}
	for _, f := range existing {
		if f.Rule == RuleSessIDLowEntropy {
			has[f.Scenario+"\x00"+f.Cookie] = true
		}
	}
	var out []Finding
	for _, k := range keys {
		if as := groups[k]; len(as) >= 2 {
			out = append(out, keyGroupFindings(k, as, has)...)
		}
	}
	return out
}

// keyGroupFindings runs the cross-recording checks on the recordings as
// that share fingerprint key k; has holds the scenario and cookie pairs
// that already have a SESSID-LOW-ENTROPY finding.
func keyGroupFindings(k string, as []*analyzer, has map[string]bool) []Finding {
	type occ struct {
		a *analyzer
		r idRef
	}
	var out []Finding
	byFP := map[string][]occ{}
	var fps []string
	raws := map[string][]string{}
	first := map[string]*analyzer{}
	contributors := map[string]map[*analyzer]bool{}
	for _, a := range as {
		for _, r := range a.allIDs() {
			v := r.id.value
			if r.id.out.IssuedBy != recording.SourceHTTP || v.Len == 0 {
				continue
			}
			fk := fmt.Sprint(v.Fingerprint, "/", v.Len)
			if _, ok := byFP[fk]; !ok {
				fps = append(fps, fk)
			}
			byFP[fk] = append(byFP[fk], occ{a, r})
			if a.reveal && v.Raw != nil && v.Format == "" {
				n := r.t.key.name
				raws[n] = append(raws[n], *v.Raw)
				if first[n] == nil {
					first[n] = a
				}
				if contributors[n] == nil {
					contributors[n] = map[*analyzer]bool{}
				}
				contributors[n][a] = true
			}
		}
	}
	for _, fk := range fps {
		os := byFP[fk]
		for _, o := range os[1:] {
			if o.a == os[0].a {
				continue
			}
			t := o.r.t
			out = append(out, Finding{Rule: RuleSessIDLowEntropy, Severity: High, Scenario: o.a.scenario, File: o.a.r.Scenario.File,
				Step: o.r.id.out.FirstStep, Cookie: t.key.name, Domain: t.key.domain, Path: t.key.path,
				Request: o.r.id.out.IssuedRequest, URL: o.a.reqURL(o.r.id.out.IssuedRequest), Count: 1,
				Message: fmt.Sprintf("The server issued the same %s value to two separate browser sessions (scenarios %q and %q): IDs repeat, so they can be guessed or were served from a cache.",
					t.key.name, os[0].a.scenario, o.a.scenario),
				Evidence:    fmt.Sprintf("ID %s issued in both recordings (fingerprint key %s)", short(o.r.id.value.Fingerprint), k),
				Remediation: RuleByID(RuleSessIDLowEntropy).Remediation})
			break
		}
	}
	names := make([]string, 0, len(raws))
	for n := range raws {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := first[n]
		if len(contributors[n]) < 2 || has[a.scenario+"\x00"+n] {
			continue
		}
		if p := idPattern(raws[n], a.r.Start); p != "" {
			out = append(out, Finding{Rule: RuleSessIDLowEntropy, Severity: High, Scenario: a.scenario, File: a.r.Scenario.File, Cookie: n, Count: 1,
				Message:     fmt.Sprintf("Across the %d recordings of the run, the IDs of %s follow a pattern: %s.", len(contributors[n]), n, p),
				Evidence:    fmt.Sprintf("%d revealed values", len(raws[n])),
				Remediation: RuleByID(RuleSessIDLowEntropy).Remediation})
		}
	}
	return out
}
