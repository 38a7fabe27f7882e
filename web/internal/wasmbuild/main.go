// Command wasmbuild builds the inspector into a folder: inspector.wasm
// (the wasm/ command for GOOS=js GOARCH=wasm, stripped, reproducible) and,
// under third_party/golang/, wasm_exec.js from the same Go toolchain with
// the toolchain's LICENSE. `go generate ./web` runs it
// with -o web; the web package's test runs it into a temporary folder and
// compares the bytes with the committed files.
//
//	go run ./web/internal/wasmbuild -o web
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("o", ".", "folder to write inspector.wasm and third_party/golang/ into")
	flag.Parse()
	if err := build(*out); err != nil {
		fmt.Fprintln(os.Stderr, "wasmbuild:", err)
		os.Exit(1)
	}
}

// buildArgs are the go build arguments: the same toolchain and sources give the
// same bytes (no paths, no VCS stamp, no symbols, no build ID: a change
// that does not change the code, such as a comment, does not change them).
// The page's own package is compiled without inlining: Go's WebAssembly
// copies a DOM call's whole body at every inlined call site, which made
// the bundle bigger (docs/benchmarks.md) and was no faster (the hot code, the
// decoder and the analysis, keeps its inlining).
var buildArgs = []string{"build", "-trimpath", "-buildvcs=false", "-gcflags=github.com/sessiontrace/sessiontrace/wasm=-l", "-gcflags=github.com/sessiontrace/sessiontrace/rundiff=-l", "-ldflags=-s -w -buildid=", "-o"}

func build(out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	// The wasm/ package of this module, wherever the command runs from.
	modDir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return fmt.Errorf("go list -m: %w", err)
	}
	cmd := exec.Command("go", append(buildArgs, filepath.Join(abs, "inspector.wasm"), "./wasm")...)
	cmd.Dir = strings.TrimSpace(string(modDir))
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS=")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./wasm: %w", err)
	}
	// Go's own files, copied as they are.
	third := filepath.Join(abs, "third_party", "golang")
	if err := os.MkdirAll(third, 0o755); err != nil {
		return err
	}
	for _, src := range []string{filepath.Join("lib", "wasm", "wasm_exec.js"), "LICENSE"} {
		data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), src))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(third, filepath.Base(src)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
