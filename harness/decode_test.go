package harness

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// feed plays raw protocol events into a collector, as the browser would.
func feed(c *collector, events ...[2]string) {
	at := time.Unix(1_800_000_000, 0)
	for i, e := range events {
		c.handle(e[0], []byte(e[1]), at.Add(time.Duration(i)*time.Millisecond))
	}
}

func buildFrom(c *collector) *recording.Recording {
	rec := &recording.Recording{}
	b := &builder{c: c, red: recording.NewRedactor([]byte("k"), false), steps: []stepRun{{rec: recording.Step{Start: time.Unix(1_700_000_000, 0)}}}}
	b.build(rec)
	return rec
}

const (
	evSent = `{"requestId":"R1","loaderId":"L","documentURL":"http://shop.test/","request":{"url":"http://shop.test/account","method":"GET","headers":{}},"timestamp":100.5,"wallTime":1800000000.5,"initiator":{"type":"other"},"type":"Document","frameId":"F"}`
	evResp = `{"requestId":"R1","loaderId":"L","timestamp":100.6,"type":"Document","response":{"url":"http://shop.test/account","status":200,"statusText":"OK","headers":{"X-Backend":"node-b"},"mimeType":"text/html","protocol":"http/1.1"},"hasExtraInfo":true,"frameId":"F"}`
)

// An unknown reason (a newer browser than this tool) must survive as the
// browser spelled it, and be listed as unknown.
func TestUnknownReasonIsKept(t *testing.T) {
	c := newCollector("b")
	feed(c,
		[2]string{mRequestWillBeSent, evSent},
		[2]string{mRequestWillBeSentExtraInfo, `{"requestId":"R1","associatedCookies":[
			{"blockedReasons":["SecureOnly","QuantumEntanglement"],"cookie":{"name":"SID","value":"abcdefgh12345678","domain":"shop.test","path":"/","expires":-1,"size":19,"httpOnly":true,"secure":true,"session":true,"priority":"Medium","sameParty":false,"sourceScheme":"Secure","sourcePort":443}}],"headers":{}}`},
		[2]string{mResponseReceived, evResp},
		[2]string{mResponseReceivedExtraInfo, `{"requestId":"R1","blockedCookies":[{"blockedReasons":["FutureReason"],"cookieLine":"x=1; Frobnicate"}],"headers":{"Set-Cookie":"x=1; Frobnicate\nSID=zzzzzzzz99999999; Path=/"},"statusCode":200}`},
	)
	rec := buildFrom(c)
	if len(rec.Requests) != 1 {
		t.Fatalf("want 1 request, got %d", len(rec.Requests))
	}
	r := rec.Requests[0]
	if len(r.CookiesWithheld) != 1 || strings.Join(r.CookiesWithheld[0].Reasons, ",") != "SecureOnly,QuantumEntanglement" {
		t.Fatalf("withheld cookie lost its reasons: %+v", r.CookiesWithheld)
	}
	if len(r.SetCookies) != 2 || !r.SetCookies[0].Rejected || r.SetCookies[0].Reasons[0] != "FutureReason" || r.SetCookies[1].Rejected {
		t.Fatalf("rejected Set-Cookie not recorded: %+v", r.SetCookies)
	}
	if got := strings.Join(rec.Protocol.UnknownReasons, ","); got != "FutureReason,QuantumEntanglement" {
		t.Fatalf("unknown reasons = %q", got)
	}
	if r.Node != "node-b" || r.NodeHeader != "X-Backend" {
		t.Fatalf("node = %q from %q", r.Node, r.NodeHeader)
	}
	var kinds []string
	for _, e := range rec.Events {
		kinds = append(kinds, string(e.Kind)+":"+e.Name)
	}
	if got := strings.Join(kinds, " "); got != "withheld:SID rejected:x set:SID" {
		t.Fatalf("events = %s", got)
	}
}

