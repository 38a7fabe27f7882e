package analysis

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A builder crafts recordings tersely and consistently: requests, the
// events the harness would record for them, and the jar after each step.
//
//	b := newRec("name", "SID")                       // declared session cookies
//	b.step("goto", "")
//	b.get("https://app.test/login").set("SID", id("a"), secureAttrs)
//	b.step("submit", "login")
//	b.post("https://app.test/login").send("SID", id("a")).set("SID", id("b"), secureAttrs)
//	r := b.rec()
type builder struct {
	r    *recording.Recording
	red  *recording.Redactor
	now  time.Time
	jar  map[ckey]recording.Cookie
	cur  *recording.Step
	nreq int
	last *reqB
}

const secureAttrs = "Path=/; Secure; HttpOnly; SameSite=Lax"

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func newRec(name string, sessionCookies ...string) *builder {
	return &builder{
		r: &recording.Recording{Schema: recording.Schema,
			Scenario: recording.ScenarioInfo{Name: name, Target: "https://app.test", SessionCookies: sessionCookies},
			Options:  recording.Options{FingerprintKey: "testkey"},
			Start:    t0, Status: recording.StatusPassed, Steps: []recording.Step{}, Requests: []recording.Request{}, Events: []recording.CookieEvent{}},
		red: recording.NewRedactor([]byte("test key"), false),
		now: t0,
		jar: map[ckey]recording.Cookie{},
	}
}

