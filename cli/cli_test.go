package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: os.Getenv, lookupEnv: os.LookupEnv}
	code = mainEnv(e, args)
	return code, out.String(), errb.String()
}

func TestValidateBrokenFile(t *testing.T) {
	code, _, stderr := runCLI(t, "validate", "../scenarios/testdata/broken.yaml", "../scenarios/testdata/valid.yaml")
	if code != ExitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, want := range []string{
		"broken.yaml:3:9: target: expected an absolute http or https URL",
		"broken.yaml:9:5: step: unknown key \"goot\" (did you mean \"goto\"?)",
		"broken.yaml:12:11: wait: expected a duration",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if lines := strings.Count(stderr, "broken.yaml:"); lines < 10 {
		t.Errorf("want every error of the file reported, got %d lines", lines)
	}
}

func TestValidateGoodFiles(t *testing.T) {
	code, stdout, stderr := runCLI(t, "validate", "../scenarios/lab")
	if code != ExitOK || !strings.Contains(stdout, "ok  ../scenarios/lab/correct.yaml") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	cases := [][]string{
		{},
		{"frobnicate"},
		{"validate"},
		{"validate", "/no/such/file.yaml"},
		{"run"},
		{"run", "--host-map", "nonsense", "../scenarios/lab/correct.yaml"},
		{"run", "--no-such-flag"},
	}
	for _, args := range cases {
		if code, _, stderr := runCLI(t, args...); code != ExitUsage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", args, code, stderr)
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	if code, out, _ := runCLI(t, "--help"); code != 0 || !strings.Contains(out, "sessiontrace run") {
		t.Fatalf("help: %d %q", code, out)
	}
	if code, out, _ := runCLI(t, "run", "--help"); code != 0 || !strings.Contains(out, "--reveal-values") {
		t.Fatalf("run help: %d %q", code, out)
	}
	// A command's help goes to standard output, once.
	for _, cmd := range [][]string{{"run"}, {"audit"}, {"diff"}, {"policy", "init"}, {"export"}, {"serve"}} {
		code, out, errOut := runCLI(t, append(cmd, "--help")...)
		if code != 0 || strings.Count(out, "Usage: sessiontrace ") != 1 || errOut != "" {
			t.Errorf("%v --help: exit %d, %d usages on stdout, stderr %q", cmd, code, strings.Count(out, "Usage: sessiontrace "), errOut)
		}
	}
	if code, out, _ := runCLI(t, "version"); code != 0 || !strings.Contains(out, Version) {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestHostRules(t *testing.T) {
	got, err := hostRules([]string{"*.test=127.0.0.1", "api.example=10.0.0.2"})
	if err != nil || got != "MAP *.test 127.0.0.1, MAP api.example 10.0.0.2, EXCLUDE localhost" {
		t.Fatalf("%q %v", got, err)
	}
}

func TestEmbeddedLabSuite(t *testing.T) {
	list, err := loadScenarios(nil)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../scenarios/lab/*.yaml")
	if len(list) != len(files) || len(list) == 0 {
		t.Fatalf("embedded suite has %d scenarios, folder %d", len(list), len(files))
	}
}

// run --lab end to end in real Chromium: exit 0 for a passing scenario, 1
// for a failing one, and the recordings are written either way.
func TestRunExitCodes(t *testing.T) {
	dir := t.TempDir()
	failing := filepath.Join(dir, "failing.yaml")
	os.WriteFile(failing, []byte("name: wrong expectation\ntarget: ${lab.correct}\nsteps:\n  - goto: /login\n  - expect:\n      text: { selector: \"h1\", contains: \"no such text\" }\n"), 0o644)
	out := filepath.Join(dir, "report")
	code, stdout, stderr := runCLI(t, "run", "--lab", "-o", out, "../scenarios/lab/correct.yaml", failing)
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "PASS  Lab: correct session handling") || !strings.Contains(stdout, "FAIL  wrong expectation") {
		t.Errorf("progress lines missing:\n%s", stdout)
	}
	ix := rectest.ReadIndex(t, out)
	if ix.Totals.Passed != 1 || ix.Totals.Failed != 1 {
		t.Fatalf("totals %+v", ix.Totals)
	}
	for _, e := range ix.Scenarios {
		b, err := os.ReadFile(filepath.Join(out, e.Recording))
		if err != nil {
			t.Fatal(err)
		}
		r, err := recording.Decode(e.Recording, b)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != e.Status {
			t.Errorf("%s: recording says %s, index %s", e.Name, r.Status, e.Status)
		}
		if e.Status == recording.StatusFailed && !strings.Contains(r.Error, "no such text") {
			t.Errorf("failed recording does not say why: %q", r.Error)
		}
	}
	code, _, _ = runCLI(t, "run", "--lab", "-q", "-o", filepath.Join(dir, "r2"), "../scenarios/lab/correct.yaml")
	if code != ExitOK {
		t.Fatalf("passing run: exit %d", code)
	}
}
