package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/rundiff"
)

// diffRecording is a one-step recording: GET /login sets the session
// cookie sid with attrs. Each call fingerprints with its own key, like
// separate runs.
func diffRecording(name, file, host, attrs string, status recording.Status) *recording.Recording {
	red := recording.NewRedactor([]byte(host+name+attrs), false)
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	u := "https://" + host + "/login"
	sc := recording.ParseSetCookie("sid=Qm9vdHN0cmFwcGVkU2Vzc2lvbg; "+attrs, t0, red)
	v := sc.Value
	st := recording.Step{Index: 0, Kind: "goto", Start: t0, End: t0.Add(time.Second), Status: recording.StatusPassed, URL: u,
		Jar: []recording.Cookie{{Name: "sid", Domain: host, Path: "/", Value: v, Size: sc.Size, HTTPOnly: sc.HTTPOnly,
			Secure: sc.Secure, SameSite: sc.SameSite, Session: true}}}
	r := &recording.Recording{Schema: recording.Schema,
		Scenario: recording.ScenarioInfo{Name: name, File: file, Target: "https://" + host},
		Options:  recording.Options{FingerprintKey: red.KeyID()},
		Start:    t0, End: t0.Add(2 * time.Second), Status: status,
		Steps: []recording.Step{st},
		Requests: []recording.Request{{ID: "R1", Step: 0, Method: "GET", URL: u, ResourceType: "Document", Start: t0,
			End: t0.Add(time.Millisecond), Status: 200, SetCookies: []recording.SetCookie{sc}, RequestExtraInfo: true, ResponseExtraInfo: true}},
		Events: []recording.CookieEvent{{Time: t0.Add(time.Millisecond), Step: 0, Kind: recording.EventSet, Source: recording.SourceHTTP,
			Name: "sid", Domain: host, Path: "/", Value: &v, Request: "R1", URL: u}},
	}
	if status != recording.StatusPassed {
		r.Steps[0].Status, r.Error = recording.StatusFailed, "step 0 (goto): expectation failed"
	}
	return r
}

const goodAttrs = "Path=/; Secure; HttpOnly; SameSite=Lax"

