package harness_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// benchJourney is a login/logout journey on the lab's correct host.
const benchJourney = `name: bench
target: ${lab.correct}
steps:
  - goto: /login
  - fill: { selector: "#user", value: alice }
  - fill: { selector: "#password", value: pw }
  - submit: "#login-form"
  - click: "#logout"
`

// BenchmarkRecordingOverhead runs the same journey with the recorder (the
// protocol listeners, the script instrumentation and the jar read after
// every step) and bare, alternating within one run so that both see the
// same machine state. Report the ratio recorded/bare (docs/benchmarks.md).
func BenchmarkRecordingOverhead(b *testing.B) {
	if _, err := harness.FindChrome(""); err != nil {
		b.Fatal(err)
	}
	l := startLab(b)
	defer l.Close()
	br, err := harness.StartBrowser(context.Background(), labBrowser(l))
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	sc, err := scenarios.Parse("bench.yaml", []byte(benchJourney))
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, bare bool) {
		r := br.Run(context.Background(), sc, harness.Options{Bare: bare, Resolver: scenarios.Resolver{Lab: l.Var}})
		if r.Status != recording.StatusPassed {
			b.Fatalf("journey %s: %s", r.Status, r.Error)
		}
		if !bare && len(r.Requests) == 0 {
			b.Fatal("the recorded run recorded nothing")
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
}

// median is robust to the occasional slow run a loaded 2-core machine has.
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
