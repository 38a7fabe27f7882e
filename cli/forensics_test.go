package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// -q prints no report, but still names each scenario that did not pass,
// where its step is in the YAML, and what to do.
func TestQuietNamesWhatBroke(t *testing.T) {
	dir := t.TempDir()
	sc := writeScenario(t, dir, "bad.yaml", "name: bad target\ntarget: https://nowhere.test:8443\nsteps:\n  - goto: /\n")
	code, stdout, stderr := runCLI(t, "run", "-q", "--host-map", "nowhere.test=~NOTFOUND", "-o", filepath.Join(dir, "run"), sc)
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	want := "ERROR  bad target: " + sc + ":4:5: step 0 (goto /): net::ERR_NAME_NOT_RESOLVED loading https://nowhere.test:8443/ (nowhere.test is a reserved test name that no DNS resolves: map it with --host-map 'nowhere.test=127.0.0.1'"
	if !strings.Contains(stdout, want) {
		t.Fatalf("stdout:\n%s\nwant a line with:\n%s", stdout, want)
	}
}
