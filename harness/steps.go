package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// step runs one scenario step, then reads the jar and the page URL, and
// records the step. The error is the step's failure, if any.
func (r *runner) step(ctx context.Context, i int, st scenarios.Step) error {
	sr := stepRun{rec: recording.Step{Index: i, Kind: string(st.Kind), Name: st.Name, As: st.As,
		Detail: st.String(), Start: time.Now()}}
	timeout := st.Timeout
	if timeout <= 0 {
		timeout = r.opts.StepTimeout
	}
	if st.Kind == scenarios.KindWait && st.Duration > 0 && st.Timeout <= 0 {
		timeout = st.Duration + r.opts.StepTimeout
	}
	r.page.Store(pageAnswering)
	r.stepStart = sr.rec.Start
	err := r.do(ctx, i, st, timeout, &sr)
	if err != nil && r.becameDownload(err, sr.rec.Start) {
		err = nil // the browser made the navigation a download (recorded, and denied)
	}
	if err != nil && errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil && !r.col.crashedSince(sr.rec.Start) &&
		!r.responsive(ctx, 500*time.Millisecond) {
		// The step ran out of time on a page that does not answer: stop
		// its script so that its state can be read.
		r.stopScript(ctx)
	}
	// Read the state even after a failure: it is part of what happened.
	// The jar and the URL are read at once: two round trips in flight.
	if !r.opts.Bare && r.jarUnchanged(st, i) {
		// Nothing that can change a cookie happened: the jar is the last
		// one read (see jarUnchanged); only the URL is read.
		prev := r.steps[len(r.steps)-1]
		sr.jar, sr.jarOK, sr.jarAt, sr.jarAsked = prev.jar, true, time.Now(), time.Now()
		if u, uerr := r.location(ctx); uerr == nil {
			sr.rec.URL = u
		}
	} else if !r.opts.Bare {
		r.lastActivity = r.activity()
		var u string
		var uerr error
		done := make(chan struct{})
		go func() { u, uerr = r.location(ctx); close(done) }()
		sr.jarAsked = time.Now()
		jar, _, jerr := r.readJar(ctx)
		<-done
		if uerr == nil {
			sr.rec.URL = u
		}
		if jerr == nil {
			sr.jar, sr.jarOK, sr.jarAt = jar, true, time.Now()
			if r.page.Load() != pageStuck && !r.col.crashedSince(sr.rec.Start) { // its bodies would not come either
				r.collectPages(ctx, i, jar)
				r.checkAuth(ctx, &sr)
			}
		} else if err == nil && ctx.Err() == nil {
			err = fmt.Errorf("reading the cookie jar: %w", jerr)
		}
	}
	if note := map[int32]string{pageStopped: stoppedNote, pageStuck: stuckNote}[r.page.Load()]; note != "" {
		r.rec.Warnings = append(r.rec.Warnings, fmt.Sprintf("step %d: %s", i, note))
		if err != nil {
			err = fmt.Errorf("%w; %s", err, note)
		}
	}
	if r.col.crashedSince(sr.rec.Start) {
		if err == nil {
			err = errPageCrashed
		} else {
			err = fmt.Errorf("%w: %w", errPageCrashed, err)
		}
	}
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

// jarUnchanged reports whether the jar after this step must equal the one
// read after the previous step, so that reading it again (15-30 ms) can be
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
	if len(r.steps) == 0 || !r.steps[len(r.steps)-1].jarOK || r.activity() != r.lastActivity || r.col.hasPopups() {
		return false // (a popup's requests are not seen: its cookie changes move no counter)
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

// location reads the page URL. A page too busy to answer gets its script
// stopped (see stopScript) and is asked once more.
func (r *runner) location(ctx context.Context) (string, error) {
	read := func() (string, error) {
		var u string
		err := r.withTimeout(ctx, 2*time.Second, func(c context.Context) error {
			var err error
			u, err = chromedp.Run(c, chromedp.Location())
			return err
		})
		return u, err
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

func (r *runner) do(ctx context.Context, i int, st scenarios.Step, timeout time.Duration, sr *stepRun) error {
	run := func(f func(c context.Context) error) error { return r.withTimeout(ctx, timeout, f) }
	css := chromedp.CSS(st.Selector)
	switch st.Kind {
	case scenarios.KindGoto:
		u, err := r.sc.URL(st.URL)
		if err != nil {
			return err
		}
		// A page that navigates itself (a script redirect, a reload loop)
		// can cancel the goto with its own navigation: the browser then
		// answers net::ERR_ABORTED. The goto is tried again, twice at most;
		// an abort that was a download is not (see becameDownload).
		for attempt := 1; ; attempt++ {
			err := run(func(c context.Context) error { return chromedp.Do(c, chromedp.Navigate(u)) })
			if attempt == 3 || !isAborted(err) || r.col.downloadSince(sr.rec.Start, time.Second) {
				return err
			}
			r.rec.Warnings = append(r.rec.Warnings, fmt.Sprintf("step %d: a navigation of the page cancelled the goto (net::ERR_ABORTED); the harness tried again", i))
		}
	case scenarios.KindClick:
		return run(func(c context.Context) error {
			if err := chromedp.Do(c, chromedp.WaitVisible(css)); err != nil {
				return err
			}
			nav, err := chromedp.Run(c, chromedp.Evaluate[bool](navigatesJS(st.Selector)))
			if err != nil {
				return err
			}
			if nav {
				_, err := chromedp.RunResponse(c, chromedp.Click(css))
				return err
			}
			return chromedp.Do(c, chromedp.Click(css))
		})
	case scenarios.KindFill:
		return run(func(c context.Context) error {
			// Like a paste: clear, focus, then insert the whole text at once
			// (input events fire as for typing; one round trip, not one per key).
			return chromedp.Do(c, chromedp.WaitVisible(css),
				chromedp.Evaluate[chromedp.Void](jsQuery(st.Selector)+`.value = ""`),
				chromedp.Focus(css),
				chromedp.Func(func(c context.Context, t *chromedp.Target) error {
					return t.Call(c, "Input.insertText", map[string]any{"text": st.Value}, nil)
				}))
		})
	case scenarios.KindSelect:
		return run(func(c context.Context) error {
			if err := chromedp.Do(c, chromedp.WaitReady(css)); err != nil {
				return err
			}
			ok, err := chromedp.Run(c, chromedp.Evaluate[bool](selectJS(st.Selector, st.Value)))
			if err == nil && !ok {
				err = fmt.Errorf("%s has no option %q", st.Selector, st.Value)
			}
			return err
		})
	case scenarios.KindCheck:
		return run(func(c context.Context) error {
			if err := chromedp.Do(c, chromedp.WaitVisible(css)); err != nil {
				return err
			}
			checked, err := chromedp.Run(c, chromedp.Evaluate[bool](jsQuery(st.Selector)+".checked"))
			if err != nil || checked == st.Checked {
				return err
			}
			return chromedp.Do(c, chromedp.Click(css))
		})
	case scenarios.KindPress:
		return run(func(c context.Context) error {
			if st.Selector != "" {
				if err := chromedp.Do(c, chromedp.Focus(css)); err != nil {
					return err
				}
			}
			return chromedp.Do(c, chromedp.KeyEvent(keyName(st.Key)))
		})
	case scenarios.KindSubmit:
		return run(func(c context.Context) error {
			if err := chromedp.Do(c, chromedp.WaitReady(css)); err != nil {
				return err
			}
			var state string
			_, err := chromedp.RunResponse(c, chromedp.Func(func(c context.Context, t *chromedp.Target) error {
				var err error
				state, err = chromedp.Evaluate[string](submitJS(st.Selector))(c, t)
				if err == nil && state != "ok" {
					return fmt.Errorf("%s is not a form and is not inside one", st.Selector)
				}
				return err
			}))
			return err
		})
	case scenarios.KindWait:
		return run(func(c context.Context) error { return r.wait(c, st) })
	case scenarios.KindEval:
		return run(func(c context.Context) error {
			_, err := chromedp.Run(c, chromedp.Evaluate[json.RawMessage](st.Script, awaitPromise))
			return err
		})
	case scenarios.KindSetCookie:
		return run(func(c context.Context) error { return r.setCookie(c, i, st, sr) })
	case scenarios.KindClearCookies:
		sr.cleared = "clearCookies"
		return run(func(c context.Context) error { return r.clearCookies(c, st.ClearName) })
	case scenarios.KindRestart:
		sr.cleared = "restart"
		return r.restart(ctx)
	case scenarios.KindScreenshot:
		return run(func(c context.Context) error {
			var data []byte
			var err error
			if st.Selector != "" {
				data, err = chromedp.Run(c, chromedp.Screenshot(css))
			} else {
				data, err = chromedp.Run(c, chromedp.FullScreenshot(100)) // 100: PNG
			}
			if err != nil {
				return err
			}
			name := st.Path
			if name == "" {
				name = runfolder.ScreenshotName(r.sc.Name, i)
			}
			sr.rec.Screenshot, err = runfolder.Dir(r.opts.Dir).WriteScreenshot(name, data)
			return err
		})
	case scenarios.KindExpect:
		return run(func(c context.Context) error { return r.expect(c, i, st.Expect) })
	}
	return fmt.Errorf("unknown step kind %q", st.Kind)
}

func awaitPromise(p *runtime.EvaluateParams) { t := true; p.AwaitPromise = &t }

// jsQuery returns a JS expression for the first element matching sel.
func jsQuery(sel string) string {
	q, _ := json.Marshal(sel)
	return "document.querySelector(" + string(q) + ")"
}

// navigatesJS tells whether a click on the element is expected to load a
// new document: a link to another document in this tab, or a submit button.
func navigatesJS(sel string) string {
	return `(() => { const el = ` + jsQuery(sel) + `; if (!el) return false;
  const a = el.closest("a[href]");
  if (a) { const h = a.getAttribute("href") || "";
    if (a.target && a.target !== "_self") return false;
    if (h.startsWith("#") || h.toLowerCase().startsWith("javascript:") || a.hasAttribute("download")) return false;
    const u = new URL(a.href, location.href);
    return !(u.origin === location.origin && u.pathname === location.pathname && u.search === location.search && u.hash !== "");
  }
  const b = el.closest("button, input[type=submit], input[type=image]");
  return !!(b && b.form && (b.type === "submit" || b.type === "image") && !b.form.target);
})()`
}

func selectJS(sel, value string) string {
	v, _ := json.Marshal(value)
	return `(() => { const el = ` + jsQuery(sel) + `; const v = ` + string(v) + `;
  const o = Array.from(el.options || []).find(o => o.value === v || o.text === v);
  if (!o) return false; el.value = o.value;
  el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true}));
  return true; })()`
}

func submitJS(sel string) string {
	return `(() => { const el = ` + jsQuery(sel) + `; if (!el) return "missing";
  const f = el.tagName === "FORM" ? el : (el.form || el.closest("form")); if (!f) return "noform";
  if (f.requestSubmit) f.requestSubmit(); else f.submit(); return "ok"; })()`
}

// keyName maps key names (as in the DOM's KeyboardEvent.key) to what
// chromedp's KeyEvent types.
func keyName(k string) string {
	switch strings.ToLower(k) {
	case "enter", "return":
		return kb.Enter
	case "tab":
		return kb.Tab
	case "escape", "esc":
		return kb.Escape
	case "backspace":
		return kb.Backspace
	case "delete":
		return kb.Delete
	case "arrowup", "up":
		return kb.ArrowUp
	case "arrowdown", "down":
		return kb.ArrowDown
	case "arrowleft", "left":
		return kb.ArrowLeft
	case "arrowright", "right":
		return kb.ArrowRight
	case "home":
		return kb.Home
	case "end":
		return kb.End
	case "pageup":
		return kb.PageUp
	case "pagedown":
		return kb.PageDown
	case "space":
		return " "
	}
	return k
}

func (r *runner) wait(c context.Context, st scenarios.Step) error {
	switch {
	case st.Selector != "":
		return chromedp.Do(c, chromedp.WaitVisible(chromedp.CSS(st.Selector)))
	case st.URL != "":
		want, err := r.sc.URL(st.URL)
		if err != nil {
			want = st.URL
		}
		// Poll the page URL: navigation can happen by script, redirect or
		// history API, which no single event covers.
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			// Each read is bounded: a page between two documents (or
			// busy) may not answer, and then the browser says the URL.
			rc, cancel := context.WithTimeout(c, time.Second)
			u, err := chromedp.Run(rc, chromedp.Location())
			cancel()
			if err != nil && c.Err() == nil {
				u, err = browserURL(c)
			}
			if err == nil && (u == want || strings.Contains(u, st.URL)) {
				return nil
			}
			select {
			case <-c.Done():
				return fmt.Errorf("the URL did not become %s (last: %s): %w", st.URL, u, c.Err())
			case <-tick.C:
			}
		}
	default:
		// The scenario asked for time to pass (idle timeouts, expiry).
		t := time.NewTimer(st.Duration)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-c.Done():
			return c.Err()
		}
	}
}

func (r *runner) setCookie(c context.Context, i int, st scenarios.Step, sr *stepRun) error {
	cs := st.Cookie
	p := map[string]any{"name": cs.Name, "value": cs.Value, "secure": cs.Secure, "httpOnly": cs.HTTPOnly}
	u := cs.URL
	if u == "" && cs.Domain == "" {
		cur, err := chromedp.Run(c, chromedp.Location())
		if err != nil || !isHTTP(cur) {
			cur = r.sc.Target
		}
		u = cur
	}
	if u != "" {
		full, err := r.sc.URL(u)
		if err != nil {
			return err
		}
		p["url"] = full
	}
	if cs.Domain != "" {
		p["domain"] = cs.Domain
	}
	if cs.Path != "" {
		p["path"] = cs.Path
	}
	if cs.SameSite != "" {
		p["sameSite"] = cs.SameSite
	}
	if cs.MaxAge > 0 {
		p["expires"] = float64(time.Now().Add(cs.MaxAge).Unix())
	}
	if cs.Secret {
		r.red.AddSecret(cs.Value)
	}
	var res struct {
		Success *bool `json:"success"`
	}
	var raw json.RawMessage
	if err := chromedp.FromContext(c).Target.Call(c, "Network.setCookie", p, &raw); err != nil {
		return err
	}
	_ = json.Unmarshal(raw, &res)
	if res.Success != nil && !*res.Success {
		return fmt.Errorf("the browser refused cookie %s", cs.Name)
	}
	v := r.red.Value(cs.Value)
	// Spell the identity as the jar does: Network.setCookie keeps the
	// domain as given (with a leading dot it is a domain cookie).
	domain, path := strings.ToLower(cs.Domain), cs.Path
	if domain == "" {
		if pu, err := url.Parse(fmt.Sprint(p["url"])); err == nil {
			domain = pu.Hostname()
		}
	}
	if path == "" {
		path = "/"
	}
	sr.harness = append(sr.harness, recording.CookieEvent{Time: time.Now(), Step: i, Kind: recording.EventSet,
		Source: recording.SourceHarness, Name: cs.Name, Domain: domain, Path: path, Value: &v, Detail: "setCookie step"})
	return nil
}

func (r *runner) clearCookies(c context.Context, name string) error {
	br := chromedp.FromContext(c).Browser
	if name == "" {
		return br.Call(c, "Storage.clearCookies", map[string]any{"browserContextId": r.bctxID}, nil)
	}
	jar, _, err := r.readJar(c)
	if err != nil {
		return err
	}
	t := chromedp.FromContext(c).Target
	for _, ck := range jar {
		if ck.Name != name {
			continue
		}
		p := map[string]any{"name": ck.Name, "domain": ck.Domain, "path": ck.Path}
		if err := t.Call(c, "Network.deleteCookies", p, nil); err != nil {
			return err
		}
	}
	return nil
}

// restart closes the scenario's browser state and opens a new one that
// keeps only the persistent, unexpired cookies, as a browser restart does
// (session cookies go; so do the open page and its memory).
func (r *runner) restart(ctx context.Context) error {
	jar, raws, err := r.readJar(ctx)
	if err != nil {
		return fmt.Errorf("reading the jar before the restart: %w", err)
	}
	now := float64(time.Now().Unix())
	var keep []json.RawMessage
	for i, c := range jar {
		if c.Session || c.Expires <= now {
			continue
		}
		keep = append(keep, cookieParam(raws[i], c))
	}
	r.closeTab()
	return r.openTab(ctx, keep)
}

// cookieParam turns a jar cookie back into a Storage.setCookies parameter.
// A host-only cookie is set through a URL: a domain would widen it.
func cookieParam(raw json.RawMessage, c cdpCookie) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		m = map[string]any{"name": c.Name, "value": c.Value, "path": c.Path}
	}
	for _, k := range []string{"size", "session", "sameParty"} {
		delete(m, k)
	}
	if !strings.HasPrefix(c.Domain, ".") {
		scheme := "https"
		if c.SourceScheme == "NonSecure" && !c.Secure {
			scheme = "http"
		}
		delete(m, "domain")
		m["url"] = scheme + "://" + c.Domain + c.Path
	}
	out, _ := json.Marshal(m)
	return out
}

// expectError is a failed expectation: the scenario failed, the run did
// not break.
type expectError struct{ msg string }

func (e *expectError) Error() string { return "expectation failed: " + e.msg }

func expectFailed(format string, args ...any) error {
	return &expectError{fmt.Sprintf(format, args...)}
}
