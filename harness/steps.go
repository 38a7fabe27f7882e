package harness

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// A step is carried out by the action of its kind, one small function in
// the file of its family: navigate.go (goto, click, submit), input.go
// (fill, select, check, press, eval), wait.go, cookies.go (setCookie,
// clearCookies, restart), screenshot.go and expect.go. This file runs a
// step: it picks the action, then reads what the step left (the jar, the
// URL, the page) and records it.

// step runs one scenario step, then reads the jar and the page URL, and
// records the step. The error is the step's failure, if any.
func (r *runner) step(ctx context.Context, i int, st scenarios.Step) error {
	sr := stepRun{rec: recording.Step{Index: i, Kind: recording.StepKind(st.Kind), Name: st.Name, As: recording.Boundary(st.As),
		Detail: st.String(), Line: st.Pos.Line, Column: st.Pos.Col, Start: time.Now()}}
	r.page.Store(pageAnswering)
	r.stepStart, r.stepPopup = sr.rec.Start, nil
	err := r.act(ctx, &stepCall{i: i, st: st, timeout: stepTimeout(st, r.opts.StepTimeout), sr: &sr})
	// What a step in a popup left is read in the popup: its URL, whether
	// its page shows the user logged in (sessionStorage, for one, is the
	// popup's own).
	// (It stays the window read until the next step: storageAfter reads
	// there too.)
	r.win = nil
	if w, name, ok := r.stepWindow(st); ok && !r.opts.Bare {
		r.win, sr.rec.Target = w, name
	}
	// Read the state even after a failure: it is part of what happened.
	if !r.opts.Bare {
		if jerr := r.readState(ctx, st, &sr); jerr != nil && err == nil && ctx.Err() == nil {
			err = fmt.Errorf("reading the cookie jar: %w", jerr)
		}
		if a := sr.rec.Auth; a != nil && sr.rec.Target != "" {
			a.Evidence += " (in " + sr.rec.Target + ")"
		}
	}
	if err != nil {
		err = asSiteError(err, r.col.failedDocument())
	}
	err = r.explainPage(i, sr.rec.Start, err)
	sr.rec.End = time.Now()
	sr.rec.Status = recording.StatusPassed
	if err != nil {
		sr.rec.Status, sr.rec.Error = recording.StatusFailed, err.Error()
	} else if a := r.expectAuth(st); a != nil && !r.opts.Bare {
		sr.rec.Auth = a
	}
	r.steps = append(r.steps, sr)
	return err
}

// stepTimeout is how long a step's calls to the page may take: its own
// timeout, else the default; a wait for a duration gets the default on
// top of the duration, so that the time it asked for is not its limit.
func stepTimeout(st scenarios.Step, def time.Duration) time.Duration {
	switch {
	case st.Timeout > 0:
		return st.Timeout
	case st.Kind == scenarios.KindWait && st.Duration > 0:
		return st.Duration + def
	}
	return def
}

// act carries out the step by the action of its kind, where the step's
// in says (the tab, a popup, a frame: see where).
func (r *runner) act(ctx context.Context, s *stepCall) error {
	a := actions[s.st.Kind]
	if a == nil {
		return fmt.Errorf("unknown step kind %q", s.st.Kind)
	}
	if s.st.In != "" {
		// The actions act on r.tab (for this step, the popup's or the
		// frame's target) and in s.doc.
		d, restore, err := r.where(ctx, s)
		defer restore()
		if err != nil {
			return err
		}
		s.doc = d
	}
	err := a(r, ctx, s)
	if err != nil && r.becameDownload(err, s.sr.rec.Start) {
		return nil // the browser made the navigation a download (recorded, and denied)
	}
	if err != nil && errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil && !r.col.crashedSince(s.sr.rec.Start) &&
		!r.responsive(ctx, 500*time.Millisecond) {
		// The step ran out of time on a page that does not answer: stop
		// its script so that its state can be read.
		r.stopScript(ctx)
	}
	if err != nil && errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil && s.st.Selector != "" {
		err = r.explainTimeout(ctx, s, err)
	}
	return err
}

