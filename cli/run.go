package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/lab"
	"github.com/sessiontrace/sessiontrace/policy"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/report"
	"github.com/sessiontrace/sessiontrace/runfolder"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

const runShort = `Runs each scenario in its own browser context of a headless Chromium and writes
one recording per scenario and an index.json into the run folder. With --lab and
no PATH, runs the built-in lab suite.`

// labStarted, when set (by tests), is told about the lab run --lab starts:
// the secrets test asks it for every session value it issued.
var labStarted func(*lab.Lab)

// runFlags are run's flags.
type runFlags struct {
	out                       string
	workers, retries          int
	shard                     string
	chrome                    string
	browserURLs               []string
	perWorker, perWorkerSet   bool
	hostMap                   []string
	insecure, reveal          bool
	timeout, stepTimeout      time.Duration
	lab                       bool
	labPorts                  string
	labIdle, labMaxAge        time.Duration
	labLatency                time.Duration
	failOn, junit, policyFile string
	keyFile                   string
	quiet, verbose, force     bool
}

func (f *runFlags) define(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "out", "o", "sessiontrace-report", "run folder to write: a new or empty folder, or an earlier run folder, which the run replaces")
	fs.BoolVar(&f.force, "force", false, "write the run into -o DIR even when DIR holds other files and is not a run folder (they are kept)")
	fs.IntVarP(&f.workers, "workers", "j", runtime.NumCPU(), "scenarios to run at once (each in its own browser context of one browser)")
	fs.StringVar(&f.shard, "shard", "", "run only shard K of N (K/N, 1-based): a stable, even share of the suite, for CI matrices")
	fs.IntVar(&f.retries, "retries", 0, "run a failed scenario up to N more times; one that then passes is reported flaky")
	fs.StringVar(&f.chrome, "chrome", "", "Chromium binary (default $CHROME_PATH, then chromium on PATH)")
	fs.StringArrayVar(&f.browserURLs, "browser-url", nil, "attach to a running browser's or browser pool's DevTools endpoint (ws://... or http://host:port, query kept: ?token=...) instead of starting one; repeat to spread the workers over several")
	fs.BoolVar(&f.perWorker, "browser-per-worker", false, "give each worker a browser of its own (a connection each with --browser-url); default: when the endpoint hands out a browser per connection")
	fs.StringArrayVar(&f.hostMap, "host-map", nil, "resolve host names to an address in the browser, e.g. '*.test=127.0.0.1' (repeatable)")
	fs.BoolVar(&f.insecure, "insecure-certs", false, "accept invalid TLS certificates (test sites only)")
	durationVar(fs, &f.timeout, "timeout", 2*time.Minute, "time limit of one scenario")
	durationVar(fs, &f.stepTimeout, "step-timeout", 30*time.Second, "time limit of a step that sets no timeout")
	fs.BoolVar(&f.reveal, "reveal-values", false, "store raw cookie values in recordings (never values marked secret)")
	fs.StringVar(&f.keyFile, "fingerprint-key-file", "", "read the key of the value fingerprints from FILE (16+ bytes; default $"+keyEnv+", else a random key per run): shards and runs with the same key compare session IDs")
	fs.BoolVar(&f.lab, "lab", false, "start the built-in lab site for the run and point ${lab...} at it")
	fs.StringVar(&f.labPorts, "lab-ports", "", "against a lab started by hand (sessiontrace lab): its HTTPS and HTTP ports, HTTPS,HTTP (8443,8080 by default there), for ${lab...}; with --host-map '*.test=127.0.0.1' --insecure-certs")
	durationVar(fs, &f.labIdle, "lab-idle-timeout", lab.DefaultIdleTimeout, "with --lab: idle.test's server idle timeout")
	durationVar(fs, &f.labMaxAge, "lab-cookie-max-age", lab.DefaultCookieMaxAge, "with --lab: expiry.test's cookie Max-Age")
	durationVar(fs, &f.labLatency, "lab-latency", 0, "with --lab: latency added to every lab response")
	fs.StringVar(&f.failOn, "fail-on", "", "exit 1 when a finding is at or above this severity (critical, high, medium, low, info)")
	fs.StringVar(&f.junit, "junit", "", "also write a JUnit XML report to this file")
	fs.StringVar(&f.policyFile, "policy", "", "also check the recordings against this cookie policy file (docs/policy.md); violations are POLICY-VIOLATION findings")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print only the summary")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "print every step of every scenario, and the warnings")
}

