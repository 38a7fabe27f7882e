// Package yamlfile reads a YAML file into typed values while keeping the
// position of every node, for the formats users write by hand (scenarios,
// cookie policies). Every problem is collected with its file:line:col and,
// for a misspelt word, a suggestion, so that one pass shows them all; and
// nothing the YAML library does, panics included, escapes as a crash.
//
// It imports only the standard library and the YAML parser, so the
// packages that use it still build for the WebAssembly inspector.
package yamlfile

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxWork bounds the keys and items read, because aliases and merge
// keys let a small file describe a huge document.
const maxWork = 1 << 20

// Reader reads the nodes of one file and collects the problems it finds.
// A format's parser embeds it and adds its own readers.
type Reader struct {
	File string // names the file in positions
	errs ErrorList
	work int
}

// Err returns every problem found so far, as ErrorList.Err does.
func (r *Reader) Err() error { return r.errs.Err() }

// Pos returns where n is.
func (r *Reader) Pos(n *yaml.Node) Pos {
	return Pos{File: r.File, Line: n.Line, Col: n.Column}
}

// Add reports a problem at pos.
func (r *Reader) Add(pos Pos, msg, hint string) {
	r.errs = append(r.errs, &Error{Pos: pos, Msg: msg, Hint: hint})
}

// Errorf reports a problem at n. where names the field ("fill.selector")
// and prefixes the message, so it reads well without the file at hand.
func (r *Reader) Errorf(n *yaml.Node, where, hint, format string, args ...any) {
	r.Add(r.Pos(n), Prefix(where, fmt.Sprintf(format, args...)), hint)
}

// Read reads the file data with r and builds a T from its root node.
// empty is the message for a file without content, extra the one for a
// second document; both name the format. On any problem the T is the
// zero value and the error an ErrorList of them all: a half-understood
// file must not be used.
func Read[T any](r *Reader, data []byte, empty, extra string, build func(root *yaml.Node) T) (T, error) {
	var zero T
	root := r.document(data, empty, extra)
	if root == nil {
		return zero, r.Err()
	}
	v := build(root)
	if err := r.Err(); err != nil {
		return zero, err
	}
	return v, nil
}

