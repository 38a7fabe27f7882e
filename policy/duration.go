package policy

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/yamlfile"
)

const day = 24 * time.Hour

var lifetimeUnits = map[string]time.Duration{
	"d": day, "h": time.Hour, "m": time.Minute, "s": time.Second, "ms": time.Millisecond,
}

// parseLifetime reads a duration in Go's syntax ("90s", "2h30m") plus the
// unit d for days ("30d", "1d12h"): cookie lifetimes are counted in days.
func parseLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty duration")
	}
	var total time.Duration
	rest := s
	for rest != "" {
		// One number and its unit.
		i := 0
		for i < len(rest) && (rest[i] == '.' || rest[i] >= '0' && rest[i] <= '9') {
			i++
		}
		j := i
		for j < len(rest) && (rest[j] < '0' || rest[j] > '9') && rest[j] != '.' {
			j++
		}
		num, unit := rest[:i], rest[i:j]
		rest = rest[j:]
		if num == "" || unit == "" {
			return 0, errors.New("want a number and a unit, like 30d or 2h")
		}
		scale, ok := lifetimeUnits[unit]
		if !ok {
			return 0, errors.New("unknown unit " + yamlfile.Quote(unit) + ": use d, h, m, s or ms")
		}
		n, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return 0, errors.New("bad number " + yamlfile.Quote(num))
		}
		f := n * float64(scale)
		if f >= float64(math.MaxInt64-total) {
			return 0, errors.New("too long")
		}
		total += time.Duration(f)
	}
	return total, nil
}

// formatLifetime writes d the way a person would, in the units
// parseLifetime reads: "30d", "1d12h", "2h", "1m30s", "500ms".
func formatLifetime(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	var b strings.Builder
	for _, u := range []struct {
		name string
		size time.Duration
	}{{"d", day}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond}} {
		if n := d / u.size; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10) + u.name)
			d -= n * u.size
		}
	}
	if b.Len() == 0 {
		return "1ms" // under a millisecond: never a cookie's lifetime
	}
	return b.String()
}

// lifetimeSteps are the limits a baseline rounds an observed lifetime up
// to, so that the file reads like a decision and a re-run with a slightly
// different clock still passes.
var lifetimeSteps = []time.Duration{
	time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 12 * time.Hour,
	day, 2 * day, 7 * day, 14 * day, 30 * day, 90 * day, 180 * day, 365 * day, 400 * day,
}

// roundUpLifetime returns the first of lifetimeSteps at or above d;
// lifetimes under a minute are kept to the second (they are deliberate),
// and over 400 days rounded up to whole days.
func roundUpLifetime(d time.Duration) time.Duration {
	d = d.Truncate(time.Second)
	if d < time.Minute {
		return max(d, time.Second)
	}
	for _, s := range lifetimeSteps {
		if d <= s {
			return s
		}
	}
	if d%day != 0 {
		d = d.Truncate(day) + day
	}
	return d
}
