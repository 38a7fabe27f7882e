package cli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/sariftest"
)

// labRecordings are real recordings of the lab suite, kept as fixtures by
// the analysis package.
func labRecordings(t *testing.T, names ...string) []string {
	t.Helper()
	var out []string
	for _, n := range names {
		p := filepath.Join("..", "analysis", "testdata", "lab", n+".json")
		if _, err := os.Stat(p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestAuditJSONShape(t *testing.T) {
	code, stdout, stderr := runCLI(t, append([]string{"audit", "--format", "json"}, labRecordings(t, "fixation", "cluster", "correct")...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Findings []map[string]any `json:"findings"`
		Sessions []struct {
			Scenario string           `json:"scenario"`
			Cookie   string           `json:"cookie"`
			IDs      []map[string]any `json:"ids"`
			Resets   []map[string]any `json:"resets"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	var fixation, nodeSwitch bool
	for _, f := range rep.Findings {
		for _, k := range []string{"rule", "severity", "scenario", "step", "message"} {
			if _, ok := f[k]; !ok {
				t.Fatalf("finding lacks %q: %v", k, f)
			}
		}
		fixation = fixation || f["rule"] == "SESSION-FIXATION"
	}
	for _, s := range rep.Sessions {
		for _, id := range s.IDs {
			for _, k := range []string{"fingerprint", "firstStep", "lastStep", "ended"} {
				if _, ok := id[k]; !ok {
					t.Fatalf("id lacks %q: %v", k, id)
				}
			}
		}
		for _, r := range s.Resets {
			nodeSwitch = nodeSwitch || r["cause"] == "node-switch"
			for _, k := range []string{"step", "cause", "detail"} {
				if _, ok := r[k]; !ok {
					t.Fatalf("reset lacks %q: %v", k, r)
				}
			}
		}
	}
	if !fixation || !nodeSwitch {
		t.Fatalf("want SESSION-FIXATION and a node-switch reset (fixation=%v nodeSwitch=%v)", fixation, nodeSwitch)
	}
}

func TestAuditFailOn(t *testing.T) {
	correct := labRecordings(t, "correct")
	if code, _, stderr := runCLI(t, append([]string{"audit", "--fail-on", "low"}, correct...)...); code != ExitOK {
		t.Fatalf("the correct app must pass --fail-on low: exit %d %s", code, stderr)
	}
	fix := labRecordings(t, "fixation")
	if code, _, _ := runCLI(t, append([]string{"audit", "--fail-on", "high"}, fix...)...); code != ExitFailed {
		t.Fatalf("fixation must fail --fail-on high: exit %d", code)
	}
	if code, _, _ := runCLI(t, append([]string{"audit", "--fail-on", "critical"}, fix...)...); code != ExitOK {
		t.Fatalf("fixation has nothing critical: exit %d", code)
	}
	if code, _, stderr := runCLI(t, append([]string{"audit", "--fail-on", "severe"}, fix...)...); code != ExitUsage || !strings.Contains(stderr, "unknown severity") {
		t.Fatalf("bad severity: exit %d %q", code, stderr)
	}
}

func TestAuditTextIsPlainWhenPiped(t *testing.T) {
	code, stdout, _ := runCLI(t, append([]string{"audit"}, labRecordings(t, "mixed", "correct")...)...)
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(stdout, "\x1b[") {
		t.Fatal("colour codes in piped output")
	}
	mixed := strings.Index(stdout, "Lab: a plain http link")
	correct := strings.Index(stdout, "Lab: correct session handling")
	if mixed < 0 || correct < 0 || mixed > correct {
		t.Fatalf("scenarios not grouped worst first:\n%s", stdout)
	}
	if !strings.Contains(stdout, "secure-over-http") {
		t.Fatalf("the reset cause is not shown:\n%s", stdout)
	}
}

func TestAuditBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"schema\": \"sessiontrace.recording/v1\",\n  \"steps\": [1,\n"), 0o644)
	code, _, stderr := runCLI(t, "audit", bad)
	if code != ExitUsage || !strings.Contains(stderr, "bad.json:4:1:") {
		t.Fatalf("exit %d, stderr %q; want 2 with file:line:col", code, stderr)
	}
	if code, _, _ := runCLI(t, "audit", "--format", "xml", bad); code != ExitUsage {
		t.Fatalf("bad format: exit %d", code)
	}
}

func TestAuditJUnit(t *testing.T) {
	code, stdout, _ := runCLI(t, append([]string{"audit", "--format", "junit", "--fail-on", "high"}, labRecordings(t, "fixation", "correct")...)...)
	if code != ExitFailed {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Suites []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	cases := doc.Suites[0].Cases
	if len(cases) != 2 || cases[0].Failure == nil || cases[1].Failure != nil {
		t.Fatalf("want fixation failed and correct passed: %+v", cases)
	}
}

// The SARIF output validates against the official SARIF 2.1.0 schema
// (checked with ajv; make test installs it from the npm registry).
func TestAuditSARIFValidatesAgainstSchema(t *testing.T) {
	if _, err := os.Stat("../tools/validate/node_modules/ajv-draft-04"); err != nil {
		t.Fatal("the schema validator is not installed: run make node-tools (make test does)")
	}
	out := filepath.Join(t.TempDir(), "a.sarif")
	all, _ := filepath.Glob("../analysis/testdata/lab/*.json")
	code, _, stderr := runCLI(t, append([]string{"audit", "--format", "sarif", "-o", out}, all...)...)
	if code != ExitOK {
		t.Fatalf("exit %d %s", code, stderr)
	}
	res, err := exec.Command("node", "../tools/validate/validate.js", "sarif", out).CombinedOutput()
	if err != nil {
		t.Fatalf("SARIF invalid: %v\n%s", err, res)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(sariftest.Results(t, data)) == 0 {
		t.Fatal("SARIF has no results")
	}
}

func TestAuditRefusesOversizedInput(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	data, err := os.ReadFile(labRecordings(t, "correct")[0])
	if err != nil {
		t.Fatal(err)
	}
	// Pad a real recording past one MiB with insignificant whitespace.
	data = append(data, []byte(strings.Repeat(" ", 2<<20))...)
	os.WriteFile(big, data, 0o644)
	code, _, stderr := runCLI(t, "audit", "--max-size", "1", big)
	if code != ExitUsage || !strings.Contains(stderr, "over the size limit of 1 MiB") {
		t.Fatalf("exit %d %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "audit", "--max-size", "8", big); code != ExitOK {
		t.Fatalf("under the limit: exit %d %s", code, stderr)
	}
	// A limit that would refuse every file is a usage error, in every
	// command that takes one (maxSizeFlag).
	for _, cmd := range [][]string{{"audit"}, {"policy", "init", "-o", "-"}, {"diff", big}, {"report"}} {
		for _, n := range []string{"0", "-1", "x", "9000000000000000"} {
			args := append(append([]string{}, cmd...), "--max-size", n, big)
			if code, _, stderr := runCLI(t, args...); code != ExitUsage || !strings.Contains(stderr, `for "--max-size" flag: want `) {
				t.Errorf("%q: exit %d %q", args, code, stderr)
			}
		}
	}
}
