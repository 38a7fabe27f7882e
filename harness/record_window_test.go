package harness

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/internal/proctest"
	"github.com/sessiontrace/sessiontrace/internal/xvfbtest"
	"github.com/sessiontrace/sessiontrace/lab"
)

// TestRecordHeadedWindow: a browser started for a recording shows one
// window, the recording's (its first blank one is closed), and closing
// that window ends the recording normally.
func TestRecordHeadedWindow(t *testing.T) {
	if _, err := FindChrome(""); err != nil {
		t.Fatalf("%v (make test installs it)", err)
	}
	before := proctest.Chromium()
	xvfbtest.Start(t)
	l, err := lab.Start(lab.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	b, err := StartBrowser(ctx, BrowserOptions{Headed: true, HostRules: "MAP *.test 127.0.0.1, EXCLUDE localhost", TrustSPKI: []string{l.SPKIHash()}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ready, steps := make(chan RecordReady, 1), make(chan struct{})
	stepped := false
	done := make(chan *Recorded, 1)
	go func() {
		res, err := b.Record(ctx, nil, RecordOptions{URL: l.URL("correct.test") + "/login",
			Ready: func(r RecordReady) { ready <- r },
			Progress: func(p RecordProgress) {
				if p.Steps >= 1 && p.Settled && !stepped {
					stepped = true
					close(steps)
				}
			}})
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	r := <-ready
	select {
	case <-steps:
	case <-time.After(20 * time.Second):
		t.Fatal("the first page was not recorded in 20s")
	}
	var got struct {
		TargetInfos []struct{ TargetID, Type string } `json:"targetInfos"`
	}
	var raw json.RawMessage
	if err := chromedp.FromContext(b.ctx).Browser.Call(ctx, "Target.getTargets", nil, &raw); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(raw, &got)
	var pages []string
	for _, ti := range got.TargetInfos {
		if ti.Type == "page" {
			pages = append(pages, ti.TargetID)
		}
	}
	if len(pages) != 1 || pages[0] != r.TargetID {
		t.Errorf("page targets %q, want only the recording's %s", pages, r.TargetID)
	}
	if err := chromedp.FromContext(b.ctx).Browser.Call(ctx, "Target.closeTarget", map[string]any{"targetId": r.TargetID}, nil); err != nil {
		t.Fatal(err)
	}
	var res *Recorded
	select {
	case res = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("closing the window did not end the recording")
	}
	if res == nil || res.Ended != EndWindowClosed || res.Recording.Status != "passed" || len(res.Recording.Steps) == 0 {
		t.Fatalf("the recording ended %+v", res)
	}
	b.Close()
	if err := proctest.WaitGone(before, 10*time.Second); err != nil {
		t.Error(err)
	}
}
