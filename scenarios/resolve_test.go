package scenarios

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/yamlfile/yamlfiletest"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) { v, ok := m[name]; return v, ok }
}

var testResolver = Resolver{
	Env: env(map[string]string{"PW": "s3cret", "HOST": "shop.test", "EMPTY": ""}),
	Lab: func(key string) (string, bool) {
		switch key {
		case "":
			return "http://127.0.0.1:8080", true
		case "correct":
			return "http://correct.test:8080", true
		case "http.correct":
			return "http://http-correct.test:8080", true
		}
		return "", false
	},
}

func mustParse(t *testing.T, src string) *Scenario {
	t.Helper()
	return yamlfiletest.MustParse(t, Parse, "t.yaml", src)
}

func TestResolve(t *testing.T) {
	src := `name: n
target: https://${env.HOST}:8443
vars:
  user: alice
  pw: ${env.PW}
  base: ${lab}
session:
  probe: { path: "/${vars.user}", loggedIn: { selector: "#${vars.user}" } }
steps:
  - fill: { selector: "#user", value: "${vars.user}" }
  - fill: { selector: "#pw", value: "${vars.pw}", secret: true }
  - goto: ${lab.correct}/login
  - goto: ${lab.http.correct}
  - goto: ${vars.base}/x
  - eval: "const s = '$${not.a.ref}'; const d = '$$'; const e = '$x'"
  - setCookie: { name: "c${vars.user}", value: "${env.PW}${env.EMPTY}", domain: "${env.HOST}", secret: true }
  - expect:
      url: { matches: "^/${vars.user}$" }
      text: { selector: "#w", equals: "Hi ${vars.user}" }
      cookie: { name: "c${vars.user}", domain: "${env.HOST}" }
  - click: "#a"
    in: "popup 2 > frame #${vars.user} > frame iframe[title='$${x}']"
`
	sc := mustParse(t, src)
	got, err := sc.Resolve(testResolver)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	checks := []struct{ got, want string }{
		{got.Target, "https://shop.test:8443"},
		{got.Vars["pw"], "s3cret"},
		{got.Vars["base"], "http://127.0.0.1:8080"},
		{got.Session.Probe.Path, "/alice"},
		{got.Session.Probe.LoggedInSelector, "#alice"},
		{got.Steps[0].Value, "alice"},
		{got.Steps[1].Value, "s3cret"},
		{got.Steps[2].URL, "http://correct.test:8080/login"},
		{got.Steps[3].URL, "http://http-correct.test:8080"},
		{got.Steps[4].URL, "http://127.0.0.1:8080/x"},
		{got.Steps[5].Script, "const s = '${not.a.ref}'; const d = '$$'; const e = '$x'"},
		{got.Steps[6].Cookie.Name, "calice"},
		{got.Steps[6].Cookie.Value, "s3cret"},
		{got.Steps[6].Cookie.Domain, "shop.test"},
		{got.Steps[7].Expect.URL.Matches, "^/alice$"},
		{got.Steps[7].Expect.Text.Equals, "Hi alice"},
		{got.Steps[7].Expect.Cookie.Name, "calice"},
		{got.Steps[7].Expect.Cookie.Domain, "shop.test"},
		{got.Steps[8].Frames[0], "#alice"},
		{got.Steps[8].Frames[1], "iframe[title='${x}']"},
		{got.Steps[8].In, "popup 2 > frame #alice > frame iframe[title='${x}']"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: got %q, want %q", i, c.got, c.want)
		}
	}

	// The original is untouched: Resolve returns a deep copy.
	if sc.Target != "https://${env.HOST}:8443" || sc.Steps[6].Cookie.Value != "${env.PW}${env.EMPTY}" ||
		sc.Steps[7].Expect.Text.Equals != "Hi ${vars.user}" || sc.Vars["pw"] != "${env.PW}" || sc.Steps[8].Frames[0] != "#${vars.user}" {
		t.Errorf("Resolve changed the original scenario")
	}
	got.Steps[7].Expect.Cookie.Name = "changed"
	if sc.Steps[7].Expect.Cookie.Name == "changed" {
		t.Errorf("the copy shares the expect with the original")
	}

	// Resolving again changes nothing: "${not.a.ref}" stays literal.
	again, err := got.Resolve(Resolver{})
	if err != nil {
		t.Fatalf("second Resolve: %v", err)
	}
	if !reflect.DeepEqual(again.Steps, got.Steps) || again.Target != got.Target {
		t.Errorf("second Resolve changed the scenario")
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		r    Resolver
		want []string
	}{
		{"unset env", head + "  - fill: { selector: '#p', value: '${env.NOPE}', secret: true }\n", testResolver, []string{
			`t.yaml:4:36: fill.value: environment variable NOPE is not set`,
		}},
		{"no env at all", "vars: { pw: '${env.PW}' }\n" + head + "  - goto: /\n", Resolver{}, []string{
			`t.yaml:1:13: vars.pw: environment variable PW is not set`,
		}},
		{"failed var reported once", "vars: { pw: '${env.NOPE}' }\n" + head + "  - goto: /${vars.pw}\n", testResolver, []string{
			`t.yaml:1:13: vars.pw: environment variable NOPE is not set`,
		}},
		{"no lab", "name: n\ntarget: ${lab}\nsteps: [{goto: /}]\n", Resolver{}, []string{
			`t.yaml:2:9: target: ${lab} needs the lab's URLs: run with --lab (which starts the lab for the run), or, against a lab started by hand (sessiontrace lab), with --lab-ports HTTPS,HTTP (8443,8080 by default)`,
		}},
		{"unknown lab key", head + "  - goto: ${lab.nope}\n", testResolver, []string{
			`t.yaml:4:11: goto: unknown lab value ${lab.nope}`,
		}},
		{"target still relative", "name: n\ntarget: ${env.HOST}\nsteps: [{goto: /}]\n", testResolver, []string{
			`t.yaml:2:9: target: expected an absolute http or https URL, got "shop.test"`,
		}},
		{"empty selector from env", head + "  - click: '${env.EMPTY}'\n", testResolver, []string{
			`t.yaml:4:12: click: empty selector`,
		}},
		{"bad regex from var", "vars: { re: '(' }\n" + head + "  - expect: { url: { matches: '${vars.re}' } }\n", testResolver, []string{
			"t.yaml:5:31: expect.url.matches: bad regular expression: missing closing ): `(`",
		}},
		{"a frame selector from a var that names two frames", "vars: { f: '#a > frame #b' }\n" + head + "  - click: '#x'\n    in: 'popup > frame ${vars.f}'\n", testResolver, []string{
			`t.yaml:6:9: in.frame: the frame selector "#a > frame #b" holds " > frame ", which separates frames in in`,
		}},
		{"several", head + "  - goto: ${env.A}\n  - goto: ${env.B}\n", testResolver, []string{
			`t.yaml:4:11: goto: environment variable A is not set`,
			`t.yaml:5:11: goto: environment variable B is not set`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := mustParse(t, tt.src)
			got, err := sc.Resolve(tt.r)
			if err == nil {
				t.Fatalf("Resolve succeeded, want errors")
			}
			if got != nil {
				t.Errorf("Resolve returned a scenario along with errors")
			}
			if _, ok := err.(ErrorList); !ok {
				t.Errorf("error is %T, want ErrorList", err)
			}
			if err.Error() != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%v\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error shows a secret")
			}
		})
	}
}

