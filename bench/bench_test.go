package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/proctest"
	"github.com/sessiontrace/sessiontrace/lab"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// chosen are the lab scenarios the benchmarks run: deterministic under
// concurrency (not cluster.yaml, whose round robin is shared by every
// client) and with no waits of seconds (not idle.yaml, expiry.yaml). The
// Playwright side (playwright/journeys.mjs) has one function per name.
var chosen = []string{"correct", "fixation", "logout-keep", "mixed", "scope", "urlsession", "script", "resetcode"}

// expectedFindings is, for each chosen scenario but correct.yaml (which has
// none), one finding (low or above) that docs/lab.md's table promises: the
// sessiontrace side must not only pass its steps but also record what the
// lab does.
var expectedFindings = map[string]string{
	"fixation":    analysis.RuleSessionFixation,
	"logout-keep": analysis.RuleSessionNotInvalidated,
	"mixed":       analysis.RuleMixedSchemeLink,
	"scope":       analysis.RuleSessionReset,
	"urlsession":  analysis.RuleSessIDInURL,
	"script":      analysis.RuleSessIDInPage,
	"resetcode":   analysis.RuleSessionReset,
}

// vsPlaywrightWorkers is the worker count of both sides of
// BenchmarkVsPlaywright: a CI job's usual -j.
const vsPlaywrightWorkers = 4

// BenchmarkVsPlaywright runs the chosen lab journeys (each twice, 16
// journeys, 4 workers) alternately as a sessiontrace suite
// (harness.RunSuite: a recording per journey written to disk, then the
// analysis, as `sessiontrace run` does) and as a Playwright script (node
// playwright/journeys.mjs), both against the same in-process lab and both
// timed from before the browser starts to after it has closed. Every
// journey declares the logout probe, as real suites do, and both sides
// run it (and the login probe) the same way: a plain HTTP replay of the
// cookies held. Playwright runs in two ways: one browser with a context
// per journey (as sessiontrace), and one browser per worker (as
// Playwright Test's runner). Reported: the medians, the ratio
// sessiontrace/playwright against the faster Playwright way (target
// ≤ 0.75), and against Playwright's whole process (node's start
// included); and the CPU time per journey of each side, split for
// sessiontrace into the Go process and Chromium.
func BenchmarkVsPlaywright(b *testing.B) {
	chrome := needChrome(b)
	needPlaywright(b)
	l := startLab(b, 0)
	list := repeat(loadChosen(b), 2*len(chosen))
	const w = vsPlaywrightWorkers
	var st, pw1, pwN, pwProc []time.Duration
	var stGo, stChrome, pwCPU []time.Duration
	sides := []func(){
		func() {
			c0 := cpuNow()
			d, rep := runSessiontrace(b, l, list, w, nil)
			c1 := cpuNow()
			checkFindings(b, list, rep)
			st = append(st, d)
			stGo, stChrome = append(stGo, c1.self-c0.self), append(stChrome, c1.children-c0.children)
		},
		func() {
			c0 := cpuNow()
			in, proc := runPlaywright(b, l, chrome, w, len(list)/len(chosen), false)
			pw1, pwProc = append(pw1, in), append(pwProc, proc)
			pwCPU = append(pwCPU, cpuNow().children-c0.children)
		},
		func() {
			in, _ := runPlaywright(b, l, chrome, w, len(list)/len(chosen), true)
			pwN = append(pwN, in)
		},
	}
	for _, side := range sides { // warm up: page cache, node's module cache
		side()
	}
	st, pw1, pwN, pwProc = nil, nil, nil, nil
	stGo, stChrome, pwCPU = nil, nil, nil
	for i := 0; b.Loop(); i++ {
		// Rotate which side goes first, so that a busy moment of the
		// machine hits every side alike.
		for k := range sides {
			sides[(i+k)%len(sides)]()
		}
	}
	ms, m1, mN, mp := median(st), median(pw1), median(pwN), median(pwProc)
	best := min(m1, mN)
	b.ReportMetric(msec(ms), "ms/sessiontrace")
	b.ReportMetric(msec(m1), "ms/playwright")
	b.ReportMetric(msec(mN), "ms/playwright-browser-per-worker")
	b.ReportMetric(msec(mp), "ms/playwright-process")
	b.ReportMetric(float64(ms)/float64(best), "ratio")
	b.ReportMetric(float64(ms)/float64(mp), "ratio-vs-process")
	n := float64(len(list))
	b.ReportMetric(msec(median(stGo))/n, "cpu-ms/journey-sessiontrace-go")
	b.ReportMetric(msec(median(stChrome))/n, "cpu-ms/journey-sessiontrace-chromium")
	b.ReportMetric(msec(median(pwCPU))/n, "cpu-ms/journey-playwright-node+chromium")
	if r := float64(ms) / float64(best); r > 0.75 {
		b.Logf("target missed: sessiontrace/playwright = %.2f (target ≤ 0.75)", r)
	}
}

