//go:build !js

package recording

// The writers, on encoding/json: the CLI and the harness use them. They
// are left out of GOOS=js builds so that the inspector's WebAssembly does
// not link encoding/json (docs/benchmarks.md): the
// inspector writes no recording nor index, and reads them with the
// generated decoder, as every platform does.

import (
	"bytes"
	"encoding/json"
)

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
