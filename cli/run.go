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

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/lab"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
	"github.com/sessiontrace/sessiontrace/web"
)

const runShort = `Runs each scenario in its own browser context of a headless Chromium and writes
one recording per scenario and an index.json into the run folder. With --lab and
no PATH, runs the built-in lab suite.`

// labStarted, when set (by tests), is told about the lab run --lab starts:
// the secrets test asks it for every session value it issued.
var labStarted func(*lab.Lab)

func runCmd(e *env, args []string) int {
	fs := newFlags(e, "run", "[flags] [PATH...]", runShort)
	out := fs.StringP("out", "o", "sessiontrace-report", "run folder to write")
	workers := fs.IntP("workers", "j", runtime.NumCPU(), "scenarios to run at once (each in its own browser context of one browser)")
	shard := fs.String("shard", "", "run only shard K of N (K/N, 1-based): a stable, even share of the suite, for CI matrices")
	retries := fs.Int("retries", 0, "run a failed scenario up to N more times; one that then passes is reported flaky")
	chrome := fs.String("chrome", "", "Chromium binary (default $CHROME_PATH, then chromium on PATH)")
	browserURL := fs.String("browser-url", "", "attach to a running browser's DevTools endpoint (ws://... or http://host:port) instead of starting one")
	hostMap := fs.StringArray("host-map", nil, "resolve host names to an address in the browser, e.g. '*.test=127.0.0.1' (repeatable)")
	insecure := fs.Bool("insecure-certs", false, "accept invalid TLS certificates (test sites only)")
	timeout := fs.Duration("timeout", 2*time.Minute, "time limit of one scenario")
	stepTimeout := fs.Duration("step-timeout", 30*time.Second, "time limit of a step that sets no timeout")
	reveal := fs.Bool("reveal-values", false, "store raw cookie values in recordings (never values marked secret)")
	useLab := fs.Bool("lab", false, "start the built-in lab site for the run and point ${lab...} at it")
	labIdle := fs.Duration("lab-idle-timeout", lab.DefaultIdleTimeout, "with --lab: idle.test's server idle timeout")
	labMaxAge := fs.Duration("lab-cookie-max-age", lab.DefaultCookieMaxAge, "with --lab: expiry.test's cookie Max-Age")
	labLatency := fs.Duration("lab-latency", 0, "with --lab: latency added to every lab response")
	failOn := fs.String("fail-on", "", "exit 1 when a finding is at or above this severity (critical, high, medium, low, info)")
	junit := fs.String("junit", "", "also write a JUnit XML report to this file")
	policyFile := fs.String("policy", "", "also check the recordings against this cookie policy file (docs/policy.md); violations are POLICY-VIOLATION findings")
	quiet := fs.BoolP("quiet", "q", false, "print only the summary")
	verbose := fs.BoolP("verbose", "v", false, "print every step of every scenario, and the warnings")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	paths := fs.Args()
	if len(paths) == 0 && !*useLab {
		fmt.Fprintln(e.stderr, "sessiontrace run: no PATH given (a scenario file or folder; or --lab for the built-in lab suite)")
		return ExitUsage
	}
	list, err := loadScenarios(paths)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return ExitUsage
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stderr, "sessiontrace run: no scenario files (*.yaml, *.yml) in %v\n", paths)
		return ExitUsage
	}
	if *shard != "" {
		k, n, err := parseShard(*shard)
		if err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace run: --shard:", err)
			return ExitUsage
		}
		list = harness.Shard(list, k, n)
		if len(list) == 0 {
			fmt.Fprintf(e.stdout, "shard %s has no scenarios\n", *shard)
		}
	}
	if *workers < 1 || *retries < 0 {
		fmt.Fprintln(e.stderr, "sessiontrace run: --workers must be at least 1 and --retries at least 0")
		return ExitUsage
	}
	var threshold analysis.Severity
	if *failOn != "" {
		if threshold, err = analysis.ParseSeverity(*failOn); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace run: --fail-on:", err)
			return ExitUsage
		}
	}
	pol, ok := policyFlag(e, *policyFile)
	if !ok {
		return ExitUsage
	}
	rules, err := hostRules(*hostMap)
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run:", err)
		return ExitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg := harness.SuiteConfig{
		Browser: harness.BrowserOptions{ExecPath: *chrome, RemoteURL: *browserURL, HostRules: rules, InsecureCerts: *insecure},
		Run: harness.Options{Timeout: *timeout, StepTimeout: *stepTimeout,
			Redactor: recording.NewRedactor(harness.NewKey(), *reveal),
			Resolver: scenarios.Resolver{Env: e.lookupEnv}},
		Out: *out, Workers: *workers, Tool: "sessiontrace " + Version, Retries: *retries,
	}
	if *useLab {
		l, err := lab.Start(lab.Config{IdleTimeout: *labIdle, CookieMaxAge: *labMaxAge, Latency: *labLatency})
		if err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace run: starting the lab:", err)
			return ExitFailed
		}
		defer l.Close()
		if labStarted != nil {
			labStarted(l)
		}
		cfg.Run.Resolver.Lab = l.Var
		cfg.Browser.TrustSPKI = []string{l.SPKIHash()}
		// The lab's hosts are .test names on 127.0.0.1: mapping them in
		// the browser keeps real name semantics (Secure, SameSite).
		labRule := "MAP *.test " + l.Addr()
		if rules == "" {
			cfg.Browser.HostRules = labRule + ", EXCLUDE localhost"
		} else {
			cfg.Browser.HostRules = labRule + ", " + rules
		}
		if !*quiet {
			fmt.Fprintf(e.stdout, "lab: %s (https) and %s (http)\n", l.URL(""), l.HTTPURL(""))
		}
	}
	if *browserURL == "" {
		if _, err := harness.FindChrome(*chrome); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace run:", err)
			return ExitUsage
		}
	}

	prog := newProgress(e, len(list), *workers, *quiet, *verbose)
	cfg.Done = prog.done
	ix, results, err := harness.RunSuite(ctx, list, cfg)
	prog.finish()
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run: writing the run folder:", err)
		return ExitFailed
	}
	code := ExitOK
	for _, r := range results {
		if r.WriteErr != nil {
			fmt.Fprintf(e.stderr, "sessiontrace run: writing %s: %v\n", r.Path, r.WriteErr)
			code = ExitFailed
		}
	}
	// The findings: printed, written beside the index for tools and the
	// inspector, and as JUnit when asked.
	recs := make([]loaded, len(results))
	for i, r := range results {
		recs[i] = loaded{rec: r.Recording, path: filepath.Join(*out, r.Path)}
	}
	rep := analysis.AnalyzeAll(recordingsOf(recs))
	pol.Apply(rep, recordingsOf(recs))
	if !*quiet {
		fmt.Fprintln(e.stdout)
		writeText(e.stdout, recs, rep, colorFor(e, e.stdout), threshold)
	}
	if err := writeReportFile(filepath.Join(*out, "findings.json"), func(w io.Writer) error { return writeJSON(w, rep) }); err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run:", err)
		code = ExitFailed
	}
	// The inspector beside the run, so any static server (or a CI
	// artifact viewer) shows it without the CLI.
	if err := web.WriteInspector(*out); err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run: writing the inspector:", err)
		code = ExitFailed
	}
	if *junit != "" {
		if err := writeReportFile(*junit, func(w io.Writer) error { return writeJUnit(w, recs, rep, threshold) }); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace run:", err)
			code = ExitFailed
		}
	}
	t := ix.Totals
	flaky := ""
	if t.Flaky > 0 {
		flaky = fmt.Sprintf(" (%d flaky)", t.Flaky)
	}
	fmt.Fprintf(e.stdout, "\n%d scenarios: %d passed%s, %d failed, %d errored, %d interrupted (%s)\n",
		len(ix.Scenarios), t.Passed, flaky, t.Failed, t.Errored, t.Interrupted, ix.End.Sub(ix.Start).Round(time.Millisecond))
	fmt.Fprintf(e.stdout, "recordings: %s\n", filepath.Join(*out, "recordings"))
	fmt.Fprintf(e.stdout, "index:      %s\n", filepath.Join(*out, "index.json"))
	fmt.Fprintf(e.stdout, "findings:   %s\n", filepath.Join(*out, "findings.json"))
	fmt.Fprintf(e.stdout, "inspector:  sessiontrace serve %s   (or open %s from any web server)\n", *out, filepath.Join(*out, "index.html"))
	switch {
	case ctx.Err() != nil:
		code = ExitInterrupted
	case t.Failed+t.Errored+t.Interrupted > 0:
		code = ExitFailed
	case threshold != "" && rep.CountAtLeast(threshold) > 0:
		if *quiet {
			fmt.Fprintf(e.stdout, "%d findings at or above %s\n", rep.CountAtLeast(threshold), threshold)
		}
		code = ExitFailed
	}
	sum := newSummary(ix, rep, code, *shard)
	if err := writeReportFile(filepath.Join(*out, "summary.json"), func(w io.Writer) error { return writeJSON(w, sum) }); err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace run:", err)
		if code == ExitOK {
			code = ExitFailed
		}
	}
	return code
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

func resultLine(n, total int, res harness.Result) string {
	r := res.Recording
	label := map[recording.Status]string{
		recording.StatusPassed: "PASS", recording.StatusFailed: "FAIL",
		recording.StatusErrored: "ERROR", recording.StatusInterrupted: "STOP",
	}[r.Status]
	if label == "" {
		label = string(r.Status)
	}
	line := fmt.Sprintf("[%d/%d] %-5s %s  (%d steps, %d requests, %d cookie events, %s)  %s",
		n, total, label, termText(r.Scenario.Name), len(r.Steps), len(r.Requests), len(r.Events),
		r.End.Sub(r.Start).Round(time.Millisecond), res.Path)
	if r.Error != "" {
		line += "\n        " + termText(r.Error)
	}
	for _, w := range r.Warnings {
		line += "\n        warning: " + termText(w)
	}
	return line
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
			return nil, fmt.Errorf("sessiontrace: %s: %w", p, errors.Unwrap(err))
		}
	}
	return scenarios.Load(paths...)
}
