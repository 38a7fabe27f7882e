package analysis

import (
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// tokenReport returns the report's only token lifecycle.
func tokenReport(t *testing.T, rep *Report) TokenReport {
	t.Helper()
	if len(rep.Tokens) != 1 {
		t.Fatalf("%d token lifecycles, want 1: %+v", len(rep.Tokens), rep.Tokens)
	}
	return rep.Tokens[0]
}

// A token's lifecycle: written at login and sent, refreshed (a new value
// while the user stays logged in), removed at logout.
func TestTokenLifecycle(t *testing.T) {
	b := rectest.New("spa")
	tok, renewed := rectest.ID("t1"), rectest.ID("t2")
	spaLogin(b, sessionSt, "auth.token", tok)
	b.Auth(recording.AuthIn, "#welcome")
	b.Step("click", "", "click #orders")
	b.StorageSet(sessionSt, appOrigin, "auth.token", renewed)
	b.Fetch(appOrigin+"/api/orders", 200).Authorization("Bearer", renewed)
	b.Auth(recording.AuthIn, "#welcome")
	spaLogout(b)
	b.StorageRemove(sessionSt, appOrigin, "auth.token")
	b.Auth(recording.AuthOut, "#login-form")
	rep := analyze(t, b.Rec())
	tr := tokenReport(t, rep)
	if tr.Area != sessionSt || tr.Origin != appOrigin || tr.Key != "auth.token" || tr.Field != "" || tr.Kind != "session" || tr.Target != "" {
		t.Errorf("token = %+v", tr)
	}
	if len(tr.IDs) != 2 {
		t.Fatalf("ids = %+v, want 2", tr.IDs)
	}
	first, second := tr.IDs[0], tr.IDs[1]
	if first.FirstStep != 1 || first.LastStep != 2 || first.Ended != EndReissued || !strings.Contains(first.Note, "refreshed") ||
		first.IssuedBy != recording.SourceScript || len(first.Sent) != 1 {
		t.Errorf("first value = %+v", first)
	}
	if second.FirstStep != 2 || second.LastStep != 3 || second.Ended != EndLogout || len(second.Sent) != 1 || second.Sent[0] == first.Sent[0] {
		t.Errorf("second value = %+v", second)
	}
	if len(tr.Resets) != 0 || len(findings(rep, RuleSessionReset)) != 0 {
		t.Errorf("resets %+v, findings %+v: a refresh and a logout are no reset", tr.Resets, findings(rep, RuleSessionReset))
	}
}

// The app's own script clears the storage that held the token (an error
// handler), and the next page shows the login form: storage-cleared.
func TestTokenLossStorageCleared(t *testing.T) {
	b := rectest.New("spa")
	tok := rectest.ID("t1")
	spaLogin(b, local, "access_token", tok)
	b.Auth(recording.AuthIn, "#welcome")
	b.Step("click", "", "click #orders")
	b.Fetch(appOrigin+"/api/orders", 500).Authorization("Bearer", tok)
	b.StorageClear(local, appOrigin)
	b.Step("goto", "", "goto /account")
	b.Get(appOrigin + "/account")
	b.Auth(recording.AuthOut, "#login-form")
	rep := analyze(t, b.Rec())
	tr := tokenReport(t, rep)
	if len(tr.IDs) != 1 || tr.IDs[0].Ended != EndCleared || !strings.Contains(tr.IDs[0].Note, "clear at step 2 by https://app.test/app.js:10:5") {
		t.Fatalf("ids = %+v", tr.IDs)
	}
	if len(tr.Resets) != 1 {
		t.Fatalf("resets = %+v, want 1", tr.Resets)
	}
	r := tr.Resets[0]
	if r.Cause != CauseStorageCleared || r.Step != 2 || r.Basis != BasisObserved || r.ObservedStep == nil || *r.ObservedStep != 3 ||
		r.Fingerprint != tr.IDs[0].Fingerprint || r.Evidence["script"] != appOrigin+"/app.js:10:5" {
		t.Errorf("reset = %+v", r)
	}
	if r.Evidence["after"] != "GET https://app.test/api/orders answered 500" || r.Request == "" ||
		!strings.Contains(r.Detail, "right after GET https://app.test/api/orders answered 500") {
		t.Errorf("the reset does not name the failed call before the clear: %+v", r)
	}
	if r.Summary != "At step 3 the user was logged out: the page's own script removed an access token from localStorage (clear at step 2 by https://app.test/app.js:10:5) right after GET https://app.test/api/orders answered 500." {
		t.Errorf("summary = %q", r.Summary)
	}
	fs := findings(rep, RuleSessionReset)
	if len(fs) != 1 || fs[0].StorageKey != "access_token" || fs[0].StorageArea != local || fs[0].Cookie != "" ||
		!strings.Contains(fs[0].Message, "Session reset (storage-cleared) at step 2") || !strings.Contains(fs[0].Message, "saw it at step 3") {
		t.Errorf("findings = %+v", fs)
	}
}

// sessionStorage is per tab: a step in a popup that never held the token
// shows the login form, and the reset says why. When the popup's page had
// the token in its own sessionStorage, the cause is not the tab.
func TestTokenLossStoragePerTab(t *testing.T) {
	journey := func(copied bool) *Report {
		b := rectest.New("spa")
		tok := rectest.ID("t1")
		spaLogin(b, sessionSt, "auth.token", tok)
		b.Auth(recording.AuthIn, "#welcome")
		b.Step("click", "", "click #open-tab")
		b.Step("wait", "", "wait popup")
		b.Get(appOrigin + "/account").Request().Target = "popup 1"
		if copied {
			b.StorageSet(sessionSt, appOrigin, "auth.token", tok)
			b.R.Storage[len(b.R.Storage)-1].Target = "popup 1"
		}
		b.Current().Target = "popup 1"
		b.Auth(recording.AuthOut, "#login-form")
		return analyze(t, b.Rec())
	}
	rep := journey(false)
	fs := findings(rep, RuleSessionReset)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	r := rep.Tokens[0].Resets[0]
	if r.Cause != CauseStorageTab || r.Step != 3 || r.Evidence["heldIn"] != "the tab" || r.Evidence["stepIn"] != "popup 1" {
		t.Errorf("reset = %+v", r)
	}
	if !strings.Contains(r.Detail, "step 3 ran in popup 1, which never held it") {
		t.Errorf("detail = %q", r.Detail)
	}
	rep = journey(true)
	for _, tr := range rep.Tokens {
		for _, r := range tr.Resets {
			if r.Cause == CauseStorageTab {
				t.Errorf("popup held the token, but the reset blames the tab: %+v", r)
			}
		}
	}
}

// The server refuses the token it issued (a 401 on the API) and the page
// shows the login form: server-dropped, naming the request.
func TestTokenLossRefused(t *testing.T) {
	b := rectest.New("spa")
	tok := rectest.ID("t1")
	spaLogin(b, local, "access_token", tok)
	b.Auth(recording.AuthIn, "#welcome")
	b.Step("click", "", "click #orders")
	q := b.Fetch(appOrigin+"/api/orders", 401).Authorization("Bearer", tok)
	b.Auth(recording.AuthOut, "#login-form")
	rep := analyze(t, b.Rec())
	tr := tokenReport(t, rep)
	if len(tr.Resets) != 1 {
		t.Fatalf("resets = %+v", tr.Resets)
	}
	r := tr.Resets[0]
	if r.Cause != CauseServerDropped || r.Request != q.Request().ID || r.Evidence["status"] != "401" ||
		!strings.Contains(r.Detail, "as Authorization: Bearer on GET https://app.test/api/orders and the server refused it (401)") {
		t.Errorf("reset = %+v", r)
	}
	// The token itself is still held: the server ended the session, not
	// the page.
	if tr.IDs[0].Ended != EndEndOfJourney {
		t.Errorf("ended = %s", tr.IDs[0].Ended)
	}
}

// A session cookie the server answered as unknown would make the loss
// server-dropped; when the page's script removed the token the app runs
// on, that is the first break.
func TestTokenLossBeforeCookieGuess(t *testing.T) {
	b := rectest.New("spa")
	tok := rectest.ID("t1")
	b.Step("goto", "")
	b.Get(appOrigin+"/").Set("sid", rectest.ID("c1"), "Path=/; Secure; HttpOnly")
	b.Step("submit", "login")
	b.Post(appOrigin+"/login").SendHeld("sid").Set("sid", rectest.ID("c2"), "Path=/; Secure; HttpOnly")
	b.StorageSet(local, appOrigin, "access_token", tok)
	b.Fetch(appOrigin+"/api/me", 200).Authorization("Bearer", tok)
	b.Auth(recording.AuthIn, "#welcome")
	b.Step("click", "", "click #settings")
	b.StorageRemove(local, appOrigin, "access_token")
	b.Get(appOrigin + "/account").SendHeld("sid")
	b.Auth(recording.AuthOut, "#login-form")
	rep := analyze(t, b.Rec())
	fs := findings(rep, RuleSessionReset)
	if len(fs) != 1 || fs[0].StorageKey != "access_token" || !strings.Contains(fs[0].Message, "storage-cleared") {
		t.Errorf("findings = %+v", fs)
	}
}

// A restart step starts a fresh browser context: a token of its Web
// Storage goes with it, and the page after it shows the login form.
func TestTokenLossRestart(t *testing.T) {
	b := rectest.New("spa")
	tok := rectest.ID("t1")
	spaLogin(b, local, "access_token", tok)
	b.Auth(recording.AuthIn, "#welcome")
	b.Step("restart", "")
	b.Step("goto", "", "goto /account")
	b.Get(appOrigin + "/account")
	b.Auth(recording.AuthOut, "#login-form")
	rep := analyze(t, b.Rec())
	tr := tokenReport(t, rep)
	if len(tr.IDs) != 1 || tr.IDs[0].Ended != EndRestart || len(tr.Resets) != 1 {
		t.Fatalf("token = %+v", tr)
	}
	if r := tr.Resets[0]; r.Cause != CauseBrowserRestart || r.Step != 2 || *r.ObservedStep != 3 {
		t.Errorf("reset = %+v", r)
	}
}
