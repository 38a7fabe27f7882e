package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/internal/yamlfile/yamlfiletest"
	"github.com/sessiontrace/sessiontrace/recording"
)

func mustParse(t *testing.T, src string) *Policy {
	t.Helper()
	return yamlfiletest.MustParse(t, Parse, "p.yaml", src)
}

var clauseRe = regexp.MustCompile(`\((\w+): [^)]*\); `)

// broken lists the violations of rec as "clause cookie step", sorted.
func broken(t *testing.T, p *Policy, rec *recording.Recording) []string {
	t.Helper()
	var out []string
	for _, f := range p.Check(rec, nil) {
		if f.Rule != RuleID || f.Scenario != rec.Scenario.Name || f.Count < 1 {
			t.Errorf("malformed finding %+v", f)
		}
		m := clauseRe.FindStringSubmatch(f.Message)
		if m == nil {
			t.Fatalf("message names no clause: %s", f.Message)
		}
		out = append(out, fmt.Sprintf("%s %s %d", m[1], f.Cookie, f.Step))
	}
	slices.Sort(out)
	return out
}

func TestCheckClauses(t *testing.T) {
	const head = "version: 1\ncookies:\n"
	lax := journey(rectest.SecureAttrs, true, false)
	tests := []struct {
		name   string
		policy string
		rec    *recording.Recording
		want   []string
	}{
		{"all kept", `
  - name: SID
    required: true
    secure: true
    httpOnly: true
    sameSite: at-least-lax
    session: true
    hostOnly: true
    rotateAtLogin: true
    dieAtLogout: true`, lax, nil},
		{"flags missing", `
  - name: SID
    secure: true
    httpOnly: true`, journey("Path=/; SameSite=Lax", true, false),
			[]string{"httpOnly SID 0", "secure SID 0"}},
		{"samesite at least strict", `
  - { name: SID, sameSite: at-least-strict }`, lax, []string{"sameSite SID 0"}},
		{"samesite exact lax", `
  - { name: SID, sameSite: lax }`, lax, nil},
		{"samesite none below lax", `
  - { name: SID, sameSite: at-least-lax }`, journey("Path=/; Secure; SameSite=None", true, false), []string{"sameSite SID 0"}},
		{"samesite unset below none", `
  - { name: SID, sameSite: at-least-none }`, journey("Path=/; Secure", true, false), []string{"sameSite SID 0"}},
		{"samesite invalid is unset", `
  - { name: SID, sameSite: at-least-none }`, journey("Path=/; Secure; SameSite=bogus", true, false), []string{"sameSite SID 0"}},
		{"session but persistent", `
  - { name: SID, session: true }`, journey("Path=/; Max-Age=3600", true, false), []string{"session SID 0"}},
		{"max lifetime kept", `
  - { name: SID, maxLifetime: 1h }`, journey("Path=/; Max-Age=3600", true, false), nil},
		{"max lifetime exceeded", `
  - { name: SID, maxLifetime: 59m }`, journey("Path=/; Max-Age=3600", true, false), []string{"maxLifetime SID 0"}},
		{"max lifetime and session cookies", `
  - { name: SID, maxLifetime: 1m }`, lax, nil},
		{"host only", `
  - { name: SID, hostOnly: true }`, journey("Path=/; Domain=app.test", true, false), []string{"hostOnly SID 0"}},
		{"prefix", `
  - { name: "S*", prefix: __Host- }`, lax, []string{"prefix SID 0"}},
		{"forbidden", `
  - { name: "S?D", forbidden: true }`, lax, []string{"forbidden SID 0"}},
		{"required but absent", `
  - { name: other, required: true }`, lax, []string{"required other 2"}},
		{"no rotation at login", `
  - { name: SID, rotateAtLogin: true }`, journey(rectest.SecureAttrs, false, false), []string{"rotateAtLogin SID 1"}},
		{"session alive on the server after logout", `
  - { name: SID, dieAtLogout: true }`, journey(rectest.SecureAttrs, true, true), []string{"dieAtLogout SID 2"}},
		{"false clauses require nothing", `
  - { name: SID, secure: false, httpOnly: false, rotateAtLogin: false, dieAtLogout: false }`, journey("Path=/", false, true), nil},
		{"domain glob skips other hosts", `
  - { name: SID, domain: "*.example.com", httpOnly: true }`, journey("Path=/", true, false), nil},
		{"domain glob matches", `
  - { name: SID, domain: "app.*", httpOnly: true }`, journey("Path=/", true, false), []string{"httpOnly SID 0"}},
		{"scenario glob skips other scenarios", `
  - { name: SID, scenarios: [checkout*], httpOnly: true }`, journey("Path=/", true, false), nil},
		{"scenario glob matches", `
  - { name: SID, scenarios: ["jour*"], httpOnly: true }`, journey("Path=/", true, false), []string{"httpOnly SID 0"}},
		{"every matching entry applies", `
  - { name: SID, secure: true }
  - { name: "*", httpOnly: true }`, journey("Path=/", true, false), []string{"httpOnly SID 0", "secure SID 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := broken(t, mustParse(t, head+strings.TrimPrefix(tt.policy, "\n")+"\n"), tt.rec)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The message names the file, the clause's line, the clause and the step;
// the finding points at the request, counts later occurrences, and carries
// the severity the entry or the policy sets.
func TestCheckFinding(t *testing.T) {
	src := `version: 1
severity: medium
cookies:
  - name: SID
    severity: critical
    note: SEC-42
    httpOnly: true
  - name: SID
    secure: true
`
	p, err := Parse("sessiontrace.policy.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs := p.Check(journey("Path=/; SameSite=Lax", true, false), nil)
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(fs), fs)
	}
	f := fs[0]
	if f.Severity != analysis.Critical || fs[1].Severity != analysis.Medium {
		t.Errorf("severities %s, %s; want critical (the entry's), medium (the policy's)", f.Severity, fs[1].Severity)
	}
	want := "sessiontrace.policy.yaml:7: SID must be HttpOnly (httpOnly: true); it was set without HttpOnly at step 0"
	if f.Message != want {
		t.Errorf("message\n got %s\nwant %s", f.Message, want)
	}
	if f.Request != "R1" || f.URL != "https://app.test/login" || f.Domain != "app.test" || f.Path != "/" || f.File != "journey.yaml" {
		t.Errorf("where: %+v", f)
	}
	if f.Count != 2 || !strings.Contains(f.Evidence, "Set-Cookie: SID=…; Path=/; SameSite=Lax (GET https://app.test/login)") ||
		!strings.Contains(f.Evidence, "SEC-42") || !strings.Contains(f.Evidence, "the others at step 1") {
		t.Errorf("count %d, evidence %q", f.Count, f.Evidence)
	}
	if f.Remediation == "" {
		t.Error("no remediation")
	}
}

func TestCheckJourneyMessages(t *testing.T) {
	p := mustParse(t, "version: 1\ncookies:\n  - name: SID\n    rotateAtLogin: true\n    dieAtLogout: true\n")
	fs := p.Check(journey(rectest.SecureAttrs, false, true), nil)
	var msgs []string
	for _, f := range fs {
		msgs = append(msgs, f.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"p.yaml:4: SID must get a new value at login (rotateAtLogin: true); it kept the value ",
		"across the login step 1 (submit #submit)",
		"p.yaml:5: SID must end at logout (dieAtLogout: true); after the logout step 2 (click #click) the server still accepted it: replaying the pre-logout cookies on https://app.test/account showed the logged-in page (status 200)",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("messages lack %q:\n%s", want, all)
		}
	}
	if fs[0].Request != "R2" {
		t.Errorf("rotation finding points at %q, want the login request R2", fs[0].Request)
	}
}

// A cookie that the logout leaves in the jar breaks dieAtLogout, for a
// session ID (the analysis' lifecycle) and for any other cookie (the jar).
func TestCheckKeptAfterLogout(t *testing.T) {
	for _, name := range []string{"SID", "prefs"} {
		b := rectest.New("keep", "SID")
		b.Step("goto", "")
		b.Get("https://app.test/").Set(name, "value-that-is-long-enough-1", "Path=/")
		b.Step("click", "logout")
		b.Get("https://app.test/logout").SendHeld(name)
		p := mustParse(t, "version: 1\ncookies:\n  - { name: "+name+", dieAtLogout: true }\n")
		if got := broken(t, p, b.Rec()); !slices.Equal(got, []string{"dieAtLogout " + name + " 1"}) {
			t.Errorf("%s: %q", name, got)
		}
	}
}

func TestCheckUnknownCookies(t *testing.T) {
	b := rectest.New("unknown")
	b.Step("goto", "")
	b.Get("https://app.test/").Set("SID", "abc", "Path=/").Set("_ga", "GA1.2.3", "Path=/; Max-Age=3600")
	b.Plant("planted", "by-the-scenario")
	rec := b.Rec()
	report := mustParse(t, "version: 1\nunknownCookies: report\nunknownSeverity: low\ncookies:\n  - name: SID\n")
	fs := report.Check(rec, nil)
	if len(fs) != 1 || fs[0].Cookie != "_ga" || fs[0].Severity != analysis.Low ||
		fs[0].Message != "p.yaml:2: _ga is not named by the policy (unknownCookies: report); it was set at step 0" {
		t.Fatalf("%+v", fs)
	}
	allow := mustParse(t, "version: 1\ncookies:\n  - name: SID\n")
	if fs := allow.Check(rec, nil); len(fs) != 0 {
		t.Fatalf("unknownCookies defaults to allow: %+v", fs)
	}
}

// Rejected lines and deletions were never stored; planted cookies are the
// scenario's: none of them is held against the site.
func TestCheckIgnoresWhatTheSiteDidNotStore(t *testing.T) {
	b := rectest.New("ignored")
	b.Step("goto", "")
	b.Get("https://app.test/").Set("SID", "x", "Domain=evil.test", "DomainMismatch").Set("SID", "", "Max-Age=0")
	b.Plant("SID", "planted-value")
	p := mustParse(t, "version: 1\ncookies:\n  - { name: SID, secure: true, httpOnly: true, forbidden: true }\n")
	if got := broken(t, p, b.Rec()); len(got) != 0 {
		t.Errorf("%q", got)
	}
}

// A script write has no Set-Cookie line: the jar tells its flags, and the
// finding names the script.
func TestCheckScriptWrites(t *testing.T) {
	b := rectest.New("script")
	b.Step("goto", "")
	b.Get("https://app.test/")
	b.Script("pref", "dark", "Secure; Expires="+rectest.T0.Add(48*time.Hour).Format(time.RFC1123), "https://app.test/")
	p := mustParse(t, "version: 1\ncookies:\n  - { name: pref, secure: true, sameSite: lax, maxLifetime: 1d }\n")
	fs := p.Check(b.Rec(), nil)
	if len(fs) != 2 {
		t.Fatalf("%+v", fs)
	}
	for _, f := range fs {
		if !strings.Contains(f.Evidence, "set by script (document.cookie) at https://app.test/:10:5") {
			t.Errorf("evidence %q", f.Evidence)
		}
	}
	if !strings.Contains(fs[0].Message+fs[1].Message, "must live at most 1d (maxLifetime: 1d); it was set with a lifetime of 2d") {
		t.Errorf("%s\n%s", fs[0].Message, fs[1].Message)
	}
}

func TestApplyKeepsTheReportOrder(t *testing.T) {
	recs := []*recording.Recording{journey("Path=/", false, false)}
	rep := analysis.AnalyzeAll(recs)
	n := len(rep.Findings)
	p := mustParse(t, "version: 1\nseverity: critical\ncookies:\n  - { name: SID, httpOnly: true }\n")
	p.Apply(rep, recs)
	if len(rep.Findings) != n+1 || rep.Findings[0].Rule != RuleID {
		t.Fatalf("a critical violation must come first: %+v", rep.Findings)
	}
	for i := 1; i < len(rep.Findings); i++ {
		if !rep.Findings[i-1].Severity.AtLeast(rep.Findings[i].Severity) {
			t.Errorf("finding %d (%s) after a lower one", i, rep.Findings[i].Severity)
		}
	}
}

func TestCheckNil(t *testing.T) {
	var p *Policy
	if p.Check(journey(rectest.SecureAttrs, true, false), nil) != nil || mustParse(t, "version: 1\n").Check(nil, nil) != nil {
		t.Error("nil policy or recording must give no findings")
	}
}

// A SameSite clause reads the attribute as browsers do, ASCII
// case-insensitively (recording.SameSiteMode): "ſtrict" (U+017F) is no
// SameSite at all, though strings.EqualFold takes it for Strict.
func TestSameSiteClauseFoldsASCIIOnly(t *testing.T) {
	for _, c := range []struct {
		clause   SameSite
		observed string
		want     bool
	}{
		{SameSite{Value: "Strict"}, "STRICT", true},
		{SameSite{Value: "Strict"}, "ſtrict", false},
		{SameSite{Value: "Lax", AtLeast: true}, "ſtrict", false},
		{SameSite{Value: "None", AtLeast: true}, "ſtrict", false}, // an explicit, valid SameSite
		{SameSite{Value: "None", AtLeast: true}, "nOnE", true},
	} {
		if got := c.clause.allows(c.observed); got != c.want {
			t.Errorf("%s allows %q: %v, want %v", c.clause, c.observed, got, c.want)
		}
	}
}

// journey is a login and a logout on app.test with SID, set with attrs:
// the ID rotates at login if rotate, and dies at logout (and on the server,
// unless the probe says loggedIn).
func journey(attrs string, rotate bool, loggedIn bool) *recording.Recording {
	b := rectest.New("journey", "SID")
	b.R.Scenario.File = "journey.yaml"
	b.Step("goto", "")
	b.Get("https://app.test/login").Set("SID", "pre-login-session-id-0001", attrs)
	b.Step("submit", "login", "submit #submit")
	q := b.Post("https://app.test/login").SendHeld("SID")
	if rotate {
		q.Set("SID", "post-login-session-id-0002", attrs)
	}
	b.Get("https://app.test/account").SendHeld("SID")
	b.Step("click", "logout", "click #click")
	b.Get("https://app.test/logout").SendHeld("SID").Set("SID", "", "Path=/; Max-Age=0")
	return b.Probe(loggedIn).Rec()
}
