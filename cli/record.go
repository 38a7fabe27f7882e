package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/report"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

const recordShort = `Opens Chromium with a window (or attaches to your browser with --browser-url) and
records what happens while you click through the site by hand: every request and
cookie event, like run, into the run folder DIR, and the scenario that replays your
journey, DIR/scenario.yaml. Stop with Ctrl-C, by closing the window, or with
sessiontrace record --stop -o DIR. See docs/record.md.`

// recordFlags are record's flags.
type recordFlags struct {
	out, chrome, browserURL string
	force, stop, insecure   bool
	reveal, quiet           bool
	hostMap                 []string
	keyFile, name           string
	pause                   time.Duration
}

func (f *recordFlags) define(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "out", "o", "sessiontrace-record", "run folder to write: a new or empty folder, or an earlier run folder, which the recording replaces")
	fs.BoolVar(&f.force, "force", false, "write into -o DIR even when DIR holds other files and is not a run folder (they are kept)")
	fs.BoolVar(&f.stop, "stop", false, "stop the recording that writes into -o DIR (from another terminal or a script), and wait until its files are written")
	fs.StringVar(&f.chrome, "chrome", "", "Chromium binary (default $CHROME_PATH, then chromium on PATH)")
	fs.StringVar(&f.browserURL, "browser-url", "", "record in a browser you run, started with --remote-debugging-port (http://127.0.0.1:9222 or ws://...), instead of a new Chromium window")
	fs.StringArrayVar(&f.hostMap, "host-map", nil, "resolve host names to an address in the browser, e.g. '*.test=127.0.0.1' (repeatable)")
	fs.BoolVar(&f.insecure, "insecure-certs", false, "accept invalid TLS certificates (test sites only)")
	fs.StringVar(&f.name, "name", "", "the scenario's name (default: Recorded journey on HOST)")
	durationVar(fs, &f.pause, "pause", 3*time.Second, "a pause this long on a new page makes the scenario check that page (an expect step)")
	fs.BoolVar(&f.reveal, "reveal-values", false, "store raw cookie values in the recording (never the secrets typed)")
	fs.StringVar(&f.keyFile, "fingerprint-key-file", "", "read the key of the value fingerprints from FILE (default $"+keyEnv+", else a random key)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print only the summary")
}

func recordCmd(e *env, args []string) int {
	var f recordFlags
	fs := newFlags(e, "record", "[flags] [URL]", recordShort)
	f.define(fs)
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if f.stop {
		if fs.NArg() > 0 {
			sayf(e, "record", "--stop takes no URL, got %q", fs.Args())
			return ExitUsage
		}
		return stopRecording(e, f.out)
	}
	ctx, cancel := recordContext()
	defer cancel()
	stop := newStopper()
	// The first Ctrl-C ends the recording as the user meant to; a second
	// one, or a kill (SIGTERM, SIGHUP), interrupts it: what was recorded
	// is written all the same, marked interrupted.
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sig)
	go func() {
		stopped := false
		for {
			select {
			case s := <-sig:
				if s == os.Interrupt && !stopped {
					stopped = true
					stop.stop()
					continue
				}
				cancel()
			case <-ctx.Done():
				return
			}
		}
	}()
	return recordRun(ctx, e, &f, fs.Args(), stop)
}

// recordContext is the context of a recording: cancelling it interrupts
// the recording (a kill does). Tests replace it.
var recordContext = func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }

// stopper ends a recording once, whoever asks first (Ctrl-C, record
// --stop).
type stopper struct {
	ch   chan struct{}
	once sync.Once
}

func newStopper() *stopper { return &stopper{ch: make(chan struct{})} }

func (s *stopper) stop() { s.once.Do(func() { close(s.ch) }) }