// A suite is what run runs, from its flags and arguments.
type suite struct {
	list      []*scenarios.Scenario
	threshold analysis.Severity
	policy    *policy.Policy
	cfg       harness.SuiteConfig
}

func runCmd(e *env, args []string) int {
	var f runFlags
	fs := newFlags(e, "run", "[flags] [PATH...]", runShort)
	f.define(fs)
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	f.perWorkerSet = fs.Changed("browser-per-worker")
	s, ok := f.suite(e, fs.Args())
	if !ok {
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if f.lab {
		l, err := f.startLab(e, &s.cfg)
		if err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace run: starting the lab:", err)
			return ExitFailed
		}
		defer l.Close()
	}
	if len(f.browserURLs) == 0 {
		if _, err := harness.FindChrome(f.chrome); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace run:", err)
			return ExitUsage
		}
	}
	if !prepareOut(e, "run", f.out, f.force) {
		return ExitFailed
	}
	prog := newProgress(e, len(s.list), f.workers, f.quiet, f.verbose)
	s.cfg.Done = prog.done
	ix, results, err := harness.RunSuite(ctx, s.list, s.cfg)
	prog.finish()
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run: writing the run folder:", err)
		return ExitFailed
	}
	return f.report(ctx, e, s, ix, results)
}

// suite reads the scenarios and checks the flags; a problem is said on
// standard error (then ok is false: a usage error).
func (f *runFlags) suite(e *env, paths []string) (s *suite, ok bool) {
	if len(paths) == 0 && !f.lab && f.labPorts == "" {
		fmt.Fprintln(e.stderr, "sessiontrace run: no PATH given (a scenario file or folder; or --lab for the built-in lab suite)")
		return nil, false
	}
	labVar, ok := f.labResolver(e)
	if !ok {
		return nil, false
	}
	list, err := loadScenarios(paths)
	if err != nil {
		listErrors(e, "run", err, false)
		return nil, false
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stderr, "sessiontrace run: no scenario files (*.yaml, *.yml) in %v\n", paths)
		return nil, false
	}
	if f.shard != "" {
		k, n, err := parseShard(f.shard)
		if err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace run: --shard:", err)
			return nil, false
		}
		list = harness.Shard(list, k, n)
		if len(list) == 0 {
			fmt.Fprintf(e.stdout, "shard %s has no scenarios\n", f.shard)
		}
	}
	if err := runfolder.CheckOut(f.out, f.force); err != nil {
		fmt.Fprintf(e.stderr, "sessiontrace run: -o %v\n", err)
		return nil, false
	}
	if f.workers < 1 || f.retries < 0 {
		fmt.Fprintln(e.stderr, "sessiontrace run: --workers must be at least 1 and --retries at least 0")
		return nil, false
	}
	if !f.lab && labVar == nil {
		for _, sc := range list {
			if err := sc.NeedsLab(); err != nil {
				listErrors(e, "run", err, false)
				return nil, false
			}
		}
	}
	s = &suite{list: list}
	if s.threshold, ok = failOnFlag(e, "run", f.failOn); !ok {
		return nil, false
	}
	if s.policy, ok = policyFlag(e, "run", f.policyFile); !ok {
		return nil, false
	}
	rules, err := hostRules(f.hostMap)
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run:", err)
		return nil, false
	}
	for _, u := range f.browserURLs {
		if _, err := harness.ParseEndpoint(u); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace run:", err)
			return nil, false
		}
	}
	perWorker := harness.PerWorkerAuto
	switch {
	case f.perWorkerSet && f.perWorker:
		perWorker = harness.PerWorkerYes
	case f.perWorkerSet:
		perWorker = harness.PerWorkerNo
	}
	key, err := f.fingerprintKey(e)
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run:", err)
		return nil, false
	}
	s.cfg = harness.SuiteConfig{
		Browser:     harness.BrowserOptions{ExecPath: f.chrome, HostRules: rules, InsecureCerts: f.insecure, BusyWait: f.timeout},
		BrowserURLs: f.browserURLs, PerWorker: perWorker,
		Run: harness.Options{Timeout: f.timeout, StepTimeout: f.stepTimeout,
			Redactor: recording.NewRedactor(key, f.reveal),
			Resolver: scenarios.Resolver{Env: e.lookupEnv, Lab: labVar}},
		Out: f.out, Workers: f.workers, Tool: "sessiontrace " + Version, Retries: f.retries,
	}
	return s, true
}

