package scenarios

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Parse parses and validates one scenario file. file names it in
// positions. On failure the error is an ErrorList holding every problem
// found, and the Scenario is nil: a half-understood journey must not run.
func Parse(file string, data []byte) (*Scenario, error) {
	p := &parser{file: file, vars: map[string]bool{}}
	root := p.document(data)
	if root == nil {
		return nil, p.errs.Err()
	}
	sc := p.scenario(root)
	if err := p.errs.Err(); err != nil {
		return nil, err
	}
	return sc, nil
}

// maxWork bounds the keys and items read, because aliases and merge
// keys let a small file describe a huge document.
const maxWork = 1 << 20

type parser struct {
	file string
	errs ErrorList
	work int

	sc   *Scenario
	step int             // index of the step being read; -1 at top level
	vars map[string]bool // names declared under vars:
}

func (p *parser) pos(n *yaml.Node) Pos {
	return Pos{File: p.file, Line: n.Line, Col: n.Column}
}

func (p *parser) add(pos Pos, msg, hint string) {
	p.errs = append(p.errs, &Error{Pos: pos, Msg: msg, Hint: hint})
}

// errorf reports a problem at n. where names the field ("fill.selector")
// and prefixes the message, so it reads well without the file at hand.
func (p *parser) errorf(n *yaml.Node, where, hint, format string, args ...any) {
	p.add(p.pos(n), prefix(where, fmt.Sprintf(format, args...)), hint)
}

func prefix(where, msg string) string {
	if where == "" {
		return msg
	}
	return where + ": " + msg
}

// document turns the file into its single YAML root node, or reports why
// it cannot.
func (p *parser) document(data []byte) *yaml.Node {
	if pos, msg := scanText(data); msg != "" {
		pos.File = p.file
		p.add(pos, msg, "")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := decode(dec, &doc); err != nil {
		if err == io.EOF {
			p.add(Pos{File: p.file, Line: 1, Col: 1}, "empty file: a scenario needs name, target and steps", "")
		} else {
			p.yamlError(err, data)
		}
		return nil
	}
	var extra yaml.Node
	switch err := decode(dec, &extra); {
	case err == io.EOF:
	case err != nil:
		p.yamlError(err, data)
		return nil
	default:
		at := &extra
		if len(extra.Content) > 0 {
			at = extra.Content[0]
		}
		p.errorf(at, "", "", "a scenario file holds one YAML document; move this one to a file of its own")
	}
	if len(doc.Content) == 0 {
		p.add(Pos{File: p.file, Line: 1, Col: 1}, "empty file: a scenario needs name, target and steps", "")
		return nil
	}
	return doc.Content[0]
}

// decode shields callers from a panic inside the YAML library: a
// malformed file must give an error, never crash the CLI or the page.
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
func (p *parser) yamlError(err error, data []byte) {
	msg := err.Error()
	pos := Pos{File: p.file, Line: 1}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			pos.Line = n
		}
		msg = m[2]
	} else if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		pos = findAlias(data, m[1])
		pos.File = p.file
		msg = fmt.Sprintf("unknown anchor %q: define it with &%s before using *%s", m[1], m[1], m[1])
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	p.add(pos, "invalid YAML: "+msg, "")
}

// findAlias returns the position of the first "*name" in data, where the
// YAML library failed on an anchor it did not know.
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
		case isBreak(r):
			pos.Line++
			pos.Col = 1
		default:
			pos.Col++
		}
	}
	return pos
}

func isBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029'
}

// scanText rejects what the YAML library rejects without a position:
// invalid UTF-8 (binary files) and control characters.
func scanText(data []byte) (Pos, string) {
	text := data
	if bytes.HasPrefix(text, []byte("\ufeff")) {
		text = text[3:]
	}
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

// deref follows an alias to the node it names. The result is nil only
// for a broken alias, which the library does not produce.
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
	// hinted holds the keys suggested for unknown ones: "vlaue" was
	// meant as "value", so "missing value" would only repeat the error.
	hinted map[string]bool
}

