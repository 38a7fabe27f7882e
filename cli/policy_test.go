package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/internal/sariftest"
	"github.com/sessiontrace/sessiontrace/policy"
	"github.com/sessiontrace/sessiontrace/recording"
)

// regressedRecording writes, beside the real recording of correct.test, the
// recording regressed.test would give: the session cookie without HttpOnly,
// and the pre-login ID kept at login (the login response sets it again).
func regressedRecording(t *testing.T, dir string) string {
	t.Helper()
	r, err := readRecording(labRecordings(t, "correct")[0])
	if err != nil {
		t.Fatal(err)
	}
	var login *recording.Step
	for i := range r.Steps {
		if r.Steps[i].As == "login" {
			login = &r.Steps[i]
		}
	}
	before, after := r.Steps[login.Index-1].Jar[0].Value, login.Jar[0].Value
	keep := func(v *recording.Value) {
		if v != nil && v.Same(after) {
			*v = before
		}
	}
	for i := range r.Steps {
		for j := range r.Steps[i].Jar {
			r.Steps[i].Jar[j].HTTPOnly = false
			keep(&r.Steps[i].Jar[j].Value)
		}
	}
	for i := range r.Requests {
		q := &r.Requests[i]
		for j := range q.SetCookies {
			q.SetCookies[j].HTTPOnly = false
			q.SetCookies[j].Attributes = strings.ReplaceAll(q.SetCookies[j].Attributes, "HttpOnly; ", "")
			keep(&q.SetCookies[j].Value)
		}
		for j := range q.CookiesSent {
			keep(&q.CookiesSent[j].Value)
		}
	}
	for i := range r.Events {
		keep(r.Events[i].Value)
	}
	data, err := recording.Encode(r)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "regressed.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type policyFinding struct {
	Rule, Severity, Cookie, Message, Evidence string
	Step                                      int
}

// policyFindings decodes audit's JSON (or findings.json) and returns the
// POLICY-VIOLATION findings.
func policyFindings(t *testing.T, data []byte) []policyFinding {
	t.Helper()
	var rep struct{ Findings []policyFinding }
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	var out []policyFinding
	for _, f := range rep.Findings {
		if f.Rule == policy.RuleID {
			out = append(out, f)
		}
	}
	return out
}

var clauseOf = regexp.MustCompile(`\((\w+): [^)]*\); `)

// clauses lists "clause cookie" of each finding, sorted, checking that each
// message cites the policy file and a line.
func clauses(t *testing.T, fs []policyFinding, file string) []string {
	t.Helper()
	var out []string
	for _, f := range fs {
		if !regexp.MustCompile(`^` + regexp.QuoteMeta(file) + `:\d+: `).MatchString(f.Message) {
			t.Errorf("message does not cite %s:LINE: %s", file, f.Message)
		}
		m := clauseOf.FindStringSubmatch(f.Message)
		if m == nil {
			t.Fatalf("message names no clause: %s", f.Message)
		}
		out = append(out, m[1]+" "+f.Cookie)
	}
	slices.Sort(out)
	return out
}

