package harness

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/scenarios"
)

// A wait for time needs no page: it lets the time pass, and ends early
// with the step's context.
func TestWaitForTime(t *testing.T) {
	r := &runner{}
	s := &stepCall{st: scenarios.Step{Kind: scenarios.KindWait, Duration: 20 * time.Millisecond}}
	start := time.Now()
	if err := r.doWait(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("waited %s, want 20ms", d)
	}

	s.st.Duration = time.Hour
	c, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := r.doWait(c, s); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a wait past the step's timeout: %v", err)
	}
}
