package harness

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// SuiteConfig configures a suite run.
type SuiteConfig struct {
	Browser BrowserOptions
	// Run is the template of each scenario's Options; Dir and Checkpoint
	// are set per scenario.
	Run Options
	// Out is the run folder: index.json, recordings/, screenshots/.
	Out string
	// Workers is how many scenarios run at once (each in its own browser
	// context; of one browser unless PerWorker says otherwise). Default 1.
	Workers int
	// BrowserURLs are DevTools endpoints to spread the workers over
	// (several --browser-url); empty means Browser.RemoteURL, or a local
	// Chromium.
	BrowserURLs []string
	// PerWorker says whether each worker gets a browser of its own.
	PerWorker PerWorker
	// Tool names the program in the index, e.g. "sessiontrace v0.1.0".
	Tool string
	// Retries is how many more times a failed or errored scenario is run;
	// one that passes on a retry is reported flaky. Every attempt keeps
	// its recording.
	Retries int
	// Done is called after each scenario, from the worker that ran it.
	Done func(Result)
}

// A Result is one finished scenario of a suite.
type Result struct {
	Index     int
	Scenario  *scenarios.Scenario
	Recording *recording.Recording
	// Path is where the recording was written, relative to the run folder.
	Path string
	// WriteErr is set when the recording could not be written.
	WriteErr error
	// Attempts are the paths of the earlier attempts' recordings.
	Attempts []string
	// Flaky is true when an earlier attempt failed and the last passed.
	Flaky bool
}

// RunSuite runs scenarios and writes the run folder. It returns the index
// and the results in scenario order. Every scenario gets a recording, even
// when the browser cannot start or ctx is cancelled (then the scenarios not
// started are recorded as interrupted). The error is for the run folder
// itself (it cannot be written).
func RunSuite(ctx context.Context, list []*scenarios.Scenario, cfg SuiteConfig) (*recording.Index, []Result, error) {
	if err := runfolder.Dir(cfg.Out).Create(); err != nil {
		return nil, nil, err
	}
	if cfg.Workers < 1 {
		cfg.Workers = 1
	}
	if cfg.Run.Redactor == nil {
		cfg.Run.Redactor = recording.NewRedactor(NewKey(), false)
	}
	ix := &recording.Index{Schema: recording.IndexSchema, Tool: cfg.Tool, Start: time.Now(), Status: recording.StatusPassed}
	results := make([]Result, len(list))
	names := recordingNames(list)

	bm := newPool(cfg.Browser, cfg.BrowserURLs, cfg.PerWorker)
	defer bm.close()

	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < cfg.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = runOne(ctx, bm, w, list[i], i, names[i], cfg)
				if cfg.Done != nil {
					cfg.Done(results[i])
				}
			}
		}()
	}
feed:
	for i := range list {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()

	for i, res := range results {
		if res.Recording == nil { // never started: the run was interrupted
			rec := stubRecording(list[i], recording.StatusInterrupted, "interrupted before the scenario started")
			results[i] = writeResult(cfg, i, list[i], names[i], rec)
			if cfg.Done != nil {
				cfg.Done(results[i])
			}
		}
		r := results[i].Recording
		e := recording.IndexEntry{Name: r.Scenario.Name, File: r.Scenario.File, Recording: filepath.ToSlash(results[i].Path),
			Status: r.Status, Error: r.Error, Start: r.Start, End: r.End, Steps: len(r.Steps),
			Requests: len(r.Requests), Events: len(r.Events), Tags: r.Scenario.Tags, Flaky: results[i].Flaky}
		for _, a := range results[i].Attempts {
			e.Attempts = append(e.Attempts, filepath.ToSlash(a))
		}
		ix.Scenarios = append(ix.Scenarios, e)
		ix.Totals.Add(r.Status)
		if e.Flaky {
			ix.Totals.Flaky++
		}
		if recording.Worse(r.Status, ix.Status) {
			ix.Status = r.Status
		}
	}
	ix.End = time.Now()
	return ix, results, runfolder.Dir(cfg.Out).WriteIndex(ix)
}

