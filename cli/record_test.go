package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/chromedp/chromedp/remote"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/proctest"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/internal/xvfbtest"
	"github.com/sessiontrace/sessiontrace/lab"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// These tests record journeys by hand: a Chromium started by the test
// (headless: attaching is what record --browser-url does with a user's own
// browser), a recorder attached to it, and a second DevTools connection
// that acts as the user, with real input events (mouse presses and key
// strokes of the Input domain, as a user's arrive). Then the scenario the
// recorder wrote is replayed with sessiontrace run in the same browser,
// and must pass with the same diagnosis.

const labPassword = "lab-password" // the lab takes any; this one must appear nowhere

// recordLab is the lab and a browser that maps its hosts and trusts its
// certificate, with a DevTools port for the recorder, the driver and the
// replay.
type recordLab struct {
	lab     *lab.Lab
	browser string          // http://127.0.0.1:PORT
	alloc   context.Context // the driver's connection to it
}

func startRecordLab(t *testing.T) *recordLab {
	t.Helper()
	l, err := lab.Start(lab.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	rc := startRemoteChromium(t, "--host-resolver-rules=MAP *.test 127.0.0.1, EXCLUDE localhost",
		"--ignore-certificate-errors-spki-list="+l.SPKIHash())
	browser := "http://127.0.0.1:" + rc.port
	alloc, cancel := remote.NewAllocator(context.Background(), browser)
	t.Cleanup(cancel)
	return &recordLab{lab: l, browser: browser, alloc: alloc}
}

// aRecording is a record command running in the background.
type aRecording struct {
	t        *testing.T
	dir      string
	out, err *syncBuffer
	code     chan int
	lf       lockFile
	tab      context.Context // the driver's session on the recording tab
}

// startRecording runs record with args into dir and waits until its tab
// records; the driver is attached to that tab.
func (rl *recordLab) startRecording(t *testing.T, dir string, vars map[string]string, args ...string) *aRecording {
	t.Helper()
	r := &aRecording{t: t, dir: dir, out: &syncBuffer{}, err: &syncBuffer{}, code: make(chan int, 1)}
	e := &env{stdout: r.out, stderr: r.err, getenv: func(k string) string { return vars[k] },
		lookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
	go func() {
		r.code <- mainEnv(e, append([]string{"record", "--browser-url", rl.browser, "-o", dir}, args...))
	}()
	st := r.waitStatus("the recording tab to be ready", func(s recordStatus) bool { return s.Ready })
	tab, cancel := chromedp.NewContext(rl.alloc, chromedp.WithTargetID(target.ID(st.Target)), chromedp.WithDetachOnCancel())
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("attaching the driver to the recording tab: %v", err)
	}
	r.tab = tab
	return r
}

// waitStatus polls the recorder's endpoint until ok says so.
func (r *aRecording) waitStatus(what string, ok func(recordStatus) bool) recordStatus {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last recordStatus
	for time.Now().Before(deadline) {
		select {
		case code := <-r.code:
			r.t.Fatalf("waiting for %s: record exited with %d\n%s%s", what, code, r.out, r.err)
		default:
		}
		if r.lf.Addr == "" {
			r.lf, _ = readLock(filepath.Join(r.dir, lockName))
		}
		if r.lf.Addr != "" {
			if body, err := r.lf.get("/status"); err == nil {
				if err := json.Unmarshal([]byte(body), &last); err == nil && ok(last) {
					return last
				}
			}
		}
		time.Sleep(20 * time.Millisecond) // a poll interval, not a wait for something
	}
	r.t.Fatalf("timed out waiting for %s; last status %+v\n%s%s", what, last, r.out, r.err)
	return last
}

// settled waits until the recorder has read the page after step n-1.
func (r *aRecording) settled(steps int) {
	r.t.Helper()
	r.waitStatus(fmt.Sprintf("%d steps, settled", steps), func(s recordStatus) bool { return s.Steps >= steps && s.Settled })
}

// click clicks the element with the mouse (Input.dispatchMouseEvent).
func (r *aRecording) click(sel string) {
	r.t.Helper()
	if err := chromedp.Do(r.tab, chromedp.Click(chromedp.CSS(sel))); err != nil {
		r.t.Fatalf("click %s: %v", sel, err)
	}
}

// typeInto clicks a field and types text key by key
// (Input.dispatchKeyEvent).
func (r *aRecording) typeInto(sel, text string) {
	r.t.Helper()
	r.click(sel)
	if err := chromedp.Do(r.tab, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		r.t.Fatalf("typing into %s: %v", sel, err)
	}
}

// gotoURL goes to a URL as the address bar does (a navigation the
// browser starts).
func (r *aRecording) gotoURL(u string) {
	r.t.Helper()
	if err := chromedp.Do(r.tab, chromedp.Navigate(u)); err != nil {
		r.t.Fatalf("goto %s: %v", u, err)
	}
}

// waitPage waits until the tab shows the page whose URL ends in suffix.
func (r *aRecording) waitPage(suffix string) {
	r.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		u, err := chromedp.Run(r.tab, chromedp.Location())
		if err == nil && strings.HasSuffix(u, suffix) {
			if ready, err := chromedp.Run(r.tab, chromedp.Evaluate[string]("document.readyState")); err == nil && ready == "complete" {
				return
			}
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("the page did not become %s (it is %s, %v)", suffix, u, err)
		}
		time.Sleep(20 * time.Millisecond) // a poll interval
	}
}

