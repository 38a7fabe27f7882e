//go:build !js

package runfolder

import (
	"bytes"
	"fmt"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/web"
)

// labRecording is a real recording of the lab suite (a fixture of the
// analysis package), renamed.
func labRecording(t *testing.T, name, scenario string) *recording.Recording {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "analysis", "testdata", "lab", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := recording.Decode(name, data)
	if err != nil {
		t.Fatal(err)
	}
	r.Scenario.Name = scenario
	return r
}

// writeRun writes a run folder as the suite runner does.
func writeRun(t *testing.T, dir string, recs ...*recording.Recording) (*recording.Index, []string) {
	t.Helper()
	d := Dir(dir)
	if err := d.Create(); err != nil {
		t.Fatal(err)
	}
	files, names := make([]string, len(recs)), make([]string, len(recs))
	for i, r := range recs {
		files[i], names[i] = r.Scenario.File, r.Scenario.Name
	}
	paths := RecordingNames(files, names)
	ix := &recording.Index{Tool: "test", Start: recs[0].Start, End: recs[0].End, Status: recording.StatusPassed}
	for i, r := range recs {
		if err := d.WriteRecording(paths[i], r); err != nil {
			t.Fatal(err)
		}
		ix.Scenarios = append(ix.Scenarios, recording.IndexEntry{Name: r.Scenario.Name, File: r.Scenario.File,
			Recording: filepath.ToSlash(paths[i]), Status: r.Status, Start: r.Start, End: r.End})
		ix.Totals.Add(r.Status)
	}
	if err := d.WriteIndex(ix); err != nil {
		t.Fatal(err)
	}
	return ix, paths
}

// What the runner writes, Load reads back, file by file; every file is
// what Sniff says it is, readable by all, and no temporary file is left.
func TestRunFolderRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	a, b := labRecording(t, "correct", "Correct"), labRecording(t, "fixation", "Fixation")
	a.Scenario.File, b.Scenario.File = "suite/Login Flow.yaml", ""
	ix, paths := writeRun(t, dir, a, b)
	if want := []string{filepath.Join("recordings", "login-flow.json"), filepath.Join("recordings", "fixation.json")}; fmt.Sprint(paths) != fmt.Sprint(want) {
		t.Fatalf("names %v, want %v", paths, want)
	}
	d := Dir(dir)
	rep := analysis.AnalyzeAll([]*recording.Recording{a, b})
	if err := d.WriteFindings(rep); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteSummary(NewSummary(ix, rep, []*recording.Recording{a, b}, 1, "2/3")); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteInspector(); err != nil {
		t.Fatal(err)
	}
	shot, err := d.WriteScreenshot(ScreenshotName("Correct", 3), []byte("png"))
	if err != nil || shot != "screenshots/correct-step-03.png" {
		t.Fatalf("screenshot %q %v", shot, err)
	}
	if _, err := d.WriteScreenshot("../out.png", nil); err == nil {
		t.Fatal("a screenshot outside the run folder was written")
	}

	for _, arg := range []string{dir, d.Path(IndexFile)} {
		ls, warnings, err := Load([]string{arg}, DefaultMaxSize)
		if err != nil || len(warnings) > 0 || len(ls) != 2 {
			t.Fatalf("Load(%s): %d %v %v", arg, len(ls), warnings, err)
		}
		for i, want := range []*recording.Recording{a, b} {
			wb, _ := recording.Encode(want)
			gb, _ := recording.Encode(ls[i].Recording)
			if !bytes.Equal(wb, gb) || ls[i].Path != d.Path(paths[i]) {
				t.Fatalf("recording %d (%s) changed on the way", i, ls[i].Path)
			}
		}
	}
	kinds := map[string]Kind{IndexFile: KindIndex, paths[0]: KindRecording, paths[1]: KindRecording,
		FindingsFile: KindOther, SummaryFile: KindOther, "index.html": KindOther}
	for name, want := range kinds {
		data, err := os.ReadFile(d.Path(name))
		if err != nil {
			t.Fatal(err)
		}
		if got := Sniff(name, data); got != want {
			t.Errorf("%s is %v, want %v", name, got, want)
		}
	}
	sum, _ := os.ReadFile(d.Path(SummaryFile))
	var buf bytes.Buffer
	EncodeJSON(&buf, NewSummary(ix, rep, []*recording.Recording{a, b}, 1, "2/3"))
	if !bytes.Equal(sum, buf.Bytes()) || !strings.Contains(buf.String(), `"shard": "2/3"`) || Dir(dir).shardOf() != "2/3" {
		t.Errorf("summary.json:\n%s", sum)
	}
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left: %s", p)
		}
		if info, _ := e.Info(); !e.IsDir() && info.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v", p, info.Mode())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range web.Files {
		want, _ := fs.ReadFile(web.FS(), name)
		if got, err := os.ReadFile(d.Path(name)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("inspector file %s: %v", name, err)
		}
	}
}

