//go:build !js

package runfolder

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// RecordingNames names the recordings of a suite in the run folder, given
// each scenario's file and name (files[i] and names[i]):
// recordings/<base>.json, <base> being the file's base name without its
// extension (the scenario's name when it has no file) in lower case,
// every run of characters other than a-z and 0-9 replaced by -, and -2,
// -3, ... added to a name already taken. The names are stable, readable
// and unique.
func RecordingNames(files, names []string) []string {
	out := make([]string, len(files))
	taken := map[string]bool{}
	for i, file := range files {
		base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		if base == "" || base == "." {
			base = names[i]
		}
		out[i] = filepath.Join(RecordingsDir, uniqueName(taken, slug(base)+".json"))
	}
	return out
}

// AttemptName names the recording of an earlier attempt (--retries) of
// the scenario whose recording is name: recordings/<base>.attempt-N.json.
func AttemptName(name string, attempt int) string {
	return strings.TrimSuffix(name, ".json") + fmt.Sprintf(".attempt-%d.json", attempt)
}

// ScreenshotName names the image of a screenshot step that names none:
// screenshots/<scenario>-step-NN.png.
func ScreenshotName(scenario string, step int) string {
	return fmt.Sprintf("%s/%s-step-%02d.png", ScreenshotsDir, slug(scenario), step)
}

// FailureNames are the names of the screenshot and the HTML snapshot of
// a scenario's failing step.
func FailureNames(scenario string, step int) (screenshot, snapshot string) {
	base := fmt.Sprintf("%s/%s-step-%02d", FailuresDir, slug(scenario), step)
	return base + ".png", base + ".html"
}

// uniqueName returns name, or name-2, name-3, ... (before the extension)
// when it is taken, and takes it.
func uniqueName(used map[string]bool, name string) string {
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; ; i++ {
		n := name
		if i > 1 {
			n = fmt.Sprintf("%s-%d%s", base, i, ext)
		}
		if !used[n] {
			used[n] = true
			return n
		}
	}
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a file-name-safe form of a name.
func slug(name string) string {
	s := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if s == "" {
		return "scenario"
	}
	return s
}

// CompareScenarios orders scenarios by file (compared with /), then by
// name: the order of the shares of a suite (--shard) and of the index of
// their merge, so that merged shards list their scenarios as the
// unsharded run, sorted the same way, would.
func CompareScenarios(fileA, nameA, fileB, nameB string) int {
	if c := strings.Compare(filepath.ToSlash(filepath.Clean(fileA)), filepath.ToSlash(filepath.Clean(fileB))); c != 0 {
		return c
	}
	return strings.Compare(nameA, nameB)
}