// stop stops the recording with record --stop and returns record's exit
// code and output.
func (r *aRecording) stop() (int, string) {
	r.t.Helper()
	code, out, errs := runCLI(r.t, "record", "--stop", "-o", r.dir)
	if code != ExitOK || !strings.Contains(out, "stopped the recording") {
		r.t.Fatalf("record --stop: exit %d\n%s%s", code, out, errs)
	}
	select {
	case c := <-r.code:
		return c, r.out.String() + r.err.String()
	case <-time.After(30 * time.Second):
		r.t.Fatal("record did not return after record --stop answered")
	}
	return 0, ""
}

// diagnosis is what the analysis says of a recording: the findings and
// the session resets, with their steps and cookies.
func diagnosis(t *testing.T, rec *recording.Recording) []string {
	t.Helper()
	rep := analyse([]runfolder.Loaded{{Recording: rec, Path: "r.json"}}, nil)
	var out []string
	for _, f := range rep.Findings {
		out = append(out, fmt.Sprintf("finding %s %s %s @%d", f.Rule, f.Severity, f.Cookie, f.Step))
	}
	for _, s := range rep.Sessions {
		for _, r := range s.Resets {
			out = append(out, fmt.Sprintf("reset %s %s @%d", s.Cookie, r.Cause, r.Step))
		}
	}
	slices.Sort(out)
	return out
}

func onlyRecording(t *testing.T, dir string) *recording.Recording {
	t.Helper()
	ix := rectest.ReadIndex(t, dir)
	if len(ix.Scenarios) != 1 {
		t.Fatalf("%s: %d scenarios, want 1", dir, len(ix.Scenarios))
	}
	return readRec(t, dir, ix.Scenarios[0].Recording)
}

// replay validates and runs the recorded scenario in the same browser, and
// returns the replay's recording.
func (rl *recordLab) replay(t *testing.T, recDir string) *recording.Recording {
	t.Helper()
	scenario := filepath.Join(recDir, "scenario.yaml")
	if code, out, errs := runCLI(t, "validate", scenario); code != ExitOK {
		t.Fatalf("validate %s: exit %d\n%s%s", scenario, code, out, errs)
	}
	dir := recDir + "-replay"
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: os.Getenv, lookupEnv: func(k string) (string, bool) {
		if k == "PASSWORD" {
			return labPassword, true
		}
		return "", false
	}}
	if code := mainEnv(e, []string{"run", "--browser-url", rl.browser, "-q", "-o", dir, scenario}); code != ExitOK {
		data, _ := os.ReadFile(scenario)
		t.Fatalf("the replay failed: exit %d\n%s%s\n%s", code, out.String(), errb.String(), data)
	}
	return onlyRecording(t, dir)
}

