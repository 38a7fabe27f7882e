package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Steps that act on the page and wait for no load: fill, select, check,
// press and eval. A navigation they start is the scenario's to wait for
// (a wait step), as docs/scenarios.md says.

// doFill fills like a paste: clear, focus, then insert the whole text at
// once (input events fire as for typing; one round trip, not one per key).
// The field is waited for, cleared and focused by one script in the page
// (chromedp's WaitVisible, an evaluate and Focus took some ten round trips
// to a browser that other scenarios keep busy), then the text is inserted:
// the target puts it in its focused frame's focused element.
func (r *runner) doFill(c context.Context, s *stepCall) error {
	if _, err := whenVisible(c, s.doc, s.st.Selector, `(el.value = "", el.focus(), "ok")`); err != nil {
		return err
	}
	return chromedp.Do(c, chromedp.Func(func(c context.Context, t *chromedp.Target) error {
		return t.Call(c, "Input.insertText", map[string]any{"text": s.st.Value}, nil)
	}))
}

// visibleCond is whether el is visible as chromedp's WaitVisible has it
// (a layout box: offsetWidth, offsetHeight or client rects).
const visibleCond = `(el.offsetWidth || el.offsetHeight || el.getClientRects().length)`

// whenVisible waits (polling in the document d) until the first element
// matching sel is visible (visibleCond), then returns the value of the
// JavaScript expression expr (a string other than "timeout") with the
// element as el. The page stops polling at c's deadline too, so that a
// step that timed out leaves no loop behind; a timeout is
// context.DeadlineExceeded.
func whenVisible(c context.Context, d *doc, sel, expr string) (string, error) {
	return whenMatch(c, d, sel, visibleCond, expr, "visible")
}

// whenPresent is whenVisible for an element that may be hidden.
func whenPresent(c context.Context, d *doc, sel, expr string) (string, error) {
	return whenMatch(c, d, sel, "true", expr, "present")
}

func whenMatch(c context.Context, d *doc, sel, cond, expr, what string) (string, error) {
	var until int64 // ms since the epoch; 0: never
	if dl, ok := c.Deadline(); ok {
		until = dl.UnixMilli()
	}
	js := waitJS(sel, until, cond, expr)
	for {
		v, err := evalIn[string](c, d, js, chromedp.EvalAwaitPromise)
		if errors.Is(err, errDocChanged) && sleep(c, 10*time.Millisecond) == nil {
			continue // the frame navigated: wait in its next document
		}
		if err == nil && v == "timeout" {
			err = fmt.Errorf("waiting for %s to be %s: %w", sel, what, context.DeadlineExceeded)
		}
		return v, err
	}
}

// whenVisibleJS is whenVisible's script.
func whenVisibleJS(sel string, until int64, expr string) string {
	return waitJS(sel, until, visibleCond, expr)
}

// waitJS polls every 10 ms until the first element matching sel meets
// cond, then answers expr; "timeout" after until (ms since the epoch;
// 0: never).
func waitJS(sel string, until int64, cond, expr string) string {
	u := strconv.FormatInt(until, 10)
	return `(async () => { for (;;) { const el = ` + jsQuery(sel) + `;
  if (el && ` + cond + `) return ` + expr + `;
  if (` + u + ` && Date.now() > ` + u + `) return "timeout";
  await new Promise(r => setTimeout(r, 10)); } })()`
}

func (r *runner) doSelect(c context.Context, s *stepCall) error {
	if _, err := whenPresent(c, s.doc, s.st.Selector, `"ok"`); err != nil {
		return err
	}
	ok, err := evalIn[bool](c, s.doc, selectJS(s.st.Selector, s.st.Value))
	if err == nil && !ok {
		err = fmt.Errorf("%s has no option %q", s.st.Selector, s.st.Value)
	}
	return err
}

// doCheck clicks the box only when it is not in the wanted state already.
func (r *runner) doCheck(c context.Context, s *stepCall) error {
	state, err := whenVisible(c, s.doc, s.st.Selector, `(el.checked ? "on" : "off")`)
	if err != nil || (state == "on") == s.st.Checked {
		return err
	}
	return chromedp.Do(c, clickAt(s.doc, s.st.Selector))
}

// doPress types a key into the focused element: the selector's, focused
// first; in a frame without one, the frame (its window is focused).
func (r *runner) doPress(c context.Context, s *stepCall) error {
	switch {
	case s.st.Selector != "":
		if _, err := whenPresent(c, s.doc, s.st.Selector, `(el.focus(), "ok")`); err != nil {
			return err
		}
	case s.doc != nil:
		if _, err := evalIn[chromedp.Void](c, s.doc, "window.focus()"); err != nil {
			return err
		}
	}
	return chromedp.Do(c, chromedp.KeyEvent(keyName(s.st.Key)))
}

// doEval runs the scenario's script and waits for the promise it returns,
// if any; the result is not kept.
func (r *runner) doEval(c context.Context, s *stepCall) error {
	_, err := evalIn[json.RawMessage](c, s.doc, s.st.Script, awaitPromise)
	return err
}

func awaitPromise(p *runtime.EvaluateParams) { t := true; p.AwaitPromise = &t }

// selectJS picks the option whose value or text is value, and fires the
// events a user's choice fires; false when there is no such option.
func selectJS(sel, value string) string {
	return `(() => { const el = ` + jsQuery(sel) + `; const v = ` + jsString(value) + `;
  const o = Array.from(el.options || []).find(o => o.value === v || o.text === v);
  if (!o) return false; el.value = o.value;
  el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true}));
  return true; })()`
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
