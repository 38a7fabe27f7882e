package rundiff

import (
	"errors"
	"strings"
	"testing"
)

func TestWriteText(t *testing.T) {
	a := journey(site{})
	b := journey(site{host: "regressed.test", attrs: "Path=/; Secure; SameSite=Lax", keep: true, failAt: "logout"})
	b.Scenario.File = "ci/login.yaml"
	d := diffOf(a, b)
	d.A.Source, d.B.Source = "good-run", "new-run"
	var buf strings.Builder
	if err := d.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want := `A: good-run (1 scenario, passed)
B: new-run (1 scenario, failed)

== login journey (A: login.yaml, B: ci/login.yaml)
login.yaml  status: passed -> failed  REGRESSION
    B: step 2: expectation failed
login.yaml  cookie SID  httpOnly: true -> false  REGRESSION
login.yaml  session SID  rotation at login (step 1): yes -> no  REGRESSION
login.yaml  finding SESSION-FIXATION  SID  new (high, step 1)  REGRESSION
    SID kept the same ID across the login step 1 (submit): whoever planted or learned the ID before is logged in with the user (inferred from cookie values).
login.yaml  finding COOKIE-HTTPONLY-MISSING  SID  new (medium, step 0)  REGRESSION
    The session cookie SID has no HttpOnly: any script in the page, including injected XSS, can read it with document.cookie.

1 of 1 scenarios changed: 5 changes, 5 regressions, 0 improvements
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteTextNoChange(t *testing.T) {
	var buf strings.Builder
	if err := diffOf(journey(site{}), journey(site{})).WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "no changes in 1 scenario\n" {
		t.Errorf("got %q", got)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteTextReportsWriteErrors(t *testing.T) {
	if err := diffOf(journey(site{}), journey(site{keep: true})).WriteText(failWriter{}); err == nil || err.Error() != "disk full" {
		t.Errorf("err = %v", err)
	}
}
