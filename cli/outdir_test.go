package cli

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
)

// refusedBrowser is a DevTools endpoint nothing listens on: every
// scenario of a run against it errors at once, and the run folder is
// written all the same, without Chromium.
func refusedBrowser(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func scenarioFiles(t *testing.T, dir string, names ...string) []string {
	t.Helper()
	var out []string
	for _, n := range names {
		p := filepath.Join(dir, n+".yaml")
		if err := os.WriteFile(p, []byte("name: "+n+"\ntarget: https://app.test\nsteps:\n  - goto: /\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func recordingFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "recordings", "*.json"))
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	slices.Sort(m)
	return m
}

// run -o into an earlier run folder replaces the run: no recording of the
// earlier run survives beside the new index, and the user's own files
// stay (with a note).
func TestRunReplacesAnEarlierRunFolder(t *testing.T) {
	dir := t.TempDir()
	files := scenarioFiles(t, dir, "a", "b")
	out := filepath.Join(dir, "report")
	browser := refusedBrowser(t)
	if code, _, stderr := runCLI(t, "run", "-q", "--browser-url", browser, "-o", out, files[0], files[1]); code != ExitFailed {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	if got := recordingFiles(t, out); !slices.Equal(got, []string{"a.json", "b.json"}) {
		t.Fatalf("first run wrote %q", got)
	}
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	code, _, stderr := runCLI(t, "run", "-q", "--browser-url", browser, "-o", out, files[0])
	if code != ExitFailed {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	if got := recordingFiles(t, out); !slices.Equal(got, []string{"a.json"}) {
		t.Errorf("after the second run the folder holds %q, want only a.json", got)
	}
	if len(rectest.ReadIndex(t, out).Scenarios) != 1 {
		t.Errorf("index lists %d scenarios", len(rectest.ReadIndex(t, out).Scenarios))
	}
	if _, err := os.Stat(filepath.Join(out, "notes.txt")); err != nil || !strings.Contains(stderr, "notes.txt") {
		t.Errorf("notes.txt: %v; stderr %q", err, stderr)
	}
}

// A folder that is not a run folder is refused (exit 2, before anything
// runs) unless --force; forced, its files are kept.
func TestRunRefusesAForeignFolder(t *testing.T) {
	dir := t.TempDir()
	files := scenarioFiles(t, dir, "a")
	out := filepath.Join(dir, "thesis")
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, "chapter1.tex"), []byte("x"), 0o644)
	browser := refusedBrowser(t)
	code, _, stderr := runCLI(t, "run", "-q", "--browser-url", browser, "-o", out, files[0])
	if code != ExitUsage || !strings.HasPrefix(stderr, "sessiontrace run: -o "+out+" is not empty and is not a run folder") ||
		!strings.Contains(stderr, "chapter1.tex") || !strings.Contains(stderr, "--force") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "index.json")); err == nil {
		t.Fatal("a refused folder was written to")
	}
	if code, _, stderr := runCLI(t, "run", "-q", "--force", "--browser-url", browser, "-o", out, files[0]); code != ExitFailed {
		t.Fatalf("--force: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "chapter1.tex")); err != nil {
		t.Fatal(err)
	}
	if len(rectest.ReadIndex(t, out).Scenarios) != 1 {
		t.Fatal("no run written with --force")
	}
}

// merge -o replaces an earlier run folder as run does, refuses a foreign
// one, and refuses an input as its output.
func TestMergeReplacesAnEarlierRunFolder(t *testing.T) {
	dir := t.TempDir()
	files := scenarioFiles(t, dir, "a", "b", "c")
	browser := refusedBrowser(t)
	shard := func(name string, files ...string) string {
		out := filepath.Join(dir, name)
		if code, _, stderr := runCLI(t, append([]string{"run", "-q", "--browser-url", browser, "-o", out}, files...)...); code != ExitFailed {
			t.Fatalf("%s: exit %d\n%s", name, code, stderr)
		}
		return out
	}
	s1, s2 := shard("s1", files[0]), shard("s2", files[1], files[2])
	merged := filepath.Join(dir, "merged")
	if code, _, stderr := runCLI(t, "merge", "-o", merged, s1, s2); code != ExitFailed {
		t.Fatalf("merge: exit %d\n%s", code, stderr)
	}
	if got := recordingFiles(t, merged); !slices.Equal(got, []string{"a.json", "b.json", "c.json"}) {
		t.Fatalf("merged %q", got)
	}
	if code, _, stderr := runCLI(t, "merge", "-o", merged, s1); code != ExitFailed {
		t.Fatalf("second merge: exit %d\n%s", code, stderr)
	}
	if got := recordingFiles(t, merged); !slices.Equal(got, []string{"a.json"}) {
		t.Errorf("after the second merge the folder holds %q, want only a.json", got)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-o", s1, s1, s2}, "sessiontrace merge: -o " + s1 + " is also an input"},
		{[]string{"-o", dir, s1}, "sessiontrace merge: -o " + dir + " is not empty and is not a run folder"},
		{[]string{"-o", merged, filepath.Join(dir, "nothing")}, "sessiontrace merge: " + filepath.Join(dir, "nothing") + " is not a run folder: it has no index.json"},
	} {
		code, _, stderr := runCLI(t, append([]string{"merge"}, c.args...)...)
		if code != ExitUsage || !strings.HasPrefix(stderr, c.want) {
			t.Errorf("merge %q: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	if got := recordingFiles(t, merged); !slices.Equal(got, []string{"a.json"}) {
		t.Errorf("a refused merge changed the earlier one: %q", got)
	}
}
