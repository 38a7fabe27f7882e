package web

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The committed inspector.wasm and Go's files must be what the current
// sources and toolchain build (go generate ./web rebuilds them): a user
// of `go install` gets the embedded files, not a fresh build.
func TestCommittedBuildIsCurrent(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/wasmbuild", "-o", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the inspector: %v\n%s", err, out)
	}
	for _, name := range []string{"inspector.wasm", wasmExec, "third_party/golang/LICENSE"} {
		fresh, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fresh, committed) {
			t.Errorf("web/%s is not what the current sources build (%d bytes committed, %d built): run `go generate ./web` and commit it", name, len(committed), len(fresh))
		}
	}
}

func TestEmbeddedFiles(t *testing.T) {
	for _, name := range Files {
		b, err := fs.ReadFile(FS(), name)
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Go's file is served as the page loads it, from beside the page only.
	if _, err := fs.ReadFile(FS(), wasmExec); err == nil {
		t.Errorf("FS gives %s: the page's files are Files, by their names", wasmExec)
	}
	html, _ := fs.ReadFile(FS(), "index.html")
	for _, ref := range []string{`src="wasm_exec.js"`, `src="boot.js"`, `href="style.css"`, "Nothing is uploaded", "'wasm-unsafe-eval'"} {
		if !bytes.Contains(html, []byte(ref)) {
			t.Errorf("index.html lacks %s", ref)
		}
	}
	boot, _ := fs.ReadFile(FS(), "boot.js")
	if !bytes.Contains(boot, []byte(`"inspector.wasm"`)) {
		t.Error("boot.js does not load inspector.wasm")
	}
	// The page never turns strings into HTML.
	for _, name := range []string{"boot.js", "index.html"} {
		b, _ := fs.ReadFile(FS(), name)
		for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
			if strings.Contains(string(b), sink) {
				t.Errorf("%s uses %s", name, sink)
			}
		}
	}
}

// The inspector's budget (issue 4): at most 1.5 MB gzipped. Size is not
// timing: it is the same on every machine, so it can be a test. `serve`
// compresses with Go's gzip; GNU gzip -9 gives about 1% less.
func TestBundleBudget(t *testing.T) {
	data, err := os.ReadFile("inspector.wasm")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(data)
	w.Close()
	// issue 13: room for new views, met by removing duplication; issue 16
	// (session tokens in Web Storage, seventh session): +50 kB, see
	// docs/benchmarks.md.
	const budget = 1_650_000
	t.Logf("inspector.wasm: %d bytes, %d gzipped (budget %d)", len(data), b.Len(), budget)
	if b.Len() > budget {
		t.Errorf("inspector.wasm is %d bytes gzipped, over the budget of %d: see docs/benchmarks.md for what weighs", b.Len(), budget)
	}
}
