package runfolder

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/recording"
)

// A Kind is what an input file is.
type Kind int

const (
	// KindOther is none of the kinds below: a report (findings.json,
	// summary.json), another schema, JSON that is not an object, not JSON
	// at all, empty or truncated. Commands read it as a recording, whose
	// decoder then says what is wrong with it.
	KindOther Kind = iota
	// KindRecording is a recording (sessiontrace.recording/v1).
	KindRecording
	// KindIndex is a run index (sessiontrace.run/v1), a run folder's
	// index.json.
	KindIndex
	// KindHAR is a HAR file (HTTP Archive), read as a recording through
	// recording.ImportHAR.
	KindHAR
	// KindScenario is a scenario file (YAML).
	KindScenario
)

func (k Kind) String() string {
	switch k {
	case KindRecording:
		return "recording"
	case KindIndex:
		return "run index"
	case KindHAR:
		return "HAR"
	case KindScenario:
		return "scenario"
	}
	return "other"
}

// Sniff tells what a file is from its name (a path or a URL path) and its
// contents. The CLI and the inspector both ask it, so they never disagree.
// The first rule that holds decides:
//
//	the name ends in .har (any case)                 KindHAR
//	the name ends in .yaml or .yml (any case)        KindScenario
//	top-level "schema" is sessiontrace.run/v1        KindIndex
//	top-level "schema" is sessiontrace.recording/v1  KindRecording
//	no top-level "schema" (or null, or ""), and a
//	top-level "log" object                           KindHAR (a HAR saved under another name)
//	anything else                                    KindOther
//
// Only the top level counts: the "schema" inside the "_sessiontrace"
// object of a HAR written by `sessiontrace export --har` does not make
// it a recording. The top level is read as json.Unmarshal would read it
// (keys in any case, the last of duplicate keys), with one shortcut: when
// the document's first key is "schema" with a plain string value (as
// sessiontrace writes recordings and indexes), that value decides and
// the rest is not read, so a recording is not scanned twice. A document
// nested deeper than 1000 levels is KindOther.
func Sniff(name string, data []byte) Kind {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".har"):
		return KindHAR
	case strings.HasSuffix(lower, ".yaml"), strings.HasSuffix(lower, ".yml"):
		return KindScenario
	}
	schema, ok := leadingSchema(data)
	log := false
	if !ok {
		schema, log = topLevel(data)
	}
	switch {
	case schema == recording.IndexSchema:
		return KindIndex
	case schema == recording.Schema:
		return KindRecording
	case schema == "" && log:
		return KindHAR
	}
	return KindOther
}

// leadingSchema reads the value of the document's first key when the key
// is "schema" and the value a non-empty string of printable ASCII without
// escapes.
func leadingSchema(data []byte) (string, bool) {
	const key = `"schema"`
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return "", false
	}
	i = skipSpace(data, i+1)
	if !bytes.HasPrefix(data[i:], []byte(key)) {
		return "", false
	}
	i = skipSpace(data, i+len(key))
	if i >= len(data) || data[i] != ':' {
		return "", false
	}
	i = skipSpace(data, i+1)
	if i >= len(data) || data[i] != '"' {
		return "", false
	}
	start := i + 1
	for i = start; i < len(data) && data[i] >= 0x20 && data[i] < 0x7f && data[i] != '"' && data[i] != '\\'; i++ {
	}
	if i >= len(data) || data[i] != '"' || i == start {
		return "", false
	}
	return string(data[start:i]), true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t') {
		i++
	}
	return i
}

// topLevel reads the top-level "schema" string and whether "log" is an
// object, as json.Unmarshal into struct{ Schema string; Log
// json.RawMessage } fills them, without encoding/json (which the
// inspector does not link): recjson.Head, and where Head declines what
// encoding/json reads (invalid UTF-8, escaped lone surrogates), Head
// again on a copy with those made plain.
func topLevel(data []byte) (schema string, log bool) {
	if i := skipSpace(data, 0); i >= len(data) || data[i] != '{' {
		return "", false // json.Unmarshal sets nothing from anything but an object
	}
	if s, l, known := recjson.Head(data); known {
		return s, l
	}
	if fixed, changed := repair(data); changed {
		if s, l, known := recjson.Head(fixed); known {
			return s, l
		}
	}
	return "", false
}

// repair returns a copy of data with invalid UTF-8 replaced by U+FFFD and
// every escaped lone UTF-16 surrogate by \ufffd, which is how
// encoding/json reads both; changed is false (and data returned) when
// there is neither.
func repair(data []byte) (fixed []byte, changed bool) {
	valid := utf8.Valid(data)
	if valid && !bytes.Contains(data, []byte(`\u`)) {
		return data, false
	}
	out := data
	if !valid {
		out = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	copied := !valid
	inString := false
	for i := 0; i < len(out); i++ {
		c := out[i]
		if !inString {
			inString = c == '"'
			continue
		}
		switch c {
		case '"':
			inString = false
		case '\\':
			r, ok := escapedRune(out, i)
			if !ok || r < 0xd800 || r > 0xdfff {
				i++ // the escaped byte
				continue
			}
			if r < 0xdc00 { // a high surrogate: fine when a low one follows
				if r2, ok := escapedRune(out, i+6); ok && r2 >= 0xdc00 && r2 <= 0xdfff {
					i += 11
					continue
				}
			}
			if !copied {
				out, copied = bytes.Clone(out), true
			}
			copy(out[i:], `\ufffd`)
			i += 5
		}
	}
	return out, copied
}

// escapedRune reads a \uXXXX escape at data[i:].
func escapedRune(data []byte, i int) (rune, bool) {
	if i+6 > len(data) || data[i] != '\\' || data[i+1] != 'u' {
		return 0, false
	}
	r, err := strconv.ParseUint(string(data[i+2:i+6]), 16, 16)
	return rune(r), err == nil
}
