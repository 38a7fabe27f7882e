package harness_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
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

// TestHostile runs the scenarios of testdata/hostile against the lab's
// hostile.test in real Chromium, one after another in one browser as a
// suite does, and checks that each hostile page ends well: the scenario
// passes or fails with a clear reason within its timeouts, the recording
// (encoded and read back) says what happened, the browser still works for
// the next scenario, and no Chromium process is left at the end.
// docs/reliability.md ("Pages that attack the harness") lists what each subtest shows.
func TestHostile(t *testing.T) {
	needChrome(t)
	before := proctest.Chromium()
	l, b := startLabBrowser(t)
	h := &hostileRun{l: l, b: b}

	t.Run("spin", func(t *testing.T) {
		r, took := h.run(t, "spin", nil)
		wantStatus(t, r, recording.StatusFailed, "step 0 (goto /spin): timed out after 1s", "did not yield (an endless loop?): the harness stopped it")
		if took > 10*time.Second {
			t.Errorf("took %s for a 1s step timeout", took)
		}
		if !strings.HasSuffix(r.Steps[0].URL, "/spin") || r.Steps[1].Status != recording.StatusSkipped {
			t.Errorf("steps: %+v", r.Steps)
		}
		if len(hostileEvents(r, recording.EventSet, "spin_seen", recording.SourceHTTP)) != 1 {
			t.Error("the cookie set by the spinning page's response is not recorded")
		}
		h.after(t)
	})

	t.Run("spin-later", func(t *testing.T) {
		r, _ := h.run(t, "spin-later", nil)
		wantStatus(t, r, recording.StatusPassed)
		wantWarning(t, r, "step 1: the page's script did not yield")
	})

	t.Run("dialogs", func(t *testing.T) {
		r, _ := h.run(t, "dialogs", nil)
		wantStatus(t, r, recording.StatusPassed)
		for _, d := range []string{"(alert: hostile alert)", "(confirm: hostile confirm)", "(prompt: hostile prompt)"} {
			wantWarning(t, r, d)
		}
	})

	t.Run("dialog-loop", func(t *testing.T) {
		r, took := h.run(t, "dialog-loop", nil)
		wantStatus(t, r, recording.StatusFailed, "timed out after 1s", "the page did not answer, even after the harness tried to stop its script")
		if took > 15*time.Second {
			t.Errorf("took %s for a 1s step timeout", took)
		}
		wantWarning(t, r, "more JavaScript dialogs, all accepted")
		if len(r.Warnings) > 30 {
			t.Errorf("%d warnings: dialogs must be summed up", len(r.Warnings))
		}
		if !strings.HasSuffix(r.Steps[0].URL, "/alert?loop=1") {
			t.Errorf("the URL of the stuck page was not read from the browser: %q", r.Steps[0].URL)
		}
		h.after(t)
	})

	t.Run("beforeunload", func(t *testing.T) {
		r, took := h.run(t, "beforeunload", nil)
		wantStatus(t, r, recording.StatusPassed)
		wantWarning(t, r, "step 2: the page opened a JavaScript dialog (beforeunload: )")
		wantWarning(t, r, "step 5: the page opened a JavaScript dialog (beforeunload: )")
		if took > 15*time.Second {
			t.Errorf("took %s (the last page asks before it is closed)", took)
		}
	})

	t.Run("popups", func(t *testing.T) {
		r, _ := h.run(t, "popups", nil)
		wantStatus(t, r, recording.StatusPassed)
		if len(r.Popups) != 3 {
			t.Fatalf("popups: %+v", r.Popups)
		}
		for i, via := range []string{"via=load", "via=click"} {
			if !strings.HasSuffix(r.Popups[i].URL, via) || r.Popups[i].Closed {
				t.Errorf("popup %d: %+v, want one that loaded %s", i, r.Popups[i], via)
			}
		}
		if r.Popups[0].Step != 0 || r.Popups[1].Step != 2 || r.Popups[2].Step != 4 {
			t.Errorf("popup steps: %+v", r.Popups)
		}
		// The popups' own requests are recorded, with their cookies.
		for i, name := range []string{"popup_load", "popup_click"} {
			set := hostileEvents(r, recording.EventSet, name, recording.SourceHTTP)
			if len(set) != 1 {
				t.Errorf("%s: set events %+v, want the popup's response", name, set)
				continue
			}
			for _, q := range r.Requests {
				if q.ID == set[0].Request && q.Target != "popup "+strconv.Itoa(i+1) {
					t.Errorf("%s: set by %s of target %q, want popup %d", name, q.URL, q.Target, i+1)
				}
			}
		}
		wantWarning(t, r, "3 popup windows opened")
	})

	t.Run("popup-flood", func(t *testing.T) {
		r, _ := h.run(t, "popup-flood", nil)
		wantStatus(t, r, recording.StatusPassed)
		closed := 0
		for _, p := range r.Popups {
			if p.Closed {
				closed++
			}
		}
		if len(r.Popups) != 30 || closed != 10 {
			t.Errorf("%d popups, %d closed; want 30 and 10 (more than 20 are closed)", len(r.Popups), closed)
		}
		wantWarning(t, r, "the harness closed those after the first 20")
	})

	t.Run("download", func(t *testing.T) {
		r, _ := h.run(t, "download", nil)
		wantStatus(t, r, recording.StatusPassed)
		if len(r.Downloads) != 2 || r.Downloads[0].Step != 1 || r.Downloads[1].Step != 2 {
			t.Fatalf("downloads: %+v", r.Downloads)
		}
		for _, d := range r.Downloads {
			if d.Filename != "report.csv" || !strings.HasSuffix(d.URL, "/download") {
				t.Errorf("download %+v", d)
			}
		}
		if !strings.HasSuffix(r.Steps[2].URL, "/") {
			t.Errorf("a goto that downloads leaves the page where it was; got %q", r.Steps[2].URL)
		}
		if len(hostileEvents(r, recording.EventSet, "download_seen", recording.SourceHTTP)) == 0 {
			t.Error("the cookie set by the download's response is not recorded")
		}
		wantWarning(t, r, "2 downloads started (see downloads); the harness denied them")
	})

	t.Run("cookie-flood", func(t *testing.T) {
		r, took := h.run(t, "cookie-flood", nil)
		wantStatus(t, r, recording.StatusPassed) // ending on /login: the flood evicted the session
		const n, flood = 3000, 4                 // cookies, and the flood step
		evicted := 0
		for _, e := range r.Events {
			if e.Kind == recording.EventCleared && e.Source == recording.SourceJar && strings.Contains(e.Detail, "evicted, most likely") {
				evicted++
			}
		}
		if evicted < n-180 {
			t.Errorf("%d evictions recorded, want at least %d", evicted, n-180)
		}
		sess := hostileEvents(r, recording.EventCleared, "_hostile_session", recording.SourceJar)
		if len(sess) != 1 || sess[0].Step != flood || !strings.Contains(sess[0].Detail, "hostile.test had") {
			t.Errorf("the session cookie's eviction: %+v", sess)
		}
		// Never lost silently: every flood cookie is in the jar after its
		// step, or an event says it left.
		left := map[string]bool{}
		for _, e := range r.Events {
			if e.Source == recording.SourceJar {
				left[e.Name] = true
			}
		}
		for _, e := range r.Events {
			if e.Kind == recording.EventSet && strings.HasPrefix(e.Name, "flood_") &&
				!slices.ContainsFunc(r.Steps[e.Step].Jar, func(c recording.Cookie) bool { return c.Name == e.Name }) && !left[e.Name] {
				t.Fatalf("%s was set in step %d, is not in the jar after it, and no event says why", e.Name, e.Step)
			}
		}
		if took > 30*time.Second {
			t.Errorf("took %s", took)
		}
	})

	t.Run("control-chars", func(t *testing.T) {
		r, _ := h.run(t, "control-chars", nil)
		wantStatus(t, r, recording.StatusPassed)
		for _, name := range []string{"ctl_value", "ctl_del", "ctl_esc", "ctl_name\x02", "ctl_tab"} {
			ev := hostileEvents(r, recording.EventRejected, name, recording.SourceHTTP)
			if len(ev) != 1 || !slices.Equal(ev[0].Reasons, []string{"DisallowedCharacter"}) {
				t.Errorf("%q: %+v, want rejected with DisallowedCharacter", name, ev)
			}
		}
		for name, char := range map[string]string{"ctl_js": "U+0001", "ctl_js_name\x03": "U+0003"} {
			ev := hostileEvents(r, recording.EventRejected, name, recording.SourceJar)
			if len(ev) != 1 || !strings.Contains(ev[0].Detail, "control character "+char) || ev[0].Location == "" {
				t.Errorf("script write %q: %+v, want rejected (from the jar) naming %s", name, ev, char)
			}
		}
		jar := r.Steps[len(r.Steps)-1].Jar
		if len(jar) != 2 || jar[0].Name != "ctl_js_ok" || jar[1].Name != "ctl_ok" {
			t.Errorf("jar: %+v", jar)
		}
	})

	t.Run("control-nul", func(t *testing.T) {
		r, _ := h.run(t, "control-nul", nil)
		wantStatus(t, r, recording.StatusErrored, "net::ERR_INVALID_HTTP_RESPONSE")
		if len(r.Requests) != 1 || !strings.Contains(r.Requests[0].Failed, "ERR_INVALID_HTTP_RESPONSE") {
			t.Errorf("requests: %+v", r.Requests)
		}
	})

	t.Run("long-url", func(t *testing.T) {
		r, _ := h.run(t, "long-url", nil)
		wantStatus(t, r, recording.StatusPassed)
		cut := regexp.MustCompile(`^https://hostile\.test:\d+/longurl/target\?kb=100&pad=x+\.\.\.\[URL cut: 1024\d\d bytes\]$`)
		var n int
		for _, q := range r.Requests {
			if strings.Contains(q.URL, "/longurl/target") {
				n++
				if !cut.MatchString(q.URL) || len(q.URL) > 8300 {
					t.Errorf("request URL of %d bytes: %.60q...%q", len(q.URL), q.URL, q.URL[max(0, len(q.URL)-40):])
				}
			}
		}
		if n != 2 {
			t.Errorf("%d requests to the long URL, want 2", n)
		}
		if longest := longestString(t, h.last); longest > 8300 {
			t.Errorf("a string of %d bytes in the recording: URLs must be cut at 8 kB", longest)
		}
		if len(hostileEvents(r, recording.EventSet, "long_seen", recording.SourceHTTP)) != 2 {
			t.Error("the long URL's cookie is not recorded twice")
		}
		wantWarning(t, r, "longer than 8192 bytes: cut there")
	})

	t.Run("big", func(t *testing.T) {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		r, _ := h.run(t, "big", nil)
		runtime.ReadMemStats(&m1)
		wantStatus(t, r, recording.StatusPassed)
		p := pageOf(t, r, "/big?mb=32")
		if !p.Truncated || p.Size < 32<<20 || !strings.Contains(p.Truncation, "not scanned") || len(p.Links) != 0 {
			t.Errorf("page facts: %+v", p)
		}
		// The body never came into this process (the lab, in this process
		// too, streams it from one 64 kB block).
		if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 32<<20 {
			t.Errorf("the run allocated %d MiB for a 32 MiB page it does not read", alloc>>20)
		}
	})

	t.Run("big-partial", func(t *testing.T) {
		r, _ := h.run(t, "big-partial", nil)
		wantStatus(t, r, recording.StatusPassed)
		p := pageOf(t, r, "/big?mb=6")
		if !p.Truncated || p.Size < 6<<20 || !strings.Contains(p.Truncation, "only the first 4 MiB were scanned") {
			t.Errorf("page facts: %+v", p)
		}
		if len(p.Links) != 1 || p.Links[0].Selector != "#home-link" || len(p.Forms) != 0 {
			t.Errorf("facts past 4 MiB (the form at the end) must not be there: links %+v, forms %+v", p.Links, p.Forms)
		}
	})

	t.Run("forever", func(t *testing.T) {
		r, took := h.run(t, "forever", nil)
		wantStatus(t, r, recording.StatusPassed)
		hops := 0
		for _, q := range r.Requests {
			if strings.Contains(q.URL, "/forever?n=") {
				hops++
			}
		}
		if hops < 10 || len(hostileEvents(r, recording.EventSet, "forever_n", recording.SourceHTTP)) < 10 {
			t.Errorf("%d navigations recorded, want at least 10", hops)
		}
		if took > 20*time.Second {
			t.Errorf("took %s", took)
		}
		h.after(t)
	})

	t.Run("crash", func(t *testing.T) {
		killed := false
		r, _ := h.run(t, "crash", func(*recording.Recording) {
			// After the first step: kill the renderers, as the kernel's
			// OOM killer would.
			if !killed {
				killed = true
				killRenderers(t, before)
			}
		})
		wantStatus(t, r, recording.StatusErrored, "step 1 (wait 1s): the page crashed (its renderer process died)")
		wantWarning(t, r, "step 1: the page crashed")
		if r.Steps[2].Status != recording.StatusSkipped {
			t.Errorf("steps: %+v", r.Steps)
		}
		h.after(t)
	})

	b.Close() // now, not at cleanup, for WaitGone below (cleanup's Close is then a no-op)
	if err := proctest.WaitGone(before, 15*time.Second); err != nil {
		t.Fatal(err)
	}
}

