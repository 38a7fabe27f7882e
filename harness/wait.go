package harness

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// doWait waits for an element to be visible, for the page URL to become
// one, or for time to pass.
func (r *runner) doWait(c context.Context, s *stepCall) error {
	switch {
	case s.st.Selector != "":
		_, err := whenVisible(c, s.doc, s.st.Selector, `"ok"`)
		return err
	case s.st.URL != "":
		return r.waitURL(c, s.doc, s.st.URL)
	case s.st.Popup > 0:
		return r.waitPopups(c, s.st.Popup)
	}
	// The scenario asked for time to pass (idle timeouts, expiry).
	return sleep(c, s.st.Duration)
}

// waitURL waits until the URL of the document (the page's, or the
// frame's) equals raw resolved against the target, or contains raw as
// written.
func (r *runner) waitURL(c context.Context, d *doc, raw string) error {
	want, err := r.sc.URL(raw)
	if err != nil {
		want = raw
	}
	// Poll the page URL: navigation can happen by script, redirect or
	// history API, which no single event covers.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		// Each read is bounded: a page between two documents (or
		// busy) may not answer, and then the browser says the URL.
		rc, cancel := context.WithTimeout(c, time.Second)
		u, err := docURL(rc, d)
		cancel()
		switch {
		case err == nil || c.Err() != nil:
		case d == nil:
			u, err = browserURL(c)
		case !errors.Is(err, errDocChanged) && !errors.Is(err, context.DeadlineExceeded):
			return err // the frame is gone
		}
		if err == nil && (u == want || strings.Contains(u, raw)) {
			return nil
		}
		select {
		case <-c.Done():
			return fmt.Errorf("the URL did not become %s (last: %s): %w", raw, u, c.Err())
		case <-tick.C:
		}
	}
}

// sleep waits for d, or until c ends.
func sleep(c context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-c.Done():
		return c.Err()
	}
}
