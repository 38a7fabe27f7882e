package recording

import (
	"fmt"
	"io"
	"strings"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
)

// The decoders of recordings and run indexes are generated from the types
// (decode_gen.go, on internal/recjson): after changing a type, and
// docs/recording.schema.json, run go generate.
//
//go:generate go run github.com/sessiontrace/sessiontrace/internal/recjson/gen -out decode_gen.go -memo Value -export ScenarioInfo,BrowserInfo,Options,ProbeResult,Value,AuthState,TokenProbe,StorageEvent,StorageItem Recording Index schemaHead

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
// other schemas with a message that says what was found. It returns what
// encoding/json's Unmarshal returns, error messages included (tests hold
// it to that), several times faster. The strings of the recording share
// memory with data: do not modify data afterwards.
func Decode(file string, data []byte) (*Recording, error) {
	return decode(file, data, Schema, unmarshalRecording, func(r *Recording) string { return r.Schema })
}

// Read reads a recording from rd.
func Read(file string, rd io.Reader) (*Recording, error) {
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, &DecodeError{File: file, Msg: err.Error()}
	}
	return Decode(file, data)
}

// DecodeIndex reads a run index, as Decode reads a recording.
func DecodeIndex(file string, data []byte) (*Index, error) {
	return decode(file, data, IndexSchema, unmarshalIndex, func(ix *Index) string { return ix.Schema })
}

// decode reads a document of schema want with a generated decoder.
func decode[T any](file string, data []byte, want string, unmarshal func([]byte, *T) error, schema func(*T) string) (*T, error) {
	v := new(T)
	err := unmarshal(data, v)
	if err == nil && schema(v) == want {
		return v, nil
	}
	return nil, decodeError(file, data, want, err)
}

// schemaHead is what Decode reads first: the errors come in the order in
// which encoding/json found them when Decode read the schema alone, then
// the whole document.
type schemaHead struct {
	Schema string `json:"schema"`
}

// headType is schemaHead as the messages named it.
const headType = `struct { Schema string "json:\"schema\"" }`

// decodeError is the error of a document that did not decode as one of
// schema want, err the error of decoding it whole: bad syntax, else a top
// level or a schema of the wrong type, else another schema, else err.
func decodeError(file string, data []byte, want string, err error) error {
	if _, ok := err.(*recjson.SyntaxError); ok {
		return jsonError(file, data, err)
	}
	var h schemaHead
	if herr := unmarshalSchemaHead(data, &h); herr != nil {
		if te, ok := herr.(*recjson.TypeError); ok && te.Field == "" {
			te.Type = headType
		}
		return jsonError(file, data, herr)
	}
	if err := checkSchema(file, h.Schema, want); err != nil {
		return err
	}
	if err == nil {
		return &DecodeError{File: file, Msg: "the schema was read in two ways (a bug)"}
	}
	return jsonError(file, data, err)
}

// jsonError turns the decoder's errors, which carry a byte offset, into a
// DecodeError with line and column.
func jsonError(file string, data []byte, err error) error {
	switch e := err.(type) {
	case *recjson.SyntaxError:
		l, c := recjson.LineCol(data, e.At())
		return &DecodeError{File: file, Line: l, Column: c, Msg: "invalid JSON: " + e.Msg}
	case *recjson.TypeError:
		at := e.Start // the start of the value, as for a HAR
		if at < 0 {
			at = e.Offset
		}
		l, c := recjson.LineCol(data, at)
		field := e.Field
		if field == "" {
			field = "value"
		}
		return &DecodeError{File: file, Line: l, Column: c, Msg: field + ": expected " + e.Type + ", got JSON " + e.Value}
	}
	return &DecodeError{File: file, Msg: err.Error()}
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
