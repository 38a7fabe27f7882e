//go:build !js

package runs

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// Every copy reads back as the recording it stands for (the text made by
// replacing markers is what encoding it gives), and the index, findings
// and summary describe them.
func TestRunFolder(t *testing.T) {
	src, err := Sources("../../../analysis/testdata/lab")
	if err != nil || len(src) == 0 {
		t.Fatalf("lab recordings: %v", err)
	}
	dir := t.TempDir()
	n := 2*len(src) + 3
	ix, err := RunFolder(dir, src, n)
	if err != nil {
		t.Fatal(err)
	}
	loaded, _, err := runfolder.LoadRun(dir, runfolder.DefaultMaxSize)
	if err != nil || len(loaded) != n || len(ix.Scenarios) != n {
		t.Fatalf("%d recordings, %d entries: %v", len(loaded), len(ix.Scenarios), err)
	}
	failed := 0
	for i, l := range loaded {
		want := *src[i%len(src)]
		want.Scenario.Name += " #" + itoa(i)
		want.Scenario.Tags = append(append([]string(nil), want.Scenario.Tags...), "batch-"+itoa(i%7))
		want.Options.FingerprintKey = "synth" + itoa(i)
		if i%FailEvery == FailEvery-1 {
			want.Status, want.Error = recording.StatusFailed, "synthetic failure of copy "+itoa(i)
			failed++
		}
		w, _ := recording.Encode(&want)
		g, _ := recording.Encode(l.Recording)
		if !bytes.Equal(w, g) {
			t.Fatalf("copy %d is not %s renamed", i, src[i%len(src)].Scenario.Name)
		}
		if e := ix.Scenarios[i]; e.Name != want.Scenario.Name || e.Status != want.Status || e.Events != len(want.Events) {
			t.Errorf("index entry %d: %+v", i, e)
		}
	}
	if failed == 0 || ix.Totals.Failed != failed || ix.Status != recording.StatusFailed {
		t.Errorf("totals %+v, %d failed", ix.Totals, failed)
	}
	for _, f := range []string{runfolder.FindingsFile, runfolder.SummaryFile, "index.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, runfolder.SummaryFile))
	s, err := runfolder.DecodeSummaryOverview("summary.json", data)
	if err != nil || len(s.PerScenario) != n || s.PerScenario[n-1].Recording != ix.Scenarios[n-1].Recording {
		t.Errorf("summary.json: %v", err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
