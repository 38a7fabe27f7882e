package harness

import (
	"context"
	"time"

	"github.com/sessiontrace/sessiontrace/scenarios"
)

// An action carries out one kind of step; steps.go holds the table of
// them and runs a step. These types stand apart so that the families of
// actions depend on them and not on the runner's bookkeeping.

// stepCall is a step being carried out: what an action reads of it and
// where it leaves what it found.
type stepCall struct {
	i  int
	st scenarios.Step
	// timeout bounds each call to the page (see bounded).
	timeout time.Duration
	// doc is the document of the target the step acts in, when it is a
	// frame in the target's process (see where); nil: the target's page.
	doc *doc
	// sr is the step's record: an action adds a screenshot, the cookie
	// events the harness caused, or why it emptied the jar.
	sr *stepRun
}

// An action carries out one kind of step.
type action func(r *runner, ctx context.Context, s *stepCall) error