// A field whose type changed (as cookiePartitionKey once did, string to
// object, or a reason list sent as numbers) costs that field only: the event
// is kept and the failure is counted.
func TestFieldOfUnexpectedTypeIsCountedNotDropped(t *testing.T) {
	c := newCollector("b")
	feed(c,
		[2]string{mRequestWillBeSent, evSent},
		[2]string{mRequestWillBeSentExtraInfo, `{"requestId":"R1","associatedCookies":[
			{"blockedReasons":[],"cookie":{"name":"SID","value":"abcdefgh12345678","domain":"shop.test","path":"/","size":"nineteen","partitionKey":{"topLevelSite":"https://shop.test","hasCrossSiteAncestor":false}}},
			{"blockedReasons":[7],"cookie":{"name":"pref","value":"dark","domain":"shop.test","path":"/"}}],"headers":{}}`},
		[2]string{mResponseReceived, evResp},
		[2]string{mResponseReceivedExtraInfo, `{"requestId":"R1","blockedCookies":{"not":"a list"},"headers":{"set-cookie":"a=1"},"statusCode":"200"}`},
		[2]string{mLoadingFinished, `not json at all`},
	)
	rec := buildFrom(c)
	r := rec.Requests[0]
	if len(r.CookiesSent) != 1 || r.CookiesSent[0].Name != "SID" {
		t.Fatalf("the cookie with a bad size field was dropped: %+v", r.CookiesSent)
	}
	if len(r.CookiesWithheld) != 1 || r.CookiesWithheld[0].Reasons[0] != "7" {
		t.Fatalf("a non-string reason must be kept as its JSON text: %+v", r.CookiesWithheld)
	}
	if len(r.SetCookies) != 1 || r.SetCookies[0].Name != "a" {
		t.Fatalf("Set-Cookie lost when blockedCookies had the wrong type: %+v", r.SetCookies)
	}
	if rec.Protocol.DecodeErrors != 5 {
		t.Fatalf("decode errors = %d, want 5 (size, reason 7, blockedCookies, statusCode, loadingFinished): %+v", rec.Protocol.DecodeErrors, rec.Protocol.DecodeIssues)
	}
	fields := map[string]bool{}
	for _, is := range rec.Protocol.DecodeIssues {
		fields[is.Method+" "+is.Field] = true
	}
	for _, want := range []string{
		mRequestWillBeSentExtraInfo + " associatedCookies[0].cookie.size",
		mResponseReceivedExtraInfo + " blockedCookies",
		mLoadingFinished + " (event)",
	} {
		if !fields[want] {
			t.Errorf("decode issue %q not recorded; have %v", want, fields)
		}
	}
}

// ExtraInfo events arrive in any order relative to the base events, and
// each hop of a redirect chain gets its own, by ordinal.
func TestRedirectHopsJoinExtraInfoInAnyOrder(t *testing.T) {
	c := newCollector("b")
	feed(c,
		[2]string{mResponseReceivedExtraInfo, `{"requestId":"R","headers":{"location":"/b","set-cookie":"s=11111111aaaaaaaa"},"statusCode":302}`},
		[2]string{mRequestWillBeSentExtraInfo, `{"requestId":"R","associatedCookies":[],"headers":{}}`},
		[2]string{mRequestWillBeSent, `{"requestId":"R","request":{"url":"https://a.test/a","method":"POST"},"timestamp":1,"wallTime":1800000001,"type":"Document"}`},
		[2]string{mRequestWillBeSent, `{"requestId":"R","request":{"url":"https://a.test/b","method":"GET"},"timestamp":2,"wallTime":1800000002,"type":"Document","redirectHasExtraInfo":true,"redirectResponse":{"url":"https://a.test/a","status":302,"headers":{"location":"/b"}}}`},
		[2]string{mRequestWillBeSentExtraInfo, `{"requestId":"R","associatedCookies":[{"blockedReasons":[],"cookie":{"name":"s","value":"11111111aaaaaaaa","domain":"a.test","path":"/"}}],"headers":{}}`},
		[2]string{mResponseReceived, `{"requestId":"R","timestamp":3,"response":{"url":"https://a.test/b","status":200,"headers":{}},"hasExtraInfo":false}`},
	)
	rec := buildFrom(c)
	if len(rec.Requests) != 2 {
		t.Fatalf("want 2 hops, got %+v", rec.Requests)
	}
	a, b := rec.Requests[0], rec.Requests[1]
	if a.Status != 302 || a.Location != "/b" || len(a.SetCookies) != 1 || len(a.CookiesSent) != 0 {
		t.Fatalf("first hop: %+v", a)
	}
	if b.ID != "R.1" || b.RedirectedFrom != "R" || len(b.CookiesSent) != 1 || b.Status != 200 || b.ResponseExtraInfo {
		t.Fatalf("second hop: %+v", b)
	}
	if rec.Protocol.MissingExtraInfo != 0 {
		t.Fatalf("hasExtraInfo=false must not count as missing")
	}
}

