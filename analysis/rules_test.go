package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// setOne is a recording with one response setting one cookie; declared
// lists the session cookies ("" for auto-detection).
func setOne(url, name, raw, attrs string, declared ...string) *recording.Recording {
	b := newRec("one", declared...)
	b.step("goto", "")
	b.get(url).set(name, raw, attrs)
	return b.rec()
}

type ruleCase struct {
	name string
	rec  func() *recording.Recording
	rule string
	want Severity // "" means the rule must not fire
	msg  string   // a substring of the message, if any
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := analyze(t, c.rec())
			fs := findings(rep, c.rule)
			if c.want == "" {
				if len(fs) != 0 {
					t.Fatalf("%s fired: %+v", c.rule, fs)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("%s: %d findings, want 1: %+v", c.rule, len(fs), rep.Findings)
			}
			if fs[0].Severity != c.want {
				t.Errorf("severity = %s, want %s", fs[0].Severity, c.want)
			}
			if c.msg != "" && !strings.Contains(fs[0].Message, c.msg) {
				t.Errorf("message %q lacks %q", fs[0].Message, c.msg)
			}
			if fs[0].Scenario == "" || fs[0].Remediation == "" {
				t.Errorf("finding without scenario or remediation: %+v", fs[0])
			}
		})
	}
}

const sid = "SID"