// recordRun records until stop is called (or the window closes, or ctx
// ends), then writes and reports the run folder.
func recordRun(ctx context.Context, e *env, f *recordFlags, args []string, stop *stopper) int {
	start, ok := f.check(e, args)
	if !ok {
		return ExitUsage
	}
	lock, err := takeLock(f.out, stop.stop)
	if err != nil {
		sayf(e, "record", "%v", err)
		return ExitUsage
	}
	defer lock.release()
	key, err := (&runFlags{keyFile: f.keyFile}).fingerprintKey(e)
	if err != nil {
		sayf(e, "record", "%v", err)
		return ExitUsage
	}
	rules, _ := hostRules(f.hostMap) // checked by f.check
	// The browser first: an earlier run in DIR is removed only once the
	// recording can start.
	b, err := harness.StartBrowser(ctx, harness.BrowserOptions{ExecPath: f.chrome, RemoteURL: f.browserURL,
		HostRules: rules, InsecureCerts: f.insecure, Headed: f.browserURL == ""})
	if err != nil {
		if errors.Is(err, harness.ErrNoDisplay) {
			sayf(e, "record", "%s", noDisplay)
			return ExitUsage
		}
		sayf(e, "record", "%v", err)
		return ExitFailed
	}
	defer b.Close()
	if err := os.Remove(filepath.Join(f.out, harness.RecordedScenarioFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		sayf(e, "record", "%v", err)
		return ExitFailed
	}
	if !prepareOut(e, "record", f.out, f.force) {
		return ExitFailed
	}
	if err := lock.write(); err != nil {
		sayf(e, "record", "%v", err)
		return ExitFailed
	}

	out := &recordOutput{e: e, dir: runfolder.Dir(f.out), live: !f.quiet && isTerminal(e.stdout) && e.getenv("CI") == "", quiet: f.quiet}
	lock.setStatus(out.statusJSON)
	opts := harness.RecordOptions{URL: start, Name: f.name, Pause: f.pause, Redactor: recording.NewRedactor(key, f.reveal),
		Checkpoint: out.checkpoint, Progress: out.progress, Ready: out.ready(f.out)}
	recd, err := b.Record(ctx, stop.ch, opts)
	out.endLive()
	if err != nil {
		sayf(e, "record", "%v", err)
		return ExitFailed
	}
	code := out.final(ctx, f, recd)
	lock.done(fmt.Sprintf("stopped the recording: %s (%s) into %s", words.Count(len(recd.Recording.Steps), "step", "steps"),
		recd.Recording.Status, f.out))
	return code
}

// check reads record's flags and its URL argument; a problem is said on
// standard error (then ok is false).
func (f *recordFlags) check(e *env, args []string) (start string, ok bool) {
	if len(args) > 1 {
		sayf(e, "record", "takes one URL at most, got %d arguments", len(args))
		return "", false
	}
	if len(args) == 1 {
		u, err := url.Parse(args[0])
		if err == nil && u.Scheme == "" && !strings.Contains(args[0], "/") && strings.Contains(args[0], ".") {
			// A bare host name, as typed into an address bar.
			u, err = url.Parse("https://" + args[0])
		}
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			sayf(e, "record", "URL %q: want an http or https URL, e.g. https://shop.example/login", args[0])
			return "", false
		}
		start = u.String()
	}
	if _, err := hostRules(f.hostMap); err != nil {
		sayf(e, "record", "%v", err)
		return "", false
	}
	if f.browserURL != "" {
		if _, err := harness.ParseEndpoint(f.browserURL); err != nil {
			sayf(e, "record", "%v", err)
			return "", false
		}
	} else {
		if runtime.GOOS == "linux" && e.getenv("DISPLAY") == "" && e.getenv("WAYLAND_DISPLAY") == "" {
			sayf(e, "record", "%s", noDisplay)
			return "", false
		}
		if _, err := harness.FindChrome(f.chrome); err != nil {
			sayf(e, "record", "%v", err)
			return "", false
		}
	}
	if err := runfolder.CheckOut(f.out, f.force); err != nil {
		sayf(e, "record", "-o %v", err)
		return "", false
	}
	// An earlier recording's scenario is the run folder's own (removed
	// with the earlier run); another file of that name is the user's, and
	// is not overwritten.
	sc := filepath.Join(f.out, harness.RecordedScenarioFile)
	if _, err := os.Stat(sc); err == nil && runfolder.CheckOut(f.out, false) != nil {
		sayf(e, "record", "-o %s: %s exists and %s is not a run folder: give another folder", f.out, sc, f.out)
		return "", false
	}
	return start, true
}

// noDisplay says why record cannot open a window, and what to do.
const noDisplay = `no display: record opens a Chromium window for you to click through, and this
environment has none (DISPLAY and WAYLAND_DISPLAY are empty). Run it on a desktop, under
a virtual display (xvfb-run sessiontrace record ...), or attach to a browser you started
with --remote-debugging-port=9222: sessiontrace record --browser-url http://127.0.0.1:9222 ...`

// recordOutput writes what a recording produces: its files as it goes
// (checkpoints) and at the end, and the live status on the terminal.
type recordOutput struct {
	e     *env
	dir   runfolder.Dir
	live  bool
	quiet bool

	mu      sync.Mutex
	state   harness.RecordProgress
	target  string
	ready_  bool
	printed int // steps already printed (without a live line)
	shown   bool
}

// recordingName is the recording's file in the run folder, as run names
// the recording of DIR/scenario.yaml.
var recordingName = runfolder.RecordingNames([]string{harness.RecordedScenarioFile}, []string{""})[0]

func (o *recordOutput) ready(dir string) func(harness.RecordReady) {
	return func(r harness.RecordReady) {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.target, o.ready_ = r.TargetID, true
		if !o.quiet {
			fmt.Fprintf(o.e.stdout, "Recording: click through the site in the browser window. Stop with Ctrl-C, by closing\nthe window, or with: sessiontrace record --stop -o %s\n", dir)
		}
	}
}

