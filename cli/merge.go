package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

const mergeShort = `Combines the run folders of several shards (run --shard K/N) into one run folder:
recordings, index.json, findings.json, summary.json and junit.xml, which the
inspector and audit open like any run.`

func mergeCmd(e *env, args []string) int {
	fs := newFlags(e, "merge", "-o DIR DIR...", mergeShort)
	out := fs.StringP("out", "o", "", "the merged run folder to write (required)")
	failOn := fs.String("fail-on", "", "exit 1 when a finding is at or above this severity")
	policyFile := fs.String("policy", "", "also check the merged recordings against this cookie policy file (docs/policy.md), as run --policy does")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if *out == "" || fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "sessiontrace merge: want -o DIR and at least one run folder")
		return ExitUsage
	}
	var threshold analysis.Severity
	if *failOn != "" {
		var err error
		if threshold, err = analysis.ParseSeverity(*failOn); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace merge: --fail-on:", err)
			return ExitUsage
		}
	}
	pol, ok := policyFlag(e, *policyFile)
	if !ok {
		return ExitUsage
	}
	ix, recs, err := merge(*out, fs.Args())
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace merge:", err)
		return ExitUsage
	}
	rep := analysis.AnalyzeAll(recordingsOf(recs))
	pol.Apply(rep, recordingsOf(recs))
	code := ExitOK
	t := ix.Totals
	switch {
	case t.Failed+t.Errored+t.Interrupted > 0:
		code = ExitFailed
	case threshold != "" && rep.CountAtLeast(threshold) > 0:
		code = ExitFailed
	}
	files := map[string]func(io.Writer) error{
		"findings.json": func(w io.Writer) error { return writeJSON(w, rep) },
		"junit.xml":     func(w io.Writer) error { return writeJUnit(w, recs, rep, threshold) },
		"summary.json":  func(w io.Writer) error { return writeJSON(w, newSummary(ix, rep, code, "")) },
	}
	for name, write := range files {
		if err := writeReportFile(filepath.Join(*out, name), write); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace merge:", err)
			return ExitFailed
		}
	}
	fmt.Fprintf(e.stdout, "merged %d run folders: %d scenarios: %d passed, %d failed, %d errored, %d interrupted; %d findings\n",
		fs.NArg(), len(ix.Scenarios), t.Passed, t.Failed, t.Errored, t.Interrupted, len(rep.Findings))
	fmt.Fprintf(e.stdout, "index: %s\n", filepath.Join(*out, "index.json"))
	return code
}

// merge copies the recordings (and their earlier attempts) of each run
// folder into out and writes the merged index. Scenarios are ordered by
// file and name, so the merge of a suite's shards lists them as one
// unsharded run sorted the same way would.
func merge(out string, dirs []string) (*recording.Index, []loaded, error) {
	if err := os.MkdirAll(filepath.Join(out, "recordings"), 0o755); err != nil {
		return nil, nil, err
	}
	merged := &recording.Index{Schema: recording.IndexSchema, Tool: "sessiontrace " + Version, Status: recording.StatusPassed}
	used := map[string]bool{}
	var recs []loaded
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, "index.json"))
		if err != nil {
			return nil, nil, fmt.Errorf("%s is not a run folder: %w", dir, err)
		}
		ix, err := recording.DecodeIndex(filepath.Join(dir, "index.json"), data)
		if err != nil {
			return nil, nil, err
		}
		shard := shardOf(dir)
		if merged.Start.IsZero() || ix.Start.Before(merged.Start) {
			merged.Start = ix.Start
		}
		if ix.End.After(merged.End) {
			merged.End = ix.End
		}
		for _, e := range ix.Scenarios {
			copyRel := func(rel string) (string, error) {
				name := uniqueName(used, filepath.Base(rel))
				dst := filepath.Join("recordings", name)
				return filepath.ToSlash(dst), copyFile(filepath.Join(dir, filepath.FromSlash(rel)), filepath.Join(out, dst))
			}
			var attempts []string
			for _, a := range e.Attempts {
				p, err := copyRel(a)
				if err != nil {
					return nil, nil, err
				}
				attempts = append(attempts, p)
			}
			p, err := copyRel(e.Recording)
			if err != nil {
				return nil, nil, err
			}
			r, err := readRecording(filepath.Join(out, filepath.FromSlash(p)))
			if err != nil {
				return nil, nil, err
			}
			e.Recording, e.Attempts = p, attempts
			if e.Shard == "" {
				e.Shard = shard
			}
			merged.Scenarios = append(merged.Scenarios, e)
			recs = append(recs, loaded{rec: r, path: filepath.Join(out, filepath.FromSlash(p))})
		}
	}
	order := make([]int, len(merged.Scenarios))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := merged.Scenarios[a], merged.Scenarios[b]
		if c := strings.Compare(filepath.ToSlash(filepath.Clean(x.File)), filepath.ToSlash(filepath.Clean(y.File))); c != 0 {
			return c
		}
		return strings.Compare(x.Name, y.Name)
	})
	entries := make([]recording.IndexEntry, len(order))
	sortedRecs := make([]loaded, len(order))
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
	b, err := recording.EncodeIndex(merged)
	if err != nil {
		return nil, nil, err
	}
	return merged, sortedRecs, os.WriteFile(filepath.Join(out, "index.json"), b, 0o644)
}

// shardOf reads the shard a run folder was made for from its summary.
func shardOf(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return ""
	}
	var s struct {
		Shard string `json:"shard"`
	}
	_ = json.Unmarshal(data, &s)
	return s.Shard
}

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

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}