// noSecret checks that the typed password is in no file of dir.
func noSecret(t *testing.T, dirs ...string) {
	t.Helper()
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, _ := os.ReadFile(p); bytes.Contains(data, []byte(labPassword)) {
					t.Errorf("the typed password is in %s", p)
				}
			}
			return nil
		})
	}
}

// journey is one hand recording against a lab host.
type journey struct {
	host string
	// act drives the tab from the login page on, like a user.
	act func(r *aRecording, l *lab.Lab)
	// want are lines the scenario must hold, findings and resets the
	// diagnosis must hold.
	scenario, diag []string
}

// login fills the lab's login form by typing and submits it with a click.
func login(r *aRecording) {
	r.typeInto("#user", "alice")
	r.typeInto("#password", labPassword)
	r.click("#login-button")
	r.waitPage("/account")
}

var journeys = []journey{
	{host: "correct", act: func(r *aRecording, _ *lab.Lab) {
		login(r)
		r.settled(5)
		r.click("#logout")
		r.waitPage("/")
	}, scenario: []string{
		`  - goto: "/login"`,
		`      session: present`,
		`  - fill: { selector: "#user", value: "alice" }`,
		`  - fill: { selector: "#password", value: "${env.PASSWORD}", secret: true }`,
		"  - click: \"#login-button\"\n    name: \"click \\\"Log in\\\"\"\n    as: login",
		"  - expect:\n      url: \"/account\"\n      session: rotated",
		"  - click: \"#logout\"\n    name: \"click \\\"Log out\\\"\"\n    as: logout",
		"  - expect:\n      url: \"/\"\n      session: gone",
	}},
	{host: "fixation", act: func(r *aRecording, _ *lab.Lab) {
		login(r)
		r.settled(5)
		r.click("#logout")
		r.waitPage("/")
	}, scenario: []string{"      url: \"/account\"\n      session: kept"},
		diag: []string{"finding SESSION-FIXATION high PHPSESSID", "finding COOKIE-HTTPONLY-MISSING medium PHPSESSID"}},
	{host: "mixed", act: func(r *aRecording, l *lab.Lab) {
		login(r)
		r.settled(5)
		r.click("#plain-link")
		r.waitPage("/login")
		r.settled(7)
		r.gotoURL(l.URL("mixed.test") + "/account")
		r.waitPage("/account")
	}, scenario: []string{`  - click: "#plain-link"`, `  - goto: "/account"`},
		diag: []string{"reset JSESSIONID secure-over-http", "finding MIXED-SCHEME-LINK medium", "finding AUTH-CLEARTEXT critical"}},
	{host: "plainhttp", act: func(r *aRecording, _ *lab.Lab) {
		login(r)
		r.settled(5)
		r.click("#plain-link")
		r.waitPage("/login")
	}, scenario: []string{`  - click: "#plain-link"`},
		diag: []string{"reset connect.sid secure-over-http", "finding MIXED-SCHEME-LINK medium"}},
}

