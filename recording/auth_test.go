package recording

import (
	"strings"
	"testing"
)

func TestInferAuth(t *testing.T) {
	form := []Form{{Action: "/login", Method: "post", HasPassword: true}}
	r := &Recording{
		Steps: []Step{
			{Index: 0, Kind: "goto", Status: StatusPassed, URL: "https://a.test/login"},
			{Index: 1, Kind: "fill", Status: StatusPassed, URL: "https://a.test/login"},
			{Index: 2, Kind: "submit", As: "login", Status: StatusPassed, URL: "https://a.test/account"},
			{Index: 3, Kind: "click", Status: StatusPassed, URL: "http://a.test/login?return_to=%2Faccount",
				Auth: nil},
			{Index: 4, Kind: "goto", Status: StatusPassed, URL: "https://a.test/api"},
			{Index: 5, Kind: "goto", Status: StatusPassed, URL: "https://a.test/home",
				Auth: &AuthState{State: AuthIn, Evidence: "#welcome matched", Source: AuthByMarker}},
			{Index: 6, Kind: "submit", As: "login", Status: StatusPassed, URL: "https://a.test/login"},
			{Index: 7, Kind: "goto", Status: StatusSkipped},
		},
		Requests: []Request{
			{ID: "1", Step: 0, Method: "GET", URL: "https://a.test/login", ResourceType: "Document", Status: 200},
			{ID: "2", Step: 2, Method: "POST", URL: "https://a.test/login", ResourceType: "Document", Status: 303, Location: "/account"},
			{ID: "2.1", Step: 2, Method: "GET", URL: "https://a.test/account", ResourceType: "Document", Status: 200, RedirectedFrom: "2"},
			{ID: "3", Step: 3, Method: "GET", URL: "http://a.test/account", ResourceType: "Document", Status: 302, Location: "/login?return_to=%2Faccount"},
			{ID: "3.1", Step: 3, Method: "GET", URL: "http://a.test/login?return_to=%2Faccount", ResourceType: "Document", Status: 200, RedirectedFrom: "3"},
			{ID: "4", Step: 4, Method: "GET", URL: "https://a.test/api", ResourceType: "Document", Status: 401},
			{ID: "5", Step: 5, Method: "GET", URL: "https://a.test/home", ResourceType: "Document", Status: 200},
			{ID: "6", Step: 6, Method: "POST", URL: "https://a.test/login", ResourceType: "Document", Status: 200},
		},
		Pages: []PageFacts{
			{Request: "1", Step: 0, URL: "https://a.test/login", Forms: form},
			{Request: "3", Step: 3, URL: "http://a.test/login?return_to=%2Faccount", Forms: form},
			{Request: "6", Step: 6, URL: "https://a.test/login", Forms: form},
		},
	}
	got := InferAuth(r)
	want := []struct {
		state    LoginState
		source   AuthSource
		evidence string
	}{
		{AuthOut, AuthByPasswordForm, "password field"},
		{},
		{AuthIn, AuthByStep, "marked as: login"},
		{AuthOut, AuthByLoginRedirect, "was redirected to http://a.test/login"},
		{AuthOut, AuthByStatus, "answered 401"},
		{AuthIn, AuthByMarker, "#welcome matched"},
		{AuthOut, AuthByPasswordForm, "the login did not take"},
		{},
	}
	for i, w := range want {
		g := got[i]
		if w.state == "" {
			if g != nil {
				t.Errorf("step %d: %+v, want not checked", i, g)
			}
			continue
		}
		if g == nil || g.State != w.state || g.Source != w.source || !strings.Contains(g.Evidence, w.evidence) {
			t.Errorf("step %d: %+v, want %s by %s (%q)", i, g, w.state, w.source, w.evidence)
		}
		if g != nil && g.Source != AuthByMarker && g.Source != AuthByStep && !strings.Contains(g.Evidence, "heuristic") {
			t.Errorf("step %d: a heuristic that does not say so: %q", i, g.Evidence)
		}
	}
}