// hostileRun runs scenarios of testdata/hostile in one browser.
type hostileRun struct {
	l    *lab.Lab
	b    *harness.Browser
	last []byte // the last recording, encoded
}

// run runs testdata/hostile/NAME.yaml with short timeouts and returns its
// recording as a reader gets it (encoded, then decoded), and how long the
// run took.
func (h *hostileRun) run(t *testing.T, name string, checkpoint func(*recording.Recording)) (*recording.Recording, time.Duration) {
	t.Helper()
	file := filepath.Join("testdata", "hostile", name+".yaml")
	sc, err := scenarios.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rec := h.b.Run(context.Background(), sc, harness.Options{Resolver: scenarios.Resolver{Lab: h.l.Var},
		StepTimeout: 5 * time.Second, Timeout: 40 * time.Second, Dir: t.TempDir(), Checkpoint: checkpoint})
	took := time.Since(start)
	h.last, err = recording.Encode(rec)
	if err != nil {
		t.Fatalf("%s: encoding the recording: %v", name, err)
	}
	r, err := recording.Decode(name+".json", h.last)
	if err != nil {
		t.Fatalf("%s: the recording does not read back: %v", name, err)
	}
	t.Logf("%s: %s in %s (%d requests, %d events, %d bytes): %s", name, r.Status, took.Round(time.Millisecond),
		len(r.Requests), len(r.Events), len(h.last), r.Error)
	return r, took
}

