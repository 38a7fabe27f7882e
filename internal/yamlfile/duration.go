package yamlfile

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// durationSyntax is Go's duration syntax: what time.ParseDuration
// accepts, whatever the size.
var durationSyntax = regexp.MustCompile(`^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`)

// ErrNotDuration is ParseDuration's error for text that is not a
// duration at all.
var ErrNotDuration = errors.New("expected a duration like 2s or 500ms")

// ParseDuration reads a Go duration ("2s", "1h30m") of at most limit (no
// limit when 0). It tells apart text that is no duration
// (ErrNotDuration), a negative one, and one that is too large: beyond
// limit, or beyond what a duration holds (about 290 years), saying the
// limit.
func ParseDuration(s string, limit time.Duration) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	switch {
	case err != nil && !durationSyntax.MatchString(s):
		return 0, ErrNotDuration
	case d < 0 || strings.HasPrefix(s, "-"):
		return 0, fmt.Errorf("a duration cannot be negative, got %s", Quote(s))
	case err != nil:
		return 0, fmt.Errorf("%s is too large: %s", Quote(s), atMost(limit))
	case limit > 0 && d > limit:
		return 0, fmt.Errorf("%s is too large: %s", Quote(s), atMost(limit))
	}
	return d, nil
}

// atMost says the limit, in the units a person would write.
func atMost(limit time.Duration) string {
	if limit <= 0 {
		return "a duration holds at most about 290 years"
	}
	return "at most " + FormatDuration(limit)
}

// FormatDuration writes d without the zero parts time.Duration.String
// adds: 24h, 1h30m, 90s, 500ms.
func FormatDuration(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d >= time.Minute && d%time.Minute == 0:
		return strings.TrimSuffix(d.String(), "0s")
	}
	return d.String()
}