// mistyped reports whether any of keys was suggested for an unknown key.
func (o *object) mistyped(keys ...string) bool {
	for _, k := range keys {
		if o.hinted[k] {
			return true
		}
	}
	return false
}

func (o *object) has(key string) bool { _, ok := o.byKey[key]; return ok }

// object reads the mapping n, reporting duplicate and unknown keys; ok
// is false if n is not a mapping at all.
func (p *parser) object(n *yaml.Node, where string, keys ...string) (*object, bool) {
	return p.readObject(n, where, keys, false)
}

// readObject is object; anyKey accepts every key name (vars).
func (p *parser) readObject(n *yaml.Node, where string, keys []string, anyKey bool) (*object, bool) {
	m := deref(n)
	if m == nil || m.Kind != yaml.MappingNode {
		p.errorf(n, where, "", "expected a mapping, got %s", describe(n))
		return nil, false
	}
	o := &object{node: m, where: where, byKey: map[string]entry{}, hinted: map[string]bool{}}
	for _, e := range p.entries(m, where, map[*yaml.Node]bool{m: true}) {
		if !anyKey && !contains(keys, e.name) {
			hint := suggest(e.name, keys...)
			p.errorf(e.key, where, hint, "unknown key %s", quote(e.name))
			o.hinted[hint] = true
			continue
		}
		o.byKey[e.name] = e
		o.list = append(o.list, e)
	}
	return o, true
}

