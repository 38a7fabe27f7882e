package harness

import "strings"

// actionScript runs in an isolated world of every document of the
// recording tab (the page's scripts cannot see or change it, and DOM
// events reach its listeners all the same). It listens, in the capture
// phase, to what the user does: clicks, typing, choices, Enter and Escape,
// form submits; and reports each action, with the best selector for its
// element, through the binding BINDING (one JSON string per action).
//
// Typing is debounced per field: a fill is reported when the field loses
// focus or changes, before any other action, and after a pause in typing
// (the recorder merges the reports of one field into one fill step). Only
// trusted events count: what the page's own scripts dispatch is not the
// user's doing.
const actionScript = `(() => {
  if (window.top !== window) return;
  const send = globalThis["BINDING"];
  if (typeof send !== "function") return;
  try { delete globalThis["BINDING"]; } catch (e) {}
  const navigates = NAVIGATES;
  let lastReport = 0;
  const report = (o) => {
    try { o.t = o.t || Date.now(); o.url = location.href; lastReport = Date.now(); send(JSON.stringify(o)); } catch (e) {}
  };
  const tag = (el) => el.tagName.toLowerCase();
  const unique = (sel, el) => { try { const all = document.querySelectorAll(sel); return all.length === 1 && all[0] === el; } catch (e) { return false; } };
  const lit = (v) => '"' + String(v).replace(/["\\]/g, "\\$&").replace(/\n/g, "\\a ") + '"';
  // Ids that frameworks generate change from build to build or from
  // render to render: no anchor for a test.
  const generated = (id) => id.length > 40 || /^\d|\d{4,}|:|^(ember|react-|radix-|mui-|headlessui-|yui_|ext-gen|__next)/i.test(id) || /^[a-f0-9]{12,}$/i.test(id);
  const idSel = (el) => (el.id && !generated(el.id)) ? "#" + CSS.escape(el.id) : "";
  const clip = (t) => { t = String(t || "").replace(/\s+/g, " ").trim(); return t.length > 60 ? t.slice(0, 57) + "..." : t; };
  // text is how a person names el: its label, else its text (a field's
  // text is its value: never), else an attribute that says what it is.
  const text = (el) => {
    let t = el.getAttribute("aria-label") || "";
    if (!t && el.labels && el.labels.length) t = el.labels[0].innerText;
    if (!t && tag(el) === "input" && /^(submit|button|reset)$/i.test(el.type)) t = el.value;
    if (!t && !/^(form|input|select|textarea)$/.test(tag(el))) t = el.innerText;
    if (!t) t = el.getAttribute("title") || el.getAttribute("alt") || el.getAttribute("placeholder") || el.getAttribute("name") || el.id || "";
    return clip(t);
  };
  // A CSS path, as short as it can be and still name el alone, anchored
  // at the nearest ancestor with an id: the last resort, and fragile.
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && e !== document.documentElement; e = e.parentElement) {
      const s = idSel(e);
      if (s && e !== el && unique(s, e)) { parts.unshift(s); break; }
      let p = tag(e);
      const par = e.parentElement;
      if (par) {
        const same = Array.from(par.children).filter((c) => c.tagName === e.tagName);
        if (same.length > 1) p += ":nth-of-type(" + (same.indexOf(e) + 1) + ")";
      }
      parts.unshift(p);
      if (unique(parts.join(" > "), el)) break;
    }
    return parts.join(" > ");
  };
  // best names el by what is least likely to change: its id, a test id,
  // its name, its label (aria-label, a labelled wrapper, a placeholder),
  // a link's href, a button's text, a title; then inside a form that has
  // a stable name; then a CSS path (fragile). CSS cannot match text, so a
  // label or role with text is named by its attributes, and the text goes
  // to the step's name.
  const best = (el) => {
    const t = tag(el), c = [];
    const add = (sel, how) => c.push([sel, how]);
    const s = idSel(el);
    if (s) add(s, "id");
    for (const a of ["data-testid", "data-test", "data-test-id", "data-qa", "data-cy"]) {
      const v = el.getAttribute(a);
      if (v) add("[" + a + "=" + lit(v) + "]", "test id");
    }
    const name = el.getAttribute("name");
    if (name) {
      add(t + "[name=" + lit(name) + "]", "name");
      if (el.type === "radio" || el.type === "checkbox") add(t + "[name=" + lit(name) + "][value=" + lit(el.value) + "]", "name");
    }
    for (const a of ["aria-label", "placeholder"]) {
      const v = el.getAttribute(a);
      if (v) add(t + "[" + a + "=" + lit(v) + "]", "label");
    }
    if (el.labels && el.labels.length) {
      const l = el.labels[0], li = idSel(l);
      if (li && l.contains(el)) add(li + " " + t, "label");
    }
    if (t === "a" && el.getAttribute("href")) add("a[href=" + lit(el.getAttribute("href")) + "]", "link");
    if (t === "form" && el.getAttribute("action")) add("form[action=" + lit(el.getAttribute("action")) + "]", "form action");
    if (t === "input" && /^(submit|button|reset|image)$/i.test(el.type) && el.value) add("input[type=" + el.type.toLowerCase() + "][value=" + lit(el.value) + "]", "text");
    if (t === "button" && el.getAttribute("value")) add("button[value=" + lit(el.getAttribute("value")) + "]", "text");
    for (const a of ["title", "alt"]) {
      const v = el.getAttribute(a);
      if (v) add(t + "[" + a + "=" + lit(v) + "]", a);
    }
    const f = el.form;
    if (f && t !== "form") {
      const fs = best(f);
      if (!fs.fragile) {
        if (el.type === "submit") add(fs.sel + " [type=submit]", "form");
        add(fs.sel + " " + t, "form");
      }
    }
    for (const [sel, how] of c) {
      if (sel.length <= 200 && unique(sel, el)) return {sel, how, fragile: false};
    }
    return {sel: path(el), how: "position", fragile: true};
  };
  const textLike = (el) => tag(el) === "textarea" ||
    (tag(el) === "input" && !/^(checkbox|radio|submit|button|reset|image|file|hidden|range|color)$/i.test(el.type));
  // Secret: a password, a one-time code, a card number, or a field whose
  // name says so. Its value is sent only so that the recorder can keep it
  // out of every file; the scenario gets an environment variable.
  const secret = (el) => el.type === "password" ||
    /password|one-time-code|cc-number|cc-csc/i.test(el.getAttribute("autocomplete") || "") ||
    /pass|pwd|secret|token|otp|pin$|cvv|cvc|iban|ssn/i.test((el.getAttribute("name") || "") + " " + (el.id || ""));
  const hasPassword = (f) => !!f && Array.from(f.elements).some((x) => x.type === "password" && x.value);
  const field = (el) => el.getAttribute("name") || el.id || el.getAttribute("autocomplete") || "";
  const pending = new Map();
  const flush = (el) => {
    const p = pending.get(el);
    if (!p) return;
    pending.delete(el);
    clearTimeout(p.timer);
    report(Object.assign({kind: "fill", text: text(el), value: el.value, secret: secret(el), field: field(el), t: p.first}, best(el)));
  };
  const flushAll = () => { for (const el of Array.from(pending.keys())) flush(el); };
  const el = (e) => (e.isTrusted && e.target instanceof Element) ? e.target : null;
  addEventListener("input", (e) => {
    const t = el(e);
    if (!t || !textLike(t)) return;
    let p = pending.get(t);
    if (!p) { p = {first: Date.now()}; pending.set(t, p); }
    clearTimeout(p.timer);
    p.timer = setTimeout(() => flush(t), 800);
  }, true);
  addEventListener("change", (e) => {
    const t = el(e);
    if (!t) return;
    if (textLike(t)) {
      if (!pending.has(t)) pending.set(t, {first: Date.now()});
      flush(t);
      return;
    }
    flushAll();
    if (tag(t) === "select") {
      report(Object.assign({kind: "select", text: text(t), value: t.value}, best(t)));
    } else if (t.type === "checkbox" || t.type === "radio") {
      report(Object.assign({kind: "check", text: text(t), checked: t.checked}, best(t)));
    }
  }, true);
  const clickable = "a[href], button, input[type=submit], input[type=button], input[type=image], input[type=reset], summary, " +
    "[role=button], [role=link], [role=tab], [role=menuitem], [role=option], [onclick]";
  let lastSubmitClick = null;
  addEventListener("click", (e) => {
    let t = el(e);
    if (!t) return;
    const c = t.closest(clickable);
    if (!c) {
      // A field takes focus, a box or a label changes a control (its
      // change event is the action); a plain element counts when it looks
      // clickable.
      if (t.closest("label, input, select, textarea, option")) return;
      if (getComputedStyle(t).cursor !== "pointer") return;
    } else {
      t = c;
    }
    // Enter in a field clicks the form's default button: the submit that
    // follows is the action.
    if (enter && enter.key === "Enter" && enter.el.form && t.form === enter.el.form) return;
    flushAll();
    const f = t.form || null;
    const submits = !!f && (tag(t) === "button" || tag(t) === "input") && (t.type === "submit" || t.type === "image");
    report(Object.assign({kind: "click", text: text(t), waits: navigates(t), submits, password: submits && hasPassword(f),
      href: t.getAttribute("href") || "", id: t.id || ""}, best(t)));
    if (submits) lastSubmitClick = {form: f, t: Date.now()};
  }, true);
  // Enter is decided when the key comes up: in a form's field it submits
  // the form on the way (keypress clicks the default button, and the
  // submit event follows), and then the submit is the action, not the
  // key. Key down, press and up may arrive in separate tasks.
  let enter = null;
  const pressed = (p) => {
    if (enter !== p) return;
    enter = null;
    clearTimeout(p.timer);
    if (p.submitted) return;
    const o = {kind: "press", key: p.key, t: p.at};
    if (p.el !== document.body && p.el !== document.documentElement) Object.assign(o, best(p.el), {text: text(p.el)});
    report(o);
  };
  addEventListener("keydown", (e) => {
    const t = el(e);
    if (!t || (e.key !== "Enter" && e.key !== "Escape") || e.repeat) return;
    if (e.key === "Enter" && (tag(t) === "textarea" || t.isContentEditable)) return;
    flushAll();
    // Enter on a button or link clicks it: the click is the action.
    if (e.key === "Enter" && t.closest(clickable)) return;
    if (enter) pressed(enter);
    const p = {el: t, key: e.key, at: Date.now(), submitted: false};
    p.timer = setTimeout(() => pressed(p), 1000); // a key up that never comes
    enter = p;
  }, true);
  addEventListener("keyup", (e) => {
    if (enter && e.isTrusted && e.key === enter.key) pressed(enter);
  }, true);
  addEventListener("submit", (e) => {
    const f = e.target;
    if (!(f instanceof HTMLFormElement)) return;
    if (enter && enter.key === "Enter" && enter.el.form === f) {
      enter.submitted = true;
      let b = best(f);
      if (b.fragile) b = best(enter.el);
      report(Object.assign({kind: "submit", text: text(f), password: hasPassword(f)}, b));
      return;
    }
    if (lastSubmitClick && lastSubmitClick.form === f && Date.now() - lastSubmitClick.t < 1000) return;
    // A submit by script: the click that ran the script, if it was on
    // something clickable, is recorded already.
    if (Date.now() - lastReport < 500) return;
    report(Object.assign({kind: "submit", text: text(f), password: hasPassword(f)}, best(f)));
  }, true);
  addEventListener("pagehide", () => { flushAll(); if (enter) pressed(enter); }, true);
  // The recorder asks for the typing not reported yet when it stops.
  document.addEventListener("BINDING-flush", flushAll, true);
})();`

// recordScript is the action script with its binding's name.
func recordScript(binding string) string {
	return strings.NewReplacer("BINDING", binding, "NAVIGATES", navigatesFn).Replace(actionScript)
}