// after runs an ordinary journey, which must pass: the browser survived
// the hostile page before it.
func (h *hostileRun) after(t *testing.T) {
	t.Helper()
	r, _ := h.run(t, "after", nil)
	if r.Status != recording.StatusPassed {
		t.Fatalf("the next scenario in the same browser: %s: %s", r.Status, r.Error)
	}
}

func wantStatus(t *testing.T, r *recording.Recording, status recording.Status, errParts ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %s (%s), want %s", r.Status, r.Error, status)
	}
	for _, p := range errParts {
		if !strings.Contains(r.Error, p) {
			t.Errorf("error %q does not say %q", r.Error, p)
		}
	}
}

func wantWarning(t *testing.T, r *recording.Recording, part string) {
	t.Helper()
	for _, w := range r.Warnings {
		if strings.Contains(w, part) {
			return
		}
	}
	t.Errorf("no warning says %q: %q", part, r.Warnings)
}

func hostileEvents(r *recording.Recording, kind recording.EventKind, name string, source recording.EventSource) []recording.CookieEvent {
	var out []recording.CookieEvent
	for _, e := range events(r, kind, name) {
		if e.Source == source {
			out = append(out, e)
		}
	}
	return out
}

func pageOf(t *testing.T, r *recording.Recording, suffix string) recording.PageFacts {
	t.Helper()
	for _, p := range r.Pages {
		if strings.HasSuffix(p.URL, suffix) {
			return p
		}
	}
	t.Fatalf("no page facts for %s: %+v", suffix, r.Pages)
	return recording.PageFacts{}
}

// longestString is the length of the longest string anywhere in a JSON
// document.
func longestString(t *testing.T, data []byte) int {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) int
	walk = func(v any) int {
		n := 0
		switch v := v.(type) {
		case string:
			n = len(v)
		case []any:
			for _, x := range v {
				n = max(n, walk(x))
			}
		case map[string]any:
			for _, x := range v {
				n = max(n, walk(x))
			}
		}
		return n
	}
	return walk(v)
}

// killRenderers kills (SIGKILL, by pid) the renderer processes of the
// browsers this test started.
func killRenderers(t *testing.T, before proctest.Snapshot) {
	t.Helper()
	n := 0
	for _, pid := range proctest.Leftovers(before) {
		cmd, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
		if err != nil || !strings.Contains(string(cmd), "--type=renderer") {
			continue
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err == nil {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no renderer process to kill")
	}
}
