package har

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// The fixtures in testdata/har are real HARs of the lab's login journey on
// correct.test (the session ID rotates at login) and fixation.test (it does
// not, and the cookie has no HttpOnly); see testdata/har/README.md.

func readHAR(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "har", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func importFixture(t *testing.T, name string) (*recording.Recording, *Report) {
	t.Helper()
	rec, rep, err := Import(name, readHAR(t, name), recording.NewRedactor([]byte("test key"), false))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rec, rep
}

// rawCookieValues lists every cookie value a HAR fixture holds, from its
// Set-Cookie headers.
func rawCookieValues(t *testing.T, data []byte) []string {
	t.Helper()
	var h struct {
		Log struct {
			Entries []struct {
				Response struct {
					Headers []header `json:"headers"`
				} `json:"response"`
			} `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range h.Log.Entries {
		for _, l := range setCookieLines(e.Response.Headers) {
			if _, v, _ := recording.SetCookieParts(l); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func TestImportHARLabJourneys(t *testing.T) {
	cases := []struct {
		file, cookie, product, protocol, resourceType, initiator string
		rotates, httpOnly                                        bool
	}{
		{"chrome-correct.har", "__Host-sid", "Chrome/156.0.0.0", "h2", "Document", "other", true, true},
		{"chrome-fixation.har", "PHPSESSID", "Chrome/156.0.0.0", "h2", "Document", "other", false, false},
		{"playwright-correct.har", "__Host-sid", "chromium/156.0.8078.79", "h2", "Document", "", true, true},
		{"playwright-fixation.har", "PHPSESSID", "chromium/156.0.8078.79", "h2", "Document", "", false, false},
		{"firefox-fixation.har", "PHPSESSID", "Firefox/147.0", "h2", "", "", false, false},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data := readHAR(t, c.file)
			rec, rep := importFixture(t, c.file)
			if rep.Sanitized || rep.FromSessiontrace || rep.Entries != 5 || rep.Steps != 3 {
				t.Fatalf("report %+v", rep)
			}
			if rec.Schema != recording.Schema || rec.Status != recording.StatusPassed || rec.Scenario.Name != c.file ||
				!regexp.MustCompile(`^https://(correct|fixation)\.test:\d+$`).MatchString(rec.Scenario.Target) || rec.Browser.Product != c.product ||
				!strings.Contains(rec.Browser.UserAgent, "Mozilla/5.0") {
				t.Fatalf("header: %+v %+v", rec.Scenario, rec.Browser)
			}
			if rec.Options.FingerprintKey == "" || rec.Options.RevealValues {
				t.Fatalf("options %+v", rec.Options)
			}
			// Steps: the three navigations, the login and the logout found.
			wantAs := []recording.Boundary{"", "login", "logout"}
			for i, st := range rec.Steps {
				if st.Index != i || st.Kind != "navigation" || st.As != wantAs[i] || st.Status != recording.StatusPassed ||
					st.Jar == nil || len(st.Jar) != 0 || st.Start.IsZero() || st.End.Before(st.Start) {
					t.Fatalf("step %d: %+v", i, st)
				}
			}
			if !strings.HasSuffix(rec.Steps[1].URL, "/account") || !strings.HasPrefix(rec.Steps[1].Detail, "POST https://") {
				t.Fatalf("login step %+v", rec.Steps[1])
			}
			// Requests in order, with the redirect hops linked.
			want := []struct {
				id, method, path string
				status, step     int
				from, location   string
			}{
				{"e1", "GET", "/login", 200, 0, "", ""},
				{"e2", "POST", "/login", 303, 1, "", "/account"},
				{"e2.1", "GET", "/account", 200, 1, "e2", ""},
				{"e4", "GET", "/logout", 303, 2, "", "/"},
				{"e4.1", "GET", "/", 200, 2, "e4", ""},
			}
			if len(rec.Requests) != len(want) {
				t.Fatalf("%d requests", len(rec.Requests))
			}
			for i, w := range want {
				q := rec.Requests[i]
				u, err := url.Parse(q.URL)
				if err != nil || q.ID != w.id || q.Method != w.method || u.Path != w.path || !strings.HasPrefix(q.URL, rec.Scenario.Target+"/") || q.Status != w.status ||
					q.Step != w.step || q.RedirectedFrom != w.from || !strings.HasSuffix(q.Location, w.location) ||
					q.Protocol != c.protocol || q.ResourceType != c.resourceType || q.Initiator != c.initiator ||
					q.RequestExtraInfo || q.ResponseExtraInfo || q.Start.IsZero() || !q.End.After(q.Start) {
					t.Fatalf("request %d: %+v", i, q)
				}
				if q.Headers["Cache-Control"] != "no-store" {
					t.Fatalf("request %d headers %v", i, q.Headers)
				}
			}
			if hop := rec.Requests[2]; len(hop.RedirectChain) != 1 || hop.RedirectChain[0] != rec.Requests[1].URL {
				t.Fatalf("redirect chain %v", hop.RedirectChain)
			}
			// Cookies: set at GET /login, sent with the login, rotated or
			// kept, sent to /account, deleted at logout.
			set := rec.Requests[0].SetCookies
			if len(set) != 1 || set[0].Name != c.cookie || !set[0].Secure || set[0].HTTPOnly != c.httpOnly ||
				set[0].SameSite != "Lax" || set[0].Path != "/" || set[0].Deletion || set[0].Size != len(c.cookie)+set[0].Value.Len {
				t.Fatalf("set at /login: %+v", set)
			}
			first := set[0].Value
			sent := rec.Requests[1].CookiesSent
			if len(sent) != 1 || sent[0].Name != c.cookie || !sent[0].Value.Same(first) {
				t.Fatalf("sent with the login: %+v", sent)
			}
			after := rec.Requests[2].CookiesSent
			if len(after) != 1 || after[0].Value.Same(first) != !c.rotates {
				t.Fatalf("sent to /account: %+v (rotates %v)", after, c.rotates)
			}
			if c.rotates && (len(rec.Requests[1].SetCookies) != 1 || !rec.Requests[1].SetCookies[0].Value.Same(after[0].Value)) {
				t.Fatalf("rotation at the login: %+v", rec.Requests[1].SetCookies)
			}
			del := rec.Requests[3].SetCookies
			if len(del) != 1 || !del[0].Deletion || del[0].Value.Len != 0 {
				t.Fatalf("logout: %+v", del)
			}
			if len(rec.Requests[4].CookiesSent) != 0 {
				t.Fatalf("sent after logout: %+v", rec.Requests[4].CookiesSent)
			}
			if strings.HasPrefix(c.file, "chrome") {
				// Chrome's cookies array gives the domain and path of a sent cookie.
				if sent[0].Domain != strings.TrimPrefix(strings.Split(rec.Scenario.Target, ":")[1], "//") || sent[0].Path != "/" {
					t.Fatalf("sent cookie identity %+v", sent[0])
				}
			}
			// What a HAR cannot tell is said, and no value is stored raw.
			if len(rec.Warnings) < 2 || !strings.Contains(rec.Warnings[0], "withheld") || !strings.Contains(strings.Join(rec.Warnings, " "), "taken as the login") {
				t.Fatalf("warnings %q", rec.Warnings)
			}
			out, err := recording.Encode(rec)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range rawCookieValues(t, data) {
				if bytes.Contains(out, []byte(v)) {
					t.Fatalf("raw value %q in the recording", v)
				}
			}
			back, err := recording.Decode("x.json", out)
			if err != nil || len(back.Requests) != 5 {
				t.Fatalf("the imported recording does not decode: %v", err)
			}
		})
	}
}

