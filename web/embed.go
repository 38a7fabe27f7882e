// Package web holds the inspector's page: index.html, style.css, boot.js,
// wasm_exec.js (the Go toolchain's, kept with its licence under
// third_party/golang/) and inspector.wasm (the wasm/ command built for
// GOOS=js GOARCH=wasm). The built files are committed, so that `go
// install` gives a working inspector; `go generate ./web` rebuilds them,
// and TestCommittedBuildIsCurrent fails when they are not what the
// current sources and toolchain build. Package runfolder writes them into
// run folders; Handler serves them with a run folder (`sessiontrace
// serve`).
package web

import (
	"embed"
	"io/fs"
	"slices"
)

//go:embed index.html style.css boot.js inspector.wasm third_party/golang/wasm_exec.js
var files embed.FS

// wasmExec is where wasm_exec.js is kept: it is Go's code, not this
// project's, and the page loads it from beside itself.
const wasmExec = "third_party/golang/wasm_exec.js"

// Files are the names of the inspector's files, relative to the page.
var Files = []string{"index.html", "style.css", "boot.js", "wasm_exec.js", "inspector.wasm"}

// FS returns the inspector's files, by the names of Files.
func FS() fs.FS { return pageFS{} }

// pageFS lays the embedded files out as the page expects them.
type pageFS struct{}

func (pageFS) Open(name string) (fs.File, error) {
	if !slices.Contains(Files, name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if name == "wasm_exec.js" {
		name = wasmExec
	}
	return files.Open(name)
}
