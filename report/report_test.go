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

// A session token's lifecycle and its reset show in the text and HTML
// reports as a cookie session's do, and count among the run's resets.
func TestTokenSessionShows(t *testing.T) {
	const app = "https://app.test"
	b := rectest.New("spa")
	tok := rectest.ID("t1")
	b.Step("submit", "login")
	b.Post(app + "/login")
	b.StorageSet(recording.LocalStorage, app, "access_token", tok)
	b.Fetch(app+"/api/me", 200).Authorization("Bearer", tok)
	b.Auth(recording.AuthIn, "#welcome")
	b.Step("click", "")
	b.StorageClear(recording.LocalStorage, app)
	b.Get(app + "/")
	b.Auth(recording.AuthOut, "#login-form")
	in := inputOf(b.Rec())
	var text, html bytes.Buffer
	if err := Text.Write(&text, in); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"session access_token (access token in localStorage of https://app.test): 1 ID ended cleared",
		"reset step 1: storage-cleared (observed)", "; 1 session reset\n"} {
		if !bytes.Contains(text.Bytes(), []byte(want)) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if err := HTML.Write(&html, in); err != nil || !bytes.Contains(html.Bytes(), []byte("access token in Web Storage")) ||
		!bytes.Contains(html.Bytes(), []byte("storage-cleared")) {
		t.Errorf("html (%v) lacks the token session", err)
	}
}
