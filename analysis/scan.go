package analysis

// Hand-written scanners instead of regular expressions and math/big: both
// packages weigh on the inspector's WebAssembly bundle far more than these
// few lines. scan_test.go holds them to the expressions they replace. The
// "[value:FP]" placeholders are read by recording.ValuePlaceholders.

// digitRuns returns the runs of 10 to 13 ASCII digits in s, left to right,
// a longer run read 13 digits at a time.
// It is FindAllString of \d{10,13}.
func digitRuns(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		end := i
		for end < len(s) && '0' <= s[end] && s[end] <= '9' {
			end++
		}
		for end-i >= 10 {
			n := min(13, end-i)
			out = append(out, s[i:i+n])
			i += n
		}
		i = end
	}
	return out
}

// digitsIn returns the digit values of s in base 10 or 16, without leading
// zeros, or false when s is empty or has another character.
func digitsIn(s string, base int) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	ds := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		var d byte
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			d = c - '0'
		case base == 16 && 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return nil, false
		}
		if len(ds) == 0 && d == 0 {
			continue
		}
		ds = append(ds, d)
	}
	return ds, true
}

// compareDigits compares two digit strings without leading zeros.
func compareDigits(a, b []byte) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}

// spreadAtMost returns hi-lo for digit strings with hi >= lo when that is
// at most limit, and false when it is larger.
func spreadAtMost(hi, lo []byte, base int, limit uint64) (uint64, bool) {
	// Subtract digit by digit (schoolbook), then read the difference; any
	// non-zero digit beyond what limit allows means "larger".
	diff := make([]byte, len(hi))
	borrow := 0
	for i := len(hi) - 1; i >= 0; i-- {
		d := int(hi[i]) - borrow
		if j := i - (len(hi) - len(lo)); j >= 0 {
			d -= int(lo[j])
		}
		borrow = 0
		if d < 0 {
			d += base
			borrow = 1
		}
		diff[i] = byte(d)
	}
	var v uint64
	for _, d := range diff {
		if v > (limit-uint64(d))/uint64(base) {
			return 0, false
		}
		v = v*uint64(base) + uint64(d)
	}
	return v, v <= limit
}