// actions maps each step kind to its action. Most run within the step's
// timeout (bounded); goto gives each of its attempts the whole timeout,
// and restart, which asks the browser and not the page, has its own
// bounds.
var actions = map[scenarios.Kind]action{
	scenarios.KindGoto:         (*runner).doGoto,
	scenarios.KindClick:        bounded((*runner).doClick),
	scenarios.KindSubmit:       bounded((*runner).doSubmit),
	scenarios.KindFill:         bounded((*runner).doFill),
	scenarios.KindSelect:       bounded((*runner).doSelect),
	scenarios.KindCheck:        bounded((*runner).doCheck),
	scenarios.KindPress:        bounded((*runner).doPress),
	scenarios.KindEval:         bounded((*runner).doEval),
	scenarios.KindWait:         bounded((*runner).doWait),
	scenarios.KindSetCookie:    bounded((*runner).doSetCookie),
	scenarios.KindClearCookies: bounded((*runner).doClearCookies),
	scenarios.KindRestart:      (*runner).doRestart,
	scenarios.KindScreenshot:   bounded((*runner).doScreenshot),
	scenarios.KindExpect:       bounded((*runner).doExpect),
	scenarios.KindClose:        bounded((*runner).doClose),
}

// bounded makes an action run within the step's timeout.
func bounded(a action) action {
	return func(r *runner, ctx context.Context, s *stepCall) error {
		return r.withTimeout(ctx, s.timeout, func(c context.Context) error { return a(r, c, s) })
	}
}

// readState reads the jar and the page URL after a step into its record,
// then, from a page that answers, its documents and logged-in markers. The
// error is the jar read's.
func (r *runner) readState(ctx context.Context, st scenarios.Step, sr *stepRun) error {
	i := sr.rec.Index
	if r.jarUnchanged(st, i) {
		// Nothing that can change a cookie happened: the jar is the last
		// one read (see jarUnchanged); only the URL is read.
		prev := r.steps[len(r.steps)-1]
		sr.jar, sr.jarOK, sr.jarAt, sr.jarAsked = prev.jar, true, time.Now(), time.Now()
		if u, uerr := r.location(ctx, pageHadTheFloor(st)); uerr == nil {
			sr.rec.URL = u
			// A wait for an element waited for the page to change: a
			// single-page app can log the user out with no request in
			// the step (a script that cleared its tokens on an earlier
			// answer), so its markers are read again.
			if st.Kind == scenarios.KindWait && r.page.Load() != pageStuck {
				if marks := r.readMarkers(ctx); marks.ok {
					in, out := r.markers()
					sr.rec.Auth = markerState(in, out, marks.in, marks.out, r.onProbePage(u), u)
				}
			}
		}
		return nil
	}
	r.lastActivity = r.activity()
	// The jar (a browser call) and the URL and logged-in markers (page
	// calls) are read at once: their round trips overlap.
	var u string
	var uerr error
	var marks markerHits
	done := make(chan struct{})
	go func() {
		defer close(done)
		if u, uerr = r.location(ctx, pageHadTheFloor(st)); uerr == nil && r.page.Load() != pageStuck && !r.col.crashedSince(sr.rec.Start) {
			marks = r.readMarkers(ctx)
			if recording.Boundary(st.As) == recording.BoundaryLogout && !r.opts.Bare {
				// What the logout left in Web Storage (storageAfter
				// reads it when this could not).
				sr.storage, _ = r.readStorage(ctx)
			}
		}
	}()
	// The step's documents are fetched while the jar is read, and
	// scanned once it is known.
	var pages []fetchedPage
	fetched := make(chan struct{})
	go func() {
		defer close(fetched)
		if r.page.Load() != pageStuck && !r.col.crashedSince(sr.rec.Start) { // its bodies would not come either
			pages = r.fetchPages(ctx)
		}
	}()
	sr.jarAsked = time.Now()
	jar, _, jerr := r.readJar(ctx)
	<-done
	<-fetched
	if uerr == nil {
		sr.rec.URL = u
	}
	if jerr != nil {
		return jerr
	}
	sr.jar, sr.jarOK, sr.jarAt = jar, true, time.Now()
	if r.page.Load() != pageStuck && !r.col.crashedSince(sr.rec.Start) {
		r.scanPages(i, jar, pages)
		if marks.ok {
			in, out := r.markers()
			sr.rec.Auth = markerState(in, out, marks.in, marks.out, r.onProbePage(sr.rec.URL), sr.rec.URL)
		}
	}
	return nil
}

