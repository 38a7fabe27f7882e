package report

import (
	"bytes"
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
		if got := TermText(in); got != want {
			t.Errorf("TermText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTermWriterKeepsLayout(t *testing.T) {
	var b bytes.Buffer
	TermWriter(&b).Write([]byte("a\tb\x1b[31m\nc\n"))
	if got := b.String(); got != "a\tb\\x1b[31m\nc\n" {
		t.Errorf("%q", got)
	}
}
