package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/sessiontrace/sessiontrace/report"
	"github.com/sessiontrace/sessiontrace/runfolder"
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
	threshold, ok := failOnFlag(e, "merge", *failOn)
	if !ok {
		return ExitUsage
	}
	pol, ok := policyFlag(e, *policyFile)
	if !ok {
		return ExitUsage
	}
	ix, recs, err := runfolder.Merge(*out, fs.Args(), "sessiontrace "+Version)
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace merge:", err)
		return ExitUsage
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
		err = dir.WriteSummary(runfolder.NewSummary(ix, rep, code, ""))
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace merge:", err)
		return ExitFailed
	}
	t := ix.Totals
	fmt.Fprintf(e.stdout, "merged %d run folders: %d scenarios: %d passed, %d failed, %d errored, %d interrupted; %d findings\n",
		fs.NArg(), len(ix.Scenarios), t.Passed, t.Failed, t.Errored, t.Interrupted, len(rep.Findings))
	fmt.Fprintf(e.stdout, "index: %s\n", filepath.Join(*out, runfolder.IndexFile))
	return code
}