// TestRecordReplaysLabJourneys records the lab's correct login and
// logout, the plain-http-link logouts (mixed.test, plainhttp.test) and
// session fixation by hand, then
// replays each recorded scenario: it must validate, carry no typed
// secret, pass, and give the hand recording's diagnosis.
func TestRecordReplaysLabJourneys(t *testing.T) {
	needChromium(t)
	noBrowserLeft(t)
	rl := startRecordLab(t)
	for _, j := range journeys {
		t.Run(j.host, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "rec")
			r := rl.startRecording(t, dir, nil, "-q", rl.lab.URL(j.host+".test")+"/login")
			r.settled(1)
			j.act(r, rl.lab)
			n := r.waitStatus("the last step", func(s recordStatus) bool { return s.Settled }).Steps
			r.settled(n)
			if code, out := r.stop(); code != ExitOK {
				t.Fatalf("record: exit %d\n%s", code, out)
			}
			if _, err := os.Stat(filepath.Join(dir, lockName)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the lock file is still there after the recording (%v)", err)
			}
			data, err := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			sc := string(data)
			for _, want := range j.scenario {
				if !strings.Contains(sc, want) {
					t.Errorf("the scenario lacks %q:\n%s", want, sc)
				}
			}
			if strings.Count(sc, "- fill:") != 2 {
				t.Errorf("typing into two fields made %d fill steps, want 2 (one per field):\n%s", strings.Count(sc, "- fill:"), sc)
			}
			t.Logf("scenario:\n%s", sc)
			hand := onlyRecording(t, dir)
			if hand.Status != recording.StatusPassed || len(hand.Requests) == 0 {
				t.Fatalf("the hand recording: status %s (%s), %d requests", hand.Status, hand.Error, len(hand.Requests))
			}
			replayed := rl.replay(t, dir)
			noSecret(t, dir, dir+"-replay")
			got, want := diagnosis(t, hand), diagnosis(t, replayed)
			if !slices.Equal(got, want) {
				t.Errorf("the diagnosis of the hand recording and of its replay differ:\nhand:   %q\nreplay: %q\nscenario:\n%s", got, want, sc)
			}
			for _, d := range j.diag {
				if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, d) }) {
					t.Errorf("the diagnosis lacks %q: %q", d, got)
				}
			}
			if j.host == "correct" && slices.ContainsFunc(got, func(s string) bool { return !strings.Contains(s, " info ") }) {
				t.Errorf("correct.test: findings above info or resets: %q", got)
			}
		})
	}
}

// noBrowserLeft checks, once the test and its cleanups are done (the
// browser it started included), that no Chromium process is left.
func noBrowserLeft(t *testing.T) {
	before := proctest.Chromium()
	t.Cleanup(func() {
		if err := proctest.WaitGone(before, 10*time.Second); err != nil {
			t.Error(err)
		}
	})
}

// needChromium fails when there is no browser: make test installs it.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := harness.FindChrome(""); err != nil {
		t.Fatalf("%v (make test installs it)", err)
	}
}