// document turns the file into its single YAML root node, or reports why
// it cannot and returns nil.
func (r *Reader) document(data []byte, empty, extra string) *yaml.Node {
	if pos, msg := scanText(data); msg != "" {
		pos.File = r.File
		r.Add(pos, msg, "")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := decode(dec, &doc); err != nil {
		if err == io.EOF {
			r.Add(Pos{File: r.File, Line: 1, Col: 1}, empty, "")
		} else {
			r.yamlError(err, data)
		}
		return nil
	}
	var next yaml.Node
	switch err := decode(dec, &next); {
	case err == io.EOF:
	case err != nil:
		r.yamlError(err, data)
		return nil
	default:
		at := &next
		if len(next.Content) > 0 {
			at = next.Content[0]
		}
		r.Errorf(at, "", "", "%s", extra)
	}
	if len(doc.Content) == 0 {
		r.Add(Pos{File: r.File, Line: 1, Col: 1}, empty, "")
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
func (r *Reader) yamlError(err error, data []byte) {
	msg := err.Error()
	pos := Pos{File: r.File, Line: 1}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			pos.Line = n
		}
		msg = m[2]
		if at, ok := locate(data, pos.Line, msg); ok {
			pos.Line, pos.Col = at.Line, at.Col
		}
		msg += indentHint(msg)
	} else if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		pos = findAlias(data, m[1])
		pos.File = r.File
		msg = fmt.Sprintf("unknown anchor %q: define it with &%s before using *%s", m[1], m[1], m[1])
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	r.Add(pos, "invalid YAML: "+msg, "")
}

// maxLocate and maxLocateBytes bound the re-parses locate makes, and the
// bytes they read: a huge file keeps the library's line.
const (
	maxLocate      = 400
	maxLocateBytes = 16 << 20
)

// locate finds the line where the YAML library's error msg really is. The
// library names the line where the enclosing block began (a mis-indented
// step is reported at the list's first item, or at "steps:"): the line
// is the last of the shortest start of the file, from line from on, that
// fails with the same message. Its column is that of the line's first
// character after its indentation (a tab there is the character). ok is false when no such line is found within maxLocate
// parses.
func locate(data []byte, from int, msg string) (Pos, bool) {
	lines := strings.SplitAfter(string(data), "\n")
	start := 0
	for i := 1; i < from && i < len(lines); i++ {
		start += len(lines[i-1])
	}
	end, budget := start, maxLocateBytes
	for k := max(from, 1); k <= len(lines) && k-from < maxLocate && budget > 0; k++ {
		end += len(lines[k-1])
		budget -= end
		var n yaml.Node
		err := decode(yaml.NewDecoder(strings.NewReader(string(data[:end]))), &n)
		if err == nil {
			continue
		}
		if m := yamlLine.FindStringSubmatch(err.Error()); m == nil || m[2] != msg {
			continue
		}
		line := lines[k-1]
		col := 1 + len(line) - len(strings.TrimLeft(line, " "))
		return Pos{Line: k, Col: col}, true
	}
	return Pos{}, false
}

// indentHint says, for the library's words about a block, what they
// usually mean in a hand-written file.
func indentHint(msg string) string {
	switch msg {
	case "did not find expected '-' indicator":
		return " (is this line indented like the list items above it? a step's keys line up under the first key after its '-')"
	case "did not find expected key":
		return " (is this line indented like the keys above it?)"
	}
	return ""
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

// Deref follows an alias to the node it names. The result is nil only
// for a broken alias, which the library does not produce.
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// Describe names a node's type for "expected X, got Y" messages.
func Describe(n *yaml.Node) string {
	n = Deref(n)
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
		return "a value tagged " + Quote(n.Tag)
	}
	return "an unknown node"
}

// Entry is one key: value pair of a mapping.
type Entry struct {
	Name string
	Key  *yaml.Node
	Val  *yaml.Node
}

// Object is a mapping being read key by key.
type Object struct {
	Node    *yaml.Node // the mapping, where a missing key is reported
	Where   string
	ByKey   map[string]Entry
	List    []Entry // in file order, merged keys last
	Unknown int     // how many keys were refused as unknown
	// hinted holds the keys suggested for unknown ones: "vlaue" was
	// meant as "value", so "missing value" would only repeat the error.
	hinted map[string]bool
}

// Has reports whether key was written.
func (o *Object) Has(key string) bool { _, ok := o.ByKey[key]; return ok }

// Mistyped reports whether any of keys was suggested for an unknown key.
func (o *Object) Mistyped(keys ...string) bool {
	for _, k := range keys {
		if o.hinted[k] {
			return true
		}
	}
	return false
}

// Object reads the mapping n, reporting duplicate keys and keys not
// among keys; ok is false if n is not a mapping at all.
func (r *Reader) Object(n *yaml.Node, where string, keys ...string) (*Object, bool) {
	return r.object(n, where, keys, false)
}

// AnyObject is Object for a mapping whose keys the user names (vars).
func (r *Reader) AnyObject(n *yaml.Node, where string) (*Object, bool) {
	return r.object(n, where, nil, true)
}

func (r *Reader) object(n *yaml.Node, where string, keys []string, anyKey bool) (*Object, bool) {
	m := Deref(n)
	if m == nil || m.Kind != yaml.MappingNode {
		r.Errorf(n, where, "", "expected a mapping, got %s", Describe(n))
		return nil, false
	}
	o := &Object{Node: m, Where: where, ByKey: map[string]Entry{}, hinted: map[string]bool{}}
	for _, e := range r.entries(m, where, map[*yaml.Node]bool{m: true}) {
		if !anyKey && !slices.Contains(keys, e.Name) {
			hint := Suggest(e.Name, keys...)
			r.Errorf(e.Key, where, hint, "unknown key %s", Quote(e.Name))
			o.hinted[hint] = true
			o.Unknown++
			continue
		}
		o.ByKey[e.Name] = e
		o.List = append(o.List, e)
	}
	return o, true
}

// entries lists the pairs of mapping m, applying YAML merge keys
// ("<<: *defaults") with explicit keys winning. visited stops merge
// cycles and repeats.
func (r *Reader) entries(m *yaml.Node, where string, visited map[*yaml.Node]bool) []Entry {
	var own, merged []Entry
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if r.work++; r.work > maxWork {
			if r.work == maxWork+1 {
				r.Errorf(m, where, "", "document too large: aliases and merge keys expand to over %d keys", maxWork)
			}
			return nil
		}
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merged = append(merged, r.merge(v, where, visited)...)
			continue
		}
		kd := Deref(k)
		if kd == nil || kd.Kind != yaml.ScalarNode || kd.ShortTag() == "!!null" {
			r.Errorf(k, where, "", "expected a key name, got %s", Describe(k))
			continue
		}
		if first, dup := seen[kd.Value]; dup {
			r.Errorf(k, where, "", "duplicate key %s (first at line %d)", Quote(kd.Value), first.Line)
			continue
		}
		seen[kd.Value] = k
		own = append(own, Entry{kd.Value, k, v})
	}
	for _, e := range merged {
		if _, dup := seen[e.Name]; !dup {
			seen[e.Name] = e.Key
			own = append(own, e)
		}
	}
	return own
}