func TestPolicyInitThenAudit(t *testing.T) {
	dir := t.TempDir()
	good := labRecordings(t, "correct")[0]
	bad := regressedRecording(t, dir)
	pol := filepath.Join(dir, policy.FileName)

	code, stdout, stderr := runCLI(t, "policy", "init", "-o", pol, good)
	if code != ExitOK || !strings.Contains(stdout, "wrote "+pol+": 1 cookie entry from 1 recording") {
		t.Fatalf("init: exit %d\n%s%s", code, stdout, stderr)
	}
	text, _ := os.ReadFile(pol)
	if !strings.Contains(string(text), "  - name: __Host-sid\n") {
		t.Fatalf("baseline:\n%s", text)
	}

	// The baseline passes its own run...
	code, stdout, stderr = runCLI(t, "audit", "--policy", pol, "--format", "json", "--fail-on", "high", good)
	if code != ExitOK || len(policyFindings(t, []byte(stdout))) != 0 {
		t.Fatalf("audit of the baseline run: exit %d\n%s%s", code, stdout, stderr)
	}
	// ... and fails the regressed one on exactly its two regressions.
	code, stdout, stderr = runCLI(t, "audit", "--policy", pol, "--format", "json", "--fail-on", "high", bad)
	if code != ExitFailed {
		t.Fatalf("audit of the regressed run: exit %d, want 1\n%s", code, stderr)
	}
	fs := policyFindings(t, []byte(stdout))
	if got, want := clauses(t, fs, pol), []string{"httpOnly __Host-sid", "rotateAtLogin __Host-sid"}; !slices.Equal(got, want) {
		t.Fatalf("violations %q, want %q", got, want)
	}
	for _, f := range fs {
		if f.Severity != "high" || f.Evidence == "" {
			t.Errorf("%+v", f)
		}
	}

	// Every format carries them.
	for format, want := range map[string]string{
		"text":  "POLICY-VIOLATION  step 0  cookie __Host-sid",
		"junit": "high POLICY-VIOLATION step 4 __Host-sid: " + pol,
		"sarif": `"ruleId": "POLICY-VIOLATION"`,
	} {
		_, out, _ := runCLI(t, "audit", "--policy", pol, "--format", format, "--fail-on", "high", bad)
		if !strings.Contains(out, want) {
			t.Errorf("%s output lacks %q:\n%s", format, want, out)
		}
	}
}

func TestPolicyInitOutput(t *testing.T) {
	dir := t.TempDir()
	good := labRecordings(t, "correct")[0]
	pol := filepath.Join(dir, "p.yaml")
	if code, _, stderr := runCLI(t, "policy", "init", "-o", pol, good); code != ExitOK {
		t.Fatal(stderr)
	}
	os.WriteFile(pol, []byte("# edited by hand\n"), 0o644)
	code, _, stderr := runCLI(t, "policy", "init", "-o", pol, good)
	if code != ExitUsage || !strings.Contains(stderr, pol+" exists; pass --force to overwrite it") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if text, _ := os.ReadFile(pol); string(text) != "# edited by hand\n" {
		t.Fatal("init overwrote an existing file without --force")
	}
	if code, _, stderr := runCLI(t, "policy", "init", "--force", "-o", pol, good); code != ExitOK {
		t.Fatal(stderr)
	}
	code, stdout, _ := runCLI(t, "policy", "init", "-o", "-", good)
	if code != ExitOK || !strings.HasPrefix(stdout, "# sessiontrace cookie policy") {
		t.Fatalf("-o -: exit %d\n%s", code, stdout)
	}
	// A run folder works as well as a recording, and a failed scenario
	// gets a warning.
	run := filepath.Join(dir, "run")
	os.MkdirAll(filepath.Join(run, "recordings"), 0o755)
	r, _ := readRecording(good)
	r.Status = recording.StatusFailed
	data, _ := recording.Encode(r)
	os.WriteFile(filepath.Join(run, "recordings", "correct.json"), data, 0o644)
	ix := recording.Index{Schema: recording.IndexSchema, Tool: "test", Start: r.Start, End: r.End, Status: r.Status,
		Scenarios: []recording.IndexEntry{{Name: r.Scenario.Name, Recording: "recordings/correct.json", Status: r.Status, Start: r.Start, End: r.End}}}
	data, _ = json.Marshal(ix)
	os.WriteFile(filepath.Join(run, "index.json"), data, 0o644)
	code, stdout, stderr = runCLI(t, "policy", "init", "-o", "-", run)
	if code != ExitOK || !strings.Contains(stdout, "name: __Host-sid") || !strings.Contains(stderr, `scenario "Lab: correct session handling" failed`) {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}

const badPolicy = "version: 1\ncookies:\n  - name: __Host-sid\n    httponly: true\n    maxLifetime: 2y\n"

func TestPolicyBadFileIsAUsageError(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(badPolicy), 0o644)
	wantErrs := []string{
		bad + `:4:5: cookie: unknown key "httponly" (did you mean "httpOnly"?)`,
		bad + `:5:18: maxLifetime: expected a duration like 30d, 12h or 15m, got "2y"`,
	}
	// run reports it before it starts the lab or looks for a browser.
	start := time.Now()
	for _, args := range [][]string{
		{"audit", "--policy", bad, labRecordings(t, "correct")[0]},
		{"run", "--lab", "--chrome", "/no/such/chromium", "--policy", bad, "../scenarios/lab/correct.yaml"},
		{"policy", "validate", bad},
	} {
		code, stdout, stderr := runCLI(t, args...)
		if code != ExitUsage || strings.Contains(stdout, "lab:") {
			t.Errorf("%v: exit %d, want 2\n%s%s", args, code, stdout, stderr)
		}
		for _, want := range wantErrs {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: stderr lacks %q:\n%s", args, want, stderr)
			}
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("usage errors took %v: did something start?", d)
	}
	if code, _, stderr := runCLI(t, "audit", "--policy", filepath.Join(dir, "missing.yaml"), labRecordings(t, "correct")[0]); code != ExitUsage ||
		!strings.Contains(stderr, "missing.yaml: no such file or directory") {
		t.Errorf("missing policy: exit %d, %s", code, stderr)
	}
}

