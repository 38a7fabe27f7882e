package harness

import (
	"context"

	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// doScreenshot takes the element, when the step names one, else the whole
// page, and writes it into the run folder.
func (r *runner) doScreenshot(c context.Context, s *stepCall) error {
	var data []byte
	var err error
	if s.st.Selector != "" {
		data, err = chromedp.Run(c, chromedp.Screenshot(chromedp.CSS(s.st.Selector)))
	} else {
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
