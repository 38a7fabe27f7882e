package harness

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// Pages that stop answering: a script that never yields (an endless loop)
// and a renderer that dies. Every call to the page is bounded by a timeout
// already; this is about getting the page to answer again, and about saying
// why a step failed.

// errPageCrashed marks a step during which the page's renderer died.
var errPageCrashed = errors.New("the page crashed (its renderer process died)")

// How the page answered during the current step (runner.page).
const (
	pageAnswering int32 = iota
	pageStopped         // its script did not yield; the harness stopped it, and it answers again
	pageStuck           // it did not answer even after that (a dialog loop, a renderer busy laying out)
)

// Notes added to a step's error, and to the warnings, when the page had to
// be stopped or could not be.
const (
	stoppedNote = "the page's script did not yield (an endless loop?): the harness stopped it"
	stuckNote   = "the page did not answer, even after the harness tried to stop its script: its URL was read from the browser and its documents were not scanned"
)

// explainPage adds to a step's error, and to the warnings, what became of
// the page during the step: its script stopped, or stuck, or its renderer
// dead (then the step fails even if its action passed).
func (r *runner) explainPage(i int, start time.Time, err error) error {
	if note := map[int32]string{pageStopped: stoppedNote, pageStuck: stuckNote}[r.page.Load()]; note != "" {
		r.rec.Warnings = append(r.rec.Warnings, fmt.Sprintf("step %d: %s", i, note))
		if err != nil {
			err = fmt.Errorf("%w; %s", err, note)
		}
	}
	if r.col.crashedSince(start) {
		if err == nil {
			return errPageCrashed
		}
		return fmt.Errorf("%w: %w", errPageCrashed, err)
	}
	return err
}

// watchCrashes notes when the tab's renderer dies (Inspector.targetCrashed).
// The tab survives: a later navigation gets a new renderer.
func (c *collector) watchCrashes(t *chromedp.Target) {
	ch, _ := t.Subscribe("Inspector.targetCrashed")
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for range ch {
			c.mu.Lock()
			c.crashes = append(c.crashes, time.Now())
			c.mu.Unlock()
			c.activity.Add(1)
		}
	}()
}

// crashedSince reports whether the page crashed at or after t.
func (c *collector) crashedSince(t time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, at := range c.crashes {
		if !at.Before(t) {
			return true
		}
	}
	return false
}

// responsive reports whether the page evaluates a trivial script within
// d. A page whose main thread runs an endless loop does not.
func (r *runner) responsive(ctx context.Context, d time.Duration) bool {
	err := r.withTimeout(ctx, d, func(c context.Context) error {
		return chromedp.FromContext(c).Target.Call(c, "Runtime.evaluate", map[string]any{"expression": "0"}, nil)
	})
	return err == nil || !errors.Is(err, context.DeadlineExceeded)
}

// stopScript ends the script the page is running, once per step. The
// browser handles Runtime.terminateExecution apart from the page's main
// thread, so it works while that thread runs an endless loop; the page then
// answers again (until its next timer, if it loops by timers). A page that
// still does not answer is marked stuck. It reports whether the page
// answers now.
func (r *runner) stopScript(ctx context.Context) bool {
	if !r.page.CompareAndSwap(pageAnswering, pageStuck) {
		return r.page.Load() == pageStopped
	}
	err := r.withTimeout(ctx, time.Second, func(c context.Context) error {
		return chromedp.FromContext(c).Target.Call(c, "Runtime.terminateExecution", nil, nil)
	})
	if err == nil && r.responsive(ctx, 500*time.Millisecond) {
		r.page.Store(pageStopped)
		return true
	}
	return false
}

// targetURL reads the page URL from the browser rather than from the page,
// for a page that does not answer.
func (r *runner) targetURL(ctx context.Context) (string, error) {
	var u string
	err := r.withTimeout(ctx, 2*time.Second, func(c context.Context) error {
		var err error
		u, err = browserURL(c)
		return err
	})
	return u, err
}

// browserURL is the URL the browser shows for the context's page (its last
// committed URL), which it knows without asking the page.
func browserURL(c context.Context) (string, error) {
	var res struct {
		TargetInfo struct {
			URL string `json:"url"`
		} `json:"targetInfo"`
	}
	cc := chromedp.FromContext(c)
	err := cc.Browser.Call(c, "Target.getTargetInfo", map[string]any{"targetId": cc.Target.TargetID}, &res)
	return res.TargetInfo.URL, err
}
