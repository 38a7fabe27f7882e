package analysis

import (
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// logoutJourney is a login, then a logout step whose response does what
// logout says (nothing, when it is nil), then, unless after is false, a
// visit to the home page with whatever the browser still holds.
func logoutJourney(logout func(q *rectest.Req), after bool) *rectest.Builder {
	const sid = "SID"
	b := rectest.New("logout", sid)
	b.Step("goto", "")
	b.Get("https://app.test/login").Set(sid, rectest.ID("pre"), rectest.SecureAttrs)
	b.Step("submit", "login")
	b.Post("https://app.test/login").Send(sid, rectest.ID("pre")).Set(sid, rectest.ID("auth"), rectest.SecureAttrs)
	b.Step("click", "logout")
	q := b.Get("https://app.test/logout").Send(sid, rectest.ID("auth"))
	if logout != nil {
		logout(q)
	}
	if after {
		b.Step("goto", "")
		b.Get("https://app.test/").SendHeld(sid)
	}
	return b
}

func TestSessionLogoutIncomplete(t *testing.T) {
	const sid = "SID"
	keep := func(q *rectest.Req) {}
	runRuleCases(t, []ruleCase{
		{"kept and sent, no probe", func() *recording.Recording { return logoutJourney(keep, true).Rec() },
			RuleSessionLogoutIncomplete, Medium, "is not known (declare session.probe"},
		{"kept, journey ends at logout", func() *recording.Recording { return logoutJourney(keep, false).Rec() },
			RuleSessionLogoutIncomplete, Medium, "still held its pre-logout ID"},
		{"deleted by the logout response", func() *recording.Recording {
			return logoutJourney(func(q *rectest.Req) { q.Set(sid, "", "Path=/; Max-Age=0") }, true).Rec()
		}, RuleSessionLogoutIncomplete, "", ""},
		{"expired at logout", func() *recording.Recording {
			b := logoutJourney(nil, false)
			b.Gone(sid, recording.EventExpired, recording.SourceHTTP, "")
			return b.Rec()
		}, RuleSessionLogoutIncomplete, "", ""},
		{"replaced by a new anonymous ID", func() *recording.Recording {
			return logoutJourney(func(q *rectest.Req) { q.Set(sid, rectest.ID("anon"), rectest.SecureAttrs) }, true).Rec()
		}, RuleSessionLogoutIncomplete, "", ""},
		{"logged-in page after logout", func() *recording.Recording {
			b := logoutJourney(keep, true)
			b.Auth(recording.AuthIn, "#welcome matched")
			return b.Rec()
		}, RuleSessionLogoutIncomplete, High, "showed the user logged in"},
		{"probe refused", func() *recording.Recording { return logoutJourney(keep, true).Probe(false).Rec() },
			RuleSessionLogoutIncomplete, Low, "logout replay probe was not logged in"},
		{"the server replaced it on the next request", func() *recording.Recording {
			b := logoutJourney(keep, false)
			b.Step("goto", "")
			b.Get("https://app.test/").SendHeld(sid).Set(sid, rectest.ID("anon"), rectest.SecureAttrs)
			return b.Rec()
		}, RuleSessionLogoutIncomplete, Low, "replaced or deleted the ID"},
		// The probe proved more: SESSION-NOT-INVALIDATED alone.
		{"probe accepted", func() *recording.Recording { return logoutJourney(keep, true).Probe(true).Rec() },
			RuleSessionLogoutIncomplete, "", ""},
		{"logout step failed", func() *recording.Recording { return logoutJourney(keep, false).Fail().Rec() },
			RuleSessionLogoutIncomplete, "", ""},
		// Logging out of the application leaves the identity provider's
		// session alone.
		{"another host's session", func() *recording.Recording {
			b := rectest.New("sso", sid, "idp_session")
			b.Step("goto", "")
			b.Get("https://idp.test/login").Set("idp_session", rectest.ID("idp"), rectest.SecureAttrs)
			b.Get("https://app.test/login").Set(sid, rectest.ID("app"), rectest.SecureAttrs)
			b.Step("click", "logout")
			b.Get("https://app.test/logout").Send(sid, rectest.ID("app")).Set(sid, "", "Path=/; Max-Age=0")
			return b.Rec()
		}, RuleSessionLogoutIncomplete, "", ""},
	})
}

// The browser still sent the pre-logout ID on a later request although
// the events say the logout deleted it (a HAR's deletion that missed the
// cookie): what the browser sent wins.
func TestSessionLogoutIncompleteSentAfterDeletion(t *testing.T) {
	const sid = "SID"
	b := logoutJourney(func(q *rectest.Req) { q.Set(sid, "", "Path=/; Max-Age=0") }, false)
	b.Step("goto", "")
	b.Get("https://app.test/account").Send(sid, rectest.ID("auth"))
	fs := findings(analyze(t, b.Rec()), RuleSessionLogoutIncomplete)
	if len(fs) != 1 || fs[0].Severity != Medium || fs[0].Step != 2 || !strings.Contains(fs[0].Message, "still sent") ||
		!strings.Contains(fs[0].Evidence, "still sent on GET https://app.test/account (step 3)") {
		t.Fatalf("findings = %+v", fs)
	}
}

// With the probe accepted, SESSION-NOT-INVALIDATED says the browser kept
// the cookie too.
func TestNotInvalidatedNamesTheKeptCookie(t *testing.T) {
	rep := analyze(t, logoutJourney(func(*rectest.Req) {}, true).Probe(true).Rec())
	fs := findings(rep, RuleSessionNotInvalidated)
	if len(fs) != 1 || !strings.Contains(fs[0].Evidence, "the browser also still held SID") {
		t.Fatalf("findings = %+v", fs)
	}
	rep = analyze(t, logoutJourney(func(q *rectest.Req) { q.Set("SID", "", "Path=/; Max-Age=0") }, true).Probe(true).Rec())
	if fs := findings(rep, RuleSessionNotInvalidated); len(fs) != 1 || strings.Contains(fs[0].Evidence, "still held") {
		t.Fatalf("findings = %+v", fs)
	}
}

func TestHeldAcross(t *testing.T) {
	ids := []ID{
		{Fingerprint: "a", FirstStep: 0, LastStep: 1, Ended: EndRotated},
		{Fingerprint: "b", FirstStep: 1, LastStep: 3, Ended: EndLogout},
		{Fingerprint: "c", FirstStep: 3, LastStep: 5, Ended: EndEndOfJourney},
	}
	for _, c := range []struct {
		step int
		want string
		kept bool
	}{
		{0, "", false},  // nothing held before the first step
		{1, "a", false}, // rotated at step 1
		{2, "b", true},  // b held across step 2
		{3, "b", false}, // and ended at step 3
		{5, "c", true},  // still held at the end of the journey
		{6, "", false},
	} {
		h, kept := HeldAcross(ids, c.step)
		got := ""
		if h != nil {
			got = h.Fingerprint
		}
		if got != c.want || kept != c.kept {
			t.Errorf("step %d: held %q kept %v, want %q %v", c.step, got, kept, c.want, c.kept)
		}
	}
}
