package harness

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	cdptarget "github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// What a page does outside its own document: the windows it opens and the
// downloads it starts. Neither may stall the journey, and both are recorded.

// A popup is a page target of the scenario's browser context other than
// the scenario's own tab.
type popup struct {
	id     string
	at     time.Time
	url    string
	first  string // the first URL it showed other than about:blank
	closed bool
	shut   int // the close step that closed it; -1 while open
}

type download struct{ url, filename string }

// watchWindows records the popups and downloads of the context's tab.
// Popups come from the target discovery chromedp turns on for the tab's
// session (it reports every target of the browser, hence the filter on the
// browser context). Downloads come from Page.downloadWillBegin: deprecated in
// favour of Browser.downloadWillBegin, but it is per page, so no other
// scenario's downloads show up here. The harness denies downloads (see
// openTab), so the event is the only trace of one.
func (c *collector) watchWindows(ctx context.Context, cc *chromedp.Context) {
	self, bctx := string(cc.Target.TargetID), string(cc.BrowserContextID)
	for _, m := range []string{"Target.targetCreated", "Target.targetInfoChanged"} {
		ch, _ := cc.Target.Subscribe(m)
		c.wg.Add(1)
		go func(m string) {
			defer c.wg.Done()
			for raw := range ch {
				info := parseObj(raw, &c.log, m, "").obj("targetInfo")
				id := info.str("targetId")
				if id == self || info.str("type") != "page" || info.str("browserContextId") != bctx {
					continue
				}
				if p := c.notePopup(id, info.str("url")); p != nil {
					// Too many: close it (with the tab's life as the bound).
					go func() {
						_ = cc.Browser.Call(ctx, "Target.closeTarget", map[string]any{"targetId": p.id}, nil)
					}()
				}
			}
		}(m)
	}
	ch, _ := cc.Target.Subscribe("Page.downloadWillBegin")
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for raw := range ch {
			o := parseObj(raw, &c.log, "Page.downloadWillBegin", "")
			c.mu.Lock()
			c.downloads = append(c.downloads, timed[download]{time.Now(), download{url: o.str("url"), filename: o.str("suggestedFilename")}})
			close(c.downloaded)
			c.downloaded = make(chan struct{})
			c.mu.Unlock()
			c.activity.Add(1)
		}
	}()
}

// notePopup records a popup or its new URL (the creation and the URL
// changes come on separate queues, in any order). It returns the popup
// when it is new and over the limit, to be closed.
func (c *collector) notePopup(id, url string) *popup {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer func() {
		close(c.popupChanged)
		c.popupChanged = make(chan struct{})
	}()
	for _, p := range c.popups {
		if p.id == id {
			if url != "" && url != "about:blank" {
				p.url = url
				if p.first == "" {
					p.first = url
				}
			}
			return nil
		}
	}
	p := &popup{id: id, at: time.Now(), shut: -1}
	if url != "about:blank" {
		p.url, p.first = url, url
	}
	c.popups = append(c.popups, p)
	c.activity.Add(1)
	close(c.popupOpened)
	c.popupOpened = make(chan struct{})
	if len(c.popups) > maxPopups {
		p.closed = true
		return p
	}
	return nil
}

// attachWindow returns the context of target id (a popup, a frame's
// of another site) and the tracker of its frames' worlds, attached on
// first use. chromedp attaches a session of its own, as for the tab; the
// tap records the target anyway. The context ends with the tab's (and
// closes a popup).
func (r *runner) attachWindow(ctx context.Context, in, id, what string) (context.Context, *worlds, error) {
	if w, ok := r.windows[id]; ok {
		return w.ctx, w.worlds, nil
	}
	ws := newWorlds()
	w, cancel := chromedp.NewContext(r.tab, chromedp.WithTargetID(cdptarget.ID(id)), chromedp.WithListener(ws.listen))
	// The first action binds the target's session to w (see openTab),
	// so it runs on w, and the wait for it is bounded here.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(w) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	case <-time.After(jarTimeout):
		err = fmt.Errorf("no answer in %s", jarTimeout)
	}
	if err != nil {
		cancel()
		return nil, nil, fmt.Errorf("in %s: attaching to the %s: %w", in, what, err)
	}
	if r.windows == nil {
		r.windows = map[string]attached{}
	}
	r.windows[id] = attached{w, ws}
	return w, ws, nil
}

// attached is a target a step acted in, other than the tab.
type attached struct {
	ctx    context.Context
	worlds *worlds
}

