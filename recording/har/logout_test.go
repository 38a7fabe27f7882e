package har

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// A HAR gets SESSION-LOGOUT-INCOMPLETE too: the import marks the request
// to /logout as: logout, and the lab's logout journey with the deletion
// taken out of the logout response leaves the session ID in the browser.
func TestImportHARLogoutIncomplete(t *testing.T) {
	var h map[string]any
	if err := json.Unmarshal(readHAR(t, "chrome-correct.har"), &h); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range h["log"].(map[string]any)["entries"].([]any) {
		e := e.(map[string]any)
		if !strings.HasSuffix(e["request"].(map[string]any)["url"].(string), "/logout") {
			continue
		}
		resp := e["response"].(map[string]any)
		var kept []any
		for _, hd := range resp["headers"].([]any) {
			if !strings.EqualFold(hd.(map[string]any)["name"].(string), "set-cookie") {
				kept = append(kept, hd)
			}
		}
		resp["headers"], resp["cookies"] = kept, []any{}
		found = true
	}
	if !found {
		t.Fatal("no /logout entry in the fixture")
	}
	data, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	analyse := func(data []byte) []analysis.Finding {
		rec, _, err := Import("logout.har", data, recording.NewRedactor([]byte("test key"), false))
		if err != nil {
			t.Fatal(err)
		}
		var out []analysis.Finding
		for _, f := range analysis.Analyze(rec).Findings {
			if f.Rule == analysis.RuleSessionLogoutIncomplete {
				out = append(out, f)
			}
		}
		return out
	}
	if fs := analyse(readHAR(t, "chrome-correct.har")); len(fs) != 0 {
		t.Fatalf("the lab's logout deletes the cookie, yet: %+v", fs)
	}
	fs := analyse(data)
	if len(fs) != 1 || fs[0].Cookie != "__Host-sid" || fs[0].Step != 2 || fs[0].Severity != analysis.Medium {
		t.Fatalf("findings = %+v", fs)
	}
}