// merge returns the pairs a merge key brings in: from a mapping or a
// list of mappings, earlier ones winning as the YAML spec says.
func (r *Reader) merge(v *yaml.Node, where string, visited map[*yaml.Node]bool) []Entry {
	src := Deref(v)
	var maps []*yaml.Node
	switch {
	case src != nil && src.Kind == yaml.MappingNode:
		maps = []*yaml.Node{src}
	case src != nil && src.Kind == yaml.SequenceNode:
		for _, item := range src.Content {
			d := Deref(item)
			if d == nil || d.Kind != yaml.MappingNode {
				r.Errorf(item, where, "", "a merge key (<<) takes mappings, got %s", Describe(item))
				continue
			}
			maps = append(maps, d)
		}
	default:
		r.Errorf(v, where, "", "a merge key (<<) takes a mapping or a list of mappings, got %s", Describe(v))
	}
	var out []Entry
	seen := map[string]bool{}
	for _, m := range maps {
		if visited[m] {
			continue
		}
		visited[m] = true
		for _, e := range r.entries(m, where, visited) {
			if !seen[e.Name] {
				seen[e.Name] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// Items returns the elements of sequence n.
func (r *Reader) Items(n *yaml.Node, where string) ([]*yaml.Node, bool) {
	s := Deref(n)
	if s == nil || s.Kind != yaml.SequenceNode {
		r.Errorf(n, where, "", "expected a sequence, got %s", Describe(n))
		return nil, false
	}
	if r.work += len(s.Content); r.work > maxWork {
		r.Errorf(n, where, "", "document too large: aliases expand to over %d items", maxWork)
		return nil, false
	}
	return s.Content, true
}

// Str reads a scalar as text. Numbers and booleans are accepted as
// written ("value: 42" fills "42"); null is not, because an empty value
// is far more often a mistake than a wish.
func (r *Reader) Str(n *yaml.Node, where string) (string, bool) {
	s := Deref(n)
	if s == nil || s.Kind != yaml.ScalarNode || s.ShortTag() == "!!null" {
		r.Errorf(n, where, "", "expected a string, got %s", Describe(n))
		return "", false
	}
	return s.Value, true
}

// Bool reads true or false. Other ways of writing yes or no (on, 1) are
// refused with a hint rather than guessed at.
func (r *Reader) Bool(n *yaml.Node, where string) (bool, bool) {
	s := Deref(n)
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
	r.Errorf(n, where, hint, "expected true or false, got %s", Describe(n))
	return false, false
}

// Int reads a whole number written as one (not "1.0", not a string).
func (r *Reader) Int(n *yaml.Node, where string) (int, bool) {
	s := Deref(n)
	if s != nil && s.Kind == yaml.ScalarNode && s.ShortTag() == "!!int" {
		if v, err := strconv.Atoi(s.Value); err == nil {
			return v, true
		}
	}
	got := Describe(n)
	if s != nil && s.Kind == yaml.ScalarNode && s.ShortTag() != "!!null" {
		got = Quote(s.Value)
	}
	r.Errorf(n, where, "", "expected a whole number, got %s", got)
	return 0, false
}

// BoolPtr is Bool for an optional flag: nil if n is not a boolean.
func (r *Reader) BoolPtr(n *yaml.Node, where string) *bool {
	b, ok := r.Bool(n, where)
	if !ok {
		return nil
	}
	return &b
}

// Duration reads a Go duration such as "2s" of at most limit (no limit
// when 0). A bare number is refused (is "wait: 2" seconds or
// milliseconds?), except 0; one too large says the limit.
func (r *Reader) Duration(n *yaml.Node, where string, limit time.Duration) (time.Duration, bool) {
	s := Deref(n)
	if s == nil || s.Kind != yaml.ScalarNode || s.ShortTag() == "!!null" {
		r.Errorf(n, where, "", "expected a duration like 2s or 500ms, got %s", Describe(n))
		return 0, false
	}
	d, err := ParseDuration(s.Value, limit)
	if err == ErrNotDuration {
		hint := ""
		if _, err := strconv.ParseFloat(s.Value, 64); err == nil {
			hint = s.Value + "s"
		}
		r.Errorf(n, where, hint, "expected a duration like 2s or 500ms, got %s", Quote(s.Value))
		return 0, false
	}
	if err != nil {
		r.Errorf(n, where, "", "%v", err)
		return 0, false
	}
	return d, true
}

// Enum reads a string that must be one of values, exactly.
func (r *Reader) Enum(n *yaml.Node, where string, values ...string) (string, bool) {
	s, ok := r.Str(n, where)
	if !ok {
		return "", false
	}
	if !slices.Contains(values, s) {
		r.enumError(n, where, s, values)
		return "", false
	}
	return s, true
}

// EnumFold is Enum in any case and with spaces around; it returns the
// value as values spells it.
func (r *Reader) EnumFold(n *yaml.Node, where string, values ...string) (string, bool) {
	s, ok := r.Str(n, where)
	if !ok {
		return "", false
	}
	for _, v := range values {
		if strings.EqualFold(v, strings.TrimSpace(s)) {
			return v, true
		}
	}
	r.enumError(n, where, s, values)
	return "", false
}

func (r *Reader) enumError(n *yaml.Node, where, s string, values []string) {
	r.Errorf(n, where, Suggest(s, values...), "unknown value %s: want %s", Quote(s), OneOf(values))
}

// Require reports each key of o that is missing, unless an unknown key
// was taken for it (the typo is already reported).
func (r *Reader) Require(o *Object, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if !o.Has(k) {
			ok = false
			if !o.Mistyped(k) {
				r.Errorf(o.Node, o.Where, "", "missing %s", Quote(k))
			}
		}
	}
	return ok
}

// OneKey returns the one key of o among keys, reporting none or several.
func (r *Reader) OneKey(o *Object, keys ...string) (string, bool) {
	var found []Entry
	for _, e := range o.List {
		if slices.Contains(keys, e.Name) {
			found = append(found, e)
		}
	}
	switch len(found) {
	case 0:
		if !o.Mistyped(keys...) {
			r.Errorf(o.Node, o.Where, "", "missing %s", OneOf(quoteAll(keys)))
		}
		return "", false
	case 1:
		return found[0].Name, true
	}
	r.Errorf(found[1].Key, o.Where, "", "want only one of %s, got both %s and %s", OneOf(quoteAll(keys)), Quote(found[0].Name), Quote(found[1].Name))
	return "", false
}

// quoteAll quotes our own key names in full: unlike a user's words, they
// are never long.
func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strconv.Quote(s)
	}
	return out
}
