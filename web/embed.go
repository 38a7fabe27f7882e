// Package web holds the inspector's page: index.html, style.css, boot.js,
// wasm_exec.js (copied from the Go toolchain) and inspector.wasm (the
// wasm/ command built for GOOS=js GOARCH=wasm). The built files are
// committed, so that `go install` gives a working inspector; `go generate
// ./web` rebuilds them, and TestCommittedBuildIsCurrent fails when they
// are not what the current sources build. Package runfolder writes them
// into run folders; Handler serves them with a run folder (`sessiontrace
// serve`).
package web

import (
	"embed"
	"io/fs"
)

//go:embed index.html style.css boot.js wasm_exec.js inspector.wasm
var files embed.FS

// Files are the names of the inspector's files, relative to the page.
var Files = []string{"index.html", "style.css", "boot.js", "wasm_exec.js", "inspector.wasm"}

// FS returns the inspector's files.
func FS() fs.FS { return files }
