package harness

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// The token probe replays the last GET the server accepted with an
// Authorization header before the logout step: not a POST, not a refused
// one, not one made during the logout itself; and says whether the server
// still takes the token, without revealing it.
func TestTokenProbeReplaysLastAcceptedBearer(t *testing.T) {
	const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.revoked-or-not"
	revoked := false
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization")+" cookie="+r.Header.Get("Cookie"))
		if revoked || r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	c := newCollector("b")
	req := func(id, method, path, auth string, ts, status string) {
		hdr := `{}`
		if auth != "" {
			hdr = `{"Authorization":"` + auth + `"}`
		}
		feed(c,
			[2]string{mRequestWillBeSent, `{"requestId":"` + id + `","request":{"url":"` + srv.URL + path + `","method":"` + method + `","headers":` + hdr + `},"timestamp":` + ts + `,"wallTime":` + "18000000" + ts + `,"type":"Fetch"}`},
			[2]string{mResponseReceived, `{"requestId":"` + id + `","timestamp":` + ts + `,"response":{"url":"` + srv.URL + path + `","status":` + status + `,"headers":{}}}`})
	}
	req("A", "GET", "/api/me", "Bearer "+token, "10", "200")
	req("B", "GET", "/api/other", "Bearer stale-token-stale-token", "11", "401")
	req("C", "POST", "/api/orders", "Bearer "+token, "12", "200")
	req("D", "GET", "/api/during-logout", "Bearer "+token, "30", "200")
	r := &runner{col: c, red: recording.NewRedactor([]byte("k"), false), b: &Browser{},
		steps: []stepRun{{rec: recording.Step{Start: fromSeconds(1_800_000_020)}}}}
	for _, rev := range []bool{false, true} {
		revoked, got = rev, nil
		p := r.tokenProbe(context.Background())
		if p == nil {
			t.Fatal("no token probe")
		}
		if p.Request != "A" || p.Scheme != "Bearer" || p.Value.Len != len(token) || !strings.HasSuffix(p.URL, "/api/me") {
			t.Errorf("probe %+v, want request A's bearer to /api/me", p)
		}
		if p.Accepted == rev || (rev && p.Status != 401) || (!rev && p.Status != 200) {
			t.Errorf("revoked=%v: accepted %v, status %d", rev, p.Accepted, p.Status)
		}
		if want := "GET /api/me Bearer " + token + " cookie="; len(got) != 1 || got[0] != want {
			t.Errorf("the server got %q, want %q", got, want)
		}
	}
	// Nothing accepted before the logout step: no probe.
	r.steps[0].rec.Start = fromSeconds(1_800_000_005)
	if p := r.tokenProbe(context.Background()); p != nil {
		t.Errorf("probe %+v with no accepted GET before the step", p)
	}
}
