package scenarios

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// head is a minimal scenario; test steps are appended at line 4.
const head = "name: n\ntarget: https://shop.test\nsteps:\n"

func ptr[T any](v T) *T { return &v }

func TestParseSteps(t *testing.T) {
	tests := []struct {
		name string
		yaml string // one step, at "  - "
		want Step
	}{
		{"goto path", "goto: /login", Step{Kind: KindGoto, URL: "/login"}},
		{"goto absolute", "goto: https://other.test/x?y=1", Step{Kind: KindGoto, URL: "https://other.test/x?y=1"}},
		{"click", `click: "#plain-link"`, Step{Kind: KindClick, Selector: "#plain-link"}},
		{"fill", `fill: { selector: "#user", value: alice }`, Step{Kind: KindFill, Selector: "#user", Value: "alice"}},
		{"fill number value", `fill: { selector: "#age", value: 42 }`, Step{Kind: KindFill, Selector: "#age", Value: "42"}},
		{"fill secret", `fill: { selector: "#pw", value: "${env.PW}", secret: true }`,
			Step{Kind: KindFill, Selector: "#pw", Value: "${env.PW}", Secret: true}},
		{"select", `select: { selector: "select[name=lang]", value: en }`, Step{Kind: KindSelect, Selector: "select[name=lang]", Value: "en"}},
		{"check", `check: "#remember"`, Step{Kind: KindCheck, Selector: "#remember", Checked: true}},
		{"check mapping default", `check: { selector: "#remember" }`, Step{Kind: KindCheck, Selector: "#remember", Checked: true}},
		{"uncheck", `check: { selector: "#remember", checked: false }`, Step{Kind: KindCheck, Selector: "#remember", Checked: false}},
		{"press key", "press: Enter", Step{Kind: KindPress, Key: "Enter"}},
		{"press on element", `press: { selector: "#q", key: Tab }`, Step{Kind: KindPress, Selector: "#q", Key: "Tab"}},
		{"submit with common keys", "submit: \"#login-form\"\n    as: login\n    name: log in\n    timeout: 10s",
			Step{Kind: KindSubmit, Selector: "#login-form", As: "login", Name: "log in", Timeout: 10 * time.Second}},
		{"as logout", "click: '#logout'\n    as: logout", Step{Kind: KindClick, Selector: "#logout", As: "logout"}},
		{"in a popup", "click: '#export'\n    in: popup", Step{Kind: KindClick, Selector: "#export", In: "popup"}},
		{"in the second popup", "wait: { selector: '#done' }\n    in: popup 2", Step{Kind: KindWait, Selector: "#done", In: "popup 2"}},
		{"in the tab", "click: '#a'\n    in: tab", Step{Kind: KindClick, Selector: "#a"}},
		{"in a frame", "click: '#a'\n    in: 'frame  #login '", Step{Kind: KindClick, Selector: "#a", In: "frame #login", Frames: []string{"#login"}}},
		{"in a frame of a popup", "click: '#a'\n    in: 'popup 1 > frame #login'",
			Step{Kind: KindClick, Selector: "#a", In: "popup 1 > frame #login", Frames: []string{"#login"}}},
		{"in a popup by its URL", "click: '#a'\n    in: popup url=/oauth/authorize",
			Step{Kind: KindClick, Selector: "#a", In: "popup url=/oauth/authorize"}},
		{"in a frame of a popup by its title", "click: '#a'\n    in: 'popup title=Sign in > frame #login'",
			Step{Kind: KindClick, Selector: "#a", In: "popup title=Sign in > frame #login", Frames: []string{"#login"}}},
		{"in a frame in a frame", "click: '#a'\n    in: 'tab > frame div > iframe.outer  >   frame iframe[name=inner]'",
			Step{Kind: KindClick, Selector: "#a", In: "frame div > iframe.outer > frame iframe[name=inner]", Frames: []string{"div > iframe.outer", "iframe[name=inner]"}}},
		{"in a frame whose selector ends in frame", "click: '#a'\n    in: 'frame frameset > frame'",
			Step{Kind: KindClick, Selector: "#a", In: "frame frameset > frame", Frames: []string{"frameset > frame"}}},
		{"as privilege", "goto: /admin\n    as: privilege", Step{Kind: KindGoto, URL: "/admin", As: "privilege"}},
		{"wait duration", "wait: 2s", Step{Kind: KindWait, Duration: 2 * time.Second}},
		{"wait ms", "wait: 500ms", Step{Kind: KindWait, Duration: 500 * time.Millisecond}},
		{"wait selector", `wait: { selector: "#done" }`, Step{Kind: KindWait, Selector: "#done"}},
		{"wait url", `wait: { url: /account }`, Step{Kind: KindWait, URL: "/account"}},
		{"eval", `eval: "localStorage.clear()"`, Step{Kind: KindEval, Script: "localStorage.clear()"}},
		{"setCookie", `setCookie: { name: SID, value: abc, url: "https://shop.test/", domain: shop.test, path: /app, secure: true, httpOnly: true, sameSite: Strict, maxAge: 1h, secret: true }`,
			Step{Kind: KindSetCookie, Cookie: &CookieSpec{Name: "SID", Value: "abc", URL: "https://shop.test/", Domain: "shop.test",
				Path: "/app", Secure: true, HTTPOnly: true, SameSite: "Strict", MaxAge: time.Hour, Secret: true}}},
		{"setCookie minimal", `setCookie: { name: a }`, Step{Kind: KindSetCookie, Cookie: &CookieSpec{Name: "a"}}},
		{"clearCookies all", "clearCookies: {}", Step{Kind: KindClearCookies}},
		{"clearCookies true", "clearCookies: true", Step{Kind: KindClearCookies}},
		{"clearCookies empty", "clearCookies:", Step{Kind: KindClearCookies}},
		{"clearCookies one", "clearCookies: { name: SID }", Step{Kind: KindClearCookies, ClearName: "SID"}},
		{"restart", "restart: browser", Step{Kind: KindRestart, Restart: "browser"}},
		{"screenshot", "screenshot: home.png", Step{Kind: KindScreenshot, Path: "home.png"}},
		{"screenshot element", `screenshot: { path: shots/a.png, selector: "#a" }`, Step{Kind: KindScreenshot, Path: "shots/a.png", Selector: "#a"}},
		{"expect all", "expect:\n      url: /account\n      text: { selector: \"#welcome\", contains: Welcome }\n      session: rotated\n      cookie: { name: SID, present: true, secure: true, httpOnly: false, session: true, sameSite: Lax, domain: shop.test, path: / }",
			Step{Kind: KindExpect, Expect: &Expect{
				URL:     &Match{Equals: "/account"},
				Text:    &TextExpect{Selector: "#welcome", Contains: "Welcome"},
				Session: "rotated",
				Cookie: &CookieExpect{Name: "SID", Present: ptr(true), Secure: ptr(true), HTTPOnly: ptr(false), Session: ptr(true),
					SameSite: "Lax", Domain: "shop.test", Path: "/"},
			}}},
		{"expect url contains", "expect: { url: { contains: acc } }", Step{Kind: KindExpect, Expect: &Expect{URL: &Match{Contains: "acc"}}}},
		{"expect url matches", `expect: { url: { matches: "^/acc(ount)?$" } }`, Step{Kind: KindExpect, Expect: &Expect{URL: &Match{Matches: "^/acc(ount)?$"}}}},
		{"expect url equals", "expect: { url: { equals: /a } }", Step{Kind: KindExpect, Expect: &Expect{URL: &Match{Equals: "/a"}}}},
		{"expect text equals", `expect: { text: { selector: h1, equals: Hi } }`, Step{Kind: KindExpect, Expect: &Expect{Text: &TextExpect{Selector: "h1", Equals: "Hi"}}}},
		{"expect session kept", "expect: { session: kept }", Step{Kind: KindExpect, Expect: &Expect{Session: "kept"}}},
		{"expect session present", "expect: { session: present }", Step{Kind: KindExpect, Expect: &Expect{Session: "present"}}},
		{"expect session gone", "expect: { session: gone }", Step{Kind: KindExpect, Expect: &Expect{Session: "gone"}}},
		{"expect cookie absent", "expect: { cookie: { name: SID, present: false } }", Step{Kind: KindExpect, Expect: &Expect{Cookie: &CookieExpect{Name: "SID", Present: ptr(false)}}}},
		{"escaped dollar", `fill: { selector: "#a", value: "$${literal}" }`, Step{Kind: KindFill, Selector: "#a", Value: "$${literal}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := Parse("t.yaml", []byte(head+"  - "+tt.yaml+"\n"))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(sc.Steps) != 1 {
				t.Fatalf("got %d steps, want 1", len(sc.Steps))
			}
			want := tt.want
			want.Pos = Pos{File: "t.yaml", Line: 4, Col: 5}
			if got := sc.Steps[0]; !reflect.DeepEqual(got, want) {
				t.Errorf("got  %#v\nwant %#v", got, want)
				if got.Expect != nil && want.Expect != nil {
					t.Errorf("expect: got %#v, want %#v", *got.Expect, *want.Expect)
				}
			}
		})
	}
}

