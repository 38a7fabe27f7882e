package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

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
// to a browser that other scenarios keep busy), then the text is inserted.
func (r *runner) doFill(c context.Context, s *stepCall) error {
	if _, err := whenVisible(c, s.st.Selector, `(el.value = "", el.focus(), "ok")`); err != nil {
		return err
	}
	return chromedp.Do(c, chromedp.Func(func(c context.Context, t *chromedp.Target) error {
		return t.Call(c, "Input.insertText", map[string]any{"text": s.st.Value}, nil)
	}))
}

// whenVisible waits (polling in the page) until the first element
// matching sel is visible as chromedp's WaitVisible has it (a layout box:
// offsetWidth, offsetHeight or client rects), then returns the value of
// the JavaScript expression expr (a string other than "timeout") with the
// element as el. The page stops polling at c's deadline too, so that a
// step that timed out leaves no loop behind; a timeout is
// context.DeadlineExceeded.
func whenVisible(c context.Context, sel, expr string) (string, error) {
	var until int64 // ms since the epoch; 0: never
	if d, ok := c.Deadline(); ok {
		until = d.UnixMilli()
	}
	js := whenVisibleJS(sel, until, expr)
	v, err := chromedp.Run(c, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err == nil && v == "timeout" {
		err = fmt.Errorf("waiting for %s to be visible: %w", sel, context.DeadlineExceeded)
	}
	return v, err
}

// whenVisibleJS is whenVisible's script.
func whenVisibleJS(sel string, until int64, expr string) string {
	u := strconv.FormatInt(until, 10)
	return `(async () => { for (;;) { const el = ` + jsQuery(sel) + `;
  if (el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length)) return ` + expr + `;
  if (` + u + ` && Date.now() > ` + u + `) return "timeout";
  await new Promise(r => setTimeout(r, 10)); } })()`
}

func (r *runner) doSelect(c context.Context, s *stepCall) error {
	if err := chromedp.Do(c, chromedp.WaitReady(chromedp.CSS(s.st.Selector))); err != nil {
		return err
	}
	ok, err := chromedp.Run(c, chromedp.Evaluate[bool](selectJS(s.st.Selector, s.st.Value)))
	if err == nil && !ok {
		err = fmt.Errorf("%s has no option %q", s.st.Selector, s.st.Value)
	}
	return err
}

// doCheck clicks the box only when it is not in the wanted state already.
func (r *runner) doCheck(c context.Context, s *stepCall) error {
	css := chromedp.CSS(s.st.Selector)
	if err := chromedp.Do(c, chromedp.WaitVisible(css)); err != nil {
		return err
	}
	checked, err := chromedp.Run(c, chromedp.Evaluate[bool](jsQuery(s.st.Selector)+".checked"))
	if err != nil || checked == s.st.Checked {
		return err
	}
	return chromedp.Do(c, chromedp.Click(css))
}

func (r *runner) doPress(c context.Context, s *stepCall) error {
	if s.st.Selector != "" {
		if err := chromedp.Do(c, chromedp.Focus(chromedp.CSS(s.st.Selector))); err != nil {
			return err
		}
	}
	return chromedp.Do(c, chromedp.KeyEvent(keyName(s.st.Key)))
}

// doEval runs the scenario's script and waits for the promise it returns,
// if any; the result is not kept.
func (r *runner) doEval(c context.Context, s *stepCall) error {
	_, err := chromedp.Run(c, chromedp.Evaluate[json.RawMessage](s.st.Script, awaitPromise))
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
