package harness

import (
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

func TestMarkerState(t *testing.T) {
	for _, c := range []struct {
		in, out           string
		inHit, outHit, pp bool
		state             recording.LoginState
		wantContain       string
	}{
		{"#welcome", "#login", true, false, false, recording.AuthIn, "#welcome matched"},
		{"#welcome", "#login", false, true, false, recording.AuthOut, "#login matched"},
		{"#welcome", "#login", true, true, false, recording.AuthUnknown, "both markers"},
		{"#welcome", "", false, false, true, recording.AuthOut, "did not match on the probe page"},
		{"#welcome", "", false, false, false, "", ""},
		{"", "#login", false, false, true, "", ""},
	} {
		got := markerState(c.in, c.out, c.inHit, c.outHit, c.pp, "https://a.test/account")
		if c.state == "" {
			if got != nil {
				t.Errorf("%+v: %+v, want nil", c, got)
			}
			continue
		}
		if got == nil || got.State != c.state || got.Source != recording.AuthByMarker || !strings.Contains(got.Evidence, c.wantContain) {
			t.Errorf("%+v: %+v", c, got)
		}
	}
}

func TestFillAuthDropsStaleMarkers(t *testing.T) {
	rec := &recording.Recording{
		Steps: []recording.Step{
			{Index: 0, Kind: "goto", Status: recording.StatusPassed, URL: "https://a.test/account",
				Auth: &recording.AuthState{State: recording.AuthIn, Source: recording.AuthByMarker, Evidence: "#welcome matched"}},
			{Index: 1, Kind: "wait", Status: recording.StatusPassed, URL: "https://a.test/account",
				Auth: &recording.AuthState{State: recording.AuthIn, Source: recording.AuthByMarker, Evidence: "#welcome matched"}},
			{Index: 2, Kind: "expect", Status: recording.StatusPassed,
				Auth: &recording.AuthState{State: recording.AuthIn, Source: recording.AuthByExpect, Evidence: "expect"}},
		},
		Requests: []recording.Request{{ID: "1", Step: 0, Method: "GET", URL: "https://a.test/account", ResourceType: "Document", Status: 200}},
	}
	fillAuth(rec)
	if rec.Steps[0].Auth == nil || rec.Steps[1].Auth != nil || rec.Steps[2].Auth == nil {
		t.Errorf("auth = %+v, %+v, %+v", rec.Steps[0].Auth, rec.Steps[1].Auth, rec.Steps[2].Auth)
	}
}

// A marker that reads otherwise after a step that sent no request saw the
// page change by script: a single-page app that rendered its login form
// after clearing its tokens. It is kept.
func TestFillAuthKeepsChangedMarkers(t *testing.T) {
	marker := func(s recording.LoginState) *recording.AuthState {
		return &recording.AuthState{State: s, Source: recording.AuthByMarker, Evidence: "marker"}
	}
	rec := &recording.Recording{
		Steps: []recording.Step{
			{Index: 0, Kind: "click", Status: recording.StatusPassed, Auth: marker(recording.AuthIn)},
			{Index: 1, Kind: "wait", Status: recording.StatusPassed, Auth: marker(recording.AuthOut)},
			{Index: 2, Kind: "wait", Status: recording.StatusPassed, Auth: marker(recording.AuthOut)},
		},
		Requests: []recording.Request{{ID: "1", Step: 0, Method: "GET", URL: "https://a.test/api", ResourceType: "XHR", Status: 200}},
	}
	fillAuth(rec)
	if rec.Steps[1].Auth == nil || rec.Steps[1].Auth.State != recording.AuthOut || rec.Steps[2].Auth != nil {
		t.Errorf("auth = %+v, %+v", rec.Steps[1].Auth, rec.Steps[2].Auth)
	}
}