// formSite is a small site whose pages need each kind of step: a field
// named only by name, a select, a checkbox in its label, a one-time code
// (a secret by its name), Enter to submit, a plain element that navigates
// by script, a link whose click handler cancels it, and Escape.
func formSite(t *testing.T) string {
	t.Helper()
	page := func(body string) string {
		return `<!doctype html><html><head><title>t</title><link rel="icon" href="data:,"><style>.go{cursor:pointer}</style></head><body>` + body + `</body></html>`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/form", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sessionid", Value: "form-session-0123456789", Path: "/", HttpOnly: true})
		fmt.Fprint(w, page(`<form id="search" action="/results" method="get">
<input name="q" placeholder="Search">
<select id="lang" name="lang"><option value="en">English</option><option value="de">Deutsch</option></select>
<label><input type="checkbox" name="remember"> Remember me</label>
<input id="otp" name="otp" autocomplete="one-time-code">
<button>Search</button>
</form>`))
	})
	mux.HandleFunc("/results", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page(`<div><span>one</span><span class="go">Next page</span></div>
<script>document.querySelector(".go").addEventListener("click", () => { location.href = "/next"; });</script>`))
	})
	mux.HandleFunc("/next", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page(`<a id="stay" href="/elsewhere">Stay here</a> <input id="note">
<script>document.querySelector("#stay").addEventListener("click", (e) => { e.preventDefault(); document.title = "stayed"; });</script>`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRecordActionsOnAFormPage records one action of each kind on
// formSite, with key strokes and mouse clicks, and replays the scenario.
func TestRecordActionsOnAFormPage(t *testing.T) {
	needChromium(t)
	noBrowserLeft(t)
	rl := startRecordLab(t)
	site := formSite(t)
	dir := filepath.Join(t.TempDir(), "rec")
	r := rl.startRecording(t, dir, nil, site+"/form")
	r.settled(1)
	r.typeInto(`input[name="q"]`, "shoes")
	if err := chromedp.Do(r.tab, chromedp.Focus(chromedp.CSS("#lang")), chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	r.click(`input[name="remember"]`)
	r.typeInto("#otp", "123456")
	if err := chromedp.Do(r.tab, chromedp.SendKeys(chromedp.CSS(`input[name="q"]`), kb.Enter)); err != nil {
		t.Fatal(err)
	}
	r.waitPage("/results?q=shoes&lang=de&remember=on&otp=123456")
	r.settled(6)
	r.click(".go")
	r.waitPage("/next")
	r.settled(7)
	r.click("#stay")
	if err := chromedp.Do(r.tab, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	r.settled(10)
	// Typing, then stopping at once: the text the page held back (a fill
	// is reported when its field loses focus, or after a pause) is kept.
	r.typeInto("#note", "bye")
	if code, out := r.stop(); code != ExitOK {
		t.Fatalf("record: exit %d\n%s", code, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sc := string(data)
	t.Logf("scenario:\n%s", sc)
	for _, want := range []string{
		`  - fill: { selector: "input[name=\"q\"]", value: "shoes" }`,
		`  - select: { selector: "#lang", value: "de" }`,
		`  - check: { selector: "input[name=\"remember\"]", checked: true }`,
		`  - fill: { selector: "#otp", value: "${env.OTP}", secret: true }`,
		`  - submit: "#search"`,
		"  # fragile selector",
		`  - wait: { url: "/next" }`,
		`  - eval: "document.querySelector(\"#stay\").click()"`,
		`key: "Escape"`,
		`  - fill: { selector: "#note", value: "bye" }`,
	} {
		if !strings.Contains(sc, want) {
			t.Errorf("the scenario lacks %q", want)
		}
	}
	if strings.Contains(sc, "123456") {
		t.Error("the one-time code typed is in the scenario")
	}
	hand := onlyRecording(t, dir)
	if rec, _ := os.ReadFile(filepath.Join(dir, "recordings", "scenario.json")); bytes.Contains(rec, []byte("123456")) {
		t.Error("the one-time code typed (in the URL of the form's GET) is in the recording")
	}
	var e bytes.Buffer
	code := mainEnv(&env{stdout: &e, stderr: &e, getenv: os.Getenv, lookupEnv: func(k string) (string, bool) {
		return map[string]string{"OTP": "123456"}[k], k == "OTP"
	}}, []string{"run", "--browser-url", rl.browser, "-q", "-o", dir + "-replay", filepath.Join(dir, "scenario.yaml")})
	if code != ExitOK {
		t.Fatalf("the replay: exit %d\n%s", code, e.String())
	}
	replayed := onlyRecording(t, dir+"-replay")
	if len(replayed.Steps) != len(hand.Steps) {
		t.Errorf("the replay has %d steps, the hand recording %d", len(replayed.Steps), len(hand.Steps))
	}
	for i, st := range hand.Steps {
		if st.Line == 0 || (i < len(replayed.Steps) && replayed.Steps[i].Line != st.Line) {
			t.Errorf("step %d: at line %d of the scenario, the replay's at %d", i, st.Line, replayed.Steps[i].Line)
		}
	}
}

// TestRecordInterruptedKeepsWhatItSaw kills a recording (its context
// ends, as on SIGTERM) in the middle of a journey: the steps so far are
// written, marked interrupted, with a scenario that validates.
func TestRecordInterruptedKeepsWhatItSaw(t *testing.T) {
	needChromium(t)
	noBrowserLeft(t)
	rl := startRecordLab(t)
	ctx, cancel := context.WithCancel(context.Background())
	old := recordContext
	recordContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	t.Cleanup(func() { recordContext = old; cancel() })
	dir := filepath.Join(t.TempDir(), "rec")
	r := rl.startRecording(t, dir, nil, "-q", rl.lab.URL("correct.test")+"/login")
	r.settled(1)
	r.typeInto("#user", "alice")
	r.click("#password")
	r.settled(3)
	// What a recorder killed now (SIGKILL: no chance to write) leaves: its
	// last checkpoint, written within a second, marked interrupted.
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(filepath.Join(dir, "recordings", "scenario.json"))
		if err == nil {
			if cp, err := recording.Decode("scenario.json", data); err == nil && len(cp.Steps) >= 3 {
				if cp.Status != recording.StatusInterrupted {
					t.Errorf("a checkpoint is marked %s, want interrupted", cp.Status)
				}
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint with 3 steps in 10s (%v)", err)
		}
		time.Sleep(50 * time.Millisecond) // a poll interval
	}
	if _, err := os.Stat(filepath.Join(dir, "scenario.yaml")); err != nil {
		t.Errorf("no scenario beside the checkpoint: %v", err)
	}
	cancel()
	var code int
	select {
	case code = <-r.code:
	case <-time.After(30 * time.Second):
		t.Fatal("record did not end when interrupted")
	}
	if code != ExitInterrupted {
		t.Errorf("exit %d, want %d\n%s%s", code, ExitInterrupted, r.out, r.err)
	}
	rec := onlyRecording(t, dir)
	if rec.Status != recording.StatusInterrupted || len(rec.Steps) < 3 || len(rec.Requests) == 0 {
		t.Errorf("the recording: status %s, %d steps, %d requests; want interrupted with what was seen", rec.Status, len(rec.Steps), len(rec.Requests))
	}
	if code, out, errs := runCLI(t, "validate", filepath.Join(dir, "scenario.yaml")); code != ExitOK {
		t.Errorf("validate: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, lockName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock file is still there (%v)", err)
	}
}

// TestRecordBrowserGoneIsInterrupted kills the browser under a recording:
// what was recorded is written, marked interrupted, saying why.
func TestRecordBrowserGoneIsInterrupted(t *testing.T) {
	needChromium(t)
	noBrowserLeft(t)
	l, err := lab.Start(lab.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	rc := startRemoteChromium(t, "--host-resolver-rules=MAP *.test 127.0.0.1, EXCLUDE localhost", "--ignore-certificate-errors-spki-list="+l.SPKIHash())
	alloc, cancel := remote.NewAllocator(context.Background(), "http://127.0.0.1:"+rc.port)
	t.Cleanup(cancel)
	rl := &recordLab{lab: l, browser: "http://127.0.0.1:" + rc.port, alloc: alloc}
	dir := filepath.Join(t.TempDir(), "rec")
	r := rl.startRecording(t, dir, nil, "-q", l.URL("correct.test")+"/login")
	r.settled(1)
	rc.kill()
	select {
	case code := <-r.code:
		if code != ExitFailed {
			t.Errorf("exit %d, want %d", code, ExitFailed)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("record did not end when its browser died")
	}
	rec := onlyRecording(t, dir)
	if rec.Status != recording.StatusInterrupted || !strings.Contains(rec.Error, "the browser went away") || len(rec.Steps) == 0 {
		t.Errorf("the recording: status %s (%q), %d steps; want interrupted, the browser gone, the first step kept", rec.Status, rec.Error, len(rec.Steps))
	}
}

// TestRecordWindowClosedEndsTheRecording closes the recording's tab, as a
// user closes the window: the recording ends normally.
func TestRecordWindowClosedEndsTheRecording(t *testing.T) {
	needChromium(t)
	noBrowserLeft(t)
	rl := startRecordLab(t)
	dir := filepath.Join(t.TempDir(), "rec")
	r := rl.startRecording(t, dir, nil, rl.lab.URL("correct.test")+"/")
	st := r.waitStatus("the first page", func(s recordStatus) bool { return s.Steps >= 1 && s.Settled })
	// A second recorder into the same folder is refused.
	if code, out, errs := runCLI(t, "record", "--browser-url", rl.browser, "-o", dir); code != ExitUsage || !strings.Contains(errs, "already writes into") {
		t.Errorf("a second recorder into %s: exit %d\n%s%s", dir, code, out, errs)
	}
	if err := chromedp.FromContext(r.tab).Browser.Call(rl.alloc, "Target.closeTarget", map[string]any{"targetId": st.Target}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-r.code:
		if code != ExitOK || !strings.Contains(r.out.String(), "Recording ended: the recording window was closed.") {
			t.Errorf("exit %d, want 0 and the reason\n%s%s", code, r.out, r.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("record did not end when its window closed")
	}
	if rec := onlyRecording(t, dir); rec.Status != recording.StatusPassed {
		t.Errorf("the recording: status %s (%s), want passed", rec.Status, rec.Error)
	}
}

// TestRecordUsageErrors: bad input gets a clear error and exit 2 (or 1
// for a stop with nothing to stop), before any browser starts.
func TestRecordUsageErrors(t *testing.T) {
	dir := t.TempDir()
	run := func(vars map[string]string, args ...string) (int, string) {
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] },
			lookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
		code := mainEnv(e, append([]string{"record"}, args...))
		for _, line := range strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n") {
			if !strings.HasPrefix(line, "sessiontrace record: ") {
				t.Errorf("record %q: a line does not start with the command: %q", args, line)
			}
		}
		return code, out.String() + errb.String()
	}
	display := map[string]string{"DISPLAY": ":99"}
	notRun := filepath.Join(dir, "mine")
	os.MkdirAll(notRun, 0o755)
	os.WriteFile(filepath.Join(notRun, "notes.txt"), []byte("mine"), 0o644)
	for _, c := range []struct {
		vars map[string]string
		args []string
		code int
		want string
	}{
		{nil, []string{"-o", filepath.Join(dir, "a"), "https://shop.example/"}, ExitUsage, "no display: record opens a Chromium window"},
		{display, []string{"-o", filepath.Join(dir, "a"), "https://a.example/", "https://b.example/"}, ExitUsage, "takes one URL at most"},
		{display, []string{"-o", filepath.Join(dir, "a"), "ftp://shop.example/"}, ExitUsage, `URL "ftp://shop.example/": want an http or https URL`},
		{display, []string{"-o", filepath.Join(dir, "a"), "--host-map", "nonsense"}, ExitUsage, "expected PATTERN=ADDRESS"},
		{display, []string{"-o", filepath.Join(dir, "a"), "--browser-url", "ftp://x"}, ExitUsage, "sessiontrace record: "},
		{display, []string{"-o", notRun}, ExitUsage, "is not empty and is not a run folder"},
		{display, []string{"--stop", "-o", filepath.Join(dir, "none")}, ExitFailed, "--stop: no recording writes into"},
		{display, []string{"--stop", "-o", dir, "https://x.example/"}, ExitUsage, "--stop takes no URL"},
		{display, []string{"--pause", "2"}, ExitUsage, `did you mean "2s"?`},
	} {
		code, out := run(c.vars, c.args...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("record %q: exit %d, output:\n%s\nwant exit %d and %q", c.args, code, out, c.code, c.want)
		}
	}
	// A lock left by a recorder that was killed: --stop says so and
	// removes it.
	stale := filepath.Join(dir, "stale")
	os.MkdirAll(stale, 0o755)
	lf := lockFile{PID: 1, Addr: "127.0.0.1:1", Token: "x"}
	data, _ := json.Marshal(lf)
	os.WriteFile(filepath.Join(stale, lockName), data, 0o600)
	if code, out := run(display, "--stop", "-o", stale); code != ExitFailed || !strings.Contains(out, "is not running any more") {
		t.Errorf("--stop of a stale lock: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(stale, lockName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stale lock was not removed (%v)", err)
	}
}

// TestRecordHeadedUnderXvfb records in the default mode: record starts a
// Chromium with a window (on a virtual display here), with --host-map and
// --insecure-certs as run takes them, and record --stop ends it.
func TestRecordHeadedUnderXvfb(t *testing.T) {
	needChromium(t)
	noBrowserLeft(t)
	xvfbtest.Start(t)
	l, err := lab.Start(lab.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	dir := filepath.Join(t.TempDir(), "rec")
	r := &aRecording{t: t, dir: dir, out: &syncBuffer{}, err: &syncBuffer{}, code: make(chan int, 1)}
	e := &env{stdout: r.out, stderr: r.err, getenv: os.Getenv, lookupEnv: os.LookupEnv}
	go func() {
		r.code <- mainEnv(e, []string{"record", "-o", dir, "--host-map", "*.test=127.0.0.1", "--insecure-certs", l.URL("correct.test") + "/login"})
	}()
	r.waitStatus("the first page", func(s recordStatus) bool { return s.Ready && s.Steps >= 1 && s.Settled })
	headed := false
	for pid := range proctest.Chromium() {
		if !proctest.Descends(pid, os.Getpid()) {
			continue // another package's test browser, run alongside
		}
		cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		args := strings.Split(string(cmd), "\x00")
		if slices.Contains(args, "--host-resolver-rules=MAP *.test 127.0.0.1, EXCLUDE localhost") && !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--type=") }) {
			headed = !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--headless") })
			// The terminal's Ctrl-C must reach record, not the browser.
			if pgid, err := syscall.Getpgid(pid); err != nil || pgid == syscall.Getpgrp() {
				t.Errorf("the browser is in the process group of record (%d, %v): a Ctrl-C would end it under the recording", pgid, err)
			}
		}
	}
	if !headed {
		t.Error("record started no Chromium with a window (or with --headless)")
	}
	if code, out := r.stop(); code != ExitOK {
		t.Fatalf("record: exit %d\n%s", code, out)
	}
	rec := onlyRecording(t, dir)
	if rec.Status != recording.StatusPassed || len(rec.Steps) == 0 || rec.Steps[0].Kind != "goto" || len(rec.Events) == 0 || !rec.Options.InsecureCerts {
		t.Errorf("the recording: status %s (%s), %d steps, %d cookie events, insecure certs %v; want the login page's goto and its cookie",
			rec.Status, rec.Error, len(rec.Steps), len(rec.Events), rec.Options.InsecureCerts)
	}
}

// TestRecordStatusLine: on a terminal the recording's state is one line,
// rewritten as steps and cookie events come; elsewhere each step gets a
// line of its own.
func TestRecordStatusLine(t *testing.T) {
	var term, log bytes.Buffer
	live := &recordOutput{e: &env{stdout: &term}, live: true}
	plain := &recordOutput{e: &env{stdout: &log}}
	for _, p := range []harness.RecordProgress{
		{Steps: 1, Last: "goto /login"},
		{Steps: 1, Requests: 2, Events: 5, Last: "goto /login"},
		{Steps: 3, Requests: 4, Events: 9, Last: "click \"Log in\" (click #login-button) (as login)"},
	} {
		live.progress(p)
		plain.progress(p)
	}
	live.endLive()
	if want := "\r\x1b[K● recording  3 steps  4 requests  9 cookie events  last: click \"Log in\" (click #login-button) (as login)\n"; !strings.HasSuffix(term.String(), want) || strings.Count(term.String(), "\r\x1b[K") != 3 {
		t.Errorf("the live line: %q", term.String())
	}
	if want := "step 0: goto /login\nstep 2: click \"Log in\" (click #login-button) (as login)\n"; log.String() != want {
		t.Errorf("the lines without a terminal: %q, want %q", log.String(), want)
	}
}
