package harness

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"
)

// The recorder decodes the protocol events it depends on itself, field by
// field, from the raw JSON the driver hands over before its own decoding.
// cdproto lags the browser, and chromedp drops a whole event when one field
// of it fails to decode; here a field of an unexpected type costs only that
// field, is counted, and the rest of the event is kept.

// decodeLog counts decode failures by method, field and error.
type decodeLog struct {
	mu     sync.Mutex
	issues map[[2]string]*decodeIssue
	total  int
}

type decodeIssue struct {
	method, field, err string
	count              int
}

func (d *decodeLog) add(method, field, err string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.issues == nil {
		d.issues = map[[2]string]*decodeIssue{}
	}
	d.total++
	k := [2]string{method, field}
	if is := d.issues[k]; is != nil {
		is.count++
		return
	}
	d.issues[k] = &decodeIssue{method: method, field: field, err: err, count: 1}
}

func (d *decodeLog) snapshot() (int, []decodeIssue) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]decodeIssue, 0, len(d.issues))
	for _, is := range d.issues {
		out = append(out, *is)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].method != out[j].method {
			return out[i].method < out[j].method
		}
		return out[i].field < out[j].field
	})
	return d.total, out
}

// jobj is a JSON object read leniently: each accessor decodes one field and
// reports a type mismatch to the log instead of failing the whole event.
type jobj struct {
	m      map[string]json.RawMessage
	log    *decodeLog
	method string
	path   string
}

// parseObj reads raw as an object. A value that is not an object is one
// decode issue and yields an empty object.
func parseObj(raw []byte, log *decodeLog, method, path string) jobj {
	o := jobj{log: log, method: method, path: path}
	if len(raw) == 0 || string(raw) == "null" {
		o.m = map[string]json.RawMessage{}
		return o
	}
	if err := json.Unmarshal(raw, &o.m); err != nil {
		log.add(method, pathOr(path, "(event)"), "not a JSON object: "+shortErr(err))
		o.m = map[string]json.RawMessage{}
	}
	return o
}

func pathOr(p, def string) string {
	if p == "" {
		return def
	}
	return p
}

func shortErr(err error) string {
	s := err.Error()
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}

func (o jobj) field(k string) string {
	if o.path == "" {
		return k
	}
	return o.path + "." + k
}

func (o jobj) has(k string) bool {
	v, ok := o.m[k]
	return ok && string(v) != "null"
}

func (o jobj) decode(k string, into any, want string) bool {
	v, ok := o.m[k]
	if !ok || string(v) == "null" {
		return false
	}
	if err := json.Unmarshal(v, into); err != nil {
		o.log.add(o.method, o.field(k), fmt.Sprintf("expected %s, got %s", want, jsonKind(v)))
		return false
	}
	return true
}

func jsonKind(v json.RawMessage) string {
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func (o jobj) str(k string) string {
	var s string
	o.decode(k, &s, "a string")
	return s
}

func (o jobj) num(k string) float64 {
	var f float64
	o.decode(k, &f, "a number")
	return f
}

func (o jobj) integer(k string) int {
	f := o.num(k)
	return int(f)
}

func (o jobj) boolean(k string) bool {
	var b bool
	o.decode(k, &b, "a boolean")
	return b
}

func (o jobj) obj(k string) jobj {
	return parseObj(o.m[k], o.log, o.method, o.field(k))
}

func (o jobj) objs(k string) []jobj {
	var raws []json.RawMessage
	if !o.decode(k, &raws, "an array") {
		return nil
	}
	out := make([]jobj, len(raws))
	for i, r := range raws {
		out[i] = parseObj(r, o.log, o.method, o.field(k)+"["+strconv.Itoa(i)+"]")
	}
	return out
}

// strs reads an array of strings. An element that is not a string is kept
// as its JSON text, so a reason the browser changed the shape of is still
// visible, and counted.
func (o jobj) strs(k string) []string {
	var raws []json.RawMessage
	if !o.decode(k, &raws, "an array") {
		// A single string where an array was expected: keep it.
		var s string
		if v, ok := o.m[k]; ok && json.Unmarshal(v, &s) == nil {
			return []string{s}
		}
		return nil
	}
	out := make([]string, 0, len(raws))
	for _, r := range raws {
		var s string
		if err := json.Unmarshal(r, &s); err != nil {
			o.log.add(o.method, o.field(k)+"[]", "expected a string, got "+jsonKind(r))
			s = string(r)
		}
		out = append(out, s)
	}
	return out
}

// headers reads a protocol Headers object. Values that are not strings
// (arrays, numbers) are joined or kept as JSON text.
func (o jobj) headers(k string) map[string]string {
	h := o.obj(k)
	out := make(map[string]string, len(h.m))
	for name, v := range h.m {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[name] = s
			continue
		}
		var ss []string
		if err := json.Unmarshal(v, &ss); err == nil {
			out[name] = joinLines(ss)
			continue
		}
		o.log.add(o.method, h.field(name), "expected a string header value, got "+jsonKind(v))
		out[name] = string(v)
	}
	return out
}

func joinLines(ss []string) string {
	s := ""
	for i, x := range ss {
		if i > 0 {
			s += "\n"
		}
		s += x
	}
	return s
}

// partition reads a cookie partition key, which the protocol has sent both
// as a string and as an object {topLevelSite, hasCrossSiteAncestor}.
func (o jobj) partition(k string) string {
	v, ok := o.m[k]
	if !ok || string(v) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var p struct {
		TopLevelSite string `json:"topLevelSite"`
	}
	if json.Unmarshal(v, &p) == nil {
		return p.TopLevelSite
	}
	o.log.add(o.method, o.field(k), "expected a string or {topLevelSite}, got "+jsonKind(v))
	return string(v)
}
