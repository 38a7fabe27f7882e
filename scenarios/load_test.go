package scenarios

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// brokenWant is what testdata/broken.yaml must report; the CLI's
// validate test relies on the same file.
var brokenWant = []string{
	`testdata/broken.yaml:3:9: target: expected an absolute http or https URL, got "shop.test"`,
	`testdata/broken.yaml:4:1: unknown key "sesion" (did you mean "session"?)`,
	`testdata/broken.yaml:9:5: step: unknown key "goot" (did you mean "goto"?)`,
	`testdata/broken.yaml:10:13: fill: unknown key "slector" (did you mean "selector"?)`,
	`testdata/broken.yaml:11:12: click: expected a string, got a sequence`,
	`testdata/broken.yaml:12:11: wait: expected a duration like 2s or 500ms, got "2 seconds"`,
	`testdata/broken.yaml:14:9: as: unknown value "logon": want login, logout or privilege (did you mean "login"?)`,
	`testdata/broken.yaml:16:16: expect.session: unknown value "rotate": want rotated, kept, present or gone (did you mean "rotated"?)`,
	`testdata/broken.yaml:17:28: expect.cookie: unknown key "httponly" (did you mean "httpOnly"?)`,
	`testdata/broken.yaml:19:5: step: has two actions, goto and click: give each its own step`,
	"testdata/broken.yaml:20:31: expect.url.matches: bad regular expression: missing closing ): `([a-z]`",
	`testdata/broken.yaml:21:37: setCookie.sameSite: unknown value "lax": want Strict, Lax or None (did you mean "Lax"?)`,
	`testdata/broken.yaml:22:12: click: selector "div >" ends with the combinator ">"`,
	`testdata/broken.yaml:23:36: fill.value: unknown variable ${vars.pasword}: declare it under vars (did you mean "${vars.password}"?)`,
	`testdata/broken.yaml:24:11: goto: unterminated "${": add the closing "}" (or write "$${" for a literal "${")`,
	`testdata/broken.yaml:25:14: restart: unknown value "tab": want browser`,
	`testdata/broken.yaml:28:5: step: duplicate key "timeout" (first at line 27)`,
	`testdata/broken.yaml:29:5: step: missing an action: want one of goto, click, fill, select, check, press, submit, wait, eval, setCookie, clearCookies, restart, screenshot, expect or close`,
}

func TestBrokenFile(t *testing.T) {
	sc, err := ParseFile("testdata/broken.yaml")
	if sc != nil || err == nil {
		t.Fatalf("ParseFile = %v, %v; want only errors", sc, err)
	}
	got := strings.Split(err.Error(), "\n")
	if !slices.Equal(got, brokenWant) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(brokenWant, "\n"))
	}
}