func TestImportHARSanitized(t *testing.T) {
	rec, rep := importFixture(t, "chrome-fixation-sanitized.har")
	if !rep.Sanitized {
		t.Fatal("a sanitized Chrome export must be reported")
	}
	for _, want := range []string{"no cookie data", "5 requests", "Allow to generate HAR with sensitive data", "Export HAR (with sensitive data)", "Firefox", "Playwright", "WebInspector"} {
		if !strings.Contains(rep.Message, want) {
			t.Errorf("message lacks %q: %s", want, rep.Message)
		}
	}
	if len(rec.Warnings) == 0 || rec.Warnings[0] != rep.Message {
		t.Fatalf("the recording's first warning must be the message: %q", rec.Warnings)
	}
	for _, q := range rec.Requests {
		if len(q.CookiesSent)+len(q.SetCookies) != 0 {
			t.Fatalf("cookies invented: %+v", q)
		}
	}
	// The same HAR with its cookies is not sanitized.
	if _, rep := importFixture(t, "chrome-fixation.har"); rep.Sanitized || rep.Message != "" {
		t.Fatalf("false alarm: %+v", rep)
	}
}

// har builds a small HAR of the given entries (JSON objects).
func har(entries ...string) []byte {
	return []byte(`{"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": [` + strings.Join(entries, ",") + `]}}`)
}