// session.loggedIn is the logged-in marker without a probe page (a
// single-page app renders it by script); it resolves variables and wins
// over the probe's.
func TestParseLoggedInMarker(t *testing.T) {
	sc, err := Parse("t.yaml", []byte("name: n\ntarget: https://a.test\nsession:\n  loggedIn: { selector: \"${vars.w}\" }\n  probe: { path: /account, loggedIn: { selector: '#probe-only' } }\nvars: { w: '#welcome' }\nsteps: [goto: /]\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := sc.Resolve(Resolver{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Session.LoggedInSelector != "#welcome" || r.Session.Probe.LoggedInSelector != "#probe-only" {
		t.Errorf("LoggedInSelector = %q, probe's %q", r.Session.LoggedInSelector, r.Session.Probe.LoggedInSelector)
	}
}

func TestParseLoggedOutMarker(t *testing.T) {
	sc, err := Parse("t.yaml", []byte("name: n\ntarget: https://a.test\nsession:\n  loggedOut: { selector: \"${vars.form}\" }\nvars: { form: '#login-form' }\nsteps: [goto: /]\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := sc.Resolve(Resolver{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Session.LoggedOutSelector != "#login-form" {
		t.Errorf("LoggedOutSelector = %q", r.Session.LoggedOutSelector)
	}
}

func TestParseDesignExample(t *testing.T) {
	// The documented example scenario, the public contract.
	const src = `name: Login rotates the session ID          # required
target: https://shop.test:8443               # base URL; steps' paths resolve against it
tags: [auth, smoke]
session:
  cookies: [SID]                             # session-ID cookie names; default: auto-detect
  nodeHeader: X-Backend                      # response header naming the serving node (default: common ones)
  probe:                                     # how to tell "logged in" for replay checks
    path: /account
    loggedIn: { selector: "#welcome" }       # CSS selector present when authenticated
vars:
  user: alice
steps:
  - goto: /login
  - fill: { selector: "#user", value: "${vars.user}" }
  - fill: { selector: "#password", value: "${env.SHOP_PASSWORD}", secret: true }
  - submit: "#login-form"
    as: login                                # privilege boundary: the ID must rotate here
  - expect:
      url: /account
      text: { selector: "#welcome", contains: "Welcome" }
      session: rotated                       # rotated | kept | present | gone
      cookie: { name: SID, secure: true, httpOnly: true, sameSite: Lax }
  - click: "#plain-link"
  - wait: 2s                                 # a duration, or { selector: ... } / { url: ... }
  - restart: browser                         # close and reopen: session cookies are dropped
  - click: "#logout"
    as: logout                               # the ID must end here, and die on the server
`
	sc, err := Parse("design.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "Login rotates the session ID" || sc.Target != "https://shop.test:8443" || sc.File != "design.yaml" {
		t.Errorf("name/target/file = %q %q %q", sc.Name, sc.Target, sc.File)
	}
	if want := (Pos{File: "design.yaml", Line: 1, Col: 1}); sc.Pos != want {
		t.Errorf("Pos = %v, want %v", sc.Pos, want)
	}
	if !slices.Equal(sc.Tags, []string{"auth", "smoke"}) {
		t.Errorf("Tags = %q", sc.Tags)
	}
	wantSession := Session{Cookies: []string{"SID"}, NodeHeader: "X-Backend", Probe: &Probe{Path: "/account", LoggedInSelector: "#welcome"}}
	if !reflect.DeepEqual(sc.Session, wantSession) {
		t.Errorf("Session = %#v", sc.Session)
	}
	if !reflect.DeepEqual(sc.Vars, map[string]string{"user": "alice"}) {
		t.Errorf("Vars = %v", sc.Vars)
	}
	var kinds []Kind
	for i, st := range sc.Steps {
		if st.Index != i {
			t.Errorf("step %d has Index %d", i, st.Index)
		}
		kinds = append(kinds, st.Kind)
	}
	wantKinds := []Kind{KindGoto, KindFill, KindFill, KindSubmit, KindExpect, KindClick, KindWait, KindRestart, KindClick}
	if !slices.Equal(kinds, wantKinds) {
		t.Errorf("kinds = %v, want %v", kinds, wantKinds)
	}
	if st := sc.Steps[3]; st.As != "login" || st.Pos != (Pos{File: "design.yaml", Line: 16, Col: 5}) {
		t.Errorf("submit step = %+v", st)
	}
	if st := sc.Steps[8]; st.As != "logout" || st.Pos.Line != 26 {
		t.Errorf("logout step = %+v", st)
	}
}

func TestParseAliasesAndMerges(t *testing.T) {
	src := head + `  - &open { goto: /login, name: open }
  - *open
  - <<: *open
    name: reopen
  - fill: &user { selector: "#user", value: alice }
  - fill:
      <<: *user
      value: bob
`
	sc, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range sc.Steps {
		got = append(got, st.Name+"|"+st.URL+"|"+st.Selector+"|"+st.Value)
	}
	want := []string{"open|/login||", "open|/login||", "reopen|/login||", "||#user|alice", "||#user|bob"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestStepString(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(head+`  - fill: { selector: "#pw", value: hunter2, secret: true }
  - goto: /a
    name: open
  - press: { selector: "#q", key: Enter }
  - wait: 1s
  - expect: { session: kept }
  - click: "#export"
    in: popup 1
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range sc.Steps {
		got = append(got, st.String())
	}
	want := []string{"fill #pw", "open (goto /a)", "press Enter #q", "wait 1s", "expect", "click #export in popup 1"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if strings.Contains(strings.Join(got, " "), "hunter2") {
		t.Error("String shows a secret value")
	}
}
