package analysis

import (
	"time"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// fuzzSeeds are small journeys that reach most of the analysis.
func fuzzSeeds() []*recording.Recording {
	var out []*recording.Recording
	b := rectest.New("seed-login-logout", "SID")
	login(b, "SID")
	b.Last().Page(recording.PageFacts{Links: []recording.Link{{Href: "http://app.test/x;jsessionid=[value:abcd1234]", Selector: "#l"}},
		Forms: []recording.Form{{Action: "http://app.test/login", Method: "POST", HasPassword: true}}})
	b.Step("click", "")
	b.Get("http://app.test/x").Withhold("SID", rectest.ID("auth"), "SecureOnly").Set("SID", rectest.ID("h"), "Path=/", "OverwriteSecure")
	b.Step("wait", "", "wait 4s").Wait(4 * time.Second)
	b.Step("goto", "")
	b.Get("https://app.test/account").Node("b").Send("SID", rectest.ID("auth")).Set("SID", rectest.ID("n"), "Path=/; SameSite=None; Max-Age=99999999")
	b.Step("click", "logout")
	b.Get("https://app.test/logout").Send("SID", rectest.ID("n")).Set("SID", "", "Path=/; Max-Age=0")
	out = append(out, b.Probe(true).Rec())

	b = rectest.New("seed-auto")
	b.Step("goto", "")
	b.Get("https://www.app.test/").Set("PHPSESSID", "12345678", "Domain=app.test; Path=/x").Set("__Host-a", "1", "Domain=app.test").
		Set("dup", "1", "").Set("dup", "2", "SameSite=bogus")
	b.Step("restart", "")
	b.Gone("PHPSESSID", "cleared", "harness", "removed by the restart step")
	b.Script("js", "v", "", "https://www.app.test/")
	out = append(out, b.Rec())

	// A single-page app: tokens in Web Storage, bearer requests, a
	// logout that clears one area and leaves the other.
	b = rectest.New("seed-storage")
	b.Step("submit", "login")
	b.Post("https://app.test/login")
	tok := rectest.JWT("at")
	b.StorageSet(recording.LocalStorage, "https://app.test", "oidc.user:https://idp.test:spa", "{}",
		b.Fields("access_token", tok, "refresh_token", rectest.ID("rt"), "session_state", rectest.ID("ss"))...)
	b.StorageSet(recording.SessionStorage, "https://app.test", "auth.token", rectest.ID("s"))
	b.Fetch("https://app.test/api/me", 200).Authorization("Bearer", tok)
	b.Step("click", "logout")
	b.Get("https://app.test/logout")
	b.StorageClear(recording.SessionStorage, "https://app.test")
	b.StorageHeld(b.Item(recording.LocalStorage, "https://app.test", "token", rectest.ID("t")))
	b.Step("goto", "")
	b.Fetch("https://app.test/api/me", 200).Authorization("Bearer", tok)
	out = append(out, b.Rec())
	return out
}