// cpu is the CPU time (user and system) of this process and of its
// children that have ended (a browser the harness started and closed, the
// node process of the Playwright side and its browser).
type cpu struct{ self, children time.Duration }

func cpuNow() cpu {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return cpu{self: tv(self.Utime) + tv(self.Stime), children: tv(children.Utime) + tv(children.Stime)}
}

// BenchmarkScaling measures the throughput of a 24-journey suite (the
// chosen scenarios three times) with 1, 2, 4 and 8 workers, alternating the
// worker counts within each round, with no added latency and with 100 ms of
// lab latency per response. Reported per worker count: journeys/s (median),
// the ratio to 1 worker (target with latency: 4 workers ≥ 2.5×), and from
// one more, untimed run per worker count (see pssInterval) the peak PSS of
// Chromium (the sum over its processes) and the peak RSS of the Go process
// (VmHWM; the process also serves the lab).
func BenchmarkScaling(b *testing.B) {
	needChrome(b)
	for _, latency := range []time.Duration{0, 100 * time.Millisecond} {
		b.Run("latency="+latency.String(), func(b *testing.B) {
			l := startLab(b, latency)
			list := repeat(loadChosen(b), 3*len(chosen))
			workers := []int{1, 2, 4, 8}
			walls := make([][]time.Duration, len(workers))
			for i := 0; b.Loop(); i++ {
				for k := range workers {
					j := (i + k) % len(workers) // rotate which count goes first
					d, _ := runSessiontrace(b, l, list, workers[j], nil)
					walls[j] = append(walls[j], d)
				}
			}
			base := throughput(len(list), median(walls[0]))
			var goPeak int64
			for j, w := range workers {
				tp := throughput(len(list), median(walls[j]))
				b.ReportMetric(tp, fmt.Sprintf("journeys/s-w%d", w))
				if w > 1 {
					b.ReportMetric(tp/base, fmt.Sprintf("x-w%d", w))
				}
				s := startSampler(nil, true)
				runSessiontrace(b, l, list, w, nil)
				peak := s.stop()
				b.ReportMetric(mib(peak.chromePSS), fmt.Sprintf("chromium-PSS-MiB-w%d", w))
				goPeak = max(goPeak, peak.goRSS)
			}
			b.ReportMetric(mib(goPeak), "go-MiB")
			if x := throughput(len(list), median(walls[2])) / base; latency > 0 && x < 2.5 {
				b.Logf("target missed: 4 workers = %.2f× 1 worker (target ≥ 2.5×)", x)
			}
		})
	}
}

