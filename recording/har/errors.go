package har

import (
	"fmt"
	"strings"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/recording"
)

// decodeError is the error of a HAR that did not decode: bad syntax, or a
// value of the wrong type, said with its JSON path (entries and pages
// indexed) and pointing at the start of the value.
func decodeError(file string, data []byte, err error) error {
	switch e := err.(type) {
	case *recjson.SyntaxError:
		l, c := recjson.LineCol(data, e.At())
		return &recording.DecodeError{File: file, Line: l, Column: c, Msg: "invalid JSON: " + e.Msg}
	case *recjson.TypeError:
		if e.Field == "" {
			return harError(file, data, "not a HAR file: expected a JSON object with a \"log\" object (HAR 1.2)", e.Start)
		}
		return harError(file, data, fmt.Sprintf("%s: expected %s, got %s", indexedField(data, e.Field, e.Start), e.Expected, e.Value), e.Start)
	}
	return &recording.DecodeError{File: file, Msg: err.Error()}
}

// indexedField adds the index of the entry or page to a field path of
// a type error ("log.entries.request.url" becomes
// "log.entries[3].request.url"), found from the error's offset.
func indexedField(data []byte, field string, off int64) string {
	for _, list := range []string{"entries", "pages"} {
		rest, ok := strings.CutPrefix(field, "log."+list+".")
		if !ok {
			continue
		}
		offs := recjson.Elements(data, "log", list)
		for i := len(offs) - 1; i >= 0; i-- {
			if offs[i] <= off {
				return fmt.Sprintf("log.%s[%d].%s", list, i, rest)
			}
		}
	}
	return field
}

// harError is a DecodeError at byte offset off of data.
func harError(file string, data []byte, msg string, off int64) error {
	if off < 0 {
		return &recording.DecodeError{File: file, Msg: msg}
	}
	l, c := recjson.LineCol(data, off)
	return &recording.DecodeError{File: file, Line: l, Column: c, Msg: msg}
}

// harErrorAt is a DecodeError at the value found at path (object keys and
// array indices) in data; at the start of the file when path is empty.
func harErrorAt(file string, data []byte, msg string, path ...any) error {
	// The closest enclosing value that exists (an entry without "request").
	for n := len(path); n >= 0; n-- {
		if off := recjson.Locate(data, path[:n]...); off >= 0 {
			return harError(file, data, msg, off)
		}
	}
	return harError(file, data, msg, -1)
}
