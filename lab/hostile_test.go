package lab

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// hostile.test's pages, from a Go client. What Chromium does with them is
// tested in harness/hostile_test.go.
func TestHostilePages(t *testing.T) {
	l := startLab(t, Config{})
	base := l.URL("hostile.test")

	t.Run("big", func(t *testing.T) {
		tc := newClient(t, l)
		r := tc.get(base + "/big?mb=2")
		if len(r.body) < 2<<20 || len(r.body) > 2<<20+4096 || !strings.HasSuffix(strings.TrimSpace(r.body), "</html>") {
			t.Fatalf("/big?mb=2: %d bytes", len(r.body))
		}
		mustContain(t, "big", r.body, `<p id="big-end">`)
		mustContain(t, "big", r.body, "<!--\n")
		mustNotContain(t, "big", r.body[:len(r.body)-4096], "<p>Filler")
		dom := tc.get(base + "/big?mb=1&dom=1")
		mustContain(t, "big dom", dom.body, "<p>Filler")
		if r := tc.get(base + "/big?mb=-3"); len(r.body) < bigDefaultMB<<20 {
			t.Errorf("a bad mb must give the default size, got %d bytes", len(r.body))
		}
	})

	t.Run("cookies", func(t *testing.T) {
		tc := newClient(t, l)
		u, total, hops := base+"/cookies?n=1200", 0, 0
		for ; hops < 10; hops++ {
			r := tc.getWith(u, "")
			total += len(r.rawSetCookies())
			if r.status == http.StatusOK {
				mustContain(t, "flood page", r.body, `id="cookies-done"`)
				break
			}
			if r.status != http.StatusSeeOther {
				t.Fatalf("%s: %d", u, r.status)
			}
			u = base + r.location()
		}
		if total != 1200 || hops != 2 {
			t.Fatalf("%d cookies in %d redirects, want 1200 in 2", total, hops)
		}
	})

	t.Run("ctl", func(t *testing.T) {
		tc := newClient(t, l)
		// Over HTTP/2 the control characters cannot be sent: to plain http.
		r := tc.get(base + "/ctl")
		if r.status != http.StatusTemporaryRedirect || r.location() != l.HTTPURL("hostile.test")+"/ctl" {
			t.Fatalf("https /ctl: %d %q", r.status, r.location())
		}
		lines, body := rawGet(t, l, "/ctl")
		for _, want := range controlLines {
			if !strings.Contains(lines, "Set-Cookie: "+want+"\r\n") {
				t.Errorf("Set-Cookie %q not sent as is", want)
			}
		}
		mustContain(t, "ctl script", body, `document.cookie = "ctl_js=a\u0001b; Path=/"`)
		if lines, _ := rawGet(t, l, "/ctl/nul"); !strings.Contains(lines, "Set-Cookie: ctl_nul=a\x00b; Path=/\r\n") {
			t.Errorf("/ctl/nul: no NUL in:\n%q", lines)
		}
	})

	t.Run("longurl", func(t *testing.T) {
		tc := newClient(t, l)
		r := tc.get(base + "/longurl?kb=20")
		mustContain(t, "longurl", r.body, `id="long-link" href="/longurl/target?kb=20&amp;pad=xxxx`)
		red := tc.get(base + "/longurl/redirect?kb=20")
		if red.status != http.StatusSeeOther || len(red.location()) < 20<<10 {
			t.Fatalf("redirect: %d, Location of %d bytes", red.status, len(red.location()))
		}
		land := tc.get(base + red.location())
		mustContain(t, "target", land.body, fmt.Sprintf("was %d bytes long", len(red.location())))
		if land.setCookie("long_seen") == nil {
			t.Error("the long URL sets no cookie")
		}
		if r := tc.get(base + "/longurl?kb=99999"); !strings.Contains(r.body, fmt.Sprintf("A link of %d kB", longMaxKB)) {
			t.Error("kb is not capped")
		}
	})

	t.Run("scripts", func(t *testing.T) {
		tc := newClient(t, l)
		for path, want := range map[string]string{
			"/spin":           "for (;;) {}",
			"/spin?after=50":  "setTimeout(function () { for (;;) {} }, 50);",
			"/alert":          `prompt("hostile prompt"`,
			"/alert?loop=1":   `for (var i = 1; ; i++) { alert("hostile alert " + i); }`,
			"/beforeunload":   `addEventListener("beforeunload"`,
			"/popup":          `window.open("/popup/child?via=load"`,
			"/popup?n=500":    `i < 100;`,
			"/forever?n=4":    `location.replace("/forever?n=5&ms=0")`,
			"/forever?ms=250": `}, 250);`,
		} {
			mustContain(t, path, tc.get(base+path).body, want)
		}
		if r := tc.get(base + "/spin"); r.setCookie("spin_seen") == nil {
			t.Error("/spin sets no cookie")
		}
		if r := tc.get(base + "/forever?n=7"); r.setCookie("forever_n") == nil || r.setCookie("forever_n").Value != "7" {
			t.Error("/forever does not number its cookie")
		}
		if r := tc.get(base + "/popup/child?via=<b>"); r.setCookie("popup_unknown") == nil {
			t.Error("a bad via must not reach the cookie name")
		}
	})

	t.Run("download", func(t *testing.T) {
		r := newClient(t, l).get(base + "/download")
		if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || r.setCookie("download_seen") == nil {
			t.Fatalf("Content-Disposition %q, cookies %q", cd, r.rawSetCookies())
		}
	})
}

// rawGet sends GET path to hostile.test over plain HTTP/1.1 on a bare
// connection and returns the header block and the body as they came on the
// wire, control characters included.
func rawGet(t *testing.T, l *Lab, path string) (headers, body string) {
	t.Helper()
	conn, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", itoa(l.HTTPPort())))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: hostile.test\r\nConnection: close\r\n\r\n", path)
	raw, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	headers, body, _ = strings.Cut(string(raw), "\r\n\r\n")
	return headers + "\r\n", body
}
