//go:build !js

package recording

// The functions that read and write JSON with encoding/json: the CLI and
// the harness use them. They are left out of GOOS=js builds so that the
// inspector's WebAssembly does not link encoding/json (about 100-160 kB
// gzipped of its 1.5 MB budget): the inspector reads recordings and run
// indexes with DecodeLite and DecodeIndexLite, which give the same results
// without encoding/json, and HARs with ImportHAR, which uses the same
// decoder everywhere. It writes no recording, index nor HAR.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

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

// DecodeIndex reads a run index.
func DecodeIndex(file string, data []byte) (*Index, error) {
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, jsonError(file, data, err)
	}
	if err := checkSchema(file, head.Schema, IndexSchema); err != nil {
		return nil, err
	}
	var ix Index
	if err := json.Unmarshal(data, &ix); err != nil {
		return nil, jsonError(file, data, err)
	}
	return &ix, nil
}

// EncodeIndex returns the index as indented JSON.
func EncodeIndex(ix *Index) ([]byte, error) {
	if ix.Schema == "" {
		ix.Schema = IndexSchema
	}
	b, err := json.MarshalIndent(ix, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ExportHAR writes a recording as a HAR 1.2 file that other HAR tools open
// (it is valid against the HAR 1.2 JSON Schema). Each step is a page, each
// request an entry, with its cookies in the Cookie and Set-Cookie headers
// and the cookies arrays. Cookie values are written as "[value:FP]"
// (FP the value's fingerprint) unless the recording kept the raw value
// (--reveal-values). sessiontrace's own knowledge is in "_" fields:
// "_blockedReasons" (the cookies the browser withheld, with its reasons),
// "_rejectedCookies" (the Set-Cookie lines it refused), "_sessionId" (the
// session ID the request sent), "_step"; and the log's "_sessiontrace"
// object, with which ImportHAR restores the recording's requests,
// fingerprints and steps.
func ExportHAR(r *Recording) ([]byte, error) {
	if r == nil {
		return nil, fmt.Errorf("ExportHAR: no recording")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(exportHAR(r)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