// progress shows the recording's state: a live line on a terminal, one
// line per new step elsewhere.
func (o *recordOutput) progress(p harness.RecordProgress) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.state = p
	if o.quiet {
		return
	}
	if o.live {
		line := fmt.Sprintf("● recording  %s  %s  %s", words.Count(p.Steps, "step", "steps"),
			words.Count(p.Requests, "request", "requests"), words.Count(p.Events, "cookie event", "cookie events"))
		if p.Last != "" {
			line += "  last: " + report.TermText(p.Last)
		}
		if len(line) > 110 {
			line = line[:107] + "..."
		}
		fmt.Fprint(o.e.stdout, "\r\x1b[K"+line)
		o.shown = true
		return
	}
	for ; o.printed < p.Steps; o.printed++ {
		if o.printed == p.Steps-1 {
			fmt.Fprintf(o.e.stdout, "step %d: %s\n", o.printed, report.TermText(p.Last))
		}
	}
}

// endLive ends the live line.
func (o *recordOutput) endLive() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.shown {
		fmt.Fprintln(o.e.stdout)
		o.shown = false
	}
}

// statusJSON is the state the lock's endpoint reports (see recordLock).
func (o *recordOutput) statusJSON() recordStatus {
	o.mu.Lock()
	defer o.mu.Unlock()
	return recordStatus{Ready: o.ready_, Target: o.target, Steps: o.state.Steps, Requests: o.state.Requests,
		Events: o.state.Events, Settled: o.state.Settled, Last: o.state.Last}
}

// checkpoint writes the recording so far: a recorder that is killed
// leaves it, marked interrupted.
func (o *recordOutput) checkpoint(r *harness.Recorded) {
	_ = o.write(r)
}

// write writes the recording, the scenario and the index.
func (o *recordOutput) write(r *harness.Recorded) error {
	var errs []error
	if err := o.dir.WriteRecording(recordingName, r.Recording); err != nil {
		errs = append(errs, err)
	}
	if r.Scenario != nil {
		err := o.dir.WriteFile(harness.RecordedScenarioFile, func(w io.Writer) error { _, err := w.Write(r.Scenario); return err })
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := o.dir.WriteIndex(recordIndex(r.Recording)); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// recordIndex is the run index of a recording by hand: one scenario.
func recordIndex(rec *recording.Recording) *recording.Index {
	ix := &recording.Index{Schema: recording.IndexSchema, Tool: "sessiontrace " + Version, Start: rec.Start, End: rec.End, Status: rec.Status}
	ix.Scenarios = []recording.IndexEntry{{Name: rec.Scenario.Name, File: rec.Scenario.File, Recording: filepath.ToSlash(recordingName),
		Status: rec.Status, Error: rec.Error, Start: rec.Start, End: rec.End, Steps: len(rec.Steps),
		Requests: len(rec.Requests), Events: len(rec.Events), Tags: rec.Scenario.Tags}}
	ix.Totals.Add(rec.Status)
	return ix
}

// final writes the run folder, prints the report, the steps and how to
// replay the journey, and returns the exit code.
func (o *recordOutput) final(ctx context.Context, f *recordFlags, r *harness.Recorded) int {
	e := o.e
	if err := o.write(r); err != nil {
		sayf(e, "record", "writing %s: %v", f.out, err)
		return ExitFailed
	}
	rec := r.Recording
	if !o.quiet {
		fmt.Fprintf(e.stdout, "Recording ended: %s.\n", r.Ended)
		o.printSteps(rec)
	}
	rf := &runFlags{out: f.out, quiet: f.quiet}
	results := []harness.Result{{Recording: rec, Path: recordingName}}
	code := rf.report(ctx, e, &suite{}, recordIndex(rec), results)
	scenario := o.dir.Path(harness.RecordedScenarioFile)
	switch {
	case errors.Is(r.ScenarioErr, harness.ErrNothingRecorded):
		sayf(e, "record", "%v: no scenario written", r.ScenarioErr)
	case r.ScenarioErr != nil:
		sayf(e, "record", "%s: %v", scenario, r.ScenarioErr)
		if code == ExitOK {
			code = ExitFailed
		}
	default:
		fmt.Fprintf(e.stdout, "scenario:   %s\n", scenario)
		fmt.Fprintf(e.stdout, "replay:     %s\n", replayLine(f, r.Env, scenario))
	}
	return code
}

// printSteps lists the recorded steps.
func (o *recordOutput) printSteps(rec *recording.Recording) {
	fmt.Fprintf(o.e.stdout, "%s recorded:\n", words.Count(len(rec.Steps), "step", "steps"))
	for _, st := range rec.Steps {
		line := fmt.Sprintf("  %2d  %s", st.Index, report.TermText(st.Detail))
		if st.As != "" {
			line += "  (as " + string(st.As) + ")"
		}
		fmt.Fprintln(o.e.stdout, line)
	}
}

// replayLine is the command that replays the recorded scenario with the
// settings of the recording.
func replayLine(f *recordFlags, env []string, scenario string) string {
	var b strings.Builder
	for _, name := range env {
		b.WriteString(name + "=... ")
	}
	b.WriteString("sessiontrace run")
	for _, m := range f.hostMap {
		b.WriteString(" --host-map " + shellQuote(m))
	}
	if f.insecure {
		b.WriteString(" --insecure-certs")
	}
	b.WriteString(" -o " + shellQuote(f.out+"-replay") + " " + shellQuote(scenario))
	return b.String()
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
