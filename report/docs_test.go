package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/repotest"
)

// The README and docs/ cite files of the repository only, and each one
// they cite exists: a reader of a checkout (or of the repository's web
// page) can follow every link.
func TestDocsCiteOnlyTheRepository(t *testing.T) {
	root := repotest.Root()
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	n := 0
	for _, doc := range append(docs, filepath.Join(root, "README.md")) {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || regexp.MustCompile(`^[a-z]+:`).MatchString(target) {
				continue // an anchor of the page, or a web address
			}
			n++
			p := filepath.Join(filepath.Dir(doc), filepath.FromSlash(target))
			rel, err := filepath.Rel(root, p)
			if err != nil || filepath.IsAbs(target) || strings.HasPrefix(rel, "..") {
				t.Errorf("%s cites %s, outside the repository", filepath.Base(doc), m[1])
				continue
			}
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s cites %s, which does not exist", filepath.Base(doc), m[1])
			}
		}
	}
	if n < 20 {
		t.Fatalf("%d links read: the docs were not read", n)
	}
}