// entries lists the pairs of mapping m, applying YAML merge keys
// ("<<: *defaults") with explicit keys winning. visited stops merge
// cycles and repeats.
func (p *parser) entries(m *yaml.Node, where string, visited map[*yaml.Node]bool) []entry {
	var own, merged []entry
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if p.work++; p.work > maxWork {
			if p.work == maxWork+1 {
				p.errorf(m, where, "", "document too large: aliases and merge keys expand to over %d keys", maxWork)
			}
			return nil
		}
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merged = append(merged, p.merge(v, where, visited)...)
			continue
		}
		kd := deref(k)
		if kd == nil || kd.Kind != yaml.ScalarNode || kd.ShortTag() == "!!null" {
			p.errorf(k, where, "", "expected a key name, got %s", describe(k))
			continue
		}
		if first, dup := seen[kd.Value]; dup {
			p.errorf(k, where, "", "duplicate key %s (first at line %d)", quote(kd.Value), first.Line)
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

// merge returns the pairs a merge key brings in: from a mapping or a
// list of mappings, earlier ones winning as the YAML spec says.
func (p *parser) merge(v *yaml.Node, where string, visited map[*yaml.Node]bool) []entry {
	src := deref(v)
	var maps []*yaml.Node
	switch {
	case src != nil && src.Kind == yaml.MappingNode:
		maps = []*yaml.Node{src}
	case src != nil && src.Kind == yaml.SequenceNode:
		for _, item := range src.Content {
			d := deref(item)
			if d == nil || d.Kind != yaml.MappingNode {
				p.errorf(item, where, "", "a merge key (<<) takes mappings, got %s", describe(item))
				continue
			}
			maps = append(maps, d)
		}
	default:
		p.errorf(v, where, "", "a merge key (<<) takes a mapping or a list of mappings, got %s", describe(v))
	}
	var out []entry
	seen := map[string]bool{}
	for _, m := range maps {
		if visited[m] {
			continue
		}
		visited[m] = true
		for _, e := range p.entries(m, where, visited) {
			if !seen[e.name] {
				seen[e.name] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// items returns the elements of sequence n.
func (p *parser) items(n *yaml.Node, where string) ([]*yaml.Node, bool) {
	s := deref(n)
	if s == nil || s.Kind != yaml.SequenceNode {
		p.errorf(n, where, "", "expected a sequence, got %s", describe(n))
		return nil, false
	}
	if p.work += len(s.Content); p.work > maxWork {
		p.errorf(n, where, "", "document too large: aliases expand to over %d items", maxWork)
		return nil, false
	}
	return s.Content, true
}

// str reads a scalar as text. Numbers and booleans are accepted as
// written ("value: 42" fills "42"); null is not, because an empty value
// is far more often a mistake than a wish.
func (p *parser) str(n *yaml.Node, where string) (string, bool) {
	s := deref(n)
	if s == nil || s.Kind != yaml.ScalarNode || s.ShortTag() == "!!null" {
		p.errorf(n, where, "", "expected a string, got %s", describe(n))
		return "", false
	}
	return s.Value, true
}

// text reads a string that may hold ${...} references and remembers its
// position for the checks after substitution.
func (p *parser) text(n *yaml.Node, where, key string, dst *string) bool {
	s, ok := p.str(n, where)
	if !ok {
		return false
	}
	*dst = s
	p.sc.pos[fieldKey{p.step, key}] = fieldInfo{pos: p.pos(deref(n)), where: where}
	return true
}

func (p *parser) boolean(n *yaml.Node, where string) (bool, bool) {
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
	p.errorf(n, where, hint, "expected true or false, got %s", describe(n))
	return false, false
}

func (p *parser) boolPtr(n *yaml.Node, where string) *bool {
	b, ok := p.boolean(n, where)
	if !ok {
		return nil
	}
	return &b
}

// duration reads a Go duration such as "2s". A bare number is refused
// (is "wait: 2" seconds or milliseconds?), except 0.
func (p *parser) duration(n *yaml.Node, where string) (time.Duration, bool) {
	s := deref(n)
	if s == nil || s.Kind != yaml.ScalarNode || s.ShortTag() == "!!null" {
		p.errorf(n, where, "", "expected a duration like 2s or 500ms, got %s", describe(n))
		return 0, false
	}
	d, err := time.ParseDuration(strings.TrimSpace(s.Value))
	if err != nil {
		hint := ""
		if _, err := strconv.ParseFloat(s.Value, 64); err == nil {
			hint = s.Value + "s"
		}
		p.errorf(n, where, hint, "expected a duration like 2s or 500ms, got %s", quote(s.Value))
		return 0, false
	}
	if d < 0 {
		p.errorf(n, where, "", "a duration cannot be negative, got %s", quote(s.Value))
		return 0, false
	}
	return d, true
}

// enum reads a string that must be one of values.
func (p *parser) enum(n *yaml.Node, where string, values ...string) (string, bool) {
	s, ok := p.str(n, where)
	if !ok {
		return "", false
	}
	if !contains(values, s) {
		p.errorf(n, where, suggest(s, values...), "unknown value %s: want %s", quote(s), oneOf(values))
		return "", false
	}
	return s, true
}

// require reports each key of o that is missing.
func (p *parser) require(o *object, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if !o.has(k) {
			ok = false
			if !o.mistyped(k) {
				p.errorf(o.node, o.where, "", "missing %s", quote(k))
			}
		}
	}
	return ok
}

// oneKey returns the one key of o among keys, reporting none or several.
func (p *parser) oneKey(o *object, keys ...string) (string, bool) {
	var found []entry
	for _, e := range o.list {
		if contains(keys, e.name) {
			found = append(found, e)
		}
	}
	switch len(found) {
	case 0:
		if !o.mistyped(keys...) {
			p.errorf(o.node, o.where, "", "missing %s", oneOf(quoteAll(keys)))
		}
		return "", false
	case 1:
		return found[0].name, true
	}
	p.errorf(found[1].key, o.where, "", "want only one of %s, got both %s and %s", oneOf(quoteAll(keys)), quote(found[0].name), quote(found[1].name))
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

// quote quotes a user's word for a message, shortened so that a pasted
// blob does not flood the terminal.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "..."
	}
	return strconv.Quote(s)
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strconv.Quote(s)
	}
	return out
}
