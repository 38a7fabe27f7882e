package lab

import (
	"net/http"
	"strconv"
	"strings"
)

// hostile.test attacks the client instead of breaking sessions: pages that are
// too big, too many cookies, bytes a cookie may not hold, endless scripts and
// navigations, dialogs, popups and downloads. It exists so that the harness can
// prove it records what happened and moves on. It still runs the common
// application (a session to lose), with the cookie _hostile_session.

// Limits on the query parameters, so that the lab cannot be turned against
// the machine it runs on.
const (
	bigDefaultMB    = 32
	bigMaxMB        = 512
	floodDefault    = 3000
	floodMax        = 10000
	floodPerHop     = 500 // Set-Cookie lines per response: ~20 kB of headers
	longDefaultKB   = 100
	longMaxKB       = 900 // Go's server refuses request headers over 1 MB
	maxPopupsOnLoad = 100
	foreverMaxWait  = 10000
)

func (l *Lab) setupHostile(s *site) {
	s.homeExtra = func(c *ctx) string {
		return `<ul id="hostile">` +
			`<li><a id="big-link" href="/big">/big?mb=N</a>: an HTML page of N MiB (default 32), streamed (dom=1: as paragraphs)</li>` +
			`<li><a id="cookies-link" href="/cookies">/cookies?n=N</a>: sets N cookies (default 3000, 500 per response), past the browser's 180 per domain</li>` +
			`<li><a id="ctl-link" href="/ctl">/ctl</a>: cookies with control characters, from the server (plain http) and from script; /ctl/nul: a NUL</li>` +
			`<li><a id="longurl-link" href="/longurl">/longurl?kb=N</a>: a link and a redirect to a URL of N kB (default 100)</li>` +
			`<li><a id="spin-link" href="/spin">/spin</a>: an endless loop in script (?after=MS starts it after the load)</li>` +
			`<li><a id="alert-link" href="/alert">/alert</a>: alert(), confirm() and prompt() on load (loop=1: then alerts without end)</li>` +
			`<li><a id="beforeunload-link" href="/beforeunload">/beforeunload</a>: asks before the page is left</li>` +
			`<li><a id="popup-link" href="/popup">/popup?n=N</a>: opens N windows on load (default 1), one on click, one by a target=_blank link</li>` +
			`<li><a id="download-link" href="/download">/download</a>: a file download (Content-Disposition: attachment)</li>` +
			`<li><a id="forever-link" href="/forever">/forever?ms=N</a>: navigates itself again and again</li></ul>`
	}
	s.routes["/big"] = func(c *ctx) { bigPage(c) }
	s.routes["/cookies"] = func(c *ctx) { floodCookies(c) }
	s.routes["/ctl"] = func(c *ctx) { l.controlCookies(c, controlLines) }
	s.routes["/ctl/nul"] = func(c *ctx) { l.controlCookies(c, []string{"ctl_nul=a\x00b; Path=/"}) }
	s.routes["/longurl"] = func(c *ctx) { longURLPage(c) }
	s.routes["/longurl/redirect"] = func(c *ctx) { c.redirect(longURL(c)) }
	s.routes["/longurl/target"] = func(c *ctx) { longURLTarget(c) }
	s.routes["/spin"] = func(c *ctx) { spinPage(c) }
	s.routes["/alert"] = func(c *ctx) { alertPage(c) }
	s.routes["/beforeunload"] = func(c *ctx) { beforeUnloadPage(c) }
	s.routes["/popup"] = func(c *ctx) { popupPage(c) }
	s.routes["/popup/child"] = func(c *ctx) { popupChild(c) }
	s.routes["/download"] = func(c *ctx) { download(c) }
	s.routes["/forever"] = func(c *ctx) { foreverPage(c) }
}

// queryInt reads a non-negative integer parameter, clamped to max.
func queryInt(c *ctx, name string, def, max int) int {
	n, err := strconv.Atoi(c.r.URL.Query().Get(name))
	if err != nil || n < 0 {
		return def
	}
	return min(n, max)
}

