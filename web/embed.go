// Package web holds the inspector's page: index.html, style.css, boot.js,
// wasm_exec.js (copied from the Go toolchain) and inspector.wasm (the
// wasm/ command built for GOOS=js GOARCH=wasm). The built files are
// committed, so that `go install` gives a working inspector; `go generate
// ./web` rebuilds them, and TestCommittedBuildIsCurrent fails when they
// are not what the current sources build.
package web

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed index.html style.css boot.js wasm_exec.js inspector.wasm
var files embed.FS

// Files are the names of the inspector's files, relative to the page.
var Files = []string{"index.html", "style.css", "boot.js", "wasm_exec.js", "inspector.wasm"}

// FS returns the inspector's files.
func FS() fs.FS { return files }

// WriteInspector writes the inspector's files into dir, typically a run
// folder: index.html next to index.json then shows that run from any
// static file server (or CI artifact viewer), with no sessiontrace at
// hand. Existing files of the same names are replaced; each file is
// written through a temporary file and a rename.
func WriteInspector(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range Files {
		data, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		tmp, err := os.CreateTemp(dir, "."+name+".*")
		if err != nil {
			return err
		}
		_, werr := tmp.Write(data)
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(tmp.Name(), 0o644)
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), filepath.Join(dir, name))
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return werr
		}
	}
	return nil
}
