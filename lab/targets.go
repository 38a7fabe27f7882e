package lab

import (
	"net/http"
	"strings"
)

// targets.test runs the common application with pages whose requests come
// from other targets than the tab: a cross-site frame (widget.test, in its
// own process), a popup, a dedicated worker, a service worker. Each of
// them sets a cookie and sends the cookies it holds, so that a recorder
// that only listens to the tab sees the jar change with no request to
// show for it.

func (l *Lab) setupTargets(s *site) {
	link := func(c *ctx) string {
		return `<p><a id="targets-link" href="/targets">Dashboard (a widget, a popup, workers)</a></p>`
	}
	s.homeExtra, s.accountExtra = link, link
	s.routes["/targets"] = func(c *ctx) { l.targetsPage(c) }
	s.routes["/targets/popup"] = func(c *ctx) { targetsPopup(c) }
	s.routes["/targets/popup/export"] = func(c *ctx) { targetsExport(c) }
	s.routes["/targets/worker.js"] = func(c *ctx) { targetsWorker(c) }
	s.routes["/targets/sw.js"] = func(c *ctx) { targetsServiceWorker(c) }
	s.routes["/targets/api"] = func(c *ctx) { targetsAPI(c) }
	s.routes["/targets/help"] = func(c *ctx) { targetsHelp(c) }
	s.routes["/targets/help/useful"] = func(c *ctx) { targetsHelpUseful(c) }
	s.routes["/targets/help/ask"] = func(c *ctx) { targetsHelpAsk(c) }
}

// targetsPage frames widget.test and marks, once each has done its part,
// the widget (#widget-done), the popup opened by #open-popup
// (#popup-done), the worker started by #start-worker (#worker-done) and
// the service worker registered by #register-sw (#sw-done), so that a
// scenario can wait for them.
func (l *Lab) targetsPage(c *ctx) {
	c.ensure()
	widget := l.URL("widget.test")
	if !c.https {
		widget = l.HTTPURL("widget.test")
	}
	c.page(http.StatusOK, "Dashboard - targets.test", `<h1>Dashboard</h1>`+
		`<iframe id="widget" title="widget" width="400" height="80" src="`+esc(widget)+`/frame"></iframe>`+
		`<p><button id="open-popup" type="button">Open the report</button> `+
		`<button id="start-worker" type="button">Refresh in the background</button> `+
		`<button id="register-sw" type="button">Work offline</button> `+
		`<button id="add-help" type="button">Help</button></p><p id="targets-status"></p>`+
		`<script>
function done(id, text) {
  if (document.getElementById(id)) return;
  var p = document.createElement("p");
  p.id = id;
  p.textContent = text;
  document.getElementById("targets-status").appendChild(p);
}
window.addEventListener("message", function (e) {
  if (e.data === "widget-ready") done("widget-done", "The widget loaded.");
});
document.getElementById("open-popup").addEventListener("click", function () {
  var w = window.open("/targets/popup", "targets_report");
  var t = setInterval(function () {
    try {
      if (!w.document.getElementById("report")) return;
    } catch (e) { return; }
    clearInterval(t);
    done("popup-done", "The report loaded.");
  }, 20);
});
// A frame of the site's own (in the page's process), for steps that act
// in it (in: frame #help).
document.getElementById("add-help").addEventListener("click", function () {
  var f = document.createElement("iframe");
  f.id = "help";
  f.src = "/targets/help";
  document.body.appendChild(f);
});
document.getElementById("register-sw").addEventListener("click", function () {
  navigator.serviceWorker.addEventListener("message", function (e) {
    done("sw-done", "The service worker fetched: " + e.data);
  });
  navigator.serviceWorker.register("/targets/sw.js", {scope: "/targets/"}).catch(function (e) {
    done("sw-failed", "No service worker: " + e);
  });
});
document.getElementById("start-worker").addEventListener("click", function () {
  var w = new Worker("/targets/worker.js");
  w.onmessage = function (e) { done("worker-done", "The worker fetched: " + e.data); };
});
</script>`)
}

// targetsHelp is the dashboard's frame of its own site (#add-help adds
// it), for steps that act in such a frame: #useful fetches
// /targets/help/useful (which sets help_useful), then adds #thanks with
// the question; the form posts the question to /targets/help/ask (which
// sets help_asked), in the frame.
func targetsHelp(c *ctx) {
	c.page(http.StatusOK, "Help - targets.test", `<p id="help-text">Help.</p>`+
		`<form id="ask" method="post" action="/targets/help/ask"><input id="question" name="q" aria-label="question"> `+
		`<button id="ask-button" type="submit">Ask</button> <button id="useful" type="button">Useful</button></form>`+
		`<script>
document.getElementById("useful").addEventListener("click", function () {
  fetch("/targets/help/useful", {method: "POST"}).then(function (r) { return r.text(); }).then(function (t) {
    var p = document.createElement("p");
    p.id = "thanks";
    p.textContent = t + ": " + document.getElementById("question").value;
    document.body.appendChild(p);
  });
});
</script>`)
}

func targetsHelpUseful(c *ctx) {
	if c.r.Method != http.MethodPost {
		c.methodNotAllowed("POST")
		return
	}
	c.raw = append(c.raw, "help_useful=1; Path=/; SameSite=Lax"+secureAttr(c))
	c.flushCookies()
	c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = c.w.Write([]byte("thanks"))
}

