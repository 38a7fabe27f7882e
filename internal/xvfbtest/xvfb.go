// Package xvfbtest starts a virtual X display for the tests of a browser
// with a window (sessiontrace record's default mode). make test installs
// Xvfb (Debian's xvfb) when it is missing.
package xvfbtest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Start starts Xvfb on the first free display, sets DISPLAY to it for the
// test (a browser started by the test inherits it), and returns its name
// (":N"). It is stopped when the test ends. A machine without Xvfb fails
// the test, saying what to install.
func Start(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Fatal("Xvfb is missing: make test installs it (Debian/Ubuntu: apt-get install xvfb)")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// -displayfd: Xvfb takes the first free display and writes its number
	// there, so that parallel test binaries never share one.
	cmd := exec.Command(path, "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		w.Close()
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	num := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		num <- strings.TrimSpace(line)
	}()
	select {
	case n := <-num:
		if n == "" {
			t.Fatal("Xvfb did not say which display it took")
		}
		t.Setenv("DISPLAY", ":"+n)
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start in 20s")
	}
	return ""
}
