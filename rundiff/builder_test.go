package rundiff

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A builder crafts recordings the way the harness writes them: requests,
// the cookie events they cause, and the jar after each step. Each builder
// fingerprints values with its own key, as each run does.
//
//	b := newRec("login", "login.yaml", "https://app.test", "SID")
//	b.step("goto", "")
//	b.get("https://app.test/login").set("SID", b.id("pre"), secure)
//	r := b.rec()
type builder struct {
	r    *recording.Recording
	red  *recording.Redactor
	seed string
	now  time.Time
	jar  map[ident]recording.Cookie
	nreq int
}

const secure = "Path=/; Secure; HttpOnly; SameSite=Lax"

var runs int // one fingerprint key and one set of IDs per builder

func newRec(name, file, target string, sessionCookies ...string) *builder {
	runs++
	seed := fmt.Sprint("run", runs)
	start := time.Date(2026, 11, 22, 10, 0, runs, 0, time.UTC)
	red := recording.NewRedactor([]byte(seed), false)
	return &builder{
		r: &recording.Recording{Schema: recording.Schema,
			Scenario: recording.ScenarioInfo{Name: name, File: file, Target: target, SessionCookies: sessionCookies},
			Options:  recording.Options{FingerprintKey: red.KeyID()},
			Start:    start, Status: recording.StatusPassed,
			Steps: []recording.Step{}, Requests: []recording.Request{}, Events: []recording.CookieEvent{}},
		red: red, seed: seed, now: start, jar: map[ident]recording.Cookie{},
	}
}

// id returns a 22-character random-looking ID, different in each run.
func (b *builder) id(s string) string {
	h := sha256.Sum256([]byte(b.seed + s))
	return base64.RawURLEncoding.EncodeToString(h[:])[:22]
}

func (b *builder) tick(d time.Duration) time.Time { b.now = b.now.Add(d); return b.now }

func (b *builder) step(kind, as string) *builder {
	b.endStep()
	b.r.Steps = append(b.r.Steps, recording.Step{Index: len(b.r.Steps), Kind: recording.StepKind(kind), As: recording.Boundary(as), Detail: kind,
		Start: b.tick(10 * time.Millisecond), Status: recording.StatusPassed})
	return b
}

func (b *builder) endStep() {
	if len(b.r.Steps) == 0 {
		return
	}
	st := &b.r.Steps[len(b.r.Steps)-1]
	if !st.End.IsZero() || st.Status == recording.StatusSkipped {
		return
	}
	st.End = b.tick(5 * time.Millisecond)
	st.Jar = []recording.Cookie{}
	for _, c := range b.jar {
		st.Jar = append(st.Jar, c)
	}
	sort.Slice(st.Jar, func(i, j int) bool { return st.Jar[i].Domain+st.Jar[i].Name < st.Jar[j].Domain+st.Jar[j].Name })
}

// fail fails the current step and adds the rest of the scenario as
// skipped steps, the way the harness does after a failed expectation.
func (b *builder) fail(rest ...string) *builder {
	b.endStep()
	st := &b.r.Steps[len(b.r.Steps)-1]
	st.Status, st.Error = recording.StatusFailed, "expectation failed"
	b.r.Status, b.r.Error = recording.StatusFailed, fmt.Sprintf("step %d: expectation failed", st.Index)
	for _, k := range rest {
		kind, as, _ := strings.Cut(k, " as ")
		b.r.Steps = append(b.r.Steps, recording.Step{Index: len(b.r.Steps), Kind: recording.StepKind(kind), As: recording.Boundary(as), Status: recording.StatusSkipped, Jar: []recording.Cookie{}})
	}
	return b
}

func (b *builder) probe(loggedIn bool) *builder {
	b.r.Probe = &recording.ProbeResult{URL: b.r.Scenario.Target + "/account", Status: 200, LoggedIn: loggedIn}
	return b
}

func (b *builder) rec() *recording.Recording {
	b.endStep()
	b.r.End = b.tick(time.Millisecond)
	return b.r
}

type reqB struct {
	b *builder
	i int
}

func (q *reqB) req() *recording.Request { return &q.b.r.Requests[q.i] }

func (b *builder) request(method, u string) *reqB {
	b.nreq++
	b.r.Requests = append(b.r.Requests, recording.Request{ID: fmt.Sprint("R", b.nreq), Step: len(b.r.Steps) - 1, Method: method, URL: u,
		ResourceType: "Document", Start: b.tick(20 * time.Millisecond), Status: 200,
		Headers: map[string]string{"Cache-Control": "no-store"}, RequestExtraInfo: true, ResponseExtraInfo: true})
	q := &reqB{b, len(b.r.Requests) - 1}
	q.req().End = b.tick(10 * time.Millisecond)
	return q
}

func (b *builder) get(u string) *reqB  { return b.request("GET", u) }
func (b *builder) post(u string) *reqB { return b.request("POST", u) }

