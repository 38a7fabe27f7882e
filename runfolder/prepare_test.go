//go:build !js

package runfolder

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

// An earlier run folder is replaced whole: its recordings, screenshots,
// reports and inspector go, and what the user added stays.
func TestPrepareReplacesAnEarlierRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	a, b := labRecording(t, "correct", "a"), labRecording(t, "fixation", "b")
	a.Steps[0].Screenshot = "screenshots/a.png"
	b.Steps[0].Screenshot = "shots/deep/b.png"
	a.Steps[1].Screenshot, a.Steps[1].Snapshot = "failures/a-step-01.png", "failures/a-step-01.html"
	_, paths := writeRun(t, dir, a, b)
	touch(t, filepath.Join(dir, "failures", "a-step-01.png"))
	touch(t, filepath.Join(dir, "failures", "a-step-01.html"))
	touch(t, filepath.Join(dir, "screenshots", "a.png"))
	touch(t, filepath.Join(dir, "shots", "deep", "b.png"))
	touch(t, filepath.Join(dir, "shots", "mine.png")) // not named by a recording
	if err := Dir(dir).WriteInspector(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{FindingsFile, SummaryFile, JUnitFile, "notes.txt"} {
		touch(t, filepath.Join(dir, f))
	}
	kept, err := Prepare(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"notes.txt", "shots/"}; !slices.Equal(kept, want) {
		t.Errorf("kept %q, want %q", kept, want)
	}
	for _, gone := range append(paths, IndexFile, FindingsFile, SummaryFile, JUnitFile, "index.html", "inspector.wasm",
		"screenshots", "shots/deep", "failures") {
		if exists(filepath.Join(dir, gone)) {
			t.Errorf("%s survived", gone)
		}
	}
	for _, stays := range []string{"notes.txt", "shots/mine.png", RecordingsDir} {
		if !exists(filepath.Join(dir, stays)) {
			t.Errorf("%s is gone", stays)
		}
	}
}

// A folder that holds other files and is not a run folder is refused,
// unless forced; then its files stay. A run killed before its index
// (recordings/ only) is a run folder.
func TestPrepareRefusesOtherFolders(t *testing.T) {
	dir := t.TempDir()
	touch(t, filepath.Join(dir, "thesis.tex"))
	touch(t, filepath.Join(dir, "data", "x.csv"))
	_, err := Prepare(dir, false)
	var nr *NotRunFolderError
	if !errors.As(err, &nr) || !strings.Contains(err.Error(), "it holds data/, thesis.tex") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("err = %v", err)
	}
	if exists(filepath.Join(dir, RecordingsDir)) {
		t.Fatal("a refused folder was written to")
	}
	kept, err := Prepare(dir, true)
	if err != nil || !slices.Equal(kept, []string{"data/", "thesis.tex"}) || !exists(filepath.Join(dir, "thesis.tex")) {
		t.Fatalf("forced: kept %q, err %v", kept, err)
	}

	killed := t.TempDir()
	touch(t, filepath.Join(killed, RecordingsDir, "old.json"))
	if kept, err := Prepare(killed, false); err != nil || len(kept) != 0 || exists(filepath.Join(killed, RecordingsDir, "old.json")) {
		t.Fatalf("killed run: kept %q, err %v", kept, err)
	}

	file := filepath.Join(t.TempDir(), "f")
	touch(t, file)
	if _, err := Prepare(file, true); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Fatalf("a file: %v", err)
	}
	fresh := filepath.Join(t.TempDir(), "new", "run")
	if kept, err := Prepare(fresh, false); err != nil || len(kept) != 0 || !exists(filepath.Join(fresh, RecordingsDir)) {
		t.Fatalf("new folder: kept %q, err %v", kept, err)
	}
}
