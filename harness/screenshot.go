package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"
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
	s.sr.rec.Screenshot, err = writeScreenshot(r.opts.Dir, screenshotName(s.st.Path, r.sc.Name, s.i), data)
	return err
}

// screenshotName is the step's path, else a name made of the scenario's
// and the step's index.
func screenshotName(path, scenario string, i int) string {
	if path != "" {
		return path
	}
	return fmt.Sprintf("screenshots/%s-step-%02d.png", slug(scenario), i)
}

// writeScreenshot writes a screenshot at name, a path relative to the run
// folder (the scenario parser keeps it inside).
func writeScreenshot(dir, name string, data []byte) (string, error) {
	rel := filepath.Clean(filepath.FromSlash(name))
	if filepath.IsAbs(rel) || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("screenshot path %q leaves the run folder", name)
	}
	full := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), os.WriteFile(full, data, 0o644)
}
