//go:build !js

package analysis_test

import (
	"fmt"
	"os"

	"github.com/sessiontrace/sessiontrace/analysis"
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
