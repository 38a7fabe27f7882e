package yamlfile

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for _, c := range []struct {
		in    string
		limit time.Duration
		want  time.Duration
		err   string
	}{
		{"2s", time.Hour, 2 * time.Second, ""},
		{" 1h30m ", 0, 90 * time.Minute, ""},
		{"24h", 24 * time.Hour, 24 * time.Hour, ""},
		{"24h1s", 24 * time.Hour, 0, `"24h1s" is too large: at most 24h`},
		{"99999999h", 24 * time.Hour, 0, `"99999999h" is too large: at most 24h`},
		{"99999999h", 0, 0, `"99999999h" is too large: a duration holds at most about 290 years`},
		{"2", 0, 0, ErrNotDuration.Error()},
		{"soon", 0, 0, ErrNotDuration.Error()},
		{"-5s", 0, 0, `a duration cannot be negative, got "-5s"`},
		{"-99999999h", 0, 0, `a duration cannot be negative, got "-99999999h"`},
		{"-0s", 0, 0, `a duration cannot be negative, got "-0s"`},
	} {
		got, err := ParseDuration(c.in, c.limit)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if got != c.want || msg != c.err {
			t.Errorf("ParseDuration(%q, %v) = %v, %q; want %v, %q", c.in, c.limit, got, msg, c.want, c.err)
		}
	}
	for d, want := range map[time.Duration]string{24 * time.Hour: "24h", 90 * time.Minute: "1h30m", 9600 * time.Hour: "9600h", 1500 * time.Millisecond: "1.5s"} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
