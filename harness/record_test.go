package harness

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// The recorder's pure parts: names, checks and the scenario's text. Its
// browser side is tested end to end in cli/record_test.go.

func TestRecordEnvNames(t *testing.T) {
	for field, want := range map[string]string{
		"password": "PASSWORD", "user-pin": "USER_PIN", "pwd": "FORM_PWD", "": "SECRET",
		"2fa": "SECRET_2FA", "login[pass]": "LOGIN_PASS", "__x__": "X", "path": "FORM_PATH",
	} {
		if got := envBase(field); got != want {
			t.Errorf("envBase(%q) = %q, want %q", field, got, want)
		}
	}
	rc := &recorder{runner: &runner{red: recording.NewRedactor(NewKey(), false)}, secrets: map[string]string{}}
	a := rc.envFor("s3cret", "password", true)
	b := rc.envFor("other", "password", true)
	again := rc.envFor("s3cret", "confirm", true)
	if a != "PASSWORD" || b != "PASSWORD_2" || again != "PASSWORD" || strings.Join(rc.env, ",") != "PASSWORD,PASSWORD_2" {
		t.Errorf("names %q %q %q, env %q: want one name per secret, the same for the same value", a, b, again, rc.env)
	}
	if got := rc.red.Scrub("x s3cret y"); strings.Contains(got, "s3cret") {
		t.Errorf("a registered secret is not scrubbed: %q", got)
	}
	if rc.envFor("typing", "password", false); len(rc.env) != 2 {
		t.Errorf("a name asked for without registering was registered: %q", rc.env)
	}
}

func cookie(name, value string) cdpCookie {
	return cdpCookie{Name: name, Value: value, Domain: "shop.example", Path: "/", Session: true}
}

