package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestTermText(t *testing.T) {
	for in, want := range map[string]string{
		"__Host-sid":                   "__Host-sid",
		"caf\u00e9 \u65e5\u672c":       "caf\u00e9 \u65e5\u672c",
		"a\x1b[2Jb":                    `a\x1b[2Jb`,
		"\x1b]0;pwned\x07":             `\x1b]0;pwned\a`,
		"x\u009by":                     `x\u009by`,
		"x\x9by":                       `x\x9by`,
		"evil\u202etxt.exe":            `evil\u202etxt.exe`,
		"bad\xffutf8":                  `bad\xffutf8`,
		"line\nbreak\tand\rreturn\x00": `line\nbreak\tand\rreturn\x00`,
	} {
		if got := termText(in); got != want {
			t.Errorf("termText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTermWriterKeepsLayout(t *testing.T) {
	var b bytes.Buffer
	termWriter{&b}.Write([]byte("a\tb\x1b[31m\nc\n"))
	if got := b.String(); got != "a\tb\\x1b[31m\nc\n" {
		t.Errorf("%q", got)
	}
}

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