// labResolver reads --lab-ports: the ${lab...} values of a lab started by
// hand (nil without the flag). A bad value is said on standard error
// (then ok is false).
func (f *runFlags) labResolver(e *env) (func(string) (string, bool), bool) {
	if f.labPorts == "" {
		return nil, true
	}
	if f.lab {
		fmt.Fprintln(e.stderr, "sessiontrace run: --lab-ports is for a lab started by hand (sessiontrace lab); --lab starts a lab of its own: give one of them")
		return nil, false
	}
	hs, ps, ok := strings.Cut(f.labPorts, ",")
	https, err1 := strconv.Atoi(strings.TrimSpace(hs))
	http, err2 := strconv.Atoi(strings.TrimSpace(ps))
	if !ok || err1 != nil || err2 != nil || https < 1 || https > 65535 || http < 1 || http > 65535 {
		fmt.Fprintf(e.stderr, "sessiontrace run: --lab-ports %q: want the lab's HTTPS and HTTP ports, HTTPS,HTTP, e.g. 8443,8080 (what sessiontrace lab prints)\n", f.labPorts)
		return nil, false
	}
	return func(key string) (string, bool) { return lab.VarAt(key, https, http) }, true
}

// keyEnv names the environment variable that holds the fingerprint key
// when --fingerprint-key-file is not given.
const keyEnv = "SESSIONTRACE_FINGERPRINT_KEY"

// fingerprintKey is the key of the value fingerprints: from
// --fingerprint-key-file, else $SESSIONTRACE_FINGERPRINT_KEY, else random.
// It is never printed: recordings name it by its ID only.
func (f *runFlags) fingerprintKey(e *env) ([]byte, error) {
	if f.keyFile != "" {
		data, err := os.ReadFile(f.keyFile)
		if err != nil {
			return nil, fmt.Errorf("--fingerprint-key-file: %w", err)
		}
		key, err := harness.KeyFromSecret(data)
		if err != nil {
			return nil, fmt.Errorf("--fingerprint-key-file %s: %w", f.keyFile, err)
		}
		return key, nil
	}
	if v, ok := e.lookupEnv(keyEnv); ok {
		key, err := harness.KeyFromSecret([]byte(v))
		if err != nil {
			return nil, fmt.Errorf("$%s: %w", keyEnv, err)
		}
		return key, nil
	}
	return harness.NewKey(), nil
}