func entry(method, u string, status int, reqHeaders, respHeaders, extra string) string {
	return `{"startedDateTime": "2026-11-22T10:00:00.000Z", "time": 5, "request": {"method": "` + method + `", "url": "` + u +
		`", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [` + reqHeaders + `], "queryString": [], "headersSize": -1, "bodySize": 0` + extra +
		`}, "response": {"status": ` + itoa(status) + `, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [` + respHeaders +
		`], "content": {"size": 0, "mimeType": "text/html"}, "redirectURL": "", "headersSize": -1, "bodySize": -1}, "cache": {}, "timings": {"send": 0, "wait": 5, "receive": 0}}`
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func hdr(name, value string) string {
	b, _ := json.Marshal(header{Name: name, Value: value})
	return string(b)
}

func TestImportHARErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"{\"log\": {\"entries\": [\n  {\"request\": ", "x.har:2:15: invalid JSON"},
		{"[]", "x.har:1:1: not a HAR file: expected a JSON object with a \"log\" object"},
		{"{}", "x.har:1:1: not a HAR file: no \"log\" object"},
		{`{"schema": "sessiontrace.recording/v1", "steps": []}`, `x.har: this is a sessiontrace file (schema "sessiontrace.recording/v1"), not a HAR`},
		{"{\"log\": {\"version\": \"1.2\"}}", "x.har:1:9: log: no \"entries\" array"},
		{"{\"log\": {\"entries\": {}}}", "x.har:1:21: log.entries: expected an array, got object"},
		{"{\"log\": {\"entries\": [\n {\"request\": {\"method\": \"GET\"}}]}}", "x.har:2:14: log.entries[0].request.url: expected the request's URL"},
		{"{\"log\": {\"entries\": [\n {\"request\": {\"url\": \"https://a.test/\"}}]}}", "x.har:2:14: log.entries[0].request.method: expected the request's method"},
		{"{\"log\": {\"entries\": [\n {\"startedDateTime\": \"yesterday\", \"request\": {\"method\": \"GET\", \"url\": \"https://a.test/\"}}]}}",
			"x.har:2:22: log.entries[0].startedDateTime: expected an ISO 8601 date and time such as 2026-11-22T00:35:58.337Z, got \"yesterday\""},
		{"{\"log\": {\"entries\": [" + entry("GET", "https://a.test/", 200, "", "", "") + ",\n {\"request\": {\"method\": \"GET\", \"url\": \"https://a.test/\"},\n \"response\": {\"status\": \"200\"}}]}}",
			"x.har:3:25: log.entries[1].response.status: expected a number, got string"},
		{"{\"log\": {\"entries\": [\n {\"request\": {\"method\": \"GET\", \"url\": \"https://a.test/\", \"headers\": {\"Cookie\": \"a=b\"}}}]}}",
			"x.har:2:69: log.entries[0].request.headers: expected an array, got object"},
		{"{\"log\": {\"entries\": [\n {\"request\": {\"method\": \"GET\", \"url\": \"https://a.test/\", \"cookies\": [{\"name\": \"a\", \"httpOnly\": \"yes\"}]}}]}}",
			"x.har:2:96: log.entries[0].request.cookies.httpOnly: expected true or false, got string"},
		{"{\"log\": {\"pages\": [{\"startedDateTime\": \"noon\"}], \"entries\": []}}", "x.har:1:40: log.pages[0].startedDateTime: expected an ISO 8601 date"},
	}
	for _, c := range cases {
		rec, rep, err := Import("x.har", []byte(c.in), recording.NewRedactor(nil, false))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Import(%q) error = %v, want it to contain %q", c.in, err, c.want)
		}
		if err != nil && (rec != nil || rep != nil) {
			t.Errorf("Import(%q) returned a recording with its error", c.in)
		}
	}
	if _, _, err := Import("x.har", har(), nil); err == nil {
		t.Error("no error without a Redactor")
	}
}

func TestImportHARCookieSources(t *testing.T) {
	// The Cookie header is complete; the cookies array adds the identity.
	e1 := entry("GET", "https://shop.test/cart", 200, hdr("Cookie", "sid=aaaaaaaaaaaaaaaa; theme=dark"), "", "")
	e1 = strings.Replace(e1, `"cookies": [], "headers"`, `"cookies": [{"name": "sid", "value": "aaaaaaaaaaaaaaaa", "domain": ".shop.test", "path": "/"}], "headers"`, 1)
	// No Cookie header: the cookies array alone.
	e2 := entry("GET", "https://shop.test/a", 200, "", "", "")
	e2 = strings.Replace(e2, `"cookies": [], "headers"`, `"cookies": [{"name": "sid", "value": "aaaaaaaaaaaaaaaa"}], "headers"`, 1)
	// Two Set-Cookie lines in one header value (joined with \n).
	e3 := entry("GET", "https://shop.test/b", 200, "", hdr("Set-Cookie", "a=1; Path=/\nb=2; Secure"), "")
	// Response cookies without Set-Cookie: Chrome-style with attributes
	// are used, Firefox-style name and value only are left out.
	e4 := entry("GET", "https://shop.test/c", 200, "", "", "")
	e4 = strings.Replace(e4, `"status": 200, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": []`,
		`"status": 200, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [{"name": "c", "value": "3", "path": "/", "expires": null, "httpOnly": true, "secure": true, "sameSite": "Strict"}, {"name": "d", "value": "4"}, {"name": "gone", "value": "", "expires": "1970-01-01T00:00:00.000Z", "secure": false}]`, 1)
	rec, rep, err := Import("c.har", har(e1, e2, e3, e4), recording.NewRedactor([]byte("k"), false))
	if err != nil {
		t.Fatal(err)
	}
	q := rec.Requests
	if len(q[0].CookiesSent) != 2 || q[0].CookiesSent[0].Domain != ".shop.test" || q[0].CookiesSent[0].Path != "/" ||
		q[0].CookiesSent[1].Name != "theme" || q[0].CookiesSent[1].Domain != "" {
		t.Fatalf("header and array: %+v", q[0].CookiesSent)
	}
	if len(q[1].CookiesSent) != 1 || !q[1].CookiesSent[0].Value.Same(q[0].CookiesSent[0].Value) {
		t.Fatalf("array only: %+v", q[1].CookiesSent)
	}
	if len(q[2].SetCookies) != 2 || q[2].SetCookies[1].Name != "b" || !q[2].SetCookies[1].Secure || q[2].SetCookies[0].Path != "/" {
		t.Fatalf("joined Set-Cookie: %+v", q[2].SetCookies)
	}
	sc := q[3].SetCookies
	if len(sc) != 2 || sc[0].Name != "c" || !sc[0].HTTPOnly || !sc[0].Secure || sc[0].SameSite != "Strict" || sc[0].Attributes != "" ||
		sc[1].Name != "gone" || !sc[1].Deletion {
		t.Fatalf("cookies array: %+v", sc)
	}
	notes := strings.Join(rep.Notes, "\n")
	if !strings.Contains(notes, "read from the response's cookies array") || !strings.Contains(notes, "1 response cookies are known by name and value only") {
		t.Fatalf("notes %q", rep.Notes)
	}
	if rep.Sanitized {
		t.Fatal("not sanitized")
	}
}

