//go:build js && wasm

package main

import (
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// Single-page apps keep their session in Web Storage: the sessions view
// lists each key the journey wrote, with what happened to it step by
// step, next to the cookie grid; and what the page still held after a
// logout step.

// storageKey names one item of Web Storage.
type storageKey struct {
	area   recording.StorageArea
	origin string
	key    string
}

// storageSection writes the Web Storage table of the recording, if the
// journey wrote to storage or the harness read it.
func (a *app) storageSection(u *ui, m *model) {
	rec := m.rec
	var keys []storageKey
	evs := map[storageKey][]*recording.StorageEvent{}
	var clears []*recording.StorageEvent
	for i := range rec.Storage {
		e := &rec.Storage[i]
		if e.Kind == recording.StorageCleared {
			clears = append(clears, e)
			continue
		}
		k := storageKey{area: e.Area, origin: e.Origin, key: e.Key}
		if _, ok := evs[k]; !ok {
			keys = append(keys, k)
		}
		evs[k] = append(evs[k], e)
	}
	var held []*recording.Step
	for i := range rec.Steps {
		if rec.Steps[i].Storage != nil {
			held = append(held, &rec.Steps[i])
		}
	}
	var tokens []*analysis.TokenReport
	if s := a.cur(); s != nil {
		tokens = s.tokens
	}
	if len(keys) == 0 && len(clears) == 0 && len(held) == 0 && len(tokens) == 0 {
		return
	}
	u.open("section").cls("storage")
	u.el("h3", "", "Web Storage")
	u.el("p", "hint", "What the pages wrote to localStorage and sessionStorage (setItem, removeItem, clear), step by step: where single-page apps keep their tokens. Values are fingerprints, like cookie values; a value sent as an Authorization header is marked.")
	sent := map[string]int{}
	for i := range rec.Requests {
		if c := rec.Requests[i].Authorization; c != nil {
			sent[c.Value.Fingerprint]++
		}
	}
	if len(keys) > 0 || len(clears) > 0 {
		u.open("table").cls("storage-writes")
		u.open("thead").open("tr").el("th", "", "Area").el("th", "", "Origin").el("th", "", "Key").el("th", "", "Writes").close().close()
		u.open("tbody")
		for _, k := range keys {
			u.open("tr")
			u.el("td", "", string(k.area)).el("td", "", k.origin).el("td", "key", k.key)
			u.open("td")
			for _, e := range evs[k] {
				a.storageWrite(u, m, e, sent)
			}
			u.close()
			u.close()
		}
		for _, e := range clears {
			u.open("tr")
			u.el("td", "", string(e.Area)).el("td", "", e.Origin).el("td", "muted", "(all keys)")
			u.open("td")
			a.storageWrite(u, m, e, sent)
			u.close()
			u.close()
		}
		u.close().close()
	}
	a.tokenLifecycles(u, m, tokens)
	for _, st := range held {
		u.open("p").text("Held after step ").link("", a.hashFor(vSessions, a.sc, m.stepOf(st.Index), "", "", -1), itoa(st.Index)).text(" (" + stepLabel(st) + "), read by the harness: ")
		if len(st.Storage) == 0 {
			u.text("nothing.")
		}
		u.close()
		if len(st.Storage) > 0 {
			u.open("ul").cls("cookies")
			for _, it := range st.Storage {
				u.open("li").style("--h", itoa(hue(it.Value)))
				u.el("span", "", string(it.Area)+" "+it.Key+" ").el("span", "fp", shown(it.Value, true))
				storageFields(u, it.Fields, sent)
				u.close()
			}
			u.close()
		}
	}
	u.close()
}

// storageWrite writes one write as a chip: step, what, value.
func (a *app) storageWrite(u *ui, m *model, e *recording.StorageEvent, sent map[string]int) {
	u.open("div").cls("swrite")
	u.link("", a.hashFor(vSessions, a.sc, m.stepOf(e.Step), "", "", -1), "step "+itoa(e.Step)).text(" " + string(e.Kind))
	if e.Value != nil {
		u.text(" ").open("span").cls("fp").style("--h", itoa(hue(*e.Value))).text(shown(*e.Value, true)).close()
		if n := sent[e.Value.Fingerprint]; n > 0 {
			u.el("span", "bad", " sent as Authorization ("+plural(n, "request", "requests")+")")
		}
	}
	var where []string
	if e.Target != "" {
		where = append(where, e.Target)
	}
	if e.Script != "" {
		where = append(where, "by "+e.Script)
	}
	if len(where) > 0 {
		u.el("span", "muted", " "+strings.Join(where, ", "))
	}
	storageFields(u, e.Fields, sent)
	u.close()
}

// storageFields lists the long string fields of a JSON value.
func storageFields(u *ui, fs []recording.StorageField, sent map[string]int) {
	if len(fs) == 0 {
		return
	}
	u.open("ul").cls("sfields")
	for _, f := range fs {
		u.open("li").el("span", "", f.Name+" ").el("span", "fp", shown(f.Value, true))
		if n := sent[f.Value.Fingerprint]; n > 0 {
			u.el("span", "bad", " sent as Authorization ("+plural(n, "request", "requests")+")")
		}
		u.close()
	}
	u.close()
}

// tokenLifecycles lists the session tokens the analysis followed through
// Web Storage, as the grid shows the session cookies: each value with the
// steps that held it, the requests that sent it and how it ended, then
// the resets it caused.
func (a *app) tokenLifecycles(u *ui, m *model, tokens []*analysis.TokenReport) {
	if len(tokens) == 0 {
		return
	}
	u.el("h4", "", "Session tokens")
	u.open("ul").cls("tokens")
	for _, t := range tokens {
		u.open("li")
		u.el("span", "key", t.Label()).text(" " + t.Kind + " token, " + t.Scope())
		u.open("ol").cls("tvalues")
		for i := range t.IDs {
			id := &t.IDs[i]
			v := recording.Value{Fingerprint: id.Fingerprint, Len: id.Len}
			u.open("li").open("span").cls("fp").style("--h", itoa(hue(v))).text(v.Short()).close().text(" steps ")
			u.link("", a.hashFor(vSessions, a.sc, m.stepOf(id.FirstStep), "", "", -1), itoa(id.FirstStep))
			if id.LastStep != id.FirstStep {
				u.text("–").link("", a.hashFor(vSessions, a.sc, m.stepOf(id.LastStep), "", "", -1), itoa(id.LastStep))
			}
			u.text(", sent "+plural(len(id.Sent), "time", "times")+", ended ").el("span", "ended", string(id.Ended))
			if id.Note != "" {
				u.el("span", "muted", " ("+id.Note+")")
			}
			u.close()
		}
		u.close()
		for i := range t.Resets {
			r := &t.Resets[i]
			u.open("p").cls("treset").el("span", "bad", "⚠ reset ("+string(r.Cause)+") ").text(r.Summary).close()
		}
		u.close()
	}
	u.close()
}

// tokenRow is a session token's row of the session table, next to the
// session cookies': after each step of columns c0..c1, the value the item
// held (coloured by it), a mark where a new one was written (+, or ↻ for
// a refresh or a rotation) or where it went (✕ and how), and its resets.
func (a *app) tokenRow(u *ui, m *model, t *analysis.TokenReport, gr string, c0, c1 int) {
	u.open("div").cls("rowhead sessid token").style("grid-area", gr+" / 1").attr("title", t.Label()+"\n"+t.Kind+" token in "+t.Scope())
	u.el("div", "cn", t.Label()).el("div", "cd", t.Scope()).el("div", "tag", "session token · "+t.Kind)
	u.close()
	for p := c0; p < c1; p++ {
		idx := m.rec.Steps[p].Index
		var held, gone *analysis.ID
		for i := range t.IDs {
			id := &t.IDs[i]
			switch {
			case id.FirstStep <= idx && (idx < id.LastStep || id.Ended == analysis.EndEndOfJourney):
				held = id
			case id.LastStep == idx:
				gone = id
			}
		}
		u.open("div").cls("cell tcell").style("grid-area", gr+" / "+itoa(p+2)).attrInt("data-step", p)
		v := recording.Value{}
		if held != nil {
			v = recording.Value{Fingerprint: held.Fingerprint, Len: held.Len}
			u.style("--h", itoa(hue(v))).attr("data-fp", held.Fingerprint)
		}
		u.open("div").cls("v")
		switch {
		case held != nil:
			u.el("span", "fp", v.Short())
			if held.FirstStep == idx && gone != nil {
				u.el("span", "mk", "↻")
			} else if held.FirstStep == idx {
				u.el("span", "mk", "+")
			}
		case gone != nil:
			u.el("span", "mk", "✕").el("span", "how", string(gone.Ended))
		default:
			u.el("span", "none", "—")
		}
		u.close()
		u.el("div", "flags", t.Kind+" token")
		for i := range t.Resets {
			if r := &t.Resets[i]; r.Step == idx {
				u.open("div").cls("badges").open("span").cls("b-reset").attr("title", r.Summary).text("⚠ " + string(r.Cause)).close().close()
			}
		}
		u.close()
	}
}
