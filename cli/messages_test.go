package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every error and warning a command prints starts with its name, so the
// output of a script or a CI job says who spoke; validate and policy
// validate list the problems of files as file:line:col (for editors) and
// end with their count after the name.
func TestErrorsStartWithTheCommand(t *testing.T) {
	dir := t.TempDir()
	scenario := scenarioFiles(t, dir, "a")[0]
	broken := filepath.Join(dir, "broken.yaml")
	os.WriteFile(broken, []byte("name: b\ntarget: https://a.test\nsteps:\n  - wait: 2\n"), 0o644)
	badPolicy := filepath.Join(dir, "p.yaml")
	os.WriteFile(badPolicy, []byte("version: 1\ncookies:\n  - name: SID\n    secure: maybe\n"), 0o644)
	empty := filepath.Join(dir, "empty")
	os.MkdirAll(empty, 0o755)
	for _, c := range []struct {
		args []string
		cmd  string
	}{
		{[]string{"audit", scenario}, "audit"},
		{[]string{"audit", empty}, "audit"},
		{[]string{"audit", filepath.Join(dir, "missing.json")}, "audit"},
		{[]string{"audit", "--policy", badPolicy, empty}, "audit"},
		{[]string{"run", broken}, "run"},
		{[]string{"run", filepath.Join(dir, "missing.yaml")}, "run"},
		{[]string{"run", "--policy", badPolicy, scenario}, "run"},
		{[]string{"diff", scenario, scenario}, "diff"},
		{[]string{"export", "--har", scenario}, "export"},
		{[]string{"policy", "init", empty}, "policy init"},
		{[]string{"validate", filepath.Join(dir, "missing.yaml")}, "validate"},
		{[]string{"merge", "-o", filepath.Join(dir, "m"), empty}, "merge"},
		{[]string{"serve", filepath.Join(dir, "missing")}, "serve"},
		{[]string{"lab", "--latency", "2"}, "lab"},
		{[]string{"version", "extra"}, "version"},
	} {
		code, _, stderr := runCLI(t, c.args...)
		if code != ExitUsage || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 with a message", c.args, code, stderr)
			continue
		}
		for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
			if !strings.HasPrefix(line, "sessiontrace "+c.cmd+": ") {
				t.Errorf("%q: a line does not start with %q: %q", c.args, "sessiontrace "+c.cmd+": ", line)
			}
		}
	}
	code, _, stderr := runCLI(t, "validate", broken)
	if want := broken + ":4:11: wait: expected a duration like 2s or 500ms, got \"2\" (did you mean \"2s\"?)\nsessiontrace validate: 1 error\n"; code != ExitUsage || stderr != want {
		t.Errorf("validate: exit %d\n got %q\nwant %q", code, stderr, want)
	}
	code, _, stderr = runCLI(t, "policy", "validate", badPolicy)
	if !strings.HasPrefix(stderr, badPolicy+":4:13: ") || !strings.HasSuffix(stderr, "\nsessiontrace policy validate: 1 error\n") || code != ExitUsage {
		t.Errorf("policy validate: exit %d, stderr %q", code, stderr)
	}
}

