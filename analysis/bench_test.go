package analysis

import (
	"fmt"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/internal/synth"
	"github.com/sessiontrace/sessiontrace/recording"
)

// largeRecording is a journey of n requests over n/10 steps, each carrying
// the session ID, with a rotation every 500 requests and a finding-worthy
// cookie on every response.
func largeRecording(n int) *recording.Recording {
	b := rectest.New("large", "JSESSIONID")
	cur := rectest.ID("0")
	b.Step("goto", "")
	b.Get("https://app.test/login").Set("JSESSIONID", cur, rectest.SecureAttrs)
	for i := 1; i < n; i++ {
		if i%10 == 0 {
			b.Step("click", "", fmt.Sprintf("click #l%d", i))
		}
		q := b.Get(fmt.Sprintf("https://app.test/p/%d", i)).Send("JSESSIONID", cur).Set("pref", "dark", "Path=/")
		if i%500 == 0 {
			cur = rectest.ID(fmt.Sprint(i))
			q.Set("JSESSIONID", cur, rectest.SecureAttrs)
		}
	}
	return b.Rec()
}

func BenchmarkAnalyze10k(b *testing.B) {
	r := largeRecording(10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep := Analyze(r)
		if len(rep.Sessions) != 1 {
			b.Fatal("no session")
		}
	}
}

// BenchmarkAnalyzeSynth is the inspector's case: AnalyzeAll of a generated
// recording with 10k requests and 100k cookie events.
func BenchmarkAnalyzeSynth(b *testing.B) {
	rs := []*recording.Recording{synth.Recording(10_000, 100_000)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if rep := AnalyzeAll(rs); len(rep.Sessions) == 0 {
			b.Fatal("no session")
		}
	}
}
