package analysis

import (
	"fmt"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/synth"
	"github.com/sessiontrace/sessiontrace/recording"
)

// largeRecording is a journey of n requests over n/10 steps, each carrying
// the session ID, with a rotation every 500 requests and a finding-worthy
// cookie on every response.
func largeRecording(n int) *recording.Recording {
	b := newRec("large", "JSESSIONID")
	cur := id("0")
	b.step("goto", "")
	b.get("https://app.test/login").set("JSESSIONID", cur, secureAttrs)
	for i := 1; i < n; i++ {
		if i%10 == 0 {
			b.step("click", "", fmt.Sprintf("click #l%d", i))
		}
		q := b.get(fmt.Sprintf("https://app.test/p/%d", i)).send("JSESSIONID", cur).set("pref", "dark", "Path=/")
		if i%500 == 0 {
			cur = id(fmt.Sprint(i))
			q.set("JSESSIONID", cur, secureAttrs)
		}
	}
	return b.rec()
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
