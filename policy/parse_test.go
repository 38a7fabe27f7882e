package policy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/yamlfile/yamlfiletest"
)

func TestParseEveryKey(t *testing.T) {
	src := `# a comment
version: 1
severity: medium
unknownCookies: report
unknownSeverity: low
defaults: &strict { secure: true, httpOnly: true }
cookies:
  - name: __Host-sid
    <<: *strict
    domain: .Shop.Example
    scenarios: [login*, checkout]
    severity: critical
    note: SEC-42
    required: true
    sameSite: at-least-lax
    session: true
    hostOnly: true
    prefix: __host-
    rotateAtLogin: true
    dieAtLogout: true
  - name: "_ga*"
    scenarios: smoke
    maxLifetime: 1d12h
    sameSite: Strict
  - name: debug
    forbidden: true
`
	_, err := Parse("p.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), `p.yaml:6:1: unknown key "defaults"`) {
		t.Fatalf("want the unknown key reported, got %v", err)
	}
	// Anchors belong under a key the format has; a merge key works anywhere.
	src = strings.Replace(src, "defaults: &strict { secure: true, httpOnly: true }\ncookies:\n  - name: __Host-sid\n",
		"cookies:\n  - name: __Host-sid\n    secure: &yes true\n    httpOnly: *yes\n", 1)
	src = strings.Replace(src, "    <<: *strict\n", "", 1)
	p, err := Parse("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 1 || p.Severity != analysis.Medium || p.UnknownCookies != UnknownReport || p.UnknownSeverity != analysis.Low || len(p.Cookies) != 3 {
		t.Fatalf("%+v", p)
	}
	e := p.Cookies[0]
	if e.Name != "__Host-sid" || e.Domain != "shop.example" || !slices.Equal(e.Scenarios, []string{"login*", "checkout"}) ||
		e.Severity != analysis.Critical || e.Note != "SEC-42" || !e.Required || !e.Secure || !e.HTTPOnly ||
		e.SameSite != (SameSite{"Lax", true}) || !e.Session || !e.HostOnly || e.Prefix != "__Host-" || !e.RotateAtLogin || !e.DieAtLogout {
		t.Errorf("%+v", e)
	}
	if e.Pos.Line != 7 || e.clausePos("httpOnly").Line != 9 || e.clausePos("dieAtLogout").Line != 20 {
		t.Errorf("positions: entry %v, httpOnly %v, dieAtLogout %v", e.Pos, e.clausePos("httpOnly"), e.clausePos("dieAtLogout"))
	}
	g := p.Cookies[1]
	if g.Name != "_ga*" || !slices.Equal(g.Scenarios, []string{"smoke"}) || g.MaxLifetime != 36*time.Hour || g.SameSite != (SameSite{"Strict", false}) {
		t.Errorf("%+v", g)
	}
	if !p.Cookies[2].Forbidden {
		t.Errorf("%+v", p.Cookies[2])
	}
}