// bigPage streams an HTML page of about mb MiB from one reused block, so the
// lab itself never holds the page. The filler is an HTML comment, which the
// browser parses fast and does not lay out; with dom=1 it is paragraphs,
// which keep the renderer busy for a long time (about 20 s for 32 MiB on two
// cores). The last element, #big-end, says that the whole page arrived.
func bigPage(c *ctx) {
	mb := queryInt(c, "mb", bigDefaultMB, bigMaxMB)
	dom := c.r.URL.Query().Get("dom") == "1"
	c.flushCookies()
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(http.StatusOK)
	if c.r.Method == http.MethodHead {
		return
	}
	text := "Filler text so that the page is big: the quick brown fox jumps over the lazy dog, again and again."
	pre, line, post := "<!--\n", text+"\n", "-->\n"
	if dom {
		pre, line, post = "", "<p>"+text+"</p>\n", ""
	}
	head := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Big page - hostile.test</title>` +
		`<link rel="icon" href="data:,"></head><body><h1 id="big-start">A page of ` + itoa(mb) + ` MiB</h1>` +
		`<p><a id="home-link" href="/">Home</a></p>` + "\n" + pre
	if _, err := c.w.Write([]byte(head)); err != nil {
		return
	}
	block := []byte(strings.Repeat(line, (64<<10)/len(line)))
	for left := mb << 20; left > 0; left -= len(block) {
		if _, err := c.w.Write(block[:min(left, len(block))]); err != nil {
			return // the client went away
		}
	}
	_, _ = c.w.Write([]byte(post + `<p id="big-end">End of the big page.</p>` +
		`<form id="late-form" method="post" action="/login"><input type="password" name="password"></form></body></html>` + "\n"))
}

// floodCookies sets n cookies (flood_0000, ...) in hops of floodPerHop lines:
// each response sets its share and redirects to the next, and the last one is
// a page. Chromium keeps 180 cookies per domain and evicts the least recently
// used ones beyond that (down to 150), the session cookie among them.
func floodCookies(c *ctx) {
	n := queryInt(c, "n", floodDefault, floodMax)
	from := queryInt(c, "from", 0, floodMax)
	to := min(n, from+floodPerHop)
	sec := secureAttr(c)
	for i := from; i < to; i++ {
		c.raw = append(c.raw, "flood_"+pad4(i)+"="+itoa(i)+"; Path=/; SameSite=Lax"+sec)
	}
	if to < n {
		c.redirect("/cookies?n=" + itoa(n) + "&from=" + itoa(to))
		return
	}
	c.page(http.StatusOK, "Cookie flood - hostile.test", `<h1>Cookie flood</h1><p id="cookies-done">This page and the redirects before it set `+
		itoa(n)+` cookies named flood_0000 and up.</p><p>Cookies visible to script: <span id="cookies-visible">?</span></p>`+
		`<p><a id="account-link" href="/account">Your account</a></p>`+
		`<script>document.getElementById("cookies-visible").textContent = document.cookie ? document.cookie.split("; ").length : 0;</script>`)
}

func pad4(i int) string {
	s := itoa(i)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// Cookie lines with control characters. Go's HTTP/2 server drops header
// values that hold them (and turns CR and LF into spaces over HTTP/1.1), so
// these are sent over plain http only; the https pages redirect there.
// /ctl/nul sends a NUL, for which Chromium refuses the whole response
// (net::ERR_INVALID_HTTP_RESPONSE).
var controlLines = []string{
	"ctl_value=a\x01b; Path=/",
	"ctl_del=a\x7fb; Path=/",
	"ctl_esc=\x1b[31mred\x1b[0m; Path=/",
	"ctl_name\x02=1; Path=/",
	"ctl_tab=a\tb; Path=/",
	"ctl_ok=1; Path=/",
}

const controlJS = `(function () {
  document.cookie = "ctl_js=a\u0001b; Path=/";
  document.cookie = "ctl_js_name\u0003=1; Path=/";
  document.cookie = "ctl_js_ok=1; Path=/";
  var p = document.createElement("p");
  p.id = "ctl-done";
  p.textContent = "Script writes done.";
  document.querySelector("main").appendChild(p);
})();`

func (l *Lab) controlCookies(c *ctx, lines []string) {
	if c.r.ProtoMajor >= 2 {
		c.w.Header().Set("Location", l.HTTPURL(c.host)+c.path)
		c.w.WriteHeader(http.StatusTemporaryRedirect)
		return
	}
	c.raw = append(c.raw, lines...)
	c.page(http.StatusOK, "Control characters - hostile.test", `<h1>Control characters</h1>`+
		`<p>This response sets cookies whose name or value holds a control character (U+0001, U+0002, U+001B, U+007F, a tab), `+
		`and one clean cookie, <code>ctl_ok</code>; its script writes <code>ctl_js</code> (U+0001 in the value), `+
		`<code>ctl_js_name</code> (U+0003 in the name) and <code>ctl_js_ok</code>.</p><script>`+controlJS+`</script>`)
}

// longURL is the target of /longurl's link and redirect: a path with a
// query of kb kilobytes.
func longURL(c *ctx) string {
	kb := queryInt(c, "kb", longDefaultKB, longMaxKB)
	return "/longurl/target?kb=" + itoa(kb) + "&pad=" + strings.Repeat("x", kb<<10)
}

func longURLPage(c *ctx) {
	kb := queryInt(c, "kb", longDefaultKB, longMaxKB)
	c.page(http.StatusOK, "Long URL - hostile.test", `<h1>Long URL</h1>`+
		`<p><a id="long-link" href="`+esc(longURL(c))+`">A link of `+itoa(kb)+` kB</a></p>`+
		`<p><a id="long-redirect-link" href="/longurl/redirect?kb=`+itoa(kb)+`">A redirect to it</a></p>`)
}

// longURLTarget answers the long URL and sets a cookie, so that cookie
// events carry the URL too.
func longURLTarget(c *ctx) {
	c.raw = append(c.raw, "long_seen=1; Path=/; SameSite=Lax"+secureAttr(c))
	c.page(http.StatusOK, "Long URL reached - hostile.test", `<h1>Long URL reached</h1><p id="long-landed">The request URI was `+
		itoa(len(c.r.URL.RequestURI()))+` bytes long.</p><p><a id="home-link" href="/">Home</a></p>`)
}

// spinPage never finishes its script: with ?after=MS the loop starts that
// long after the load (so the page loads and later steps find it busy),
// otherwise while the page is parsed (the load never comes). A cookie set by
// the response shows that the request itself went through.
func spinPage(c *ctx) {
	after := c.r.URL.Query().Get("after")
	script := `for (;;) {}`
	if ms, err := strconv.Atoi(after); err == nil && ms >= 0 {
		script = `setTimeout(function () { for (;;) {} }, ` + itoa(min(ms, 600000)) + `);`
	}
	c.raw = append(c.raw, "spin_seen=1; Path=/; SameSite=Lax"+secureAttr(c))
	c.page(http.StatusOK, "Spin - hostile.test", `<h1>Spin</h1><p id="spin-start">The script below never ends.</p>`+
		`<p><a id="home-link" href="/">Home</a></p><script>`+script+`</script>`)
}

// alertPage opens one dialog of each kind; with ?loop=1 it then opens
// alerts without end (each one numbered).
func alertPage(c *ctx) {
	loop := ""
	if c.r.URL.Query().Get("loop") == "1" {
		loop = `for (var i = 1; ; i++) { alert("hostile alert " + i); }`
	}
	c.page(http.StatusOK, "Dialogs - hostile.test", `<h1>Dialogs</h1><p id="dialog-result">waiting</p><script>
alert("hostile alert");
var ok = confirm("hostile confirm");
var answer = prompt("hostile prompt", "default answer");
document.getElementById("dialog-result").textContent = "confirm=" + ok + " prompt=" + answer;
`+loop+`</script>`)
}

// beforeUnloadPage asks before it is left. Chromium only shows the dialog
// when the user has interacted with the page, hence the #arm button.
func beforeUnloadPage(c *ctx) {
	c.page(http.StatusOK, "Leave? - hostile.test", `<h1>Leave this page?</h1>`+
		`<p><button id="arm" type="button">Start editing</button> <span id="armed">not armed</span></p>`+
		`<p><a id="home-link" href="/">Home</a></p><script>
document.getElementById("arm").addEventListener("click", function () {
  document.getElementById("armed").textContent = "armed";
  window.addEventListener("beforeunload", function (e) { e.preventDefault(); e.returnValue = "unsaved changes"; return "unsaved changes"; });
});
</script>`)
}

// popupPage opens n windows on load (default 1, at most maxPopupsOnLoad),
// one on a button click and one through a target=_blank link. The page
// marks each window it opened once that window's page has loaded
// (#popup-load-done, #popup-click-done), so that a scenario can wait for it.
// Each child sets a cookie, so the jar shows the popups' effect.
func popupPage(c *ctx) {
	n := max(queryInt(c, "n", 1, maxPopupsOnLoad), 1)
	c.page(http.StatusOK, "Popups - hostile.test", `<h1>Popups</h1>`+
		`<p><button id="open-popup" type="button">Open a window</button> `+
		`<a id="blank-link" href="/popup/child?via=link" target="_blank">Open in a new tab</a></p><p id="popup-status"></p>`+
		`<script>
function watch(w, via) {
  var t = setInterval(function () {
    try {
      if (!w.document.getElementById("popup-child")) return;
    } catch (e) { return; }
    clearInterval(t);
    var p = document.createElement("p");
    p.id = "popup-" + via + "-done";
    p.textContent = "The " + via + " popup loaded.";
    document.getElementById("popup-status").appendChild(p);
  }, 20);
}
for (var i = 0; i < `+itoa(n)+`; i++) {
  var w = window.open("/popup/child?via=load", "hostile_load_" + i);
  if (w && i === 0) watch(w, "load");
}
document.getElementById("open-popup").addEventListener("click", function () {
  watch(window.open("/popup/child?via=click", "hostile_click"), "click");
});
</script>`)
}

func popupChild(c *ctx) {
	via := c.r.URL.Query().Get("via")
	if via == "" || len(via) > 16 || strings.ContainsFunc(via, func(r rune) bool { return r < 'a' || r > 'z' }) {
		via = "unknown"
	}
	c.raw = append(c.raw, "popup_"+via+"=1; Path=/; SameSite=Lax"+secureAttr(c))
	c.page(http.StatusOK, "Popup - hostile.test", `<h1>A popup</h1><p id="popup-child">Opened by `+esc(via)+`.</p>`)
}

// download answers with an attachment, which the browser turns into a
// download instead of a page; it sets a cookie like any response.
func download(c *ctx) {
	c.raw = append(c.raw, "download_seen=1; Path=/; SameSite=Lax"+secureAttr(c))
	c.flushCookies()
	c.w.Header().Set("Content-Type", "text/csv")
	c.w.Header().Set("Content-Disposition", `attachment; filename="report.csv"`)
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write([]byte("id,name\n1,alice\n2,bob\n"))
}

// foreverPage replaces itself with its next number, after ms milliseconds
// (default 0: as soon as the script's timer can run), without end. Each response sets
// forever_n to its number.
func foreverPage(c *ctx) {
	n := queryInt(c, "n", 0, 1<<30)
	ms := queryInt(c, "ms", 0, foreverMaxWait)
	next := "/forever?n=" + itoa(n+1) + "&ms=" + itoa(ms)
	c.raw = append(c.raw, "forever_n="+itoa(n)+"; Path=/; SameSite=Lax"+secureAttr(c))
	c.page(http.StatusOK, "Forever "+itoa(n)+" - hostile.test", `<h1>Forever</h1><p id="forever-n">`+itoa(n)+`</p>`+
		`<script>setTimeout(function () { location.replace(`+strconv.Quote(next)+`); }, `+itoa(ms)+`);</script>`)
}
