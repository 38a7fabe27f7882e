package report

import (
	"bytes"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// Every format is found by its name, listed in help, and writes a report
// of nothing (the commands' tests hold their output byte for byte).
func TestFormats(t *testing.T) {
	if got := Names(); got != "text, json, junit, sarif or html" {
		t.Errorf("Names() = %q", got)
	}
	if _, ok := Lookup("xml"); ok {
		t.Error("Lookup(xml) found a format")
	}
	for _, f := range Formats {
		g, ok := Lookup(f.Name())
		if !ok || g != f {
			t.Errorf("Lookup(%s) = %v, %v", f.Name(), g, ok)
		}
		var b bytes.Buffer
		if err := f.Write(&b, &Input{Report: &analysis.Report{}, Threshold: analysis.High}); err != nil || b.Len() == 0 {
			t.Errorf("%s: %v, %d bytes", f.Name(), err, b.Len())
		}
	}
	var b bytes.Buffer
	Text.Write(&b, &Input{Report: &analysis.Report{}, Threshold: analysis.High})
	if want := "findings in 0 scenarios: 0 (0 critical, 0 high, 0 medium, 0 low, 0 info); 0 session resets\n0 findings at or above high\n"; b.String() != want {
		t.Errorf("text of nothing: %q", b.String())
	}
}

// A finding on a Web Storage item names it where a cookie finding names
// the cookie: the text's header line, SARIF's properties.
func TestStorageFindingNamesItsItem(t *testing.T) {
	b := rectest.New("spa")
	b.Step("goto", "")
	b.Get("https://app.test/")
	b.StorageSet(recording.LocalStorage, "https://app.test", "oidc.user:spa", "{}", b.Fields("access_token", rectest.JWT("at"))...)
	in := inputOf(b.Rec())
	var text, sarif bytes.Buffer
	if err := Text.Write(&text, in); err != nil || !bytes.Contains(text.Bytes(), []byte("SESSION-TOKEN-IN-STORAGE  step 0  localStorage oidc.user:spa\n")) {
		t.Errorf("text (%v):\n%s", err, text.String())
	}
	if err := SARIF.Write(&sarif, in); err != nil || !bytes.Contains(sarif.Bytes(), []byte(`"storageKey": "oidc.user:spa"`)) ||
		!bytes.Contains(sarif.Bytes(), []byte(`"storageField": "access_token"`)) {
		t.Errorf("sarif (%v):\n%s", err, sarif.String())
	}
}
