package recording

import (
	"bytes"
	"fmt"
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

// DecodeLite is Decode without encoding/json: the same recording, or the
// same error, for the same bytes (a differential fuzz test holds it to
// Decode). It is the inspector's way in (GOOS=js, where Decode, Encode
// and the other functions that use encoding/json are left out, see
// stdjson.go); elsewhere use Decode.
func DecodeLite(file string, data []byte) (*Recording, error) {
	if err := checkJSON(data); err != nil {
		return nil, liteError(file, data, err)
	}
	var head struct {
		Schema string `json:"schema"`
	}
	if err := decodeValidJSON(data, &head); err != nil {
		return nil, liteError(file, data, err)
	}
	if err := checkSchema(file, head.Schema, Schema); err != nil {
		return nil, err
	}
	var r Recording
	if err := decodeValidJSON(data, &r); err != nil {
		return nil, liteError(file, data, err)
	}
	return &r, nil
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