func TestCookieRules(t *testing.T) {
	https := "https://app.test/"
	runRuleCases(t, []ruleCase{
		{"secure missing, session", func() *recording.Recording { return setOne(https, sid, id("a"), "Path=/; HttpOnly; SameSite=Lax", sid) },
			RuleCookieSecureMissing, High, "without Secure"},
		{"secure missing, other cookie", func() *recording.Recording { return setOne(https, "pref", "dark-mode", "Path=/", sid) },
			RuleCookieSecureMissing, Low, ""},
		{"secure missing on http://localhost", func() *recording.Recording {
			return setOne("http://localhost:8080/", sid, id("a"), "Path=/; HttpOnly; SameSite=Lax", sid)
		}, RuleCookieSecureMissing, High, "secure origins for Chromium"},
		{"secure present", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs, sid) }, RuleCookieSecureMissing, "", ""},
		{"secure missing on a deletion", func() *recording.Recording { return setOne(https, sid, "", "Path=/; Max-Age=0", sid) },
			RuleCookieSecureMissing, "", ""},
		{"over plain http on a real host", func() *recording.Recording { return setOne("http://app.test/", sid, id("a"), "Path=/", sid) },
			RuleCookieSecureMissing, "", ""},

		{"httponly missing, session", func() *recording.Recording { return setOne(https, sid, id("a"), "Path=/; Secure; SameSite=Lax", sid) },
			RuleCookieHTTPOnlyMissing, Medium, "document.cookie"},
		{"httponly missing, other", func() *recording.Recording { return setOne(https, "pref", "dark-mode", "Path=/; Secure", sid) },
			RuleCookieHTTPOnlyMissing, Info, ""},
		{"httponly present", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs, sid) }, RuleCookieHTTPOnlyMissing, "", ""},

		{"samesite missing", func() *recording.Recording { return setOne(https, sid, id("a"), "Path=/; Secure; HttpOnly", sid) },
			RuleCookieSameSiteMissing, Low, "Lax"},
		{"samesite present", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs, sid) }, RuleCookieSameSiteMissing, "", ""},

		{"samesite none", func() *recording.Recording {
			return setOne(https, sid, id("a"), "Path=/; Secure; HttpOnly; SameSite=None", sid)
		}, RuleCookieSameSiteNone, Medium, ""},
		{"samesite lax is not none", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs, sid) }, RuleCookieSameSiteNone, "", ""},

		{"samesite invalid", func() *recording.Recording {
			return setOne(https, "sloppy", "1", "Path=/; Secure; SameSite=Sloppy", sid)
		}, RuleCookieSameSiteInvalid, Low, "Sloppy"},
		{"samesite lower case is valid", func() *recording.Recording {
			return setOne(https, sid, id("a"), "Path=/; Secure; HttpOnly; SameSite=lax", sid)
		}, RuleCookieSameSiteInvalid, "", ""},

		{"samesite none insecure", func() *recording.Recording {
			return setOne(https, sid, id("a"), "Path=/; HttpOnly; SameSite=None", sid)
		}, RuleCookieSameSiteNoneInsec, Medium, ""},
		{"samesite none secure", func() *recording.Recording {
			return setOne(https, sid, id("a"), "Path=/; Secure; HttpOnly; SameSite=None", sid)
		}, RuleCookieSameSiteNoneInsec, "", ""},

		{"domain parent", func() *recording.Recording {
			return setOne("https://www.app.test/", sid, id("a"), secureAttrs+"; Domain=app.test", sid)
		}, RuleCookieDomainLoose, Medium, "every subdomain"},
		{"domain = host", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs+"; Domain=app.test", sid) },
			RuleCookieDomainLoose, Low, ""},
		{"host-only", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs, sid) }, RuleCookieDomainLoose, "", ""},

		{"__Host- with Domain", func() *recording.Recording {
			return setOne(https, "__Host-x", id("a"), "Path=/; Secure; Domain=app.test")
		}, RuleCookiePrefixViolation, Low, "a Domain attribute"},
		{"__Secure- without Secure", func() *recording.Recording { return setOne(https, "__Secure-x", id("a"), "Path=/", sid) },
			RuleCookiePrefixViolation, Low, "no Secure"},
		{"__Host- done right", func() *recording.Recording { return setOne(https, "__Host-x", id("a"), "Path=/; Secure", sid) },
			RuleCookiePrefixViolation, "", ""},

		{"no __Host- prefix", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs, sid) },
			RuleCookieHostPrefixAbsent, Info, "only the name has to change"},
		{"__Host- prefix", func() *recording.Recording { return setOne(https, "__Host-SID", id("a"), secureAttrs, "__Host-SID") },
			RuleCookieHostPrefixAbsent, "", ""},
		{"no __Host- prefix, not a session cookie", func() *recording.Recording { return setOne(https, "pref", "dark-mode", secureAttrs, sid) },
			RuleCookieHostPrefixAbsent, "", ""},

		{"persistent 30 days", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs+"; Max-Age=2592000", sid) },
			RuleCookieSessionPersistent, High, "30 days"},
		{"persistent 2 days", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs+"; Max-Age=172800", sid) },
			RuleCookieSessionPersistent, Medium, ""},
		{"persistent 2 hours", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs+"; Max-Age=7200", sid) },
			RuleCookieSessionPersistent, Low, ""},
		{"persistent 30 minutes", func() *recording.Recording { return setOne(https, sid, id("a"), secureAttrs+"; Max-Age=1800", sid) },
			RuleCookieSessionPersistent, "", ""},
		{"persistent by Expires", func() *recording.Recording {
			return setOne(https, sid, id("a"), secureAttrs+"; Expires="+t0.Add(10*24*time.Hour).Format(time.RFC1123), sid)
		}, RuleCookieSessionPersistent, High, ""},
		{"persistent, not a session cookie", func() *recording.Recording {
			return setOne(https, "pref", "dark", secureAttrs+"; Max-Age=2592000", sid)
		},
			RuleCookieSessionPersistent, "", ""},

		{"lifetime 500 days", func() *recording.Recording {
			return setOne(https, "pref", "dark", secureAttrs+"; Max-Age=43200000", sid)
		},
			RuleCookieExpiryCapped, Low, "400 days"},
		{"lifetime 300 days", func() *recording.Recording {
			return setOne(https, "pref", "dark", secureAttrs+"; Max-Age=25920000", sid)
		},
			RuleCookieExpiryCapped, "", ""},

		{"too big", func() *recording.Recording {
			return setOne(https, "big", strings.Repeat("x", 4100), "Path=/; Secure", sid)
		},
			RuleCookieSizeExceeded, Low, "4096"},
		{"too big, refused", func() *recording.Recording {
			b := newRec("big", sid)
			b.step("goto", "")
			b.get(https).set(sid, strings.Repeat("x", 4100), secureAttrs, "NameValuePairExceedsMaxSize")
			return b.rec()
		}, RuleCookieSizeExceeded, Medium, "refused"},
		{"small", func() *recording.Recording {
			return setOne(https, "big", strings.Repeat("x", 100), "Path=/; Secure", sid)
		},
			RuleCookieSizeExceeded, "", ""},

		{"duplicate", func() *recording.Recording {
			b := newRec("dup", sid)
			b.step("goto", "")
			b.get(https).set("dup", "first", "Path=/; Secure").set("dup", "second", "Path=/; Secure").set("other", "x", "Path=/; Secure")
			return b.rec()
		}, RuleCookieDuplicateSet, Low, "2 times"},
		{"no duplicate", func() *recording.Recording {
			b := newRec("dup", sid)
			b.step("goto", "")
			b.get(https).set("a", "first", "Path=/; Secure").set("b", "second", "Path=/; Secure")
			return b.rec()
		}, RuleCookieDuplicateSet, "", ""},

		{"overwrite secure", func() *recording.Recording {
			b := newRec("ow", sid)
			b.step("goto", "")
			b.get("http://app.test/").set("pref", "b", "Path=/", "OverwriteSecure")
			return b.rec()
		}, RuleCookieOverwriteSecure, Low, "OverwriteSecure"},
		{"refused for another reason", func() *recording.Recording {
			b := newRec("ow", sid)
			b.step("goto", "")
			b.get("https://app.test/").set("pref", "b", "Path=/; Domain=other.test; Secure", "InvalidDomain")
			return b.rec()
		}, RuleCookieOverwriteSecure, "", ""},

		{"rejected", func() *recording.Recording {
			b := newRec("rej", sid)
			b.step("goto", "")
			b.get("https://app.test/").set("foreign", "1", "Path=/; Domain=other.test; Secure", "InvalidDomain")
			return b.rec()
		}, RuleCookieRejected, Low, "InvalidDomain"},
		{"rejected, reported by a specific rule", func() *recording.Recording {
			b := newRec("rej", sid)
			b.step("goto", "")
			b.get("https://app.test/").set("none", "1", "Path=/; SameSite=None", "SameSiteNoneInsecure")
			return b.rec()
		}, RuleCookieRejected, "", ""},
	})
}

