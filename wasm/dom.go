//go:build js && wasm

package main

import (
	"strconv"
	"strings"
	"syscall/js"
)

// A ui collects DOM operations for web/boot.js's stBuild, which turns them
// into elements with createElement, setAttribute and text nodes in one
// call: one syscall/js crossing per render instead of several per cell.
// No string from a recording is ever parsed as HTML: text is text,
// attributes are attributes (stBuild refuses event-handler attributes and
// non-fragment links besides).
//
// Its methods are marked go:noinline: inlined, every call site of the
// views carried its own copy of append's growth code, which made the
// WebAssembly build much larger (docs/benchmarks.md). A call costs nothing next
// to the JS crossing of a render.
type ui struct{ b []byte }

const (
	recSep   = '\x1e'
	fieldSep = '\x1f'
)

// clean keeps the op separators out of strings.
//
//go:noinline
func clean(s string) string {
	if strings.IndexByte(s, recSep) < 0 && strings.IndexByte(s, fieldSep) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == recSep || r == fieldSep {
			return '\uFFFD'
		}
		return r
	}, s)
}

// open starts an HTML element.
//
//go:noinline
func (u *ui) open(tag string) *ui { return u.op('<', tag) }

// svg starts an SVG element.
//
//go:noinline
func (u *ui) svg(tag string) *ui { return u.op('^', tag) }

// op starts an op of stBuild's kind with its name (a tag, an attribute
// or a CSS property).
//
//go:noinline
func (u *ui) op(kind byte, name string) *ui {
	u.b = append(u.b, recSep, kind)
	u.b = append(u.b, name...)
	return u
}

// field starts an op that names a value, which follows.
//
//go:noinline
func (u *ui) field(kind byte, name string) *ui {
	u.op(kind, name)
	u.b = append(u.b, fieldSep)
	return u
}

//go:noinline
func (u *ui) close() *ui {
	u.b = append(u.b, recSep, '>')
	return u
}

// attr sets an attribute; value may come from a recording.
//
//go:noinline
func (u *ui) attr(name, value string) *ui {
	u.field('=', name)
	u.b = append(u.b, clean(value)...)
	return u
}

//go:noinline
func (u *ui) attrInt(name string, v int) *ui {
	u.field('=', name)
	u.b = strconv.AppendInt(u.b, int64(v), 10)
	return u
}

//go:noinline
func (u *ui) attrF(name string, v float64) *ui {
	u.field('=', name)
	u.b = strconv.AppendFloat(u.b, v, 'f', 1, 64)
	return u
}

//go:noinline
func (u *ui) cls(c string) *ui {
	if c == "" {
		return u
	}
	return u.attr("class", c)
}

// style sets a CSS property through the CSSOM (allowed by the page's
// Content-Security-Policy, unlike a style attribute).
//
//go:noinline
func (u *ui) style(prop, value string) *ui {
	u.field(':', prop)
	u.b = append(u.b, clean(value)...)
	return u
}

// text appends a text node.
//
//go:noinline
func (u *ui) text(s string) *ui {
	if s == "" {
		return u
	}
	u.b = append(u.b, recSep, '"')
	u.b = append(u.b, clean(s)...)
	return u
}

// el writes a whole element with a class and a text.
//
//go:noinline
func (u *ui) el(tag, class, text string) *ui {
	return u.open(tag).cls(class).text(text).close()
}

// button writes a button that runs action act (see app.act).
//
//go:noinline
func (u *ui) button(class, act, text, title string) *ui {
	u.open("button").attr("type", "button").cls(class).attr("data-act", act)
	if title != "" {
		u.attr("title", title)
	}
	return u.text(text).close()
}

// link writes an in-page link to a deep-link hash.
//
//go:noinline
func (u *ui) link(class, hash, text string) *ui {
	return u.open("a").cls(class).attr("href", "#"+hash).text(text).close()
}

var doc = js.Global().Get("document")

//go:noinline
func byID(id string) js.Value { return doc.Call("getElementById", id) }

// itoa is strconv.Itoa, not inlined (see ui): the views call it hundreds
// of times.
//
//go:noinline
func itoa(n int) string { return strconv.Itoa(n) }

// mount replaces parent's children with what u describes.
func mount(parent js.Value, u *ui) {
	js.Global().Call("stBuild", parent, string(u.b), false)
}

func setText(el js.Value, s string) {
	if el.Truthy() {
		el.Set("textContent", s)
	}
}