func runOne(ctx context.Context, bm *pool, worker int, sc *scenarios.Scenario, i int, name string, cfg SuiteConfig) Result {
	if ctx.Err() != nil {
		return writeResult(cfg, i, sc, name, stubRecording(sc, recording.StatusInterrupted, "interrupted before the scenario started"))
	}
	b, err := bm.get(ctx, worker)
	if err != nil {
		return writeResult(cfg, i, sc, name, stubRecording(sc, recording.StatusErrored, err.Error()))
	}
	opts := cfg.Run
	opts.Dir = cfg.Out
	opts.Checkpoint = func(r *recording.Recording) {
		_ = runfolder.Dir(cfg.Out).WriteRecording(name, r)
	}
	var attempts []string
	for attempt := 0; ; attempt++ {
		rec := b.Run(ctx, sc, opts)
		if rec.Status == recording.StatusErrored && !b.alive() {
			rec.Warnings = append(rec.Warnings, b.diedWarning())
			bm.discard(b)
		}
		retry := attempt < cfg.Retries && ctx.Err() == nil &&
			(rec.Status == recording.StatusFailed || rec.Status == recording.StatusErrored)
		if !retry {
			res := writeResult(cfg, i, sc, name, rec)
			res.Attempts = attempts
			res.Flaky = len(attempts) > 0 && rec.Status == recording.StatusPassed
			return res
		}
		// Keep this attempt under its own name and go again, on a live
		// browser.
		prev := runfolder.AttemptName(name, attempt+1)
		writeResult(cfg, i, sc, prev, rec)
		attempts = append(attempts, prev)
		if b, err = bm.get(ctx, worker); err != nil {
			return writeResult(cfg, i, sc, name, stubRecording(sc, recording.StatusErrored, err.Error()))
		}
	}
}

// Shard returns the scenarios of shard k of n (1 <= k <= n): the suite is
// sorted by file and name (runfolder.CompareScenarios), and every n-th scenario from the k-th on is
// taken. The same files give the same shards on every machine, and the
// shards are as even as they can be.
func Shard(list []*scenarios.Scenario, k, n int) []*scenarios.Scenario {
	sorted := slices.Clone(list)
	slices.SortStableFunc(sorted, func(a, b *scenarios.Scenario) int {
		return runfolder.CompareScenarios(a.File, a.Name, b.File, b.Name)
	})
	var out []*scenarios.Scenario
	for i, sc := range sorted {
		if i%n == k-1 {
			out = append(out, sc)
		}
	}
	return out
}

func writeResult(cfg SuiteConfig, i int, sc *scenarios.Scenario, name string, rec *recording.Recording) Result {
	return Result{Index: i, Scenario: sc, Recording: rec, Path: name, WriteErr: runfolder.Dir(cfg.Out).WriteRecording(name, rec)}
}

// stubRecording is the recording of a scenario that could not run at all.
func stubRecording(sc *scenarios.Scenario, status recording.Status, msg string) *recording.Recording {
	now := time.Now()
	return &recording.Recording{
		Schema: recording.Schema,
		Scenario: recording.ScenarioInfo{Name: sc.Name, File: sc.File, Target: sc.Target, Tags: sc.Tags,
			SessionCookies: sc.Session.Cookies, NodeHeader: sc.Session.NodeHeader},
		Start: now, End: now, Status: status, Error: msg,
		Steps: []recording.Step{}, Requests: []recording.Request{}, Events: []recording.CookieEvent{},
	}
}

// recordingNames gives each scenario its recording's name in the run
// folder.
func recordingNames(list []*scenarios.Scenario) []string {
	files, names := make([]string, len(list)), make([]string, len(list))
	for i, sc := range list {
		files[i], names[i] = sc.File, sc.Name
	}
	return runfolder.RecordingNames(files, names)
}
