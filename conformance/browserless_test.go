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
	remote := runLab(t, bin, "--browser-url", url)
	local := runLab(t, bin)
	if !slices.Equal(remote, local) {
		t.Errorf("through browserless:\n  %s\nlocally:\n  %s", strings.Join(remote, "\n  "), strings.Join(local, "\n  "))
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
// reduces the run to what must not depend on where the browser ran.
func runLab(t *testing.T, bin string, flags ...string) []string {
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
	var got []string
	for _, l := range loaded {
		rep := analysis.Analyze(l.Recording)
		got = append(got, fmt.Sprintf("%s: %s; resets: %s", l.Recording.Scenario.Name, strings.Join(findingsAt(rep), ", "), causes(resets(rep))))
	}
	slices.Sort(got)
	return got
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
