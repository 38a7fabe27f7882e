//go:build !js

package recjson_test

import (
	"encoding/json"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/synth"
	"github.com/sessiontrace/sessiontrace/recording"
)

// BenchmarkDecode reads the benchmarks' synthetic recording (2,000
// requests, 20,000 cookie events) with the generated decoder
// (recording.Decode) and with encoding/json.
func BenchmarkDecode(b *testing.B) {
	data, err := recording.Encode(synth.Recording(2000, 20000))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("recjson", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := recording.Decode("x", data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var r recording.Recording
			if err := json.Unmarshal(data, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