// writeRun writes a run folder the way run does: recordings/ and index.json.
func writeRun(t *testing.T, dir string, recs ...*recording.Recording) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "recordings"), 0o755); err != nil {
		t.Fatal(err)
	}
	ix := &recording.Index{Tool: "sessiontrace test", Status: recording.StatusPassed, Scenarios: []recording.IndexEntry{}}
	for i, r := range recs {
		rel := fmt.Sprintf("recordings/%d.json", i)
		writeRecording(t, filepath.Join(dir, rel), r)
		ix.Scenarios = append(ix.Scenarios, recording.IndexEntry{Name: r.Scenario.Name, File: r.Scenario.File, Recording: rel, Status: r.Status, Steps: len(r.Steps)})
		ix.Totals.Add(r.Status)
		if recording.Worse(r.Status, ix.Status) {
			ix.Status = r.Status
		}
	}
	b, err := recording.EncodeIndex(ix)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeRecording(t *testing.T, p string, r *recording.Recording) string {
	t.Helper()
	b, err := recording.Encode(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// changeLines reduces a diff to "kind subject what: from -> to MARK" lines.
func changeLines(d *rundiff.Diff) []string {
	var out []string
	for _, c := range d.Changes() {
		s := strings.Join(strings.Fields(c.Kind+" "+c.Subject+" "+c.What), " ")
		if c.Kind != "finding" {
			s += ": " + c.From + " -> " + c.To
		}
		switch {
		case c.Regression:
			s += " REGRESSION"
		case c.Improvement:
			s += " improvement"
		}
		out = append(out, s)
	}
	return out
}

func decodeDiff(t *testing.T, data string) *rundiff.Diff {
	t.Helper()
	var d rundiff.Diff
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		t.Fatalf("diff JSON: %v\n%s", err, data)
	}
	if d.Schema != rundiff.Schema {
		t.Fatalf("schema %q", d.Schema)
	}
	return &d
}

func TestDiffRunFolders(t *testing.T) {
	dir := t.TempDir()
	// Staging and production: other hosts, other keys; B's login lost HttpOnly.
	a := writeRun(t, filepath.Join(dir, "a"),
		diffRecording("login", "suite/login.yaml", "staging.shop.test", goodAttrs, recording.StatusPassed),
		diffRecording("home", "suite/home.yaml", "staging.shop.test", goodAttrs, recording.StatusPassed))
	b := writeRun(t, filepath.Join(dir, "b"),
		diffRecording("home", "suite/home.yaml", "shop.test", goodAttrs, recording.StatusPassed),
		diffRecording("login", "suite/login.yaml", "shop.test", "Path=/; Secure; SameSite=Lax", recording.StatusPassed))

	code, stdout, stderr := runCLI(t, "diff", a, b)
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"login.yaml  cookie sid  httpOnly: true -> false  REGRESSION\n",
		"login.yaml  finding COOKIE-HTTPONLY-MISSING  sid  new (medium, step 0)  REGRESSION\n",
		"1 of 2 scenarios changed: 2 changes, 2 regressions, 0 improvements\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "home.yaml") {
		t.Errorf("the unchanged scenario is listed:\n%s", stdout)
	}

	code, stdout, _ = runCLI(t, "diff", "--format", "json", a, b)
	d := decodeDiff(t, stdout)
	if code != ExitFailed || d.Totals.Regressions != 2 || d.A.Source != a || len(d.Scenarios) != 2 {
		t.Errorf("json: exit %d, %+v", code, d)
	}

	// The reverse is an improvement: 0 by default, 1 with --fail-on any.
	if code, out, _ := runCLI(t, "diff", b, a); code != ExitOK || !strings.Contains(out, "httpOnly: false -> true  improvement") {
		t.Errorf("reverse: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "diff", "--fail-on", "any", b, a); code != ExitFailed {
		t.Errorf("--fail-on any: exit %d", code)
	}
	if code, _, _ := runCLI(t, "diff", "--fail-on", "never", a, b); code != ExitOK {
		t.Errorf("--fail-on never: exit %d", code)
	}
	if code, out, _ := runCLI(t, "diff", "--fail-on", "any", a, a); code != ExitOK || out != "A: "+a+" (2 scenarios, passed)\nB: "+a+" (2 scenarios, passed)\n\nno changes in 2 scenarios\n" {
		t.Errorf("a run with itself: exit %d\n%s", code, out)
	}

	// -o writes the file and says so.
	out := filepath.Join(dir, "diff.json")
	code, stdout, _ = runCLI(t, "diff", "--format", "json", "-o", out, a, filepath.Join(b, "index.json"))
	data, err := os.ReadFile(out)
	if err != nil || code != ExitFailed || !strings.Contains(stdout, "diff written to "+out+": 2 regressions") {
		t.Fatalf("-o: exit %d %v\n%s", code, err, stdout)
	}
	decodeDiff(t, string(data))
}

// Two recording files (or HAR files) compare directly, whatever their
// scenario names.
func TestDiffRecordingFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeRecording(t, filepath.Join(dir, "a.json"), diffRecording("before", "", "shop.test", goodAttrs, recording.StatusPassed))
	b := writeRecording(t, filepath.Join(dir, "b.json"), diffRecording("after", "", "shop.test", goodAttrs, recording.StatusFailed))
	code, stdout, stderr := runCLI(t, "diff", a, b)
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"after  status: passed -> failed  REGRESSION", "after  note: the runs hold one scenario each"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestDiffUsageErrors(t *testing.T) {
	dir := t.TempDir()
	run := writeRun(t, filepath.Join(dir, "run"), diffRecording("x", "x.yaml", "shop.test", goodAttrs, recording.StatusPassed))
	notRun := filepath.Join(dir, "empty")
	os.Mkdir(notRun, 0o755)
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte("{\n \"schema\": \"sessiontrace.recording/v1\",\n \"steps\": 3\n}\n"), 0o644)
	big := diffRecording("big", "big.yaml", "shop.test", goodAttrs, recording.StatusPassed)
	big.Warnings = []string{strings.Repeat("x", 1<<20)}
	bigFile := writeRecording(t, filepath.Join(dir, "big.json"), big)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{run}, "want two runs, RUN_A (the baseline) and RUN_B; got 1"},
		{[]string{run, run, run}, "got 3"},
		{[]string{"--format", "sarif", run, run}, `--format "sarif": use text or json`},
		{[]string{"--fail-on", "high", run, run}, `--fail-on "high": use regression, any or never`},
		{[]string{"--max-size", "0", run, run}, `invalid argument "0" for "--max-size" flag: want a positive number of MiB`},
		{[]string{run, notRun}, notRun + " is not a run folder: it has no index.json"},
		{[]string{run, filepath.Join(dir, "missing")}, "missing: no such file or directory"},
		{[]string{broken, run}, "broken.json:3:11: steps: expected []recording.Step, got JSON number"},
		{[]string{"--max-size", "1", run, bigFile}, "big.json: 1 MiB is over the size limit of 1 MiB"},
		{[]string{"-o", filepath.Join(dir, "no", "such", "dir.txt"), run, run}, "no such file or directory"},
		{[]string{"--no-such-flag", run, run}, "unknown flag"},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, append([]string{"diff"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) || !strings.HasPrefix(stderr, "sessiontrace diff: ") {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q\n%s", c.args, code, stderr, c.want, stdout)
		}
	}
}