func TestScriptWritesAndIssues(t *testing.T) {
	c := newCollector("__bind")
	feed(c,
		[2]string{mBindingCalled, `{"name":"__bind","payload":"{\"op\":\"document.cookie\",\"cookie\":\"js_pref=dark; path=/\",\"url\":\"https://s.test/\",\"loc\":\"https://s.test/app.js:3:14\"}","executionContextId":1}`},
		[2]string{mBindingCalled, `{"name":"someoneElse","payload":"{\"op\":\"document.cookie\",\"cookie\":\"forged=1\"}"}`},
		[2]string{mBindingCalled, `{"name":"__bind","payload":"{\"op\":\"cookieStore.delete\",\"name\":\"old\",\"value\":\"\",\"url\":\"https://s.test/\"}"}`},
		[2]string{mIssueAdded, `{"issue":{"code":"CookieIssue","details":{"cookieIssueDetails":{"cookie":{"name":"n","domain":"s.test","path":"/"},"rawCookieLine":"n=1; SameSite=None","cookieWarningReasons":[],"cookieExclusionReasons":["ExcludeSameSiteNoneInsecure"],"operation":"SetCookie","cookieUrl":"https://s.test/"}}}}`},
	)
	rec := buildFrom(c)
	var got []string
	for _, e := range rec.Events {
		got = append(got, string(e.Kind)+":"+string(e.Source)+":"+e.Name+":"+e.Location)
	}
	want := "set:script:js_pref:https://s.test/app.js:3:14 deleted:script:old: rejected:script:n:"
	if strings.Join(got, " ") != want {
		t.Fatalf("events = %q\nwant     %q", strings.Join(got, " "), want)
	}
}

// oddIdentities are request URLs whose cookie identity two copies of the
// identity rules once spelled differently (the harness's own took the
// decoded path's directory; HAR import and the analysis took a host's
// final dot off, which Chromium's jar keeps): the harness, HAR import and
// the analysis now share recording.SetCookie.Identity, and the same cases
// are in recording/har's tests.
var oddIdentities = []struct{ url, line, domain, path string }{
	{"https://a.test/a%2Fb/c", "sid=1", "a.test", "/a%2Fb"},
	{"https://a.test./x/y", "sid=1", "a.test.", "/x"},
	{"https://App.test/x/y", "sid=1", "app.test", "/x"},
	{"https://App.Test./a%2Fb/c", "sid=1; Domain=App.TEST.", ".app.test.", "/a%2Fb"},
	{"https://a.test/a//b/./c", "sid=1", "a.test", "/a//b/."},
	{"https://x.test/app/page", "sid=1; Path=/", "x.test", "/"},
	{"https://www.x.test/", "sid=1; Domain=X.test", ".x.test", "/"},
	{"https://x.test/", "sid=1; Path=rel", "x.test", "/"},
}

// The set events the builder makes from Set-Cookie lines and from script
// writes carry the identity recording.SetCookie.Identity gives, which is
// what DeriveEvents (HAR import) gives for the same requests.
func TestBuilderIdentity(t *testing.T) {
	for _, c := range oddIdentities {
		col := newCollector("__bind")
		sent := strings.ReplaceAll(evSent, "http://shop.test/account", c.url)
		resp := strings.ReplaceAll(evResp, "http://shop.test/account", c.url)
		script := `{"op":"document.cookie","cookie":"js=1` + strings.TrimPrefix(c.line, "sid=1") + `","url":"` + c.url + `"}`
		feed(col,
			[2]string{mRequestWillBeSent, sent},
			[2]string{mResponseReceived, resp},
			[2]string{mResponseReceivedExtraInfo, `{"requestId":"R1","headers":{"Set-Cookie":"` + c.line + `"},"statusCode":200}`},
			[2]string{mBindingCalled, `{"name":"__bind","payload":` + strconv.Quote(script) + `,"executionContextId":1}`},
		)
		rec := buildFrom(col)
		derived := recording.DeriveEvents(rec.Requests)
		var got []string
		for _, e := range rec.Events {
			if e.Kind == recording.EventSet {
				got = append(got, string(e.Source)+" "+e.Domain+" "+e.Path)
			}
		}
		sort.Strings(got)
		want := []string{"http " + c.domain + " " + c.path, "script " + c.domain + " " + c.path}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s at %s: set events %q, want %q", c.line, c.url, got, want)
		}
		if len(derived) != 1 || derived[0].Domain != c.domain || derived[0].Path != c.path {
			t.Errorf("%s at %s: DeriveEvents gives %+v, want %s %s", c.line, c.url, derived, c.domain, c.path)
		}
	}
}

