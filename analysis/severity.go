package analysis

import (
	"fmt"
	"strings"
)

// A Severity ranks a finding: critical, high, medium, low or info.
type Severity string

// The severities, worst first.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
	Info     Severity = "info"
)

// Severities lists the severities, worst first.
var Severities = []Severity{Critical, High, Medium, Low, Info}

// ParseSeverity reads a severity name, in any case.
func ParseSeverity(s string) (Severity, error) {
	t := Severity(strings.ToLower(strings.TrimSpace(s)))
	if t.rank() > 0 {
		return t, nil
	}
	return "", fmt.Errorf("unknown severity %q: use critical, high, medium, low or info", s)
}

// rank is 5 for critical down to 1 for info, and 0 for anything else.
func (s Severity) rank() int {
	switch s {
	case Critical:
		return 5
	case High:
		return 4
	case Medium:
		return 3
	case Low:
		return 2
	case Info:
		return 1
	}
	return 0
}

// AtLeast reports whether s is as bad as t or worse. An unknown severity is
// below info.
func (s Severity) AtLeast(t Severity) bool { return s.rank() >= t.rank() }

func (s Severity) String() string { return string(s) }

// worse returns the worse of two severities.
func worse(a, b Severity) Severity {
	if b.rank() > a.rank() {
		return b
	}
	return a
}
