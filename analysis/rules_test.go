package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// setOne is a recording with one response setting one cookie; declared
// lists the session cookies ("" for auto-detection).
func setOne(url, name, raw, attrs string, declared ...string) *recording.Recording {
	b := rectest.New("one", declared...)
	b.Step("goto", "")
	b.Get(url).Set(name, raw, attrs)
	return b.Rec()
}

// refusedOne is setOne of a line the browser refused for reason, with SID
// declared.
func refusedOne(url, name, raw, attrs, reason string) *recording.Recording {
	b := rectest.New("refused", sid)
	b.Step("goto", "")
	b.Get(url).Set(name, raw, attrs, reason)
	return b.Rec()
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
		{"secure missing, session", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), "Path=/; HttpOnly; SameSite=Lax", sid)
		},
			RuleCookieSecureMissing, High, "without Secure"},
		{"secure missing, other cookie", func() *recording.Recording { return setOne(https, "pref", "dark-mode", "Path=/", sid) },
			RuleCookieSecureMissing, Low, ""},
		{"secure missing on http://localhost", func() *recording.Recording {
			return setOne("http://localhost:8080/", sid, rectest.ID("a"), "Path=/; HttpOnly; SameSite=Lax", sid)
		}, RuleCookieSecureMissing, High, "secure origins for Chromium"},
		{"secure present", func() *recording.Recording { return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs, sid) }, RuleCookieSecureMissing, "", ""},
		{"secure missing on a deletion", func() *recording.Recording { return setOne(https, sid, "", "Path=/; Max-Age=0", sid) },
			RuleCookieSecureMissing, "", ""},
		{"over plain http on a real host", func() *recording.Recording { return setOne("http://app.test/", sid, rectest.ID("a"), "Path=/", sid) },
			RuleCookieSecureMissing, "", ""},

		{"httponly missing, session", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), "Path=/; Secure; SameSite=Lax", sid)
		},
			RuleCookieHTTPOnlyMissing, Medium, "document.cookie"},
		{"httponly missing, other", func() *recording.Recording { return setOne(https, "pref", "dark-mode", "Path=/; Secure", sid) },
			RuleCookieHTTPOnlyMissing, Info, ""},
		{"httponly present", func() *recording.Recording { return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs, sid) }, RuleCookieHTTPOnlyMissing, "", ""},

		{"samesite missing", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), "Path=/; Secure; HttpOnly", sid)
		},
			RuleCookieSameSiteMissing, Low, "Lax"},
		{"samesite present", func() *recording.Recording { return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs, sid) }, RuleCookieSameSiteMissing, "", ""},

		{"samesite none", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), "Path=/; Secure; HttpOnly; SameSite=None", sid)
		}, RuleCookieSameSiteNone, Medium, ""},
		{"samesite lax is not none", func() *recording.Recording { return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs, sid) }, RuleCookieSameSiteNone, "", ""},

		{"samesite invalid", func() *recording.Recording {
			return setOne(https, "sloppy", "1", "Path=/; Secure; SameSite=Sloppy", sid)
		}, RuleCookieSameSiteInvalid, Low, "Sloppy"},
		{"samesite lower case is valid", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), "Path=/; Secure; HttpOnly; SameSite=lax", sid)
		}, RuleCookieSameSiteInvalid, "", ""},

		{"samesite none insecure", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), "Path=/; HttpOnly; SameSite=None", sid)
		}, RuleCookieSameSiteNoneInsec, Medium, ""},
		{"samesite none secure", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), "Path=/; Secure; HttpOnly; SameSite=None", sid)
		}, RuleCookieSameSiteNoneInsec, "", ""},

		{"domain parent", func() *recording.Recording {
			return setOne("https://www.app.test/", sid, rectest.ID("a"), rectest.SecureAttrs+"; Domain=app.test", sid)
		}, RuleCookieDomainLoose, Medium, "every subdomain"},
		{"domain = host", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs+"; Domain=app.test", sid)
		},
			RuleCookieDomainLoose, Low, ""},
		{"host-only", func() *recording.Recording { return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs, sid) }, RuleCookieDomainLoose, "", ""},

		{"__Host- with Domain", func() *recording.Recording {
			return setOne(https, "__Host-x", rectest.ID("a"), "Path=/; Secure; Domain=app.test")
		}, RuleCookiePrefixViolation, Low, "a Domain attribute"},
		{"__Secure- without Secure", func() *recording.Recording { return setOne(https, "__Secure-x", rectest.ID("a"), "Path=/", sid) },
			RuleCookiePrefixViolation, Low, "no Secure"},
		{"__Host- done right", func() *recording.Recording { return setOne(https, "__Host-x", rectest.ID("a"), "Path=/; Secure", sid) },
			RuleCookiePrefixViolation, "", ""},

		{"no __Host- prefix", func() *recording.Recording { return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs, sid) },
			RuleCookieHostPrefixAbsent, Info, "only the name has to change"},
		{"__Host- prefix", func() *recording.Recording {
			return setOne(https, "__Host-SID", rectest.ID("a"), rectest.SecureAttrs, "__Host-SID")
		},
			RuleCookieHostPrefixAbsent, "", ""},
		{"no __Host- prefix, not a session cookie", func() *recording.Recording { return setOne(https, "pref", "dark-mode", rectest.SecureAttrs, sid) },
			RuleCookieHostPrefixAbsent, "", ""},

		{"persistent 30 days", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs+"; Max-Age=2592000", sid)
		},
			RuleCookieSessionPersistent, High, "30 days"},
		{"persistent 2 days", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs+"; Max-Age=172800", sid)
		},
			RuleCookieSessionPersistent, Medium, ""},
		{"persistent 2 hours", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs+"; Max-Age=7200", sid)
		},
			RuleCookieSessionPersistent, Low, ""},
		{"persistent 30 minutes", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs+"; Max-Age=1800", sid)
		},
			RuleCookieSessionPersistent, "", ""},
		{"persistent by Expires", func() *recording.Recording {
			return setOne(https, sid, rectest.ID("a"), rectest.SecureAttrs+"; Expires="+rectest.T0.Add(10*24*time.Hour).Format(time.RFC1123), sid)
		}, RuleCookieSessionPersistent, High, ""},
		{"persistent, not a session cookie", func() *recording.Recording {
			return setOne(https, "pref", "dark", rectest.SecureAttrs+"; Max-Age=2592000", sid)
		},
			RuleCookieSessionPersistent, "", ""},

		{"lifetime 500 days", func() *recording.Recording {
			return setOne(https, "pref", "dark", rectest.SecureAttrs+"; Max-Age=43200000", sid)
		},
			RuleCookieExpiryCapped, Low, "400 days"},
		{"lifetime 300 days", func() *recording.Recording {
			return setOne(https, "pref", "dark", rectest.SecureAttrs+"; Max-Age=25920000", sid)
		},
			RuleCookieExpiryCapped, "", ""},

		{"too big", func() *recording.Recording {
			return setOne(https, "big", strings.Repeat("x", 4100), "Path=/; Secure", sid)
		},
			RuleCookieSizeExceeded, Low, "4096"},
		{"too big, refused", func() *recording.Recording {
			return refusedOne(https, sid, strings.Repeat("x", 4100), rectest.SecureAttrs, "NameValuePairExceedsMaxSize")
		}, RuleCookieSizeExceeded, Medium, "refused"},
		{"small", func() *recording.Recording {
			return setOne(https, "big", strings.Repeat("x", 100), "Path=/; Secure", sid)
		},
			RuleCookieSizeExceeded, "", ""},

		{"duplicate", func() *recording.Recording {
			b := rectest.New("dup", sid)
			b.Step("goto", "")
			b.Get(https).Set("dup", "first", "Path=/; Secure").Set("dup", "second", "Path=/; Secure").Set("other", "x", "Path=/; Secure")
			return b.Rec()
		}, RuleCookieDuplicateSet, Low, "2 times"},
		{"no duplicate", func() *recording.Recording {
			b := rectest.New("dup", sid)
			b.Step("goto", "")
			b.Get(https).Set("a", "first", "Path=/; Secure").Set("b", "second", "Path=/; Secure")
			return b.Rec()
		}, RuleCookieDuplicateSet, "", ""},

		{"overwrite secure", func() *recording.Recording {
			return refusedOne("http://app.test/", "pref", "b", "Path=/", "OverwriteSecure")
		}, RuleCookieOverwriteSecure, Low, "OverwriteSecure"},
		{"refused for another reason", func() *recording.Recording {
			return refusedOne(https, "pref", "b", "Path=/; Domain=other.test; Secure", "InvalidDomain")
		}, RuleCookieOverwriteSecure, "", ""},

		{"rejected", func() *recording.Recording {
			return refusedOne(https, "foreign", "1", "Path=/; Domain=other.test; Secure", "InvalidDomain")
		}, RuleCookieRejected, Low, "InvalidDomain"},
		{"rejected, reported by a specific rule", func() *recording.Recording {
			return refusedOne(https, "none", "1", "Path=/; SameSite=None", "SameSiteNoneInsecure")
		}, RuleCookieRejected, "", ""},
	})
}