// BenchmarkSuite200 runs 200 scenarios (the chosen ones repeated) with 4
// workers: every one must pass, memory must stay bounded (the peak of
// Chromium's RSS sum in the second half of the suite is compared with the
// first half) and no Chromium process may be left afterwards.
func BenchmarkSuite200(b *testing.B) {
	needChrome(b)
	l := startLab(b, 0)
	list := repeat(loadChosen(b), 200)
	const workers = 4
	var walls []time.Duration
	var peak memPeak
	var growth float64
	for b.Loop() {
		if left := ourChromium(); len(left) > 0 {
			b.Fatalf("%d Chromium processes of this test run before the suite: %v", len(left), left)
		}
		var done sync.Mutex
		n := 0
		progress := func() int { done.Lock(); defer done.Unlock(); return n }
		s := startSampler(progress, true)
		d, _ := runSessiontrace(b, l, list, workers, func(harness.Result) { done.Lock(); n++; done.Unlock() })
		peak = peak.max(s.stop())
		walls = append(walls, d)
		b.Logf("suite: %s; sampling took %.1f%% of a core", d.Round(time.Millisecond), 100*s.overhead())
		// Memory bounded: the second half of the suite needs no more than
		// the first half (plus noise), i.e. nothing accumulates per scenario.
		first, second := s.peakBetween(0, len(list)/2), s.peakBetween(len(list)/2, len(list)+1)
		if first > 0 {
			growth = max(growth, float64(second)/float64(first))
		}
		if second > first*3/2+200<<20 {
			b.Fatalf("Chromium memory grows along the suite: peak RSS sum %.0f MiB in the first half, %.0f MiB in the second", mib(first), mib(second))
		}
		if left := waitNoChromium(10 * time.Second); len(left) > 0 {
			b.Fatalf("%d Chromium processes left after the suite: %v", len(left), left)
		}
	}
	m := median(walls)
	b.ReportMetric(m.Seconds(), "s/suite")
	b.ReportMetric(throughput(len(list), m), "journeys/s")
	b.ReportMetric(mib(peak.chromePSS), "chromium-PSS-MiB")
	b.ReportMetric(mib(peak.chromeRSS), "chromium-RSS-sum-MiB")
	b.ReportMetric(float64(peak.chromeProcs), "chromium-procs")
	b.ReportMetric(mib(peak.goRSS), "go-MiB")
	b.ReportMetric(growth, "rss-2nd/1st-half")
	b.ReportMetric(0, "leaked-procs") // else it failed above
}

// BenchmarkContextsVsBrowsers compares the two ways of running W=4
// scenarios at once on the 24-journey suite: W browser contexts in one
// Chromium (what harness.RunSuite does) against W Chromium processes (W
// RunSuite calls with one worker each, on a round-robin partition of the
// suite, run concurrently). Alternating, medians; with and without lab
// latency. Reported: wall medians, the ratio browsers/contexts (above 1:
// one browser is faster) and, from one more untimed run of each, each
// side's peak Chromium PSS.
func BenchmarkContextsVsBrowsers(b *testing.B) {
	needChrome(b)
	const workers = 4
	for _, latency := range []time.Duration{0, 100 * time.Millisecond} {
		b.Run("latency="+latency.String(), func(b *testing.B) {
			l := startLab(b, latency)
			list := repeat(loadChosen(b), 3*len(chosen))
			contexts := func() time.Duration {
				d, _ := runSessiontrace(b, l, list, workers, nil)
				return d
			}
			browsers := func() time.Duration {
				parts := make([][]*scenarios.Scenario, workers)
				for i, sc := range list {
					parts[i%workers] = append(parts[i%workers], sc)
				}
				t0 := time.Now()
				errs := make([]error, workers)
				var wg sync.WaitGroup
				for k, p := range parts {
					wg.Go(func() { _, _, errs[k] = runSuite(l, p, 1, nil) })
				}
				wg.Wait()
				d := time.Since(t0)
				for _, err := range errs {
					if err != nil {
						b.Fatal(err)
					}
				}
				return d
			}
			var cs, bs []time.Duration
			for i := 0; b.Loop(); i++ {
				for k := range 2 {
					if (i+k)%2 == 0 {
						cs = append(cs, contexts())
					} else {
						bs = append(bs, browsers())
					}
				}
			}
			// Memory: one more, untimed run of each (see pssInterval).
			s := startSampler(nil, true)
			contexts()
			cPeak := s.stop()
			s = startSampler(nil, true)
			browsers()
			bPeak := s.stop()
			mc, mb := median(cs), median(bs)
			b.ReportMetric(msec(mc), "ms/contexts")
			b.ReportMetric(msec(mb), "ms/browsers")
			b.ReportMetric(float64(mb)/float64(mc), "ratio-browsers/contexts")
			b.ReportMetric(mib(cPeak.chromePSS), "chromium-PSS-MiB-contexts")
			b.ReportMetric(mib(bPeak.chromePSS), "chromium-PSS-MiB-browsers")
		})
	}
}

