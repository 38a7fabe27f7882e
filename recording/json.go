package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// A DecodeError says where a recording or index could not be read.
type DecodeError struct {
	File         string
	Line, Column int // 1-based; 0 when unknown
	Msg          string
}

func (e *DecodeError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.File != "":
		return e.File + ": " + e.Msg
	}
	return e.Msg
}

// Decode reads a recording from data; file names it in errors. It refuses
// other schemas with a message that says what was found.
func Decode(file string, data []byte) (*Recording, error) {
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, jsonError(file, data, err)
	}
	if err := checkSchema(file, head.Schema, Schema); err != nil {
		return nil, err
	}
	var r Recording
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, jsonError(file, data, err)
	}
	return &r, nil
}

// Read reads a recording from rd.
func Read(file string, rd io.Reader) (*Recording, error) {
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, &DecodeError{File: file, Msg: err.Error()}
	}
	return Decode(file, data)
}

// Encode returns the recording as indented JSON.
func Encode(r *Recording) ([]byte, error) {
	if r.Schema == "" {
		r.Schema = Schema
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	// URLs and selectors are easier to read without \u0026 escapes; the
	// inspector never builds HTML from these strings.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func checkSchema(file, got, want string) error {
	if got == want {
		return nil
	}
	if got == "" {
		return &DecodeError{File: file, Msg: fmt.Sprintf("no \"schema\" field: expected %q", want)}
	}
	wantFamily, _, _ := strings.Cut(want, "/")
	if family, _, _ := strings.Cut(got, "/"); family == wantFamily {
		return &DecodeError{File: file, Msg: fmt.Sprintf("schema %q is not supported by this version (it reads %q)", got, want)}
	}
	return &DecodeError{File: file, Msg: fmt.Sprintf("schema %q: expected %q", got, want)}
}

// jsonError turns encoding/json's errors, which carry a byte offset, into
// a DecodeError with line and column.
func jsonError(file string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		l, c := lineCol(data, syn.Offset)
		return &DecodeError{File: file, Line: l, Column: c, Msg: "invalid JSON: " + syn.Error()}
	case errors.As(err, &typ):
		l, c := lineCol(data, typ.Offset)
		field := typ.Field
		if field == "" {
			field = "value"
		}
		return &DecodeError{File: file, Line: l, Column: c,
			Msg: fmt.Sprintf("%s: expected %s, got JSON %s", field, typ.Type, typ.Value)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		l, c := lineCol(data, int64(len(data)))
		return &DecodeError{File: file, Line: l, Column: c, Msg: "invalid JSON: unexpected end of input"}
	}
	return &DecodeError{File: file, Msg: err.Error()}
}

func lineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}
