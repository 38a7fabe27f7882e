package repotest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Root is the folder of the module's go.mod, whatever folder the test
// runs in.
func TestRoot(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(Root(), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "module github.com/sessiontrace/sessiontrace\n"; !strings.HasPrefix(string(data), want) {
		t.Errorf("go.mod at the root starts %.60q, want %q", data, want)
	}
	if _, err := os.Stat(filepath.Join(Root(), filepath.FromSlash(strings.TrimPrefix(Command, "github.com/sessiontrace/sessiontrace/")))); err != nil {
		t.Errorf("the command's folder: %v", err)
	}
}