// ---- the two sides ----

// runSessiontrace runs list as `sessiontrace run` does (the suite with its
// recordings written to a run folder, then the analysis) and returns the
// time that took, browser start and stop included. Every scenario must pass
// and be recorded.
func runSessiontrace(b testing.TB, l *lab.Lab, list []*scenarios.Scenario, workers int, done func(harness.Result)) (time.Duration, *analysis.Report) {
	d, rep, err := runSuite(l, list, workers, done)
	if err != nil {
		b.Fatal(err)
	}
	return d, rep
}

// runSuite is runSessiontrace for any goroutine: it returns what went wrong.
func runSuite(l *lab.Lab, list []*scenarios.Scenario, workers int, done func(harness.Result)) (time.Duration, *analysis.Report, error) {
	out, err := os.MkdirTemp("", "sessiontrace-bench-")
	if err != nil {
		return 0, nil, err
	}
	defer os.RemoveAll(out)
	cfg := harness.SuiteConfig{
		Browser: harness.BrowserOptions{
			HostRules: "MAP *.test " + l.Addr() + ", EXCLUDE localhost",
			TrustSPKI: []string{l.SPKIHash()},
		},
		Run:     harness.Options{Resolver: scenarios.Resolver{Lab: l.Var}},
		Out:     out,
		Workers: workers,
		Tool:    "sessiontrace bench",
		Done:    done,
	}
	t0 := time.Now()
	ix, results, err := harness.RunSuite(context.Background(), list, cfg)
	var rep *analysis.Report
	if err == nil {
		recs := make([]*recording.Recording, len(results))
		for i, r := range results {
			recs[i] = r.Recording
		}
		rep = analysis.AnalyzeAll(recs)
	}
	d := time.Since(t0)
	if err != nil {
		return 0, nil, fmt.Errorf("sessiontrace suite: %w", err)
	}
	for _, r := range results {
		rec := r.Recording
		switch {
		case r.WriteErr != nil:
			return 0, nil, fmt.Errorf("sessiontrace: writing %s: %w", r.Path, r.WriteErr)
		case rec.Status != recording.StatusPassed:
			return 0, nil, fmt.Errorf("sessiontrace: %s %s: %s", rec.Scenario.File, rec.Status, rec.Error)
		case len(rec.Requests) == 0 || len(rec.Events) == 0:
			return 0, nil, fmt.Errorf("sessiontrace: %s passed but recorded %d requests, %d cookie events", rec.Scenario.File, len(rec.Requests), len(rec.Events))
		}
	}
	if ix.Totals.Passed != len(list) {
		return 0, nil, fmt.Errorf("sessiontrace: %d of %d scenarios passed", ix.Totals.Passed, len(list))
	}
	return d, rep, nil
}

// checkFindings fails unless every scenario of list got its expected finding.
func checkFindings(b testing.TB, list []*scenarios.Scenario, rep *analysis.Report) {
	got := map[[2]string]bool{}
	for _, f := range rep.Findings {
		got[[2]string{f.Scenario, f.Rule}] = true
	}
	for _, sc := range list {
		base := strings.TrimSuffix(filepath.Base(sc.File), ".yaml")
		if rule, ok := expectedFindings[base]; ok && !got[[2]string{sc.Name, rule}] {
			b.Fatalf("sessiontrace: %s: no %s finding", sc.File, rule)
		}
	}
}

