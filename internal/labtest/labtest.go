// Package labtest makes the lab's run folders that the tests of more than
// one package open (cli's, and the inspector's in web), serves them as
// `sessiontrace serve` does, and lists the lab suite's secrets that no
// output may hold (cli's tests and harness's). Its paths are relative to a package folder
// one level below the module root, where go test runs a package's tests.
package labtest

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/lab"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
	"github.com/sessiontrace/sessiontrace/scenarios"
	"github.com/sessiontrace/sessiontrace/web"
)

// RunFolder builds a run folder from the real lab recordings of
// analysis/testdata/lab: recordings/*.json and an index.json, in the
// index's order (by file name). It returns the folder and the recordings.
func RunFolder(t testing.TB) (string, []*recording.Recording) {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, runfolder.RecordingsDir), os.DirFS("../analysis/testdata/lab")); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, runfolder.RecordingsDir, "*.json"))
	loaded, _, err := runfolder.Load(files, runfolder.DefaultMaxSize)
	if err != nil || len(loaded) == 0 {
		t.Fatalf("no lab recordings in analysis/testdata/lab: %v", err)
	}
	ix := &recording.Index{Schema: recording.IndexSchema, Tool: "sessiontrace test", Status: recording.StatusPassed, Scenarios: []recording.IndexEntry{}}
	for _, l := range loaded {
		r := l.Recording
		ix.Scenarios = append(ix.Scenarios, recording.IndexEntry{Name: r.Scenario.Name, File: r.Scenario.File,
			Recording: runfolder.RecordingsDir + "/" + filepath.Base(l.Path), Status: r.Status,
			Start: r.Start, End: r.End, Steps: len(r.Steps), Requests: len(r.Requests), Events: len(r.Events), Tags: r.Scenario.Tags})
		ix.Totals.Add(r.Status)
		if ix.Start.IsZero() || r.Start.Before(ix.Start) {
			ix.Start = r.Start
		}
		if r.End.After(ix.End) {
			ix.End = r.End
		}
	}
	if err := runfolder.Dir(dir).WriteIndex(ix); err != nil {
		t.Fatal(err)
	}
	return dir, runfolder.Recordings(loaded)
}

// Serve serves dir as `sessiontrace serve` does, on a test server, and
// returns the inspector's URL.
func Serve(t testing.TB, dir string) string {
	t.Helper()
	h, err := web.NewHandler(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); h.Close() })
	return srv.URL + "/"
}

// Secrets returns every secret: true value of the bundled lab suite
// (scenarios/lab) as resolved against l. A suite without one fails the
// test: the callers look for these values in what a run wrote.
func Secrets(t testing.TB, l *lab.Lab) []string {
	t.Helper()
	list, err := scenarios.Load("../scenarios/lab")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sc := range list {
		r, err := sc.Resolve(scenarios.Resolver{Lab: l.Var, Env: os.LookupEnv})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r.Secrets()...)
	}
	if len(out) == 0 {
		t.Fatal("the lab suite has no secret values")
	}
	return out
}

// A Command runs `sessiontrace ARGS...` and returns its exit code and
// output: in the test's process (cli) or as the built command (web).
type Command func(args ...string) (code int, stdout, stderr string)

// The exit codes DiffRuns expects, cli.ExitOK and cli.ExitFailed (cli's
// own tests import this package, so it cannot import cli).
const (
	exitOK     = 0
	exitFailed = 1
)

// DiffRuns makes run folders in dir with the lab: a and a2 run
// scenarios/lab/correct.yaml against correct.test; b runs it against
// regressed.test (HttpOnly dropped, no rotation at login) and fails at
// its first expectation; bl is b without the two checks the regression
// breaks, so it reaches the login.
func DiffRuns(t testing.TB, dir string, sessiontrace Command) {
	t.Helper()
	src, err := os.ReadFile("../scenarios/lab/correct.yaml")
	if err != nil {
		t.Fatal(err)
	}
	replace := func(s, old, new string, n int) string {
		t.Helper()
		if got := strings.Count(s, old); got != n {
			t.Fatalf("correct.yaml has %d of %q, this test expects %d: update the test", got, old, n)
		}
		return strings.ReplaceAll(s, old, new)
	}
	regressed := replace(string(src), "${lab.correct}", "${lab.regressed}", 1)
	lenient := replace(replace(regressed, "httpOnly: true, ", "", 2), "      session: rotated\n", "", 1)
	for _, s := range []struct{ name, body string }{{"regressed.yaml", regressed}, {"regressed-lenient.yaml", lenient}} {
		if err := os.WriteFile(filepath.Join(dir, s.name), []byte(s.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []struct {
		out, file string
		want      int
	}{
		{"a", "../scenarios/lab/correct.yaml", exitOK},
		{"a2", "../scenarios/lab/correct.yaml", exitOK},
		{"b", filepath.Join(dir, "regressed.yaml"), exitFailed},
		{"bl", filepath.Join(dir, "regressed-lenient.yaml"), exitOK},
	} {
		if code, stdout, stderr := sessiontrace("run", "--lab", "-q", "-o", filepath.Join(dir, r.out), r.file); code != r.want {
			t.Fatalf("run %s: exit %d, want %d\n%s%s", r.out, code, r.want, stdout, stderr)
		}
	}
}
