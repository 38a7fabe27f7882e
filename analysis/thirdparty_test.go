package analysis

import (
	"reflect"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
)

// Session cookies the browser refuses or withholds as third-party
// cookies are reported by COOKIE-THIRD-PARTY-UNPARTITIONED (medium), not
// COOKIE-REJECTED; another cookie only as info; a partitioned cookie and
// a cookie withheld for another reason never.
func TestThirdPartyUnpartitioned(t *testing.T) {
	b := rectest.New("embedded login", "idp_sid", "sso")
	b.Step("goto", "")
	b.Get("https://app.test/")
	b.Get("https://idp.test/frame").
		Set("idp_sid", rectest.ID("a"), "Path=/; Secure; HttpOnly; SameSite=None", "UserPreferences").
		Set("chips", rectest.ID("b"), "Path=/; Secure; SameSite=None; Partitioned").
		Set("pref", "dark", "Path=/; Secure; SameSite=None", "ThirdPartyPhaseout")
	b.Get("https://idp.test/renew").Withhold("sso", rectest.ID("c"), "UserPreferences").Withhold("other", "x", "SameSiteLax")
	rep := analyze(t, b.Rec())
	fs := findings(rep, RuleCookieThirdParty)
	got := map[string]Severity{}
	for _, f := range fs {
		got[f.Cookie] = f.Severity
		if !strings.Contains(f.Message, "third-party") || !strings.Contains(f.Message, "Phaseout") && !strings.Contains(f.Message, "UserPreferences") {
			t.Errorf("%s: %q does not give the browser's reason", f.Cookie, f.Message)
		}
	}
	if len(fs) != 3 || got["idp_sid"] != Medium || got["sso"] != Medium || got["pref"] != Info {
		t.Fatalf("COOKIE-THIRD-PARTY-UNPARTITIONED: %+v, want idp_sid (refused) and sso (withheld) medium, pref info, not chips", fs)
	}
	if rj := findings(rep, RuleCookieRejected); len(rj) != 0 {
		t.Errorf("COOKIE-REJECTED also reports the third-party refusals: %+v", rj)
	}
}

// An identity provider's session cookie withheld in its hidden renewal
// frame is a session cookie, though the scenario declares only the app's:
// named like one, of another site than the target. Not the app's own
// cookie of that name, nor another site's cookie with a plain name.
func TestThirdPartyOthersSession(t *testing.T) {
	b := rectest.New("silent renewal", "rp_session")
	b.Step("goto", "")
	b.Get("https://op.test/login").Set("_session", rectest.ID("a"), "Path=/; Secure; HttpOnly; SameSite=None").
		Set("_interaction", rectest.ID("b"), "Path=/; Secure; HttpOnly; SameSite=None").
		Set("csrf_session", rectest.ID("c"), "Path=/; Secure; HttpOnly; SameSite=None")
	b.Get("https://app.test/")
	b.Get("https://op.test/auth?prompt=none").Withhold("_session", rectest.ID("a"), "UserPreferences").
		Withhold("_interaction", rectest.ID("b"), "UserPreferences").Withhold("csrf_session", rectest.ID("c"), "UserPreferences")
	b.Get("https://app.test/embed").Withhold("session", rectest.ID("d"), "UserPreferences")
	got := map[string]Severity{}
	for _, f := range findings(analyze(t, b.Rec()), RuleCookieThirdParty) {
		got[f.Cookie] = f.Severity
	}
	want := map[string]Severity{"_session": Medium, "_interaction": Info, "csrf_session": Info, "session": Info}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("severities %v, want %v", got, want)
	}
}

// Partitioned without Secure: the rule fires, and the line's other
// attributes are not judged (Chromium stores nothing of it).
func TestPartitionedInsecure(t *testing.T) {
	b := rectest.New("chips", "sid")
	b.Step("goto", "")
	b.Get("https://app.test/").
		Set("sid", rectest.ID("a"), "Path=/; HttpOnly; SameSite=None; Partitioned").
		Set("ok", "1", "Path=/; Secure; SameSite=None; Partitioned")
	rep := analyze(t, b.Rec())
	fs := findings(rep, RuleCookiePartitionedInsec)
	if len(fs) != 1 || fs[0].Cookie != "sid" || fs[0].Severity != Medium {
		t.Fatalf("COOKIE-PARTITIONED-INSECURE: %+v, want sid, medium", fs)
	}
	for _, r := range []string{RuleCookieSecureMissing, RuleCookieSameSiteNone} {
		for _, f := range findings(rep, r) {
			if f.Cookie == "sid" {
				t.Errorf("%s judges a line the browser does not store: %+v", r, f)
			}
		}
	}
}

// A third-party reason a later Chromium spells is one too (kept as the
// browser spelled it), for the rule and for the reset cause alike.
func TestThirdPartyReasonsToCome(t *testing.T) {
	if !thirdPartyReason("ThirdPartyBlockedInFirstPartySet") || thirdPartyReason("SameSiteLax") || thirdPartyReason("SecureOnly") {
		t.Error("thirdPartyReason does not tell third-party reasons apart")
	}
	b := rectest.New("new reason", "sso")
	b.Step("goto", "")
	b.Get("https://idp.test/renew").Withhold("sso", rectest.ID("a"), "ThirdPartyBlockedInFirstPartySet")
	if fs := findings(analyze(t, b.Rec()), RuleCookieThirdParty); len(fs) != 1 || !strings.Contains(fs[0].Message, "ThirdPartyBlockedInFirstPartySet") {
		t.Errorf("a withheld cookie with a new third-party reason: %+v", fs)
	}
}
