// Package cli is the sessiontrace command line: subcommands, flags,
// terminal output and exit codes.
package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/sessiontrace/sessiontrace/internal/yamlfile"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// Version is the program version, set at build time with
// -ldflags "-X github.com/sessiontrace/sessiontrace/cli.Version=...".
var Version = "0.1.0-dev"

// Exit codes (README.md): 0 all passed; 1 a scenario failed (or a finding
// at or above --fail-on); 2 usage or input error; 130 interrupted.
const (
	ExitOK          = 0
	ExitFailed      = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// env is what a command reads and writes: the process's by default,
// replaceable in tests.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	lookupEnv      func(string) (string, bool)
}

func osEnv() *env {
	return &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, lookupEnv: os.LookupEnv}
}

type command struct {
	name, args, short string
	run               func(e *env, args []string) int
}

func commands() []command {
	return []command{
		{"run", "[flags] [PATH...]", "run scenario files or folders in Chromium; write a run folder", runCmd},
		{"record", "[flags] [URL]", "record a journey you click through by hand: its recording and the scenario that replays it", recordCmd},
		{"audit", "[flags] PATH...", "analyse run folders, recordings and HAR files; print findings and resets", auditCmd},
		{"report", "[flags] RUN", "write a report to share: one self-contained HTML file, or a PDF", reportCmd},
		{"serve", "[flags] [DIR]", "serve the inspector and a run folder on 127.0.0.1", serveCmd},
		{"merge", "-o DIR DIR...", "merge the run folders of several shards into one run", mergeCmd},
		{"diff", "[flags] RUN_A RUN_B", "what changed between two runs of a suite; exit 1 on a regression", diffCmd},
		{"policy", "init|validate ...", "write a cookie policy baseline from a good run; check policy files", policyCmd},
		{"export", "--har RECORDING", "write a recording as a HAR 1.2 file for other HAR tools", exportCmd},
		{"validate", "PATH...", "check scenario files without running them", validateCmd},
		{"lab", "[flags]", "start the demo target site (the lab)", labCmd},
		{"version", "", "print the version", versionCmd},
	}
}

// Main runs the command line args (without the program name) and returns
// the exit code.
func Main(args []string) int { return mainEnv(osEnv(), args) }

func mainEnv(e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		usage(e.stdout)
		return ExitOK
	case "-v", "--version":
		return versionCmd(e, nil)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	fmt.Fprintf(e.stderr, "sessiontrace: unknown command %q%s\n\n", args[0], didYouMean(args[0], names, "%q"))
	usage(e.stderr)
	return ExitUsage
}

// didYouMean is " (did you mean X?)" for the one of names closest to word
// (yamlfile.Suggest, as for the keys of scenario and policy files),
// written with format ("%q", "--%s"), or "" when none is close.
func didYouMean(word string, names []string, format string) string {
	if hint := yamlfile.Suggest(word, names...); hint != "" {
		return " (did you mean " + fmt.Sprintf(format, hint) + "?)"
	}
	return ""
}

// sayf says a message of the command cmd on standard error, every line
// starting with "sessiontrace CMD: ", so that the output of a script or CI
// job tells which command spoke.
func sayf(e *env, cmd, format string, args ...any) {
	msg := strings.TrimRight(fmt.Sprintf(format, args...), "\n")
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintf(e.stderr, "sessiontrace %s: %s\n", cmd, line)
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "sessiontrace records what happens to every cookie and session ID of a web journey")
	fmt.Fprintln(w, "in real Chromium, and explains why a session reset.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  sessiontrace %-9s %-20s %s\n", c.name, c.args, c.short)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'sessiontrace COMMAND --help' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 passed, 1 a scenario failed, 2 usage or input error, 130 interrupted.")
}

func versionCmd(e *env, args []string) int {
	fs := newFlags(e, "version", "", "Prints the version.")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		sayf(e, "version", "takes no arguments, got %q", fs.Args())
		return ExitUsage
	}
	fmt.Fprintln(e.stdout, "sessiontrace", Version)
	return ExitOK
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(e *env, name, args, short string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: sessiontrace %s\n\n%s\n", strings.TrimSpace(name+" "+args), short)
		if fs.HasAvailableFlags() { // no empty section for a command without flags
			fmt.Fprintf(fs.Output(), "\nFlags:\n%s", fs.FlagUsages())
		}
	}
	return fs
}