func TestPolicyCommandUsage(t *testing.T) {
	good := filepath.Join(t.TempDir(), "good.yaml")
	os.WriteFile(good, []byte("version: 1\nunknownCookies: report\ncookies:\n  - name: SID\n"), 0o644)
	if code, stdout, _ := runCLI(t, "policy", "validate", good); code != ExitOK || !strings.Contains(stdout, "ok  "+good+"  (1 cookie entry, unknown cookies: report)") {
		t.Errorf("validate: %d %s", code, stdout)
	}
	for _, args := range [][]string{{"policy"}, {"policy", "frobnicate"}, {"policy", "init"}, {"policy", "validate"}, {"policy", "init", "--nope", "x"}} {
		if code, _, stderr := runCLI(t, args...); code != ExitUsage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", args, code, stderr)
		}
	}
	if code, stdout, _ := runCLI(t, "policy", "--help"); code != ExitOK || !strings.Contains(stdout, "sessiontrace policy init [flags] RUN...") {
		t.Errorf("policy --help: %d %s", code, stdout)
	}
	if code, stdout, _ := runCLI(t, "policy", "init", "--help"); code != ExitOK || !strings.Contains(stdout, "--force") {
		t.Errorf("policy init --help: %d %s", code, stdout)
	}
	for _, cmd := range []string{"run", "audit"} {
		if code, stdout, _ := runCLI(t, cmd, "--help"); code != ExitOK || !strings.Contains(stdout, "--policy string") {
			t.Errorf("%s --help does not list --policy:\n%s", cmd, stdout)
		}
	}
}

