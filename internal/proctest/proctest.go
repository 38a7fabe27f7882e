// Package proctest finds the Chromium processes a test left behind. Tests
// use it to prove that no browser outlives a run, whatever happened in it.
package proctest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A Snapshot is the set of running Chromium processes (pid to parent pid).
type Snapshot map[int]int

// Chromium lists the running Chromium processes. Zombies (exited, not yet
// reaped) do not count, nor does the crash reporter, which daemonizes (its
// parent is init while the browser runs) and exits with the browser.
func Chromium() Snapshot {
	out := Snapshot{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, state, ppid, ok := stat(pid)
		if !ok || state == "Z" || !strings.Contains(comm, "chrom") || strings.Contains(comm, "crashpad") {
			continue
		}
		out[pid] = ppid
	}
	return out
}

// stat reads a process's name, state and parent from /proc/PID/stat.
func stat(pid int) (comm, state string, ppid int, ok bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return "", "", 0, false
	}
	return ParseStat(b)
}

// ParseStat reads "pid (comm) state ppid ..." (a /proc/PID/stat), where
// comm may itself hold spaces or ")".
func ParseStat(b []byte) (comm, state string, ppid int, ok bool) {
	s := string(b)
	open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || close < open {
		return "", "", 0, false
	}
	f := strings.Fields(s[close+1:])
	if len(f) < 2 {
		return "", "", 0, false
	}
	ppid, _ = strconv.Atoi(f[1])
	return s[open+1 : close], f[0], ppid, true
}

func parentOf(pid int) int {
	_, _, ppid, _ := stat(pid)
	return ppid
}

// Leftovers returns the Chromium processes not in before that belong to
// this process: its descendants, or orphans (parent init: their browser
// died without them).
func Leftovers(before Snapshot) []int {
	self := os.Getpid()
	var out []int
	for pid, ppid := range Chromium() {
		if _, ok := before[pid]; ok {
			continue
		}
		if ppid == 1 {
			out = append(out, pid)
			continue
		}
		if Descends(pid, self) {
			out = append(out, pid)
		}
	}
	slices.Sort(out)
	return out
}

// Descends reports whether pid is a descendant of ancestor: tests that
// look for the browser a command started must not take another test's,
// which go test may run at the same time in another package.
func Descends(pid, ancestor int) bool {
	for p := parentOf(pid); p > 1; p = parentOf(p) {
		if p == ancestor {
			return true
		}
	}
	return false
}

// WaitGone waits until no process of Leftovers(before) is left, up to
// limit (helper processes take a moment to exit after the browser), and
// returns an error describing those still running.
func WaitGone(before Snapshot, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		left := Leftovers(before)
		if len(left) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			var b strings.Builder
			fmt.Fprintf(&b, "%d Chromium processes left behind:", len(left))
			for _, pid := range left {
				cmd, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
				fmt.Fprintf(&b, "\n  %d (parent %d): %.160s", pid, parentOf(pid), strings.ReplaceAll(string(cmd), "\x00", " "))
			}
			return fmt.Errorf("%s", b.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
