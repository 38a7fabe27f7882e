package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sessiontrace/sessiontrace/runfolder"
)

// BenchmarkInspectorScale opens big run folders (runs.RunFolder: copies
// of the lab's recordings) in the inspector, served by a static server:
//
//	go test -run '^$' -bench InspectorScale -benchtime 3x ./web/
//
// For 2,000 scenarios it times the overview drawn (from index.json and
// summary.json) from the first fetch of index.json against the baseline
// JSON.parse of the same index.json, findings.json and summary.json in a
// page of the same browser (the median of three), counts the recordings
// fetched before it (must be 0), and times findings.json read after it. For 20,000 it times the
// overview from navigation (page, WebAssembly, index.json, summary.json;
// findings.json, 139 MB, waits for a click) and takes the page's memory
// then (JS heap used + WebAssembly memory). Both time the opening of one
// scenario (fetch, decode, analysis, session table drawn). The figures go
// to docs/benchmarks.md.
func BenchmarkInspectorScale(b *testing.B) {
	for _, n := range []int{2000, 20_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.StopTimer()
			dir, ix := bigRun(b, n)
			if err := os.WriteFile(filepath.Join(dir, "blank.html"), []byte("<!doctype html><title>baseline</title>"), 0o644); err != nil {
				b.Fatal(err)
			}
			var size int64
			for _, f := range []string{runfolder.IndexFile, runfolder.FindingsFile, runfolder.SummaryFile} {
				st, _ := os.Stat(filepath.Join(dir, f))
				size += st.Size()
			}
			b.Logf("%d scenarios: index.json + findings.json + summary.json %.1f MB", n, float64(size)/1e6)
			srv := newCountingServer(b, dir)
			p := newPage(b, 1280, 900)
			type timing struct {
				Parse, Start, First, Done, Nav, OpenMs float64
				Heap, Backing, Wasm                    float64
				Fetched                                int
			}
			var runs []timing
			for i := 0; i < b.N; i++ {
				var tm timing
				// The baseline: JSON.parse of the three files, as text, in a
				// fresh page of the same browser. (20,000 scenarios have an
				// absolute target; their findings.json is not read.)
				p.do(b, chromedp.Navigate(srv.url+"blank.html"))
				if n == 2000 {
					parse, err := chromedp.Run(p.ctx, chromedp.Evaluate[float64](`Promise.all(["index.json", "findings.json", "summary.json"].map(f => fetch(f).then(r => r.text()))).then(s => {
					const t = []; for (let i = 0; i < 3; i++) { const t0 = performance.now(); for (const x of s) JSON.parse(x); t.push(performance.now() - t0); }
					t.sort((a, b) => a - b); return t[1]; })`, chromedp.EvalAwaitPromise))
					if err != nil {
						b.Fatal(err)
					}
					tm.Parse = parse
				}
				before := len(srv.fetched())
				b.StartTimer()
				p.do(b, chromedp.Navigate(srv.url))
				want := map[bool]string{true: "loaded", false: "deferred"}[n == 2000]
				waitForT(b, p, `document.body.dataset.stFindings === "`+want+`" && performance.getEntriesByName("st-findings").length > 0`, 3*time.Minute)
				b.StopTimer()
				tm.Fetched = len(srv.fetched()) - before
				marks := eval[map[string]float64](b, p, `(() => { const m = n => performance.getEntriesByName(n)[0].startTime;
					return {Start: m("st-fetch-start"), First: m("st-rendered"), Done: m("st-findings")}; })()`)
				tm.Start, tm.First, tm.Done = marks["Start"], marks["First"], marks["Done"]
				tm.Nav = tm.First
				heap, err := chromedp.Call(p.ctx, runtime.GetHeapUsage, cdp.Empty{})
				if err != nil {
					b.Fatal(err)
				}
				tm.Heap, tm.Backing, tm.Wasm = heap.UsedSize, heap.BackingStorageSize, eval[float64](b, p, `stWasmMemory()`)
				// Opening one scenario: a journey of typical size (the lab's
				// median), read, decoded, analysed and drawn.
				sc := len(ix.Scenarios) / 2
				p.do(b, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = "v=sessions&s=%d"`, sc)))
				waitFor(b, p, fmt.Sprintf(`performance.getEntriesByName("st-opened-%d").length > 0 && document.querySelector(".rowhead") !== null`, sc))
				tm.OpenMs = eval[float64](b, p, fmt.Sprintf(`performance.getEntriesByName("st-opened-%d")[0].startTime - performance.getEntriesByName("st-open-%d")[0].startTime`, sc, sc))
				runs = append(runs, tm)
				if tm.Fetched != 0 {
					b.Fatalf("iteration %d: %d recordings fetched before the overview", i+1, tm.Fetched)
				}
			}
			med := func(f func(timing) float64) float64 { return median(runs, f) }
			worst := 0.0
			for i, r := range runs {
				ratio := (r.First - r.Start) / r.Parse
				if n == 2000 {
					worst = max(worst, ratio)
				}
				b.Logf("run %d: JSON.parse %.0f ms; overview drawn %.0f ms after the first fetch (findings.json read and drawn %.0f), %.0f ms from navigation: %.2fx; %d recordings fetched before; opening one scenario %.0f ms; memory: JS heap %.0f MB + WebAssembly %.0f MB (array buffers %.0f MB)",
					i+1, r.Parse, r.First-r.Start, r.Done-r.Start, r.Nav, ratio, r.Fetched, r.OpenMs, r.Heap/1e6, r.Wasm/1e6, r.Backing/1e6)
			}
			b.ReportMetric(med(func(r timing) float64 { return r.First - r.Start }), "ms/overview")
			b.ReportMetric(med(func(r timing) float64 { return r.Nav }), "ms/from-navigation")
			b.ReportMetric(med(func(r timing) float64 { return r.OpenMs }), "ms/open-scenario")
			b.ReportMetric(med(func(r timing) float64 { return (r.Heap + r.Wasm) / 1e6 }), "MB/page")
			if n == 2000 {
				b.ReportMetric(med(func(r timing) float64 { return r.Parse }), "ms/JSON.parse")
				b.ReportMetric(med(func(r timing) float64 { return r.Done - r.Start }), "ms/with-findings")
				b.ReportMetric(med(func(r timing) float64 { return (r.First - r.Start) / r.Parse }), "ratio")
				b.ReportMetric(worst, "ratio-worst")
			}
			// The targets (docs/benchmarks.md), said when missed; not failed,
			// as make bench runs more benchmarks after this one.
			for i, r := range runs {
				switch {
				case n == 2000 && (r.First-r.Start)/r.Parse > 3:
					b.Logf("TARGET MISSED: run %d: overview %.2fx JSON.parse (target: at most 3x)", i+1, (r.First-r.Start)/r.Parse)
				case n != 2000 && r.Nav > 2000:
					b.Logf("TARGET MISSED: run %d: overview %.0f ms from navigation (target: at most 2 s)", i+1, r.Nav)
				case n != 2000 && (r.Heap+r.Wasm)/1e6 > 300:
					b.Logf("TARGET MISSED: run %d: page memory %.0f MB (target: at most 300 MB)", i+1, (r.Heap+r.Wasm)/1e6)
				}
				if r.OpenMs > 300 {
					b.Logf("TARGET MISSED: run %d: opening one scenario took %.0f ms (target: at most 300 ms)", i+1, r.OpenMs)
				}
			}
		})
	}
}

// median is the median of f over the iterations of a benchmark.
func median[T any](runs []T, f func(T) float64) float64 {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = f(r)
	}
	slices.Sort(v)
	return v[len(v)/2]
}
