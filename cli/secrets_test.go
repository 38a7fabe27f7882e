package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/labtest"
	"github.com/sessiontrace/sessiontrace/lab"
	"github.com/sessiontrace/sessiontrace/report"
)

// secretInFailingStep types a secret and then fails on the next step that
// uses it: the failure's message must not carry the value.
const secretInFailingStep = `name: secret in a failing step
target: ${lab.correct}
vars:
  pin: "Zebra-7741-secret-pin"
steps:
  - goto: /login
  - fill: { selector: "#password", value: "${vars.pin}", secret: true }
  - fill: { selector: "#no-such-field", value: "${vars.pin}", secret: true }
    timeout: 1s
`

// Issue 7: after the whole lab suite, no file the run wrote (recordings,
// index, findings, summary, JUnit, inspector), no HAR export, no report of
// audit, diff or policy init, and no line of --verbose output holds a raw
// session value the lab issued or a secret: true value. --reveal-values
// (the control) does store session values, and still no secret.
func TestNoSecretsInAnyOutput(t *testing.T) {
	var labs []*lab.Lab
	labStarted = func(l *lab.Lab) { labs = append(labs, l) }
	t.Cleanup(func() { labStarted = nil })

	dir := t.TempDir()
	failing := filepath.Join(dir, "secret-fail.yaml")
	if err := os.WriteFile(failing, []byte(secretInFailingStep), 0o644); err != nil {
		t.Fatal(err)
	}
	run := filepath.Join(dir, "run")
	var outputs []string // what the commands printed
	cli := func(want int, args ...string) string {
		t.Helper()
		code, stdout, stderr := runCLI(t, args...)
		if code != want {
			t.Fatalf("%s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, stdout, stderr)
		}
		outputs = append(outputs, stdout, stderr)
		return stdout
	}
	// The secret-typing scenario fails: exit 1.
	cli(ExitFailed, "run", "--lab", "-v", "-j", "2", "-o", run, "--junit", filepath.Join(run, "junit.xml"), "../scenarios/lab", failing)
	if len(labs) != 1 {
		t.Fatalf("%d labs started", len(labs))
	}
	values := labs[0].IssuedSessionValues()
	if len(values) < 15 {
		t.Fatalf("the lab issued only %d session values", len(values))
	}
	secrets := append(labtest.Secrets(t, labs[0]), "Zebra-7741-secret-pin")

	recs, err := filepath.Glob(filepath.Join(run, "recordings", "*.json"))
	if err != nil || len(recs) < 16 {
		t.Fatalf("%d recordings (%v)", len(recs), err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "har"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		cli(ExitOK, "export", "--har", "-o", filepath.Join(dir, "har", filepath.Base(r)+".har"), r)
	}
	for _, format := range report.Formats {
		f := format.Name()
		code, stdout, stderr := runCLI(t, "audit", "--format", f, run)
		if code != ExitOK {
			t.Fatalf("audit --format %s: exit %d\n%s", f, code, stderr)
		}
		outputs = append(outputs, stdout, stderr)
	}
	hars, _ := filepath.Glob(filepath.Join(dir, "har", "*.har"))
	cli(ExitOK, append([]string{"audit"}, hars...)...)
	cli(ExitOK, "diff", run, run)
	cli(ExitOK, "policy", "init", "-o", filepath.Join(dir, "policy.yaml"), run)

	files := 0
	check := func(where, text string) {
		for _, v := range values {
			if strings.Contains(text, v) {
				t.Errorf("%s holds a raw session value", where)
				break
			}
		}
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s holds the secret %q", where, s)
			}
		}
	}
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || p == failing {
			return err
		}
		data, err := os.ReadFile(p)
		files++
		check(p, string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range outputs {
		check("command output "+string(rune('A'+i%26)), o)
	}
	if files < 40 {
		t.Fatalf("only %d files searched", files)
	}
	joined := strings.Join(outputs, "\n")
	if !strings.Contains(joined, "secret in a failing step") || !strings.Contains(joined, "#no-such-field") {
		t.Fatalf("the failing step was not reported:\n%s", joined)
	}

	// The control: with --reveal-values the session values are stored (so
	// the search above can find them), secrets are not.
	revealed := filepath.Join(dir, "revealed")
	cli(ExitOK, "run", "--lab", "--reveal-values", "-q", "-o", revealed, "../scenarios/lab/correct.yaml")
	data, err := os.ReadFile(filepath.Join(revealed, "recordings", "correct.json"))
	if err != nil {
		matches, _ := filepath.Glob(filepath.Join(revealed, "recordings", "*.json"))
		if len(matches) != 1 {
			t.Fatal(err)
		}
		data, _ = os.ReadFile(matches[0])
	}
	found := false
	for _, v := range labs[1].IssuedSessionValues() {
		found = found || strings.Contains(string(data), v)
	}
	if !found {
		t.Error("--reveal-values: no issued session value in the recording (the search would find nothing anyway)")
	}
	for _, s := range labtest.Secrets(t, labs[1]) {
		if strings.Contains(string(data), s) {
			t.Errorf("--reveal-values stored the secret %q", s)
		}
	}
}