// stepWindow returns the context of the popup step st acted in, with its
// name ("popup 2"), so that what the step left (its URL, the logged-in
// markers) is read there; ok is false for a step in the tab, or in a
// popup that is gone or was never attached.
func (r *runner) stepWindow(st scenarios.Step) (w context.Context, name string, ok bool) {
	if st.InWindow() == "" {
		return nil, "", false
	}
	p := r.stepPopup
	if p == nil {
		return nil, "", false
	}
	a, ok := r.windows[p.id]
	if !ok {
		return nil, "", false
	}
	c := r.col
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.shut >= 0 || p.closed {
		return nil, "", false
	}
	for i, o := range c.popups {
		if o == p {
			name = "popup " + strconv.Itoa(i+1)
		}
	}
	return a.ctx, name, name != "" && a.ctx.Err() == nil
}

// popupNamed returns the popup in names ("popup": the last one opened;
// "popup N": the Nth), or why there is none to act on; what prefixes the
// error.
func (r *runner) popupNamed(what, in string, timeout time.Duration) (*popup, error) {
	if k, text, ok := strings.Cut(strings.TrimPrefix(in, "popup "), "="); ok && (k == "url" || k == "title") {
		return r.popupMatching(what, k, text, timeout)
	}
	c := r.col
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.popups)
	var p *popup
	switch {
	case in == "popup" && n > 0:
		p = c.popups[n-1]
	case strings.HasPrefix(in, "popup "):
		if i, err := strconv.Atoi(strings.TrimPrefix(in, "popup ")); err == nil && i >= 1 && i <= n {
			p = c.popups[i-1]
		}
	}
	switch {
	case p == nil:
		return nil, fmt.Errorf("%s: the journey has opened %s", what, words.Count(n, "popup", "popups"))
	case p.closed:
		return nil, fmt.Errorf("%s: the harness closed that popup (more than %d)", what, maxPopups)
	case p.shut >= 0:
		return nil, fmt.Errorf("%s: step %d closed that popup", what, p.shut)
	}
	return p, nil
}

// popupMatching returns the last popup opened, still open, whose URL or
// title (key) contains text, waiting for one up to timeout: a
// window that just opened has not loaded its page yet. The browser
// reports a new URL but not always a new title, so the windows' titles are
// asked for again after each change and every 100 ms.
func (r *runner) popupMatching(what, key, text string, timeout time.Duration) (*popup, error) {
	c := r.col
	limit := time.After(timeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		titles := map[string]string{}
		if key == "title" {
			var got struct {
				TargetInfos []struct {
					TargetID string `json:"targetId"`
					Title    string `json:"title"`
				} `json:"targetInfos"`
			}
			err := r.withTimeout(context.Background(), 2*time.Second, func(ctx context.Context) error {
				return chromedp.FromContext(r.tab).Browser.Call(ctx, "Target.getTargets", nil, &got)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: listing the windows: %w", what, err)
			}
			for _, ti := range got.TargetInfos {
				titles[ti.TargetID] = ti.Title
			}
		}
		c.mu.Lock()
		var seen []string
		var found *popup
		for i := len(c.popups) - 1; i >= 0 && found == nil; i-- {
			p := c.popups[i]
			if p.closed || p.shut >= 0 {
				continue
			}
			v := p.url
			if key == "title" {
				v = titles[p.id]
			}
			if strings.Contains(v, text) {
				found = p
			}
			seen = append(seen, "popup "+strconv.Itoa(i+1)+" "+strconv.Quote(v))
		}
		changed := c.popupChanged
		c.mu.Unlock()
		if found != nil {
			return found, nil
		}
		select {
		case <-changed:
			continue
		case <-tick.C:
			continue
		case <-r.tab.Done():
			return nil, fmt.Errorf("%s: %w", what, r.tab.Err())
		case <-limit:
		}
		if len(seen) == 0 {
			return nil, fmt.Errorf("%s: the journey has no open popup", what)
		}
		slices.Reverse(seen)
		return nil, fmt.Errorf("%s: no open popup's %s contains %q within %s (%s)", what, key, text, timeout, strings.Join(seen, ", "))
	}
}

// waitPopups waits until the journey has opened n popups.
func (r *runner) waitPopups(ctx context.Context, n int) error {
	c := r.col
	for {
		c.mu.Lock()
		have, ch := len(c.popups), c.popupOpened
		c.mu.Unlock()
		if have >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("popup %d did not open (the journey has opened %s): %w", n, words.Count(have, "popup", "popups"), ctx.Err())
		case <-ch:
		}
	}
}