func TestDuplicateFindingsAreCounted(t *testing.T) {
	b := rectest.New("dedup", sid)
	for i := 0; i < 3; i++ {
		b.Step("goto", "")
		b.Get("https://app.test/p").Set(sid, rectest.ID(string(rune('a'+i))), "Path=/; Secure; SameSite=Lax")
	}
	rep := analyze(t, b.Rec())
	fs := findings(rep, RuleCookieHTTPOnlyMissing)
	if len(fs) != 1 || fs[0].Count != 3 || fs[0].Step != 0 || !strings.Contains(fs[0].Evidence, "steps 1, 2") {
		t.Fatalf("findings = %+v", fs)
	}
}

func TestSessionIDRules(t *testing.T) {
	urlRec := func(reveal bool, where string) func() *recording.Recording {
		return func() *recording.Recording {
			b := rectest.New("url", "JSESSIONID")
			if reveal {
				b.Reveal()
			}
			b.Step("goto", "")
			b.Get("https://app.test/login").Set("JSESSIONID", rectest.ID("a"), rectest.SecureAttrs)
			b.Step("click", "")
			marker := "[value:" + b.Value(rectest.ID("a")).Short() + "]"
			if reveal {
				marker = rectest.ID("a")
			}
			switch where {
			case "url":
				b.Get("https://app.test/account;jsessionid="+marker).Send("JSESSIONID", rectest.ID("a"))
			case "referer":
				b.Get("https://other.test/").Referrer("https://app.test/?x=" + marker)
			case "param":
				b.Get("https://app.test/?token=abcdefghijkl")
			case "clean":
				b.Get("https://app.test/account?page=2").Send("JSESSIONID", rectest.ID("a"))
			}
			return b.Rec()
		}
	}
	scriptRec := func(httpOnly bool) func() *recording.Recording {
		return func() *recording.Recording {
			b := rectest.New("script", sid)
			attrs := "Path=/; Secure; SameSite=Lax"
			if httpOnly {
				attrs += "; HttpOnly"
			}
			b.Step("goto", "")
			b.Get("https://app.test/").Set(sid, rectest.ID("a"), attrs)
			b.Step("click", "")
			b.Get("https://app.test/script").Send(sid, rectest.ID("a"))
			b.Script("js_pref", "dark", "", "https://app.test/script")
			return b.Rec()
		}
	}
	entropyRec := func(raw string) func() *recording.Recording {
		return func() *recording.Recording { return setOne("https://app.test/", sid, raw, rectest.SecureAttrs, sid) }
	}
	cacheRec := func(cc string, status ...int) func() *recording.Recording {
		return func() *recording.Recording {
			b := rectest.New("cache", sid)
			b.Step("goto", "")
			q := b.Get("https://app.test/").Header("Cache-Control", cc).Set(sid, rectest.ID("a"), rectest.SecureAttrs)
			if len(status) > 0 {
				q.Status(status[0], "/account")
			}
			return b.Rec()
		}
	}
	runRuleCases(t, []ruleCase{
		{"ID marker in a URL", urlRec(false, "url"), RuleSessIDInURL, High, "appears in the URL"},
		{"ID in a Referer (revealed)", urlRec(true, "referer"), RuleSessIDInURL, High, "Referer"},
		{"token-named parameter", urlRec(false, "param"), RuleSessIDInURL, Medium, "token"},
		{"clean URLs", urlRec(false, "clean"), RuleSessIDInURL, "", ""},

		{"value in the page", func() *recording.Recording {
			b := rectest.New("page", sid)
			b.Step("goto", "")
			b.Get("https://app.test/").Set(sid, rectest.ID("a"), rectest.SecureAttrs).
				Page(recording.PageFacts{CookieValuesInPage: []recording.CookieKey{{Name: sid, Domain: "app.test", Path: "/"}}})
			return b.Rec()
		}, RuleSessIDInPage, High, "HTML"},
		{"readable by script", scriptRec(false), RuleSessIDInPage, Medium, "no HttpOnly"},
		{"HttpOnly, script on the page", scriptRec(true), RuleSessIDInPage, "", ""},

		{"framework name", func() *recording.Recording {
			return setOne("https://app.test/", "PHPSESSID", rectest.ID("a"), rectest.SecureAttrs)
		},
			RuleSessIDNameFingerprint, Info, "PHP"},
		{"neutral name", func() *recording.Recording {
			return setOne("https://app.test/", "__Host-id", rectest.ID("a"), rectest.SecureAttrs, "__Host-id")
		},
			RuleSessIDNameFingerprint, "", ""},

		{"low entropy", entropyRec("12345678"), RuleSessIDLowEntropy, High, "all digits"},
		{"enough entropy", entropyRec(rectest.ID("a")), RuleSessIDLowEntropy, "", ""},
		{"revealed counter", func() *recording.Recording {
			b := rectest.New("counter", sid)
			b.Reveal()
			b.Step("goto", "")
			b.Get("https://app.test/").Set(sid, "4f1c9a0000000000000000000000a001", rectest.SecureAttrs)
			b.Step("goto", "login")
			b.Post("https://app.test/login").Send(sid, "4f1c9a0000000000000000000000a001").Set(sid, "4f1c9a0000000000000000000000a002", rectest.SecureAttrs)
			return b.Rec()
		}, RuleSessIDLowEntropy, High, "(a counter)"},

		{"cacheable", cacheRec("private, max-age=60"), RuleSessIDCacheable, Medium, "private"},
		{"no-store", cacheRec("no-store"), RuleSessIDCacheable, "", ""},
		{"no Cache-Control", cacheRec(""), RuleSessIDCacheable, Medium, "no Cache-Control"},
		// A login's redirect with no freshness is stored by no cache
		// (RFC 9111 §3); with max-age it may be.
		{"303 without freshness", cacheRec("", 303), RuleSessIDCacheable, "", ""},
		{"302 with max-age", cacheRec("max-age=60", 302), RuleSessIDCacheable, Medium, "max-age=60"},
		{"301 (heuristically cacheable)", cacheRec("", 301), RuleSessIDCacheable, Medium, "no Cache-Control"},
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
		{[]string{rectest.ID("a"), rectest.ID("b")}, ""},
		{[]string{"abcdefgh1234", "abcdefgh9876"}, "first 8 characters"},
	} {
		if got := idPattern(c.vals, start); c.want == "" && got != "" || !strings.Contains(got, c.want) {
			t.Errorf("idPattern(%v) = %q, want %q", c.vals, got, c.want)
		}
	}
}

func TestSameIDInTwoRecordings(t *testing.T) {
	mk := func(name, raw string) *recording.Recording {
		b := rectest.New(name, sid)
		b.Step("goto", "")
		b.Get("https://app.test/").Set(sid, raw, rectest.SecureAttrs)
		return b.Rec()
	}
	rep := AnalyzeAll([]*recording.Recording{mk("one", rectest.ID("same")), mk("two", rectest.ID("same"))})
	check(t, rep)
	fs := findings(rep, RuleSessIDLowEntropy)
	if len(fs) != 1 || fs[0].Scenario != "two" || !strings.Contains(fs[0].Message, "two separate browser sessions") {
		t.Fatalf("findings = %+v", fs)
	}
	rep = AnalyzeAll([]*recording.Recording{mk("one", rectest.ID("a")), mk("two", rectest.ID("b"))})
	if fs := findings(rep, RuleSessIDLowEntropy); len(fs) != 0 {
		t.Fatalf("different IDs: %+v", fs)
	}
	// Different fingerprint keys: fingerprints do not compare.
	r2 := mk("two", rectest.ID("same"))
	r2.Options.FingerprintKey = "other"
	if fs := findings(AnalyzeAll([]*recording.Recording{mk("one", rectest.ID("same")), r2}), RuleSessIDLowEntropy); len(fs) != 0 {
		t.Fatalf("different keys: %+v", fs)
	}
}

func TestJourneyRules(t *testing.T) {
	fixRec := func(rotate bool) func() *recording.Recording {
		return func() *recording.Recording {
			b := rectest.New("fix", "PHPSESSID")
			b.Step("goto", "")
			b.Get("https://app.test/login").Set("PHPSESSID", rectest.ID("a"), rectest.SecureAttrs)
			b.Step("submit", "login", "submit #login-form")
			q := b.Post("https://app.test/login").Send("PHPSESSID", rectest.ID("a"))
			if rotate {
				q.Set("PHPSESSID", rectest.ID("b"), rectest.SecureAttrs)
			}
			return b.Rec()
		}
	}
	probeRec := func(loggedIn bool) func() *recording.Recording {
		return func() *recording.Recording {
			b := rectest.New("probe", sid)
			login(b, sid)
			b.Step("click", "logout")
			b.Get("https://app.test/logout").Send(sid, rectest.ID("auth")).Set(sid, "", "Path=/; Max-Age=0")
			return b.Probe(loggedIn).Rec()
		}
	}
	mixedRec := func(href string, secure bool) func() *recording.Recording {
		return func() *recording.Recording {
			b := rectest.New("mixed", sid)
			attrs := rectest.SecureAttrs
			if !secure {
				attrs = "Path=/; HttpOnly; SameSite=Lax"
			}
			b.Step("goto", "")
			b.Get("https://app.test/account").Set(sid, rectest.ID("a"), attrs).Page(linkPage("", href, "#plain-link"))
			return b.Rec()
		}
	}
	formRec := func(pageURL, action string, as recording.Boundary) func() *recording.Recording {
		return func() *recording.Recording {
			b := rectest.New("form", sid)
			b.Step("goto", "")
			b.Get(pageURL).Page(recording.PageFacts{Forms: []recording.Form{{Action: action, Method: "POST", Selector: "#login-form", HasPassword: true}}})
			if as != "" {
				b.Step("submit", as)
				b.Post(action)
			}
			return b.Rec()
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
			b := rectest.New("redirect", sid)
			b.Step("goto", "")
			b.Get("https://app.test/").Set(sid, rectest.ID("a"), rectest.SecureAttrs)
			b.Step("goto", "")
			b.Get("https://app.test/old").Send(sid, rectest.ID("a")).Redirect("http://app.test/new").Withhold(sid, rectest.ID("a"), "SecureOnly")
			return b.Rec()
		}, RuleMixedSchemeLink, Medium, "redirect"},

		{"password posted to http", formRec("https://app.test/login", "http://app.test/login", ""), RuleAuthCleartext, Critical, "posts to"},
		{"password form on an http page", formRec("http://app.test/login", "https://app.test/login", ""), RuleAuthCleartext, High, "shown on"},
		{"password over https", formRec("https://app.test/login", "/login", ""), RuleAuthCleartext, "", ""},
		{"password on http://localhost", formRec("http://localhost:8080/login", "/login", ""), RuleAuthCleartext, "", ""},
		{"login POST over http", func() *recording.Recording {
			b := rectest.New("post", sid)
			b.Step("submit", "login")
			b.Post("http://app.test/login")
			return b.Rec()
		}, RuleAuthCleartext, Critical, "login step posted"},
	})
}

