package sariftest

import (
	"fmt"
	"slices"
	"testing"
)

// reports records what Results reports instead of failing the test.
type reports struct {
	testing.TB
	got []string
}

func (e *reports) Helper() {}

func (e *reports) Errorf(format string, args ...any) {
	e.got = append(e.got, fmt.Sprintf(format, args...))
}

// A result whose ruleIndex names another rule, or none, is reported; the
// results come back all the same, locations included.
func TestResultsChecksRuleIndex(t *testing.T) {
	log := `{"runs": [{"tool": {"driver": {"rules": [{"id": "A"}, {"id": "B"}]}}, "results": [
		{"ruleId": "A", "ruleIndex": 0, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "s.yaml"}, "region": {"startLine": 3, "startColumn": 5}}}]},
		{"ruleId": "B", "ruleIndex": 0},
		{"ruleId": "C", "ruleIndex": 2}]}]}`
	e := &reports{TB: t}
	res := Results(e, []byte(log))
	want := []string{"result of B points at rule 0, A", "result of C points at rule 2 of 2"}
	if !slices.Equal(e.got, want) {
		t.Errorf("reported %q, want %q", e.got, want)
	}
	if len(res) != 3 || res[0].RuleID != "A" {
		t.Fatalf("results %+v", res)
	}
	if loc := res[0].Locations[0].PhysicalLocation; loc.ArtifactLocation.URI != "s.yaml" || loc.Region.StartLine != 3 || loc.Region.StartColumn != 5 {
		t.Errorf("location %+v", loc)
	}
}