// The acceptance test of issue 6, in real Chromium: the policy written from
// a run of the lab's correct host fails a run of the regressed host (no
// HttpOnly, no new ID at login) on exactly those two clauses, and passes
// its own run.
func TestPolicyBaselineCatchesTheRegressedHost(t *testing.T) {
	dir := t.TempDir()
	runA, runB := filepath.Join(dir, "A"), filepath.Join(dir, "B")
	pol := filepath.Join(dir, policy.FileName)
	if code, stdout, stderr := runCLI(t, "run", "--lab", "-q", "-o", runA, "../scenarios/lab/correct.yaml"); code != ExitOK {
		t.Fatalf("run A: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI(t, "policy", "init", "-o", pol, runA); code != ExitOK {
		t.Fatalf("policy init: exit %d\n%s%s", code, stdout, stderr)
	}

	// correct.yaml against regressed.test. Two of its expectations check
	// exactly what regressed.test breaks; without them the scenario passes,
	// so the exit code below comes from the findings.
	src, err := os.ReadFile("../scenarios/lab/correct.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(src), "${lab.correct}", "${lab.regressed}")
	s = strings.ReplaceAll(s, "httpOnly: true, ", "")
	s = strings.ReplaceAll(s, "session: rotated", "session: present")
	regressed := filepath.Join(dir, "regressed.yaml")
	os.WriteFile(regressed, []byte(s), 0o644)
	junit := filepath.Join(dir, "junit.xml")
	code, stdout, stderr := runCLI(t, "run", "--lab", "-q", "-o", runB, "--policy", pol, "--fail-on", "high", "--junit", junit, regressed)
	if code != ExitFailed {
		t.Fatalf("run B: exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	if ix := rectest.ReadIndex(t, runB); ix.Totals.Passed != 1 {
		t.Fatalf("run B's scenario did not pass: %+v", ix.Scenarios)
	}
	data, err := os.ReadFile(filepath.Join(runB, "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	fs := policyFindings(t, data)
	if got, want := clauses(t, fs, pol), []string{"httpOnly __Host-sid", "rotateAtLogin __Host-sid"}; !slices.Equal(got, want) {
		t.Fatalf("violations %q, want %q:\n%+v", got, want, fs)
	}
	for _, f := range fs {
		if f.Severity != "high" {
			t.Errorf("%+v", f)
		}
	}
	if x, _ := os.ReadFile(junit); !strings.Contains(string(x), "POLICY-VIOLATION") {
		t.Errorf("JUnit lacks the violations:\n%s", x)
	}

	// The baseline passes its own run.
	code, stdout, stderr = runCLI(t, "audit", "--policy", pol, "--format", "json", "--fail-on", "high", runA)
	if code != ExitOK || len(policyFindings(t, []byte(stdout))) != 0 {
		t.Fatalf("audit A: exit %d\n%s%s", code, stdout, stderr)
	}
	// The regressed run also has the analysis' own high findings; at
	// severity critical only the policy's reach --fail-on critical.
	text, _ := os.ReadFile(pol)
	crit := filepath.Join(dir, "critical.yaml")
	os.WriteFile(crit, []byte(strings.Replace(string(text), "\nseverity: high", "\nseverity: critical", 1)), 0o644)
	if code, _, stderr := runCLI(t, "audit", "--fail-on", "critical", runB); code != ExitOK {
		t.Fatalf("audit B without the policy: exit %d, want 0\n%s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "audit", "--policy", crit, "--fail-on", "critical", runB); code != ExitFailed {
		t.Fatalf("audit B with the critical policy: exit %d, want 1\n%s", code, stderr)
	}
}

// A merged run is checked against the policy too, and SARIF points policy
// findings at their own rule.
func TestPolicyMergeAndSARIF(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "shard")
	if err := os.MkdirAll(filepath.Join(run, "recordings"), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(regressedRecording(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(run, "recordings", "correct.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	ix := recording.Index{Schema: recording.IndexSchema, Status: recording.StatusPassed,
		Scenarios: []recording.IndexEntry{{Name: "Lab: correct session handling", Recording: "recordings/correct.json", Status: recording.StatusPassed}},
		Totals:    recording.Totals{Passed: 1}}
	ixData, _ := json.Marshal(ix)
	if err := os.WriteFile(filepath.Join(run, "index.json"), ixData, 0o644); err != nil {
		t.Fatal(err)
	}
	pol := filepath.Join(dir, policy.FileName)
	if code, _, stderr := runCLI(t, "policy", "init", "-o", pol, labRecordings(t, "correct")[0]); code != ExitOK {
		t.Fatal(stderr)
	}

	out := filepath.Join(dir, "merged")
	code, _, stderr := runCLI(t, "merge", "-o", out, "--policy", pol, "--fail-on", "high", run)
	if code != ExitFailed {
		t.Fatalf("merge --policy: exit %d, want 1\n%s", code, stderr)
	}
	findings, err := os.ReadFile(filepath.Join(out, "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := clauses(t, policyFindings(t, findings), pol); !slices.Equal(got, []string{"httpOnly __Host-sid", "rotateAtLogin __Host-sid"}) {
		t.Fatalf("merged findings: %q", got)
	}

	_, sarif, _ := runCLI(t, "audit", "--policy", pol, "--format", "sarif", run)
	seen := 0
	for _, r := range sariftest.Results(t, []byte(sarif)) {
		if r.RuleID == policy.RuleID {
			seen++
		}
	}
	if seen != 2 {
		t.Errorf("%d POLICY-VIOLATION results in SARIF, want 2", seen)
	}
}