func TestDuplicateFindingsAreCounted(t *testing.T) {
	b := newRec("dedup", sid)
	for i := 0; i < 3; i++ {
		b.step("goto", "")
		b.get("https://app.test/p").set(sid, id(string(rune('a'+i))), "Path=/; Secure; SameSite=Lax")
	}
	rep := analyze(t, b.rec())
	fs := findings(rep, RuleCookieHTTPOnlyMissing)
	if len(fs) != 1 || fs[0].Count != 3 || fs[0].Step != 0 || !strings.Contains(fs[0].Evidence, "steps 1, 2") {
		t.Fatalf("findings = %+v", fs)
	}
}

func TestSessionIDRules(t *testing.T) {
	urlRec := func(reveal bool, where string) func() *recording.Recording {
		return func() *recording.Recording {
			b := newRec("url", "JSESSIONID")
			if reveal {
				b.red = recording.NewRedactor([]byte("test key"), true)
				b.r.Options.RevealValues = true
			}
			b.step("goto", "")
			b.get("https://app.test/login").set("JSESSIONID", id("a"), secureAttrs)
			b.step("click", "")
			marker := "[value:" + b.val(id("a")).Short() + "]"
			if reveal {
				marker = id("a")
			}
			switch where {
			case "url":
				b.get("https://app.test/account;jsessionid="+marker).send("JSESSIONID", id("a"))
			case "referer":
				b.get("https://other.test/").referrer("https://app.test/?x=" + marker)
			case "param":
				b.get("https://app.test/?token=abcdefghijkl")
			case "clean":
				b.get("https://app.test/account?page=2").send("JSESSIONID", id("a"))
			}
			return b.rec()
		}
	}
	scriptRec := func(httpOnly bool) func() *recording.Recording {
		return func() *recording.Recording {
			b := newRec("script", sid)
			attrs := "Path=/; Secure; SameSite=Lax"
			if httpOnly {
				attrs += "; HttpOnly"
			}
			b.step("goto", "")
			b.get("https://app.test/").set(sid, id("a"), attrs)
			b.step("click", "")
			b.get("https://app.test/script").send(sid, id("a"))
			b.script("js_pref", "dark", "https://app.test/script")
			return b.rec()
		}
	}
	entropyRec := func(raw string) func() *recording.Recording {
		return func() *recording.Recording { return setOne("https://app.test/", sid, raw, secureAttrs, sid) }
	}
	cacheRec := func(cc string) func() *recording.Recording {
		return func() *recording.Recording {
			b := newRec("cache", sid)
			b.step("goto", "")
			b.get("https://app.test/").header("Cache-Control", cc).set(sid, id("a"), secureAttrs)
			return b.rec()
		}
	}
	runRuleCases(t, []ruleCase{
		{"ID marker in a URL", urlRec(false, "url"), RuleSessIDInURL, High, "appears in the URL"},
		{"ID in a Referer (revealed)", urlRec(true, "referer"), RuleSessIDInURL, High, "Referer"},
		{"token-named parameter", urlRec(false, "param"), RuleSessIDInURL, Medium, "token"},
		{"clean URLs", urlRec(false, "clean"), RuleSessIDInURL, "", ""},

		{"value in the page", func() *recording.Recording {
			b := newRec("page", sid)
			b.step("goto", "")
			b.get("https://app.test/").set(sid, id("a"), secureAttrs).
				page(recording.PageFacts{CookieValuesInPage: []recording.CookieKey{{Name: sid, Domain: "app.test", Path: "/"}}})
			return b.rec()
		}, RuleSessIDInPage, High, "HTML"},
		{"readable by script", scriptRec(false), RuleSessIDInPage, Medium, "no HttpOnly"},
		{"HttpOnly, script on the page", scriptRec(true), RuleSessIDInPage, "", ""},

		{"framework name", func() *recording.Recording { return setOne("https://app.test/", "PHPSESSID", id("a"), secureAttrs) },
			RuleSessIDNameFingerprint, Info, "PHP"},
		{"neutral name", func() *recording.Recording {
			return setOne("https://app.test/", "__Host-id", id("a"), secureAttrs, "__Host-id")
		},
			RuleSessIDNameFingerprint, "", ""},

		{"low entropy", entropyRec("12345678"), RuleSessIDLowEntropy, High, "all digits"},
		{"enough entropy", entropyRec(id("a")), RuleSessIDLowEntropy, "", ""},
		{"revealed counter", func() *recording.Recording {
			b := newRec("counter", sid)
			b.red = recording.NewRedactor([]byte("k"), true)
			b.r.Options.RevealValues = true
			b.step("goto", "")
			b.get("https://app.test/").set(sid, "4f1c9a0000000000000000000000a001", secureAttrs)
			b.step("goto", "login")
			b.post("https://app.test/login").send(sid, "4f1c9a0000000000000000000000a001").set(sid, "4f1c9a0000000000000000000000a002", secureAttrs)
			return b.rec()
		}, RuleSessIDLowEntropy, High, "(a counter)"},

		{"cacheable", cacheRec("private, max-age=60"), RuleSessIDCacheable, Medium, "private"},
		{"no-store", cacheRec("no-store"), RuleSessIDCacheable, "", ""},
		{"no Cache-Control", cacheRec(""), RuleSessIDCacheable, Medium, "no Cache-Control"},
	})
}