func TestLoadRunAndSingleRecording(t *testing.T) {
	root := t.TempDir()
	one, two := filepath.Join(root, "one"), filepath.Join(root, "two")
	_, paths := writeRun(t, one, labRecording(t, "correct", "Correct"))
	writeRun(t, two, labRecording(t, "correct", "A"), labRecording(t, "mixed", "B"))
	for _, arg := range []string{one, filepath.Join(one, IndexFile), filepath.Join(one, paths[0])} {
		if p, err := SingleRecording(arg); err != nil || p != filepath.Join(one, paths[0]) {
			t.Errorf("SingleRecording(%s) = %s, %v", arg, p, err)
		}
	}
	if _, err := SingleRecording(two); err == nil || !strings.Contains(err.Error(), "lists 2 scenarios: export one recording at a time") {
		t.Errorf("SingleRecording of two: %v", err)
	}
	if ls, _, err := LoadRun(two, DefaultMaxSize); err != nil || len(ls) != 2 {
		t.Errorf("LoadRun: %d %v", len(ls), err)
	}
	if _, _, err := LoadRun(root, DefaultMaxSize); err == nil || !strings.Contains(err.Error(), "is not a run folder: it has no index.json") {
		t.Errorf("LoadRun of a folder without index.json: %v", err)
	}
	if _, err := SingleRecording(root); err == nil || !strings.Contains(err.Error(), "is not a run folder: it has no index.json") {
		t.Errorf("SingleRecording of a folder without index.json: %v", err)
	}
	if _, _, err := Load([]string{two}, 1000); err == nil || !strings.Contains(err.Error(), "over the size limit") {
		t.Errorf("Load over the size limit: %v", err)
	}
	if _, _, err := Load([]string{filepath.Join(root, "nothing")}, DefaultMaxSize); err == nil || !strings.HasSuffix(err.Error(), "nothing: no such file or directory") {
		t.Errorf("Load of nothing: %v", err)
	}
}

// A HAR listed by an index, or given with the recordings, is read as a
// HAR (with its warning when it holds no cookie).
func TestLoadHARs(t *testing.T) {
	dir := t.TempDir()
	small, _ := os.ReadFile("testdata/small-export.har.json")
	sanitized, _ := os.ReadFile("../recording/har/testdata/har/chrome-fixation-sanitized.har")
	os.WriteFile(filepath.Join(dir, "small.json"), small, 0o644)
	os.WriteFile(filepath.Join(dir, "sanitized.har"), sanitized, 0o644)
	ls, warnings, err := Load([]string{filepath.Join(dir, "small.json"), filepath.Join(dir, "sanitized.har")}, DefaultMaxSize)
	if err != nil || len(ls) != 2 || len(warnings) != 1 || !strings.HasPrefix(warnings[0], filepath.Join(dir, "sanitized.har")+": warning: This HAR has no cookie data") {
		t.Fatalf("%d %q %v", len(ls), warnings, err)
	}
	if ls[0].Recording.Scenario.Name != "Lab: correct session handling" {
		t.Errorf("small.json: %q", ls[0].Recording.Scenario.Name)
	}
}

// Merge lists the shards' scenarios as the unsharded run would, copies
// their recordings (renaming the ones of the same name) and keeps each
// entry's shard.
func TestMerge(t *testing.T) {
	root := t.TempDir()
	s1, s2, out := filepath.Join(root, "s1"), filepath.Join(root, "s2"), filepath.Join(root, "merged")
	b, a := labRecording(t, "mixed", "B"), labRecording(t, "correct", "A")
	b.Scenario.File, a.Scenario.File = "x/b.yaml", "x/a.yaml"
	writeRun(t, s1, b)
	writeRun(t, s2, a, labRecording(t, "cluster", "C"))
	os.WriteFile(filepath.Join(s2, SummaryFile), []byte(`{"schema": "sessiontrace.summary/v1", "shard": "2/2"}`), 0o644)
	ix, recs, err := Merge(out, []string{s1, s2}, "sessiontrace test")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, e := range ix.Scenarios {
		got = append(got, fmt.Sprintf("%s %s %s %s", e.Name, e.Recording, e.Shard, recs[i].Recording.Scenario.Name))
	}
	want := []string{"C recordings/cluster.json 2/2 C", "A recordings/a.json 2/2 A", "B recordings/b.json  B"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("merged:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ls, _, err := Load([]string{out}, DefaultMaxSize); err != nil || len(ls) != 3 || ix.Tool != "sessiontrace test" || ix.Totals.Passed != 3 {
		t.Fatalf("the merged folder: %d %v %+v", len(ls), err, ix)
	}
	if _, _, err := Merge(filepath.Join(root, "m2"), []string{root}, ""); err == nil || !strings.Contains(err.Error(), "is not a run folder") {
		t.Errorf("merging a folder without index.json: %v", err)
	}
}

func TestNames(t *testing.T) {
	got := RecordingNames([]string{"a/Login Flow.yaml", "b/login_flow.yml", "", "x/..yaml", "c/login-flow.yaml", ""}, []string{"1", "2", "Ünïcode ✓", "named", "5", "!!!"})
	want := []string{"login-flow.json", "login-flow-2.json", "n-code.json", "named.json", "login-flow-3.json", "scenario.json"}
	for i := range want {
		want[i] = filepath.Join(RecordingsDir, want[i])
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("RecordingNames = %q, want %q", got, want)
	}
	if got := AttemptName(filepath.Join("recordings", "a.json"), 2); got != filepath.Join("recordings", "a.attempt-2.json") {
		t.Errorf("AttemptName = %s", got)
	}
	if got := CompareScenarios("a/b.yaml", "z", "a/./b.yaml", "y"); got <= 0 {
		t.Errorf("CompareScenarios compares by file, then name: %d", got)
	}
}

// The inspector links the package: for GOOS=js it reads files it is
// given, with no file system, no encoding/json and not the inspector's
// own files (package web). It names analysis's types (the overview's
// findings), which the page links anyway.
func TestImportsForThePage(t *testing.T) {
	ctx := build.Default
	ctx.GOOS, ctx.GOARCH = "js", "wasm"
	pkg, err := ctx.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkg.Imports {
		switch p {
		case "bytes", "slices", "strconv", "strings", "unicode/utf8",
			"github.com/sessiontrace/sessiontrace/recording", "github.com/sessiontrace/sessiontrace/recording/har",
			"github.com/sessiontrace/sessiontrace/internal/recjson", "github.com/sessiontrace/sessiontrace/analysis":
		default:
			t.Errorf("for GOOS=js the package imports %s", p)
		}
	}
}
