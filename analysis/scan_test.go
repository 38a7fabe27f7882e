package analysis

import (
	"math/big"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The expression the scanner of scan.go replaces.
var digitRunRE = regexp.MustCompile(`\d{10,13}`)

var scanSeeds = []string{
	"", "/a?sid=[value:AbCd1234]", "1700000000123456789 12345678901 123", "١٢٣٤٥٦٧٨٩٠١ 1234567890\xff12",
	strings.Repeat("9", 26) + "x" + strings.Repeat("1", 23),
}

func FuzzScannersMatchRegexps(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkScanners(t, s) })
}

func TestScannersMatchRegexps(t *testing.T) {
	for _, s := range scanSeeds {
		checkScanners(t, s)
	}
}

func checkScanners(t *testing.T, s string) {
	t.Helper()
	if got, want := digitRuns(s), digitRunRE.FindAllString(s, -1); !reflect.DeepEqual(got, want) {
		t.Errorf("digitRuns(%q) = %q, regexp says %q", s, got, want)
	}
}

// bigSpread is the math/big version counterSpread replaced.
func bigSpread(vs []string) (*big.Int, bool) {
	for _, base := range []int{10, 16} {
		var lo, hi *big.Int
		ok := true
		for _, v := range vs {
			if base == 16 && len(v) != len(vs[0]) {
				ok = false
				break
			}
			n, good := new(big.Int).SetString(v, base)
			if !good {
				ok = false
				break
			}
			if lo == nil || n.Cmp(lo) < 0 {
				lo = n
			}
			if hi == nil || n.Cmp(hi) > 0 {
				hi = n
			}
		}
		if ok && lo != nil {
			return new(big.Int).Sub(hi, lo), true
		}
	}
	return nil, false
}

func FuzzCounterSpread(f *testing.F) {
	f.Add("1000", "1005", "0999")
	f.Add("ffff0000aa", "ffff0000ab", "FFFF0001AA")
	f.Add("123456789012345678901234567890", "123456789012345678901234567891", "123456789012345678901234500000")
	f.Add("00", "0", "1048576")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		vs := []string{a, b, c}
		for _, v := range vs {
			if strings.ContainsAny(v, "+-_") { // signs and underscores: big.Int reads them, IDs do not carry them
				return
			}
		}
		const limit = 1 << 20
		got, ok := counterSpread(vs, limit)
		want, wok := bigSpread(vs)
		wok = wok && want.Cmp(big.NewInt(limit)) <= 0
		if ok != wok || ok && want.Uint64() != got {
			t.Fatalf("counterSpread(%q) = %d, %v; math/big says %v, %v", vs, got, ok, want, wok)
		}
	})
}