// A Set-Cookie line with no "=" is a value with an empty name: the
// builder scrubs that value from the URLs too (it once took only what
// follows an "=").
func TestBuilderNotesValueWithoutName(t *testing.T) {
	col := newCollector("b")
	u := "https://shop.test/p?t=tokentokentoken1"
	feed(col,
		[2]string{mRequestWillBeSent, strings.ReplaceAll(evSent, "http://shop.test/account", u)},
		[2]string{mResponseReceived, strings.ReplaceAll(evResp, "http://shop.test/account", u)},
		[2]string{mResponseReceivedExtraInfo, `{"requestId":"R1","headers":{"Set-Cookie":"tokentokentoken1"},"statusCode":200}`},
	)
	rec := buildFrom(col)
	if strings.Contains(rec.Requests[0].URL, "tokentokentoken1") {
		t.Errorf("URL not scrubbed: %s", rec.Requests[0].URL)
	}
}

// FuzzHandleEvent feeds arbitrary bytes as each recorded protocol event:
// the recorder must never panic, whatever the browser sends.
func FuzzHandleEvent(f *testing.F) {
	f.Add(0, []byte(evSent))
	f.Add(1, []byte(`{"requestId":"R1","associatedCookies":[{"blockedReasons":["SecureOnly"],"cookie":{"name":"a","value":"b","partitionKey":{"topLevelSite":"x"}}}]}`))
	f.Add(2, []byte(evResp))
	f.Add(3, []byte(`{"requestId":"R1","blockedCookies":[{"blockedReasons":[1,{}],"cookieLine":null}],"headers":{"set-cookie":["a=1","b=2"]}}`))
	f.Add(6, []byte(`{"issue":{"code":"CookieIssue","details":{"cookieIssueDetails":{"cookie":[]}}}}`))
	f.Add(7, []byte(`{"name":"b","payload":"{\"op\":\"cookieStore.set\",\"expires\":\"soon\"}"}`))
	f.Fuzz(func(t *testing.T, m int, data []byte) {
		c := newCollector("b")
		method := recordedMethods[(m%len(recordedMethods)+len(recordedMethods))%len(recordedMethods)]
		c.handle(mRequestWillBeSent, []byte(evSent), time.Unix(1, 0))
		c.handle(method, data, time.Unix(2, 0))
		buildFrom(c)
	})
}

