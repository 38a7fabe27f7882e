package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/report"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

const reportShort = `Writes a report to share: one self-contained HTML file (it opens from file://
with no network and no other file, and prints one scenario per page) with the
overview (scenarios by status, findings by severity, resets by cause), then for
each scenario its status and error (with the scenario file's line:column), why the
user was logged out, the logged-in state step by step, every finding with its
evidence, and the session table (each ID, how it ended, the resets). With
--format pdf, Chromium prints that document to PDF.

RUN is a run folder (or its index.json), a recording or a HAR file. Cookie values
appear only as fingerprints: values a run revealed (--reveal-values) are replaced
by theirs. The same HTML is 'audit --format html'.

Exit codes: 0 written, 2 usage, input or output error (no Chromium for a PDF),
130 interrupted.`

func reportCmd(e *env, args []string) int {
	fs := newFlags(e, "report", "[flags] RUN", reportShort)
	format := fs.String("format", "", "html or pdf (default: pdf when --output ends in .pdf, else html)")
	out := fs.StringP("output", "o", "", "write the report to this file (default: standard output, which a PDF refuses when it is a terminal)")
	policyFile := fs.String("policy", "", "also check the recordings against this cookie policy file (docs/policy.md); violations are POLICY-VIOLATION findings")
	paper := fs.String("paper", "a4", "PDF paper size: a4 or letter")
	chrome := fs.String("chrome", "", "Chromium binary for --format pdf (default $CHROME_PATH, then chromium on PATH)")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up printing the PDF after this long")
	maxSize := maxSizeFlag(fs)
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	fail := func(format string, args ...any) int {
		sayf(e, "report", format, args...)
		return ExitUsage
	}
	if fs.NArg() != 1 {
		return fail("want one RUN (a run folder, a recording or a HAR file); got %s", words.Count(fs.NArg(), "argument", "arguments"))
	}
	if *format == "" {
		*format = "html"
		if strings.EqualFold(filepath.Ext(*out), ".pdf") {
			*format = "pdf"
		}
	}
	if *format != "html" && *format != "pdf" {
		return fail("--format %q: use html or pdf", *format)
	}
	pdf := *format == "pdf"
	size, ok := harness.Papers[strings.ToLower(*paper)]
	if !ok {
		return fail("--paper %q: use a4 or letter", *paper)
	}
	toStdout := *out == "" || *out == "-"
	if pdf && toStdout && isTerminal(e.stdout) {
		return fail("a PDF is not written to a terminal: give -o FILE.pdf, or redirect standard output")
	}
	if pdf {
		// Said before the analysis: no waiting to learn it.
		if _, err := harness.FindChrome(*chrome); err != nil {
			return fail("--format pdf prints through Chromium: %v", err)
		}
	}
	pol, ok := policyFlag(e, "report", *policyFile)
	if !ok {
		return ExitUsage
	}
	recs, warnings, err := runfolder.LoadRun(fs.Arg(0), *maxSize)
	if err != nil {
		return fail("%v", err)
	}
	for _, w := range warnings {
		sayf(e, "report", "%s", w)
	}
	if !toStdout {
		if in := overwrites(*out, fs.Arg(0), recs); in != "" {
			return fail("-o %s would overwrite %s, which the report is made from", *out, in)
		}
	}
	rep := analyse(recs, pol)
	var doc bytes.Buffer
	if err := report.HTML.Write(&doc, &report.Input{Recordings: recs, Report: rep, Version: Version}); err != nil {
		return fail("%v", err)
	}
	data := doc.Bytes()
	if pdf {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		data, err = harness.PrintPDF(ctx, harness.BrowserOptions{ExecPath: *chrome}, data, size)
		switch {
		case errors.Is(err, context.Canceled):
			sayf(e, "report", "interrupted; nothing written")
			return ExitInterrupted
		case errors.Is(err, context.DeadlineExceeded):
			return fail("printing the PDF took longer than --timeout %s", *timeout)
		case err != nil:
			return fail("printing the PDF: %v", err)
		}
	}
	if toStdout {
		if _, err := e.stdout.Write(data); err != nil {
			return fail("%v", err)
		}
		return ExitOK
	}
	// Through a temporary file and a rename: a failed write leaves no
	// half report where the last one was.
	dir := runfolder.Dir(filepath.Dir(*out))
	if err := dir.WriteFile(filepath.Base(*out), func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return fail("writing the report: %v", err)
	}
	fmt.Fprintf(e.stdout, "report written to %s (%s): %s, %s, %s\n", *out, *format, words.Count(len(recs), "scenario", "scenarios"),
		words.Count(len(rep.Findings), "finding", "findings"), words.Count(len(rep.Resets()), "session reset", "session resets"))
	return ExitOK
}

// overwrites returns which input out is (the run's path, its index.json,
// a recording), or "".
func overwrites(out, run string, recs []runfolder.Loaded) string {
	same := func(a, b string) bool {
		ia, errA := os.Stat(a)
		ib, errB := os.Stat(b)
		return errA == nil && errB == nil && os.SameFile(ia, ib)
	}
	inputs := []string{run, filepath.Join(run, runfolder.IndexFile)}
	for _, l := range recs {
		inputs = append(inputs, l.Path)
	}
	for _, in := range inputs {
		if same(out, in) {
			return in
		}
	}
	return ""
}
