package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/repotest"
)

// Every decoder the generator wrote is what it writes now: a test fails
// when a type changed and go generate was not run (as
// TestCommittedBuildIsCurrent does for the inspector's WebAssembly).
func TestGeneratedCodeIsCurrent(t *testing.T) {
	root := repotest.Root()
	n := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			args, ok := strings.CutPrefix(sc.Text(), directive)
			if !ok {
				continue
			}
			n++
			dir := filepath.Dir(path)
			out, want, err := generate(dir, strings.Fields(args))
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			got, err := os.ReadFile(filepath.Join(dir, out))
			if err != nil || !bytes.Equal(got, want) {
				rel, _ := filepath.Rel(root, filepath.Join(dir, out))
				t.Errorf("%s is not what the generator writes from the types now: run go generate ./%s (%v)", rel, filepath.Dir(rel), err)
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Fatalf("found %d go:generate directives of the generator, want those of recording, recording/har and recjson's probe types", n)
	}
}

// The generator refuses what it cannot decode as encoding/json does.
func TestUnsupported(t *testing.T) {
	for src, want := range map[string]string{
		"type T struct{ Base }; type Base struct{ A int }":              "embedded",
		"type T struct{ N int `json:\"n,string\"` }":                    `",string"`,
		"type T struct{ A string `json:\"a\"`; B string `json:\"a\"` }": "two fields",
		"type T struct{ M map[string]int }":                             "map[string]string",
		"type T struct{ U uint }":                                       "not supported",
		"type T struct{ P []*T }":                                       "slices of strings and of structs",
		"type T struct{ L []T }":                                        "recursive",
		"type T struct{ X struct{ A int } }":                            "anonymous",
		"type T struct{ A any }":                                        "not supported",
		"type T struct{ B Flag }; type Flag bool":                       "named bool",
		"type T struct{ K Key }; type Key string; func (*Key) UnmarshalText([]byte) error { return nil }": "UnmarshalText",
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.26\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "t.go"), []byte("package x\n\n"+src+"\n"), 0o644)
		_, _, err := generate(dir, []string{"T"})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}

// A type of another package is read by that package's reader, which it
// must export; the state embeds that package's.
func TestOtherPackage(t *testing.T) {
	write := func(dir, name, src string) {
		os.MkdirAll(dir, 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	module := func(exportA string) string {
		dir := t.TempDir()
		write(dir, "go.mod", "module example.com/x\n\ngo 1.26\n")
		write(filepath.Join(dir, "a"), "a.go", "package a\n\n"+directive+"-out decode_gen.go "+exportA+" A\n\ntype A struct{ N int }\n")
		write(filepath.Join(dir, "c"), "c.go", "package c\n\ntype C struct{ N int }\n")
		return dir
	}
	dir := module("-export A")
	_, src, err := generate(filepath.Join(dir, "a"), []string{"-export", "A", "A"})
	if err != nil || !bytes.Contains(src, []byte("\nfunc (d *JSONState) ReadA(v *A) {")) {
		t.Errorf("the decoder of a does not export ReadA (%v):\n%s", err, src)
	}
	write(filepath.Join(dir, "b"), "b.go", "package b\n\nimport \"example.com/x/a\"\n\ntype B struct{ A a.A; L []a.A; P *a.A }\n")
	_, src, err = generate(filepath.Join(dir, "b"), []string{"B"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\ta.JSONState\n", "d.ReadA(&v.A)", "d.ReadA)", "recjson.Pointer(&d.Decoder, &v.P, d.ReadA)"} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("the decoder of b lacks %q:\n%s", want, src)
		}
	}
	if bytes.Contains(src, []byte("func (d *jsonState) readA")) {
		t.Errorf("b has a copy of a's reader:\n%s", src)
	}

	dir = module("")
	write(filepath.Join(dir, "b"), "b.go", "package b\n\nimport \"example.com/x/a\"\n\ntype B struct{ A a.A }\n")
	if _, _, err := generate(filepath.Join(dir, "b"), []string{"B"}); err == nil || !strings.Contains(err.Error(), "-export") {
		t.Errorf("a reader a does not export: error %v, want one that asks for -export", err)
	}

	dir = module("-export A")
	write(filepath.Join(dir, "b"), "b.go", "package b\n\nimport (\n\t\"example.com/x/a\"\n\t\"example.com/x/c\"\n)\n\ntype B struct{ A a.A; C c.C }\n")
	if _, _, err := generate(filepath.Join(dir, "b"), []string{"B"}); err == nil || !strings.Contains(err.Error(), "two other packages") {
		t.Errorf("types of two other packages: error %v", err)
	}
}
