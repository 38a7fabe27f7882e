//go:build !js

package runfolder

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/sessiontrace/sessiontrace/recording"
)

// Merge combines run folders (the shards of a suite) into the run folder
// out: it copies their recordings (and earlier attempts) into out, under
// new names where two are alike, and writes the merged index, whose tool
// is tool. Scenarios are ordered by file and name, so the merge of a
// suite's shards lists them as one unsharded run sorted the same way
// would (CompareScenarios); an entry keeps its shard, else gets its
// folder's (from its summary.json). It returns the index and the recordings in its order.
func Merge(out string, dirs []string, tool string) (*recording.Index, []Loaded, error) {
	dst := Dir(out)
	if err := dst.Create(); err != nil {
		return nil, nil, err
	}
	merged := &recording.Index{Schema: recording.IndexSchema, Tool: tool, Status: recording.StatusPassed}
	used := map[string]bool{}
	var recs []Loaded
	for _, dir := range dirs {
		src := Dir(dir)
		data, err := os.ReadFile(src.Path(IndexFile))
		if err != nil {
			return nil, nil, fmt.Errorf("%s is not a run folder: %w", dir, err)
		}
		ix, err := DecodeIndex(src.Path(IndexFile), data)
		if err != nil {
			return nil, nil, err
		}
		shard := src.shardOf()
		if merged.Start.IsZero() || ix.Start.Before(merged.Start) {
			merged.Start = ix.Start
		}
		if ix.End.After(merged.End) {
			merged.End = ix.End
		}
		for _, e := range ix.Scenarios {
			me, l, err := copyEntry(src, dst, used, e, shard)
			if err != nil {
				return nil, nil, err
			}
			merged.Scenarios = append(merged.Scenarios, me)
			recs = append(recs, l)
		}
	}
	order := make([]int, len(merged.Scenarios))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := merged.Scenarios[a], merged.Scenarios[b]
		return CompareScenarios(x.File, x.Name, y.File, y.Name)
	})
	entries := make([]recording.IndexEntry, len(order))
	sortedRecs := make([]Loaded, len(order))
	for i, j := range order {
		entries[i], sortedRecs[i] = merged.Scenarios[j], recs[j]
		merged.Totals.Add(entries[i].Status)
		if entries[i].Flaky {
			merged.Totals.Flaky++
		}
		if recording.Worse(entries[i].Status, merged.Status) {
			merged.Status = entries[i].Status
		}
	}
	merged.Scenarios = entries
	return merged, sortedRecs, dst.WriteIndex(merged)
}

// copyEntry copies the recording of index entry e (and its earlier
// attempts) from src into dst's recordings, under names not yet used,
// and returns the entry as merged (with shard when it names none) and the
// recording.
func copyEntry(src, dst Dir, used map[string]bool, e recording.IndexEntry, shard string) (recording.IndexEntry, Loaded, error) {
	copyRel := func(rel string) (string, []byte, error) {
		name := filepath.ToSlash(filepath.Join(RecordingsDir, uniqueName(used, filepath.Base(rel))))
		data, err := os.ReadFile(src.Path(rel))
		if err != nil {
			return "", nil, err
		}
		return name, data, writeBytes(dst.Path(name), data)
	}
	var attempts []string
	for _, a := range e.Attempts {
		p, _, err := copyRel(a)
		if err != nil {
			return e, Loaded{}, err
		}
		attempts = append(attempts, p)
	}
	p, data, err := copyRel(e.Recording)
	if err != nil {
		return e, Loaded{}, err
	}
	l, _, err := decodeFile(dst.Path(p), data, Sniff(p, data))
	if err != nil {
		return e, Loaded{}, err
	}
	e.Recording, e.Attempts = p, attempts
	if e.Shard == "" {
		e.Shard = shard
	}
	return e, l, nil
}
