package analysis

import (
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// An OpenID Connect login whose state cookie, scoped to /auth by default,
// does not reach /callback: the login fails and the finding names the
// cookie, where it was set and the browser's reason. Not when the user
// ended logged in, not for a session cookie (the reset causes' case), not
// for third-party blocking alone.
func TestLoginCookieWithheld(t *testing.T) {
	mk := func(after recording.LoginState, name string, reasons ...string) *recording.Recording {
		b := rectest.New("oidc", "rp_session")
		b.Step("goto", "")
		b.Get("https://app.test/login").Set("rp_session", rectest.ID("s"), "Path=/; Secure; HttpOnly")
		b.Step("click", "", "click #oidc-login")
		b.Get("https://app.test/auth/login").Set(name, rectest.ID("state"), "Secure; HttpOnly")
		b.Step("submit", recording.BoundaryLogin, "submit #op-form")
		b.Post("https://op.test/login")
		// The provider's own narrowly scoped cookie, withheld from a
		// request that went on: no failure.
		b.Get("https://op.test/login").Set("_interaction", rectest.ID("i"), "Path=/interaction/1; Secure; HttpOnly")
		b.Get("https://op.test/auth/1").Withhold("_interaction", rectest.ID("i"), "NotOnPath")
		b.Get("https://app.test/callback?code=c&state=s").Status(403, "").Withhold(name, rectest.ID("state"), reasons...)
		b.Auth(after, "#login-form matched")
		return b.Rec()
	}
	fs := findings(analyze(t, mk(recording.AuthOut, "tx", "NotOnPath")), RuleLoginCookieWithheld)
	if len(fs) != 1 {
		t.Fatalf("LOGIN-COOKIE-WITHHELD: %+v", fs)
	}
	f := fs[0]
	if f.Severity != Medium || f.Step != 2 || f.Cookie != "tx" || f.Path != "/auth" || !strings.HasSuffix(f.URL, "/callback?code=c&state=s") {
		t.Errorf("finding %+v", f)
	}
	for _, want := range []string{"The login at step 2 (submit #op-form) did not log the user in", "set at step 1 by https://app.test/auth/login with Path=/auth", "NotOnPath"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	}
	for name, rec := range map[string]*recording.Recording{
		"logged in":   mk(recording.AuthIn, "tx", "NotOnPath"),
		"unknown":     mk(recording.AuthUnknown, "tx", "NotOnPath"),
		"session":     mk(recording.AuthOut, "rp_session", "NotOnPath"),
		"third-party": mk(recording.AuthOut, "tx", "UserPreferences"),
	} {
		if fs := findings(analyze(t, rec), RuleLoginCookieWithheld); len(fs) != 0 {
			t.Errorf("%s: %+v", name, fs)
		}
	}
}