// jarUnchanged reports whether the jar after this step must equal the one
// read after the previous step, so that reading it again (a round trip to
// the browser, see docs/benchmarks.md) can be
// skipped: the step is one that acts only on the page (fill, select,
// check, press, expect, screenshot, wait for an element or URL); no
// network, navigation, script cookie write or cookie issue event arrived
// since the last read, and the driver dropped none; and no cookie of the
// last jar is due to expire. Anything else reads the jar.
func (r *runner) jarUnchanged(st scenarios.Step, i int) bool {
	switch st.Kind {
	case scenarios.KindFill, scenarios.KindSelect, scenarios.KindCheck, scenarios.KindPress,
		scenarios.KindExpect, scenarios.KindScreenshot:
	case scenarios.KindWait:
		if st.Duration > 0 {
			return false
		}
	default:
		return false
	}
	if len(r.steps) == 0 || !r.steps[len(r.steps)-1].jarOK || r.activity() != r.lastActivity || r.col.untappedPopups() {
		return false // (the requests of a popup the tap did not attach are not seen: its cookie changes move no counter)
	}
	now := float64(time.Now().Unix()) + 1
	for _, c := range r.steps[len(r.steps)-1].jar {
		if !c.Session && c.Expires > 0 && c.Expires <= now {
			return false
		}
	}
	return true
}

// activity is a counter that moves whenever something that can change a
// cookie happens in the page or the driver.
func (r *runner) activity() int64 {
	dropped, _ := r.b.driverStats()
	return r.col.activity.Load() + int64(dropped)
}

// pageHadTheFloor reports whether the page's own script ran unwatched
// during st (a wait for a time, an eval): whether the page must be asked
// for its URL, to find out that it still answers.
func pageHadTheFloor(st scenarios.Step) bool {
	return st.Kind == scenarios.KindEval || st.Kind == scenarios.KindWait && st.Duration > 0
}

// location reads the page URL: from the tab's navigations, unless ask
// says to ask the page. A page too busy to answer gets its script stopped
// (see stopScript) and is asked once more.
func (r *runner) location(ctx context.Context, ask bool) (string, error) {
	read := func() (string, error) {
		var u string
		err := r.withTimeoutIn(r.winCtx(), ctx, 2*time.Second, func(c context.Context) error {
			var err error
			u, err = chromedp.Run(c, chromedp.Location())
			return err
		})
		return u, err
	}
	if r.win != nil {
		// A popup: its navigations, as the tap saw them, else asked (the
		// tab's remedies do not apply).
		if p := r.stepPopup; p != nil && !ask {
			if u, ok := r.col.targetURL(p.id); ok {
				return u, nil
			}
		}
		return read()
	}
	// The tab's navigations say where it is: a round trip less after a
	// step the harness drove from start to end. When the page's own
	// script had the floor, the page is asked, and one that no longer
	// answers gets its script stopped here, before the next step.
	if u, ok := r.col.pageURL(); ok && !ask && r.page.Load() == pageAnswering && !r.col.crashedSince(r.stepStart) {
		return u, nil
	}
	if r.col.crashedSince(r.stepStart) {
		return r.targetURL(ctx) // a dead page does not answer
	}
	u, err := read()
	if err != nil && errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		if r.stopScript(ctx) {
			if u, err = read(); err == nil {
				return u, nil
			}
		}
		return r.targetURL(ctx)
	}
	return u, err
}