// parseFlags parses args; it returns an exit code when the command must
// stop (help or a usage error).
func parseFlags(fs *pflag.FlagSet, e *env, args []string) (int, bool) {
	// pflag prints the usage to standard error itself on --help; it goes
	// to standard output, once, below.
	usage := fs.Usage
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	if err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return ExitOK, true
		}
		sayf(e, fs.Name(), "%v%s", err, flagHint(fs, err))
		return ExitUsage, true
	}
	return 0, false
}

// flagHint suggests, for an unknown flag, the flag of fs it was most
// likely meant to be: --tiemout is --timeout, and -timeout (one dash,
// read as -t) is --timeout too.
func flagHint(fs *pflag.FlagSet, err error) string {
	var names []string
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		return didYouMean(name, names, "--%s")
	}
	if _, word, ok := strings.Cut(msg, "' in -"); ok && strings.HasPrefix(msg, "unknown shorthand flag: ") {
		name, _, _ := strings.Cut(word, "=")
		if fs.Lookup(name) != nil {
			return fmt.Sprintf(" (did you mean --%s? long flags take two dashes)", name)
		}
		return didYouMean(name, names, "--%s")
	}
	return ""
}

// hostRules turns --host-map values ('*.test=127.0.0.1') into Chromium's
// --host-resolver-rules syntax.
func hostRules(maps []string) (string, error) {
	var rules []string
	for _, m := range maps {
		for _, part := range strings.Split(m, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			pat, ip, ok := strings.Cut(part, "=")
			if !ok || strings.TrimSpace(pat) == "" || strings.TrimSpace(ip) == "" {
				return "", fmt.Errorf("--host-map %q: expected PATTERN=ADDRESS, e.g. '*.test=127.0.0.1'", part)
			}
			rules = append(rules, "MAP "+strings.TrimSpace(pat)+" "+strings.TrimSpace(ip))
		}
	}
	if len(rules) == 0 {
		return "", nil
	}
	// Without this exclusion, localhost stops resolving under MAP rules.
	return strings.Join(append(rules, "EXCLUDE localhost"), ", "), nil
}

// maxFlagDuration bounds the duration flags: a run or a lab setting of
// more than a day is a typo.
const maxFlagDuration = 24 * time.Hour

// durationValue is a duration flag of at most maxFlagDuration, whose
// error says when a value is too large (pflag's says "invalid duration").
type durationValue time.Duration

func (d *durationValue) Set(s string) error {
	v, err := yamlfile.ParseDuration(s, maxFlagDuration)
	if err == yamlfile.ErrNotDuration {
		if _, ferr := strconv.ParseFloat(s, 64); ferr == nil {
			return fmt.Errorf("%w (did you mean %q?)", err, s+"s")
		}
	}
	if err != nil {
		return err
	}
	*d = durationValue(v)
	return nil
}

func (d *durationValue) String() string {
	if *d == 0 {
		return "0" // as pflag's own duration flags, whose zero default --help leaves out
	}
	return time.Duration(*d).String()
}
func (d *durationValue) Type() string { return "duration" }

// durationVar defines a duration flag (see durationValue).
func durationVar(fs *pflag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var((*durationValue)(p), name, usage)
}

// sizeValue is a size flag given in MiB and held in bytes. Zero or less
// would refuse every input file, so it is refused when parsed.
type sizeValue int64

func (s *sizeValue) Set(v string) error {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return errors.New("want a positive number of MiB")
	}
	if n > math.MaxInt64>>20 {
		return fmt.Errorf("want at most %d MiB", int64(math.MaxInt64>>20))
	}
	*s = sizeValue(n << 20)
	return nil
}

func (s *sizeValue) String() string { return strconv.FormatInt(int64(*s)>>20, 10) }
func (s *sizeValue) Type() string   { return "MiB" }

// maxSizeFlag defines --max-size, the largest input file (in bytes) of
// the commands that read runs through runfolder.Load.
func maxSizeFlag(fs *pflag.FlagSet) *int64 {
	size := int64(runfolder.DefaultMaxSize)
	fs.Var((*sizeValue)(&size), "max-size", "refuse input files larger than this many MiB (decoding needs a few times the file size in memory)")
	return &size
}
