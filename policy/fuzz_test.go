package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/internal/yamlfile/yamlfiletest"
)

// FuzzParse feeds arbitrary bytes to Parse. It must never panic, and must
// either return a policy whose every entry can be checked, or an ErrorList
// whose every entry points at a line of the file. Seeds, in
// testdata/fuzz/FuzzParse: baselines Init wrote for the lab, a file with
// every key, flow style with anchors and merge keys, and broken files.
func FuzzParse(f *testing.F) {
	rec := journey(rectest.SecureAttrs, false, true)
	rep := analysis.Analyze(rec)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data)
		if err != nil {
			yamlfiletest.Errors(t, Parse, "fuzz.yaml", data)
			return
		}
		if p == nil || p.Version != Version || p.File != "fuzz.yaml" {
			t.Fatalf("Parse succeeded with %+v", p)
		}
		for _, e := range p.Cookies {
			if e.Name == "" || !validGlob(e.Name) || e.Pos.Line < 1 || e.Forbidden && e.Required {
				t.Fatalf("bad entry %+v", e)
			}
		}
		for _, fd := range p.Check(rec, rep) {
			if fd.Rule != RuleID || !slices.Contains(analysis.Severities, fd.Severity) || !strings.HasPrefix(fd.Message, "fuzz.yaml:") {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}