func TestRecordSessionWant(t *testing.T) {
	sid := func(v string) []cdpCookie { return []cdpCookie{cookie("sid", v), cookie("theme", "dark")} }
	none := []cdpCookie{cookie("theme", "dark")}
	for _, c := range []struct {
		name          string
		before, after []cdpCookie
		login         bool
		want          string
	}{
		{"new", none, sid("a"), false, "present"},
		{"rotated", sid("a"), sid("b"), true, "rotated"},
		{"kept at login", sid("a"), sid("a"), true, "kept"},
		{"kept elsewhere", sid("a"), sid("a"), false, ""},
		{"gone", sid("a"), none, false, "gone"},
		{"nothing", none, none, false, ""},
	} {
		if got := sessionWant(c.before, c.after, c.login); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	now := time.Now()
	expired := cookie("sid", "a")
	expired.Session, expired.Expires = false, float64(now.Add(-time.Second).Unix())
	if sessionEnded([]cdpCookie{expired}, none, now) {
		t.Error("a session cookie that expired counts as ended by the site")
	}
	if !sessionEnded(sid("a"), none, now) {
		t.Error("a session cookie deleted is not an ended session")
	}
}

func TestRecordURLs(t *testing.T) {
	rc := &recorder{target: "https://shop.example"}
	for raw, want := range map[string]string{
		"https://shop.example/login?next=/a#top": "/login?next=/a#top",
		"https://shop.example":                   "/",
		"http://shop.example/login":              "http://shop.example/login",
		"https://id.example/authorize":           "https://id.example/authorize",
	} {
		if got := rc.relative(raw); got != want {
			t.Errorf("relative(%q) = %q, want %q", raw, got, want)
		}
	}
	for raw, want := range map[string]scenarios.Match{
		"https://shop.example/account?tab=1": {Equals: "/account"},
		"http://shop.example/login":          {Equals: "http://shop.example/login"},
		"http://shop.example/login?r=1":      {Contains: "http://shop.example/login"},
	} {
		if got := rc.urlMatch(raw); got == nil || *got != want {
			t.Errorf("urlMatch(%q) = %+v, want %+v", raw, got, want)
		}
	}
	if got := rc.urlMatch("chrome-error://chromewebdata/"); got != nil {
		t.Errorf("urlMatch of an error page = %+v, want none", got)
	}
}

// TestRecordScenarioText writes steps whose texts hold what YAML and the
// scenario language treat specially, and parses the scenario back: every
// text must come back as it was, with no variable made of a recorded ${.
func TestRecordScenarioText(t *testing.T) {
	red := recording.NewRedactor(NewKey(), false)
	rc := &recorder{runner: &runner{red: red}, target: "https://shop.example", secrets: map[string]string{}, started: time.Now()}
	odd := `a "quoted" \ back: # not a comment ${env.HOME} ü` + "\n" + `line`
	steps := []scenarios.Step{
		{Kind: scenarios.KindGoto, URL: "/search?q=${x}&a=b"},
		{Kind: scenarios.KindFill, Selector: `input[name="q\"x"]`, Value: odd},
		{Kind: scenarios.KindSelect, Selector: "#lang", Value: "yes"},
		{Kind: scenarios.KindCheck, Selector: "#remember", Checked: false},
		{Kind: scenarios.KindPress, Key: "Escape"},
		{Kind: scenarios.KindPress, Selector: "#q", Key: "Enter"},
		{Kind: scenarios.KindClick, Selector: "#go", Name: `click "Go: now"`, As: "login",
			In: "popup 1 > frame #login > frame iframe[title='${x}']", Frames: []string{"#login", "iframe[title='${x}']"}},
		{Kind: scenarios.KindEval, Script: jsQuery(`a[href="/x"]`) + ".click()"},
		{Kind: scenarios.KindWait, URL: "/next"},
		{Kind: scenarios.KindExpect, Expect: &scenarios.Expect{URL: &scenarios.Match{Contains: "http://shop.example/a"}, Session: "gone"}},
		{Kind: scenarios.KindSubmit, Selector: "#f", As: "logout"},
	}
	for _, st := range steps {
		rc.steps = append(rc.steps, stepRun{})
		rc.meta = append(rc.meta, recMeta{st: st, comment: "a comment\nover two lines"})
	}
	rc.meta[1].act = &userAction{Kind: "fill", Value: "hunter2", Secret: true, Field: "password"}
	rc.setFillValue(1)
	if rc.meta[1].st.Value != "${env.PASSWORD}" {
		t.Fatalf("a secret fill's value is %q", rc.meta[1].st.Value)
	}
	rc.meta[2].act = &userAction{Kind: "fill"}
	data, sc, err := rc.scenarioYAML()
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if strings.Contains(string(data), "hunter2") {
		t.Errorf("the typed secret is in the scenario:\n%s", data)
	}
	for i, st := range sc.Steps {
		w := steps[i]
		w.Selector, w.URL, w.Script, w.Value, w.In = refs(w.Selector), refs(w.URL), refs(w.Script), refs(w.Value), refs(w.In)
		for k := range w.Frames {
			w.Frames[k] = refs(w.Frames[k])
		}
		if i == 1 {
			w.Value, w.Secret = "${env.PASSWORD}", true
		}
		if st.Kind != w.Kind || st.Selector != w.Selector || st.URL != w.URL || st.Key != w.Key || st.Script != w.Script ||
			st.Checked != w.Checked || st.Name != w.Name || st.As != w.As || st.Secret != w.Secret || st.In != w.In || !slices.Equal(st.Frames, w.Frames) ||
			(w.Kind != scenarios.KindFill && st.Value != w.Value) {
			t.Errorf("step %d: parsed back as %+v, want %+v", i, st, w)
		}
	}
	if sc.Steps[1].Value != "${env.PASSWORD}" {
		t.Errorf("the secret fill reads %q", sc.Steps[1].Value)
	}
	// The literal ${ of a recorded text stays literal: resolving needs no
	// variable and gives the text back.
	rc.meta[1].st, rc.meta[1].envRef = scenarios.Step{Kind: scenarios.KindFill, Selector: "#q", Value: odd}, false
	data, sc, err = rc.scenarioYAML()
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	res, err := sc.Resolve(scenarios.Resolver{Env: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatalf("resolving: %v", err)
	}
	if res.Steps[1].Value != odd || res.Steps[0].URL != "/search?q=${x}&a=b" {
		t.Errorf("resolved to %q and %q, want the texts as recorded", res.Steps[1].Value, res.Steps[0].URL)
	}
	if _, _, err := (&recorder{runner: &runner{red: red}}).scenarioYAML(); err != ErrNothingRecorded {
		t.Errorf("no step: %v, want ErrNothingRecorded", err)
	}
}
