package harness_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/proctest"
	"github.com/sessiontrace/sessiontrace/lab"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

const targetsScenario = `name: "Targets: a cross-site frame, a popup, a worker"
target: ${lab.targets}
steps:
  - goto: /targets
  - wait: { selector: "#widget-done" }
  - click: "#open-popup"
  - wait: { selector: "#popup-done" }
  - click: "#export-link"
    in: popup
  - expect:
      text: { selector: "#exported", contains: "exported" }
    in: popup 1
  - click: "#start-worker"
  - wait: { selector: "#worker-done" }
  - click: "#register-sw"
  - wait: { selector: "#sw-done, #sw-failed" }
  - goto: /
`

// TestTargetsRecorded: the requests of a cross-site frame (its own
// process), of a popup, of a dedicated worker and of a service worker are
// recorded, each once, with its target, and with their cookies sent, set
// and blocked.
func TestTargetsRecorded(t *testing.T) {
	needChrome(t)
	l, b := startLabBrowser(t)
	checkTargets(t, l, b)
}

// TestTargetsRecordedRemote: the same through --browser-url, with a
// browser this test starts (a remote browser gets the tap too).
func TestTargetsRecordedRemote(t *testing.T) {
	needChrome(t)
	l := startLab(t)
	defer l.Close()
	path, _ := harness.FindChrome("")
	before := proctest.Chromium()
	dir, err := os.MkdirTemp("", "st-remote-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "--headless", "--no-sandbox", "--remote-debugging-port=0", "--user-data-dir="+dir,
		"--host-resolver-rules=MAP *.test 127.0.0.1, EXCLUDE localhost", "--ignore-certificate-errors-spki-list="+l.SPKIHash(), "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	// Its own process group, so that its helpers end with it (they
	// write in the profile while they live).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		if err := proctest.WaitGone(before, 10*time.Second); err != nil {
			t.Error(err)
		}
		os.RemoveAll(dir)
	}()
	ws := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), "DevTools listening on "); ok {
				ws <- u
			}
		}
	}()
	var u string
	select {
	case u = <-ws:
	case <-time.After(20 * time.Second):
		t.Fatal("the browser printed no DevTools address in 20s")
	}
	b, err := harness.StartBrowser(context.Background(), harness.BrowserOptions{RemoteURL: u})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	checkTargets(t, l, b)
}

