// boot.js starts the inspector, which is Go compiled to WebAssembly
// (wasm/ in the sessiontrace repository), and gives it one DOM primitive.
// Everything else (reading files, analysis, views, events) is Go.
"use strict";
(function () {
  var SVG = "http://www.w3.org/2000/svg";
  // Tags and attributes that could run or load something are refused even
  // though the Go side never asks for them: recordings are untrusted.
  var BAD_TAG = /^(script|iframe|frame|frameset|object|embed|applet|base|meta|link|style|template|foreignobject|animate|animatemotion|animatetransform|set|use|image|form)$/i;
  var BAD_ATTR = /^(on|style$|srcset|srcdoc|action|formaction|background|poster|xlink:|xmlns)/i;

  // ownFile says whether v is a URL of a file of this site (a failure's
  // screenshot or HTML snapshot in the run folder): http(s), same origin,
  // no "..": the only links besides in-page "#" ones, and the only src.
  function ownFile(v) {
    if (/\.\.|\\/.test(v)) return false;
    var u;
    try { u = new URL(v, location.href); } catch (e) { return false; }
    return (u.protocol === "http:" || u.protocol === "https:") && u.origin === location.origin && u.href === v;
  }

  // stBuild(parent, ops, append) builds DOM nodes from an op list. Records
  // are separated by \x1e; the first character is the op:
  //   <tag  open an HTML element      ^tag  open an SVG element
  //   >     close the element         "text append a text node
  //   =name\x1fvalue  setAttribute    :prop\x1fvalue  style.setProperty
  // Text is only ever a text node and attributes only ever setAttribute:
  // no string is parsed as HTML. Links are in-page "#" links or files of
  // this site (ownFile), as are images. Without append, parent is emptied first.
  window.stBuild = function (parent, ops, append) {
    if (!append) parent.replaceChildren();
    var stack = [parent], el = parent;
    var recs = ops.split("\x1e");
    for (var i = 0; i < recs.length; i++) {
      var r = recs[i];
      if (r === "") continue;
      var op = r.charAt(0), arg = r.slice(1), k, v, j;
      switch (op) {
        case "<":
        case "^":
          if (BAD_TAG.test(arg)) throw new Error("stBuild: refused tag " + arg);
          el = el.appendChild(op === "<" ? document.createElement(arg) : document.createElementNS(SVG, arg));
          stack.push(el);
          break;
        case ">":
          stack.pop();
          el = stack[stack.length - 1];
          break;
        case '"':
          el.appendChild(document.createTextNode(arg));
          break;
        case "=":
          j = arg.indexOf("\x1f");
          k = arg.slice(0, j);
          v = arg.slice(j + 1);
          var lk = k.toLowerCase();
          if (BAD_ATTR.test(k) || (lk === "href" && v.charAt(0) !== "#" && !(el.tagName === "A" && ownFile(v))) ||
              (lk.indexOf("src") === 0 && !(lk === "src" && el.tagName === "IMG" && ownFile(v)))) throw new Error("stBuild: refused attribute " + k);
          el.setAttribute(k, v);
          break;
        case ":":
          j = arg.indexOf("\x1f");
          el.style.setProperty(arg.slice(0, j), arg.slice(j + 1));
          break;
        default:
          throw new Error("stBuild: bad op " + op);
      }
    }
  };

  function fail(err) {
    var s = document.getElementById("status");
    if (s) s.textContent = "The inspector could not start: " + err;
    document.body.dataset.stState = "error";
  }
  if (typeof Go === "undefined" || typeof WebAssembly === "undefined") {
    fail("this browser lacks WebAssembly");
    return;
  }
  var go = new Go();
  var src = "inspector.wasm";
  var load = WebAssembly.instantiateStreaming
    ? WebAssembly.instantiateStreaming(fetch(src), go.importObject).catch(function () {
        // A server that sends .wasm with another MIME type.
        return fetch(src).then(function (r) { return r.arrayBuffer(); })
          .then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
      })
    : fetch(src).then(function (r) { return r.arrayBuffer(); })
        .then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
  load.then(function (r) {
    // The size of the page's WebAssembly memory, for benchmarks: it only
    // grows, so it is the most the Go side ever held.
    window.stWasmMemory = function () { return r.instance.exports.mem.buffer.byteLength; };
    return go.run(r.instance);
  }).catch(fail);
})();