func TestImportHARScrubsAndReveals(t *testing.T) {
	const id = "0123456789abcdef0123"
	data := har(
		entry("GET", "https://shop.test/login", 200, "", hdr("Set-Cookie", "JSESSIONID="+id+"; Path=/; Secure; HttpOnly"), ""),
		entry("GET", "https://shop.test/account;jsessionid="+id, 302, hdr("Cookie", "JSESSIONID="+id)+","+hdr("Referer", "https://shop.test/x?sid="+id),
			hdr("Location", "/home?sid="+id)+","+hdr("X-Backend", "node-b")+","+hdr("Cache-Control", "no-store"), ""),
	)
	rec, _, err := Import("s.har", data, recording.NewRedactor([]byte("k"), false))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := recording.Encode(rec)
	if bytes.Contains(out, []byte(id)) {
		t.Fatalf("the session ID is stored raw:\n%s", out)
	}
	q := rec.Requests[1]
	fp := q.CookiesSent[0].Value.Short()
	for _, s := range []string{q.URL, q.Referrer, q.Location} {
		if !strings.Contains(s, "[value:"+fp+"]") {
			t.Fatalf("%q is not scrubbed to the ID's fingerprint %s", s, fp)
		}
	}
	if q.Node != "node-b" || q.NodeHeader != "X-Backend" || q.Headers["Cache-Control"] != "no-store" {
		t.Fatalf("node and headers: %+v", q)
	}
	rec, _, err = Import("s.har", data, recording.NewRedactor([]byte("k"), true))
	if err != nil {
		t.Fatal(err)
	}
	if v := rec.Requests[0].SetCookies[0].Value; v.Raw == nil || *v.Raw != id || !rec.Options.RevealValues {
		t.Fatalf("reveal: %+v", v)
	}
}

