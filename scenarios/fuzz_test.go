package scenarios

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/yamlfile/yamlfiletest"
)

// FuzzParse feeds arbitrary bytes to Parse. It must never panic, and must
// either return a usable scenario or an ErrorList whose every entry
// points at a line of the file. The seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/valid.yaml", "testdata/broken.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("fuzz.yaml", data)
		if err != nil {
			yamlfiletest.Errors(t, Parse, "fuzz.yaml", data)
			return
		}
		if sc == nil || sc.Name == "" || sc.Target == "" || len(sc.Steps) == 0 {
			t.Fatalf("Parse succeeded with an incomplete scenario: %+v", sc)
		}
		for i, st := range sc.Steps {
			if st.Index != i || !slices.Contains(kinds, st.Kind) || st.Pos.Line < 1 {
				t.Fatalf("step %d: %+v", i, st)
			}
			_ = st.String()
		}
		r, err := sc.Resolve(Resolver{
			Env: func(string) (string, bool) { return "v", true },
			Lab: func(string) (string, bool) { return "http://lab.test", true },
		})
		if err != nil {
			for _, e := range err.(ErrorList) {
				if e.Pos.Line < 1 {
					t.Fatalf("Resolve error without a line: %v", e)
				}
			}
			return
		}
		for _, st := range r.Steps {
			if _, err := r.URL(st.URL); err != nil && st.Kind == KindGoto {
				t.Fatalf("URL(%q) after a valid parse: %v", st.URL, err)
			}
			// A step's in, written out again (as the recorder does),
			// reads as the same window and frames.
			parts := splitIn(st.In)
			if st.InWindow() != "" {
				parts = parts[1:]
			}
			if st.In != JoinIn(st.InWindow(), st.Frames) || (len(st.Frames) > 0 && len(parts) != len(st.Frames)) {
				t.Fatalf("in %q does not read back as window %q and frames %q", st.In, st.InWindow(), st.Frames)
			}
		}
		_ = r.Secrets()
	})
}

// FuzzResolve checks Resolve against an independent description of the
// template language: escape(s) resolves to s, and a reference between
// two escaped strings resolves to its value between them.
func FuzzResolve(f *testing.F) {
	for _, seed := range [][2]string{
		{"plain", "v"}, {"${env.X}", ""}, {"$${", "${"}, {"$", "$"}, {"a$$b", "}"},
		{"${vars.user}", "x"}, {"${", "$${"}, {"\xff${lab}", "é"}, {"${lab.a.b}", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	base, err := Parse("t.yaml", []byte(`name: n
target: https://shop.test
vars: { user: alice }
steps:
  - fill: { selector: "#a", value: x, secret: true }
`))
	if err != nil {
		f.Fatal(err)
	}
	resolver := func(envVal string) Resolver {
		return Resolver{
			Env: func(name string) (string, bool) { return envVal, name == "X" },
			Lab: func(key string) (string, bool) { return "http://lab.test", key == "" },
		}
	}
	resolveValue := func(t *testing.T, value, envVal string) (*Scenario, error) {
		sc := base.clone()
		sc.Steps[0].Value = value
		return sc.Resolve(resolver(envVal))
	}
	f.Fuzz(func(t *testing.T, s, envVal string) {
		// Escaped text comes back as written.
		r, err := resolveValue(t, escape(s), envVal)
		if err != nil {
			t.Fatalf("escape(%q): %v", s, err)
		}
		if r.Steps[0].Value != s {
			t.Fatalf("escape(%q) resolved to %q", s, r.Steps[0].Value)
		}
		if s != "" && !slices.Equal(r.Secrets(), []string{s}) {
			t.Fatalf("Secrets() = %q, want [%q]", r.Secrets(), s)
		}

		// A reference between escaped halves. A "$" just before "${"
		// would read as "$${", an escape: the language cannot say that.
		a, b := s[:len(s)/2], s[len(s)/2:]
		if strings.HasSuffix(a, "$") {
			a += " "
		}
		r, err = resolveValue(t, escape(a)+"${env.X}"+escape(b), envVal)
		if err != nil {
			t.Fatalf("reference in %q: %v", s, err)
		}
		if want := a + envVal + b; r.Steps[0].Value != want {
			t.Fatalf("resolved %q, want %q", r.Steps[0].Value, want)
		}

		// Raw input anywhere: no panic, errors carry a position, and
		// text without "$" is left alone.
		sc := base.clone()
		sc.Target, sc.Steps[0].Selector, sc.Steps[0].Value = s, s, s
		sc.Vars = map[string]string{"user": envVal, "v": s}
		r, err = sc.Resolve(resolver(envVal))
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("error %T %v, want an ErrorList", err, err)
			}
			for _, e := range list {
				if e.Pos.Line < 1 {
					t.Fatalf("error without a line: %v", e)
				}
			}
			return
		}
		if !strings.Contains(s, "$") && r.Steps[0].Value != s {
			t.Fatalf("%q resolved to %q", s, r.Steps[0].Value)
		}
	})
}
