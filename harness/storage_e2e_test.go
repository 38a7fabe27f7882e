package harness_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// The lab's single-page app, in real Chromium: its Web Storage writes are
// recorded with the script that made them, its bearer header joins the
// stored token by fingerprint, the storage read after the logout step
// holds what the app forgot to clear, and the token probe finds the token
// still accepted.
func TestStorageRecordedInChromium(t *testing.T) {
	r := labSuite(t)["spa"]
	if r == nil || r.Status != recording.StatusPassed {
		t.Fatalf("spa.yaml did not pass: %+v", r)
	}
	var token *recording.Value
	var keys []string
	for _, e := range r.Storage {
		keys = append(keys, string(e.Kind)+" "+string(e.Area)+" "+e.Key)
		if e.Key == "access_token" && e.Kind == recording.StorageSet {
			token = e.Value
			if !strings.Contains(e.Script, "/app.js:") {
				t.Errorf("the access token's writer is %q, want the app's script", e.Script)
			}
		}
	}
	for _, want := range []string{"set localStorage access_token", "set localStorage refresh_token", "removed sessionStorage oidc.user:https://idp.spa.test:spa"} {
		if !slices.Contains(keys, want) {
			t.Errorf("storage writes %q lack %q", keys, want)
		}
	}
	if token == nil || token.Format != recording.FormatJWT {
		t.Fatalf("access token %+v, want a JWT", token)
	}
	bearers := 0
	for _, q := range r.Requests {
		if a := q.Authorization; a != nil && a.Scheme == "Bearer" && a.Value.Same(*token) {
			bearers++
		}
	}
	if bearers < 2 {
		t.Errorf("%d requests sent the stored token as a bearer, want the API calls", bearers)
	}
	var after []string
	for _, st := range r.Steps {
		if st.As == recording.BoundaryLogout {
			for _, it := range st.Storage {
				after = append(after, string(it.Area)+" "+it.Key)
			}
		}
	}
	if !slices.Contains(after, "localStorage access_token") || slices.Contains(after, "sessionStorage oidc.user:https://idp.spa.test:spa") {
		t.Errorf("held after logout: %q, want the access token and not the removed item", after)
	}
	if p := r.TokenProbe; p == nil || !p.Accepted || p.Status != 200 || !p.Value.Same(*token) {
		t.Errorf("token probe %+v, want the token replayed and accepted", p)
	}
}