// pwResult is the JSON line journeys.mjs prints.
type pwResult struct {
	Journeys int     `json:"journeys"`
	Passed   int     `json:"passed"`
	Failed   []any   `json:"failed"`
	MS       float64 `json:"ms"`
}

// runPlaywright runs playwright/journeys.mjs: the chosen journeys, repeat
// times each, with workers contexts at once. It returns the script's own
// time (browser launch to close) and the whole process's.
func runPlaywright(b testing.TB, l *lab.Lab, chrome string, workers, repeat int, browserPerWorker bool) (internal, process time.Duration) {
	args := []string{"journeys.mjs",
		"--https-port", strconv.Itoa(l.HTTPSPort()), "--http-port", strconv.Itoa(l.HTTPPort()),
		"--spki", l.SPKIHash(), "--chrome", chrome,
		"--workers", strconv.Itoa(workers), "--repeat", strconv.Itoa(repeat),
		"--journeys", strings.Join(chosen, ",")}
	if browserPerWorker {
		args = append(args, "--browser-per-worker")
	}
	cmd := exec.Command("node", args...)
	cmd.Dir = "playwright"
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t0 := time.Now()
	err := cmd.Run()
	process = time.Since(t0)
	var res pwResult
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if jerr := json.Unmarshal([]byte(lines[len(lines)-1]), &res); jerr != nil {
		b.Fatalf("playwright: %v; no result (%v)\nstdout: %s\nstderr: %s", err, jerr, stdout.String(), stderr.String())
	}
	want := repeat * len(chosen)
	if err != nil || len(res.Failed) > 0 || res.Passed != want || res.Journeys != want {
		b.Fatalf("playwright: %v: %d of %d journeys passed; failed: %v\nstderr: %s", err, res.Passed, want, res.Failed, stderr.String())
	}
	return time.Duration(res.MS * float64(time.Millisecond)), process
}

// ---- setup ----

func needChrome(b testing.TB) string {
	markOurProcesses()
	path, err := harness.FindChrome("")
	if err != nil {
		b.Fatal(err)
	}
	return path
}

func needPlaywright(b testing.TB) {
	if _, err := exec.LookPath("node"); err != nil {
		b.Fatal("node is missing (the Playwright side): apt-get install nodejs npm")
	}
	if _, err := os.Stat("playwright/node_modules/playwright-core/package.json"); err != nil {
		b.Fatal("playwright-core is not installed: npm ci --prefix bench/playwright")
	}
}

func startLab(b testing.TB, latency time.Duration) *lab.Lab {
	l, err := lab.Start(lab.Config{Latency: latency})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return l
}

// loadChosen loads scenarios/lab/NAME.yaml for each chosen NAME, in order.
func loadChosen(b testing.TB) []*scenarios.Scenario {
	paths := make([]string, len(chosen))
	for i, n := range chosen {
		paths[i] = filepath.Join("..", "scenarios", "lab", n+".yaml")
	}
	list, err := scenarios.Load(paths...)
	if err != nil {
		b.Fatal(err)
	}
	if len(list) != len(chosen) {
		b.Fatalf("loaded %d scenarios, want %d", len(list), len(chosen))
	}
	return list
}

// repeat returns n scenarios: list over and over.
func repeat(list []*scenarios.Scenario, n int) []*scenarios.Scenario {
	out := make([]*scenarios.Scenario, n)
	for i := range out {
		out[i] = list[i%len(list)]
	}
	return out
}

// ---- figures ----