func TestImportHARStepsAndRedirects(t *testing.T) {
	login := entry("POST", "https://shop.test/session", 302, hdr("Sec-Fetch-Dest", "document"), hdr("Location", "https://shop.test/home"),
		`, "postData": {"mimeType": "application/json", "text": "{\"user\": \"a\", \"userPassword\": \"x\"}"}`)
	refused := entry("POST", "https://shop.test/session", 401, "", "", `, "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "user=a&pass=x"}`)
	data := har(
		entry("GET", "https://shop.test/", 200, hdr("Sec-Fetch-Dest", "document"), "", ""),
		entry("GET", "https://shop.test/app.js", 200, hdr("Sec-Fetch-Dest", "script"), "", ""),
		refused,
		login,
		entry("GET", "https://shop.test/home", 200, hdr("Sec-Fetch-Dest", "document"), "", ""),
		entry("GET", "https://shop.test/home", 200, hdr("Sec-Fetch-Dest", "document"), "", ""),
		entry("GET", "https://shop.test/blog/logout-tips", 200, hdr("Sec-Fetch-Dest", "document"), "", ""),
		entry("POST", "https://shop.test/api/sign-out", 204, "", "", ""),
	)
	rec, rep, err := Import("s.har", data, recording.NewRedactor([]byte("k"), false))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range rec.Requests {
		got = append(got, q.ID+"@"+itoa(q.Step)+"<"+q.RedirectedFrom)
	}
	// The refused login (401) is no boundary; the redirect hop stays with
	// the login; the second visit of /home is a navigation of its own, not
	// a hop; a "logout" inside a word is no logout.
	want := "e1@0< e2@0< e3@0< e4@1< e4.1@1<e4 e6@2< e7@3< e8@4<"
	if strings.Join(got, " ") != want {
		t.Fatalf("requests\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	var as []string
	for _, st := range rec.Steps {
		as = append(as, string(st.As))
	}
	if strings.Join(as, ",") != ",login,,,logout" || len(rep.Notes) == 0 {
		t.Fatalf("steps as %q, notes %q", as, rep.Notes)
	}
	if rec.Steps[1].URL != "https://shop.test/home" {
		t.Fatalf("login step URL %q", rec.Steps[1].URL)
	}
	for _, u := range []string{"https://a.test/logout", "https://a.test/Account/LogOff", "https://a.test/auth/sign_out?x=1", "https://a.test/logout.php"} {
		if !isLogout(u) {
			t.Errorf("%s is a logout", u)
		}
	}
	for _, u := range []string{"https://a.test/blogout", "https://a.test/catalog", "https://a.test/?next=/logout"} {
		if isLogout(u) {
			t.Errorf("%s is no logout", u)
		}
	}
}

func TestImportHARWithoutPagesOrTimes(t *testing.T) {
	e := entry("GET", "https://shop.test/", 200, "", "", "")
	e = strings.Replace(e, `"startedDateTime": "2026-11-22T10:00:00.000Z", `, ``, 1)
	data := []byte(`{"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
	  "pages": [{"id": "p1", "title": "Shop", "startedDateTime": "2026-11-22T10:00:00+0100"}],
	  "entries": [` + e + `, ` + entry("GET", "https://shop.test/x", 200, "", "", "") + `]}}`)
	rec, rep, err := Import("", data, recording.NewRedactor([]byte("k"), false))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Scenario.Name != "Shop" || !rec.Requests[0].Start.IsZero() || len(rec.Steps) != 1 || rec.Steps[0].Name != "Shop" {
		t.Fatalf("%+v %+v", rec.Scenario, rec.Steps)
	}
	notes := strings.Join(rep.Notes, "\n")
	if !strings.Contains(notes, "1 entries have no startedDateTime") || !strings.Contains(notes, "name no page") {
		t.Fatalf("notes %q", rep.Notes)
	}
	// An empty HAR is a recording without requests, and no alarm.
	rec, rep, err = Import("e.har", har(), recording.NewRedactor([]byte("k"), false))
	if err != nil || len(rec.Requests) != 0 || len(rec.Steps) != 0 || rep.Sanitized {
		t.Fatalf("empty HAR: %v %+v", err, rep)
	}
}

// sampleForHAR is a recording with what a HAR export must carry: revealed
// and fingerprinted values, a withheld cookie, a refused Set-Cookie, a
// redirect, a node, a failed request, a nameless cookie, a line that is
// not valid syntax, a deletion, a secret.
func sampleForHAR(reveal bool) *recording.Recording {
	red := recording.NewRedactor([]byte("original key"), reveal)
	red.AddSecret("hunter2hunter2")
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 123456789, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	sid1, sid2 := red.Value("AAAAAAAAAAAAAAAAAAAAAA"), red.Value("BBBBBBBBBBBBBBBBBBBBBB")
	tok := red.Value("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl")
	sc := func(line string, ms int) recording.SetCookie {
		s := recording.ParseSetCookie(line, at(ms), red)
		s.Attributes = red.Scrub(s.Attributes)
		return s
	}
	refused := sc("SESSION=CCCCCCCCCCCCCCCCCCCC; Path=/", 30)
	refused.Rejected, refused.Reasons = true, []string{"OverwriteSecure"}
	return &recording.Recording{
		Schema:   recording.Schema,
		Scenario: recording.ScenarioInfo{Name: "shop login", File: "scenarios/shop.yaml", Target: "https://shop.test", Tags: []string{"a"}, SessionCookies: []string{"SESSION"}, NodeHeader: "X-Pod"},
		Browser:  recording.BrowserInfo{Product: "Chrome/156.0.8078.79", UserAgent: "Mozilla/5.0", Protocol: "1.3"},
		Options:  recording.Options{RevealValues: reveal, FingerprintKey: red.KeyID()},
		Start:    t0, End: at(100), Status: recording.StatusFailed, Error: "expect failed",
		Steps: []recording.Step{
			{Index: 0, Kind: "goto", Detail: "goto /", Start: at(0), End: at(10), Status: recording.StatusPassed, URL: "https://shop.test/", Jar: []recording.Cookie{}},
			{Index: 1, Kind: "submit", As: "login", Name: "log in", Detail: "log in (submit #f)", Start: at(20), End: at(60), Status: recording.StatusFailed, Error: "boom", Jar: []recording.Cookie{},
				Storage: []recording.StorageItem{{Area: recording.LocalStorage, Origin: "https://shop.test", Key: "token", Value: tok}}},
			{Index: 2, Kind: "click", Status: recording.StatusSkipped, Jar: []recording.Cookie{}},
		},
		Requests: []recording.Request{
			{ID: "A", Step: 0, Method: "GET", URL: "https://shop.test/?sid=" + red.Scrub("AAAAAAAAAAAAAAAAAAAAAA"), ResourceType: "Document", Start: at(1), End: at(9),
				Status: 200, StatusText: "OK", Protocol: "h2", Initiator: "other", Headers: map[string]string{"Cache-Control": "no-store", "Content-Type": "text/html"},
				SetCookies: []recording.SetCookie{sc("SESSION=AAAAAAAAAAAAAAAAAAAAAA; Path=/; Secure; HttpOnly; SameSite=Lax", 9), sc("novalue", 9), sc("sp ace=a b; Max-Age=60", 9)},
				Node:       "pod-1", NodeHeader: "X-Pod", RequestExtraInfo: true, ResponseExtraInfo: true},
			{ID: "B", Step: 1, Method: "POST", URL: "https://shop.test/login", ResourceType: "Document", Start: at(21), End: at(30), Status: 303,
				Protocol: "h2", Initiator: "other", Referrer: "https://shop.test/", Location: "/home",
				CookiesSent:      []recording.SentCookie{{Name: "SESSION", Domain: "shop.test", Path: "/", Value: sid1}, {Name: "pw", Value: red.Value("hunter2hunter2")}},
				CookiesWithheld:  []recording.SentCookie{{Name: "old", Domain: "shop.test", Path: "/x", Value: red.Value("zzzzzzzzzz"), Reasons: []string{"NotOnPath"}, Exemption: "None2"}},
				SetCookies:       []recording.SetCookie{sc("SESSION=BBBBBBBBBBBBBBBBBBBBBB; Path=/; Secure; HttpOnly", 30), refused, sc("gone=; Max-Age=0", 30)},
				RequestExtraInfo: true, ResponseExtraInfo: true, Authorization: &recording.Credential{Scheme: "Bearer", Value: tok}},
			{ID: "B.1", Step: 1, Method: "GET", URL: "https://shop.test/home", Start: at(31), End: at(40), Status: 200, RedirectedFrom: "B",
				RedirectChain: []string{"https://shop.test/login"}, CookiesSent: []recording.SentCookie{{Name: "SESSION", Value: sid2}}, RequestExtraInfo: true},
			{ID: "C", Step: 1, Target: "popup 1", Method: "GET", URL: "https://shop.test/broken", Start: at(50), Failed: "net::ERR_EMPTY_RESPONSE"},
		},
		Events:     []recording.CookieEvent{{Time: at(9), Kind: recording.EventSet, Source: recording.SourceHTTP, Name: "SESSION"}},
		Probe:      &recording.ProbeResult{URL: "https://shop.test/account", Status: 302},
		TokenProbe: &recording.TokenProbe{Step: 1, Request: "B", URL: "https://shop.test/api/me", Scheme: "Bearer", Value: tok, Status: 200, Accepted: true},
		Storage: []recording.StorageEvent{{Time: at(25), Step: 1, Kind: recording.StorageSet, Area: recording.LocalStorage, Origin: "https://shop.test",
			Key: "token", Value: &tok, Fields: []recording.StorageField{{Name: "value", Value: tok}}, URL: "https://shop.test/", Script: "https://shop.test/app.js:1:2"}},
		Warnings: []string{"the browser died"},
	}
}

func TestExportImportHARRoundTrip(t *testing.T) {
	for _, reveal := range []bool{false, true} {
		orig := sampleForHAR(reveal)
		b, err := Export(orig)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.Contains(s, "hunter2") {
			t.Fatal("a secret was exported")
		}
		if strings.Contains(s, "AAAAAAAAAAAAAAAAAAAAAA") != reveal {
			t.Fatalf("reveal=%v: raw value present=%v", reveal, !reveal)
		}
		// Imported with another key and the same reveal setting, the
		// requests, steps and scenario are the original's.
		back, rep, err := Import("shop.har", b, recording.NewRedactor([]byte("another key"), reveal))
		if err != nil {
			t.Fatal(err)
		}
		if !rep.FromSessiontrace || rep.Sanitized || len(rep.Notes) != 0 {
			t.Fatalf("report %+v", rep)
		}
		want, _ := json.MarshalIndent(orig.Requests, "", " ")
		got, _ := json.MarshalIndent(back.Requests, "", " ")
		if string(want) != string(got) {
			t.Fatalf("reveal=%v: requests changed\nwant %s\n got %s", reveal, want, got)
		}
		// The steps come back with the logged-in state the recording shows
		// (a HAR keeps no page facts to infer it from again).
		wantSteps := slices.Clone(orig.Steps)
		for i, a := range recording.InferAuth(orig) {
			wantSteps[i].Auth = a
		}
		if !reflect.DeepEqual(wantSteps, back.Steps) || !reflect.DeepEqual(orig.Scenario, back.Scenario) ||
			!reflect.DeepEqual(orig.Browser, back.Browser) || orig.Options != back.Options || !reflect.DeepEqual(orig.Probe, back.Probe) ||
			!reflect.DeepEqual(orig.TokenProbe, back.TokenProbe) || !reflect.DeepEqual(orig.Storage, back.Storage) ||
			orig.Status != back.Status || orig.Error != back.Error || !orig.Start.Equal(back.Start) || !orig.End.Equal(back.End) {
			t.Fatalf("reveal=%v: recording changed\nwant %+v\n got %+v", reveal, orig, back)
		}
		// The events are what the requests show, not the original's
		// script and jar events.
		if !reflect.DeepEqual(back.Events, recording.DeriveEvents(back.Requests)) || len(back.Events) == 0 || back.Warnings[0] != "the browser died" || !strings.Contains(back.Warnings[1], "exported by sessiontrace") {
			t.Fatalf("events %d, warnings %q", len(back.Events), back.Warnings)
		}
		// Imported without reveal, a revealed HAR loses its raw values.
		if reveal {
			back, _, _ = Import("shop.har", b, recording.NewRedactor([]byte("k"), false))
			if back.Options.RevealValues || back.Requests[0].SetCookies[0].Value.Raw != nil || back.Requests[1].Authorization.Value.Raw != nil ||
				back.Storage[0].Value.Raw != nil || back.Storage[0].Fields[0].Value.Raw != nil || back.TokenProbe.Value.Raw != nil ||
				back.Steps[1].Storage[0].Value.Raw != nil {
				t.Fatal("raw values kept without reveal")
			}
		}
	}
}

func TestExportHARShape(t *testing.T) {
	b, err := Export(sampleForHAR(false))
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	get := func(v any, path ...any) any {
		for _, p := range path {
			switch k := p.(type) {
			case string:
				v = v.(map[string]any)[k]
			case int:
				v = v.([]any)[k]
			}
		}
		return v
	}
	lg := get(h, "log")
	if get(lg, "version") != "1.2" || get(lg, "creator", "name") != "sessiontrace" || get(lg, "browser", "name") != "Chrome" ||
		get(lg, "_sessiontrace", "schema") != MetaSchema || len(get(lg, "pages").([]any)) != 3 {
		t.Fatalf("log: %s", b)
	}
	if get(lg, "pages", 1, "_step", "as") != "login" || get(lg, "pages", 1, "id") != "step_1" || get(lg, "pages", 1, "title") != "log in (submit #f)" {
		t.Fatalf("pages: %v", get(lg, "pages"))
	}
	e0, e1 := get(lg, "entries", 0), get(lg, "entries", 1)
	sid1 := sampleForHAR(false).Requests[1].CookiesSent[0].Value.Fingerprint
	if u := get(e0, "request", "url").(string); !strings.Contains(u, "?sid=%5Bvalue:") {
		t.Fatalf("the scrubbed URL is not a valid URI: %s", u)
	}
	if get(e0, "_resourceType") != "document" || get(e0, "pageref") != "step_0" || get(e0, "_step") != 0.0 || get(e0, "_requestId") != "A" {
		t.Fatalf("entry 0: %v", e0)
	}
	if get(e1, "_sessionId", "name") != "SESSION" || get(e1, "_sessionId", "fp") != sid1 {
		t.Fatalf("_sessionId: %v", get(e1, "_sessionId"))
	}
	if get(e1, "request", "headers", 0, "name") != "Cookie" || get(e1, "request", "headers", 0, "value") != "SESSION=[value:"+sid1+"]; pw=[value:"+
		sampleForHAR(false).Requests[1].CookiesSent[1].Value.Fingerprint+"]" {
		t.Fatalf("Cookie header: %v", get(e1, "request", "headers"))
	}
	if get(e1, "_blockedReasons", 0, "name") != "old" || get(e1, "_blockedReasons", 0, "reasons", 0) != "NotOnPath" {
		t.Fatalf("_blockedReasons: %v", get(e1, "_blockedReasons"))
	}
	if get(e1, "_rejectedCookies", 0, "name") != "SESSION" || get(e1, "_rejectedCookies", 0, "index") != 1.0 ||
		get(e1, "_rejectedCookies", 0, "reasons", 0) != "OverwriteSecure" {
		t.Fatalf("_rejectedCookies: %v", get(e1, "_rejectedCookies"))
	}
	if get(e1, "response", "redirectURL") != "/home" || get(e1, "response", "cookies", 0, "httpOnly") != true {
		t.Fatalf("response: %v", get(e1, "response"))
	}
	if get(lg, "entries", 3, "response", "_error") != "net::ERR_EMPTY_RESPONSE" || get(lg, "entries", 3, "time") != 0.0 {
		t.Fatalf("failed entry: %v", get(lg, "entries", 3))
	}
	if _, err := Export(nil); err == nil {
		t.Fatal("nil recording")
	}
}

func TestURIEscape(t *testing.T) {
	for in, want := range map[string]string{
		"https://a.test/x;jsessionid=[value:AbCd1234]?q=[secret]#[x]": "https://a.test/x;jsessionid=%5Bvalue:AbCd1234%5D?q=%5Bsecret%5D#%5Bx%5D",
		"https://[::1]:8080/a b":  "https://[::1]:8080/a%20b",
		"https://a.test":          "https://a.test",
		"data:text/plain,é":       "data:text/plain,%C3%A9",
		"https://a.test/%5B|ok?":  "https://a.test/%5B%7Cok?",
		"about:blank":             "about:blank",
		"https://a.test/?a=\"b\"": "https://a.test/?a=%22b%22",
	} {
		if got := uriEscape(in); got != want {
			t.Errorf("uriEscape(%q) = %q, want %q", in, got, want)
		}
	}
	// Import reads back the placeholders export escaped.
	in := "https://a.test/x;jsessionid=[value:AbCd1234]?q=[secret]#[x]"
	if got, want := recording.UnescapePlaceholders(uriEscape(in)), "https://a.test/x;jsessionid=[value:AbCd1234]?q=[secret]#%5Bx%5D"; got != want {
		t.Errorf("placeholders are not restored: %q, want %q", got, want)
	}
}

func FuzzImportHAR(f *testing.F) {
	for _, name := range []string{"chrome-fixation.har", "firefox-fixation.har", "playwright-correct.har"} {
		data, err := os.ReadFile(filepath.Join("testdata", "har", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	if b, err := Export(sampleForHAR(false)); err == nil {
		f.Add(b)
	}
	f.Add(har(entry("POST", "https://a.test/login", 302, hdr("Cookie", "a=b"), hdr("Location", "/x")+","+hdr("Set-Cookie", "a=c; Max-Age=0"),
		`, "postData": {"mimeType": "", "text": "password=1"}`), entry("GET", "https://a.test/x", 200, "", "", "")))
	f.Add([]byte(`{"log": {"entries": [{"request": {"method": "GET", "url": "x"}, "_initiator": "parser", "_step": "3"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, rep, err := Import("f.har", data, recording.NewRedactor([]byte("k"), false))
		if err != nil {
			var de *recording.DecodeError
			if rec != nil || rep != nil || !errorsAs(err, &de) {
				t.Fatalf("error %v with results, or not a DecodeError", err)
			}
			return
		}
		if rec == nil || rep == nil || rec.Steps == nil || rec.Requests == nil || rec.Events == nil {
			t.Fatal("nil results without an error")
		}
		ids := map[string]bool{}
		for _, q := range rec.Requests {
			if ids[q.ID] {
				t.Fatalf("duplicate request id %q", q.ID)
			}
			ids[q.ID] = true
			if q.RedirectedFrom != "" && !ids[q.RedirectedFrom] {
				t.Fatalf("%s redirected from %q, which is not an earlier request", q.ID, q.RedirectedFrom)
			}
			for _, sc := range q.SetCookies {
				if sc.Size != len(sc.Name)+sc.Value.Len {
					t.Fatalf("size %d of %q", sc.Size, sc.Name)
				}
			}
		}
		if _, err := recording.Encode(rec); err != nil {
			t.Fatal(err)
		}
		if b, err := Export(rec); err != nil {
			t.Fatal(err)
		} else if _, _, err := Import("again.har", b, recording.NewRedactor([]byte("k2"), false)); err != nil {
			t.Fatalf("an exported HAR does not import: %v", err)
		}
	})
}

func errorsAs(err error, de **recording.DecodeError) bool {
	d, ok := err.(*recording.DecodeError)
	*de = d
	return ok
}

// A Set-Cookie line gets the identity the harness gives it for the same
// request (harness's TestBuilderIdentity has these cases): the default
// path from the escaped path, the host in lower case (its final dot kept,
// as Chromium keeps it).
func TestImportHARIdentity(t *testing.T) {
	want := map[string]string{ // request URL and line: the set event's domain and path
		"https://a.test/a%2Fb/c sid=1":                      "a.test /a%2Fb",
		"https://a.test./x/y sid=1":                         "a.test. /x",
		"https://App.test/x/y sid=1":                        "app.test /x",
		"https://App.Test./a%2Fb/c sid=1; Domain=App.TEST.": ".app.test. /a%2Fb",
		"https://a.test/a//b/./c sid=1":                     "a.test /a//b/.",
	}
	for in, id := range want {
		u, line, _ := strings.Cut(in, " ")
		rec, _, err := Import("i.har", har(entry("GET", u, 200, "", hdr("Set-Cookie", line), "")), recording.NewRedactor([]byte("k"), false))
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Events) != 1 || rec.Events[0].Domain+" "+rec.Events[0].Path != id {
			t.Errorf("%s: events %+v, want one at %s", in, rec.Events, id)
		}
	}
}

// An Authorization header becomes the request's credential: its scheme
// and a fingerprint, never the token, which is scrubbed from the URL too.
func TestImportHARAuthorization(t *testing.T) {
	const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"
	data := har(
		entry("GET", "https://spa.test/api/me?access_token="+token, 200, hdr("Authorization", "Bearer "+token), "", ""),
		entry("GET", "https://spa.test/api/plain", 200, "", "", ""),
	)
	rec, _, err := Import("s.har", data, recording.NewRedactor([]byte("k"), false))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := recording.Encode(rec)
	if bytes.Contains(out, []byte(token)) {
		t.Fatalf("the token is stored raw:\n%s", out)
	}
	a := rec.Requests[0].Authorization
	if a == nil || a.Scheme != "Bearer" || a.Value.Len != len(token) || a.Value.Format != recording.FormatJWT {
		t.Fatalf("authorization %+v, want Bearer and the JWT's fingerprint", a)
	}
	if !strings.Contains(rec.Requests[0].URL, "[value:"+a.Value.Short()+"]") {
		t.Errorf("URL %q not scrubbed to the token's fingerprint", rec.Requests[0].URL)
	}
	if rec.Requests[1].Authorization != nil {
		t.Errorf("a request without the header got %+v", rec.Requests[1].Authorization)
	}
}
