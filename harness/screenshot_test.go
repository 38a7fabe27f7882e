package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScreenshotName(t *testing.T) {
	if got := screenshotName("shots/a.png", "Log in", 3); got != "shots/a.png" {
		t.Errorf("the step's path: %s", got)
	}
	if got := screenshotName("", "Log in", 3); got != "screenshots/log-in-step-03.png" {
		t.Errorf("no path: %s", got)
	}
}

// A screenshot is written inside the run folder, never outside it.
func TestWriteScreenshotStaysInRunFolder(t *testing.T) {
	dir := t.TempDir()
	rel, err := writeScreenshot(dir, "shots/a.png", []byte("png"))
	if err != nil || rel != "shots/a.png" {
		t.Fatalf("%q, %v", rel, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "shots", "a.png")); err != nil || string(b) != "png" {
		t.Errorf("written: %q, %v", b, err)
	}
	for _, name := range []string{"../a.png", "shots/../../a.png", "/tmp/a.png"} {
		if _, err := writeScreenshot(dir, name, nil); err == nil || !strings.Contains(err.Error(), "leaves the run folder") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
