package cli

import (
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/lab"
	"github.com/sessiontrace/sessiontrace/recording"
)

// ${lab...} without --lab or --lab-ports is a usage error before anything
// runs, at the reference, saying which flags give it a value.
func TestLabVariablesNeedTheLab(t *testing.T) {
	code, _, stderr := runCLI(t, "run", "-o", t.TempDir(), "../scenarios/lab/correct.yaml")
	if code != ExitUsage || !strings.HasPrefix(stderr, "sessiontrace run: ../scenarios/lab/correct.yaml:") ||
		!strings.Contains(stderr, "${lab.correct} needs the lab's URLs: run with --lab") || !strings.Contains(stderr, "--lab-ports") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, c := range []struct{ args, want string }{
		{"--lab-ports 8443", `--lab-ports "8443": want the lab's HTTPS and HTTP ports`},
		{"--lab-ports 8443,x", `--lab-ports "8443,x"`},
		{"--lab --lab-ports 8443,8080", "--lab-ports is for a lab started by hand"},
	} {
		code, _, stderr := runCLI(t, append(append([]string{"run"}, strings.Fields(c.args)...), "../scenarios/lab/correct.yaml")...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q", c.args, code, stderr)
		}
	}
}

// The command line the lab prints (and lab --help shows) runs a lab
// scenario in Chromium against a lab started by hand.
func TestRunAgainstALabStartedByHand(t *testing.T) {
	l, err := lab.Start(lab.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	line := labRunCommand(l)
	if _, out, _ := runCLI(t, "lab", "--help"); !strings.Contains(out, "--host-map '*.test=127.0.0.1' --insecure-certs --lab-ports 8443,8080") {
		t.Errorf("lab --help does not show the run flags:\n%s", out)
	}
	args := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(line, "sessiontrace "), " [PATH...]"))
	for i, a := range args {
		args[i] = strings.Trim(a, "'")
	}
	out := t.TempDir()
	args = append(args, "-q", "-o", out, "../scenarios/lab/correct.yaml")
	code, stdout, stderr := runCLI(t, args...)
	if code != ExitOK {
		t.Fatalf("%q: exit %d\n%s%s", args, code, stdout, stderr)
	}
	ix := rectest.ReadIndex(t, out)
	if len(ix.Scenarios) != 1 || ix.Scenarios[0].Status != recording.StatusPassed {
		t.Fatalf("index %+v", ix.Scenarios)
	}
	if r := readRec(t, out, ix.Scenarios[0].Recording); r.Probe == nil || r.Probe.LoggedIn || r.Probe.Error != "" {
		t.Errorf("the logout probe against the lab: %+v", r.Probe)
	}
}
