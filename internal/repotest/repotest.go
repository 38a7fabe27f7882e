// Package repotest finds the repository's checkout and builds its command,
// for the tests of any package folder: go test runs each package's tests
// in its own folder, at depths that differ ("..", "../../.."), so that
// relative paths to the root would differ too.
package repotest

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Command is the import path of the sessiontrace command.
const Command = "github.com/sessiontrace/sessiontrace/cli/sessiontrace"

// Root returns the repository's root folder (where go.mod is), found from
// this file's own place in the checkout.
func Root() string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "..")
}

// Build builds the sessiontrace command into dir and returns its path,
// and what the go tool said when it failed.
func Build(dir string) (bin string, out []byte, err error) {
	bin = filepath.Join(dir, "sessiontrace")
	out, err = exec.Command("go", "build", "-o", bin, Command).CombinedOutput()
	return bin, out, err
}

// Binary builds the sessiontrace command into the test's temporary folder
// and returns its path, for tests that run it as a process of its own
// (signals, a remote browser pool, timings); a build error fails the
// test.
func Binary(t testing.TB) string {
	t.Helper()
	bin, out, err := Build(t.TempDir())
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}
