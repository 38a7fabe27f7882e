package harness

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestEndpointStringHidesSecrets(t *testing.T) {
	for in, want := range map[string]string{
		"ws://127.0.0.1:3000?token=s3cr3t":                 "ws://127.0.0.1:3000?token=…",
		"wss://pool.example/chrome?token=abc&stealth=true": "wss://pool.example/chrome?token=…&stealth=…",
		"http://user:pa55w0rd@grid:4444/se/cdp":            "http://user:%E2%80%A6@grid:4444/se/cdp",
		"http://127.0.0.1:9222":                            "http://127.0.0.1:9222",
	} {
		e, err := ParseEndpoint(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := e.String(); got != want {
			t.Errorf("%s: String() = %q, want %q", in, got, want)
		}
	}
}

func TestParseEndpointErrors(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:9222":          "scheme",
		"ftp://h:1?token=s3cr3t":  `scheme "ftp"`,
		"ws://?token=s3cr3t":      "no host",
		"ws://h:1/%zz?token=s3cr": "not a URL",
	} {
		_, err := ParseEndpoint(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr") {
			t.Errorf("%s: the error repeats the token: %v", in, err)
		}
	}
}

// pool is a DevTools endpoint as browserless serves it: /json/version
// needs the token and names a bare WebSocket address.
func fakePool(t *testing.T, status int, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/json/version" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("token") != "s3cr3t" {
			http.Error(w, "Bad or missing authentication", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(status)
		w.Write([]byte(strings.ReplaceAll(body, "HOST", r.Host)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestResolveKeepsTheQuery(t *testing.T) {
	srv := fakePool(t, 200, `{"Browser":"Chrome/156","webSocketDebuggerUrl":"ws://HOST"}`)
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, given := range []string{"ws://" + host + "?token=s3cr3t", srv.URL + "?token=s3cr3t"} {
		e, _ := ParseEndpoint(given)
		got, err := e.resolve(context.Background(), srv.Client())
		if err != nil {
			t.Fatalf("%s: %v", given, err)
		}
		u, _ := url.Parse(got.ws)
		if u.Query().Get("token") != "s3cr3t" || u.Host != host || !got.perConn {
			t.Errorf("%s: resolved to %s (perConn %v), want ws://%s?token=s3cr3t, a browser per connection", given, got.ws, got.perConn, host)
		}
	}
}

func TestResolveBrowsersOwnAddress(t *testing.T) {
	srv := fakePool(t, 200, `{"webSocketDebuggerUrl":"ws://HOST/devtools/browser/abc"}`)
	e, _ := ParseEndpoint(srv.URL + "?token=s3cr3t")
	got, err := e.resolve(context.Background(), srv.Client())
	if err != nil || got.perConn || !strings.Contains(got.ws, "/devtools/browser/abc") {
		t.Fatalf("resolved to %+v, %v: want the browser's own address, shared", got, err)
	}
	direct := "ws://127.0.0.1:1/devtools/browser/xyz?token=s3cr3t"
	e, _ = ParseEndpoint(direct)
	if got, err := e.resolve(context.Background(), srv.Client()); err != nil || got.ws != direct {
		t.Fatalf("a /devtools/browser/ address resolved to %+v, %v: want it as given, without discovery", got, err)
	}
}

func TestResolveErrorsSayWhatToDo(t *testing.T) {
	refusing := fakePool(t, 200, `{}`)
	busy := fakePool(t, http.StatusTooManyRequests, `queue full`)
	notDevTools := fakePool(t, 200, `<html>hello</html>`)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for _, c := range []struct {
		url  string
		is   error
		want string
	}{
		{refusing.URL + "?token=wrong-token", ErrRefused, "refused the credentials"},
		{busy.URL + "?token=s3cr3t", ErrBusy, "busy"},
		{notDevTools.URL + "?token=s3cr3t", nil, "not a DevTools endpoint"},
		{closed.URL + "?token=s3cr3t", nil, "nothing answers at"},
	} {
		e, _ := ParseEndpoint(c.url)
		_, err := e.resolve(context.Background(), http.DefaultClient)
		if err == nil || !strings.Contains(err.Error(), c.want) || (c.is != nil && !errors.Is(err, c.is)) {
			t.Errorf("%s: error %v, want %q", e, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "wrong-token") {
			t.Errorf("%s: the error repeats the token: %v", e, err)
		}
	}
}

func TestAttachRetriesABusyPool(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		http.Error(w, "queue full", http.StatusTooManyRequests)
	}))
	defer srv.Close()
	_, err := StartBrowser(context.Background(), BrowserOptions{RemoteURL: srv.URL + "?token=s3cr3t", BusyWait: 1500 * time.Millisecond})
	if !errors.Is(err, ErrBusy) || calls < 3 {
		t.Fatalf("after %d tries: %v; want several tries, then ErrBusy", calls, err)
	}
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("the error repeats the token: %v", err)
	}
}

func TestDialErrorHidesTheToken(t *testing.T) {
	// A port with 401 in it is not a refusal.
	e, _ := ParseEndpoint("ws://127.0.0.1:14010?token=s3cr3t")
	if err := e.dialError(errors.New(`could not dial "ws://127.0.0.1:14010?token=s3cr3t": i/o timeout`)); errors.Is(err, ErrRefused) || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("a timeout on port 14010: %v", err)
	}
	e, _ = ParseEndpoint("ws://127.0.0.1:9?token=s3cr3t%2Fx")
	err := e.dialError(errors.New(`could not dial "ws://127.0.0.1:9?token=s3cr3t%2Fx": websocket handshake failed: unexpected status "401 Unauthorized"`))
	if !errors.Is(err, ErrRefused) || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("dial error %v: want ErrRefused without the token", err)
	}
}

func TestWithLaunchArgs(t *testing.T) {
	got := withLaunchArgs(`ws://h:1?token=t&launch={"args":["--lang=de"],"stealth":true}`, []string{"--host-resolver-rules=MAP *.test 127.0.0.1"})
	u, _ := url.Parse(got)
	want := `{"args":["--lang=de","--host-resolver-rules=MAP *.test 127.0.0.1"],"stealth":true}`
	if u.Query().Get("launch") != want || u.Query().Get("token") != "t" {
		t.Fatalf("launch = %s (token %q), want %s", u.Query().Get("launch"), u.Query().Get("token"), want)
	}
	if same := withLaunchArgs("ws://h:1?token=t", nil); same != "ws://h:1?token=t" {
		t.Fatalf("no flags changed the URL: %s", same)
	}
}
