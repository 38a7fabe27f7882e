package harness_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

const targetsScenario = `name: "Targets: a cross-site frame, a popup, a worker"
target: ${lab.targets}
steps:
  - goto: /targets
  - wait: { selector: "#widget-done" }
  - click: "#open-popup"
  - wait: { selector: "#popup-done" }
  - click: "#start-worker"
  - wait: { selector: "#worker-done" }
  - goto: /
`

// TestTargetsRecorded: the requests of a cross-site frame (its own
// process), of a popup and of a dedicated worker are recorded, each with
// its target, with their cookies sent, set and blocked.
func TestTargetsRecorded(t *testing.T) {
	needChrome(t)
	l := startLab(t)
	defer l.Close()
	b, err := harness.StartBrowser(context.Background(), labBrowser(l))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sc, err := scenarios.Parse("targets.yaml", []byte(targetsScenario))
	if err != nil {
		t.Fatal(err)
	}
	rec := b.Run(context.Background(), sc, harness.Options{Resolver: scenarios.Resolver{Lab: l.Var},
		StepTimeout: 10 * time.Second, Timeout: 60 * time.Second, Dir: t.TempDir()})
	data, err := recording.Encode(rec)
	if err != nil {
		t.Fatal(err)
	}
	r, err := recording.Decode("targets.json", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range r.Requests {
		t.Logf("%-28s %-8s %s %d sent=%d withheld=%d set=%d", q.Target, q.ID, q.URL, q.Status, len(q.CookiesSent), len(q.CookiesWithheld), len(q.SetCookies))
	}
	for _, w := range r.Warnings {
		t.Logf("warning: %s", w)
	}
	if r.Status != recording.StatusPassed {
		t.Fatalf("status %s: %s", r.Status, r.Error)
	}
	byURL := func(target, suffix string) *recording.Request {
		t.Helper()
		for i, q := range r.Requests {
			if q.Target == target && strings.Contains(q.URL, suffix) {
				return &r.Requests[i]
			}
		}
		t.Errorf("no request to %s from target %q", suffix, target)
		return nil
	}
	setNames := func(q *recording.Request) []string {
		var out []string
		for _, s := range q.SetCookies {
			out = append(out, s.Name+":"+strings.Join(s.Reasons, ","))
		}
		return out
	}
	sentNames := func(q *recording.Request) []string {
		var out []string
		for _, s := range q.CookiesSent {
			out = append(out, s.Name)
		}
		return out
	}
	if q := byURL("frame https://widget.test", "/frame"); q != nil {
		t.Logf("frame document: set %v", setNames(q))
	}
	if q := byURL("frame https://widget.test", "/widget.js"); q != nil {
		t.Logf("widget script: sent %v set %v", sentNames(q), setNames(q))
	}
	if q := byURL("popup 1", "/targets/popup"); q != nil {
		t.Logf("popup: sent %v set %v", sentNames(q), setNames(q))
	}
	if q := byURL("worker", "/targets/api"); q != nil {
		t.Logf("worker: sent %v set %v", sentNames(q), setNames(q))
	}
}
