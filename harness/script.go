package harness

import (
	"encoding/json"
	"strings"
)

// cookieWriteScript runs in every document before the page's own scripts.
// Script cookie writes have no protocol event, so it wraps the
// document.cookie setter and the CookieStore methods and reports each write
// (with the page URL and the calling script's location) through a binding.
// It wraps Storage's setItem, removeItem and clear the same way: where
// single-page apps keep their tokens (the protocol's DOMStorage events
// would not say which script wrote).
// The binding's global is removed at once so that the page cannot forge
// reports through it; its name is random per run for the same reason.
const cookieWriteScript = `(() => {
  const name = "BINDING";
  const send = globalThis[name];
  if (typeof send !== "function") return;
  try { delete globalThis[name]; } catch (e) {}
  const where = () => {
    const lines = String(new Error().stack || "").split("\n").slice(2);
    for (const l of lines) {
      const m = l.match(/((?:https?|file):\/\/[^\s()]+:\d+:\d+)/);
      if (m) return m[1];
    }
    return "";
  };
  const report = (o) => {
    try { o.url = location.href; o.loc = where(); send(JSON.stringify(o)); } catch (e) {}
  };
  const d = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  if (d && d.set) {
    Object.defineProperty(Document.prototype, "cookie", {
      configurable: true, enumerable: d.enumerable,
      get() { return d.get.call(this); },
      set(v) { report({op: "document.cookie", cookie: String(v)}); d.set.call(this, v); },
    });
  }
  if (typeof Storage !== "undefined") {
    const area = (st) => {
      try { if (st === globalThis.localStorage) return "localStorage"; } catch (e) {}
      try { if (st === globalThis.sessionStorage) return "sessionStorage"; } catch (e) {}
      return "";
    };
    const origin = () => { try { return location.origin; } catch (e) { return ""; } };
    const wrap = (m, op, args) => {
      const orig = Storage.prototype[m];
      Storage.prototype[m] = function () {
        const r = orig.apply(this, arguments);
        report(Object.assign({op: op, area: area(this), origin: origin()}, args(arguments)));
        return r;
      };
    };
    wrap("setItem", "storage.set", (a) => ({name: String(a[0]), value: String(a[1])}));
    wrap("removeItem", "storage.remove", (a) => ({name: String(a[0]), value: ""}));
    wrap("clear", "storage.clear", () => ({name: "", value: ""}));
  }
  if (typeof CookieStore !== "undefined") {
    const set = CookieStore.prototype.set, del = CookieStore.prototype.delete;
    CookieStore.prototype.set = function (a, b) {
      const o = (typeof a === "string") ? {name: a, value: b} : Object.assign({}, a);
      report({op: "cookieStore.set", name: String(o.name ?? ""), value: String(o.value ?? ""),
        domain: o.domain || "", path: o.path || "", expires: o.expires ?? null, sameSite: o.sameSite || ""});
      return set.apply(this, arguments);
    };
    CookieStore.prototype.delete = function (a) {
      const o = (typeof a === "string") ? {name: a} : Object.assign({}, a);
      report({op: "cookieStore.delete", name: String(o.name ?? ""), value: "",
        domain: o.domain || "", path: o.path || ""});
      return del.apply(this, arguments);
    };
  }
})();`

func instrumentation(binding string) string {
	return strings.Replace(cookieWriteScript, "BINDING", binding, 1)
}

// jsString quotes s as a JS string literal: a selector or a value from a
// scenario stays a string, whatever it holds.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// jsQuery returns a JS expression for the first element matching sel.
func jsQuery(sel string) string {
	return "document.querySelector(" + jsString(sel) + ")"
}
