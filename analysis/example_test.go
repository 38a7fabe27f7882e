//go:build !js

package analysis_test

import (
	"fmt"
	"os"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// Analyze a recording of the lab's fixation.test (made in Chromium) and
// print its findings above info and the lifecycle of its session ID.
func ExampleAnalyze() {
	data, err := os.ReadFile("testdata/lab/fixation.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := recording.Decode("fixation.json", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep := analysis.Analyze(r)
	for _, f := range rep.Findings {
		if f.Severity.AtLeast(analysis.Low) {
			fmt.Printf("%s %s %s (step %d)\n", f.Severity, f.Rule, f.Cookie, f.Step)
		}
	}
	for _, s := range rep.Sessions {
		for _, id := range s.IDs {
			fmt.Printf("%s: steps %d-%d, ended %s, %d resets\n", s.Cookie, id.FirstStep, id.LastStep, id.Ended, len(s.Resets))
		}
	}
	fmt.Println("worst:", rep.Worst(), "- at least medium:", rep.CountAtLeast(analysis.Medium))
	// Output:
	// high SESSION-FIXATION PHPSESSID (step 4)
	// medium COOKIE-HTTPONLY-MISSING PHPSESSID (step 0)
	// PHPSESSID: steps 0-6, ended logout, 0 resets
	// worst: high - at least medium: 2
}

// A single-page app keeps its OAuth tokens in localStorage, as
// oidc-client-ts does, leaves them there at logout, and its API still
// takes the access token afterwards.
func ExampleAnalyze_webStorage() {
	b := rectest.New("spa")
	b.Step("submit", "login")
	b.Post("https://app.test/login")
	access := rectest.JWT("access")
	b.StorageSet(recording.LocalStorage, "https://app.test", "oidc.user:https://idp.test:spa", `{"access_token":"…"}`,
		b.Fields("access_token", access, "refresh_token", rectest.ID("refresh"), "token_type", "Bearer")...)
	b.Fetch("https://app.test/api/me", 200).Authorization("Bearer", access)
	b.Step("click", "logout", "click #logout")
	b.Get("https://app.test/logout")
	b.Step("goto", "")
	b.Fetch("https://app.test/api/orders", 200).Authorization("Bearer", access)
	for _, f := range analysis.Analyze(b.Rec()).Findings {
		fmt.Printf("%s %s (step %d): %s %s\n", f.Severity, f.Rule, f.Step, f.StorageArea, f.StorageField)
	}
	// Output:
	// high REFRESH-TOKEN-IN-STORAGE (step 0): localStorage refresh_token
	// high SESSION-TOKEN-NOT-REVOKED (step 1): localStorage access_token
	// medium SESSION-TOKEN-IN-STORAGE (step 0): localStorage access_token
	// medium SESSION-TOKEN-NOT-CLEARED (step 1): localStorage access_token
}
