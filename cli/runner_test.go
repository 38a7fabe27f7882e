package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/proctest"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/internal/repotest"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/web"
)

// These tests exercise the suite runner end to end in real Chromium:
// shards and merge, retries, remote browsers, and faults.

func readRec(t *testing.T, dir, rel string) *recording.Recording {
	t.Helper()
	r, err := readRecording(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// outcome reduces a run folder to what must not depend on sharding: the
// scenarios with their status, and the findings and reset causes.
func outcome(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, e := range rectest.ReadIndex(t, dir).Scenarios {
		out = append(out, "scenario "+e.Name+" "+string(e.Status))
	}
	data, err := os.ReadFile(filepath.Join(dir, "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Findings []struct{ Rule, Severity, Scenario, Cookie string } `json:"findings"`
		Sessions []struct {
			Scenario string
			Resets   []struct{ Cause string } `json:"resets"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		out = append(out, "finding "+f.Scenario+" "+f.Rule+" "+f.Severity+" "+f.Cookie)
	}
	for _, s := range rep.Sessions {
		for _, r := range s.Resets {
			out = append(out, "reset "+s.Scenario+" "+r.Cause)
		}
	}
	slices.Sort(out)
	return out
}

var shardSuite = []string{"correct", "fixation", "logout-keep", "mixed", "urlsession", "script", "scope"}

func TestShardsMergeToTheUnshardedRun(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, n := range shardSuite {
		files = append(files, "../scenarios/lab/"+n+".yaml")
	}
	whole := filepath.Join(dir, "whole")
	if code, out, errs := runCLI(t, append([]string{"run", "--lab", "-q", "-j", "2", "-o", whole}, files...)...); code != ExitFailed && code != ExitOK {
		t.Fatalf("unsharded run: exit %d\n%s%s", code, out, errs)
	}
	// The shards share a fingerprint key, as one pipeline's would.
	const secret = "shared-secret-of-the-pipeline-0123"
	keyFile := filepath.Join(dir, "fp.key")
	if err := os.WriteFile(keyFile, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var shards []string
	seen := map[string]bool{}
	for k := 1; k <= 3; k++ {
		d := filepath.Join(dir, fmt.Sprintf("shard%d", k))
		shards = append(shards, d)
		code, out, errs := runCLI(t, append([]string{"run", "--lab", "-q", "-j", "2", "--fingerprint-key-file", keyFile, "--shard", fmt.Sprintf("%d/3", k), "-o", d}, files...)...)
		if code != ExitOK && code != ExitFailed {
			t.Fatalf("shard %d: exit %d\n%s%s", k, code, out, errs)
		}
		for _, e := range rectest.ReadIndex(t, d).Scenarios {
			if seen[e.Name] {
				t.Fatalf("scenario %s in two shards", e.Name)
			}
			seen[e.Name] = true
		}
	}
	merged := filepath.Join(dir, "merged")
	if code, out, errs := runCLI(t, append([]string{"merge", "-o", merged}, shards...)...); code != ExitOK || strings.Contains(errs, "fingerprint keys") {
		t.Fatalf("merge: exit %d\n%s%s", code, out, errs)
	}
	keys := map[string]bool{}
	for _, e := range rectest.ReadIndex(t, merged).Scenarios {
		keys[readRec(t, merged, e.Recording).Options.FingerprintKey] = true
	}
	if len(keys) != 1 {
		t.Errorf("the shards' recordings name %d fingerprint keys, want the one of --fingerprint-key-file", len(keys))
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if data, _ := os.ReadFile(p); err == nil && !d.IsDir() && p != keyFile && bytes.Contains(data, []byte(secret)) {
			t.Errorf("the fingerprint key is in %s", p)
		}
		return nil
	})
	// A run with its own random key, merged with a shard: merge says so.
	if code, _, errs := runCLI(t, "merge", "-o", filepath.Join(dir, "mixed"), whole, shards[0]); code != ExitOK || !strings.Contains(errs, "the inputs used 2 fingerprint keys") {
		t.Errorf("merge of runs with two keys: exit %d, stderr %q: want a note", code, errs)
	}
	a, b := outcome(t, whole), outcome(t, merged)
	if !slices.Equal(a, b) {
		t.Fatalf("merged shards differ from the unsharded run:\nunsharded: %q\nmerged:    %q", a, b)
	}
	if len(rectest.ReadIndex(t, merged).Scenarios) != len(shardSuite) {
		t.Fatal("merged index lacks scenarios")
	}
	for _, f := range []string{"junit.xml", "summary.json"} {
		if _, err := os.Stat(filepath.Join(merged, f)); err != nil {
			t.Error(err)
		}
	}
	// The inspector's files, as a plain run folder has them: the merged
	// artifact opens from a static server too.
	for _, f := range web.Files {
		got, err := os.ReadFile(filepath.Join(merged, f))
		want, _ := os.ReadFile(filepath.Join(whole, f))
		if err != nil || len(want) == 0 || !bytes.Equal(got, want) {
			t.Errorf("merged run folder: %s missing or unlike a run's (%v)", f, err)
		}
	}
	// The merged folder is a run like any other for audit.
	if code, _, errs := runCLI(t, "audit", "-o", os.DevNull, merged); code != ExitOK {
		t.Fatalf("audit of the merged run: exit %d %s", code, errs)
	}
}

func TestShardSelectionIsStable(t *testing.T) {
	list, err := loadScenarios([]string{"../scenarios/lab"})
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(list)
	slices.Reverse(rev)
	for k := 1; k <= 4; k++ {
		a, b := harness.Shard(list, k, 4), harness.Shard(rev, k, 4)
		if len(a) == 0 || len(a) != len(b) {
			t.Fatalf("shard %d: %d vs %d scenarios", k, len(a), len(b))
		}
		for i := range a {
			if a[i].File != b[i].File {
				t.Fatalf("shard %d depends on the input order", k)
			}
		}
	}
	for _, bad := range []string{"0/3", "4/3", "x", "1/0", "2"} {
		if _, _, err := parseShard(bad); err == nil {
			t.Errorf("parseShard(%q) accepted", bad)
		}
	}
}

func writeScenario(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A scenario that fails once and then passes is reported flaky, and both
// attempts keep their recordings.
func TestRetriesReportFlaky(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg := "not yet"
		if hits.Add(1) > 1 {
			msg = "ready"
		}
		fmt.Fprintf(w, "<title>t</title><p id=state>%s</p>", msg)
	}))
	defer srv.Close()
	dir := t.TempDir()
	sc := writeScenario(t, dir, "flaky.yaml", "name: flaky\ntarget: "+srv.URL+"\nsteps:\n  - goto: /\n  - expect:\n      text: { selector: \"#state\", equals: ready }\n")
	out := filepath.Join(dir, "run")
	code, stdout, stderr := runCLI(t, "run", "-q", "--retries", "2", "-o", out, sc)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	ix := rectest.ReadIndex(t, out)
	e := ix.Scenarios[0]
	if !e.Flaky || e.Status != recording.StatusPassed || len(e.Attempts) != 1 || ix.Totals.Flaky != 1 {
		t.Fatalf("entry %+v totals %+v", e, ix.Totals)
	}
	if r := readRec(t, out, e.Attempts[0]); r.Status != recording.StatusFailed {
		t.Fatalf("first attempt: %s", r.Status)
	}
	if !strings.Contains(stdout, "1 flaky") {
		t.Errorf("summary does not say flaky:\n%s", stdout)
	}
}

// Faults of the site and the network: each scenario gets a recording that
// says what happened, and the suite goes on.
func TestFaultsAreRecorded(t *testing.T) {
	down, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	downURL := "http://" + down.Addr().String()
	down.Close() // connection refused from now on
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<title>tls</title>ok") }))
	defer tlsSrv.Close()
	dir := t.TempDir()
	files := []string{
		writeScenario(t, dir, "a-down.yaml", "name: site down\ntarget: "+downURL+"\nsteps:\n  - goto: /\n"),
		writeScenario(t, dir, "b-500.yaml", "name: server error\ntarget: ${lab.faults}\nsteps:\n  - goto: /500\n  - expect: { text: { selector: \"#error\", contains: \"\" } }\n"),
		writeScenario(t, dir, "c-loop.yaml", "name: redirect loop\ntarget: ${lab.faults}\nsteps:\n  - goto: /loop\n"),
		writeScenario(t, dir, "d-tls.yaml", "name: bad certificate\ntarget: "+tlsSrv.URL+"\nsteps:\n  - goto: /\n"),
		writeScenario(t, dir, "e-hang.yaml", "name: never answers\ntarget: ${lab.faults}\nsteps:\n  - goto: /hang\n    timeout: 2s\n"),
		writeScenario(t, dir, "f-drop.yaml", "name: dropped connection\ntarget: ${lab.faults}\nsteps:\n  - goto: /drop\n"),
		writeScenario(t, dir, "g-ok.yaml", "name: still fine\ntarget: ${lab.correct}\nsteps:\n  - goto: /login\n"),
	}
	out := filepath.Join(dir, "run")
	before := proctest.Chromium()
	code, stdout, stderr := runCLI(t, append([]string{"run", "--lab", "-q", "-j", "2", "-o", out}, files...)...)
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	want := map[string]string{
		"site down":          "ERR_CONNECTION_REFUSED",
		"redirect loop":      "ERR_TOO_MANY_REDIRECTS",
		"bad certificate":    "ERR_CERT_AUTHORITY_INVALID",
		"never answers":      "timed out after 2s",
		"dropped connection": "ERR_",
	}
	ix := rectest.ReadIndex(t, out)
	if len(ix.Scenarios) != len(files) {
		t.Fatalf("%d recordings for %d scenarios", len(ix.Scenarios), len(files))
	}
	for _, e := range ix.Scenarios {
		r := readRec(t, out, e.Recording)
		switch e.Name {
		case "server error", "still fine":
			if r.Status != recording.StatusPassed {
				t.Errorf("%s: %s %s", e.Name, r.Status, r.Error)
			}
			if e.Name == "server error" && (len(r.Requests) == 0 || r.Requests[0].Status != 500) {
				t.Errorf("the 500 was not recorded: %+v", r.Requests)
			}
		default:
			if r.Status == recording.StatusPassed || !strings.Contains(r.Error, want[e.Name]) {
				t.Errorf("%s: status %s, error %q; want it to name %s", e.Name, r.Status, r.Error, want[e.Name])
			}
			if len(r.Steps) == 0 {
				t.Errorf("%s: the failed step is not in the recording", e.Name)
			}
		}
	}
	assertNoNewChromium(t, before)
}

// The browser process killed in the middle of a scenario: that scenario
// errors, the runner starts a new browser, the next scenario passes.
func TestBrowserKilledMidScenario(t *testing.T) {
	dir := t.TempDir()
	files := []string{
		writeScenario(t, dir, "a-hang.yaml", "name: killed\ntarget: ${lab.faults}\nsteps:\n  - goto: /\n  - goto: /hang\n    timeout: 60s\n"),
		writeScenario(t, dir, "b-ok.yaml", "name: after the crash\ntarget: ${lab.correct}\nsteps:\n  - goto: /login\n"),
	}
	out := filepath.Join(dir, "run")
	before := proctest.Chromium()
	killed := make(chan int, 1)
	go func() {
		// The checkpoint after the first step means the hanging step is
		// next: then kill the browser's main process.
		rec := filepath.Join(out, "recordings", "a-hang.json")
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			if data, err := os.ReadFile(rec); err == nil && strings.Contains(string(data), `"kind": "goto"`) {
				for pid := range proctest.Chromium() {
					// Only this test's browser: go test runs other packages'
					// browsers alongside.
					if _, old := before[pid]; !old && isBrowserMain(pid) && proctest.Descends(pid, os.Getpid()) {
						syscall.Kill(pid, syscall.SIGKILL)
						killed <- pid
						return
					}
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		killed <- 0
	}()
	code, stdout, stderr := runCLI(t, append([]string{"run", "--lab", "-q", "-j", "1", "-o", out}, files...)...)
	if pid := <-killed; pid == 0 {
		t.Fatal("no browser to kill")
	}
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	ix := rectest.ReadIndex(t, out)
	a, b := ix.Scenarios[0], ix.Scenarios[1]
	if a.Status != recording.StatusErrored || b.Status != recording.StatusPassed {
		t.Fatalf("statuses %s (%s), %s (%s)", a.Status, a.Error, b.Status, b.Error)
	}
	assertNoNewChromium(t, before)
}

// isBrowserMain tells the browser's main process from its helpers (they
// carry a --type= flag).
func isBrowserMain(pid int) bool {
	cmd, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return err == nil && strings.Contains(string(cmd), "--remote-debugging") && !strings.Contains(string(cmd), "--type=")
}

// SIGTERM stops the run cleanly: every recording is written and marked,
// the index is written, the exit code is 130, no browser is left.
func TestSIGTERMStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	bin := repotest.Binary(t)
	files := []string{
		writeScenario(t, dir, "a-hang.yaml", "name: hangs\ntarget: ${lab.faults}\nsteps:\n  - goto: /\n  - goto: /hang\n    timeout: 60s\n"),
		writeScenario(t, dir, "b-later.yaml", "name: never started\ntarget: ${lab.correct}\nsteps:\n  - goto: /login\n"),
	}
	out := filepath.Join(dir, "run")
	before := proctest.Chromium()
	cmd := exec.Command(bin, append([]string{"run", "--lab", "-j", "1", "-o", out}, files...)...)
	cmd.Env = append(os.Environ(), "CI=true")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The run writes a checkpoint after the first step; then the second
	// step hangs. Wait for the checkpoint, then send SIGTERM.
	rec := filepath.Join(out, "recordings", "a-hang.json")
	deadline := time.Now().Add(60 * time.Second)
	for {
		if data, err := os.ReadFile(rec); err == nil && strings.Contains(string(data), `"kind": "goto"`) {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the run never reached the hanging step")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	var lines []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != ExitInterrupted {
		t.Fatalf("exit: %v, want 130\n%s", err, strings.Join(lines, "\n"))
	}
	ix := rectest.ReadIndex(t, out)
	if ix.Status != recording.StatusInterrupted || len(ix.Scenarios) != 2 {
		t.Fatalf("index: %+v", ix)
	}
	for _, e := range ix.Scenarios {
		if e.Status != recording.StatusInterrupted {
			t.Errorf("%s: %s", e.Name, e.Status)
		}
		if r := readRec(t, out, e.Recording); r.Status != recording.StatusInterrupted {
			t.Errorf("%s recording: %s", e.Name, r.Status)
		}
	}
	if r := readRec(t, out, ix.Scenarios[0].Recording); len(r.Steps) == 0 || r.Steps[0].Status != recording.StatusPassed {
		t.Errorf("the step done before the signal was lost: %+v", r.Steps)
	}
	// The browser was the child of the killed run: after it exits, none of
	// its processes may be left (orphans are re-parented to init).
	assertNoNewChromium(t, before)
}

// A remote browser: a Chromium started on its own with a debugging port,
// reached with --browser-url http://127.0.0.1:PORT.
func TestRemoteBrowser(t *testing.T) {
	rc := startRemoteChromium(t)
	port := rc.port
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "0123456789abcdef0123", Path: "/", HttpOnly: true})
		fmt.Fprint(w, "<title>remote</title><p id=x>hello</p>")
	}))
	defer srv.Close()
	dir := t.TempDir()
	sc2 := writeScenario(t, dir, "remote.yaml", "name: remote\ntarget: "+srv.URL+"\nsteps:\n  - goto: /\n  - expect: { text: { selector: \"#x\", equals: hello }, cookie: { name: sid, httpOnly: true } }\n")
	out := filepath.Join(dir, "run")
	code, stdout, errs := runCLI(t, "run", "-q", "--browser-url", "http://127.0.0.1:"+port, "-o", out, sc2)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, errs)
	}
	r := readRec(t, out, rectest.ReadIndex(t, out).Scenarios[0].Recording)
	if !r.Browser.Remote || r.Browser.ThirdPartyCookies != "unknown" || len(r.Requests) == 0 || len(r.Requests[0].SetCookies) != 1 {
		t.Fatalf("remote recording: browser %+v, requests %d", r.Browser, len(r.Requests))
	}
	// The remote browser must still run: the run only detached from it.
	if err := syscall.Kill(rc.cmd.Process.Pid, 0); err != nil {
		t.Fatal("the run closed the remote browser")
	}
}

// assertNoNewChromium fails when a Chromium process started during the test
// is still running and belongs to this test.
func assertNoNewChromium(t *testing.T, before proctest.Snapshot) {
	t.Helper()
	if err := proctest.WaitGone(before, 15*time.Second); err != nil {
		t.Error(err)
	}
}
