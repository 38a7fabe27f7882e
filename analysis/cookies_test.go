package analysis

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// A line reports each rule once, and where the browser refused it for a
// reason a rule claims, that rule says so rather than what the attributes
// show; the reasons no rule claims go to COOKIE-REJECTED.
func TestLineChecksFireOncePerRule(t *testing.T) {
	b := rectest.New("refused", "__Host-SID")
	b.Step("goto", "")
	b.Get("https://app.test/").Set("__Host-SID", strings.Repeat("x", 5000), "Path=/a; SameSite=None",
		"SameSiteNoneInsecure", "NameValuePairExceedsMaxSize", "InvalidPrefix", "InvalidDomain", "SameSiteNoneInsecure")
	rep := analyze(t, b.Rec())
	for rule, msg := range map[string]string{
		RuleCookieSameSiteNoneInsec: "The browser refused session cookie __Host-SID: SameSite=None requires Secure.",
		RuleCookieSizeExceeded:      "The browser refused session cookie __Host-SID: name and value are 5010 bytes, more than 4096.",
		RuleCookiePrefixViolation:   "The browser refused session cookie __Host-SID: it breaks the rules of its name prefix.",
		RuleCookieRejected:          "The browser refused session cookie __Host-SID (InvalidDomain: ",
	} {
		fs := findings(rep, rule)
		if len(fs) != 1 || fs[0].Count != 1 || !strings.HasPrefix(fs[0].Message, msg) {
			t.Errorf("%s: %+v, want one finding, counted once: %s", rule, fs, msg)
		}
	}
}

// An empty refusal reason is claimed by no rule (rules without a refusal
// have an empty one): COOKIE-REJECTED reports it.
func TestEmptyRefusalReasonIsRejected(t *testing.T) {
	b := rectest.New("empty reason")
	b.Step("goto", "")
	b.Get("https://app.test/").Set("pref", "dark", "Secure", "")
	rep := analyze(t, b.Rec())
	if fs := findings(rep, RuleCookieRejected); len(fs) != 1 {
		t.Errorf("%d COOKIE-REJECTED findings, want 1: %+v", len(fs), rep.Findings)
	}
}

// Every rule of the catalogue names the checks that report it (a line
// check, a recording check, or both for one rule seen in two kinds of
// evidence), but for the two reported elsewhere; a refusal reason is
// claimed by one rule.
func TestEveryRuleHasACheck(t *testing.T) {
	elsewhere := map[string]bool{RuleSessionReset: true, RulePolicyViolation: true}
	reasons := map[string]string{}
	for _, r := range Rules {
		if n := btoi(r.check != nil) + btoi(r.lineCheck != nil); (n == 0) != elsewhere[r.ID] {
			t.Errorf("%s has %d checks", r.ID, n)
		}
		for _, reason := range r.refusals {
			if r.lineCheck == nil || reasons[reason] != "" {
				t.Errorf("%s: refusal %s claimed by %q too, or without a line check", r.ID, reason, reasons[reason])
			}
			reasons[reason] = r.ID
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// A name with more identities than manyIdents (a cookie set without Path
// from many directories) is looked up in maps instead of scanned: the
// result is the one the scans give.
func TestManyIdentitiesOfOneName(t *testing.T) {
	b := rectest.New("many paths", "SID")
	b.Step("goto", "")
	b.Get("https://app.test/login").Set("SID", rectest.ID("1"), rectest.SecureAttrs)
	dirs := 3 * manyIdents
	for i := 0; i < dirs; i++ {
		dir := "https://app.test/d" + strconv.Itoa(i) + "/"
		b.Get(dir+"page").Send("SID", rectest.ID("1")).Set("pref", "v"+strconv.Itoa(i%7), "")
		b.Get(dir+"other").Send("SID", rectest.ID("1")).Send("pref", "v"+strconv.Itoa(i%7))
	}
	r := b.Rec()
	withMaps, _ := json.Marshal(AnalyzeAll([]*recording.Recording{r}))
	defer func(n int) { manyIdents = n }(manyIdents)
	manyIdents = 1 << 30
	withScans, _ := json.Marshal(AnalyzeAll([]*recording.Recording{r}))
	if string(withMaps) != string(withScans) {
		t.Fatal("the analysis differs when identities are looked up in maps")
	}
	if n := strings.Count(string(withScans), `"cookie":"pref"`); n < dirs {
		t.Fatalf("%d findings name pref: the identities were not told apart", n)
	}
}

// SameSite is read as browsers read it, ASCII case-insensitively, the
// attribute's name and its value alike (recording.AttrValue and
// recording.SameSiteMode): "ſameSite" (U+017F) is no SameSite attribute,
// as the recording (and net/http) read the line, so the line sets none and
// nothing says it is None; "ſtrict" is no value browsers know. The
// analysis once folded both with strings.EqualFold.
func TestSameSiteIsFoldedASCIIOnly(t *testing.T) {
	b := rectest.New("folding")
	b.Step("goto", "")
	b.Get("https://app.test/").Set("pref", "abc", "ſameSite=None").
		Set("mode", "abc", "Secure; HttpOnly; SameSite=ſtrict").
		Set("wide", "abc", "Secure; HttpOnly; \tSAMESITE\t= nOnE")
	r := b.Rec()
	if ss := r.Requests[0].SetCookies[0].SameSite; ss != "" {
		t.Errorf("the recording's SameSite of pref = %q, want none", ss)
	}
	rep := analyze(t, r)
	names := func(rule string) string {
		var out []string
		for _, f := range findings(rep, rule) {
			out = append(out, f.Cookie)
		}
		return strings.Join(out, " ")
	}
	for rule, want := range map[string]string{
		RuleCookieSameSiteNone:      "wide",
		RuleCookieSameSiteNoneInsec: "",
		RuleCookieSameSiteInvalid:   "mode",
		RuleCookieSameSiteMissing:   "pref",
	} {
		if got := names(rule); got != want {
			t.Errorf("%s for %q, want %q", rule, got, want)
		}
	}
}

// The cookie a line sets is named by the identity recording gives it
// (the one the harness and HAR import give its events, and the one
// Chromium's jar gives it): the host in lower case with its final dot
// (the analysis once took it off), the default path from the escaped path,
// and a Domain attribute spelled the same way.
func TestLineIdentityIsCanonical(t *testing.T) {
	b := rectest.New("identity")
	b.Step("goto", "")
	b.Get("https://App.Test./a%2Fb/c").Set("pref", "abc", "Secure; SameSite=Lax")
	b.Get("https://www.App.test./x").Set("wide", "abc", "Secure; SameSite=Lax; Domain=App.TEST.")
	rep := analyze(t, b.Rec())
	var got []string
	for _, f := range findings(rep, RuleCookieHTTPOnlyMissing) {
		got = append(got, f.Cookie+" "+f.Domain+" "+f.Path)
	}
	if want := "pref app.test. /a%2Fb|wide .app.test. /"; strings.Join(got, "|") != want {
		t.Errorf("findings at %q, want %q", got, want)
	}
	if fs := findings(rep, RuleCookieDomainLoose); len(fs) != 1 || !strings.Contains(fs[0].Message, "Domain=app.test. from www.app.test.") {
		t.Errorf("COOKIE-DOMAIN-LOOSE: %+v", fs)
	}
}
