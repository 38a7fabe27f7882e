package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/report"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

const mergeShort = `Combines the run folders of several shards (run --shard K/N) into one run folder:
recordings, index.json, findings.json, summary.json, junit.xml and the inspector
(index.html and its files), which any static web server and audit open like any run.`

// fingerprintKeys are the IDs of the keys the recordings' values were
// fingerprinted with, sorted.
func fingerprintKeys(recs []runfolder.Loaded) []string {
	var keys []string
	for _, l := range recs {
		if k := l.Recording.Options.FingerprintKey; k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func mergeCmd(e *env, args []string) int {
	fs := newFlags(e, "merge", "-o DIR DIR...", mergeShort)
	out := fs.StringP("out", "o", "", "the merged run folder to write (required): a new or empty folder, or an earlier run folder, which the merge replaces")
	force := fs.Bool("force", false, "write into -o DIR even when DIR holds other files and is not a run folder (they are kept)")
	failOn := fs.String("fail-on", "", "exit 1 when a finding is at or above this severity")
	policyFile := fs.String("policy", "", "also check the merged recordings against this cookie policy file (docs/policy.md), as run --policy does")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if *out == "" || fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "sessiontrace merge: want -o DIR and at least one run folder")
		return ExitUsage
	}
	threshold, ok := failOnFlag(e, "merge", *failOn)
	if !ok {
		return ExitUsage
	}
	pol, ok := policyFlag(e, "merge", *policyFile)
	if !ok {
		return ExitUsage
	}
	for _, in := range fs.Args() {
		// Checked before -o is emptied: a typo must not cost the earlier merge.
		if _, err := os.Stat(filepath.Join(in, runfolder.IndexFile)); err != nil {
			fmt.Fprintf(e.stderr, "sessiontrace merge: %s is not a run folder: it has no %s\n", in, runfolder.IndexFile)
			return ExitUsage
		}
		if sameFile(in, *out) {
			fmt.Fprintf(e.stderr, "sessiontrace merge: -o %s is also an input: write the merged run into another folder\n", *out)
			return ExitUsage
		}
	}
	if err := runfolder.CheckOut(*out, *force); err != nil {
		fmt.Fprintf(e.stderr, "sessiontrace merge: -o %v\n", err)
		return ExitUsage
	}
	if !prepareOut(e, "merge", *out, *force) {
		return ExitFailed
	}
	ix, recs, err := runfolder.Merge(*out, fs.Args(), "sessiontrace "+Version)
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace merge:", err)
		return ExitUsage
	}
	if keys := fingerprintKeys(recs); len(keys) > 1 {
		fmt.Fprintf(e.stderr, "sessiontrace merge: note: the inputs used %d fingerprint keys (%s): a session ID's fingerprint compares only between recordings of one key; give every shard the same --fingerprint-key-file or $%s\n",
			len(keys), strings.Join(keys, ", "), keyEnv)
	}
	rep := analyse(recs, pol)
	code := suiteExit(ix, rep, threshold)
	dir := runfolder.Dir(*out)
	in := &report.Input{Recordings: recs, Report: rep, Threshold: threshold, Version: Version}
	err = dir.WriteFindings(rep)
	if err == nil {
		err = dir.WriteFile(runfolder.JUnitFile, func(w io.Writer) error { return report.JUnit.Write(w, in) })
	}
	if err == nil {
		err = dir.WriteSummary(runfolder.NewSummary(ix, rep, runfolder.Recordings(recs), code, ""))
	}
	if err == nil {
		// As run does: a merged CI artifact opens from any static server.
		err = dir.WriteInspector()
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace merge:", err)
		return ExitFailed
	}
	t := ix.Totals
	fmt.Fprintf(e.stdout, "merged %s: %s: %d passed, %d failed, %d errored, %d interrupted; %s\n",
		words.Count(fs.NArg(), "run folder", "run folders"), words.Count(len(ix.Scenarios), "scenario", "scenarios"),
		t.Passed, t.Failed, t.Errored, t.Interrupted, words.Count(len(rep.Findings), "finding", "findings"))
	fmt.Fprintf(e.stdout, "index: %s\n", filepath.Join(*out, runfolder.IndexFile))
	return code
}

// sameFile reports whether the paths a and b name one existing file.
func sameFile(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}
