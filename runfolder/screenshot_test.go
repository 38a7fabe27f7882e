//go:build !js

package runfolder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScreenshotName(t *testing.T) {
	if got := ScreenshotName("Log in", 3); got != "screenshots/log-in-step-03.png" {
		t.Errorf("ScreenshotName = %s", got)
	}
}

// A screenshot is written inside the run folder, never outside it.
func TestWriteScreenshotStaysInRunFolder(t *testing.T) {
	dir := t.TempDir()
	rel, err := Dir(dir).WriteScreenshot("shots/a.png", []byte("png"))
	if err != nil || rel != "shots/a.png" {
		t.Fatalf("%q, %v", rel, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "shots", "a.png")); err != nil || string(b) != "png" {
		t.Errorf("written: %q, %v", b, err)
	}
	for _, name := range []string{"../a.png", "shots/../../a.png", "/tmp/a.png"} {
		if _, err := Dir(dir).WriteScreenshot(name, nil); err == nil || !strings.Contains(err.Error(), "leaves the run folder") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