func checkTargets(t *testing.T, l *lab.Lab, b *harness.Browser) {
	t.Helper()
	sc, err := scenarios.Parse("targets.yaml", []byte(targetsScenario))
	if err != nil {
		t.Fatal(err)
	}
	rec := b.Run(context.Background(), sc, harness.Options{Resolver: scenarios.Resolver{Lab: l.Var},
		StepTimeout: 10 * time.Second, Timeout: 60 * time.Second, Dir: t.TempDir()})
	data, err := recording.Encode(rec)
	if err != nil {
		t.Fatal(err)
	}
	r, err := recording.Decode("targets.json", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range r.Requests {
		t.Logf("%-28s %-8s %s %d sent=%d withheld=%d set=%d", q.Target, q.ID, q.URL, q.Status, len(q.CookiesSent), len(q.CookiesWithheld), len(q.SetCookies))
	}
	for _, w := range r.Warnings {
		t.Logf("warning: %s", w)
	}
	if r.Status != recording.StatusPassed {
		t.Fatalf("status %s: %s", r.Status, r.Error)
	}
	byURL := func(target, suffix string) *recording.Request {
		t.Helper()
		for i, q := range r.Requests {
			if q.Target == target && strings.HasSuffix(q.URL, suffix) {
				return &r.Requests[i]
			}
		}
		t.Errorf("no request to %s from target %q", suffix, target)
		return nil
	}
	setNames := func(q *recording.Request) []string {
		var out []string
		for _, s := range q.SetCookies {
			out = append(out, s.Name+":"+strings.Join(s.Reasons, ","))
		}
		return out
	}
	sentNames := func(q *recording.Request) []string {
		var out []string
		for _, s := range q.CookiesSent {
			out = append(out, s.Name)
		}
		return out
	}
	// Each request: its target, the cookies it sent, the cookies its
	// response set (name:reasons), and the events that name it.
	checks := []struct{ target, url, sent, set string }{
		{"frame https://widget.test", "/frame", "", "widget_p: widget_3p:UserPreferences"},
		{"frame https://widget.test", "/widget.js", "widget_p", "widget_js_p:"},
		{"popup 1", "/targets/popup", "targets_session", "report_seen:"},
		{"popup 1", "/targets/popup/export", "targets_session report_seen report_view", "export_seen:"},
		{"worker", "/targets/api?from=worker", "targets_session report_seen report_view export_seen", "worker_seen:"},
		{"service worker", "/targets/api?from=service-worker", "targets_session report_seen report_view export_seen worker_seen", "sw_seen:"},
	}
	for _, ch := range checks {
		q := byURL(ch.target, ch.url)
		if q == nil {
			continue
		}
		if got := strings.Join(sentNames(q), " "); got != ch.sent {
			t.Errorf("%s %s: sent %q, want %q", ch.target, ch.url, got, ch.sent)
		}
		if got := strings.Join(setNames(q), " "); got != ch.set {
			t.Errorf("%s %s: set %q, want %q", ch.target, ch.url, got, ch.set)
		}
		if !q.RequestExtraInfo || !q.ResponseExtraInfo {
			t.Errorf("%s %s: ExtraInfo %v/%v", ch.target, ch.url, q.RequestExtraInfo, q.ResponseExtraInfo)
		}
		n := 0
		for _, o := range r.Requests {
			if strings.HasSuffix(o.URL, ch.url) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d requests, want 1 (a target attached twice must be recorded once)", ch.url, n)
		}
		var evs []string
		for _, e := range r.Events {
			if e.Request == q.ID {
				evs = append(evs, string(e.Kind)+" "+e.Name)
			}
		}
		if len(evs) != len(q.CookiesSent)+len(q.SetCookies) {
			t.Errorf("%s %s: events %q for %d sent and %d set cookies", ch.target, ch.url, evs, len(q.CookiesSent), len(q.SetCookies))
		}
	}
	ids := map[string]bool{}
	for _, q := range r.Requests {
		if ids[q.ID] {
			t.Errorf("request id %s twice", q.ID)
		}
		ids[q.ID] = true
		if q.Target == "" && strings.Contains(q.URL, "widget.test") {
			t.Errorf("a request of the frame without its target: %s", q.URL)
		}
	}
	// The steps that acted in the popup say so.
	found := false
	for _, st := range r.Steps {
		found = found || (st.Detail == "click #export-link in popup" && st.Status == recording.StatusPassed)
	}
	if !found {
		t.Errorf("no passed step \"click #export-link in popup\": %+v", r.Steps)
	}
	// The popup's script write, reported by the instrumentation in the
	// popup.
	if evs := hostileEvents(r, recording.EventSet, "report_view", recording.SourceScript); len(evs) != 1 {
		t.Errorf("the popup's document.cookie write: %+v", events(r, recording.EventSet, "report_view"))
	}
	wantWarning(t, r, `1 popup window opened (see popups); their requests are recorded (target "popup N"`)
	if r.Protocol.MissingExtraInfo != 0 || r.Protocol.DecodeErrors != 0 {
		t.Errorf("protocol: %+v", r.Protocol)
	}
}

// TestStepInMissingPopup: a step in a popup the journey did not open fails
// with a message that says how many it opened.
func TestStepInMissingPopup(t *testing.T) {
	needChrome(t)
	l, b := startLabBrowser(t)
	r := runInLab(t, l, b, "missing.yaml", `name: "A popup that is not there"
target: ${lab.targets}
steps:
  - goto: /targets
  - click: "#open-popup"
  - wait: { selector: "#popup-done" }
  - click: "#export-link"
    in: popup 2
`)
	if r.Status != recording.StatusFailed || !strings.Contains(r.Error, "step 3 (click #export-link in popup 2): in popup 2: the journey has opened 1 popup") {
		t.Errorf("status %s: %s", r.Status, r.Error)
	}
}

// A step can wait for a popup to open and close it. After the close, the
// browser has no window of that name (the page's window.open of the name
// opens a new, blank one) and a step in the closed popup fails, naming
// the step that closed it.
func TestWaitForAndClosePopup(t *testing.T) {
	needChrome(t)
	l, b := startLabBrowser(t)
	r := runInLab(t, l, b, "close.yaml", `name: "Wait for a popup, close it"
target: ${lab.targets}
steps:
  - goto: /targets
  - click: "#open-popup"
  - wait: { popup: 1 }
  - click: "#export-link"
    in: popup 1
  - wait: { selector: "#exported" }
    in: popup
  - close: popup 1
  - eval: "if (window.open('', 'targets_report').location.href !== 'about:blank') throw new Error('the report window is still open')"
  - click: "#export-link"
    in: popup 1
`)
	if r.Status != recording.StatusFailed || !strings.Contains(r.Error, "step 7 (click #export-link in popup 1): in popup 1: step 5 closed that popup") {
		t.Fatalf("status %s: %s", r.Status, r.Error)
	}
	for i, want := range map[int]string{2: "wait popup 1", 5: "close popup 1", 6: "eval"} {
		if st := r.Steps[i]; st.Status != recording.StatusPassed || !strings.HasPrefix(st.Detail, want) {
			t.Errorf("step %d: %s %q, want passed %q", i, st.Status, st.Detail, want)
		}
	}
	if len(r.Popups) != 2 {
		t.Errorf("%d popups, want the report and the blank one the eval opened after the close", len(r.Popups))
	}
	// What the steps in the popup left was read there: the popup's URL,
	// named as its window; the tab's steps have none.
	for i, want := range map[int]string{3: "popup 1", 4: "popup 1", 1: "", 6: ""} {
		st := r.Steps[i]
		if st.Target != want {
			t.Errorf("step %d (%s): target %q, want %q", i, st.Detail, st.Target, want)
		}
		if onPopup := len(r.Popups) > 0 && st.URL != "" && strings.Contains(st.URL, "/targets/popup"); onPopup != (want != "") {
			t.Errorf("step %d (%s): url %s; the popup's page is %s", i, st.Detail, st.URL, r.Popups[0].URL)
		}
	}
}

// A step names its popup by URL or title: the last one opened, still
// open, whose URL or title contains the text; one that matches no popup
// fails, listing what the popups show.
func TestStepInPopupByURLOrTitle(t *testing.T) {
	needChrome(t)
	l, b := startLabBrowser(t)
	r := runInLab(t, l, b, "bytitle.yaml", `name: "Popups by URL and title"
target: ${lab.targets}
steps:
  - goto: /targets
  - click: "#open-popup"
  - wait: { popup: 1 }
  - wait: { selector: "#report" }
    in: popup title=Report -
  - click: "#export-link"
    in: popup url=/targets/popup
  - click: "#export-link"
    in: popup title=Invoices
    timeout: 1s
`)
	if r.Status != recording.StatusFailed || !strings.Contains(r.Error, `step 5 (click #export-link in popup title=Invoices): in popup title=Invoices: no open popup's title contains "Invoices" within 1s (popup 1 "Export - targets.test")`) {
		t.Fatalf("status %s: %s", r.Status, r.Error)
	}
	for _, i := range []int{3, 4} {
		if st := r.Steps[i]; st.Status != recording.StatusPassed || st.Target != "popup 1" {
			t.Errorf("step %d (%s): %s, target %q; want passed in popup 1", i, st.Detail, st.Status, st.Target)
		}
	}
	exports := 0
	for _, q := range r.Requests {
		if strings.HasSuffix(q.URL, "/targets/popup/export") && q.Target == "popup 1" && q.Step == 4 {
			exports++
		}
	}
	if exports != 1 {
		t.Errorf("%d export requests of popup 1 at step 4, want the click in the popup named by its URL", exports)
	}
}

// runInLab runs the scenario text against the lab in b.
func runInLab(t *testing.T, l *lab.Lab, b *harness.Browser, name, text string) *recording.Recording {
	t.Helper()
	return runInLabDir(t, l, b, t.TempDir(), name, text)
}

// runInLabDir is runInLab with the run folder dir.
func runInLabDir(t *testing.T, l *lab.Lab, b *harness.Browser, dir, name, text string) *recording.Recording {
	t.Helper()
	sc, err := scenarios.Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return b.Run(context.Background(), sc, harness.Options{Resolver: scenarios.Resolver{Lab: l.Var},
		StepTimeout: 10 * time.Second, Timeout: 60 * time.Second, Dir: dir})
}

// A step acts in a cross-site frame (in: frame SELECTOR): it fills and
// clicks in the widget's own page, whose request is recorded as the
// frame's; a frame selector that matches no frame fails with a message.
// (frames_test.go has the frames of the page's own site.)
func TestStepsInFrame(t *testing.T) {
	needChrome(t)
	l, b := startLabBrowser(t)
	r := runInLab(t, l, b, "frame.yaml", `name: "Act in a cross-site frame"
target: ${lab.targets}
steps:
  - goto: /targets
  - wait: { selector: "#widget-done" }
  - fill: { selector: "#note", value: "great" }
    in: "frame #widget"
  - click: "#like"
    in: "frame #widget"
  - expect:
      text: { selector: "#liked", contains: "liked: great" }
    in: frame iframe[title=widget]
  - click: "#like"
    in: "frame #open-popup"
`)
	if r.Status != recording.StatusFailed || !strings.Contains(r.Error, "step 5 (click #like in frame #open-popup): in frame #open-popup: #open-popup is a button, not a frame") {
		t.Fatalf("status %s: %s", r.Status, r.Error)
	}
	for i := 2; i <= 4; i++ {
		if r.Steps[i].Status != recording.StatusPassed {
			t.Errorf("step %d (%s): %s %s", i, r.Steps[i].Detail, r.Steps[i].Status, r.Steps[i].Error)
		}
	}
	found := false
	for _, q := range r.Requests {
		found = found || strings.HasSuffix(q.URL, "/like") && q.Target == "frame https://widget.test" && q.Method == "POST"
	}
	if !found {
		t.Errorf("the frame's POST /like is not recorded as the frame's")
	}
}
