package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/policy"
	"github.com/sessiontrace/sessiontrace/report"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

const auditShort = `Analyses run folders (their index.json), recordings and HAR files (from Chrome,
Firefox, Playwright) and prints the findings
and the session summary: which cookies are session IDs, what happened to each ID,
why every unexpected reset happened. Formats: text (default), json, junit, sarif, html.`

func auditCmd(e *env, args []string) int {
	fs := newFlags(e, "audit", "[flags] PATH...", auditShort)
	format := fs.String("format", "text", "output format: "+report.Names())
	failOn := fs.String("fail-on", "", "exit 1 when a finding is at or above this severity (critical, high, medium, low, info)")
	out := fs.StringP("output", "o", "", "write the report to this file instead of standard output")
	maxSize := maxSizeFlag(fs)
	policyFile := fs.String("policy", "", "also check the recordings against this cookie policy file (docs/policy.md); violations are POLICY-VIOLATION findings")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "sessiontrace audit: no PATH given (a run folder, a recording)")
		return ExitUsage
	}
	threshold, ok := failOnFlag(e, "audit", *failOn)
	if !ok {
		return ExitUsage
	}
	f, ok := report.Lookup(*format)
	if !ok {
		fmt.Fprintf(e.stderr, "sessiontrace audit: --format %q: use %s\n", *format, report.Names())
		return ExitUsage
	}
	pol, ok := policyFlag(e, "audit", *policyFile)
	if !ok {
		return ExitUsage
	}
	recs, ok := loadSaying(e, "audit", fs.Args(), *maxSize)
	if !ok {
		return ExitUsage
	}
	rep := analyse(recs, pol)
	w := e.stdout
	if *out != "" {
		file, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace audit:", err)
			return ExitFailed
		}
		defer file.Close()
		w = file
	}
	in := &report.Input{Recordings: recs, Report: rep, Threshold: threshold, Color: colorFor(e, w), Version: Version}
	if err := f.Write(w, in); err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace audit:", err)
		return ExitFailed
	}
	if threshold != "" && rep.CountAtLeast(threshold) > 0 {
		return ExitFailed
	}
	return ExitOK
}

// failOnFlag reads --fail-on: a severity, or "" for none. A bad one is
// said on standard error (then ok is false).
func failOnFlag(e *env, cmd, value string) (threshold analysis.Severity, ok bool) {
	if value == "" {
		return "", true
	}
	s, err := analysis.ParseSeverity(value)
	if err != nil {
		fmt.Fprintf(e.stderr, "sessiontrace %s: --fail-on: %v\n", cmd, err)
		return "", false
	}
	return s, true
}

// analyse analyses recordings and checks them against a policy (which
// may be nil: no policy).
func analyse(recs []runfolder.Loaded, pol *policy.Policy) *analysis.Report {
	rep := analysis.AnalyzeAll(runfolder.Recordings(recs))
	pol.Apply(rep, runfolder.Recordings(recs))
	return rep
}

// loadSaying is runfolder.Load for the command cmd: the warnings, and an
// error (then ok is false), go to standard error.
func loadSaying(e *env, cmd string, paths []string, maxSize int64) (recs []runfolder.Loaded, ok bool) {
	recs, warnings, err := runfolder.Load(paths, maxSize)
	if err != nil {
		sayf(e, cmd, "%v", err)
		return nil, false
	}
	for _, w := range warnings {
		sayf(e, cmd, "%s", w)
	}
	return recs, true
}

// colorFor decides whether to colour output: on a terminal, unless
// NO_COLOR is set (https://no-color.org).
func colorFor(e *env, w io.Writer) bool {
	if _, ok := e.lookupEnv("NO_COLOR"); ok {
		return false
	}
	return isTerminal(w) && e.getenv("TERM") != "dumb"
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
