package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/repotest"
	"github.com/sessiontrace/sessiontrace/internal/synth"
	"github.com/sessiontrace/sessiontrace/recording"
)

// BenchmarkAuditVsJQ times `sessiontrace audit --format json` on a
// generated recording with 10k requests and 100k cookie events against
// `jq length` on the same file (the baseline: reading the JSON and nothing
// more), both as processes, alternating, medians. The ratio goes to
// docs/benchmarks.md.
func BenchmarkAuditVsJQ(b *testing.B) {
	jq, err := exec.LookPath("jq")
	if err != nil {
		b.Fatal("jq is needed as the baseline (apt-get install jq; make bench installs it)")
	}
	dir := b.TempDir()
	bin := repotest.Binary(b)
	data, err := recording.Encode(synth.Recording(10_000, 100_000))
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(dir, "big.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Logf("recording: %.1f MB", float64(len(data))/1e6)
	run := func(name string, args ...string) time.Duration {
		t0 := time.Now()
		cmd := exec.Command(name, args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%.500s", name, err, out)
		}
		return time.Since(t0)
	}
	var audit, base []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		audit = append(audit, run(bin, "audit", "--format", "json", "-o", os.DevNull, file))
		base = append(base, run(jq, "length", file))
	}
	ma, mj := median(audit), median(base)
	b.ReportMetric(float64(ma.Milliseconds()), "ms/audit")
	b.ReportMetric(float64(mj.Milliseconds()), "ms/jq")
	b.ReportMetric(float64(ma)/float64(mj), "ratio")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