func TestValidFile(t *testing.T) {
	sc, err := ParseFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[Kind]bool{}
	for _, st := range sc.Steps {
		seen[st.Kind] = true
	}
	for _, k := range kinds {
		if !seen[k] {
			t.Errorf("valid.yaml does not use step kind %s", k)
		}
	}
	r, err := sc.Resolve(Resolver{Env: env(map[string]string{"SHOP_PASSWORD": "pw", "TOKEN": "tok"})})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Secrets(); !slices.Equal(got, []string{"pw", "tok"}) {
		t.Errorf("Secrets() = %q", got)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ok := func(name string) string { return "name: " + name + "\ntarget: https://a.test\nsteps: [{goto: /}]\n" }
	write("b.yaml", ok("b"))
	write("a.yml", ok("a"))
	write("sub/c.YAML", ok("c"))
	write("sub/bad.yaml", "name: bad\n")
	write("notes.txt", "not a scenario")
	write(".hidden/x.yaml", "garbage: [")

	scs, err := Load(dir)
	var names []string
	for _, sc := range scs {
		names = append(names, sc.Name)
	}
	if want := []string{"a", "b", "c"}; !slices.Equal(names, want) {
		t.Errorf("loaded %q, want %q (sorted, recursive, good files only)", names, want)
	}
	bad := filepath.Join(dir, "sub", "bad.yaml")
	wantErr := bad + `:1:1: missing "steps"` + "\n" + bad + `:1:1: missing "target"`
	if err == nil || err.Error() != wantErr {
		t.Errorf("Load error:\n%v\nwant:\n%s", err, wantErr)
	}

	// Files are taken whatever their extension, once each; errors of
	// every path are collected.
	scs, err = Load(filepath.Join(dir, "a.yml"), filepath.Join(dir, "a.yml"), filepath.Join(dir, "missing.yaml"))
	if len(scs) != 1 {
		t.Errorf("loaded %d scenarios, want 1", len(scs))
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Pos.File != filepath.Join(dir, "missing.yaml") ||
		!strings.Contains(list[0].Msg, "no such file") {
		t.Errorf("Load error = %v, want one about missing.yaml", err)
	}

	// An empty folder is an error, not a silent success.
	empty := t.TempDir()
	if _, err := Load(empty); err == nil || !strings.Contains(err.Error(), "no scenario files") {
		t.Errorf("Load(empty folder) = %v, want an error", err)
	}
}

func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"suite/one.yaml":     {Data: []byte("name: one\ntarget: ${lab}\nsteps: [{goto: /}]\n")},
		"suite/two.yml":      {Data: []byte("name: two\ntarget: ${lab}\nsteps: [{goto: /}]\n")},
		"suite/bad.yaml":     {Data: []byte("name: bad\ntarget: ${lab}\nsteps: [{goot: /}]\n")},
		"suite/README.md":    {Data: []byte("# not a scenario")},
		"suite/.git/x.yaml":  {Data: []byte("garbage")},
		"suite/deep/3.yaml":  {Data: []byte("name: three\ntarget: ${lab}\nsteps: [{goto: /}]\n")},
		"other/single.yaml":  {Data: []byte("name: single\ntarget: ${lab}\nsteps: [{goto: /}]\n")},
		"other/binary.yaml":  {Data: []byte("\x00\x01\x02")},
		"empty/readme.txt":   {Data: []byte("")},
		"other/unused.yaml~": {Data: []byte("")},
	}
	scs, err := LoadFS(fsys, "suite")
	var names []string
	for _, sc := range scs {
		names = append(names, sc.Name+"@"+sc.File)
	}
	if want := []string{"three@suite/deep/3.yaml", "one@suite/one.yaml", "two@suite/two.yml"}; !slices.Equal(names, want) {
		t.Errorf("loaded %q, want %q", names, want)
	}
	if want := `suite/bad.yaml:3:10: step: unknown key "goot" (did you mean "goto"?)`; err == nil || err.Error() != want {
		t.Errorf("LoadFS error = %v, want %s", err, want)
	}

	scs, err = LoadFS(fsys, "other/single.yaml")
	if err != nil || len(scs) != 1 || scs[0].Name != "single" {
		t.Errorf("LoadFS(file) = %v, %v", scs, err)
	}
	if _, err := LoadFS(fsys, "other/binary.yaml"); err == nil || !strings.Contains(err.Error(), "other/binary.yaml:1:1: not a text file") {
		t.Errorf("LoadFS(binary) = %v", err)
	}
	if _, err := LoadFS(fsys, "empty"); err == nil {
		t.Error("LoadFS(folder without scenarios) succeeded")
	}
	if _, err := LoadFS(fsys, "nope"); err == nil || !errors.Is(err, fs.ErrNotExist) && !strings.Contains(err.Error(), "not exist") {
		t.Errorf("LoadFS(missing) = %v", err)
	}
}

// TestLabSuite checks that every bundled scenario parses and resolves.
// Zero files fails: it means the embed broke.
func TestLabSuite(t *testing.T) {
	scs, err := LoadFS(LabSuite, "lab")
	if err != nil {
		t.Fatal(err)
	}
	if len(scs) == 0 {
		t.Fatal("LabSuite holds no scenarios")
	}
	lab := Resolver{
		Env: func(string) (string, bool) { return "x", true },
		Lab: func(key string) (string, bool) {
			if key == "" {
				return "http://lab.test:8080", true
			}
			return "http://" + strings.ReplaceAll(key, ".", "-") + ".lab.test:8080", true
		},
	}
	for _, sc := range scs {
		if _, err := sc.Resolve(lab); err != nil {
			t.Errorf("%s: %v", sc.File, err)
		}
	}
}