func TestSessionResetFindingPerReset(t *testing.T) {
	b := rectest.New("cluster", "JSESSIONID")
	b.Step("goto", "")
	b.Get("https://app.test/").Node("a").Set("JSESSIONID", rectest.ID("1"), rectest.SecureAttrs)
	b.Step("goto", "")
	b.Get("https://app.test/").Node("b").Send("JSESSIONID", rectest.ID("1")).Set("JSESSIONID", rectest.ID("2"), rectest.SecureAttrs)
	b.Step("goto", "")
	b.Get("https://app.test/").Node("a").Send("JSESSIONID", rectest.ID("2")).Set("JSESSIONID", rectest.ID("3"), rectest.SecureAttrs)
	rep := analyze(t, b.Rec())
	fs := findings(rep, RuleSessionReset)
	if len(fs) != 2 || fs[0].Step != 1 || fs[1].Step != 2 || fs[0].Severity != Medium || fs[0].Count != 1 {
		t.Fatalf("SESSION-RESET findings = %+v", fs)
	}
	// A recording without session cookies has neither.
	rep = analyze(t, setOne("https://app.test/", "theme", "dark", rectest.SecureAttrs))
	if len(rep.Sessions) != 0 || len(findings(rep, RuleSessionReset)) != 0 {
		t.Fatalf("report = %+v", rep)
	}
}

