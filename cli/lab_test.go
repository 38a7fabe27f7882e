package cli

import (
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/labtest"
)

// The lab's run folders, and serving them, for the serve and diff tests
// here; package labtest shares them with the inspector's tests (web).
var (
	labRun   = labtest.RunFolder
	serveDir = labtest.Serve
)

func labDiffRuns(t *testing.T, dir string) {
	t.Helper()
	labtest.DiffRuns(t, dir, func(args ...string) (int, string, string) { return runCLI(t, args...) })
}
