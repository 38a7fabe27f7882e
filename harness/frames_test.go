package harness_test

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A step acts in a frame of the page's own site (in the page's process):
// it fills and clicks there (a real click at the element's place in the
// page), and the frame's requests are recorded with the step, as the
// tab's (the frame shares the tab's target). expect checks the frame's
// text and URL; a wrong one fails, saying which frame and what it found.
// The steps run right after the frame was added: they wait for its
// document.
func TestStepsInSameSiteFrame(t *testing.T) {
	needChrome(t)
	l, b := startLabBrowser(t)
	dir := t.TempDir()
	r := runInLabDir(t, l, b, dir, "help.yaml", `name: "Act in a frame of the same site"
target: ${lab.targets}
steps:
  - goto: /targets
  - click: "#add-help"
  - fill: { selector: "#question", value: "where" }
    in: "frame #help"
  - click: "#useful"
    in: "frame #help"
  - expect:
      text: { selector: "#thanks", equals: "thanks: where" }
      url: /targets/help
    in: "frame #help"
  - screenshot: { path: help.png }
    in: "frame #help"
  - click: "#ask-button"
    in: "frame #help"
  - expect:
      text: { selector: "#answer", equals: "You asked: where" }
      url: /targets/help/ask
      cookie: { name: help_asked, httpOnly: false }
    in: "frame #help"
  - expect: { url: /targets }
  - expect:
      text: { selector: "#answer", contains: "nothing" }
    in: "frame #help"
`)
	want := `step 9 (expect in frame #help): expectation failed: text of #answer is "You asked: where", want it to contain "nothing"`
	if r.Status != recording.StatusFailed || !strings.Contains(r.Error, want) {
		t.Fatalf("status %s: %s, want failed: %s", r.Status, r.Error, want)
	}
	for i := 0; i <= 8; i++ {
		if st := r.Steps[i]; st.Status != recording.StatusPassed {
			t.Errorf("step %d (%s): %s %s", i, st.Detail, st.Status, st.Error)
		}
	}
	// The frame's requests: the click's fetch and the form's post, each
	// with its step, and as the tab's (no target).
	for path, step := range map[string]int{"/targets/help/useful": 3, "/targets/help/ask": 6} {
		q := requestTo(r, "POST", path)
		if q == nil {
			t.Errorf("no POST %s recorded", path)
			continue
		}
		if q.Step != step || q.Target != "" {
			t.Errorf("POST %s: step %d, target %q; want step %d, the tab's", path, q.Step, q.Target, step)
		}
	}
	if evs := events(r, recording.EventSet, "help_useful"); len(evs) != 1 || evs[0].Step != 3 {
		t.Errorf("help_useful set: %+v, want once at step 3", evs)
	}
	// The frame's screenshot is its element's box in the page (an
	// iframe's default 300 by 150, and its border of 2).
	f, err := os.Open(filepath.Join(dir, "help.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.DecodeConfig(f)
	if err != nil || img.Width != 304 || img.Height != 154 {
		t.Errorf("help.png: %dx%d (%v), want 304x154", img.Width, img.Height, err)
	}
}

// Frames inside frames and inside popups: a step acts in a frame the
// frame's own script added, in a frame of a popup, in a frame of another
// site inside a frame of the page's, and in a frame of the same site but
// another origin (a login form of www.scope.test framed by
// scope.test); a key press submits a frame's form, and the next step
// waits in the frame's new document. The errors say which frame and
// what is wrong with it: an element that is no frame, none at all, a
// frame removed while the step waited in it.
func TestStepsInNestedFrames(t *testing.T) {
	needChrome(t)
	l, b := startLabBrowser(t)
	addFrame := func(id, src string) string {
		return `"{ const f = document.createElement('iframe'); f.id = '` + id + `'; f.src = '` + src + `'; document.body.appendChild(f) }"`
	}
	r := runInLab(t, l, b, "nested.yaml", `name: "Frames in frames and popups"
target: ${lab.targets}
steps:
  - goto: /targets
  - click: "#add-help"
  - eval: `+addFrame("inner", "/targets/help")+`
    in: "frame #help"
  - fill: { selector: "#question", value: "deep" }
    in: "frame #help > frame #inner"
  - press: { selector: "#question", key: Enter }
    in: "frame #help > frame #inner"
  - wait: { url: /targets/help/ask }
    in: "frame #help > frame #inner"
  - expect:
      text: { selector: "#answer", equals: "You asked: deep" }
    in: "frame #help > frame #inner"
  - expect: { url: /targets/help }
    in: "frame #help"
  - click: "#open-popup"
  - wait: { selector: "#popup-done" }
  - eval: `+addFrame("help", "/targets/help")+`
    in: popup 1
  - click: "#useful"
    in: "popup 1 > frame #help"
  - wait: { selector: "#thanks" }
    in: "popup 1 > frame #help"
  - eval: `+addFrame("widget", "${lab.widget}/frame")+`
    in: "frame #help"
  - click: "#like"
    in: "frame #help > frame #widget"
  - wait: { selector: "#liked" }
    in: "frame #help > frame #widget"
`)
	if r.Status != recording.StatusPassed {
		t.Errorf("status %s: %s", r.Status, r.Error)
	}
	// The press does not wait for the submission it starts: its request
	// starts during the press or the wait for its URL right after.
	if q := requestTo(r, "POST", "/targets/help/ask"); q == nil || q.Step != 4 && q.Step != 5 || q.Target != "" {
		t.Errorf("the inner frame's POST /targets/help/ask: %+v, want step 4 or 5, the tab's", q)
	}
	if q := requestTo(r, "POST", "/targets/help/useful"); q == nil || q.Step != 11 || q.Target != "popup 1" {
		t.Errorf("the popup's frame's POST /targets/help/useful: %+v, want step 11, target popup 1", q)
	}
	// A frame of another site inside the frame of the page's site: its
	// own target.
	if q := requestTo(r, "POST", "/like"); q == nil || q.Step != 14 || q.Target != "frame https://widget.test" {
		t.Errorf("the widget's POST /like: %+v, want step 14, target frame https://widget.test", q)
	}

	same := runInLab(t, l, b, "scope.yaml", `name: "A login form of another origin of the site"
target: ${lab.scope}
steps:
  - goto: /
  - eval: `+addFrame("login", "${lab.www.scope}/login")+`
  - fill: { selector: "#user", value: alice }
    in: "frame #login"
  - fill: { selector: "#password", value: pw, secret: true }
    in: "frame #login"
  - click: "#login-button"
    in: "frame #login"
  - expect:
      url: ${lab.www.scope}/account
      text: { selector: "#welcome", contains: "Welcome, alice" }
    in: "frame #login"
  - expect: { url: / }
`)
	if same.Status != recording.StatusPassed {
		t.Errorf("the frame of another origin: %s: %s", same.Status, same.Error)
	}
	// The login ran in the page's process (its request is the tab's):
	// the frame has no target of its own.
	if q := requestTo(same, "POST", "/login"); q == nil || q.Step != 4 || q.Target != "" || !strings.Contains(q.URL, "www.scope.test") {
		t.Errorf("the frame's POST /login: %+v, want step 4 to www.scope.test, the tab's", q)
	}

	// The errors: each at the step's place in the file, saying which
	// frame and what went wrong.
	const prefix = `name: "Frames that fail"
target: ${lab.targets}
steps:
  - goto: /targets
  - click: "#add-help"
  - wait: { selector: "#question" }
    in: "frame #help"
`
	for _, c := range []struct{ name, steps, want string }{
		{"an element that is not a frame", `  - click: "#like"
    in: "frame #help > frame #help-text"
`, "fail.yaml:8:5: step 3 (click #like in frame #help > frame #help-text): in frame #help > frame #help-text: #help-text is a p, not a frame"},
		{"no element", `  - click: "#nope"
    in: "frame #nothing"
    timeout: 1s
`, "fail.yaml:8:5: step 3 (click #nope in frame #nothing): timed out after 1s: in frame #nothing: no element matches #nothing"},
		{"a selector the frame does not match", `  - wait: { selector: "#help-text[hidden]" }
    in: "frame #help"
    timeout: 1s
`, "fail.yaml:8:5: step 3 (wait #help-text[hidden] in frame #help): #help-text[hidden]: no element matched after 1s"},
		{"a frame removed during the step", `  - eval: "setTimeout(() => document.getElementById('help').remove(), 200)"
  - wait: { selector: "#never" }
    in: "frame #help"
`, "fail.yaml:9:5: step 4 (wait #never in frame #help): in frame #help: the frame was removed from its page"},
	} {
		if r := runInLab(t, l, b, "fail.yaml", prefix+c.steps); r.Status != recording.StatusFailed || r.Error != c.want {
			t.Errorf("%s: %s %s\nwant %s", c.name, r.Status, r.Error, c.want)
		}
	}
}

// requestTo returns the first recorded request of method to a URL ending
// in suffix.
func requestTo(r *recording.Recording, method, suffix string) *recording.Request {
	for i, q := range r.Requests {
		if q.Method == method && strings.HasSuffix(q.URL, suffix) {
			return &r.Requests[i]
		}
	}
	return nil
}