func TestDetection(t *testing.T) {
	behaviour := func(name string) *recording.Recording {
		b := rectest.New("behaviour")
		b.Step("goto", "")
		b.Get("https://app.test/").Set(name, rectest.ID("x1"), rectest.SecureAttrs)
		b.Step("submit", "login")
		b.Post("https://app.test/login").Send(name, rectest.ID("x1")).Set(name, rectest.ID("x2"), rectest.SecureAttrs)
		return b.Rec()
	}
	for _, c := range []struct {
		name string
		rec  *recording.Recording
		want map[string]string // cookie -> detection prefix; others must not be sessions
	}{
		{"declared only", func() *recording.Recording {
			b := rectest.New("declared", "auth")
			b.Step("goto", "")
			b.Get("https://app.test/").Set("auth", rectest.ID("a"), rectest.SecureAttrs).Set("PHPSESSID", rectest.ID("b"), rectest.SecureAttrs)
			return b.Rec()
		}(), map[string]string{"auth": detectDeclared}},
		{"by name", setOne("https://app.test/", "PHPSESSID", rectest.ID("a"), rectest.SecureAttrs), map[string]string{"PHPSESSID": "by name: framework default name PHPSESSID"}},
		{"by name pattern", setOne("https://app.test/", "_shop_session", rectest.ID("a"), rectest.SecureAttrs), map[string]string{"_shop_session": "by name: name matches _*_session"}},
		{"name with sess but a constant flag", setOne("https://app.test/", "sessionLang", "en", rectest.SecureAttrs), map[string]string{}},
		{"by behaviour", behaviour("tok"), map[string]string{"tok": "by behaviour"}},
		{"csrf token rotating at login", behaviour("csrftoken"), map[string]string{}},
		{"low-entropy preference", setOne("https://app.test/", "theme", "dark", rectest.SecureAttrs), map[string]string{}},
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
