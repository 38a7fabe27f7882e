package analysis

import (
	"strconv"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A line reports each rule once, however many rules fire for it (the
// first 16 are kept in an array, more in a slice).
func TestLineCheckFiresEachRuleOnce(t *testing.T) {
	a := &analyzer{findings: newCollector("s", "s.yaml")}
	q := &recording.Request{ID: "R1", Method: "GET", URL: "https://a.test/"}
	sc := &recording.SetCookie{Name: "SID"}
	c := &lineCheck{a: a, q: q, sc: sc, k: ckey{"SID", "a.test", "/"}}
	for round := 0; round < 2; round++ {
		for i := 0; i < 20; i++ {
			c.fire("RULE-"+strconv.Itoa(i), High, Low, func() string { return "m" })
		}
	}
	if n := len(a.findings.list()); n != 20 {
		t.Fatalf("%d findings, want 20 (one per rule)", n)
	}
}