// startLab starts the lab for --lab and points the suite at it: ${lab...}
// variables, its certificate, and its .test hosts mapped in the browser.
func (f *runFlags) startLab(e *env, cfg *harness.SuiteConfig) (*lab.Lab, error) {
	l, err := lab.Start(lab.Config{IdleTimeout: f.labIdle, CookieMaxAge: f.labMaxAge, Latency: f.labLatency})
	if err != nil {
		return nil, err
	}
	if labStarted != nil {
		labStarted(l)
	}
	cfg.Run.Resolver.Lab = l.Var
	cfg.Browser.TrustSPKI = []string{l.SPKIHash()}
	// The lab's hosts are .test names on 127.0.0.1: mapping them in the
	// browser keeps real name semantics (Secure, SameSite).
	labRule := "MAP *.test " + l.Addr()
	if cfg.Browser.HostRules == "" {
		cfg.Browser.HostRules = labRule + ", EXCLUDE localhost"
	} else {
		cfg.Browser.HostRules = labRule + ", " + cfg.Browser.HostRules
	}
	if !f.quiet {
		fmt.Fprintf(e.stdout, "lab: %s (https) and %s (http)\n", l.URL(""), l.HTTPURL(""))
	}
	return l, nil
}

// report analyses the suite's recordings, prints the findings and the
// totals, writes the rest of the run folder (findings.json, the
// inspector, summary.json) and --junit, and returns the exit code.
func (f *runFlags) report(ctx context.Context, e *env, s *suite, ix *recording.Index, results []harness.Result) int {
	code := ExitOK
	for _, r := range results {
		if r.WriteErr != nil {
			fmt.Fprintf(e.stderr, "sessiontrace run: writing %s: %v\n", r.Path, r.WriteErr)
			code = ExitFailed
		}
	}
	recs := make([]runfolder.Loaded, len(results))
	for i, r := range results {
		recs[i] = runfolder.Loaded{Recording: r.Recording, Path: filepath.Join(f.out, r.Path)}
	}
	rep := analyse(recs, s.policy)
	in := &report.Input{Recordings: recs, Report: rep, Threshold: s.threshold, Color: colorFor(e, e.stdout), Version: Version}
	if !f.quiet {
		fmt.Fprintln(e.stdout)
		report.Text.Write(e.stdout, in)
	}
	if !f.writeReports(e, rep, in) {
		code = ExitFailed
	}
	t := ix.Totals
	if f.quiet {
		printNotPassed(e, ix)
	}
	printTotals(e, f.out, ix)
	switch {
	case ctx.Err() != nil:
		code = ExitInterrupted
	case suiteExit(ix, rep, s.threshold) != ExitOK:
		// Findings reached --fail-on: the text report says how many, and
		// -q did not print it.
		if f.quiet && t.Failed+t.Errored+t.Interrupted == 0 {
			fmt.Fprintf(e.stdout, "%s at or above %s\n", words.Count(rep.CountAtLeast(s.threshold), "finding", "findings"), s.threshold)
		}
		code = ExitFailed
	}
	if err := runfolder.Dir(f.out).WriteSummary(runfolder.NewSummary(ix, rep, runfolder.Recordings(recs), code, f.shard)); err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run:", err)
		if code == ExitOK {
			code = ExitFailed
		}
	}
	return code
}

// writeReports writes findings.json and the inspector into the run
// folder, and --junit; a failure is said on standard error (then ok is
// false).
func (f *runFlags) writeReports(e *env, rep *analysis.Report, in *report.Input) (ok bool) {
	ok = true
	dir := runfolder.Dir(f.out)
	if err := dir.WriteFindings(rep); err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run:", err)
		ok = false
	}
	// The inspector beside the run, so any static server (or a CI
	// artifact viewer) shows it without the CLI.
	if err := dir.WriteInspector(); err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run: writing the inspector:", err)
		ok = false
	}
	if f.junit != "" {
		if err := writeReportFile(f.junit, func(w io.Writer) error { return report.JUnit.Write(w, in) }); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace run:", err)
			ok = false
		}
	}
	return ok
}

