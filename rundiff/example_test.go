package rundiff_test

import (
	"fmt"
	"os"

	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/rundiff"
)

// Two runs of a one-step scenario, on staging and in production: the
// session cookie lost HttpOnly. The host differs, but each cookie is
// host-only on its run's target, so the domain is not a change.
func ExampleRuns() {
	run := func(host string, httpOnly bool) []*recording.Recording {
		return []*recording.Recording{{
			Schema:   recording.Schema,
			Scenario: recording.ScenarioInfo{Name: "home page", File: "home.yaml", Target: "https://" + host},
			Status:   recording.StatusPassed,
			Steps: []recording.Step{{Index: 0, Kind: "goto", Status: recording.StatusPassed, Jar: []recording.Cookie{{
				Name: "__Host-sid", Domain: host, Path: "/", Size: 32,
				Secure: true, HTTPOnly: httpOnly, SameSite: "Lax", Session: true,
			}}}},
		}}
	}
	d := rundiff.Runs(run("staging.shop.test", true), run("shop.test", false))
	d.WriteText(os.Stdout)
	for _, c := range d.Regressions() {
		fmt.Printf("regression: %s %s %s: %s -> %s\n", c.Scenario, c.Subject, c.What, c.From, c.To)
	}
	// Output:
	// == home page (A: home.yaml)
	// home.yaml  cookie __Host-sid  httpOnly: true -> false  REGRESSION
	//
	// 1 of 1 scenarios changed: 1 change, 1 regression, 0 improvements
	// regression: home page __Host-sid httpOnly: true -> false
}
