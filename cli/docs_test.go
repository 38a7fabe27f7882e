package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// testRef is how docs name a test: `pkg: TestName` or `pkg: TestName/subtest`.
var testRef = regexp.MustCompile("`([a-z][a-z0-9/]*): ((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)(/[^`]*)?`")

// Issue 7: every row of docs/reliability.md names a test, and every test it
// names exists (make test runs them all, so they pass).
func TestReliabilityDocNamesRealTests(t *testing.T) {
	doc, err := os.ReadFile("../docs/reliability.md")
	if err != nil {
		t.Fatal(err)
	}
	rows, refs := 0, 0
	for i, line := range strings.Split(string(doc), "\n") {
		if line == "## Figures" {
			break // measurements, not behaviours
		}
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| input ") || strings.HasPrefix(line, "| ---") {
			continue
		}
		rows++
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		found := testRef.FindAllStringSubmatch(cells[len(cells)-1], -1)
		if len(found) == 0 {
			t.Errorf("docs/reliability.md:%d: the row names no test: %.80s", i+1, line)
		}
		for _, m := range found {
			refs++
			if !declared(t, m[1], m[2]) {
				t.Errorf("docs/reliability.md:%d: %s has no func %s", i+1, m[1], m[2])
			}
		}
	}
	if rows < 30 || refs < rows {
		t.Fatalf("%d rows naming %d tests: the tables were not read", rows, refs)
	}
}

// declared reports whether package dir (relative to the module) has a
// _test.go file declaring func name.
func declared(t *testing.T, dir, name string) bool {
	files, err := filepath.Glob(filepath.Join("..", dir, "*_test.go"))
	if err != nil || len(files) == 0 {
		return false
	}
	decl := regexp.MustCompile(`(?m)^func ` + name + `\(`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if decl.Match(data) {
			return true
		}
	}
	return false
}
