package recjson

import "strings"

// headType is the Go type Head reads into, as reflect prints it.
const headType = `struct { Log json.RawMessage "json:\"log\""; Schema string "json:\"schema\"" }`

// Head reads what a JSON document's top level says it is: the "schema"
// string and whether "log" is an object (a HAR), as json.Unmarshal into
// struct { Log json.RawMessage; Schema string } fills them (keys in any
// case, the last of duplicates, null leaving the field alone). known is
// false where json.Unmarshal fails (bad syntax, a top level that is not
// an object, a schema that is not a string). It checks the whole
// document, about five times faster than encoding/json.
func Head(data []byte) (schema string, logIsObject, known bool) {
	var d Decoder
	err := d.Run(data, func() {
		for lvl, k, ok := d.Object(headType); ok; k, ok = d.Next(lvl, k) {
			switch k {
			case "schema":
				d.String(&schema)
			case "log":
				logIsObject = d.at('{')
				d.Skip()
			default:
				k = d.Unknown(k, "log,schema")
			}
		}
	})
	if err != nil {
		return "", false, false
	}
	return strings.Clone(schema), logIsObject, true
}

// Locate returns the byte offset of the JSON value at path in data (keys
// are strings, the first key of that exact spelling; array indices are
// ints), or -1 when there is none or data is not JSON. Errors found after
// decoding point there.
func Locate(data []byte, path ...any) (off int64) {
	if CheckSyntax(data) != nil {
		return -1
	}
	d := &Decoder{data: data}
	defer func() {
		if recover() != nil {
			off = -1
		}
	}()
	d.ws()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if !d.at('{') {
				return -1
			}
			if !d.objectStart() {
				return -1
			}
			for {
				key := d.str()
				d.ws()
				d.i++ // ':'
				d.ws()
				if key == k {
					break
				}
				d.skipValue()
				if !d.nextSlow('}') {
					return -1
				}
				d.ws()
			}
		case int:
			if k < 0 || !d.at('[') || !d.arrStart() {
				return -1
			}
			for i := 0; i < k; i++ {
				d.skipValue()
				if !d.nextSlow(']') {
					return -1
				}
				d.ws()
			}
		default:
			return -1
		}
	}
	return int64(d.i)
}

// objectStart consumes the '{' at d.i and reports whether a key follows,
// positioned at it.
func (d *Decoder) objectStart() bool {
	d.i++
	d.push()
	d.ws()
	if d.data[d.i] == '}' {
		d.i++
		d.depth--
		return false
	}
	return true
}

// Elements returns the offsets of the elements of the array at path (see
// Locate).
func Elements(data []byte, path ...any) (offs []int64) {
	start := Locate(data, path...)
	if start < 0 || start >= int64(len(data)) || data[start] != '[' {
		return nil
	}
	d := &Decoder{data: data, i: int(start)}
	defer func() {
		if recover() != nil {
			offs = nil
		}
	}()
	if !d.arrStart() {
		return nil
	}
	for {
		offs = append(offs, int64(d.i))
		d.skipValue()
		if !d.nextSlow(']') {
			return offs
		}
		d.ws()
	}
}
