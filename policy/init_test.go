package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// roundTrip makes a baseline of recs and checks recs against it: the
// baseline must parse and find nothing.
func roundTrip(t *testing.T, recs ...*recording.Recording) []byte {
	t.Helper()
	out, err := Init(recs, nil, "test run")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(FileName, out)
	if err != nil {
		t.Fatalf("the baseline does not parse: %v\n%s", err, out)
	}
	for _, r := range recs {
		for _, f := range p.Check(r, nil) {
			t.Errorf("%s: the baseline fails its own run: %s (%s)", r.Scenario.Name, f.Message, f.Evidence)
		}
	}
	if t.Failed() {
		t.Logf("baseline:\n%s", out)
	}
	return out
}

func TestInitRoundTripsOnTheLab(t *testing.T) {
	labs := rectest.Lab(t)
	var all []*recording.Recording
	for name, r := range labs {
		t.Run(name, func(t *testing.T) { roundTrip(t, r) })
		all = append(all, r)
	}
	t.Run("all", func(t *testing.T) { roundTrip(t, all...) })
}

func TestInitCorrectHost(t *testing.T) {
	out := string(roundTrip(t, rectest.Lab(t)["correct"]))
	want := `unknownCookies: report  # a cookie no entry names is a violation (allow: ignore them)
cookies:

  # __Host-sid: set 2 times on correct.test; a session ID: declared in the scenario (session.cookies)
  - name: __Host-sid
    required: true          # seen in every recording of the baseline
    secure: true
    httpOnly: true
    sameSite: at-least-lax  # observed: Lax
    session: true           # never given Expires or Max-Age
    hostOnly: true
    prefix: __Host-
    rotateAtLogin: true     # a new value at the login step
    dieAtLogout: true       # gone after the logout step; the logout replay probe found the session ended
`
	if !strings.HasSuffix(out, want) {
		t.Errorf("baseline of correct.test:\n%s\nwant it to end with:\n%s", out, want)
	}
	if !strings.HasPrefix(out, "# sessiontrace cookie policy") || !strings.Contains(out, "from test run, 1 recording:\n#   Lab: correct session handling\n") {
		t.Errorf("header:\n%s", out)
	}
}

// The baseline of a good journey fails a regressed one on exactly the two
// regressions: HttpOnly dropped and no rotation at login.
func TestInitCatchesARegression(t *testing.T) {
	out := roundTrip(t, journey(rectest.SecureAttrs, true, false))
	p, err := Parse(FileName, out)
	if err != nil {
		t.Fatal(err)
	}
	got := broken(t, p, journey("Path=/; Secure; SameSite=Lax", false, false))
	if want := []string{"httpOnly SID 0", "rotateAtLogin SID 1"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q\n%s", got, want, out)
	}
}

func TestInitObservations(t *testing.T) {
	b := rectest.New("mixed", "SID")
	b.Step("goto", "")
	b.Get("https://app.test/").Set("SID", "pre-login-session-id-0001", "Path=/; Secure").
		Set("pref", "dark", "Max-Age=3600; Domain=app.test; SameSite=Strict").
		Set("theme", "a", "SameSite=None; Secure")
	b.Get("https://www.app.test/").Set("pref", "light", "Max-Age=7200; SameSite=Lax; Secure")
	b.Step("submit", "login")
	b.Post("https://app.test/login").SendHeld("SID")
	b.Step("click", "logout")
	b.Get("https://app.test/logout").SendHeld("SID")
	b.Probe(true)
	out := string(roundTrip(t, b.Rec()))
	for _, want := range []string{
		"  - name: SID\n    required: true",
		"    httpOnly: false       # set without HttpOnly; true would require it\n",
		"    rotateAtLogin: false  # the value was kept across 1 of 1 login steps; true would require a new one\n",
		"    dieAtLogout: false    # the value was still held after 1 of 1 logout steps; true would require it gone\n",
		"    # sameSite: set without SameSite (or with an unknown value), which browsers read differently; add a clause once it is set\n",
		"  # pref: set 2 times on app.test, www.app.test\n",
		"    sameSite: at-least-lax  # observed: Strict, Lax\n",
		"    maxLifetime: 2h         # longest seen: 2h\n",
		"    hostOnly: false         # set with a Domain attribute; true would forbid it\n",
		"    sameSite: at-least-none  # observed: None\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("baseline lacks %q", want)
		}
	}
	if strings.Index(out, "name: SID") > strings.Index(out, "name: pref") {
		t.Error("session IDs must come first")
	}
	if t.Failed() {
		t.Log(out)
	}
}

// Names that are not plain YAML, or hold glob characters, still name
// exactly their cookie.
func TestInitOddNames(t *testing.T) {
	b := rectest.New("odd")
	b.Step("goto", "")
	q := b.Get("https://app.test/")
	for _, n := range []string{"a*b", "true", "x:y", "[x]", "#c", "10", "naïve", `back\slash`} {
		q.Set(n, "v", "Path=/")
	}
	out := roundTrip(t, b.Rec())
	p, _ := Parse(FileName, out)
	if len(p.Cookies) != 8 {
		t.Fatalf("%d entries:\n%s", len(p.Cookies), out)
	}
	for _, e := range p.Cookies {
		if e.matches("ab", "app.test") || e.matches("a-b", "app.test") || e.matches("x", "app.test") {
			t.Errorf("entry %q matches another name", e.Name)
		}
	}
}

func TestInitEdges(t *testing.T) {
	if _, err := Init(nil, nil, ""); err == nil {
		t.Error("Init of no recordings must fail")
	}
	b := rectest.New("nothing")
	b.Step("goto", "")
	b.Get("https://app.test/")
	b.Plant("planted", "by-the-scenario")
	out := string(roundTrip(t, b.Rec()))
	if !strings.Contains(out, "cookies: []") || strings.Contains(out, "planted") {
		t.Errorf("a run with no site cookies:\n%s", out)
	}
}
