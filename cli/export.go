package cli

import (
	"fmt"
	"os"

	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/recording/har"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

const exportShort = `Writes a recording as a HAR 1.2 file (HTTP Archive) that other HAR tools open:
each step a page, each request an entry with its Cookie and Set-Cookie headers.
Cookie values are written as [value:FP] fingerprints unless the run revealed
them (--reveal-values). sessiontrace's own knowledge is in "_" fields:
_blockedReasons (cookies the browser withheld, and why), _rejectedCookies,
_sessionId, _step. RECORDING is a recording file, or a run folder (or its
index.json) of a single scenario. See docs/har.md.`

func exportCmd(e *env, args []string) int {
	fs := newFlags(e, "export", "--har [-o FILE] RECORDING", exportShort)
	asHAR := fs.Bool("har", false, "write HAR 1.2 (the only export format)")
	out := fs.StringP("output", "o", "", "write the HAR to this file instead of standard output")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if !*asHAR {
		fmt.Fprintln(e.stderr, "sessiontrace export: say which format to write: --har (HAR 1.2, the only one)")
		return ExitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(e.stderr, "sessiontrace export: expected one RECORDING (a recording file or a run folder of one scenario), got %d\n", fs.NArg())
		return ExitUsage
	}
	path, err := runfolder.SingleRecording(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace export:", err)
		return ExitUsage
	}
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace export:", err)
		return ExitUsage
	}
	kind := runfolder.Sniff(path, data)
	if kind == runfolder.KindHAR {
		fmt.Fprintf(e.stderr, "sessiontrace export: %s is already a HAR; give a recording (recordings/NAME.json of a run folder)\n", path)
		return ExitUsage
	}
	rec, _, err := runfolder.DecodeRecording(path, data, kind, nil)
	if err != nil {
		sayf(e, "export", "%v", err)
		return ExitUsage
	}
	b, err := har.Export(rec)
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace export:", err)
		return ExitUsage
	}
	if *out == "" {
		if _, err := e.stdout.Write(b); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace export:", err)
			return ExitUsage
		}
	} else if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace export:", err)
		return ExitUsage
	} else {
		fmt.Fprintf(e.stderr, "wrote %s: %s, %s (steps) of %q\n", *out, words.Count(len(rec.Requests), "entry", "entries"), words.Count(len(rec.Steps), "page", "pages"), rec.Scenario.Name)
	}
	if rec.Options.RevealValues {
		fmt.Fprintln(e.stderr, "sessiontrace export: warning: the run revealed cookie values (--reveal-values), so the HAR holds them raw: treat it like a password")
	}
	return ExitOK
}
