package harness_test

import (
	"context"
	"testing"

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
	var recNS, bareNS int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := nanotime()
		run(b, false)
		t1 := nanotime()
		run(b, true)
		t2 := nanotime()
		recNS += t1 - t0
		bareNS += t2 - t1
	}
	b.ReportMetric(float64(recNS)/float64(b.N)/1e6, "ms/recorded")
	b.ReportMetric(float64(bareNS)/float64(b.N)/1e6, "ms/bare")
	b.ReportMetric(float64(recNS)/float64(bareNS), "ratio")
}
