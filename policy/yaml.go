package policy

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// This file reads YAML nodes with their positions, the way package
// scenarios does: every problem is collected with its file:line:col, so
// one pass shows them all, and nothing the YAML library does can panic.

// maxWork bounds the keys and items read, because aliases and merge keys
// let a small file describe a huge document.
const maxWork = 1 << 20

type reader struct {
	file string
	errs ErrorList
	work int
}

func (r *reader) pos(n *yaml.Node) Pos { return Pos{File: r.file, Line: n.Line, Col: n.Column} }

func (r *reader) add(pos Pos, msg, hint string) {
	r.errs = append(r.errs, &Error{Pos: pos, Msg: msg, Hint: hint})
}

// errorf reports a problem at n. where names the field ("cookies[2].sameSite")
// and prefixes the message, so it reads well without the file at hand.
func (r *reader) errorf(n *yaml.Node, where, hint, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if where != "" {
		msg = where + ": " + msg
	}
	r.add(r.pos(n), msg, hint)
}

// document turns the file into its single YAML root node, or reports why
// it cannot.
func (r *reader) document(data []byte) *yaml.Node {
	const empty = "empty file: a policy needs at least \"version: 1\""
	if pos, msg := scanText(data); msg != "" {
		pos.File = r.file
		r.add(pos, msg, "")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := decode(dec, &doc); err != nil {
		if err == io.EOF {
			r.add(Pos{File: r.file, Line: 1, Col: 1}, empty, "")
		} else {
			r.yamlError(err, data)
		}
		return nil
	}
	var extra yaml.Node
	switch err := decode(dec, &extra); {
	case err == io.EOF:
	case err != nil:
		r.yamlError(err, data)
		return nil
	default:
		at := &extra
		if len(extra.Content) > 0 {
			at = extra.Content[0]
		}
		r.errorf(at, "", "", "a policy file holds one YAML document; remove this one or move it to a file of its own")
	}
	if len(doc.Content) == 0 {
		r.add(Pos{File: r.file, Line: 1, Col: 1}, empty, "")
		return nil
	}
	return doc.Content[0]
}

// decode shields callers from a panic inside the YAML library: a malformed
// file must give an error, never crash the CLI.
func decode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: cannot parse this file (%v)", r)
		}
	}()
	return dec.Decode(n)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
var unknownAnchor = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)

// yamlError converts the library's message ("yaml: line 3: ...") into an
// Error. The library gives no column; messages without a line come from
// the scanner's first line, except an unknown anchor, which we locate.
func (r *reader) yamlError(err error, data []byte) {
	msg := err.Error()
	pos := Pos{File: r.file, Line: 1}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			pos.Line = n
		}
		msg = m[2]
	} else if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		pos = findAlias(data, m[1])
		pos.File = r.file
		msg = fmt.Sprintf("unknown anchor %q: define it with &%s before using *%s", m[1], m[1], m[1])
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	r.add(pos, "invalid YAML: "+msg, "")
}

// findAlias returns the position of the first "*name" in data.
func findAlias(data []byte, name string) Pos {
	text := string(data)
	for i := 0; ; {
		j := strings.Index(text[i:], "*"+name)
		if j < 0 {
			return Pos{Line: 1}
		}
		i += j
		end := i + 1 + len(name)
		if end == len(text) || strings.ContainsRune(" \t\r\n,]}", rune(text[end])) {
			return offsetPos(text, i)
		}
		i++
	}
}

// offsetPos converts a byte offset into a line and a column counted in
// characters, as the YAML library counts them.
func offsetPos(text string, off int) Pos {
	pos := Pos{Line: 1, Col: 1}
	for i, r := range text {
		if i >= off {
			break
		}
		switch {
		case r == '\r' && i+1 < len(text) && text[i+1] == '\n':
			// counted with the '\n'
		case r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			pos.Line++
			pos.Col = 1
		default:
			pos.Col++
		}
	}
	return pos
}

// scanText rejects what the YAML library rejects without a position:
// invalid UTF-8 (binary files) and control characters.
func scanText(data []byte) (Pos, string) {
	text := bytes.TrimPrefix(data, []byte("\ufeff"))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		var msg string
		switch {
		case r == utf8.RuneError && size <= 1:
			msg = "not a UTF-8 text file (is it binary?)"
		case r == 0:
			msg = "not a text file: it contains a NUL byte"
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r',
			r >= 0x7f && r < 0xa0 && r != 0x85,
			r == 0xfeff, r == 0xfffe, r == 0xffff:
			msg = fmt.Sprintf("control character U+%04X is not allowed", r)
		}
		if msg != "" {
			return offsetPos(string(text), i), msg
		}
		i += size
	}
	return Pos{}, ""
}

// deref follows an alias to the node it names; nil for a broken alias.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// describe names a node's type for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return "a broken alias"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.DocumentNode:
		return "a document"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "nothing"
		case "!!bool":
			return "a boolean"
		case "!!int", "!!float":
			return "a number"
		case "!!str":
			return "a string"
		case "!!timestamp":
			return "a timestamp"
		}
		return "a value tagged " + quote(n.Tag)
	}
	return "an unknown node"
}

// entry is one key: value pair of a mapping.
type entry struct {
	name string
	key  *yaml.Node
	val  *yaml.Node
}

// object is a mapping being read key by key.
type object struct {
	node  *yaml.Node // the mapping, where a missing key is reported
	where string
	byKey map[string]entry
	list  []entry // in file order, merged keys last
	// hinted holds the keys suggested for unknown ones: "nme" was meant
	// as "name", so "missing name" would only repeat the error.
	hinted map[string]bool
}

