// Package purecore_test holds the pure core to its promise: the packages
// the inspector runs in the browser, and that the CLI shares with it, build
// for GOOS=js GOARCH=wasm and reach nothing of the host.
package purecore_test

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/sessiontrace/sessiontrace/"

// core is the pure core: each package with the non-standard packages it
// may depend on, directly or not, and whether it may import os itself
// (to read a file its caller names; the page never calls that).
var core = []struct {
	pkg   string
	reach []string
	os    bool
}{
	{"recording", []string{"internal/recjson"}, false},
	{"analysis", []string{"recording", "internal/recjson"}, false},
	{"rundiff", []string{"analysis", "recording", "internal/recjson"}, false},
	{"runfolder", []string{"analysis", "recording", "recording/har", "internal/recjson"}, false},
	{"scenarios", []string{"internal/yamlfile", "go.yaml.in/yaml/v3"}, true},
	{"policy", []string{"analysis", "recording", "internal/recjson", "internal/yamlfile", "go.yaml.in/yaml/v3"}, true},
}

// goJS runs the go tool for GOOS=js GOARCH=wasm.
func goJS(t *testing.T, args ...string) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH")
	}
	cmd := exec.Command(gobin, args...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// host tells the standard packages that reach the network or run
// programs: none may be linked, whoever imports them.
func host(p string) bool {
	return p == "net" || strings.HasPrefix(p, "net/http") || p == "os/exec"
}

func TestCoreBuildsForWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the core for wasm")
	}
	var pkgs []string
	for _, c := range core {
		pkgs = append(pkgs, module+c.pkg)
	}
	goJS(t, append([]string{"build"}, pkgs...)...)

	// Every package the core links: whether it is standard, and its imports.
	type info struct {
		std     bool
		imports []string
	}
	list := map[string]info{}
	out := goJS(t, append([]string{"list", "-deps", "-f", `{{.ImportPath}} {{.Standard}} {{join .Imports " "}}`}, pkgs...)...)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		list[f[0]] = info{f[1] == "true", f[2:]}
	}
	for _, c := range core {
		allowed := []string{module + c.pkg}
		for _, r := range c.reach {
			if !strings.Contains(strings.SplitN(r, "/", 2)[0], ".") {
				r = module + r
			}
			allowed = append(allowed, r)
		}
		for _, imp := range list[module+c.pkg].imports {
			if imp == "syscall" || strings.HasPrefix(imp, "os/") || imp == "os" && !c.os {
				t.Errorf("%s imports %s: it must stay pure", c.pkg, imp)
			}
		}
		// Everything it reaches, directly or through another package.
		seen := map[string]bool{}
		todo := []string{module + c.pkg}
		for len(todo) > 0 {
			p := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			if seen[p] {
				continue
			}
			seen[p] = true
			switch in := list[p]; {
			case host(p):
				t.Errorf("%s links %s: it must stay pure", c.pkg, p)
			case !in.std && !slices.Contains(allowed, p):
				t.Errorf("%s links %s: only the standard library and %s are allowed", c.pkg, p, strings.Join(c.reach, ", "))
			}
			todo = append(todo, list[p].imports...)
		}
	}
}
