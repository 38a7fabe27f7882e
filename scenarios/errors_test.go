package scenarios

import (
	"errors"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/yamlfile"
	"github.com/sessiontrace/sessiontrace/internal/yamlfile/yamlfiletest"
)

// parseErrors returns the messages Parse gives for src, one a line.
func parseErrors(t *testing.T, src string) []string {
	t.Helper()
	return yamlfiletest.Errors(t, Parse, "t.yaml", []byte(src))
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		// Unknown keys, with hints.
		{"unknown top key", "name: n\ntarget: https://a.test\nstpes: []\n", []string{
			`t.yaml:3:1: unknown key "stpes" (did you mean "steps"?)`,
		}},
		{"unknown step kind", head + "  - goot: /login\n", []string{
			`t.yaml:4:5: step: unknown key "goot" (did you mean "goto"?)`,
		}},
		{"loggedOut misspelt", "name: n\ntarget: https://a.test\nsession:\n  loggedOut: { slector: '#login' }\nsteps: [goto: /]\n", []string{
			`t.yaml:4:16: session.loggedOut: unknown key "slector" (did you mean "selector"?)`,
		}},
		{"loggedIn not an object", "name: n\ntarget: https://a.test\nsession:\n  loggedIn: '#welcome'\nsteps: [goto: /]\n", []string{
			`t.yaml:4:13: session.loggedIn: expected a mapping, got a string`,
		}},
		{"loggedIn with a bad selector", "name: n\ntarget: https://a.test\nsession:\n  loggedIn: { selector: 'a[' }\nsteps: [goto: /]\n", []string{
			`t.yaml:4:25: session.loggedIn.selector: unclosed '[' in selector "a["`,
		}},
		{"loggedOut with a bad selector", "name: n\ntarget: https://a.test\nsession:\n  loggedOut: { selector: 'a[' }\nsteps: [goto: /]\n", []string{
			`t.yaml:4:26: session.loggedOut.selector: unclosed '[' in selector "a["`,
		}},
		{"in: a window that is no popup", head + "  - click: '#a'\n    in: window 2\n", []string{
			`t.yaml:5:9: in: want tab, popup (the last window the journey opened), popup N (the Nth, from 1), popup url=TEXT or popup title=TEXT (the last one opened whose URL or title contains TEXT) or frame SELECTOR (a frame of the tab), then any frames inside it, each after a >: popup 1 > frame #login > frame #captcha, got "window 2"`,
		}},
		{"in: a popup's url with a variable", head + "  - click: '#a'\n    in: 'popup url=${vars.idp}/login'\n", []string{
			`t.yaml:5:9: in: a window's url= or title= is matched as written, with no ${...} in it (a part of the URL or title that does not change will do), got "popup url=${vars.idp}/login"`,
		}},
		{"in: a popup inside a frame", head + "  - click: '#a'\n    in: 'frame #f > popup 1'\n", []string{
			`t.yaml:5:9: in: a window comes first, frames after it (popup 1 > frame #login), got "frame #f > popup 1"`,
		}},
		{"in: a nested frame with a bad selector", head + "  - click: '#a'\n    in: 'popup 1 > frame #f > frame iframe['\n", []string{
			`t.yaml:5:9: in.frame: unclosed '[' in selector "iframe["`,
		}},

		{"in: a frame with a bad selector", head + "  - click: '#a'\n    in: frame iframe[\n", []string{
			`t.yaml:5:9: in.frame: unclosed '[' in selector "iframe["`,
		}},
		{"in: on a step of the browser context", head + "  - clearCookies: true\n    in: popup\n", []string{
			`t.yaml:5:9: in: clearCookies acts on the browser context, not on a window: it takes no in`,
		}},
		{"unknown nested key", head + "  - fill: { slector: '#a', value: x }\n", []string{
			`t.yaml:4:13: fill: unknown key "slector" (did you mean "selector"?)`,
		}},
		{"case of a key", head + "  - expect: { cookie: { name: SID, httponly: true } }\n", []string{
			`t.yaml:4:36: expect.cookie: unknown key "httponly" (did you mean "httpOnly"?)`,
		}},
		{"unknown key without hint", head + "  - goto: /\n    banana: 1\n", []string{
			`t.yaml:5:5: step: unknown key "banana"`,
		}},
		{"secret beside fill", head + "  - fill: { selector: '#a', value: x }\n    secret: true\n", []string{
			`t.yaml:5:5: step: unknown key "secret"`,
		}},

		// Wrong types.
		{"sequence for string", head + "  - click: ['#a', '#b']\n", []string{
			`t.yaml:4:12: click: expected a string, got a sequence`,
		}},
		{"mapping for string", "name: {a: b}\ntarget: https://a.test\nsteps: [{goto: /}]\n", []string{
			`t.yaml:1:7: name: expected a string, got a mapping`,
		}},
		{"null for string", head + "  - goto:\n", []string{
			`t.yaml:4:10: goto: expected a string, got nothing`,
		}},
		{"string for mapping", head + "  - fill: '#a'\n", []string{
			`t.yaml:4:11: fill: expected a mapping, got a string`,
		}},
		{"string for bool", head + "  - fill: { selector: '#a', value: x, secret: yes }\n", []string{
			`t.yaml:4:47: fill.secret: expected true or false, got a string (did you mean "true"?)`,
		}},
		{"steps not a list", "name: n\ntarget: https://a.test\nsteps: {goto: /}\n", []string{
			`t.yaml:3:8: steps: expected a sequence, got a mapping`,
		}},
		{"top level not a mapping", "- goto: /\n", []string{
			`t.yaml:1:1: expected a mapping with name, target and steps, got a sequence`,
		}},
		{"step is a string", head + "  - goto /login\n  - restart\n", []string{
			`t.yaml:4:5: step: expected a mapping such as "goto: /path", got a string (did you mean "goto: /login"?)`,
			`t.yaml:5:5: step: expected a mapping such as "goto: /path", got a string (did you mean "restart: browser"?)`,
		}},
		{"clearCookies false", head + "  - clearCookies: false\n", []string{
			`t.yaml:4:19: clearCookies: false clears nothing: remove the step, or write true to clear all cookies`,
		}},
		{"clearCookies list", head + "  - clearCookies: [a]\n", []string{
			`t.yaml:4:19: clearCookies: expected {}, true or { name: COOKIE }, got a sequence`,
		}},
		{"bad var value", "vars: { a: [1] }\n" + head + "  - goto: /\n", []string{
			`t.yaml:1:12: vars.a: expected a string, got a sequence`,
		}},

		// Missing fields.
		{"missing everything", "tags: [a]\n", []string{
			`t.yaml:1:1: missing "name"`,
			`t.yaml:1:1: missing "steps"`,
			`t.yaml:1:1: missing "target"`,
		}},
		{"empty name", "name: ' '\ntarget: https://a.test\nsteps: [{goto: /}]\n", []string{
			`t.yaml:1:7: name: must not be empty`,
		}},
		{"empty steps", "name: n\ntarget: https://a.test\nsteps: []\n", []string{
			`t.yaml:3:8: steps: needs at least one step`,
		}},
		{"fill without value", head + "  - fill: { selector: '#a' }\n", []string{
			`t.yaml:4:11: fill: missing "value"`,
		}},
		{"select without anything", head + "  - select: {}\n", []string{
			`t.yaml:4:13: select: missing "selector"`,
			`t.yaml:4:13: select: missing "value"`,
		}},
		{"setCookie without name", head + "  - setCookie: { value: x }\n", []string{
			`t.yaml:4:16: setCookie: missing "name"`,
		}},
		{"expect cookie without name", head + "  - expect: { cookie: { secure: true } }\n", []string{
			`t.yaml:4:23: expect.cookie: missing "name"`,
		}},
		{"expect empty", head + "  - expect: {}\n", []string{
			`t.yaml:4:13: expect: needs at least one of url, text, session or cookie`,
		}},
		{"expect text both", head + "  - expect: { text: { selector: h1, contains: a, equals: b } }\n", []string{
			`t.yaml:4:50: expect.text: want only one of "contains" or "equals", got both "contains" and "equals"`,
		}},
		{"expect text neither", head + "  - expect: { text: { selector: h1 } }\n", []string{
			`t.yaml:4:21: expect.text: missing "contains" or "equals"`,
		}},
		{"wait neither", head + "  - wait: {}\n", []string{
			`t.yaml:4:11: wait: missing "selector", "url" or "popup"`,
		}},
		{"wait popup zero", head + "  - wait: { popup: 0 }\n", []string{
			`t.yaml:4:20: wait.popup: want the popup's number, from 1 to 9999, got 0`,
		}},
		{"wait popup text", head + "  - wait: { popup: last }\n", []string{
			`t.yaml:4:20: wait.popup: expected a whole number, got "last"`,
		}},
		{"close the tab", head + "  - close: tab\n", []string{
			`t.yaml:4:12: close: the scenario's tab cannot be closed (a restart step ends the browser): want popup or popup N`,
		}},
		{"close a frame", head + "  - close: frame 1\n", []string{
			`t.yaml:4:12: close: want popup (the last window the journey opened) or popup N (the Nth, from 1), got "frame 1"`,
		}},
		{"close in a popup", head + "  - close: popup\n    in: popup\n", []string{
			`t.yaml:5:9: in: close acts on the browser context, not on a window: it takes no in`,
		}},
		{"probe without loggedIn", "session: { probe: { path: /a } }\n" + head + "  - goto: /\n", []string{
			`t.yaml:1:19: session.probe: missing "loggedIn"`,
		}},
		{"unrelated unknown key keeps missing", head + "  - fill: { selector: '#a', banana: x }\n", []string{
			`t.yaml:4:11: fill: missing "value"`,
			`t.yaml:4:29: fill: unknown key "banana"`,
		}},
		{"step without a kind and an unknown key", head + "  - navigate: /a\n", []string{
			`t.yaml:4:5: step: missing an action: want one of goto, click, fill, select, check, press, submit, wait, eval, setCookie, clearCookies, restart, screenshot, expect or close`,
			`t.yaml:4:5: step: unknown key "navigate"`,
		}},
		{"misspelt required key reported once", head + "  - fill: { selector: '#a', vlaue: x }\n", []string{
			`t.yaml:4:29: fill: unknown key "vlaue" (did you mean "value"?)`,
		}},

		// Kinds per step.
		{"no kind", head + "  - name: nothing\n", []string{
			`t.yaml:4:5: step: missing an action: want one of goto, click, fill, select, check, press, submit, wait, eval, setCookie, clearCookies, restart, screenshot, expect or close`,
		}},
		{"two kinds", head + "  - goto: /a\n    click: '#b'\n", []string{
			`t.yaml:5:5: step: has two actions, goto and click: give each its own step`,
		}},

		// Durations.
		{"bad duration", head + "  - wait: 2 seconds\n", []string{
			`t.yaml:4:11: wait: expected a duration like 2s or 500ms, got "2 seconds"`,
		}},
		{"bare number", head + "  - goto: /\n    timeout: 10\n", []string{
			`t.yaml:5:14: timeout: expected a duration like 2s or 500ms, got "10" (did you mean "10s"?)`,
		}},
		{"negative", head + "  - setCookie: { name: a, maxAge: -1h }\n", []string{
			`t.yaml:4:35: setCookie.maxAge: a duration cannot be negative, got "-1h"`,
		}},
		{"zero wait", head + "  - wait: 0s\n", []string{
			`t.yaml:4:11: wait: a wait needs a duration above zero`,
		}},
		{"huge duration", head + "  - wait: 99999999999999999999h\n", []string{
			`t.yaml:4:11: wait: "99999999999999999999h" is too large: at most 24h`,
		}},
		{"absurd durations", head + "  - goto: /\n    timeout: 25h\n  - wait: 1000000h\n  - setCookie: { name: a, value: b, maxAge: 9601h }\n  - wait: 24h\n", []string{
			`t.yaml:5:14: timeout: "25h" is too large: at most 24h`,
			`t.yaml:6:11: wait: "1000000h" is too large: at most 24h`,
			`t.yaml:7:45: setCookie.maxAge: "9601h" is too large: at most 9600h`,
		}},

		// Enums.
		{"as", head + "  - goto: /\n    as: logon\n", []string{
			`t.yaml:5:9: as: unknown value "logon": want login, logout or privilege (did you mean "login"?)`,
		}},
		{"session", head + "  - expect: { session: rotate }\n", []string{
			`t.yaml:4:24: expect.session: unknown value "rotate": want rotated, kept, present or gone (did you mean "rotated"?)`,
		}},
		{"sameSite", head + "  - setCookie: { name: a, sameSite: lax }\n", []string{
			`t.yaml:4:37: setCookie.sameSite: unknown value "lax": want Strict, Lax or None (did you mean "Lax"?)`,
		}},
		{"restart", head + "  - restart: tab\n", []string{
			`t.yaml:4:14: restart: unknown value "tab": want browser`,
		}},
		{"restart typo", head + "  - restart: browsr\n", []string{
			`t.yaml:4:14: restart: unknown value "browsr": want browser (did you mean "browser"?)`,
		}},

		// Values.
		{"relative target", "name: n\ntarget: shop.test\nsteps: [{goto: /}]\n", []string{
			`t.yaml:2:9: target: expected an absolute http or https URL, got "shop.test"`,
		}},
		{"ftp target", "name: n\ntarget: ftp://shop.test\nsteps: [{goto: /}]\n", []string{
			`t.yaml:2:9: target: expected an absolute http or https URL, got "ftp://shop.test"`,
		}},
		{"bad port", "name: n\ntarget: https://shop.test:99999\nsteps: [{goto: /}]\n", []string{
			`t.yaml:2:9: target: expected an absolute http or https URL, got "https://shop.test:99999"`,
		}},
		{"goto scheme", head + "  - goto: javascript:alert(1)\n", []string{
			`t.yaml:4:11: goto: unsupported URL scheme "javascript": want a path, or an http or https URL`,
		}},
		{"bad regex", head + "  - expect: { url: { matches: '([a-z]' } }\n", []string{
			"t.yaml:4:31: expect.url.matches: bad regular expression: missing closing ): `([a-z]`",
		}},
		{"bad selector", head + "  - click: 'div >'\n  - fill: { selector: 'input[name=a', value: x }\n", []string{
			`t.yaml:4:12: click: selector "div >" ends with the combinator ">"`,
			`t.yaml:5:23: fill.selector: unclosed '[' in selector "input[name=a"`,
		}},
		{"screenshot outside", head + "  - screenshot: ../../etc/x.png\n", []string{
			`t.yaml:4:17: screenshot: expected a relative file name inside the run folder, got "../../etc/x.png"`,
		}},
		{"cookie name", head + "  - setCookie: { name: 'a b' }\n", []string{
			`t.yaml:4:24: setCookie.name: invalid cookie name "a b"`,
		}},
		{"cookie path", head + "  - setCookie: { name: a, path: app }\n", []string{
			`t.yaml:4:33: setCookie.path: a cookie path starts with /, got "app"`,
		}},
		{"session cookie name", "session: { cookies: [' SID'] }\n" + head + "  - goto: /\n", []string{
			`t.yaml:1:22: session.cookies: invalid cookie name " SID" (did you mean "SID"?)`,
		}},

		// Variables.
		{"unterminated", head + "  - goto: /${env.X\n", []string{
			`t.yaml:4:11: goto: unterminated "${": add the closing "}" (or write "$${" for a literal "${")`,
		}},
		{"empty name", head + "  - goto: /${}\n", []string{
			`t.yaml:4:11: goto: empty variable name in "${}"`,
		}},
		{"unknown namespace", head + "  - goto: ${var.x}\n", []string{
			`t.yaml:4:11: goto: unknown variable "${var.x}": want ${env.NAME}, ${vars.NAME} or ${lab} (did you mean "${vars.x}"?)`,
		}},
		{"bare var name", "vars: { user: u }\n" + head + "  - goto: /${user}\n", []string{
			`t.yaml:5:11: goto: unknown variable "${user}": want ${env.NAME}, ${vars.NAME} or ${lab} (did you mean "${vars.user}"?)`,
		}},
		{"spaces", head + "  - goto: ${ lab }\n", []string{
			`t.yaml:4:11: goto: unknown variable "${ lab }": want ${env.NAME}, ${vars.NAME} or ${lab} (did you mean "${lab}"?)`,
		}},
		{"bad env name", head + "  - goto: /${env.A-B}\n", []string{
			`t.yaml:4:11: goto: bad variable name "${env.A-B}"`,
		}},
		{"undeclared var", "vars: { user: u }\n" + head + "  - fill: { selector: '#u', value: '${vars.usr}' }\n", []string{
			`t.yaml:5:36: fill.value: unknown variable ${vars.usr}: declare it under vars (did you mean "${vars.user}"?)`,
		}},
		{"var uses var", "vars: { a: x, b: '${vars.a}' }\n" + head + "  - goto: /\n", []string{
			`t.yaml:1:18: vars.b: a var cannot use another var (${vars.a}): only ${env.NAME} and ${lab}`,
		}},
		{"bad var name", "vars: { 'a b': x }\n" + head + "  - goto: /\n", []string{
			`t.yaml:1:9: vars: bad variable name "a b": use letters, digits, _ and -`,
		}},
		{"secret not quoted", head + "  - fill: { selector: '#p', value: 'pa${ss', secret: true }\n", []string{
			`t.yaml:4:36: fill.value: bad ${...} reference in a secret value (write $${ for a literal ${)`,
		}},

		// YAML itself.
		{"syntax", "name: n\nsteps: [\n", []string{
			`t.yaml:2:1: invalid YAML: did not find expected node content`,
		}},
		// A mis-indented step key is reported at its own line, not at
		// the list's.
		{"step key indented too little", head + "  - goto: /\n  - click: '#a'\n   as: login\n  - goto: /b\n", []string{
			`t.yaml:6:4: invalid YAML: did not find expected '-' indicator (is this line indented like the list items above it? a step's keys line up under the first key after its '-')`,
		}},
		{"step key at the dash", head + "  - goto: /\n  - click: '#a'\n  as: login\n", []string{
			`t.yaml:6:3: invalid YAML: did not find expected '-' indicator (is this line indented like the list items above it? a step's keys line up under the first key after its '-')`,
		}},
		{"step key indented too much", head + "  - goto: /\n  - click: '#a'\n      as: login\n  - goto: /b\n", []string{
			`t.yaml:6:7: invalid YAML: did not find expected key (is this line indented like the keys above it?)`,
		}},
		{"syntax first line", "\tname: n\n", []string{
			`t.yaml:1: invalid YAML: found character that cannot start any token`,
		}},
		{"duplicate key", "name: a\nname: b\ntarget: https://a.test\nsteps: [{goto: /}]\n", []string{
			`t.yaml:2:1: duplicate key "name" (first at line 1)`,
		}},
		{"duplicate nested key", head + "  - fill: { selector: a, selector: b, value: c }\n", []string{
			`t.yaml:4:26: fill: duplicate key "selector" (first at line 4)`,
		}},
		{"unknown anchor", head + "  - goto: /\n  - *nope\n", []string{
			`t.yaml:5:5: invalid YAML: unknown anchor "nope": define it with &nope before using *nope`,
		}},
		{"empty file", "", []string{`t.yaml:1:1: empty file: a scenario needs name, target and steps`}},
		{"only comments", "# nothing\n", []string{`t.yaml:1:1: empty file: a scenario needs name, target and steps`}},
		{"two documents", head + "  - goto: /\n---\nname: other\n", []string{
			`t.yaml:6:1: a scenario file holds one YAML document; move this one to a file of its own`,
		}},
		{"not UTF-8", "name: caf\xe9\n", []string{`t.yaml:1:10: not a UTF-8 text file (is it binary?)`}},
		{"binary", "\x7fELF\x00\x00", []string{`t.yaml:1:1: control character U+007F is not allowed`}},
		{"NUL", "name: a\x00b\n", []string{`t.yaml:1:8: not a text file: it contains a NUL byte`}},
		{"control character", "name: n\ntarget: x\x1b[0m\n", []string{`t.yaml:2:10: control character U+001B is not allowed`}},
		{"non-string key", head + "  - goto: /\n    ? [a]\n    : b\n", []string{`t.yaml:5:7: step: expected a key name, got a sequence`}},
		{"alias cycle", head + "  - &s [*s]\n", []string{`t.yaml:4:5: step: expected a mapping, got a sequence`}},
		{"merge cycle", head + "  - &m { goto: /, <<: *m, banana: 1 }\n", []string{`t.yaml:4:27: step: unknown key "banana"`}},
		{"merge of a string", head + "  - goto: /\n    <<: x\n", []string{`t.yaml:5:9: step: a merge key (<<) takes a mapping or a list of mappings, got a string`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseErrors(t, tt.src)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestParseErrorsHaveLines(t *testing.T) {
	// Every entry must point into the file: the CLI promises file, line
	// and column.
	_, err := Parse("t.yaml", []byte("name: [\n"))
	for _, e := range err.(ErrorList) {
		if e.Pos.File != "t.yaml" || e.Pos.Line < 1 {
			t.Errorf("error without a line: %v", e)
		}
	}
}

func TestSelectors(t *testing.T) {
	valid := []string{
		"#a", ".b", "div", "*", `a[href^="http:"]`, "#a > .b:not(.c)", "input[name=user]",
		"ul li + li", "h1 ~ p", "a, b", `a[title="x, y > z"]`, `a[data-x='[']`, "li:nth-child(2n+1)",
		":has(> img)", `#weird\]id`, `.a\>`, "//div[@id='x']", "[data-test='a(b']", "select#lang option:checked",
	}
	for _, s := range valid {
		if pr := checkSelector(s); pr != nil {
			t.Errorf("checkSelector(%q) = %q, want valid", s, pr.msg)
		}
	}
	invalid := map[string]string{
		"":         "empty selector",
		"   ":      "empty selector",
		"a[href":   `unclosed '[' in selector "a[href"`,
		"a)":       `unbalanced ')' in selector "a)"`,
		"a[b)":     `unbalanced ')' in selector "a[b)"`,
		`a[x="y]`:  `unterminated quote " in selector "a[x=\"y]"`,
		"> a":      `selector "> a" starts with the combinator ">"`,
		"a +":      `selector "a +" ends with the combinator "+"`,
		"a ~":      `selector "a ~" ends with the combinator "~"`,
		"a, ,b":    `empty selector in the list "a, ,b"`,
		"a,":       `empty selector in the list "a,"`,
		"a, > b":   `selector "a, > b" starts with the combinator ">"`,
		":not(.a":  `unclosed '(' in selector ":not(.a"`,
		"a]":       `unbalanced ']' in selector "a]"`,
		"[a='b'":   `unclosed '[' in selector "[a='b'"`,
		"p:is(a,)": "", // commas inside parens are the browser's business
	}
	for s, want := range invalid {
		pr := checkSelector(s)
		got := ""
		if pr != nil {
			got = pr.msg
		}
		if got != want {
			t.Errorf("checkSelector(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		word, want string
		from       []string
	}{
		{"slector", "selector", []string{"selector", "value", "secret"}},
		{"goot", "goto", stepKeys},
		{"httponly", "httpOnly", []string{"name", "secure", "httpOnly", "sameSite"}},
		{"stpes", "steps", topKeys},
		{"banana", "", stepKeys},
		{"id", "", []string{"url"}},
		{"", "", []string{"a"}},
		{strings.Repeat("x", 100), "", []string{strings.Repeat("x", 99)}},
		{"clearCookie", "clearCookies", stepKeys},
		{"Lax", "", []string{"Lax"}}, // exact: nothing to suggest
	}
	for _, tt := range tests {
		if got := yamlfile.Suggest(tt.word, tt.from...); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Pos: Pos{File: "a.yaml", Line: 3, Col: 7}, Msg: "boom"}, "a.yaml:3:7: boom"},
		{&Error{Pos: Pos{File: "a.yaml", Line: 3, Col: 7}, Msg: "boom", Hint: "x"}, `a.yaml:3:7: boom (did you mean "x"?)`},
		{&Error{Pos: Pos{File: "a.yaml", Line: 3}, Msg: "boom"}, "a.yaml:3: boom"},
		{&Error{Pos: Pos{File: "a.yaml"}, Msg: "no such file"}, "a.yaml: no such file"},
		{&Error{Pos: Pos{Line: 2, Col: 1}, Msg: "boom"}, "2:1: boom"},
		{&Error{Pos: Pos{}, Msg: "boom"}, "boom"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}

	list := ErrorList{
		{Pos: Pos{File: "b.yaml", Line: 1, Col: 1}, Msg: "b"},
		{Pos: Pos{File: "a.yaml", Line: 2, Col: 1}, Msg: "a2"},
		{Pos: Pos{File: "a.yaml", Line: 1, Col: 5}, Msg: "a1"},
		{Pos: Pos{File: "a.yaml", Line: 2, Col: 1}, Msg: "a2"}, // duplicate
	}
	err := list.Err()
	want := "a.yaml:1:5: a1\na.yaml:2:1: a2\nb.yaml:1:1: b"
	if err.Error() != want {
		t.Errorf("ErrorList:\n%s\nwant:\n%s", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Msg != "a1" {
		t.Errorf("errors.As found %v, want the first error", e)
	}
	if ErrorList(nil).Err() != nil {
		t.Error("empty ErrorList.Err() is not nil")
	}
}
