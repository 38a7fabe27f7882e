package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// A cookie name with an escape sequence (the lab's hostile.test sets such
// names) reaches the text report escaped.
func TestAuditTextEscapesControlCharacters(t *testing.T) {
	dir := t.TempDir()
	r, err := readRecording(labRecordings(t, "correct")[0])
	if err != nil {
		t.Fatal(err)
	}
	const evil = "__Host-sid\x1b]0;pwned\x07"
	r.Scenario.Name = "scenario \x1b[2J"
	for i := range r.Requests {
		for j := range r.Requests[i].SetCookies {
			r.Requests[i].SetCookies[j].Name = evil
			r.Requests[i].SetCookies[j].HTTPOnly = false
		}
	}
	p := writeRecording(t, filepath.Join(dir, "evil.json"), r)
	code, stdout, stderr := runCLI(t, "audit", p)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.ContainsAny(stdout, "\x1b\x07") {
		t.Fatalf("raw control characters in the report:\n%q", stdout)
	}
	if !strings.Contains(stdout, `__Host-sid\x1b]0;pwned\a`) || !strings.Contains(stdout, `scenario \x1b[2J`) {
		t.Fatalf("the names are not shown escaped:\n%s", stdout)
	}
}
