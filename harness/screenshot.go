package harness

import (
	"context"
	"math"

	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// doScreenshot takes the element, when the step names one, else the whole
// page (in a frame: the frame's box in the page), and writes it into the
// run folder.
func (r *runner) doScreenshot(c context.Context, s *stepCall) error {
	var data []byte
	var err error
	switch {
	case s.doc != nil:
		data, err = frameScreenshot(c, s.doc, s.st.Selector)
	case s.st.Selector != "":
		data, err = chromedp.Run(c, chromedp.Screenshot(chromedp.CSS(s.st.Selector)))
	default:
		data, err = chromedp.Run(c, chromedp.FullScreenshot(100)) // 100: PNG
	}
	if err != nil {
		return err
	}
	name := s.st.Path
	if name == "" {
		name = runfolder.ScreenshotName(r.sc.Name, s.i)
	}
	s.sr.rec.Screenshot, err = runfolder.Dir(r.opts.Dir).WriteScreenshot(name, data)
	return err
}

// frameScreenshot takes the element sel of a frame's document, or the
// frame, from the target's page: a frame of the page's process is drawn
// with the page.
func frameScreenshot(c context.Context, d *doc, sel string) ([]byte, error) {
	if sel != "" {
		if _, err := whenVisible(c, d, sel, `"ok"`); err != nil {
			return nil, err
		}
	}
	clip, err := screenshotClip(c, d, sel)
	if err != nil {
		return nil, err
	}
	// Whole pixels, as chromedp's Screenshot does (a fractional clip is
	// drawn wrong).
	x, y := math.Round(clip.X), math.Round(clip.Y)
	clip.Width, clip.Height = math.Round(clip.Width+clip.X-x), math.Round(clip.Height+clip.Y-y)
	clip.X, clip.Y = x, y
	return chromedp.Run(c, func(c context.Context, t *chromedp.Target) ([]byte, error) {
		var res struct {
			Data []byte `json:"data"`
		}
		err := t.Call(c, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true, "fromSurface": true, "clip": clip}, &res)
		return res.Data, err
	})
}
