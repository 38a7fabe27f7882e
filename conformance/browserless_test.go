//go:build conformance

package conformance

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/proctest"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/internal/repotest"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// The lab suite through a real browser pool: browserless, started here
// with Debian's Chromium and a token, attached with --browser-url and -j 2
// (a browser per worker: browserless starts one per connection). The run
// must match a local run scenario by scenario, finding by finding, and
// leave neither the token in the run folder nor a browser behind.
func TestBrowserlessPool(t *testing.T) {
	dir := stackDir(t, "browserless")
	if _, err := os.Stat(filepath.Join(dir, "node_modules/@browserless.io/browserless/package.json")); err != nil {
		t.Fatalf("browserless is not installed in conformance/browserless: %s (npm ci there)", install)
	}
	chrome, err := harness.FindChrome("")
	if err != nil {
		t.Fatal(err)
	}
	bin := repotest.Binary(t)
	tok := make([]byte, 16)
	rand.Read(tok)
	token := hex.EncodeToString(tok)
	p := freePort(t)
	before := proctest.Chromium()
	pool := start(t, "browserless", []string{"CHROMIUM=" + chrome, "BROWSERS_DIR=" + t.TempDir(),
		fmt.Sprintf("PORT=%d", p), "TOKEN=" + token, "HOST=127.0.0.1"}, dir, "node", "start.mjs")
	pool.waitAccept(t, p)
	waitVersion(t, pool, fmt.Sprintf("http://127.0.0.1:%d/json/version?token=%s", p, token))

	url := fmt.Sprintf("ws://127.0.0.1:%d?token=%s", p, token)
	remote, unseen := runLab(t, bin, "--browser-url", url)
	local, _ := runLab(t, bin)
	// browserless's own DevTools client attaches to every page and lets
	// it run at once, so a popup's first page can load before the
	// recording is on in it. The recording says so, and has the cookies
	// it set from the jar: their info findings (attribute audits of the
	// Set-Cookie lines) are then not comparable. Nothing else may differ.
	for name, cookies := range unseen {
		t.Logf("through browserless, %s: a target started unseen; not compared: info findings of %v", name, cookies)
		remote[name] = withoutInfoOn(remote[name], cookies)
		local[name] = withoutInfoOn(local[name], cookies)
	}
	if r, l := lines(remote), lines(local); !slices.Equal(r, l) {
		t.Errorf("through browserless:\n  %s\nlocally:\n  %s", strings.Join(r, "\n  "), strings.Join(l, "\n  "))
	}

	// A wrong token is refused with a plain error, and not repeated.
	out := filepath.Join(t.TempDir(), "refused")
	msg, _ := exec.Command(bin, "run", "--lab", "-q", "-o", out, "--browser-url", strings.Replace(url, token, "wrong"+token[5:], 1), "../scenarios/lab/correct.yaml").CombinedOutput()
	ix := rectest.ReadIndex(t, out)
	if ix.Scenarios[0].Status != recording.StatusErrored || !strings.Contains(ix.Scenarios[0].Error, "refused the credentials") {
		t.Errorf("a wrong token: %s %q, want errored: the endpoint refused the credentials\n%s", ix.Scenarios[0].Status, ix.Scenarios[0].Error, msg)
	}
	if strings.Contains(string(msg), token[5:]) || strings.Contains(ix.Scenarios[0].Error, token[5:]) {
		t.Errorf("the token shows in the output or the index:\n%s", msg)
	}

	// Each browser browserless started for a connection ends with it.
	if err := proctest.WaitGone(before, 30*time.Second); err != nil {
		t.Errorf("after the suites: %v", err)
	}
}

