package harness_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// benchJourney is a login/logout journey on the lab's correct host;
// SESSION is replaced by each variant's session settings.
const benchJourney = `name: bench
target: ${lab.correct}
SESSION
steps:
  - goto: /login
  - fill: { selector: "#user", value: alice }
  - fill: { selector: "#password", value: pw }
  - submit: "#login-form"
    as: login
  - click: "#logout"
    as: logout
`

// targetsJourney acts in a cross-site frame's page and a popup of the
// lab's targets host: the recorder then also attaches both targets and
// records their requests (issue 16).
const targetsJourney = `name: bench targets
target: ${lab.targets}
steps:
  - goto: /targets
  - wait: { selector: "#widget-done" }
  - click: "#open-popup"
  - wait: { popup: 1 }
  - wait: { selector: "#popup-done" }
  - click: "#export-link"
    in: popup
  - wait: { selector: "#exported" }
    in: popup
`

// The variants of the journey: no marker (the recorder alone), the
// logged-in markers evaluated after every step, the markers with the
// login and logout probes they enable (one extra request each), and a
// journey with a popup and a cross-site frame.
var benchVariants = []struct{ name, session, journey string }{
	{"plain", "", benchJourney},
	{"markers", "session: { loggedOut: { selector: \"#login-form\" } }", benchJourney},
	{"probes", "session: { probe: { path: /account, loggedIn: { selector: \"#welcome\" } }, loggedOut: { selector: \"#login-form\" } }", benchJourney},
	{"targets", "", targetsJourney},
}

// BenchmarkRecordingOverhead runs the same journey with the recorder (the
// protocol listeners, the script instrumentation, the jar read and the
// logged-in check after every step, and the probes when the variant has
// them) and bare, alternating within one run so that both see the same
// machine state. Report the ratio recorded/bare (docs/benchmarks.md).
func BenchmarkRecordingOverhead(b *testing.B) {
	if _, err := harness.FindChrome(""); err != nil {
		b.Fatal(err)
	}
	l, br := startLabBrowser(b)
	for _, v := range benchVariants {
		b.Run(v.name, func(b *testing.B) {
			sc, err := scenarios.Parse("bench.yaml", []byte(strings.Replace(v.journey, "SESSION", v.session, 1)))
			if err != nil {
				b.Fatal(err)
			}
			benchOverhead(b, br, l.Var, sc, v.name)
		})
	}
}

func benchOverhead(b *testing.B, br *harness.Browser, lab func(string) (string, bool), sc *scenarios.Scenario, variant string) {
	run := func(b *testing.B, bare bool) {
		r := br.Run(context.Background(), sc, harness.Options{Bare: bare, Resolver: scenarios.Resolver{Lab: lab}})
		if r.Status != recording.StatusPassed {
			b.Fatalf("journey %s: %s", r.Status, r.Error)
		}
		if bare {
			return
		}
		if len(r.Requests) == 0 {
			b.Fatal("the recorded run recorded nothing")
		}
		checked := false
		for _, st := range r.Steps {
			checked = checked || st.Auth != nil && st.Auth.Source == recording.AuthByMarker
		}
		if (variant == "markers" || variant == "probes") != checked {
			b.Fatalf("%s: marker states recorded: %v", variant, checked)
		}
		if variant == "targets" {
			targets := map[string]bool{}
			for _, q := range r.Requests {
				targets[strings.Fields(q.Target + " x")[0]] = true
			}
			if !targets["popup"] || !targets["frame"] {
				b.Fatalf("targets: requests of %v, want the popup's and the frame's", targets)
			}
		}
		if (variant == "probes") != (r.Probe != nil) {
			b.Fatalf("%s: logout probe %+v", variant, r.Probe)
		}
	}
	run(b, false) // warm up the browser and the lab
	var rec, bare []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Alternate, and swap the order every other round, so that a
		// slow moment of the machine hits both sides alike.
		first, second := false, true
		if i%2 == 1 {
			first, second = true, false
		}
		for _, bareRun := range []bool{first, second} {
			t0 := time.Now()
			run(b, bareRun)
			d := time.Since(t0)
			if bareRun {
				bare = append(bare, d)
			} else {
				rec = append(rec, d)
			}
		}
	}
	mr, mb := median(rec), median(bare)
	b.ReportMetric(float64(mr.Microseconds())/1000, "ms/recorded")
	b.ReportMetric(float64(mb.Microseconds())/1000, "ms/bare")
	b.ReportMetric(float64(mr)/float64(mb), "ratio")
	// The median of each round's own ratio: a round runs both sides back
	// to back, so a slow stretch of the machine divides out.
	pairs := make([]time.Duration, len(rec))
	for i := range rec {
		pairs[i] = time.Duration(float64(time.Millisecond) * float64(rec[i]) / float64(bare[i]))
	}
	b.ReportMetric(float64(median(pairs))/float64(time.Millisecond), "paired-ratio")
}

// median is robust to the occasional slow run a loaded 2-core machine has.
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
