package rundiff

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// goCmd runs the go tool on this package for GOOS=js GOARCH=wasm: the
// inspector shows the same diff in the page.
func goCmd(t *testing.T, args ...string) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH")
	}
	cmd := exec.Command(gobin, args...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestBuildsForWasm(t *testing.T) {
	goCmd(t, "build", ".")
}

// The package imports the standard library (no os, no net), recording
// and analysis only.
func TestImports(t *testing.T) {
	out := goCmd(t, "list", "-f", `{{join .Imports "\n"}}`, ".")
	for _, p := range strings.Fields(out) {
		switch {
		case p == "os" || p == "net" || strings.HasPrefix(p, "os/") || p == "syscall":
			t.Errorf("imports %s", p)
		case p == "github.com/sessiontrace/sessiontrace/recording", p == "github.com/sessiontrace/sessiontrace/analysis":
		case strings.Contains(strings.SplitN(p, "/", 2)[0], "."):
			t.Errorf("imports %s: only the standard library, recording and analysis are allowed", p)
		}
	}
}