// runLab runs the lab suite with -j 2 and the extra flags, checks that
// the token of any --browser-url is in no file of the run folder, and
// reduces the run to what must not depend on where the browser ran: by
// scenario, its findings and resets. unseen names, by scenario, the
// cookies seen only in the jar of a recording that says a target's
// requests started before the recording was on in it.
func runLab(t *testing.T, bin string, flags ...string) (got map[string]labRun, unseen map[string][]string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "run")
	args := append([]string{"run", "--lab", "-q", "-j", "2", "-o", out}, flags...)
	cmd := exec.Command(bin, append(args, "../scenarios/lab")...)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sessiontrace %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	ix := rectest.ReadIndex(t, out)
	if ix.Totals.Passed != len(ix.Scenarios) || len(ix.Scenarios) < 15 {
		t.Fatalf("%v: totals %+v of %d scenarios, want all passed\n%s", flags, ix.Totals, len(ix.Scenarios), msg)
	}
	for _, f := range flags {
		_, q, ok := strings.Cut(f, "token=")
		if !ok {
			continue
		}
		filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, _ := os.ReadFile(p); strings.Contains(string(data), q) {
					t.Errorf("the token is in %s", p)
				}
			}
			return nil
		})
		if strings.Contains(string(msg), q) {
			t.Errorf("the token is in the output:\n%s", msg)
		}
	}
	loaded, _, err := runfolder.LoadRun(out, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	got, unseen = map[string]labRun{}, map[string][]string{}
	for _, l := range loaded {
		rec := l.Recording
		rep := analysis.Analyze(rec)
		got[rec.Scenario.Name] = labRun{findingsAt(rep), causes(resets(rep))}
		if slices.ContainsFunc(rec.Warnings, func(w string) bool { return strings.Contains(w, "before the recording was on in it") }) {
			unseen[rec.Scenario.Name] = jarOnly(rec)
		}
	}
	return got, unseen
}

type labRun struct {
	findings []string
	resets   string
}

// lines lists the runs, a line per scenario, in name order.
func lines(runs map[string]labRun) []string {
	var out []string
	for name, r := range runs {
		out = append(out, fmt.Sprintf("%s: %s; resets: %s", name, strings.Join(r.findings, ", "), r.resets))
	}
	slices.Sort(out)
	return out
}

// jarOnly names the cookies the recording saw set in the jar only, with
// no Set-Cookie line or script write.
func jarOnly(rec *recording.Recording) []string {
	jar, seen := map[string]bool{}, map[string]bool{}
	for _, e := range rec.Events {
		if e.Kind == recording.EventSet {
			jar[e.Name] = jar[e.Name] || e.Source == recording.SourceJar
			seen[e.Name] = seen[e.Name] || e.Source != recording.SourceJar
		}
	}
	var out []string
	for name := range jar {
		if jar[name] && !seen[name] {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// withoutInfoOn drops the info findings on the cookies.
func withoutInfoOn(r labRun, cookies []string) labRun {
	r.findings = slices.DeleteFunc(slices.Clone(r.findings), func(f string) bool {
		return slices.ContainsFunc(cookies, func(c string) bool { return strings.HasSuffix(f, "(info, "+c+")") })
	})
	return r
}

// findingsAt lists a run's findings for comparing two runs of one suite:
// those of severity low and above with their step (docs/lab.md's table),
// info ones by rule and cookie only. A cookie a worker or a service
// worker sets lands in the step during which its request started, which
// depends on when the worker ran (targets.yaml: step 11 in one run, 12
// in the next), through a pool or not.
func findingsAt(rep *analysis.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		if f.Severity == analysis.Info {
			out = append(out, fmt.Sprintf("%s(info, %s)", f.Rule, f.Cookie))
		} else {
			out = append(out, fmt.Sprintf("%s(%s, step %d)", f.Rule, f.Severity, f.Step))
		}
	}
	slices.Sort(out)
	return out
}

func causes(rs []analysis.Reset) string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s@%d", r.Cause, r.Step))
	}
	return strings.Join(out, " ")
}

// waitVersion waits until the pool answers /json/version (it starts its
// HTTP server before it has looked for browsers).
func waitVersion(t *testing.T, s *server, u string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("browserless did not answer %s within 30s (%v):\n%s", strings.Split(u, "?")[0], err, s.out.String())
		}
		time.Sleep(100 * time.Millisecond) // poll interval, bounded by the deadline above
	}
}