// printTotals prints the suite's totals and where the run folder's files
// are.
func printTotals(e *env, out string, ix *recording.Index) {
	t := ix.Totals
	flaky := ""
	if t.Flaky > 0 {
		flaky = fmt.Sprintf(" (%d flaky)", t.Flaky)
	}
	dir := runfolder.Dir(out)
	fmt.Fprintf(e.stdout, "\n%s: %d passed%s, %d failed, %d errored, %d interrupted (%s)\n",
		words.Count(len(ix.Scenarios), "scenario", "scenarios"), t.Passed, flaky, t.Failed, t.Errored, t.Interrupted, ix.End.Sub(ix.Start).Round(time.Millisecond))
	fmt.Fprintf(e.stdout, "recordings: %s\n", dir.Path(runfolder.RecordingsDir))
	fmt.Fprintf(e.stdout, "index:      %s\n", dir.Path(runfolder.IndexFile))
	fmt.Fprintf(e.stdout, "findings:   %s\n", dir.Path(runfolder.FindingsFile))
	fmt.Fprintf(e.stdout, "inspector:  sessiontrace serve %s   (or open %s from any web server)\n", out, dir.Path("index.html"))
}

// printNotPassed names each scenario that failed, errored or was stopped,
// and why: -q prints no report, and a CI log must still say what broke.
func printNotPassed(e *env, ix *recording.Index) {
	for _, s := range ix.Scenarios {
		if s.Status != recording.StatusPassed {
			fmt.Fprintf(e.stdout, "%s  %s: %s\n", statusLabel[s.Status], report.TermText(s.Name), report.TermText(s.Error))
		}
	}
}

// suiteExit is the exit code of a suite that ran to its end: 1 when a
// scenario did not pass or a finding reached the threshold.
func suiteExit(ix *recording.Index, rep *analysis.Report, threshold analysis.Severity) int {
	t := ix.Totals
	if t.Failed+t.Errored+t.Interrupted > 0 || threshold != "" && rep.CountAtLeast(threshold) > 0 {
		return ExitFailed
	}
	return ExitOK
}

// prepareOut empties the run folder out of an earlier run's files
// (runfolder.Prepare) and notes the files it keeps; a failure is said on
// standard error (then ok is false).
func prepareOut(e *env, cmd, out string, force bool) (ok bool) {
	kept, err := runfolder.Prepare(out, force)
	if err != nil {
		fmt.Fprintf(e.stderr, "sessiontrace %s: -o %v\n", cmd, err)
		return false
	}
	if len(kept) > 0 {
		fmt.Fprintf(e.stderr, "sessiontrace %s: note: %s also holds %s, which %s not the run's: left as %s\n",
			cmd, out, strings.Join(kept, ", "), words.Plural(len(kept), "is", "are"), words.Plural(len(kept), "it is", "they are"))
	}
	return true
}

// parseShard reads "K/N" with 1 <= K <= N.
func parseShard(s string) (k, n int, err error) {
	ks, ns, ok := strings.Cut(s, "/")
	if ok {
		k, err = strconv.Atoi(strings.TrimSpace(ks))
		if err == nil {
			n, err = strconv.Atoi(strings.TrimSpace(ns))
		}
	}
	if !ok || err != nil || n < 1 || k < 1 || k > n {
		return 0, 0, fmt.Errorf("%q: expected K/N with 1 <= K <= N, e.g. 2/4 (in a Kubernetes Indexed Job: $((JOB_COMPLETION_INDEX+1))/N)", s)
	}
	return k, n, nil
}

// writeReportFile writes a file the user named (--junit).
func writeReportFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// loadScenarios loads PATHs, or the built-in lab suite when there are none.
func loadScenarios(paths []string) ([]*scenarios.Scenario, error) {
	if len(paths) == 0 {
		sub, err := fs.Sub(scenarios.LabSuite, "lab")
		if err != nil {
			return nil, err
		}
		return scenarios.LoadFS(sub, ".")
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%s: %w", p, errors.Unwrap(err))
		}
	}
	return scenarios.Load(paths...)
}
