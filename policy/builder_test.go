package policy

import (
	"fmt"
	"sort"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A builder crafts recordings tersely, the way the harness records them:
// requests with their Set-Cookie lines, the events, and the jar after each
// step.
//
//	b := newRec("login", "SID")
//	b.step("goto", "")
//	b.get("https://app.test/login").set("SID=a; Path=/; Secure; HttpOnly")
//	b.step("submit", "login")
//	b.post("https://app.test/login").send("SID").set("SID=b; Path=/; Secure; HttpOnly")
//	r := b.rec()
type builder struct {
	r    *recording.Recording
	red  *recording.Redactor
	now  time.Time
	jar  map[recording.CookieKey]recording.Cookie
	nreq int
}

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func newRec(name string, sessionCookies ...string) *builder {
	return &builder{
		r: &recording.Recording{Schema: recording.Schema,
			Scenario: recording.ScenarioInfo{Name: name, File: name + ".yaml", Target: "https://app.test", SessionCookies: sessionCookies},
			Options:  recording.Options{FingerprintKey: "testkey"},
			Start:    t0, Status: recording.StatusPassed, Steps: []recording.Step{}, Requests: []recording.Request{}, Events: []recording.CookieEvent{}},
		red: recording.NewRedactor([]byte("test key"), false),
		now: t0,
		jar: map[recording.CookieKey]recording.Cookie{},
	}
}

func (b *builder) tick(d time.Duration) time.Time { b.now = b.now.Add(d); return b.now }

// step starts a new step; as is "", login or logout.
func (b *builder) step(kind, as string) *builder {
	b.endStep()
	b.r.Steps = append(b.r.Steps, recording.Step{Index: len(b.r.Steps), Kind: recording.StepKind(kind), As: recording.Boundary(as), Detail: kind + " #" + kind,
		Start: b.tick(10 * time.Millisecond), Status: recording.StatusPassed})
	return b
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
	st.Jar = []recording.Cookie{}
	for _, c := range b.jar {
		st.Jar = append(st.Jar, c)
	}
	sort.Slice(st.Jar, func(i, j int) bool { return st.Jar[i].Name+st.Jar[i].Domain < st.Jar[j].Name+st.Jar[j].Domain })
}

func (b *builder) rec() *recording.Recording {
	b.endStep()
	b.r.End = b.tick(time.Millisecond)
	return b.r
}

func (b *builder) stepIndex() int {
	if len(b.r.Steps) == 0 {
		b.step("goto", "")
	}
	return len(b.r.Steps) - 1
}

// keyOf is the identity of the held cookie called name, or name on app.test.
func (b *builder) keyOf(name string) recording.CookieKey {
	for k := range b.jar {
		if k.Name == name {
			return k
		}
	}
	return recording.CookieKey{Name: name, Domain: "app.test", Path: "/"}
}

type reqB struct {
	b *builder
	i int
}

func (q *reqB) req() *recording.Request { return &q.b.r.Requests[q.i] }

func (b *builder) request(method, url string) *reqB {
	step := b.stepIndex()
	b.nreq++
	b.r.Requests = append(b.r.Requests, recording.Request{ID: fmt.Sprintf("R%d", b.nreq), Step: step, Method: method, URL: url,
		ResourceType: "Document", Start: b.tick(20 * time.Millisecond), Status: 200, RequestExtraInfo: true, ResponseExtraInfo: true})
	q := &reqB{b, len(b.r.Requests) - 1}
	q.req().End = b.tick(10 * time.Millisecond)
	return q
}

func (b *builder) get(url string) *reqB  { return b.request("GET", url) }
func (b *builder) post(url string) *reqB { return b.request("POST", url) }

// send attaches the held cookie called name to the request.
func (q *reqB) send(name string) *reqB {
	k := q.b.keyOf(name)
	c, ok := q.b.jar[k]
	if !ok {
		return q
	}
	p := q.req()
	v := c.Value
	p.CookiesSent = append(p.CookiesSent, recording.SentCookie{Name: name, Domain: k.Domain, Path: k.Path, Value: v})
	q.b.r.Events = append(q.b.r.Events, recording.CookieEvent{Time: p.Start, Step: p.Step, Kind: recording.EventSent,
		Source: recording.SourceHTTP, Name: name, Domain: k.Domain, Path: k.Path, Value: &v, Request: p.ID, URL: p.URL})
	return q
}

// set adds a Set-Cookie line ("name=value; attrs") and stores it in the
// jar, or records it as refused when rejectReasons are given.
func (q *reqB) set(line string, rejectReasons ...string) *reqB {
	p := q.req()
	sc := recording.ParseSetCookie(line, p.End, q.b.red)
	k := lineKey(p.URL, &sc)
	if len(rejectReasons) > 0 {
		sc.Rejected, sc.Reasons = true, rejectReasons
	}
	p.SetCookies = append(p.SetCookies, sc)
	v := sc.Value
	ev := recording.CookieEvent{Time: p.End, Step: p.Step, Source: recording.SourceHTTP, Name: sc.Name, Domain: k.Domain, Path: k.Path,
		Value: &v, Request: p.ID, URL: p.URL, Reasons: sc.Reasons}
	switch {
	case sc.Rejected:
		ev.Kind = recording.EventRejected
	case sc.Deletion:
		ev.Kind = recording.EventDeleted
		delete(q.b.jar, k)
	default:
		ev.Kind = recording.EventSet
		c := recording.Cookie{Name: sc.Name, Domain: k.Domain, Path: k.Path, Value: v, Size: sc.Size, HTTPOnly: sc.HTTPOnly,
			Secure: sc.Secure, SameSite: recording.SameSiteMode(sc.SameSite), Session: true}
		if life, ok := sc.Lifetime(p.End); ok {
			e := p.End.Add(life)
			c.Expires, c.Session = &e, false
		}
		q.b.jar[k] = c
	}
	q.b.r.Events = append(q.b.r.Events, ev)
	return q
}

// script records a document.cookie write on page u; the jar gets what the
// browser would store.
func (b *builder) script(c recording.Cookie, raw, u string) *builder {
	c.Value = b.red.Value(raw)
	if c.Path == "" {
		c.Path = "/"
	}
	v := c.Value
	b.r.Events = append(b.r.Events, recording.CookieEvent{Time: b.tick(time.Millisecond), Step: b.stepIndex(), Kind: recording.EventSet,
		Source: recording.SourceScript, Name: c.Name, Domain: c.Domain, Path: c.Path, Value: &v, URL: u, Location: u + ":10:5", Detail: "document.cookie"})
	b.jar[c.Key()] = c
	return b
}

// plant is a setCookie step's write: the scenario's, not the site's.
func (b *builder) plant(name, raw string) *builder {
	k := recording.CookieKey{Name: name, Domain: "app.test", Path: "/"}
	v := b.red.Value(raw)
	b.r.Events = append(b.r.Events, recording.CookieEvent{Time: b.tick(time.Millisecond), Step: b.stepIndex(), Kind: recording.EventSet,
		Source: recording.SourceHarness, Name: name, Domain: k.Domain, Path: k.Path, Value: &v})
	b.jar[k] = recording.Cookie{Name: name, Domain: k.Domain, Path: k.Path, Value: v, Session: true}
	return b
}

func (b *builder) probe(loggedIn bool) *builder {
	b.r.Probe = &recording.ProbeResult{URL: "https://app.test/account", Status: 200, LoggedIn: loggedIn}
	return b
}

const good = "Path=/; Secure; HttpOnly; SameSite=Lax"

// journey is a login and a logout on app.test with SID: the ID rotates at
// login unless keep, and dies at logout (and on the server, unless the
// probe says loggedIn). attrs are the Set-Cookie attributes.
func journey(attrs string, rotate bool, loggedIn bool) *recording.Recording {
	b := newRec("journey", "SID")
	b.step("goto", "")
	b.get("https://app.test/login").set("SID=pre-login-session-id-0001; " + attrs)
	b.step("submit", "login")
	q := b.post("https://app.test/login").send("SID")
	if rotate {
		q.set("SID=post-login-session-id-0002; " + attrs)
	}
	b.get("https://app.test/account").send("SID")
	b.step("click", "logout")
	b.get("https://app.test/logout").send("SID").set("SID=; Path=/; Max-Age=0")
	return b.probe(loggedIn).rec()
}