func TestDiffHelp(t *testing.T) {
	code, stdout, _ := runCLI(t, "diff", "--help")
	for _, want := range []string{"Usage: sessiontrace diff [flags] RUN_A RUN_B", "--fail-on", "--format", "--max-size", "-o, --output", "docs/diff.md"} {
		if code != ExitOK || !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q (exit %d):\n%s", want, code, stdout)
		}
	}
}

// The acceptance test of issue 6, in real Chromium against the lab: run A
// is scenarios/lab/correct.yaml against correct.test; run B the same
// scenario against regressed.test (correct.test without HttpOnly and
// without rotation at login). The diff reports exactly those two changes,
// the findings they cause and the scenario's status, and nothing that
// differs only because runs differ (fingerprint keys, ports, timing).
func TestDiffLabRegressed(t *testing.T) {
	dir := t.TempDir()
	// B stops at its first expectation (httpOnly: true), so it never
	// reaches the login; bl, without the two checks the regression breaks,
	// shows the rotation too (see labDiffRuns).
	labDiffRuns(t, dir)
	a, a2, b, bl := filepath.Join(dir, "a"), filepath.Join(dir, "a2"), filepath.Join(dir, "b"), filepath.Join(dir, "bl")

	diff := func(x, y string, want int) *rundiff.Diff {
		t.Helper()
		code, stdout, stderr := runCLI(t, "diff", "--format", "json", x, y)
		if code != want {
			t.Fatalf("diff %s %s: exit %d, want %d\n%s%s", x, y, code, want, stdout, stderr)
		}
		return decodeDiff(t, stdout)
	}
	scenarioNotes := func(d *rundiff.Diff) []string {
		var n []string
		for _, sd := range d.Scenarios {
			n = append(n, sd.Notes...)
		}
		return n
	}

	// Two runs against correct.test: other keys, ports and timing, no change.
	if d := diff(a, a2, ExitOK); len(d.Changes()) != 0 || len(scenarioNotes(d)) != 0 || d.Totals.Scenarios != 1 {
		t.Errorf("A vs A2: changes %q, notes %q", changeLines(d), scenarioNotes(d))
	}
	if code, stdout, _ := runCLI(t, "diff", "--fail-on", "any", a, a2); code != ExitOK || !strings.HasSuffix(stdout, "no changes in 1 scenario\n") {
		t.Errorf("A vs A2 text: exit %d\n%s", code, stdout)
	}

	// B as is: HttpOnly gone, which fails the first expectation; the login
	// and logout steps did not run in B, so they are noted, not compared.
	d := diff(a, b, ExitFailed)
	want := []string{
		"scenario status: passed -> failed REGRESSION",
		"cookie __Host-sid httpOnly: true -> false REGRESSION",
		"finding COOKIE-HTTPONLY-MISSING new REGRESSION", // from httpOnly: true -> false
	}
	if got := changeLines(d); !reflect.DeepEqual(got, want) {
		t.Errorf("A vs B:\n got %q\nwant %q", got, want)
	}
	if n := scenarioNotes(d); len(n) != 1 || !strings.Contains(n[0], "steps 2-7 ran only in A (B failed at step 1)") ||
		!strings.Contains(n[0], "the login step 4 and the logout step 6") {
		t.Errorf("A vs B notes %q", n)
	}

	// B past the login: both regressions and their two findings, exactly.
	d = diff(a, bl, ExitFailed)
	want = []string{
		"cookie __Host-sid httpOnly: true -> false REGRESSION",
		"session __Host-sid rotation at login (step 4): yes -> no REGRESSION",
		"finding SESSION-FIXATION new REGRESSION",        // from the rotation lost at login
		"finding COOKIE-HTTPONLY-MISSING new REGRESSION", // from httpOnly: true -> false
	}
	if got := changeLines(d); !reflect.DeepEqual(got, want) {
		t.Errorf("A vs B (lenient):\n got %q\nwant %q", got, want)
	}
	if n := scenarioNotes(d); len(n) != 0 {
		t.Errorf("A vs B (lenient) notes %q", n)
	}
	// The text form has the grep-able line.
	if _, stdout, _ := runCLI(t, "diff", a, bl); !strings.Contains(stdout, "\ncorrect.yaml  cookie __Host-sid  httpOnly: true -> false  REGRESSION\n") {
		t.Errorf("text:\n%s", stdout)
	}
}
