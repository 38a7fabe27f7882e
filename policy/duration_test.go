package policy

import (
	"testing"
	"time"
)

func TestParseLifetime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"90s", 90 * time.Second, false},
		{"2h30m", 150 * time.Minute, false},
		{"30d", 30 * day, false},
		{"1d12h", 36 * time.Hour, false},
		{"1.5d", 36 * time.Hour, false},
		{"500ms", 500 * time.Millisecond, false},
		{" 400d ", 400 * day, false},
		{"", 0, true},
		{"10", 0, true},
		{"d", 0, true},
		{"-1h", 0, true},
		{"2y", 0, true},
		{"1..2h", 0, true},
		{"300000000d", 0, true},
		{"106751d106751d", 0, true},
	}
	for _, tt := range tests {
		got, err := parseLifetime(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("parseLifetime(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestFormatLifetime(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * day: "30d", 36 * time.Hour: "1d12h", 2 * time.Hour: "2h", 150 * time.Minute: "2h30m",
		45 * time.Minute: "45m", 90 * time.Second: "1m30s", 2 * time.Second: "2s", 0: "0s",
	} {
		if got := formatLifetime(d); got != want {
			t.Errorf("formatLifetime(%v) = %q, want %q", d, got, want)
		}
		if d > 0 {
			if back, err := parseLifetime(formatLifetime(d)); err != nil || back != d {
				t.Errorf("%v does not read back: %v, %v", d, back, err)
			}
		}
	}
}

func TestRoundUpLifetime(t *testing.T) {
	for d, want := range map[time.Duration]time.Duration{
		2*time.Second + 400*time.Millisecond: 2 * time.Second,
		0:                                    time.Second,
		time.Minute:                          time.Minute,
		61 * time.Second:                     5 * time.Minute,
		3600 * time.Second:                   time.Hour,
		3601 * time.Second:                   2 * time.Hour,
		20 * 24 * time.Hour:                  30 * day,
		365*day + time.Hour:                  400 * day,
		730 * day:                            730 * day,
		730*day + time.Hour:                  731 * day,
	} {
		if got := roundUpLifetime(d); got != want {
			t.Errorf("roundUpLifetime(%v) = %v, want %v", d, got, want)
		}
	}
}