func TestIDPattern(t *testing.T) {
	start := time.Unix(1790000000, 0)
	for _, c := range []struct {
		vals []string
		want string
	}{
		{[]string{"1000001", "1000007"}, "integers within 6"},
		{[]string{"sess-1790000100-ab", "sess-1790000200-cd"}, "Unix time"},
		{[]string{id("a"), id("b")}, ""},
		{[]string{"abcdefgh1234", "abcdefgh9876"}, "first 8 characters"},
	} {
		if got := idPattern(c.vals, start); c.want == "" && got != "" || !strings.Contains(got, c.want) {
			t.Errorf("idPattern(%v) = %q, want %q", c.vals, got, c.want)
		}
	}
}

func TestSameIDInTwoRecordings(t *testing.T) {
	mk := func(name, raw string) *recording.Recording {
		b := newRec(name, sid)
		b.step("goto", "")
		b.get("https://app.test/").set(sid, raw, secureAttrs)
		return b.rec()
	}
	rep := AnalyzeAll([]*recording.Recording{mk("one", id("same")), mk("two", id("same"))})
	check(t, rep)
	fs := findings(rep, RuleSessIDLowEntropy)
	if len(fs) != 1 || fs[0].Scenario != "two" || !strings.Contains(fs[0].Message, "two separate browser sessions") {
		t.Fatalf("findings = %+v", fs)
	}
	rep = AnalyzeAll([]*recording.Recording{mk("one", id("a")), mk("two", id("b"))})
	if fs := findings(rep, RuleSessIDLowEntropy); len(fs) != 0 {
		t.Fatalf("different IDs: %+v", fs)
	}
	// Different fingerprint keys: fingerprints do not compare.
	r2 := mk("two", id("same"))
	r2.Options.FingerprintKey = "other"
	if fs := findings(AnalyzeAll([]*recording.Recording{mk("one", id("same")), r2}), RuleSessIDLowEntropy); len(fs) != 0 {
		t.Fatalf("different keys: %+v", fs)
	}
}