func (q *reqB) redirect(u string) *reqB {
	p := q.req()
	p.Status, p.Location = 303, u
	n := q.b.get(u)
	n.req().ID, n.req().RedirectedFrom = p.ID+".1", p.ID
	return n
}

// send attaches the held cookie called name.
func (q *reqB) send(name string) *reqB {
	p := q.req()
	for k, c := range q.b.jar {
		if k.name == name {
			v := c.Value
			p.CookiesSent = append(p.CookiesSent, recording.SentCookie{Name: name, Domain: k.domain, Path: k.path, Value: v})
			q.b.r.Events = append(q.b.r.Events, recording.CookieEvent{Time: p.Start, Step: p.Step, Kind: recording.EventSent,
				Source: recording.SourceHTTP, Name: name, Domain: k.domain, Path: k.path, Value: &v, Request: p.ID, URL: p.URL})
		}
	}
	return q
}

// set adds a Set-Cookie line and applies it to the jar.
func (q *reqB) set(name, raw, attrs string) *reqB {
	p := q.req()
	sc := recording.ParseSetCookie(name+"="+raw+"; "+attrs, p.End, q.b.red)
	p.SetCookies = append(p.SetCookies, sc)
	k := ident{name: sc.Name}
	k.domain, k.path = sc.Identity(p.URL)
	v := sc.Value
	ev := recording.CookieEvent{Time: p.End, Step: p.Step, Source: recording.SourceHTTP, Name: name, Domain: k.domain, Path: k.path,
		Value: &v, Request: p.ID, URL: p.URL}
	if sc.Deletion {
		ev.Kind = recording.EventDeleted
		delete(q.b.jar, k)
	} else {
		ev.Kind = recording.EventSet
		c := recording.Cookie{Name: name, Domain: k.domain, Path: k.path, Value: v, Size: sc.Size, HTTPOnly: sc.HTTPOnly,
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

// A site describes a login journey: goto /login (the session starts),
// submit the login form (as login), click logout (as logout).
type site struct {
	host   string // default app.test
	cookie string // default SID
	attrs  string // the session cookie's attributes; default secure
	// keep: the pre-login ID is kept at login; stay: logout does not
	// delete the cookie.
	keep, stay bool
	probe      string // "", "refused" or "accepted"
	extra      func(b *builder)
	// failAt fails the scenario at that step ("goto", "login" or
	// "logout"); the steps after it are skipped.
	failAt string
}

func journey(s site) *recording.Recording {
	if s.host == "" {
		s.host = "app.test"
	}
	if s.cookie == "" {
		s.cookie = "SID"
	}
	if s.attrs == "" {
		s.attrs = secure
	}
	base := "https://" + s.host
	b := newRec("login journey", "login.yaml", base, s.cookie)
	steps := []string{"goto", "submit as login", "click as logout"}
	failed := func(i int) bool {
		if s.failAt != "" && strings.HasSuffix(steps[i], s.failAt) {
			b.fail(steps[i+1:]...)
			return true
		}
		return false
	}
	b.step("goto", "")
	b.get(base+"/login").set(s.cookie, b.id("pre"), s.attrs)
	if s.extra != nil {
		s.extra(b)
	}
	if failed(0) {
		return b.rec()
	}
	b.step("submit", "login")
	q := b.post(base + "/login").send(s.cookie)
	if !s.keep {
		q.set(s.cookie, b.id("auth"), s.attrs)
	}
	q.redirect(base + "/account").send(s.cookie)
	if failed(1) {
		return b.rec()
	}
	b.step("click", "logout")
	q = b.get(base + "/logout").send(s.cookie)
	if !s.stay {
		q.set(s.cookie, "", s.attrs+"; Max-Age=0")
	}
	switch s.probe {
	case "refused":
		b.probe(false)
	case "accepted":
		b.probe(true)
	}
	failed(2)
	return b.rec()
}

func one(r *recording.Recording) []*recording.Recording { return []*recording.Recording{r} }

// lines renders the changes of a diff as "kind subject what: from -> to
// MARK" for comparison in tests.
func lines(d *Diff) []string {
	var out []string
	for _, c := range d.Changes() {
		s := c.Kind
		if c.Subject != "" {
			s += " " + c.Subject
		}
		switch c.Kind {
		case "cookie":
			if c.What == Added || c.What == Gone {
				s += " " + c.What
				break
			}
			s += " " + c.What + ": " + c.From + " -> " + c.To
		case "finding":
			s += " " + c.What
			if c.What == SeverityChanged {
				s += ": " + c.From + " -> " + c.To
			}
		default:
			s += " " + c.What + ": " + c.From + " -> " + c.To
		}
		if m := c.Delta.Mark(); m != "" {
			s += " " + m
		}
		out = append(out, s)
	}
	return out
}