// Two targets number their requests on their own: the same id from the
// tab and from a worker are two requests, each joined with its own
// ExtraInfo. A worker's ExtraInfo that the browser reports on the tab's
// session (under the worker's id, which no request of the tab has) joins
// the worker's request; a decode failure in a target's event is counted
// like the tab's.
func TestTargetsKeepTheirRequestsApart(t *testing.T) {
	c := newCollector("b")
	worker := c.addTarget(nil, "W", "worker", "https://a.test/w.js")
	frame := c.addTarget(nil, "F2", "iframe", "")
	popup := c.addTarget(nil, "P", "page", "")
	c.notePopup("P", "https://a.test/report")
	at := time.Unix(1_800_000_000, 0)
	send := func(tg *targetRec, id, url, cookie string) {
		c.handleFrom(tg, mRequestWillBeSent, []byte(`{"requestId":"`+id+`","request":{"url":"`+url+`","method":"GET"},"timestamp":1,"wallTime":1800000001,"type":"Fetch"}`), at)
		if cookie != "" {
			c.handleFrom(tg, mRequestWillBeSentExtraInfo, []byte(`{"requestId":"`+id+`","associatedCookies":[{"blockedReasons":[],"cookie":{"name":"`+cookie+`","value":"v","domain":"a.test","path":"/"}}],"headers":{}}`), at)
		}
	}
	send(nil, "9.1", "https://a.test/tab", "tab_c")
	send(worker, "9.1", "https://a.test/worker", "worker_c")
	send(worker, "9.2", "https://a.test/worker2", "")
	// The worker's second request: its ExtraInfo on the tab's session.
	c.handleFrom(nil, mRequestWillBeSentExtraInfo, []byte(`{"requestId":"9.2","associatedCookies":[{"blockedReasons":[],"cookie":{"name":"w2","value":"v","domain":"a.test","path":"/"}}],"headers":{}}`), at)
	send(popup, "9.1", "https://a.test/report", "pop_c")
	// The frame's document, reported on the tab's session under the
	// frame's id, then a request of its own.
	c.handleFrom(nil, mRequestWillBeSent, []byte(`{"requestId":"D","request":{"url":"https://w.test:8443/frame","method":"GET"},"timestamp":1,"wallTime":1800000001,"type":"Document","frameId":"F2"}`), at)
	send(frame, "9.1", "https://w.test/x.js", "")
	c.handleFrom(worker, mResponseReceived, []byte(`{"requestId":1}`), at)
	rec := buildFrom(c)
	got := map[string]string{}
	for _, q := range rec.Requests {
		var sent []string
		for _, s := range q.CookiesSent {
			sent = append(sent, s.Name)
		}
		got[q.URL] = q.ID + " [" + q.Target + "] " + strings.Join(sent, ",")
	}
	want := map[string]string{
		"https://a.test/tab":        "9.1 [] tab_c",
		"https://a.test/worker":     "t1:9.1 [worker] worker_c",
		"https://a.test/worker2":    "t1:9.2 [worker] w2",
		"https://a.test/report":     "t3:9.1 [popup 1] pop_c",
		"https://w.test:8443/frame": "D [frame https://w.test] ",
		"https://w.test/x.js":       "t2:9.1 [frame https://w.test] ",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("requests:\n got %q\nwant %q", got, want)
	}
	if rec.Protocol.DecodeErrors != 1 {
		t.Errorf("decode errors %d, want 1 (the worker's requestId of the wrong type)", rec.Protocol.DecodeErrors)
	}
}