func TestParseDefaults(t *testing.T) {
	p, err := Parse("p.yaml", []byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Severity != analysis.High || p.UnknownCookies != UnknownAllow || len(p.Cookies) != 0 || p.File != "p.yaml" {
		t.Errorf("%+v", p)
	}
	if s := p.severity(nil); s != analysis.High {
		t.Errorf("unknown cookies default to the policy's severity, got %s", s)
	}
}

// parseErrors returns the lines of Parse's error for src.
func parseErrors(t *testing.T, src string) []string {
	t.Helper()
	return yamlfiletest.Errors(t, Parse, "t.yaml", []byte(src))
}

func TestParseErrors(t *testing.T) {
	const head = "version: 1\ncookies:\n"
	tests := []struct {
		name string
		src  string
		want []string
	}{
		// Unknown keys, with hints.
		{"unknown top key", "version: 1\ncookeis: []\n", []string{
			`t.yaml:2:1: unknown key "cookeis" (did you mean "cookies"?)`}},
		{"case of a key", head + "  - name: SID\n    httponly: true\n", []string{
			`t.yaml:4:5: cookie: unknown key "httponly" (did you mean "httpOnly"?)`}},
		{"unknown key without hint", head + "  - name: SID\n    banana: 1\n", []string{
			`t.yaml:4:5: cookie: unknown key "banana"`}},
		{"misspelt name is not also missing", head + "  - nmae: SID\n", []string{
			`t.yaml:3:5: cookie: unknown key "nmae" (did you mean "name"?)`}},

		// Missing and contradictory keys.
		{"missing version", "cookies: []\n", []string{
			`t.yaml:1:1: missing "version: 1" (the format version this file is written for)`}},
		{"missing name", head + "  - secure: true\n", []string{
			`t.yaml:3:5: cookie: missing "name" (a cookie name or a glob such as "_ga*")`}},
		{"forbidden and required", head + "  - name: SID\n    required: true\n    forbidden: true\n", []string{
			`t.yaml:5:5: forbidden: a cookie cannot be both forbidden and required`}},

		// Wrong types.
		{"version as a string", "version: \"1\"\n", []string{
			`t.yaml:1:10: version: expected the number 1, got a string`}},
		{"future version", "version: 2\n", []string{
			`t.yaml:1:10: version: this sessiontrace reads version 1 files, not "2"; a newer sessiontrace may read it`}},
		{"cookies as a mapping", "version: 1\ncookies: {name: SID}\n", []string{
			`t.yaml:2:10: cookies: expected a sequence, got a mapping`}},
		{"entry as a string", head + "  - SID\n", []string{
			`t.yaml:3:5: cookie: expected a mapping, got a string`}},
		{"yes for a boolean", head + "  - name: SID\n    secure: yes\n", []string{
			`t.yaml:4:13: secure: expected true or false, got a string (did you mean "true"?)`}},
		{"sequence for a name", head + "  - name: [a, b]\n", []string{
			`t.yaml:3:11: name: expected a string, got a sequence`}},
		{"null name", head + "  - name:\n", []string{
			`t.yaml:3:10: name: expected a string, got nothing`}},

		// Values.
		{"bad samesite", head + "  - name: SID\n    sameSite: at-least-lx\n", []string{
			`t.yaml:4:15: sameSite: unknown value "at-least-lx": want at-least-lax, at-least-strict, at-least-none, strict, lax or none (did you mean "at-least-lax"?)`}},
		{"samesite typo", head + "  - name: SID\n    sameSite: lx\n", []string{
			`t.yaml:4:15: sameSite: unknown value "lx": want at-least-lax, at-least-strict, at-least-none, strict, lax or none (did you mean "lax"?)`}},
		{"bare number for a duration", head + "  - name: SID\n    maxLifetime: 3600\n", []string{
			`t.yaml:4:18: maxLifetime: expected a duration like 30d, 12h or 15m, got "3600" (want a number and a unit, like 30d or 2h) (did you mean "3600s"?)`}},
		{"unknown duration unit", head + "  - name: SID\n    maxLifetime: 2y\n", []string{
			`t.yaml:4:18: maxLifetime: expected a duration like 30d, 12h or 15m, got "2y" (unknown unit "y": use d, h, m, s or ms)`}},
		{"zero duration", head + "  - name: SID\n    maxLifetime: 0s\n", []string{
			`t.yaml:4:18: maxLifetime: cookie lifetimes count in seconds: want at least 1s; for a cookie that must not persist, write "session: true"`}},
		{"huge duration", head + "  - name: SID\n    maxLifetime: 99999999999d\n", []string{
			`t.yaml:4:18: maxLifetime: expected a duration like 30d, 12h or 15m, got "99999999999d" (too long)`}},
		{"bad name glob", head + "  - name: \"sid[\"\n", []string{
			`t.yaml:3:11: name: bad glob "sid[": check its [ ] and trailing \ (a literal * is written \*)`}},
		{"not a cookie name", head + "  - name: a=b\n", []string{
			`t.yaml:3:11: name: "a=b" is not a cookie name: names hold no spaces, quotes, commas, semicolons or =`}},
		{"bad scenario glob", head + "  - name: SID\n    scenarios: [ok, \"[\"]\n", []string{
			`t.yaml:4:21: scenarios: bad glob "[": check its [ ] and trailing \`}},
		{"url for a domain", head + "  - name: SID\n    domain: https://shop.example/\n", []string{
			`t.yaml:4:13: domain: "https://shop.example/" is not a domain name: write the host, like example.com or *.example.com (did you mean "shop.example"?)`}},
		{"bad prefix", head + "  - name: SID\n    prefix: __Hst-\n", []string{
			`t.yaml:4:13: prefix: unknown value "__Hst-": want __Host- or __Secure- (did you mean "__Host-"?)`}},
		{"bad severity", "version: 1\nseverity: hgh\n", []string{
			`t.yaml:2:11: severity: unknown value "hgh": want critical, high, medium, low or info (did you mean "high"?)`}},
		{"bad unknownCookies", "version: 1\nunknownCookies: reprot\n", []string{
			`t.yaml:2:17: unknownCookies: unknown value "reprot": want allow or report (did you mean "report"?)`}},

		// Several problems at once, in file order.
		{"all at once", head + "  - name: SID\n    secure: 1\n    sameSite: lx\n  - httpOnly: true\n", []string{
			`t.yaml:4:13: secure: expected true or false, got a number (did you mean "true"?)`,
			`t.yaml:5:15: sameSite: unknown value "lx": want at-least-lax, at-least-strict, at-least-none, strict, lax or none (did you mean "lax"?)`,
			`t.yaml:6:5: cookie: missing "name" (a cookie name or a glob such as "_ga*")`}},

		// YAML itself.
		{"empty file", "", []string{`t.yaml:1:1: empty file: a policy needs at least "version: 1"`}},
		{"comments only", "# nothing\n", []string{`t.yaml:1:1: empty file: a policy needs at least "version: 1"`}},
		{"not a mapping", "- version: 1\n", []string{`t.yaml:1:1: expected a mapping, got a sequence`}},
		{"duplicate key", "version: 1\nversion: 1\n", []string{`t.yaml:2:1: duplicate key "version" (first at line 1)`}},
		{"syntax error", "version: 1\ncookies:\n  - name: SID\n    secure: true\n  bad\n", []string{
			`t.yaml:5:3: invalid YAML: could not find expected ':'`}},
		{"tab indentation", "version: 1\ncookies:\n\t- name: SID\n", []string{
			`t.yaml:3:1: invalid YAML: found character that cannot start any token`}},
		{"two documents", "version: 1\n---\nversion: 1\n", []string{
			`t.yaml:3:1: a policy file holds one YAML document; remove this one or move it to a file of its own`}},
		{"unknown anchor", "version: 1\nseverity: *sev\n", []string{
			`t.yaml:2:11: invalid YAML: unknown anchor "sev": define it with &sev before using *sev`}},
		{"binary", "version: 1\x00\n", []string{`t.yaml:1:11: not a text file: it contains a NUL byte`}},
		{"control character", "version: 1\nseverity: high\x1b\n", []string{`t.yaml:2:15: control character U+001B is not allowed`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseErrors(t, tt.src)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// Aliases expanding to a huge document are refused, not followed.
func TestParseAliasBomb(t *testing.T) {
	src := "version: 1\na: &a [{name: x}, {name: x}, {name: x}, {name: x}, {name: x}, {name: x}, {name: x}, {name: x}, {name: x}, {name: x}]\n"
	prev := "a"
	for i := 0; i < 7; i++ {
		n := string(rune('b' + i))
		src += n + ": &" + n + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = n
	}
	src = strings.Replace(src, "a: &a", "cookies: &a", 1)
	done := make(chan error)
	go func() { _, err := Parse("bomb.yaml", []byte(src)); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Parse accepted an alias bomb")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Parse is still expanding aliases after 10s")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, FileName)
	os.WriteFile(good, []byte("version: 1\ncookies:\n  - name: SID\n    secure: ture\n"), 0o644)
	_, err := Load(good)
	if err == nil || !strings.HasPrefix(err.Error(), good+":4:13: secure: expected true or false") {
		t.Fatalf("%v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || err.Error() != filepath.Join(dir, "missing.yaml")+": no such file or directory" {
		t.Fatalf("%v", err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Fatalf("%v", err)
	}
}
