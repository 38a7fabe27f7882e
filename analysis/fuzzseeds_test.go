package analysis

import (
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// fuzzSeeds are small journeys that reach most of the analysis.
func fuzzSeeds() []*recording.Recording {
	var out []*recording.Recording
	b := newRec("seed-login-logout", "SID")
	login(b, "SID")
	b.last.page(recording.PageFacts{Links: []recording.Link{{Href: "http://app.test/x;jsessionid=[value:abcd1234]", Selector: "#l"}},
		Forms: []recording.Form{{Action: "http://app.test/login", Method: "POST", HasPassword: true}}})
	b.step("click", "")
	b.get("http://app.test/x").withhold("SID", id("auth"), "SecureOnly").set("SID", id("h"), "Path=/", "OverwriteSecure")
	b.step("wait", "", "wait 4s").wait(4 * time.Second)
	b.step("goto", "")
	b.get("https://app.test/account").node("b").send("SID", id("auth")).set("SID", id("n"), "Path=/; SameSite=None; Max-Age=99999999")
	b.step("click", "logout")
	b.get("https://app.test/logout").send("SID", id("n")).set("SID", "", "Path=/; Max-Age=0")
	out = append(out, b.probe(true).rec())

	b = newRec("seed-auto")
	b.step("goto", "")
	b.get("https://www.app.test/").set("PHPSESSID", "12345678", "Domain=app.test; Path=/x").set("__Host-a", "1", "Domain=app.test").
		set("dup", "1", "").set("dup", "2", "SameSite=bogus")
	b.step("restart", "")
	b.gone("PHPSESSID", "cleared", "harness", "removed by the restart step")
	b.script("js", "v", "https://www.app.test/")
	out = append(out, b.rec())
	return out
}
