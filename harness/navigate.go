package harness

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// Steps that load a document and wait for it: goto, click (when it
// follows a link or submits) and submit.

func (r *runner) doGoto(ctx context.Context, s *stepCall) error {
	u, err := r.sc.URL(s.st.URL)
	if err != nil {
		return err
	}
	// A page that navigates itself (a script redirect, a reload loop)
	// can cancel the goto with its own navigation: the browser then
	// answers net::ERR_ABORTED. The goto is tried again, twice at most,
	// each time with the whole step timeout; an abort that was a download
	// is not (see becameDownload).
	for attempt := 1; ; attempt++ {
		err := r.withTimeout(ctx, s.timeout, func(c context.Context) error { return chromedp.Do(c, chromedp.Navigate(u)) })
		if attempt == 3 || !isAborted(err) || r.col.downloadSince(s.sr.rec.Start, time.Second) {
			return err
		}
		r.rec.Warnings = append(r.rec.Warnings, fmt.Sprintf("step %d: a navigation of the page cancelled the goto (net::ERR_ABORTED); the harness tried again", s.i))
	}
}

// doClick waits for the page's response only when the click is expected
// to load a document: a click that does not would wait for nothing.
func (r *runner) doClick(c context.Context, s *stepCall) error {
	// Waited for and asked whether it loads a document in one script
	// (see whenVisible); the click is a real mouse click (clickAt).
	v, err := whenVisible(c, s.doc, s.st.Selector, navigatesExpr)
	if err != nil {
		return err
	}
	return loads(c, s.doc, v == "nav", clickAt(s.doc, s.st.Selector))
}

// doSubmit submits the form by requestSubmit, which runs its validation
// and submit handlers as a click on its button would.
func (r *runner) doSubmit(c context.Context, s *stepCall) error {
	if _, err := whenPresent(c, s.doc, s.st.Selector, `"ok"`); err != nil {
		return err
	}
	return loads(c, s.doc, true, chromedp.Func(func(c context.Context, t *chromedp.Target) error {
		state, err := evalIn[string](c, s.doc, submitJS(s.st.Selector))
		if err == nil && state != "ok" {
			return fmt.Errorf("%s is not a form and is not inside one", s.st.Selector)
		}
		return err
	}))
}

// navigatesFn is a JS function of an element: whether a click on it is
// expected to load a new document (a link to another document in this
// tab, or a submit button). The recorder asks the same question in the
// page, so that a recorded click waits in the replay exactly when the
// harness will wait.
const navigatesFn = `function (el) { if (!el) return false;
  const a = el.closest("a[href]");
  if (a) { const h = a.getAttribute("href") || "";
    if (a.target && a.target !== "_self") return false;
    if (h.startsWith("#") || h.toLowerCase().startsWith("javascript:") || a.hasAttribute("download")) return false;
    const u = new URL(a.href, location.href);
    return !(u.origin === location.origin && u.pathname === location.pathname && u.search === location.search && u.hash !== "");
  }
  const b = el.closest("button, input[type=submit], input[type=image]");
  return !!(b && b.form && (b.type === "submit" || b.type === "image") && !b.form.target);
}`

// navigatesExpr is "nav" when a click on el is expected to load a new
// document (see navigatesFn), else "ok".
const navigatesExpr = `((` + navigatesFn + `)(el) ? "nav" : "ok")`

func submitJS(sel string) string {
	return `(() => { const el = ` + jsQuery(sel) + `; if (!el) return "missing";
  const f = el.tagName === "FORM" ? el : (el.form || el.closest("form")); if (!f) return "noform";
  if (f.requestSubmit) f.requestSubmit(); else f.submit(); return "ok"; })()`
}
