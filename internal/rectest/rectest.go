// Package rectest builds small recordings for tests, the way the harness
// records them: requests with their Set-Cookie lines, the cookie events
// they cause, and the jar after each step. It builds through recording's
// exported API only (ParseSetCookie, Redactor and the types), so what a
// test builds is what the format can hold.
//
//	b := rectest.New("login", "SID") // on https://app.test, SID declared
//	b.Step("goto", "")
//	b.Get("https://app.test/login").Set("SID", rectest.ID("pre"), rectest.SecureAttrs)
//	b.Step("submit", "login")
//	b.Post("https://app.test/login").Send("SID", rectest.ID("pre")).Set("SID", rectest.ID("auth"), rectest.SecureAttrs)
//	r := b.Rec()
//
// For larger, generated recordings (benchmarks) see internal/synth.
package rectest

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/repotest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// SecureAttrs are the attributes of a well-set session cookie.
const SecureAttrs = "Path=/; Secure; HttpOnly; SameSite=Lax"

// T0 is when a recording made by New starts.
var T0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// ID returns a deterministic 22-character random-looking session ID.
func ID(seed string) string {
	h := sha256.Sum256([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(h[:])[:22]
}

// JWT returns a deterministic token in the shape of a JWT
// (header.claims.signature, base64url; the header names its "alg"), as
// identity providers issue access and ID tokens.
func JWT(seed string) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	c := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"alice","iat":1765100000,"jti":"` + ID(seed) + `"}`))
	sig := sha256.Sum256([]byte("sig " + seed))
	return h + "." + c + "." + base64.RawURLEncoding.EncodeToString(sig[:])
}

// Lab returns the recordings of the bundled lab suite made in real
// Chromium (analysis/testdata/lab, scrubbed: fingerprints only), by file
// name without ".json". Each call decodes them afresh: a test may change
// its copies.
func Lab(t testing.TB) map[string]*recording.Recording {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repotest.Root(), "analysis", "testdata", "lab", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no lab recordings: %v", err)
	}
	out := map[string]*recording.Recording{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := recording.Decode(filepath.Base(f), data)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = r
	}
	return out
}

// ReadIndex reads the index.json of the run folder dir, as a run wrote it
// (runfolder.IndexFile: rectest does not import runfolder, whose own
// dependencies' tests import rectest).
func ReadIndex(t testing.TB, dir string) *recording.Index {
	t.Helper()
	p := filepath.Join(dir, "index.json")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := recording.DecodeIndex(p, data)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// A Builder builds one recording. Its methods append in time order: each
// call moves the clock a little.
type Builder struct {
	// R is the recording so far, for what the methods do not cover.
	R *recording.Recording

	key  string
	red  *recording.Redactor
	seed string // ID's prefix: "" but after Rekey
	now  time.Time
	jar  map[recording.CookieKey]recording.Cookie
	nreq int
	last *Req
}

// New starts a passed recording of the scenario name on https://app.test
// that declares sessionCookies.
func New(name string, sessionCookies ...string) *Builder {
	b := &Builder{
		R: &recording.Recording{Schema: recording.Schema,
			Scenario: recording.ScenarioInfo{Name: name, Target: "https://app.test", SessionCookies: sessionCookies},
			Start:    T0, Status: recording.StatusPassed, Steps: []recording.Step{}, Requests: []recording.Request{}, Events: []recording.CookieEvent{}},
		now: T0,
		jar: map[recording.CookieKey]recording.Cookie{},
	}
	b.setKey("test key", false)
	return b
}

func (b *Builder) setKey(key string, reveal bool) {
	b.key, b.red = key, recording.NewRedactor([]byte(key), reveal)
	b.R.Options.FingerprintKey, b.R.Options.RevealValues = b.red.KeyID(), reveal
}

// Rekey fingerprints with a key of its own and makes b.ID return other
// IDs, as another run of the harness would. Call it before adding values.
func (b *Builder) Rekey(seed string) *Builder {
	b.seed = seed
	b.setKey(seed, false)
	return b
}

// Reveal records values in clear (the recorder's --reveal-values). Call it
// before adding values.
func (b *Builder) Reveal() *Builder {
	b.setKey(b.key, true)
	return b
}

// ID is the package's ID, different for each Rekey seed.
func (b *Builder) ID(seed string) string { return ID(b.seed + seed) }

// Value is raw as the recording stores it.
func (b *Builder) Value(raw string) recording.Value { return b.red.Value(raw) }

func (b *Builder) tick(d time.Duration) time.Time { b.now = b.now.Add(d); return b.now }

// Wait lets time pass inside the current step.
func (b *Builder) Wait(d time.Duration) *Builder { b.tick(d); return b }

// Step starts a new step. as is "", login, logout or privilege; detail
// defaults to the kind.
func (b *Builder) Step(kind recording.StepKind, as recording.Boundary, detail ...string) *Builder {
	b.endStep()
	d := string(kind)
	if len(detail) > 0 {
		d = detail[0]
	}
	b.R.Steps = append(b.R.Steps, recording.Step{Index: len(b.R.Steps), Kind: kind, As: as, Detail: d,
		Start: b.tick(10 * time.Millisecond), Status: recording.StatusPassed})
	return b
}

// Current is the current step (a goto if there is none yet).
func (b *Builder) Current() *recording.Step {
	if len(b.R.Steps) == 0 {
		b.Step("goto", "")
	}
	return &b.R.Steps[len(b.R.Steps)-1]
}

// endStep closes the current step: its end, the jar and the page it left.
func (b *Builder) endStep() {
	if len(b.R.Steps) == 0 {
		return
	}
	st := &b.R.Steps[len(b.R.Steps)-1]
	if !st.End.IsZero() || st.Status == recording.StatusSkipped {
		return
	}
	st.End = b.tick(5 * time.Millisecond)
	st.Jar = b.snapshot()
	if st.URL == "" {
		st.URL = b.pageURL()
	}
}

func (b *Builder) pageURL() string {
	for i := len(b.R.Requests) - 1; i >= 0; i-- {
		if q := b.R.Requests[i]; q.ResourceType == "Document" && q.Status < 300 {
			return q.URL
		}
	}
	return ""
}

func (b *Builder) snapshot() []recording.Cookie {
	jar := []recording.Cookie{}
	for _, c := range b.jar {
		jar = append(jar, c)
	}
	slices.SortFunc(jar, func(x, y recording.Cookie) int {
		return strings.Compare(x.Name+x.Domain+" "+x.Path, y.Name+y.Domain+" "+y.Path)
	})
	return jar
}

// Auth gives the current step the logged-in state the harness records
// from the scenario's marker.
func (b *Builder) Auth(state recording.LoginState, evidence string) *Builder {
	b.Current().Auth = &recording.AuthState{State: state, Evidence: evidence, Source: recording.AuthByMarker}
	return b
}

// Fail fails the current step and adds the rest of the scenario as skipped
// steps ("kind" or "kind as login"), as the harness does after a failed
// expectation.
func (b *Builder) Fail(rest ...string) *Builder {
	b.endStep()
	st := b.Current()
	st.Status, st.Error = recording.StatusFailed, "expectation failed"
	b.R.Status, b.R.Error = recording.StatusFailed, fmt.Sprintf("step %d: expectation failed", st.Index)
	for _, k := range rest {
		kind, as, _ := strings.Cut(k, " as ")
		b.R.Steps = append(b.R.Steps, recording.Step{Index: len(b.R.Steps), Kind: recording.StepKind(kind), As: recording.Boundary(as), Status: recording.StatusSkipped, Jar: []recording.Cookie{}})
	}
	return b
}

// Probe adds the logout probe's result: the target's /account, logged in
// or not.
func (b *Builder) Probe(loggedIn bool) *Builder {
	b.R.Probe = &recording.ProbeResult{URL: b.R.Scenario.Target + "/account", Status: 200, LoggedIn: loggedIn}
	return b
}

// Rec closes the recording and returns it.
func (b *Builder) Rec() *recording.Recording {
	b.endStep()
	b.R.End = b.tick(time.Millisecond)
	return b.R
}

// keyOf is the identity of the held cookie called name, or name on
// app.test. Of several, the smallest, so that map order does not choose
// (app.test before www.app.test).
func (b *Builder) keyOf(name string) recording.CookieKey {
	if ks := b.held(name); len(ks) > 0 {
		return ks[0]
	}
	return recording.CookieKey{Name: name, Domain: "app.test", Path: "/"}
}

// held is the identities of the held cookies called name, smallest first.
func (b *Builder) held(name string) []recording.CookieKey {
	var ks []recording.CookieKey
	for k := range b.jar {
		if k.Name == name {
			ks = append(ks, k)
		}
	}
	slices.SortFunc(ks, func(x, y recording.CookieKey) int { return strings.Compare(x.String(), y.String()) })
	return ks
}

// Gone removes the held cookie called name with an event of kind (expired
// or cleared) from source.
func (b *Builder) Gone(name string, kind recording.EventKind, source recording.EventSource, detail string) *Builder {
	k := b.keyOf(name)
	c, ok := b.jar[k]
	if !ok {
		return b
	}
	delete(b.jar, k)
	v := c.Value
	b.R.Events = append(b.R.Events, recording.CookieEvent{Time: b.tick(time.Millisecond), Step: b.Current().Index, Kind: kind, Source: source,
		Name: name, Domain: k.Domain, Path: k.Path, Value: &v, Detail: detail})
	return b
}

// Script records a document.cookie write on page u: name=raw with attrs
// (Secure, Max-Age, Expires, SameSite), or a deletion when raw is "". The
// cookie keeps the identity of the held one (or app.test).
func (b *Builder) Script(name, raw, attrs, u string) *Builder {
	k := b.keyOf(name)
	v := b.Value(raw)
	e := recording.CookieEvent{Time: b.tick(time.Millisecond), Step: b.Current().Index, Source: recording.SourceScript, Name: name,
		Domain: k.Domain, Path: k.Path, Value: &v, URL: u, Location: u + ":10:5", Detail: "document.cookie"}
	if raw == "" {
		e.Kind = recording.EventDeleted
		delete(b.jar, k)
	} else {
		e.Kind = recording.EventSet
		c := recording.Cookie{Name: name, Domain: k.Domain, Path: k.Path, Value: v}
		if attrs != "" {
			sc := recording.ParseSetCookie(name+"="+raw+"; "+attrs, e.Time, b.red)
			c.Secure, c.SameSite = sc.Secure, sc.SameSite
			if life, ok := sc.Lifetime(e.Time); ok {
				exp := e.Time.Add(life)
				c.Expires = &exp
			}
		}
		b.jar[k] = c
	}
	b.R.Events = append(b.R.Events, e)
	return b
}

// Plant is a setCookie step's write of name=raw on app.test: the
// scenario's, not the site's.
func (b *Builder) Plant(name, raw string) *Builder {
	k := recording.CookieKey{Name: name, Domain: "app.test", Path: "/"}
	v := b.Value(raw)
	b.R.Events = append(b.R.Events, recording.CookieEvent{Time: b.tick(time.Millisecond), Step: b.Current().Index, Kind: recording.EventSet,
		Source: recording.SourceHarness, Name: name, Domain: k.Domain, Path: k.Path, Value: &v})
	b.jar[k] = recording.Cookie{Name: name, Domain: k.Domain, Path: k.Path, Value: v, Session: true}
	return b
}

// A Req adds to one request of a Builder.
type Req struct {
	b *Builder
	i int
}

// Request is the request so far, for what the methods do not cover.
func (q *Req) Request() *recording.Request { return &q.b.R.Requests[q.i] }

// Last is the latest request.
func (b *Builder) Last() *Req { return b.last }

// Get adds a GET of a document that answers 200.
func (b *Builder) Get(url string) *Req { return b.request("GET", url) }

// Post adds a POST of a document that answers 200.
func (b *Builder) Post(url string) *Req { return b.request("POST", url) }

func (b *Builder) request(method, url string) *Req {
	step := b.Current().Index
	b.nreq++
	b.R.Requests = append(b.R.Requests, recording.Request{ID: fmt.Sprint("R", b.nreq), Step: step, Method: method, URL: url,
		ResourceType: "Document", Start: b.tick(20 * time.Millisecond), Status: 200,
		Headers:          map[string]string{"Cache-Control": "no-store", "Content-Type": "text/html"},
		RequestExtraInfo: true, ResponseExtraInfo: true})
	q := &Req{b, len(b.R.Requests) - 1}
	q.Request().End = b.tick(10 * time.Millisecond)
	b.last = q
	return q
}

// Redirect makes q answer 303 to url and adds that next hop of the chain.
func (q *Req) Redirect(url string) *Req {
	p := q.Request()
	p.Status, p.Location = 303, url
	n := q.b.Get(url)
	n.Request().ID = p.ID + ".1"
	n.Request().RedirectedFrom = p.ID
	n.Request().RedirectChain = append(append([]string{}, p.RedirectChain...), p.URL)
	return n
}

// Send sends name=raw with the identity of the held cookie called name
// (or app.test), whatever the jar holds.
func (q *Req) Send(name, raw string) *Req {
	k := q.b.keyOf(name)
	q.sent(k, q.b.Value(raw), recording.EventSent, nil)
	return q
}

// SendHeld sends every held cookie called name with its held value.
func (q *Req) SendHeld(name string) *Req {
	for _, k := range q.b.held(name) {
		q.sent(k, q.b.jar[k].Value, recording.EventSent, nil)
	}
	return q
}

// Withhold records that the browser did not send name=raw, for reasons.
func (q *Req) Withhold(name, raw string, reasons ...string) *Req {
	k := q.b.keyOf(name)
	q.sent(k, q.b.Value(raw), recording.EventWithheld, reasons)
	return q
}

func (q *Req) sent(k recording.CookieKey, v recording.Value, kind recording.EventKind, reasons []string) {
	p := q.Request()
	c := recording.SentCookie{Name: k.Name, Domain: k.Domain, Path: k.Path, Value: v, Reasons: reasons}
	if kind == recording.EventSent {
		p.CookiesSent = append(p.CookiesSent, c)
	} else {
		p.CookiesWithheld = append(p.CookiesWithheld, c)
	}
	q.b.R.Events = append(q.b.R.Events, recording.CookieEvent{Time: p.Start, Step: p.Step, Kind: kind,
		Source: recording.SourceHTTP, Name: k.Name, Domain: k.Domain, Path: k.Path, Value: &v, Request: p.ID, URL: p.URL, Reasons: reasons})
}

// Set adds the response line Set-Cookie: name=raw; attrs and applies it to
// the jar, or records it as refused when rejectReasons are given.
func (q *Req) Set(name, raw, attrs string, rejectReasons ...string) *Req {
	p := q.Request()
	line := name + "=" + raw
	if attrs != "" {
		line += "; " + attrs
	}
	sc := recording.ParseSetCookie(line, p.End, q.b.red)
	domain, path := sc.Identity(p.URL)
	k := recording.CookieKey{Name: name, Domain: domain, Path: path}
	if len(rejectReasons) > 0 {
		sc.Rejected, sc.Reasons = true, rejectReasons
	}
	p.SetCookies = append(p.SetCookies, sc)
	v := sc.Value
	ev := recording.CookieEvent{Time: p.End, Step: p.Step, Source: recording.SourceHTTP, Name: name, Domain: k.Domain, Path: k.Path,
		Value: &v, Request: p.ID, URL: p.URL, Reasons: sc.Reasons}
	switch {
	case sc.Rejected:
		ev.Kind = recording.EventRejected
	case sc.Deletion:
		ev.Kind = recording.EventDeleted
		delete(q.b.jar, k)
	default:
		ev.Kind = recording.EventSet
		c := recording.Cookie{Name: name, Domain: k.Domain, Path: k.Path, Value: v, Size: sc.Size, HTTPOnly: sc.HTTPOnly,
			Secure: sc.Secure, SameSite: sc.SameSite, Session: true}
		if life, ok := sc.Lifetime(p.End); ok {
			e := p.End.Add(life)
			c.Expires, c.Session = &e, false
		}
		q.b.jar[k] = c
	}
	q.b.R.Events = append(q.b.R.Events, ev)
	return q
}

// Node names the backend that answered (in an X-Backend header).
func (q *Req) Node(n string) *Req {
	q.Request().Node, q.Request().NodeHeader = n, "X-Backend"
	return q
}

// Status sets the response status and Location.
func (q *Req) Status(s int, location string) *Req {
	q.Request().Status, q.Request().Location = s, location
	return q
}

// Header sets a response header, or removes it when v is "".
func (q *Req) Header(k, v string) *Req {
	if v == "" {
		delete(q.Request().Headers, k)
	} else {
		q.Request().Headers[k] = v
	}
	return q
}

// Referrer sets the request's Referer.
func (q *Req) Referrer(u string) *Req { q.Request().Referrer = u; return q }

// Page adds the facts of the page the request loaded (its URL by
// default).
func (q *Req) Page(p recording.PageFacts) *Req {
	r := q.Request()
	p.Request, p.Step = r.ID, r.Step
	if p.URL == "" {
		p.URL = r.URL
	}
	q.b.R.Pages = append(q.b.R.Pages, p)
	return q
}

// Authorization gives the request an Authorization header: the scheme
// ("Bearer") and the credentials raw, fingerprinted as the harness does.
func (q *Req) Authorization(scheme, raw string) *Req {
	q.Request().Authorization = &recording.Credential{Scheme: scheme, Value: q.b.Value(raw)}
	return q
}

// Fetch adds a script's GET of url (an XHR to an API) that answers status.
func (b *Builder) Fetch(url string, status int) *Req {
	q := b.request("GET", url)
	p := q.Request()
	p.ResourceType, p.Status, p.Initiator = "XHR", status, "script"
	p.Headers["Content-Type"] = "application/json"
	return q
}

// Fields are the string fields of a JSON value in Web Storage, name then
// raw value: Fields("access_token", tok, "token_type", "Bearer").
func (b *Builder) Fields(nameRaw ...string) []recording.StorageField {
	var out []recording.StorageField
	for i := 0; i+1 < len(nameRaw); i += 2 {
		out = append(out, recording.StorageField{Name: nameRaw[i], Value: b.Value(nameRaw[i+1])})
	}
	return out
}

// StorageSet records a page's setItem(key, raw) in area of origin, by a
// script of that origin on its page /app (fields: the string fields of a
// JSON value, as the instrumentation reports them).
func (b *Builder) StorageSet(area recording.StorageArea, origin, key, raw string, fields ...recording.StorageField) *Builder {
	v := b.Value(raw)
	return b.storage(recording.StorageEvent{Kind: recording.StorageSet, Area: area, Origin: origin, Key: key, Value: &v, Fields: fields})
}

// StorageRemove records a page's removeItem(key) in area of origin.
func (b *Builder) StorageRemove(area recording.StorageArea, origin, key string) *Builder {
	return b.storage(recording.StorageEvent{Kind: recording.StorageRemoved, Area: area, Origin: origin, Key: key})
}

// StorageClear records a page's clear() of area in origin.
func (b *Builder) StorageClear(area recording.StorageArea, origin string) *Builder {
	return b.storage(recording.StorageEvent{Kind: recording.StorageCleared, Area: area, Origin: origin})
}

func (b *Builder) storage(e recording.StorageEvent) *Builder {
	e.Time, e.Step = b.tick(time.Millisecond), b.Current().Index
	e.URL, e.Script = e.Origin+"/app", e.Origin+"/app.js:10:5"
	b.R.Storage = append(b.R.Storage, e)
	return b
}

// StorageHeld adds an item to what the harness read of Web Storage after
// the current step (Step.Storage, read after a logout step); with no
// arguments it records that it read an empty storage.
func (b *Builder) StorageHeld(items ...recording.StorageItem) *Builder {
	st := b.Current()
	if st.Storage == nil {
		st.Storage = []recording.StorageItem{}
	}
	st.Storage = append(st.Storage, items...)
	return b
}

// Item is a Web Storage item as the harness reads it.
func (b *Builder) Item(area recording.StorageArea, origin, key, raw string, fields ...recording.StorageField) recording.StorageItem {
	return recording.StorageItem{Area: area, Origin: origin, Key: key, Value: b.Value(raw), Fields: fields}
}