func TestResolveBuiltInGo(t *testing.T) {
	// A Scenario built in Go has no field positions; errors fall back to
	// the step's position and still name the field.
	sc := &Scenario{
		Name: "n", Target: "https://a.test",
		Vars:  map[string]string{"user": "u"},
		Steps: []Step{{Kind: KindFill, Selector: "#a", Value: "${vars.usr}", Pos: Pos{File: "x.yaml", Line: 7, Col: 3}}},
	}
	_, err := sc.Resolve(Resolver{})
	want := `x.yaml:7:3: fill.value: unknown variable ${vars.usr}: declare it under vars (did you mean "${vars.user}"?)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestSecrets(t *testing.T) {
	sc := mustParse(t, head+`  - fill: { selector: "#u", value: alice }
  - fill: { selector: "#p", value: "${env.PW}", secret: true }
  - fill: { selector: "#p2", value: "${env.PW}", secret: true }
  - fill: { selector: "#e", value: "", secret: true }
  - setCookie: { name: t, value: tok-1, secret: true }
  - setCookie: { name: v, value: visible }
`)
	r, err := sc.Resolve(testResolver)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Secrets(), []string{"s3cret", "tok-1"}; !slices.Equal(got, want) {
		t.Errorf("Secrets() = %q, want %q", got, want)
	}
	if got := mustParse(t, head+"  - goto: /\n").Secrets(); len(got) != 0 {
		t.Errorf("Secrets() of a scenario without secrets = %q", got)
	}
}

func TestURL(t *testing.T) {
	tests := []struct {
		target, ref, want string
	}{
		{"https://shop.test:8443", "/login", "https://shop.test:8443/login"},
		{"https://shop.test:8443/", "/login?next=/a#top", "https://shop.test:8443/login?next=/a#top"},
		{"https://shop.test/app/", "login", "https://shop.test/app/login"},
		{"https://shop.test/app/", "/login", "https://shop.test/login"},
		{"https://shop.test/app", "", "https://shop.test/app"},
		{"https://shop.test", "https://other.test/x", "https://other.test/x"},
		{"https://shop.test", "http://other.test", "http://other.test"},
	}
	for _, tt := range tests {
		sc := &Scenario{Target: tt.target}
		got, err := sc.URL(tt.ref)
		if err != nil || got != tt.want {
			t.Errorf("URL(%q) against %q = %q, %v; want %q", tt.ref, tt.target, got, err, tt.want)
		}
	}
	for _, target := range []string{"${lab}", "shop.test", "", "ftp://x.test"} {
		if got, err := (&Scenario{Target: target}).URL("/a"); err == nil {
			t.Errorf("URL with target %q = %q, want an error", target, got)
		}
	}
	if got, err := (&Scenario{Target: "https://a.test"}).URL("%zz"); err == nil {
		t.Errorf("URL(%%zz) = %q, want an error", got)
	}
}

func TestTemplateEscapeRoundTrip(t *testing.T) {
	// escape is the inverse of Resolve's literal handling; FuzzResolve
	// relies on it.
	for _, s := range []string{"", "${", "$${", "$$${", "a${b}c", "$", "$$", "}${", "${${}"} {
		segs, pr := parseTemplate(escape(s))
		if pr != nil || hasRefs(segs) || literal(segs) != s {
			t.Errorf("parseTemplate(escape(%q)) = %v, %v", s, segs, pr)
		}
	}
}

// escape makes s a template that resolves to s.
func escape(s string) string { return strings.ReplaceAll(s, "${", "$${") }

// NeedsLab finds the first ${lab...} reference, in vars or strings,
// before anything runs.
func TestNeedsLab(t *testing.T) {
	head := "name: n\ntarget: https://a.test\n"
	for _, c := range []struct{ src, want string }{
		{head + "steps:\n  - goto: /\n", ""},
		{head + "steps:\n  - goto: $${lab.x}\n", ""},
		{head + "steps:\n  - goto: /\n  - goto: ${lab.http.mixed}/account\n", "t.yaml:5:11: goto: ${lab.http.mixed} needs the lab's URLs"},
		{"vars: { home: '${lab.correct}/' }\n" + head + "steps:\n  - goto: ${vars.home}\n", "t.yaml:1:15: vars.home: ${lab.correct} needs the lab's URLs"},
	} {
		err := mustParse(t, c.src).NeedsLab()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)) {
			t.Errorf("%q: %v, want %q", c.src, err, c.want)
		}
	}
}
