//go:build !js

// Package runs writes big run folders for the inspector's tests and
// benchmarks: copies of real recordings (package synth makes big
// recordings) with the index, findings and summary that run writes. It is
// apart from synth because it analyses the copies, and the analysis's own
// benchmarks use synth.
package runs

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// FailEvery is how often RunFolder marks a copy failed: scenario i fails
// when i%FailEvery == FailEvery-1, so that a big run has every status
// a search can ask for.
const FailEvery = 10

// RunFolder writes a run folder of n scenarios into dir, as `sessiontrace
// run` writes one: recordings, index.json, findings.json (the analysis of
// them all), summary.json and the inspector. Scenario i is src[i%len(src)]
// (real recordings, e.g. the lab suite's) under a new name ("NAME #i"),
// file name (recordings/copy-i.json) and an extra tag ("batch-i%7"); every
// FailEvery-th is failed. Each copy has a fingerprint key ID of its own:
// copies of one journey hold the same session IDs, which the analysis's
// cross-recording checks (one ID issued to two browser sessions) would
// otherwise report thousands of times.
func RunFolder(dir string, src []*recording.Recording, n int) (*recording.Index, error) {
	d := runfolder.Dir(dir)
	if err := d.Create(); err != nil {
		return nil, err
	}
	// Each source is encoded once, with markers in place of what differs
	// per copy; the copies are that text with the markers replaced (20,000
	// encodings would take most of the time).
	const nameMark, keyMark, tagMark = "@@synth-name@@", "@@synth-key@@", "@@synth-tag@@"
	enc := make([][]byte, len(src))
	for i, r := range src {
		c := *r
		c.Scenario.Name, c.Options.FingerprintKey = nameMark, keyMark
		c.Scenario.Tags = append(append([]string(nil), r.Scenario.Tags...), tagMark)
		data, err := recording.Encode(&c)
		if err != nil {
			return nil, err
		}
		enc[i] = data
	}
	ix := &recording.Index{Schema: recording.IndexSchema, Tool: "sessiontrace synth", Status: recording.StatusPassed, Scenarios: []recording.IndexEntry{}}
	recs := make([]*recording.Recording, n)
	start := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for i := range n {
		r := *src[i%len(src)]
		r.Scenario.Name = r.Scenario.Name + " #" + strconv.Itoa(i)
		r.Scenario.Tags = append(append([]string(nil), r.Scenario.Tags...), "batch-"+strconv.Itoa(i%7))
		r.Options.FingerprintKey = "synth" + strconv.Itoa(i)
		if i%FailEvery == FailEvery-1 {
			r.Status, r.Error = recording.StatusFailed, "synthetic failure of copy "+strconv.Itoa(i)
		}
		recs[i] = &r
		var data []byte
		if r.Status == src[i%len(src)].Status && plain(r.Scenario.Name) {
			data = bytes.Replace(enc[i%len(src)], []byte(`"`+nameMark+`"`), []byte(`"`+r.Scenario.Name+`"`), 1)
			data = bytes.Replace(data, []byte(`"`+keyMark+`"`), []byte(`"`+r.Options.FingerprintKey+`"`), 1)
			data = bytes.Replace(data, []byte(`"`+tagMark+`"`), []byte(`"batch-`+strconv.Itoa(i%7)+`"`), 1)
		} else {
			var err error
			if data, err = recording.Encode(&r); err != nil {
				return nil, err
			}
		}
		name := runfolder.RecordingsDir + "/copy-" + strconv.Itoa(i) + ".json"
		if err := os.WriteFile(d.Path(name), data, 0o644); err != nil {
			return nil, err
		}
		// Runs take their time one after the other: the index's times.
		s, e := start.Add(time.Duration(i)*time.Second), start.Add(time.Duration(i)*time.Second+r.End.Sub(r.Start))
		ix.Scenarios = append(ix.Scenarios, recording.IndexEntry{Name: r.Scenario.Name, File: r.Scenario.File, Recording: name,
			Status: r.Status, Error: r.Error, Start: s, End: e, Steps: len(r.Steps), Requests: len(r.Requests), Events: len(r.Events), Tags: r.Scenario.Tags})
		ix.Totals.Add(r.Status)
		if recording.Worse(r.Status, ix.Status) {
			ix.Status = r.Status
		}
		ix.Start, ix.End = start, e
	}
	rep := analysis.AnalyzeAll(recs)
	code := 0
	if ix.Status != recording.StatusPassed {
		code = 1
	}
	if err := d.WriteIndex(ix); err != nil {
		return nil, err
	}
	if err := d.WriteFindings(rep); err != nil {
		return nil, err
	}
	if err := d.WriteSummary(runfolder.NewSummary(ix, rep, recs, code, "")); err != nil {
		return nil, err
	}
	return ix, d.WriteInspector()
}

// plain reports whether s is written in JSON as it is, between quotes.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// Sources reads the recordings (*.json) of a folder, e.g. the lab suite's
// in analysis/testdata/lab, as RunFolder's sources.
func Sources(dir string) ([]*recording.Recording, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	loaded, _, err := runfolder.Load(files, runfolder.DefaultMaxSize)
	return runfolder.Recordings(loaded), err
}
