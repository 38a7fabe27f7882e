// Package sariftest reads the SARIF logs that report.SARIF writes, for the
// tests of more than one package (report's, and cli's through `audit
// --format sarif`), and holds each log to what a code-scanning dashboard
// relies on: every result's ruleIndex points at its ruleId among the
// driver's rules.
package sariftest

import (
	"encoding/json"
	"testing"
)

// A Result is what the tests read of a SARIF result.
type Result struct {
	RuleID    string
	RuleIndex int
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct{ URI string }
			Region           struct{ StartLine, StartColumn int }
		}
	}
}

// Results decodes the SARIF log data and returns the results of its one
// run. The test fails (and goes on) for each result whose ruleIndex does
// not name its ruleId.
func Results(t testing.TB, data []byte) []Result {
	t.Helper()
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Results []Result
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs in the SARIF log, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	rules := run.Tool.Driver.Rules
	for _, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(rules) {
			t.Errorf("result of %s points at rule %d of %d", r.RuleID, r.RuleIndex, len(rules))
		} else if got := rules[r.RuleIndex].ID; got != r.RuleID {
			t.Errorf("result of %s points at rule %d, %s", r.RuleID, r.RuleIndex, got)
		}
	}
	return run.Results
}