func TestJourneyRules(t *testing.T) {
	fixRec := func(rotate bool) func() *recording.Recording {
		return func() *recording.Recording {
			b := newRec("fix", "PHPSESSID")
			b.step("goto", "")
			b.get("https://app.test/login").set("PHPSESSID", id("a"), secureAttrs)
			b.step("submit", "login", "submit #login-form")
			q := b.post("https://app.test/login").send("PHPSESSID", id("a"))
			if rotate {
				q.set("PHPSESSID", id("b"), secureAttrs)
			}
			return b.rec()
		}
	}
	probeRec := func(loggedIn bool) func() *recording.Recording {
		return func() *recording.Recording {
			b := newRec("probe", sid)
			login(b, sid)
			b.step("click", "logout")
			b.get("https://app.test/logout").send(sid, id("auth")).set(sid, "", "Path=/; Max-Age=0")
			return b.probe(loggedIn).rec()
		}
	}
	mixedRec := func(href string, secure bool) func() *recording.Recording {
		return func() *recording.Recording {
			b := newRec("mixed", sid)
			attrs := secureAttrs
			if !secure {
				attrs = "Path=/; HttpOnly; SameSite=Lax"
			}
			b.step("goto", "")
			b.get("https://app.test/account").set(sid, id("a"), attrs).page(linkPage("", href, "#plain-link"))
			return b.rec()
		}
	}
	formRec := func(pageURL, action, as string) func() *recording.Recording {
		return func() *recording.Recording {
			b := newRec("form", sid)
			b.step("goto", "")
			b.get(pageURL).page(recording.PageFacts{Forms: []recording.Form{{Action: action, Method: "POST", Selector: "#login-form", HasPassword: true}}})
			if as != "" {
				b.step("submit", as)
				b.post(action)
			}
			return b.rec()
		}
	}
	runRuleCases(t, []ruleCase{
		{"fixation", fixRec(false), RuleSessionFixation, High, "same ID across the login step"},
		{"rotated", fixRec(true), RuleSessionFixation, "", ""},

		{"not invalidated", probeRec(true), RuleSessionNotInvalidated, High, "did not end the session"},
		{"invalidated", probeRec(false), RuleSessionNotInvalidated, "", ""},

		{"http link", mixedRec("http://app.test/account", true), RuleMixedSchemeLink, Medium, "#plain-link"},
		{"https link", mixedRec("/account", true), RuleMixedSchemeLink, "", ""},
		{"http link, no Secure session cookie", mixedRec("http://app.test/account", false), RuleMixedSchemeLink, "", ""},
		{"http link to localhost", mixedRec("http://localhost:8080/account", true), RuleMixedSchemeLink, "", ""},
		{"redirect to http", func() *recording.Recording {
			b := newRec("redirect", sid)
			b.step("goto", "")
			b.get("https://app.test/").set(sid, id("a"), secureAttrs)
			b.step("goto", "")
			b.get("https://app.test/old").send(sid, id("a")).redirect("http://app.test/new").withhold(sid, id("a"), "SecureOnly")
			return b.rec()
		}, RuleMixedSchemeLink, Medium, "redirect"},

		{"password posted to http", formRec("https://app.test/login", "http://app.test/login", ""), RuleAuthCleartext, Critical, "posts to"},
		{"password form on an http page", formRec("http://app.test/login", "https://app.test/login", ""), RuleAuthCleartext, High, "shown on"},
		{"password over https", formRec("https://app.test/login", "/login", ""), RuleAuthCleartext, "", ""},
		{"password on http://localhost", formRec("http://localhost:8080/login", "/login", ""), RuleAuthCleartext, "", ""},
		{"login POST over http", func() *recording.Recording {
			b := newRec("post", sid)
			b.step("submit", "login")
			b.post("http://app.test/login")
			return b.rec()
		}, RuleAuthCleartext, Critical, "login step posted"},
	})
}