// doClose closes a popup, as its user would: the page's unload runs, and
// its requests until then are recorded.
func (r *runner) doClose(ctx context.Context, s *stepCall) error {
	p, err := r.popupNamed("close "+s.st.Window, s.st.Window, s.timeout)
	if err != nil {
		return err
	}
	cc := chromedp.FromContext(r.tab)
	if cc == nil || cc.Browser == nil {
		return fmt.Errorf("close %s: no browser", s.st.Window)
	}
	if err := cc.Browser.Call(ctx, "Target.closeTarget", map[string]any{"targetId": p.id}, nil); err != nil {
		return fmt.Errorf("close %s: %w", s.st.Window, err)
	}
	// The browser closes the window after it answers (the page's unload
	// runs first): the step ends when the target is gone, as the user's
	// next action would find it.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for cc.Browser.Call(ctx, "Target.getTargetInfo", map[string]any{"targetId": p.id}, nil) == nil {
		select {
		case <-ctx.Done():
			return fmt.Errorf("close %s: the window did not close: %w", s.st.Window, ctx.Err())
		case <-tick.C:
		}
	}
	// The opener's page hears of the window's end on a channel of its own
	// (its named-window lookup, window.open(url, name), still found it
	// now and then): one round trip to the tab's page lets that news in
	// before the next step.
	_ = r.withTimeout(ctx, time.Second, func(c context.Context) error {
		_, err := chromedp.Run(c, chromedp.Evaluate[chromedp.Void]("0"))
		return err
	})
	r.col.mu.Lock()
	p.shut = s.sr.rec.Index
	r.col.mu.Unlock()
	delete(r.windows, p.id)
	return nil
}

// untappedPopups reports whether a popup is open whose events the tap
// does not see (it did not attach to it): its requests and cookie writes
// move no activity counter.
func (c *collector) untappedPopups() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.popups {
		if p.closed || p.shut >= 0 {
			continue
		}
		tapped := false
		for _, tg := range c.targets {
			tapped = tapped || tg.id == p.id && !tg.gone
		}
		if !tapped {
			return true
		}
	}
	return false
}

// popupBefore reports whether the page had opened a popup by t (the
// builder holds the collector's lock).
func (b *builder) popupBefore(t time.Time) bool {
	for _, p := range b.c.popups {
		if !p.at.After(t) {
			return true
		}
	}
	return false
}

// downloadSince reports whether a download began at or after t, waiting up
// to wait for one: the browser answers a navigation that became a download
// before it reports the download.
func (c *collector) downloadSince(t time.Time, wait time.Duration) bool {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		c.mu.Lock()
		found := false
		for _, d := range c.downloads {
			found = found || !d.at.Before(t)
		}
		ch := c.downloaded
		c.mu.Unlock()
		if found {
			return true
		}
		select {
		case <-ch:
		case <-timer.C:
			return false
		}
	}
}

// becameDownload reports whether a step's error is the browser abandoning
// a navigation because the response was a download (net::ERR_ABORTED, with
// a download reported since the step began). That is what a browser does
// with an attachment, not a failure of the page.
func (r *runner) becameDownload(err error, start time.Time) bool {
	return isAborted(err) && r.col.downloadSince(start, time.Second)
}

// isAborted reports whether err is a navigation the browser abandoned
// (net::ERR_ABORTED): for a download, or for another navigation.
func isAborted(err error) bool {
	var le *chromedp.LoadError
	return errors.As(err, &le) && strings.Contains(le.ErrorText, "ERR_ABORTED")
}

// addWindows fills the recording's popups and downloads, with a warning
// for each kind so that a reader of the text output learns of them.
func (b *builder) addWindows(rec *recording.Recording) {
	c := b.c
	rec.Popups, rec.Downloads = nil, nil
	for _, p := range c.popups {
		rec.Popups = append(rec.Popups, recording.Popup{Time: p.at, Step: b.stepFor(p.at), URL: b.url(p.url), Closed: p.closed})
	}
	for _, d := range c.downloads {
		rec.Downloads = append(rec.Downloads, recording.Download{Time: d.at, Step: b.stepFor(d.at), URL: b.url(d.v.url),
			Filename: b.red.Scrub(d.v.filename)})
	}
	if n := len(rec.Popups); n > 0 {
		msg := words.Count(n, "popup window", "popup windows") + " opened (see popups); their requests are not recorded, but they share the jar"
		if c.popupsRecorded {
			msg = words.Count(n, "popup window", "popup windows") + " opened (see popups); their requests are recorded (target \"popup N\", N counting popups from 1)"
			for _, tg := range c.targets {
				if tg.kind == "page" && b.missed(tg) {
					msg += ", but not all (see below)"
					break
				}
			}
		}
		if n > maxPopups {
			msg += "; the harness closed those after the first " + strconv.Itoa(maxPopups)
		}
		rec.Warnings = appendOnce(rec.Warnings, msg)
	}
	if n := len(rec.Downloads); n > 0 {
		rec.Warnings = appendOnce(rec.Warnings, words.Count(n, "download", "downloads")+" started (see downloads); the harness denied them: no file was written")
	}
}
