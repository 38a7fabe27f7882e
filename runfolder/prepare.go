//go:build !js

package runfolder

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/web"
)

// A NotRunFolderError is a folder that holds files and is not a run
// folder: Prepare refuses to write a run into it unless forced.
type NotRunFolderError struct {
	Dir     string
	Entries []string // what it holds (the first few, sorted)
	More    int      // how many more
}

func (e *NotRunFolderError) Error() string {
	list := strings.Join(e.Entries, ", ")
	if e.More > 0 {
		list += fmt.Sprintf(" and %d more", e.More)
	}
	return fmt.Sprintf("%s is not empty and is not a run folder (no %s, no %s/; it holds %s): give a new or empty folder, or --force to write the run into it (its files are kept)",
		e.Dir, IndexFile, RecordingsDir, list)
}

// ownFile reports whether name, an entry of a run folder's top level, is
// one the run folder's layout names (a file a run or merge writes).
func ownFile(name string) bool {
	switch name {
	case IndexFile, FindingsFile, SummaryFile, JUnitFile:
		return true
	}
	return slices.Contains(web.Files, name) || strings.HasPrefix(name, ".tmp-")
}

// isRunFolder reports whether the folder dir is a run folder: its
// index.json is a run index, or it has a recordings folder (a run that
// was killed before it wrote its index).
func isRunFolder(dir string) bool {
	if data, err := os.ReadFile(filepath.Join(dir, IndexFile)); err == nil && Sniff(IndexFile, data) == KindIndex {
		return true
	}
	st, err := os.Stat(filepath.Join(dir, RecordingsDir))
	return err == nil && st.IsDir()
}

// CheckOut says whether a run may be written into the folder out: it may
// when out does not exist, is empty or is a run folder, or when force is
// set; otherwise the error is a *NotRunFolderError.
func CheckOut(out string, force bool) error {
	st, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is a file, not a folder: give a folder for the run", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(entries) == 0 || force || isRunFolder(out) {
		return nil
	}
	e := &NotRunFolderError{Dir: out}
	for _, d := range entries {
		name := d.Name()
		if d.IsDir() {
			name += "/"
		}
		if len(e.Entries) < 5 {
			e.Entries = append(e.Entries, name)
		} else {
			e.More++
		}
	}
	return e
}

// Prepare makes the folder out ready for a new run (or merge), after
// CheckOut: it creates it, or removes what an earlier run wrote there, so
// that no recording, screenshot or report of the earlier run survives
// next to the new index: the files the layout names (index.json, the
// reports, the inspector's files), the recordings (recordings/*.json) and
// the screenshots and failure snapshots the earlier recordings name. Nothing else is removed:
// it returns the other entries of out, left as they were (sorted; a
// folder ends in /).
func Prepare(out string, force bool) (kept []string, err error) {
	if err := CheckOut(out, force); err != nil {
		return nil, err
	}
	d := Dir(out)
	if err := d.clearEarlierRun(); err != nil {
		return nil, fmt.Errorf("removing the earlier run from %s: %w", out, err)
	}
	if err := d.Create(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Name() == RecordingsDir {
			continue
		}
		name := e.Name()
		if e.IsDir() {
			name += "/"
		}
		kept = append(kept, name)
	}
	return kept, nil
}

// clearEarlierRun removes the files of an earlier run from the folder, if
// it exists.
func (d Dir) clearEarlierRun() error {
	entries, err := os.ReadDir(string(d))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var remove []string
	recs, _ := os.ReadDir(d.Path(RecordingsDir))
	for _, r := range recs {
		name := r.Name()
		if r.IsDir() || !strings.HasSuffix(name, ".json") && !strings.HasPrefix(name, ".tmp-") {
			continue
		}
		rel := RecordingsDir + "/" + name
		remove = append(remove, rel)
		remove = append(remove, d.screenshotsOf(rel)...)
	}
	for _, e := range entries {
		if !e.IsDir() && ownFile(e.Name()) {
			remove = append(remove, e.Name())
		}
	}
	for _, rel := range remove {
		if err := os.Remove(d.Path(rel)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	// Folders the removals emptied (recordings/, screenshots/...) go too;
	// a folder that still holds something stays.
	for _, rel := range remove {
		for dir := filepath.Dir(filepath.FromSlash(rel)); dir != "." && dir != string(filepath.Separator); dir = filepath.Dir(dir) {
			if os.Remove(d.Path(dir)) != nil {
				break
			}
		}
	}
	return nil
}

// screenshotsOf returns the screenshots (and failure snapshots) the
// recording rel names that are inside the run folder.
func (d Dir) screenshotsOf(rel string) []string {
	data, err := os.ReadFile(d.Path(rel))
	if err != nil {
		return nil
	}
	r, err := recording.Decode(rel, data)
	if err != nil || r == nil {
		return nil
	}
	var out []string
	for _, st := range r.Steps {
		// A failing step's page is a screenshot and an HTML snapshot.
		for _, name := range []string{st.Screenshot, st.Snapshot} {
			p := filepath.Clean(filepath.FromSlash(name))
			if name == "" || filepath.IsAbs(p) || p == "." || strings.HasPrefix(p, "..") {
				continue
			}
			out = append(out, filepath.ToSlash(p))
		}
	}
	return out
}
