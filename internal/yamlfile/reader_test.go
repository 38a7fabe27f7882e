package yamlfile

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// read runs f on the root of src and returns the messages, one a line.
// Most of the readers' messages are held by the tests of scenarios and
// policy; these are the behaviours the two formats differ on or share
// without a test of their own.
func read(t *testing.T, src string, f func(r *Reader, root *yaml.Node)) string {
	t.Helper()
	r := &Reader{File: "f.yaml"}
	if root := r.document([]byte(src), "empty", "extra"); root != nil {
		f(r, root)
	}
	if err := r.Err(); err != nil {
		return err.Error()
	}
	return ""
}

func TestDocument(t *testing.T) {
	none := func(*Reader, *yaml.Node) {}
	tests := []struct{ src, want string }{
		{"", "f.yaml:1:1: empty"},
		{"# only a comment\n", "f.yaml:1:1: empty"},
		{"a: 1\n---\nb: 2\n", "f.yaml:3:1: extra"},
		{"\ufeffa: 1\n", ""},
		{"a: \x01\n", "f.yaml:1:4: control character U+0001 is not allowed"},
		{"a: b\n  c: d\n", "f.yaml:2:3: invalid YAML: mapping values are not allowed in this context"},
		{"a: [1,\n  *nope]\n", `f.yaml:2:3: invalid YAML: unknown anchor "nope": define it with &nope before using *nope`},
	}
	for _, tt := range tests {
		if got := read(t, tt.src, none); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestObject(t *testing.T) {
	src := `
base: &base { a: 1, b: 2 }
m:
  <<: *base
  b: 3
  vlaue: 4
  a: 5
  a: 6
`
	var m *Object
	got := read(t, src, func(r *Reader, root *yaml.Node) {
		top, _ := r.AnyObject(root, "")
		m, _ = r.Object(top.ByKey["m"].Val, "m", "a", "b", "value")
		r.Require(m, "a", "value") // "value" is reported as the typo only
		r.OneKey(m, "a", "b")
	})
	want := strings.Join([]string{
		`f.yaml:6:3: m: unknown key "vlaue" (did you mean "value"?)`,
		`f.yaml:7:3: m: want only one of "a" or "b", got both "b" and "a"`,
		`f.yaml:8:3: m: duplicate key "a" (first at line 7)`,
	}, "\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	var names []string
	for _, e := range m.List {
		names = append(names, e.Name+"="+e.Val.Value)
	}
	if s := strings.Join(names, " "); s != "b=3 a=5" || m.Unknown != 1 {
		t.Errorf("entries %s, %d unknown; want explicit keys over merged ones: b=3 a=5, 1 unknown", s, m.Unknown)
	}
}

func TestEnum(t *testing.T) {
	got := read(t, "[lax, ' Lax ', Lax, bool]", func(r *Reader, root *yaml.Node) {
		items, _ := r.Items(root, "")
		for i, n := range items {
			exact, _ := r.Enum(n, "exact", "Lax", "Strict")
			fold, _ := r.EnumFold(n, "fold", "Lax", "Strict")
			if i < 3 && fold != "Lax" || i == 2 && exact != "Lax" {
				t.Errorf("item %d: Enum %q, EnumFold %q", i, exact, fold)
			}
		}
	})
	want := strings.Join([]string{
		`f.yaml:1:2: exact: unknown value "lax": want Lax or Strict (did you mean "Lax"?)`,
		`f.yaml:1:7: exact: unknown value " Lax ": want Lax or Strict`,
		`f.yaml:1:21: exact: unknown value "bool": want Lax or Strict`,
		`f.yaml:1:21: fold: unknown value "bool": want Lax or Strict`,
	}, "\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