// audit points the right way: a scenario file is to be run first; a
// folder without index.json says where it looked and offers the
// recordings in it.
func TestAuditSaysWhatToGiveInstead(t *testing.T) {
	dir := t.TempDir()
	scenario := scenarioFiles(t, dir, "login")[0]
	_, _, stderr := runCLI(t, "audit", scenario)
	if want := "sessiontrace audit: " + scenario + ": this is a scenario file, not a recording: run it first (sessiontrace run -o DIR " + scenario + "), then give the run folder DIR\n"; stderr != want {
		t.Errorf("a scenario:\n got %q\nwant %q", stderr, want)
	}
	// A run folder whose index.json was lost: its recordings are offered.
	out := filepath.Join(dir, "report")
	if code, _, stderr := runCLI(t, "run", "-q", "--browser-url", refusedBrowser(t), "-o", out, scenario); code != ExitFailed {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	os.Remove(filepath.Join(out, "index.json"))
	code, _, stderr := runCLI(t, "audit", out)
	if code != ExitUsage || !strings.Contains(stderr, "looked for "+filepath.Join(out, "index.json")) ||
		!strings.HasSuffix(stderr, "give them: "+filepath.Join(out, "recordings", "*.json")+"\n") {
		t.Errorf("no index.json: exit %d, stderr %q", code, stderr)
	}
	// The offer works.
	files, _ := filepath.Glob(filepath.Join(out, "recordings", "*.json"))
	if code, stdout, stderr := runCLI(t, append([]string{"audit"}, files...)...); code != ExitOK || !strings.Contains(stdout, "findings in 1 scenario:") {
		t.Errorf("audit of the offered files: exit %d\n%s%s", code, stdout, stderr)
	}
	empty := filepath.Join(dir, "empty")
	os.MkdirAll(empty, 0o755)
	if _, _, stderr := runCLI(t, "audit", empty); !strings.Contains(stderr, "it holds no recording or HAR file") {
		t.Errorf("an empty folder: %q", stderr)
	}
}

// Unknown flags and commands get a did-you-mean, from the same
// suggestions as the keys of scenario files.
func TestDidYouMean(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--tiemout", "3s"}, "sessiontrace run: unknown flag: --tiemout (did you mean --timeout?)\n"},
		{[]string{"run", "-timeout", "3s"}, "sessiontrace run: unknown shorthand flag: 't' in -timeout (did you mean --timeout? long flags take two dashes)\n"},
		{[]string{"audit", "--fromat", "json"}, "sessiontrace audit: unknown flag: --fromat (did you mean --format?)\n"},
		{[]string{"serve", "--prot", "1"}, "sessiontrace serve: unknown flag: --prot (did you mean --port?)\n"},
		{[]string{"run", "--zzzzzz"}, "sessiontrace run: unknown flag: --zzzzzz\n"},
		{[]string{"policy", "inti"}, `sessiontrace policy: unknown subcommand "inti" (want init or validate) (did you mean "init"?)`},
		{[]string{"rn"}, `sessiontrace: unknown command "rn" (did you mean "run"?)`},
		{[]string{"run", "--timeout", "99999999h"}, `sessiontrace run: invalid argument "99999999h" for "--timeout" flag: "99999999h" is too large: at most 24h` + "\n"},
	} {
		code, _, stderr := runCLI(t, c.args...)
		if got := stderr; code != ExitUsage || (strings.HasSuffix(c.want, "\n") && got != c.want) || !strings.HasPrefix(got, strings.TrimSuffix(c.want, "\n")) {
			t.Errorf("%q: exit %d\n got %q\nwant %q", c.args, code, got, c.want)
		}
	}
}

// --help prints no section without content, for every command.
func TestHelpHasNoEmptySection(t *testing.T) {
	heading := regexp.MustCompile(`(?m)^[A-Z][A-Za-z ]*:\n(\n|$)`)
	for _, args := range [][]string{{"--help"}, {"run", "--help"}, {"audit", "--help"}, {"serve", "--help"}, {"merge", "--help"},
		{"diff", "--help"}, {"policy", "--help"}, {"policy", "init", "--help"}, {"policy", "validate", "--help"}, {"export", "--help"},
		{"validate", "--help"}, {"lab", "--help"}, {"version", "--help"}} {
		code, out, stderr := runCLI(t, args...)
		if code != ExitOK || out == "" || stderr != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, stderr)
		}
		if m := heading.FindString(out); m != "" {
			t.Errorf("%q prints an empty section %q:\n%s", args, strings.TrimSpace(m), out)
		}
	}
}

// Counts read right: 1 scenario, 1 error, 1 step.
func TestPlurals(t *testing.T) {
	dir := t.TempDir()
	files := scenarioFiles(t, dir, "one")
	code, stdout, _ := runCLI(t, "run", "--browser-url", refusedBrowser(t), "-o", filepath.Join(dir, "out"), files[0])
	if code != ExitFailed || !strings.Contains(stdout, "\n1 scenario: 0 passed") || !strings.Contains(stdout, "findings in 1 scenario: ") {
		t.Errorf("run: exit %d\n%s", code, stdout)
	}
	if _, stdout, _ := runCLI(t, "validate", files[0]); !strings.Contains(stdout, "(one, 1 step)") {
		t.Errorf("validate: %q", stdout)
	}
	if _, stdout, _ := runCLI(t, "merge", "-o", filepath.Join(dir, "m"), filepath.Join(dir, "out")); !strings.HasPrefix(stdout, "merged 1 run folder: 1 scenario: ") || !strings.Contains(stdout, "; 0 findings") {
		t.Errorf("merge: %q", stdout)
	}
}
