package harness_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/lab"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// Run a suite of scenarios in Chromium against the built-in lab, write the
// run folder, and analyse the recordings.
func ExampleRunSuite() {
	l, err := lab.Start(lab.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	list, err := scenarios.Load("../scenarios/lab/correct.yaml", "../scenarios/lab/plainhttp.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := os.MkdirTemp("", "st-example-")
	defer os.RemoveAll(out)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ix, results, err := harness.RunSuite(ctx, list, harness.SuiteConfig{
		// The lab's hosts end in .test: map them to the lab and trust its key.
		Browser: harness.BrowserOptions{HostRules: "MAP *.test 127.0.0.1, EXCLUDE localhost", TrustSPKI: []string{l.SPKIHash()}},
		Run:     harness.Options{Resolver: scenarios.Resolver{Lab: l.Var}},
		Out:     out,
		Workers: 2,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("suite:", ix.Status)
	for _, r := range results {
		rep := analysis.Analyze(r.Recording)
		fmt.Printf("%s: %s, %d reset(s)\n", r.Path, r.Recording.Status, len(rep.Resets()))
		for _, reset := range rep.Resets() {
			fmt.Println(" ", reset.Cause, reset.Basis)
		}
	}
	// Output:
	// suite: passed
	// recordings/correct.json: passed, 0 reset(s)
	// recordings/plainhttp.json: passed, 1 reset(s)
	//   secure-over-http observed
}