// id returns a deterministic 22-character random-looking session ID.
func id(seed string) string {
	h := sha256.Sum256([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(h[:])[:22]
}

func (b *builder) val(raw string) recording.Value { return b.red.Value(raw) }

func (b *builder) tick(d time.Duration) time.Time { b.now = b.now.Add(d); return b.now }

// wait lets time pass (inside the current step).
func (b *builder) wait(d time.Duration) *builder { b.tick(d); return b }

// step starts a new step. as is "", login, logout or privilege; detail
// defaults to the kind.
func (b *builder) step(kind, as string, detail ...string) *builder {
	b.endStep()
	d := kind
	if len(detail) > 0 {
		d = detail[0]
	}
	b.r.Steps = append(b.r.Steps, recording.Step{Index: len(b.r.Steps), Kind: recording.StepKind(kind), As: recording.Boundary(as), Detail: d,
		Start: b.tick(10 * time.Millisecond), Status: recording.StatusPassed})
	b.cur = &b.r.Steps[len(b.r.Steps)-1]
	return b
}

func (b *builder) stepIndex() int {
	if len(b.r.Steps) == 0 {
		b.step("goto", "")
	}
	return len(b.r.Steps) - 1
}

func (b *builder) endStep() {
	if len(b.r.Steps) == 0 {
		return
	}
	st := &b.r.Steps[len(b.r.Steps)-1]
	if !st.End.IsZero() {
		return
	}
	st.End = b.tick(5 * time.Millisecond)
	st.Jar = b.snapshot()
	if st.URL == "" {
		st.URL = b.pageURL()
	}
}

func (b *builder) pageURL() string {
	for i := len(b.r.Requests) - 1; i >= 0; i-- {
		if q := b.r.Requests[i]; q.ResourceType == "Document" && q.Status < 300 {
			return q.URL
		}
	}
	return ""
}

func (b *builder) snapshot() []recording.Cookie {
	jar := []recording.Cookie{}
	for _, c := range b.jar {
		jar = append(jar, c)
	}
	sort.Slice(jar, func(i, j int) bool { return jar[i].Name+jar[i].Domain < jar[j].Name+jar[j].Domain })
	return jar
}

func (b *builder) rec() *recording.Recording {
	b.endStep()
	b.r.End = b.tick(time.Millisecond)
	return b.r
}

// keyOf returns the identity of the held cookie called name (the first
// one), or name on app.test.
func (b *builder) keyOf(name string) ckey {
	// The smallest matching identity, so that the choice does not depend on
	// map order (app.test sorts before www.app.test).
	var found *ckey
	for k := range b.jar {
		if k.name == name && (found == nil || k.String() < found.String()) {
			k := k
			found = &k
		}
	}
	if found != nil {
		return *found
	}
	return ckey{name, "app.test", "/"}
}

// reqB adds cookies to a request.
type reqB struct {
	b *builder
	i int
}

func (q *reqB) req() *recording.Request { return &q.b.r.Requests[q.i] }

func (b *builder) request(method, url string) *reqB {
	b.stepIndex()
	b.nreq++
	id := fmt.Sprintf("R%d", b.nreq)
	b.r.Requests = append(b.r.Requests, recording.Request{ID: id, Step: b.stepIndex(), Method: method, URL: url,
		ResourceType: "Document", Start: b.tick(20 * time.Millisecond), Status: 200,
		Headers:          map[string]string{"Cache-Control": "no-store", "Content-Type": "text/html"},
		RequestExtraInfo: true, ResponseExtraInfo: true})
	q := &reqB{b, len(b.r.Requests) - 1}
	q.req().End = b.tick(10 * time.Millisecond)
	b.last = q
	return q
}

func (b *builder) get(url string) *reqB  { return b.request("GET", url) }
func (b *builder) post(url string) *reqB { return b.request("POST", url) }

// redirect adds the next hop of q's redirect chain (q gets a 303 and a
// Location).
func (q *reqB) redirect(url string) *reqB {
	p := q.req()
	p.Status = 303
	p.Location = url
	n := q.b.request("GET", url)
	n.req().ID = p.ID + ".1"
	n.req().RedirectedFrom = p.ID
	n.req().RedirectChain = append(append([]string{}, p.RedirectChain...), p.URL)
	return n
}

func (q *reqB) send(name, raw string) *reqB {
	v := q.b.val(raw)
	k := q.b.keyOf(name)
	p := q.req()
	p.CookiesSent = append(p.CookiesSent, recording.SentCookie{Name: name, Domain: k.domain, Path: k.path, Value: v})
	q.b.r.Events = append(q.b.r.Events, recording.CookieEvent{Time: p.Start, Step: p.Step, Kind: recording.EventSent,
		Source: recording.SourceHTTP, Name: name, Domain: k.domain, Path: k.path, Value: &v, Request: p.ID, URL: p.URL})
	return q
}

func (q *reqB) withhold(name, raw string, reasons ...string) *reqB {
	v := q.b.val(raw)
	k := q.b.keyOf(name)
	p := q.req()
	p.CookiesWithheld = append(p.CookiesWithheld, recording.SentCookie{Name: name, Domain: k.domain, Path: k.path, Value: v, Reasons: reasons})
	q.b.r.Events = append(q.b.r.Events, recording.CookieEvent{Time: p.Start, Step: p.Step, Kind: recording.EventWithheld,
		Source: recording.SourceHTTP, Name: name, Domain: k.domain, Path: k.path, Value: &v, Request: p.ID, URL: p.URL, Reasons: reasons})
	return q
}

// set adds a Set-Cookie line and stores it in the jar (or records it as
// refused when rejectReasons are given).
func (q *reqB) set(name, raw, attrs string, rejectReasons ...string) *reqB {
	p := q.req()
	line := name + "=" + raw
	if attrs != "" {
		line += "; " + attrs
	}
	sc := recording.ParseSetCookie(line, p.End, q.b.red)
	domain, path := sc.Identity(p.URL)
	k := ckey{name: name, domain: domain, path: path}
	if len(rejectReasons) > 0 {
		sc.Rejected, sc.Reasons = true, rejectReasons
	}
	p.SetCookies = append(p.SetCookies, sc)
	v := sc.Value
	ev := recording.CookieEvent{Time: p.End, Step: p.Step, Source: recording.SourceHTTP, Name: name, Domain: k.domain, Path: k.path,
		Value: &v, Request: p.ID, URL: p.URL, Reasons: sc.Reasons}
	switch {
	case sc.Rejected:
		ev.Kind = recording.EventRejected
	case sc.Deletion:
		ev.Kind = recording.EventDeleted
		delete(q.b.jar, k)
	default:
		ev.Kind = recording.EventSet
		c := recording.Cookie{Name: name, Domain: k.domain, Path: k.path, Value: v, Size: sc.Size, HTTPOnly: sc.HTTPOnly,
			Secure: sc.Secure, SameSite: sc.SameSite, Session: true}
		if life, ok := sc.Lifetime(p.End); ok {
			e := p.End.Add(life)
			c.Expires, c.Session = &e, false
		}
		q.b.jar[k] = c
	}
	q.b.r.Events = append(q.b.r.Events, ev)
	return q
}

func (q *reqB) node(n string) *reqB {
	q.req().Node, q.req().NodeHeader = n, "X-Backend"
	return q
}

func (q *reqB) status(s int, location string) *reqB {
	q.req().Status, q.req().Location = s, location
	return q
}

func (q *reqB) header(k, v string) *reqB {
	if v == "" {
		delete(q.req().Headers, k)
	} else {
		q.req().Headers[k] = v
	}
	return q
}

func (q *reqB) referrer(u string) *reqB { q.req().Referrer = u; return q }

// page adds page facts for the request.
func (q *reqB) page(p recording.PageFacts) *reqB {
	r := q.req()
	p.Request, p.Step = r.ID, r.Step
	if p.URL == "" {
		p.URL = r.URL
	}
	q.b.r.Pages = append(q.b.r.Pages, p)
	return q
}

// gone removes a cookie from the jar with an event of kind (expired or
// cleared) and source.
func (b *builder) gone(name, kind, source, detail string) *builder {
	k := b.keyOf(name)
	c, ok := b.jar[k]
	if !ok {
		return b
	}
	delete(b.jar, k)
	v := c.Value
	b.r.Events = append(b.r.Events, recording.CookieEvent{Time: b.tick(time.Millisecond), Step: b.stepIndex(), Kind: recording.EventKind(kind), Source: recording.EventSource(source),
		Name: name, Domain: k.domain, Path: k.path, Value: &v, Detail: detail})
	return b
}

// script records a script write (set, or deleted when raw is "") on page u.
func (b *builder) script(name, raw, u string) *builder {
	k := b.keyOf(name)
	v := b.val(raw)
	e := recording.CookieEvent{Time: b.tick(time.Millisecond), Step: b.stepIndex(), Source: recording.SourceScript, Name: name,
		Domain: k.domain, Path: k.path, Value: &v, URL: u, Location: u + ":10:5", Detail: "document.cookie"}
	if raw == "" {
		e.Kind = recording.EventDeleted
		delete(b.jar, k)
	} else {
		e.Kind = recording.EventSet
		c := b.jar[k]
		c.Name, c.Domain, c.Path, c.Value = name, k.domain, k.path, v
		b.jar[k] = c
	}
	b.r.Events = append(b.r.Events, e)
	return b
}

func (b *builder) probe(loggedIn bool) *builder {
	b.r.Probe = &recording.ProbeResult{URL: "https://app.test/account", Status: 200, LoggedIn: loggedIn}
	return b
}

// ---- assertions ----

// check validates what every report must satisfy: known rules, causes
// and severities.
func check(t testing.TB, rep *Report) {
	t.Helper()
	for _, f := range rep.Findings {
		if RuleByID(f.Rule) == nil {
			t.Errorf("finding with unknown rule %q", f.Rule)
		}
		if f.Severity.rank() == 0 {
			t.Errorf("%s: bad severity %q", f.Rule, f.Severity)
		}
		if f.Message == "" {
			t.Errorf("%s: empty message", f.Rule)
		}
	}
	for _, s := range rep.Sessions {
		for _, r := range s.Resets {
			if CauseByID(r.Cause) == nil {
				t.Errorf("reset with unknown cause %q", r.Cause)
			}
			if r.Detail == "" {
				t.Errorf("reset %s without detail", r.Cause)
			}
		}
		for _, id := range s.IDs {
			if id.Ended == "" {
				t.Errorf("%s: ID %s has no end", s.Cookie, id.Fingerprint)
			}
		}
	}
}

func analyze(t testing.TB, r *recording.Recording) *Report {
	t.Helper()
	rep := Analyze(r)
	check(t, rep)
	return rep
}

func causes(rep *Report) []string {
	var out []string
	for _, r := range rep.Resets() {
		out = append(out, string(r.Cause))
	}
	return out
}

func findings(rep *Report, rule string) []Finding {
	var out []Finding
	for _, f := range rep.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func session(rep *Report, cookie string) *SessionReport {
	for i := range rep.Sessions {
		if rep.Sessions[i].Cookie == cookie {
			return &rep.Sessions[i]
		}
	}
	return nil
}

func endings(s *SessionReport) string {
	if s == nil {
		return "<no session>"
	}
	var e []string
	for _, id := range s.IDs {
		e = append(e, string(id.Ended))
	}
	return strings.Join(e, ",")
}

// linkPage is page facts with one link.
func linkPage(u, href, sel string) recording.PageFacts {
	return recording.PageFacts{URL: u, Links: []recording.Link{{Href: href, Selector: sel}}}
}

func recordingEvent(kind, source, name string, v *recording.Value, step int) recording.CookieEvent {
	return recording.CookieEvent{Time: t0.Add(time.Hour), Step: step, Kind: recording.EventKind(kind), Source: recording.EventSource(source), Name: name,
		Domain: "app.test", Path: "/", Value: v}
}