// median is robust to the occasional slow run a loaded 2-core machine has.
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func msec(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func throughput(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

func mib(bytes int64) float64 { return float64(bytes) / (1 << 20) }

// ---- processes and memory ----

var (
	markOnce sync.Once
	marker   []byte
)

// markOurProcesses puts a variable unique to this test process in its
// environment, which every browser it starts inherits (chromedp passes
// the environment on, and Chromium's helpers keep it). A Chromium that
// outlived its parent, re-parented to init, is still recognisably ours.
func markOurProcesses() {
	markOnce.Do(func() {
		v := fmt.Sprintf("%d-%d", os.Getpid(), time.Now().UnixNano())
		os.Setenv("SESSIONTRACE_BENCH_RUN", v)
		marker = []byte("SESSIONTRACE_BENCH_RUN=" + v + "\x00")
	})
}

// ourChromium returns the live (not zombie) Chromium processes this test
// process started: its descendants, and any that carry its marker.
func ourChromium() []int {
	self := os.Getpid()
	procs := scanProcs()
	var out []int
	for pid, p := range procs {
		if p.zombie || !strings.Contains(p.comm, "chrom") {
			continue
		}
		if descends(procs, pid, self) || hasMarker(pid) {
			out = append(out, pid)
		}
	}
	slices.Sort(out)
	return out
}

// waitNoChromium waits up to d for the browsers of this process to exit and
// returns those still there.
func waitNoChromium(d time.Duration) []int {
	deadline := time.Now().Add(d)
	for {
		left := ourChromium()
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type proc struct {
	ppid   int
	comm   string
	zombie bool
}

func scanProcs() map[int]proc {
	entries, _ := os.ReadDir("/proc")
	out := make(map[int]proc, len(entries))
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		if comm, state, ppid, ok := proctest.ParseStat(stat); ok {
			out[pid] = proc{ppid: ppid, comm: comm, zombie: state == "Z"}
		}
	}
	return out
}

func descends(procs map[int]proc, pid, ancestor int) bool {
	for p, n := procs[pid].ppid, 0; p > 1 && n < 64; p, n = procs[p].ppid, n+1 {
		if p == ancestor {
			return true
		}
	}
	return false
}

func hasMarker(pid int) bool {
	env, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	return err == nil && bytes.Contains(env, marker)
}

// memPeak is what a sampler saw: peaks of the sum of PSS and of RSS over
// the Chromium processes of this test, of their count, and the Go
// process's own peak RSS.
type memPeak struct {
	chromePSS, chromeRSS int64
	chromeProcs          int
	goRSS                int64
}

func (m memPeak) max(o memPeak) memPeak {
	return memPeak{max(m.chromePSS, o.chromePSS), max(m.chromeRSS, o.chromeRSS), max(m.chromeProcs, o.chromeProcs), max(m.goRSS, o.goRSS)}
}

type memSample struct {
	done int
	rss  int64
}

// Reading PSS (smaps_rollup) costs 5-15 ms per Chromium process on this
// machine, 100-300 ms for a browser with 4 contexts; RSS (statm) a few
// microseconds. So the RSS sum is read every 100 ms and PSS, when asked
// for, only when the RSS sum reached a new peak, at most once per
// pssInterval: the PSS peak is taken at the RSS peaks. Even so, PSS
// sampling takes 5-20% of a core, so timed runs sample RSS only and the
// PSS figures come from separate, untimed runs.
const pssInterval = time.Second

// sampler reads the memory of this test's Chromium processes every 100 ms.
type sampler struct {
	quit       chan struct{}
	finished   chan struct{}
	progress   func() int
	pss        bool
	procs      procTable
	peak       memPeak
	samples    []memSample
	lastPSS    time.Time
	pssPending bool
	busy       time.Duration // spent sampling
	start      time.Time
}

// startSampler starts sampling; with pss, PSS too (see pssInterval).
func startSampler(progress func() int, pss bool) *sampler {
	// Reset the Go process's VmHWM (Linux ≥ 4.0), so that its peak is this
	// run's and not an earlier benchmark's.
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	s := &sampler{quit: make(chan struct{}), finished: make(chan struct{}), progress: progress, pss: pss, start: time.Now()}
	go func() {
		defer close(s.finished)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.quit:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *sampler) sample() {
	t0 := time.Now()
	defer func() { s.busy += time.Since(t0) }()
	pids := s.procs.ourChromium()
	var rss int64
	for _, pid := range pids {
		rss += statmRSS(pid)
	}
	if rss > s.peak.chromeRSS {
		s.peak.chromeRSS = rss
		s.pssPending = true
	}
	s.peak.chromeProcs = max(s.peak.chromeProcs, len(pids))
	s.peak.goRSS = max(s.peak.goRSS, statusField("VmRSS"))
	if s.pss && s.pssPending && t0.Sub(s.lastPSS) >= pssInterval && rss >= s.peak.chromeRSS*9/10 {
		var pss int64
		for _, pid := range pids {
			pss += smapsPSS(pid)
		}
		s.peak.chromePSS = max(s.peak.chromePSS, pss)
		s.lastPSS, s.pssPending = time.Now(), false
	}
	if s.progress != nil {
		s.samples = append(s.samples, memSample{done: s.progress(), rss: rss})
	}
}

// overhead is the share of one core the sampling took.
func (s *sampler) overhead() float64 { return s.busy.Seconds() / time.Since(s.start).Seconds() }

// stop ends the sampling and returns the peaks.
func (s *sampler) stop() memPeak {
	close(s.quit)
	<-s.finished
	s.peak.goRSS = max(s.peak.goRSS, statusField("VmHWM"))
	return s.peak
}

// peakBetween is the peak Chromium RSS sum while from ≤ done scenarios < to.
func (s *sampler) peakBetween(from, to int) int64 {
	var p int64
	for _, m := range s.samples {
		if m.done >= from && m.done < to {
			p = max(p, m.rss)
		}
	}
	return p
}

// procTable follows the machine's processes from one sample to the next,
// reading each new process's stat (and, for a Chromium that is not a
// descendant, its environment) once: reading them all every 100 ms costs
// tens of milliseconds on a busy machine.
type procTable struct {
	procs map[int]*procEntry
	gen   int // the scan count; an entry not seen in the last scan has exited
}

type procEntry struct {
	ppid   int
	chrome bool
	desc   int8 // descends from this process: 0 not known yet, 1 yes, -1 no
	ours   bool
	seen   int
}

// ourChromium returns the Chromium processes of this test (zombies
// included: they hold no memory).
func (t *procTable) ourChromium() []int {
	if t.procs == nil {
		t.procs = map[int]*procEntry{}
	}
	t.gen++
	gen := t.gen
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := t.procs[pid]; ok {
			p.seen = gen
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		comm, _, ppid, ok := proctest.ParseStat(stat)
		if !ok {
			continue
		}
		t.procs[pid] = &procEntry{ppid: ppid, chrome: strings.Contains(comm, "chrom"), seen: gen}
	}
	self := os.Getpid()
	var out []int
	for pid, p := range t.procs {
		if p.seen != gen {
			delete(t.procs, pid)
			continue
		}
		if !p.chrome {
			continue
		}
		if p.desc == 0 {
			p.desc = -1
			if t.descends(pid, self) {
				p.desc = 1
			}
			p.ours = p.desc == 1 || hasMarker(pid)
		}
		if p.ours {
			out = append(out, pid)
		}
	}
	return out
}

func (t *procTable) descends(pid, ancestor int) bool {
	for p, n := t.procs[pid], 0; p != nil && n < 64; p, n = t.procs[p.ppid], n+1 {
		if p.ppid == ancestor {
			return true
		}
		if p.ppid <= 1 {
			return false
		}
	}
	return false
}

// statmRSS returns a process's resident set size in bytes.
func statmRSS(pid int) int64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// smapsPSS returns a process's proportional set size in bytes: its
// private pages plus its share of the pages it shares, so that the sum over
// Chromium's processes counts each page once (the sum of RSS does not).
func smapsPSS(pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "Pss:") {
			return kib(line)
		}
	}
	return 0
}

// statusField reads a "Name:  N kB" line of /proc/self/status, in bytes.
func statusField(name string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if strings.HasPrefix(line, name+":") {
			return kib(line)
		}
	}
	return 0
}

func kib(line string) int64 {
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.ParseInt(f[1], 10, 64)
	return n << 10
}
