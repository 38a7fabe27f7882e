//go:build !js

package analysis

import (
	"encoding/json"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// FuzzAnalyze decodes arbitrary JSON as a recording and analyses it: the
// analysis must not panic, must only report known rules and causes, and
// its report must encode. Seeds: testdata/fuzz/FuzzAnalyze (three real lab
// recordings and two crafted ones) and small crafted journeys.
func FuzzAnalyze(f *testing.F) {
	for _, r := range fuzzSeeds() {
		if data, err := recording.Encode(r); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"schema":"sessiontrace.recording/v1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := recording.Decode("fuzz.json", data)
		if err != nil {
			return
		}
		rep := Analyze(r)
		check(t, rep)
		if _, err := json.Marshal(rep); err != nil {
			t.Fatal(err)
		}
		all := AnalyzeAll([]*recording.Recording{r, r})
		check(t, all)
	})
}