func (o *object) has(key string) bool { _, ok := o.byKey[key]; return ok }

// object reads the mapping n, reporting duplicate and unknown keys; ok is
// false if n is not a mapping at all.
func (r *reader) object(n *yaml.Node, where string, keys ...string) (*object, bool) {
	m := deref(n)
	if m == nil || m.Kind != yaml.MappingNode {
		r.errorf(n, where, "", "expected a mapping, got %s", describe(n))
		return nil, false
	}
	o := &object{node: m, where: where, byKey: map[string]entry{}, hinted: map[string]bool{}}
	for _, e := range r.entries(m, where, map[*yaml.Node]bool{m: true}) {
		if !contains(keys, e.name) {
			hint := suggest(e.name, keys...)
			r.errorf(e.key, where, hint, "unknown key %s", quote(e.name))
			o.hinted[hint] = true
			continue
		}
		o.byKey[e.name] = e
		o.list = append(o.list, e)
	}
	return o, true
}

// entries lists the pairs of mapping m, applying YAML merge keys
// ("<<: *defaults") with explicit keys winning. visited stops merge cycles
// and repeats.
func (r *reader) entries(m *yaml.Node, where string, visited map[*yaml.Node]bool) []entry {
	var own, merged []entry
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if r.work++; r.work > maxWork {
			if r.work == maxWork+1 {
				r.errorf(m, where, "", "document too large: aliases and merge keys expand to over %d keys", maxWork)
			}
			return nil
		}
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merged = append(merged, r.merge(v, where, visited)...)
			continue
		}
		kd := deref(k)
		if kd == nil || kd.Kind != yaml.ScalarNode || kd.ShortTag() == "!!null" {
			r.errorf(k, where, "", "expected a key name, got %s", describe(k))
			continue
		}
		if first, dup := seen[kd.Value]; dup {
			r.errorf(k, where, "", "duplicate key %s (first at line %d)", quote(kd.Value), first.Line)
			continue
		}
		seen[kd.Value] = k
		own = append(own, entry{kd.Value, k, v})
	}
	for _, e := range merged {
		if _, dup := seen[e.name]; !dup {
			seen[e.name] = e.key
			own = append(own, e)
		}
	}
	return own
}

// merge returns the pairs a merge key brings in: from a mapping or a list
// of mappings, earlier ones winning as the YAML spec says.
func (r *reader) merge(v *yaml.Node, where string, visited map[*yaml.Node]bool) []entry {
	src := deref(v)
	var maps []*yaml.Node
	switch {
	case src != nil && src.Kind == yaml.MappingNode:
		maps = []*yaml.Node{src}
	case src != nil && src.Kind == yaml.SequenceNode:
		for _, item := range src.Content {
			d := deref(item)
			if d == nil || d.Kind != yaml.MappingNode {
				r.errorf(item, where, "", "a merge key (<<) takes mappings, got %s", describe(item))
				continue
			}
			maps = append(maps, d)
		}
	default:
		r.errorf(v, where, "", "a merge key (<<) takes a mapping or a list of mappings, got %s", describe(v))
	}
	var out []entry
	seen := map[string]bool{}
	for _, m := range maps {
		if visited[m] {
			continue
		}
		visited[m] = true
		for _, e := range r.entries(m, where, visited) {
			if !seen[e.name] {
				seen[e.name] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// items returns the elements of sequence n.
func (r *reader) items(n *yaml.Node, where string) ([]*yaml.Node, bool) {
	s := deref(n)
	if s == nil || s.Kind != yaml.SequenceNode {
		r.errorf(n, where, "", "expected a sequence, got %s", describe(n))
		return nil, false
	}
	if r.work += len(s.Content); r.work > maxWork {
		r.errorf(n, where, "", "document too large: aliases expand to over %d items", maxWork)
		return nil, false
	}
	return s.Content, true
}

// str reads a scalar as text. Numbers are accepted as written; null is
// not, because an empty value is far more often a mistake than a wish.
func (r *reader) str(n *yaml.Node, where string) (string, bool) {
	s := deref(n)
	if s == nil || s.Kind != yaml.ScalarNode || s.ShortTag() == "!!null" {
		r.errorf(n, where, "", "expected a string, got %s", describe(n))
		return "", false
	}
	return s.Value, true
}

func (r *reader) boolean(n *yaml.Node, where string) (bool, bool) {
	s := deref(n)
	if s != nil && s.Kind == yaml.ScalarNode && s.ShortTag() == "!!bool" {
		return strings.EqualFold(s.Value, "true"), true
	}
	hint := ""
	if s != nil && s.Kind == yaml.ScalarNode {
		switch strings.ToLower(s.Value) {
		case "yes", "on", "y", "1":
			hint = "true"
		case "no", "off", "n", "0":
			hint = "false"
		}
	}
	r.errorf(n, where, hint, "expected true or false, got %s", describe(n))
	return false, false
}

// enum reads a string that must be one of values, in any case; it returns
// the value as values spells it.
func (r *reader) enum(n *yaml.Node, where string, values ...string) (string, bool) {
	s, ok := r.str(n, where)
	if !ok {
		return "", false
	}
	for _, v := range values {
		if strings.EqualFold(v, strings.TrimSpace(s)) {
			return v, true
		}
	}
	r.errorf(n, where, suggest(s, values...), "unknown value %s: want %s", quote(s), oneOf(values))
	return "", false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