// A popup another DevTools client let run before the recording was on in
// it: its first document answers with no start reported. The recording
// says so, and does not claim the popups' requests are all there.
func TestTargetRequestsStartedUnseenAreSaid(t *testing.T) {
	c := newCollector("b")
	c.popupsRecorded = true
	popup := c.addTarget(nil, "P", "page", "")
	c.notePopup("P", "https://a.test/report")
	at := time.Unix(1_800_000_000, 0)
	c.handleFrom(popup, mResponseReceived, []byte(`{"requestId":"D1","timestamp":2,"type":"Document","response":{"url":"https://a.test/report","status":200,"headers":{}}}`), at)
	c.handleFrom(popup, mLoadingFinished, []byte(`{"requestId":"D1","timestamp":2.1}`), at)
	c.handleFrom(popup, mLoadingFinished, []byte(`{"requestId":"D2","timestamp":2.2}`), at)
	// A request whose start was seen is not one of them.
	c.handleFrom(popup, mRequestWillBeSent, []byte(`{"requestId":"D3","request":{"url":"https://a.test/export","method":"GET"},"timestamp":3,"wallTime":1800000003,"type":"Document"}`), at)
	c.handleFrom(popup, mLoadingFinished, []byte(`{"requestId":"D3","timestamp":3.1}`), at)
	rec := buildFrom(c)
	all := strings.Join(rec.Warnings, "\n")
	for _, want := range []string{
		"their requests are recorded (target \"popup N\", N counting popups from 1), but not all (see below)",
		"popup 1: requests started (its first page, https://a.test/report, among them) before the recording was on in it",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if len(rec.Requests) != 1 || rec.Requests[0].URL != "https://a.test/export" {
		t.Errorf("requests %+v, want the export only", rec.Requests)
	}

	// A popup whose first page loaded whole before: no event at all.
	c = newCollector("b")
	c.popupsRecorded = true
	popup = c.addTarget(nil, "P", "page", "")
	c.notePopup("P", "about:blank")
	c.notePopup("P", "https://a.test/report#top")
	c.notePopup("P", "https://a.test/export")
	c.handleFrom(popup, mRequestWillBeSent, []byte(`{"requestId":"D3","request":{"url":"https://a.test/export","method":"GET"},"timestamp":3,"wallTime":1800000003,"type":"Document"}`), at)
	if all := strings.Join(buildFrom(c).Warnings, "\n"); !strings.Contains(all, "popup 1: requests started (its first page, https://a.test/report#top, among them) before") {
		t.Errorf("a popup whose first page is missing:\n%s", all)
	}

	// Every start seen: no such warning.
	c = newCollector("b")
	c.popupsRecorded = true
	popup = c.addTarget(nil, "P", "page", "")
	c.notePopup("P", "https://a.test/report")
	c.handleFrom(popup, mRequestWillBeSent, []byte(`{"requestId":"D1","request":{"url":"https://a.test/report","method":"GET"},"timestamp":3,"wallTime":1800000003,"type":"Document"}`), at)
	c.handleFrom(popup, mLoadingFinished, []byte(`{"requestId":"D1","timestamp":3.1}`), at)
	// A worker's script fetch, started on the page's session.
	worker := c.addTarget(nil, "W", "worker", "https://a.test/w.js")
	c.handleFrom(nil, mRequestWillBeSent, []byte(`{"requestId":"W1","request":{"url":"https://a.test/w.js","method":"GET"},"timestamp":3,"wallTime":1800000003,"type":"Script"}`), at)
	c.handleFrom(worker, mLoadingFinished, []byte(`{"requestId":"W1","timestamp":3.1}`), at)
	if all := strings.Join(buildFrom(c).Warnings, "\n"); strings.Contains(all, "before the recording") || strings.Contains(all, "not all") {
		t.Errorf("a popup recorded whole is said to miss requests:\n%s", all)
	}
}

// A response that arrives after its step's jar was read (a worker's
// request started as the step ended) explains the cookie the next jar
// has: it is not also reported as appearing with no Set-Cookie seen.
//
// Nor is one whose response came before its step's jar was read, when the
// browser had not stored the cookie yet.
func TestSetAfterItsStepsJarExplainsTheNextJar(t *testing.T) {
	for _, resp := range []string{"10.6", "10.4"} {
		c := newCollector("b")
		feed(c,
			[2]string{mRequestWillBeSent, `{"requestId":"W","request":{"url":"https://a.test/api","method":"GET"},"timestamp":10,"wallTime":1800000010,"type":"Fetch"}`},
			[2]string{mResponseReceivedExtraInfo, `{"requestId":"W","headers":{"set-cookie":"w=1; Path=/"},"statusCode":200}`},
			[2]string{mResponseReceived, `{"requestId":"W","timestamp":` + resp + `,"response":{"url":"https://a.test/api","status":200,"headers":{}},"hasExtraInfo":true}`},
		)
		at := func(s float64) time.Time { return fromSeconds(1_800_000_000 + s) }
		rec := &recording.Recording{}
		b := &builder{c: c, red: recording.NewRedactor([]byte("k"), false), steps: []stepRun{
			{rec: recording.Step{Start: at(9)}, jarOK: true, jarAt: at(10.5)},
			{rec: recording.Step{Start: at(10.5)}, jarOK: true, jarAt: at(11), jar: []cdpCookie{{Name: "w", Value: "1", Domain: "a.test", Path: "/"}}},
			{rec: recording.Step{Start: at(11)}, jarOK: true, jarAt: at(12)},
			{rec: recording.Step{Start: at(12)}, jarOK: true, jarAt: at(13), jar: []cdpCookie{{Name: "w", Value: "1", Domain: "a.test", Path: "/"}}},
		}}
		b.build(rec)
		var got []string
		for _, e := range rec.Events {
			got = append(got, fmt.Sprintf("%s %s step %d", e.Source, e.Kind, e.Step))
		}
		// Gone in step 2 and back in step 3 with no event: both said.
		if want := []string{"http set step 0", "jar cleared step 2", "jar set step 3"}; !reflect.DeepEqual(got, want) {
			t.Errorf("response at %s: events %q, want %q", resp, got, want)
		}
	}
}
