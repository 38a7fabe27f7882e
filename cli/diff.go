package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/report"
	"github.com/sessiontrace/sessiontrace/rundiff"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

const diffShort = `Compares two runs of the same suite (two builds, two environments) scenario by
scenario: cookies added or gone; cookie attributes (Secure, HttpOnly, SameSite,
host-only, domain, path, prefix, partitioned, lifetime, size); session behaviour
(rotation at login, invalidation at logout, resets and their causes); findings
new or fixed; and each scenario's status. RUN_A is the baseline.

Each RUN is a run folder (or its index.json), a recording or a HAR file.
Scenarios are matched by name (then file); two single recordings are compared
whatever their names. Cookie values are never compared (each run fingerprints
them with its own key), domains are compared relative to each scenario's target
host, and only the steps both runs ran are compared. The regression rules and
the JSON format: docs/diff.md.

Exit codes: 0 nothing to fail on (see --fail-on), 1 a regression (or, with
--fail-on any, any change), 2 usage, input or output error.`

func diffCmd(e *env, args []string) int {
	fs := newFlags(e, "diff", "[flags] RUN_A RUN_B", diffShort)
	format := fs.String("format", "text", "output format: text or json")
	out := fs.StringP("output", "o", "", "write the diff to this file instead of standard output")
	failOn := fs.String("fail-on", "regression", "exit 1 on: regression (a change for the worse), any (any change) or never")
	maxSize := maxSizeFlag(fs)
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	usageErr := func(format string, args ...any) int {
		sayf(e, "diff", format, args...)
		return ExitUsage
	}
	if fs.NArg() != 2 {
		return usageErr("want two runs, RUN_A (the baseline) and RUN_B; got %s", words.Count(fs.NArg(), "argument", "arguments"))
	}
	switch *format {
	case "text", "json":
	default:
		return usageErr("--format %q: use text or json", *format)
	}
	switch *failOn {
	case "regression", "any", "never":
	default:
		return usageErr("--fail-on %q: use regression, any or never", *failOn)
	}
	var runs [2][]*recording.Recording
	for i, p := range fs.Args() {
		recs, warnings, err := runfolder.LoadRun(p, *maxSize)
		if err != nil {
			return usageErr("%v", err)
		}
		for _, w := range warnings {
			sayf(e, "diff", "%s", w)
		}
		runs[i] = runfolder.Recordings(recs)
	}
	d := rundiff.Runs(runs[0], runs[1])
	d.A.Source, d.B.Source = fs.Arg(0), fs.Arg(1)

	w := e.stdout
	var f *os.File
	if *out != "" {
		var err error
		if f, err = os.Create(*out); err != nil {
			// Not 1: CI reads 1 as "a regression".
			return usageErr("%v", err)
		}
		w = f
	}
	err := writeDiff(w, d, *format)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return usageErr("writing the diff: %v", err)
	}
	if *out != "" {
		fmt.Fprintf(e.stdout, "diff written to %s: %s, %s in %s\n", *out, words.Count(d.Totals.Regressions, "regression", "regressions"),
			words.Count(d.Totals.Changes, "change", "changes"), words.Count(d.Totals.Scenarios, "scenario", "scenarios"))
	}
	switch {
	case *failOn == "regression" && d.Totals.Regressions > 0, *failOn == "any" && d.Totals.Changes > 0:
		return ExitFailed
	}
	return ExitOK
}

func writeDiff(w io.Writer, d *rundiff.Diff, format string) error {
	if format == "json" {
		return runfolder.EncodeJSON(w, d)
	}
	return d.WriteText(report.TermWriter(w)) // names and URLs come from the sites
}
