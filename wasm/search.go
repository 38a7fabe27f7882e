//go:build js && wasm

package main

import (
	"strings"

	"github.com/sessiontrace/sessiontrace/runfolder"
)

// The overview's search: words, each of which a scenario must match. A
// word "field:value" looks in one field (name, tag, status, cookie, rule,
// cause, or reset for cause), a plain word in all of them; a value matches
// a field that contains it, in any case. "..." keeps spaces in a value.
// In a lazy run everything it looks in comes from index.json and
// summary.json: no recording is read.

// searchKeys is what the search looks in, in lower case.
type searchKeys struct {
	name, status                 string
	tags, cookies, rules, causes []string
}

// A term is one word of a search.
type term struct{ field, value string }

var searchFields = map[string]string{"name": "name", "tag": "tag", "status": "status", "cookie": "cookie", "rule": "rule", "cause": "cause", "reset": "cause"}

// parseQuery splits a search into its words.
func parseQuery(q string) []term {
	var out []term
	for len(q) > 0 {
		q = strings.TrimLeft(q, " \t")
		if q == "" {
			break
		}
		var word string
		end := 0
		quoted := false
		for end < len(q) && (quoted || q[end] != ' ' && q[end] != '\t') {
			if q[end] == '"' {
				quoted = !quoted
			}
			end++
		}
		word, q = q[:end], q[end:]
		t := term{value: word}
		if f, v, ok := strings.Cut(word, ":"); ok && searchFields[strings.ToLower(f)] != "" {
			t = term{field: searchFields[strings.ToLower(f)], value: v}
		}
		t.value = strings.ToLower(strings.ReplaceAll(t.value, `"`, ""))
		if t.value != "" {
			out = append(out, t)
		}
	}
	return out
}

// keysOf is what the search looks in for scenario s of run r: from the
// index and summary.json in a lazy run, else from the recordings and
// their analysis.
func (r *run) keysOf(s *scen) *searchKeys {
	if s.keys != nil {
		return s.keys
	}
	k := &searchKeys{name: strings.ToLower(s.name()), status: string(statusOf(s))}
	lower := func(list []string) []string {
		out := make([]string, len(list))
		for i, x := range list {
			out[i] = strings.ToLower(x)
		}
		return out
	}
	switch {
	case s.entry != nil:
		k.tags = lower(s.entry.Tags)
	case s.rec != nil:
		k.tags = lower(s.rec.Scenario.Tags)
	}
	for _, rs := range resetLines(s) {
		k.causes = append(k.causes, strings.ToLower(string(rs.Cause)))
	}
	if s.stat != nil {
		k.cookies, k.rules = lower(s.stat.Cookies), lower(s.stat.Rules)
	} else {
		if s.rec != nil {
			k.cookies = lower(runfolder.CookieNames(s.rec))
		}
		for _, fi := range s.findings {
			k.rules = append(k.rules, strings.ToLower(r.report.Findings[fi].Rule))
		}
	}
	s.keys = k
	return k
}

// matches reports whether keys k pass every term.
func (k *searchKeys) matches(terms []term) bool {
	anyOf := func(list []string, v string) bool {
		for _, x := range list {
			if strings.Contains(x, v) {
				return true
			}
		}
		return false
	}
	for _, t := range terms {
		ok := false
		if t.field == "" || t.field == "name" {
			ok = ok || strings.Contains(k.name, t.value)
		}
		if t.field == "" || t.field == "status" {
			ok = ok || strings.Contains(k.status, t.value)
		}
		if t.field == "" || t.field == "tag" {
			ok = ok || anyOf(k.tags, t.value)
		}
		if t.field == "" || t.field == "cookie" {
			ok = ok || anyOf(k.cookies, t.value)
		}
		if t.field == "" || t.field == "rule" {
			ok = ok || anyOf(k.rules, t.value)
		}
		if t.field == "" || t.field == "cause" {
			ok = ok || anyOf(k.causes, t.value)
		}
		if !ok {
			return false
		}
	}
	return true
}

// scenarioRows lists the scenarios (indexes) the overview's search
// passes, in the run's order.
func (a *app) scenarioRows() []int {
	r := a.run
	if r == nil {
		return nil
	}
	if a.scRowsRun == r && a.scRowsKey == a.scQ && a.scRows != nil {
		return a.scRows
	}
	terms := parseQuery(a.scQ)
	rows := make([]int, 0, len(r.scens))
	for i, s := range r.scens {
		if len(terms) == 0 || r.keysOf(s).matches(terms) {
			rows = append(rows, i)
		}
	}
	a.scRows, a.scRowsKey, a.scRowsRun = rows, a.scQ, r
	return rows
}
