package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every decoder the generator wrote is what it writes now: a test fails
// when a type changed and go generate was not run (as
// TestCommittedBuildIsCurrent does for the inspector's WebAssembly).
func TestGeneratedCodeIsCurrent(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
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
