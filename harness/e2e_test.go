package harness_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/labtest"
	"github.com/sessiontrace/sessiontrace/internal/proctest"
	"github.com/sessiontrace/sessiontrace/lab"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// These tests run the bundled lab suite in real Chromium against the real
// lab, once, and check what the written recordings say. Nothing is mocked.

var (
	suiteOnce    sync.Once
	suiteDir     string
	suiteResults map[string]*recording.Recording
	suiteErr     error
	labValues    []string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if suiteDir != "" {
		os.RemoveAll(suiteDir)
	}
	os.Exit(code)
}

// needChrome fails (not skips) when there is no browser: the end-to-end
// tests are part of the suite, and `make test` installs Chromium.
func needChrome(t *testing.T) {
	t.Helper()
	if _, err := harness.FindChrome(""); err != nil {
		t.Fatalf("%v (make test installs it)", err)
	}
}

func startLab(t testing.TB) *lab.Lab {
	// Timeouts with room for a loaded machine: the scenarios wait 4s.
	l, err := lab.Start(lab.Config{IdleTimeout: 3 * time.Second, CookieMaxAge: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func labBrowser(l *lab.Lab) harness.BrowserOptions {
	return harness.BrowserOptions{HostRules: "MAP *.test 127.0.0.1, EXCLUDE localhost", TrustSPKI: []string{l.SPKIHash()}}
}

// startLabBrowser starts the lab and a browser that reaches it; both close
// when the test or benchmark ends, the browser first.
func startLabBrowser(tb testing.TB) (*lab.Lab, *harness.Browser) {
	tb.Helper()
	l := startLab(tb)
	tb.Cleanup(func() { l.Close() })
	b, err := harness.StartBrowser(context.Background(), labBrowser(l))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(b.Close)
	return l, b
}

// labSuite runs every scenario of scenarios/lab once and returns the
// recordings by file base name ("mixed", "sso", ...), read back from disk.
func labSuite(t *testing.T) map[string]*recording.Recording {
	t.Helper()
	needChrome(t)
	suiteOnce.Do(func() {
		l := startLab(t)
		defer l.Close()
		list, err := scenarios.Load("../scenarios/lab")
		if err != nil {
			suiteErr = err
			return
		}
		suiteDir, _ = os.MkdirTemp("", "st-e2e-")
		cfg := harness.SuiteConfig{
			Browser: labBrowser(l), Out: suiteDir, Workers: 2,
			Run: harness.Options{Resolver: scenarios.Resolver{Lab: l.Var, Env: os.LookupEnv}},
		}
		ix, _, err := harness.RunSuite(context.Background(), list, cfg)
		if err != nil {
			suiteErr = err
			return
		}
		labValues = l.IssuedSessionValues()
		suiteResults = map[string]*recording.Recording{}
		for _, e := range ix.Scenarios {
			data, err := os.ReadFile(filepath.Join(suiteDir, e.Recording))
			if err != nil {
				suiteErr = err
				return
			}
			rec, err := recording.Decode(e.Recording, data)
			if err != nil {
				suiteErr = err
				return
			}
			suiteResults[strings.TrimSuffix(filepath.Base(e.Recording), ".json")] = rec
		}
	})
	if suiteErr != nil {
		t.Fatal(suiteErr)
	}
	return suiteResults
}

func rec(t *testing.T, name string) *recording.Recording {
	t.Helper()
	r := labSuite(t)[name]
	if r == nil {
		t.Fatalf("no recording for scenario %s", name)
	}
	if r.Status != recording.StatusPassed {
		t.Errorf("%s: status %s: %s", name, r.Status, r.Error)
	}
	return r
}

func events(r *recording.Recording, kind recording.EventKind, name string) []recording.CookieEvent {
	var out []recording.CookieEvent
	for _, e := range r.Events {
		if e.Kind == kind && (name == "" || e.Name == name) {
			out = append(out, e)
		}
	}
	return out
}

func TestLabSuitePasses(t *testing.T) {
	for name, r := range labSuite(t) {
		if r.Status != recording.StatusPassed {
			t.Errorf("%s: %s: %s", name, r.Status, r.Error)
		}
		if r.Protocol.DecodeErrors != 0 || r.Protocol.DriverDropped != 0 {
			t.Errorf("%s: protocol drift: %+v", name, r.Protocol)
		}
		if len(r.Requests) == 0 || len(r.Steps) == 0 {
			t.Errorf("%s: empty recording", name)
		}
	}
}

func TestSecureCookieWithheldOnHTTPLink(t *testing.T) {
	r := rec(t, "mixed")
	var found bool
	for _, q := range r.Requests {
		if !strings.HasPrefix(q.URL, "http://") {
			continue
		}
		for _, c := range q.CookiesWithheld {
			if c.Name == "JSESSIONID" && slices.Contains(c.Reasons, "SecureOnly") {
				found = true
			}
		}
	}
	if !found {
		t.Fatal("JSESSIONID was not recorded as withheld with SecureOnly on the http request")
	}
}

func TestRejectedSetCookies(t *testing.T) {
	r := rec(t, "rejects")
	want := map[string]string{
		"none_insecure": "SameSiteNoneInsecure",
		"__Host-broken": "InvalidPrefix",
		"foreign":       "InvalidDomain",
		"big":           "NameValuePairExceedsMaxSize",
		"pref":          "OverwriteSecure",
	}
	got := map[string][]string{}
	for _, e := range events(r, recording.EventRejected, "") {
		got[e.Name] = append(got[e.Name], e.Reasons...)
	}
	for name, reason := range want {
		if !slices.Contains(got[name], reason) {
			t.Errorf("%s: rejected with %v, want %s", name, got[name], reason)
		}
	}
	if len(events(r, recording.EventSet, "good")) == 0 {
		t.Error("the good cookie was not recorded as set")
	}
}

func TestCrossSitePostWithholdsSessionCookie(t *testing.T) {
	r := rec(t, "sso")
	for _, q := range r.Requests {
		if q.Method != "POST" {
			continue
		}
		for _, c := range q.CookiesWithheld {
			if c.Name == "_sso_session" && len(c.Reasons) > 0 && strings.Contains(c.Reasons[0], "SameSite") {
				return
			}
		}
	}
	t.Fatal("the cross-site POST did not record _sso_session withheld with a SameSite reason")
}

func TestScriptCookieWrites(t *testing.T) {
	r := rec(t, "script")
	var set, del bool
	for _, e := range r.Events {
		if e.Source != recording.SourceScript {
			continue
		}
		if e.Kind == recording.EventSet && e.Name == "js_pref" {
			set = strings.Contains(e.URL, "script.test") && strings.Contains(e.Location, "script.test") && e.Detail == "document.cookie"
		}
		if e.Kind == recording.EventDeleted {
			del = true
		}
	}
	if !set || !del {
		t.Fatalf("script writes not recorded with their origin (set=%v, delete=%v): %+v", set, del, r.Events)
	}
	var store bool
	for _, e := range events(r, recording.EventSet, "") {
		store = store || e.Detail == "cookieStore.set"
	}
	if !store {
		t.Error("the CookieStore write was not recorded")
	}
}

func TestDeletionAndRotation(t *testing.T) {
	r := rec(t, "correct")
	var login, logout *recording.Step
	for i := range r.Steps {
		switch r.Steps[i].As {
		case "login":
			login = &r.Steps[i]
		case "logout":
			logout = &r.Steps[i]
		}
	}
	if login == nil || logout == nil || login.Index == 0 {
		t.Fatal("the correct scenario must mark login and logout")
	}
	before := jarValue(r.Steps[login.Index-1].Jar, "__Host-sid")
	after := jarValue(login.Jar, "__Host-sid")
	if before == "" || after == "" || before == after {
		t.Fatalf("login did not rotate the ID: before %q after %q", before, after)
	}
	dels := events(r, recording.EventDeleted, "__Host-sid")
	if len(dels) != 1 || dels[0].Step != logout.Index || dels[0].Source != recording.SourceHTTP {
		t.Fatalf("want one deletion by Set-Cookie at the logout step, got %+v", dels)
	}
	if jarValue(logout.Jar, "__Host-sid") != "" {
		t.Fatal("the session cookie is still in the jar after logout")
	}
}

// The logout replay probe: the correct app ends the session on the server,
// logout-keep does not.
func TestLogoutProbe(t *testing.T) {
	for name, want := range map[string]bool{"correct": false, "logout-keep": true} {
		r := rec(t, name)
		if r.Probe == nil || r.Probe.Error != "" {
			t.Fatalf("%s: probe %+v", name, r.Probe)
		}
		if r.Probe.LoggedIn != want {
			t.Errorf("%s: probe loggedIn=%v (status %d), want %v", name, r.Probe.LoggedIn, r.Probe.Status, want)
		}
	}
}

// The login probe replays the pre-login cookies after the login step:
// fixation.test promotes the pre-login session, correct.test does not.
func TestLoginProbe(t *testing.T) {
	for name, want := range map[string]bool{"correct": false, "fixation": true, "mixed": false} {
		r := rec(t, name)
		var p *recording.ProbeResult
		for _, st := range r.Steps {
			if st.As == "login" {
				p = st.Probe
			}
		}
		if p == nil || p.Kind != "login" || p.Error != "" || p.Cookies == 0 {
			t.Fatalf("%s: login probe %+v", name, p)
		}
		if p.LoggedIn != want {
			t.Errorf("%s: login probe loggedIn=%v (status %d), want %v", name, p.LoggedIn, p.Status, want)
		}
	}
}

// The logout probe also replays the cookies held right after login when
// their values changed since: signed.test (a Flask-style client-side
// session) still accepts them, rotating.test (a server that rotates and
// revokes) does not; correct.test changed nothing, so there is no replay.
func TestOlderProbe(t *testing.T) {
	for name, want := range map[string]bool{"signed": true, "rotating": false} {
		r := rec(t, name)
		if r.Probe == nil || r.Probe.Older == nil || r.Probe.Older.Error != "" || r.Probe.Older.Cookies == 0 {
			t.Fatalf("%s: logout probe %+v", name, r.Probe)
		}
		if r.Probe.Older.LoggedIn != want {
			t.Errorf("%s: older values loggedIn=%v (status %d), want %v", name, r.Probe.Older.LoggedIn, r.Probe.Older.Status, want)
		}
	}
	if r := rec(t, "correct"); r.Probe == nil || r.Probe.Older != nil {
		t.Errorf("correct: logout probe %+v", r.Probe)
	}
}

// The logged-in state is recorded after each step that loaded a page:
// from the scenario's marker when it matched, else from what the page
// showed. On mixed.test the user is in after login, out on the http page,
// and in again back on https.
func TestLoggedInStateRecorded(t *testing.T) {
	r := rec(t, "mixed")
	var lane []string
	for _, st := range r.Steps {
		if st.Auth != nil {
			lane = append(lane, fmt.Sprintf("%d:%s/%s", st.Index, st.Auth.State, st.Auth.Source))
		}
	}
	got := strings.Join(lane, " ")
	for _, want := range []string{"3:in/marker", "5:out/login-redirect", "7:in/marker"} {
		if !strings.Contains(got, want) {
			t.Errorf("lane %q lacks %q", got, want)
		}
	}
	if r.Scenario.LoggedIn != "#welcome" {
		t.Errorf("scenario markers: %+v", r.Scenario)
	}
}

// Page facts: the mixed app's account page links to http, and the session
// ID in urlsession's pages is found (as a scrubbed marker in URLs).
func TestPageFacts(t *testing.T) {
	r := rec(t, "mixed")
	var plain bool
	for _, p := range r.Pages {
		for _, l := range p.Links {
			plain = plain || (strings.HasPrefix(l.Href, "http://") && l.Selector == "#plain-link")
		}
	}
	if !plain {
		t.Error("the http link of mixed.test's account page is not in the page facts")
	}
	u := rec(t, "urlsession")
	var inPage bool
	for _, p := range u.Pages {
		for _, k := range p.CookieValuesInPage {
			inPage = inPage || k.Name == "JSESSIONID"
		}
	}
	if !inPage {
		t.Error("the session ID in urlsession.test's pages was not found")
	}
}

// TestLabExpectations checks every bundled scenario against the table of
// docs/lab.md: exactly the documented reset causes, and exactly the
// documented findings of severity low or worse.
func TestLabExpectations(t *testing.T) {
	doc, err := os.ReadFile("../docs/lab.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(doc), "<!-- expectations:")
	if !ok {
		t.Fatal("docs/lab.md has no expectations table")
	}
	want := map[string][2]string{}
	for _, line := range strings.Split(table, "\n")[1:] {
		if !strings.HasPrefix(line, "| `") {
			if len(want) > 0 {
				break
			}
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 3 {
			t.Fatalf("bad row: %s", line)
		}
		name := strings.TrimSuffix(strings.Trim(cells[0], "`"), ".yaml")
		want[name] = [2]string{cells[1], strings.ReplaceAll(cells[2], "`", "")}
	}
	suite := labSuite(t)
	if len(want) != len(suite) {
		t.Errorf("docs/lab.md lists %d scenarios, the suite has %d", len(want), len(suite))
	}
	for name, r := range suite {
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: not in docs/lab.md's table", name)
			continue
		}
		causes, findings := expectations(analysis.Analyze(r))
		if causes != w[0] || findings != w[1] {
			t.Errorf("%s:\n  causes   %s\n  want     %s\n  findings %s\n  want     %s", name, causes, w[0], findings, w[1])
		}
	}
}

// expectations formats a report as docs/lab.md's table does.
func expectations(rep *analysis.Report) (causes, findings string) {
	count := map[string]int{}
	for _, x := range rep.Resets() {
		count[string(x.Cause)]++
	}
	var cs []string
	for c, n := range count {
		if n > 1 {
			c += fmt.Sprintf(" ×%d", n)
		}
		cs = append(cs, c)
	}
	set := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Severity.AtLeast(analysis.Low) {
			set[f.Rule+" ("+string(f.Severity)+")"] = true
		}
	}
	var fs []string
	for k := range set {
		fs = append(fs, k)
	}
	join := func(s []string) string {
		if len(s) == 0 {
			return "none"
		}
		slices.Sort(s)
		return strings.Join(s, ", ")
	}
	return join(cs), join(fs)
}

func jarValue(jar []recording.Cookie, name string) string {
	for _, c := range jar {
		if c.Name == name {
			return c.Value.Fingerprint
		}
	}
	return ""
}

func TestClusterNodesChange(t *testing.T) {
	r := rec(t, "cluster")
	nodes := map[string]bool{}
	for _, q := range r.Requests {
		if q.Node != "" {
			nodes[q.Node] = true
			if q.NodeHeader != "X-Backend" {
				t.Errorf("node header %q", q.NodeHeader)
			}
		}
	}
	if len(nodes) < 2 {
		t.Fatalf("want requests served by two nodes, got %v", nodes)
	}
}

func TestExpiryAndRestart(t *testing.T) {
	r := rec(t, "expiry")
	if len(events(r, recording.EventExpired, "laravel_session")) == 0 {
		t.Error("the cookie's expiry in the browser was not recorded")
	}
	rs := rec(t, "restart")
	var restart *recording.Step
	for i := range rs.Steps {
		if rs.Steps[i].Kind == "restart" {
			restart = &rs.Steps[i]
		}
	}
	if restart == nil {
		t.Fatal("the restart scenario has no restart step")
	}
	var persistent int
	for _, c := range restart.Jar {
		if c.Session {
			t.Errorf("session cookie %s survived the restart", c.Name)
		} else {
			persistent++
		}
	}
	if persistent == 0 {
		t.Error("the persistent cookie did not survive the restart")
	}
	var cleared bool
	for _, e := range events(rs, recording.EventCleared, "") {
		cleared = cleared || (e.Step == restart.Index && e.Source == recording.SourceHarness)
	}
	if !cleared {
		t.Error("the restart's dropped cookies were not recorded as cleared")
	}
}

// No raw session ID the lab issued, and no value marked secret in a
// scenario, may appear in any file of the run.
func TestNoRawValuesInRunFolder(t *testing.T) {
	labSuite(t)
	if len(labValues) == 0 {
		t.Fatal("the lab reported no issued session values")
	}
	l := startLab(t)
	secrets := labtest.Secrets(t, l)
	l.Close()
	err := filepath.Walk(suiteDir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, v := range labValues {
			if strings.Contains(string(data), v) {
				t.Errorf("%s contains a raw session value", p)
				break
			}
		}
		for _, v := range secrets {
			if strings.Contains(string(data), v) {
				t.Errorf("%s contains a secret value", p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Chromium keeps a directory in $TMPDIR (its singleton socket, shared
// memory files) that only a clean exit removes. A closed Browser leaves
// nothing in the temporary directory, also after a run that the browser
// did not end cleanly.
func TestBrowserLeavesNoTempFiles(t *testing.T) {
	needChrome(t)
	// Short: Chromium's socket path must fit in 108 bytes.
	tmp, err := os.MkdirTemp("", "stt")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	t.Setenv("TMPDIR", tmp)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<title>t</title><p>hello</p>`)
	}))
	defer srv.Close()
	b, err := harness.StartBrowser(context.Background(), harness.BrowserOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Parse("tmp.yaml", []byte("name: tmp\ntarget: "+srv.URL+"\nsteps:\n  - goto: /\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r := b.Run(context.Background(), sc, harness.Options{}); r.Status != recording.StatusPassed {
		t.Fatalf("%s: %s", r.Status, r.Error)
	}
	if left, _ := os.ReadDir(tmp); len(left) == 0 {
		t.Fatal("the running browser has nothing in TMPDIR: the test no longer sees where Chromium puts its files")
	}
	b.Close()
	left, _ := os.ReadDir(tmp)
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	if len(names) > 0 {
		t.Errorf("left in the temporary directory after Close: %v", names)
	}
}

// A page that opens alert() and confirm() dialogs must not stall the
// journey: the harness accepts them and notes them in the recording.
func TestDialogsAreAccepted(t *testing.T) {
	needChrome(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<title>d</title><p id=out>waiting</p><script>alert("hello"); document.getElementById("out").textContent = confirm("sure?") ? "accepted" : "dismissed";</script>`)
	}))
	defer srv.Close()
	b, err := harness.StartBrowser(context.Background(), harness.BrowserOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sc, err := scenarios.Parse("dialog.yaml", []byte("name: dialogs\ntarget: "+srv.URL+"\nsteps:\n  - goto: /\n    timeout: 10s\n  - expect: { text: { selector: \"#out\", equals: accepted } }\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := b.Run(context.Background(), sc, harness.Options{})
	if r.Status != recording.StatusPassed {
		t.Fatalf("%s: %s", r.Status, r.Error)
	}
	var alert, confirm bool
	for _, w := range r.Warnings {
		alert = alert || strings.Contains(w, "alert: hello")
		confirm = confirm || strings.Contains(w, "confirm: sure?")
	}
	if !alert || !confirm {
		t.Fatalf("dialogs not noted: %q", r.Warnings)
	}
}

// A scenario interrupted mid-step still writes its recording, marked
// interrupted, and leaves no browser behind.
func TestInterruptLeavesRecordingAndNoBrowser(t *testing.T) {
	needChrome(t)
	l := startLab(t)
	defer l.Close()
	before := proctest.Chromium()
	sc, err := scenarios.Parse("hang.yaml", []byte("name: hang\ntarget: ${lab.faults}\nsteps:\n  - goto: /\n  - goto: /hang\n"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := harness.SuiteConfig{Browser: labBrowser(l), Out: dir,
		Run:  harness.Options{Resolver: scenarios.Resolver{Lab: l.Var}},
		Done: func(harness.Result) {},
	}
	// Cancel once the hanging request is on the wire.
	go func() {
		for i := 0; i < 400; i++ {
			if data, err := os.ReadFile(filepath.Join(dir, "recordings", "hang.json")); err == nil && strings.Contains(string(data), `"kind": "goto"`) {
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
		cancel()
	}()
	ix, results, err := harness.RunSuite(ctx, []*scenarios.Scenario{sc}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := results[0].Recording
	if r.Status != recording.StatusInterrupted || ix.Status != recording.StatusInterrupted {
		t.Fatalf("status %s (index %s), want interrupted: %s", r.Status, ix.Status, r.Error)
	}
	if len(r.Steps) < 1 || r.Steps[0].Status != recording.StatusPassed {
		t.Fatalf("the step before the interruption was lost: %+v", r.Steps)
	}
	if _, err := os.Stat(filepath.Join(dir, "recordings", "hang.json")); err != nil {
		t.Fatal(err)
	}
	if err := proctest.WaitGone(before, 15*time.Second); err != nil {
		t.Fatal(err)
	}
}

// A step on a page that never answers fails that scenario within its
// timeout, with a clear reason; the recording holds the hanging request.
func TestStepTimeoutOnHangingPage(t *testing.T) {
	needChrome(t)
	l, b := startLabBrowser(t)
	sc, err := scenarios.Parse("hang.yaml", []byte("name: hang\ntarget: ${lab.faults}\nsteps:\n  - goto: /hang\n    timeout: 1s\n  - goto: /\n"))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := b.Run(context.Background(), sc, harness.Options{Resolver: scenarios.Resolver{Lab: l.Var}})
	if r.Status != recording.StatusFailed || !strings.Contains(r.Error, "timed out after 1s") {
		t.Fatalf("status %s error %q", r.Status, r.Error)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("took %s", d)
	}
	if len(r.Steps) != 2 || r.Steps[1].Status != recording.StatusSkipped {
		t.Fatalf("steps: %+v", r.Steps)
	}
	var hang bool
	for _, q := range r.Requests {
		hang = hang || strings.HasSuffix(q.URL, "/hang")
	}
	if !hang {
		t.Fatal("the hanging request is not in the recording")
	}
}
