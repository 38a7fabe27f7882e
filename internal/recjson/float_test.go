package recjson

import (
	"math"
	"strconv"
	"testing"
)

// exactFloat is strconv.ParseFloat wherever it answers.
func FuzzExactFloat(f *testing.F) {
	for _, s := range []string{"0", "-0", "10.3", "128", "21.3", "0.1", "-12.75", "123456789012345", "99999999999999.9", "0.00000000000001", "1.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := exactFloat([]byte(s))
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: exactFloat %v, strconv %v (%v)", s, got, want, err)
		}
	})
}
