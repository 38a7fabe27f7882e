package analysis

import (
	"math/big"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The expressions the scanners of scan.go replace.
var (
	markerRE   = regexp.MustCompile(`(?i)(?:\[|%5B)value(?::|%3A)([A-Za-z0-9_-]{4,16})(?:\]|%5D)`)
	digitRunRE = regexp.MustCompile(`\d{10,13}`)
)

var scanSeeds = []string{
	"", "/a?sid=[value:AbCd1234]", "%5bVALUE%3aabcd%5D[value:abc][value:abcdefghijklmnopq]",
	"[[value:abcd]]%5Bvalue:zzzz%5d[value%3Aq_-9]", "1700000000123456789 12345678901 123",
	strings.Repeat("9", 26) + "x" + strings.Repeat("1", 23),
}

func FuzzScannersMatchRegexps(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkScanners(t, asciiOnly(s)) })
}

func TestScannersMatchRegexps(t *testing.T) {
	for _, s := range scanSeeds {
		checkScanners(t, s)
	}
}

// asciiOnly drops non-ASCII bytes: case-insensitive regexps fold a few
// non-ASCII letters (U+212A for "k") into ASCII ones.
func asciiOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x80 {
			return -1
		}
		return r
	}, s)
}

func checkScanners(t *testing.T, s string) {
	t.Helper()
	var want []string
	for _, m := range markerRE.FindAllStringSubmatch(s, -1) {
		want = append(want, m[1])
	}
	if got := valueMarkers(s); !reflect.DeepEqual(got, want) {
		t.Errorf("valueMarkers(%q) = %q, regexp says %q", s, got, want)
	}
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