func TestSessionResetFindingPerReset(t *testing.T) {
	b := newRec("cluster", "JSESSIONID")
	b.step("goto", "")
	b.get("https://app.test/").node("a").set("JSESSIONID", id("1"), secureAttrs)
	b.step("goto", "")
	b.get("https://app.test/").node("b").send("JSESSIONID", id("1")).set("JSESSIONID", id("2"), secureAttrs)
	b.step("goto", "")
	b.get("https://app.test/").node("a").send("JSESSIONID", id("2")).set("JSESSIONID", id("3"), secureAttrs)
	rep := analyze(t, b.rec())
	fs := findings(rep, RuleSessionReset)
	if len(fs) != 2 || fs[0].Step != 1 || fs[1].Step != 2 || fs[0].Severity != Medium || fs[0].Count != 1 {
		t.Fatalf("SESSION-RESET findings = %+v", fs)
	}
	// A recording without session cookies has neither.
	rep = analyze(t, setOne("https://app.test/", "theme", "dark", secureAttrs))
	if len(rep.Sessions) != 0 || len(findings(rep, RuleSessionReset)) != 0 {
		t.Fatalf("report = %+v", rep)
	}
}

func TestDetection(t *testing.T) {
	behaviour := func(name string) *recording.Recording {
		b := newRec("behaviour")
		b.step("goto", "")
		b.get("https://app.test/").set(name, id("x1"), secureAttrs)
		b.step("submit", "login")
		b.post("https://app.test/login").send(name, id("x1")).set(name, id("x2"), secureAttrs)
		return b.rec()
	}
	for _, c := range []struct {
		name string
		rec  *recording.Recording
		want map[string]string // cookie -> detection prefix; others must not be sessions
	}{
		{"declared only", func() *recording.Recording {
			b := newRec("declared", "auth")
			b.step("goto", "")
			b.get("https://app.test/").set("auth", id("a"), secureAttrs).set("PHPSESSID", id("b"), secureAttrs)
			return b.rec()
		}(), map[string]string{"auth": detectDeclared}},
		{"by name", setOne("https://app.test/", "PHPSESSID", id("a"), secureAttrs), map[string]string{"PHPSESSID": "by name: framework default name PHPSESSID"}},
		{"by name pattern", setOne("https://app.test/", "_shop_session", id("a"), secureAttrs), map[string]string{"_shop_session": "by name: name matches _*_session"}},
		{"name with sess but a constant flag", setOne("https://app.test/", "sessionLang", "en", secureAttrs), map[string]string{}},
		{"by behaviour", behaviour("tok"), map[string]string{"tok": "by behaviour"}},
		{"csrf token rotating at login", behaviour("csrftoken"), map[string]string{}},
		{"low-entropy preference", setOne("https://app.test/", "theme", "dark", secureAttrs), map[string]string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := analyze(t, c.rec)
			got := map[string]string{}
			for _, s := range rep.Sessions {
				got[s.Cookie] = s.Detection
			}
			if len(got) != len(c.want) {
				t.Fatalf("sessions = %v, want %v", got, c.want)
			}
			for k, v := range c.want {
				if !strings.HasPrefix(got[k], v) {
					t.Errorf("%s: detection %q, want prefix %q", k, got[k], v)
				}
			}
		})
	}
}