func targetsHelpAsk(c *ctx) {
	if c.r.Method != http.MethodPost {
		c.methodNotAllowed("POST")
		return
	}
	c.r.Body = http.MaxBytesReader(c.w, c.r.Body, 64<<10)
	c.raw = append(c.raw, "help_asked=1; Path=/; SameSite=Lax"+secureAttr(c))
	c.page(http.StatusOK, "Asked - targets.test", `<p id="answer">You asked: `+esc(c.r.PostFormValue("q"))+`</p>`)
}

func targetsPopup(c *ctx) {
	c.raw = append(c.raw, "report_seen=1; Path=/; SameSite=Lax"+secureAttr(c))
	c.page(http.StatusOK, "Report - targets.test", `<h1>Report</h1><p id="report">Opened by the dashboard.</p>`+
		`<p><a id="export-link" href="/targets/popup/export">Export</a></p>`+
		`<script>document.cookie = "report_view=table; Path=/; SameSite=Lax; Secure";</script>`)
}

// targetsExport is the popup's next page, for a step that acts in the
// popup; it sets export_seen.
func targetsExport(c *ctx) {
	c.raw = append(c.raw, "export_seen=1; Path=/; SameSite=Lax"+secureAttr(c))
	c.page(http.StatusOK, "Export - targets.test", `<h1>Export</h1><p id="exported">The report was exported.</p>`)
}

// targetsWorker fetches /targets/api with the user's cookies, from a
// dedicated worker.
func targetsWorker(c *ctx) {
	c.w.Header().Set("Content-Type", "text/javascript")
	_, _ = c.w.Write([]byte(`fetch("/targets/api?from=worker", {credentials: "include"})
  .then(function (r) { return r.text(); })
  .then(function (t) { postMessage(t); }, function (e) { postMessage("failed: " + e); });
`))
}

// targetsServiceWorker fetches /targets/api with the user's cookies when
// it installs, and tells the pages it activated with the answer.
func targetsServiceWorker(c *ctx) {
	c.w.Header().Set("Content-Type", "text/javascript")
	_, _ = c.w.Write([]byte(`var answer = "";
self.addEventListener("install", function (e) {
  self.skipWaiting();
  e.waitUntil(fetch("/targets/api?from=service-worker", {credentials: "include"})
    .then(function (r) { return r.text(); })
    .then(function (t) { answer = t; }, function (e) { answer = "failed: " + e; }));
});
self.addEventListener("activate", function (e) {
  e.waitUntil(self.clients.claim().then(function () {
    return self.clients.matchAll({includeUncontrolled: true});
  }).then(function (list) {
    list.forEach(function (client) { client.postMessage(answer); });
  }));
});
`))
}

// targetsAPI answers the workers and sets a cookie named after the one
// that asked (worker_seen, sw_seen); it reads the session (the cookie the
// worker sent).
func targetsAPI(c *ctx) {
	c.load()
	name := "worker_seen"
	if c.r.URL.Query().Get("from") == "service-worker" {
		name = "sw_seen"
	}
	c.raw = append(c.raw, name+"=1; Path=/; SameSite=Lax"+secureAttr(c))
	c.flushCookies()
	c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	state := "anonymous"
	if c.id != "" {
		state = "session"
	}
	_, _ = c.w.Write([]byte(state))
}

// --- widget.test ---

// widget.test is a third-party widget, framed by targets.test. Its
// document and its script each set a Partitioned cookie (CHIPS: allowed in
// a cross-site frame, kept in the jar of the top-level site) and the
// document also an unpartitioned SameSite=None cookie, which a browser
// that blocks third-party cookies refuses. The script's request sends the
// partitioned cookie back.
func (l *Lab) setupWidget(s *site) {
	s.app = false
	s.routes["/frame"] = func(c *ctx) { widgetFrame(c) }
	s.routes["/widget.js"] = func(c *ctx) { widgetScript(c) }
	s.routes["/like"] = func(c *ctx) {
		c.w.Header().Set("Content-Type", "text/plain")
		_, _ = c.w.Write([]byte("liked"))
	}
}

func widgetCookies(c *ctx, names ...string) {
	for _, n := range names {
		line := n + "=1; Path=/; SameSite=None; Secure"
		if strings.HasSuffix(n, "_p") {
			line += "; Partitioned"
		}
		c.raw = append(c.raw, line)
	}
}

func widgetFrame(c *ctx) {
	widgetCookies(c, "widget_p", "widget_3p")
	// A field and a button, for steps that act in the frame (in: frame
	// #widget): the click fetches /like, then adds #liked, with the note.
	c.page(http.StatusOK, "Widget - widget.test", `<p id="widget">A widget.</p>`+
		`<p><input id="note" aria-label="note"> <button id="like" type="button">Like</button></p>`+
		`<script src="/widget.js"></script>`)
}

func widgetScript(c *ctx) {
	widgetCookies(c, "widget_js_p")
	c.flushCookies()
	c.w.Header().Set("Content-Type", "text/javascript")
	_, _ = c.w.Write([]byte(`document.getElementById("like").addEventListener("click", function () {
  fetch("/like", {method: "POST"}).then(function (r) { return r.text(); }).then(function (t) {
    var p = document.createElement("p");
    p.id = "liked";
    p.textContent = t + ": " + document.getElementById("note").value;
    document.body.appendChild(p);
  });
});
parent.postMessage("widget-ready", "*");` + "\n"))
}
