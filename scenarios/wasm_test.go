package scenarios

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// goCmd runs the go tool on this package for GOOS=js GOARCH=wasm: the
// inspector page parses scenarios with this same code.
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

func TestImportsOnlyStdAndYAML(t *testing.T) {
	out := goCmd(t, "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", ".")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		path, std, _ := strings.Cut(line, " ")
		switch {
		case path == "net" || path == "os/exec":
			t.Errorf("imports %s, which the house rules forbid here", path)
		case std == "true", path == "go.yaml.in/yaml/v3", path == "github.com/sessiontrace/sessiontrace/scenarios",
			path == "github.com/sessiontrace/sessiontrace/internal/yamlfile":
		default:
			t.Errorf("imports %s: only the standard library, go.yaml.in/yaml/v3 and internal/yamlfile are allowed", path)
		}
	}
}
