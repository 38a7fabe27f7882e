package harness

import (
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/scenarios"
)

// Every kind the parser accepts has an action: a kind left out of the
// table would fail each step of it as "unknown step kind".
func TestEveryKindHasAnAction(t *testing.T) {
	kinds := []scenarios.Kind{
		scenarios.KindGoto, scenarios.KindClick, scenarios.KindFill, scenarios.KindSelect,
		scenarios.KindCheck, scenarios.KindPress, scenarios.KindSubmit, scenarios.KindWait,
		scenarios.KindEval, scenarios.KindSetCookie, scenarios.KindClearCookies, scenarios.KindRestart,
		scenarios.KindScreenshot, scenarios.KindExpect, scenarios.KindClose,
	}
	for _, k := range kinds {
		if actions[k] == nil {
			t.Errorf("no action for %s", k)
		}
	}
	if len(actions) != len(kinds) {
		t.Errorf("%d actions for %d kinds", len(actions), len(kinds))
	}
}

func TestStepTimeout(t *testing.T) {
	const def = 30 * time.Second
	for _, c := range []struct {
		name string
		st   scenarios.Step
		want time.Duration
	}{
		{"default", scenarios.Step{Kind: scenarios.KindClick}, def},
		{"own timeout", scenarios.Step{Kind: scenarios.KindClick, Timeout: time.Second}, time.Second},
		{"wait for time: the duration and the default", scenarios.Step{Kind: scenarios.KindWait, Duration: time.Minute}, time.Minute + def},
		{"wait for time with its own timeout", scenarios.Step{Kind: scenarios.KindWait, Duration: time.Minute, Timeout: 2 * time.Minute}, 2 * time.Minute},
		{"wait for an element", scenarios.Step{Kind: scenarios.KindWait, Selector: "#done"}, def},
	} {
		if got := stepTimeout(c.st, def); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
