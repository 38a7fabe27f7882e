// Package bench holds the suite-level benchmarks of issue 5 (see
// docs/benchmarks.md): sessiontrace against Playwright on the same lab
// journeys, worker scaling with and without server latency, a 200-scenario
// suite, and contexts in one browser against one browser per worker.
//
// The benchmarks are in bench_test.go; the Playwright side is
// bench/playwright/journeys.mjs (install it with
// `npm ci --prefix bench/playwright`; it drives the system Chromium and
// never downloads a browser).
package bench
