// Command gen writes the JSON decoders of a package's types: for each root
// type R named on the command line, a function
//
//	func unmarshalR(data []byte, v *R) error
//
// that is json.Unmarshal(data, v) without reflection (a root written
// []R gives unmarshalRList), on the runtime of package recjson. It reads
// the package's Go source with go/types, so the decoders follow the
// struct definitions: a new field needs nothing but go generate. Run it
// with go generate from the package's directory:
//
//	//go:generate go run github.com/sessiontrace/sessiontrace/internal/recjson/gen -out decode_gen.go -memo Value Recording Index
//
// -memo names struct types whose values repeat byte for byte (cookie
// values): their fields share the value read before (recjson.Memo).
//
// A type has one reader, in the generated file of its package. -export
// names the struct types that other packages' types hold: their readers
// are then exported, as methods ReadT of JSONState, the part of the state
// that they use. The decoder of a package whose types hold those embeds
// that JSONState in its own state and calls ReadT rather than having a
// copy of the reader (its types may hold those of one other package);
// the generator checks that the other package exports them.
//
// A decoder written to a _test.go file is for the types of the package's
// external test package (test support: the types the tests decode).
//
// It supports what the formats use: strings (named too), bool, int,
// float64, time.Time, types with an UnmarshalJSON method, pointers,
// slices of strings and of structs, map[string]string, and structs of
// those with json tags. Anything else (embedded structs, ",string",
// UnmarshalText, two fields of one JSON name, recursive types) is an
// error here rather than a decoder that differs from encoding/json.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

const runtimePath = "github.com/sessiontrace/sessiontrace/internal/recjson"

// directive starts the go:generate line of a package that has generated
// decoders: the generator reads another package's to learn what it
// exports, and a test finds every generated file by it.
const directive = "//go:generate go run " + runtimePath + "/gen "

func main() {
	dir, err := os.Getwd()
	if err != nil {
		fail(err)
	}
	out, src, err := generate(dir, os.Args[1:])
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(dir, out), src, 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "recjson/gen:", err)
	os.Exit(1)
}

// options are the arguments of a go:generate line.
type options struct {
	out          string
	memo, export map[string]bool
	roots        []string
}

func parseArgs(args []string) (*options, error) {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("out", "decode_gen.go", "the file to write")
	memo := fs.String("memo", "", "comma-separated struct types whose values are shared when their bytes repeat")
	export := fs.String("export", "", "comma-separated struct types that other packages' types hold: their readers are exported")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() == 0 && *export == "" {
		return nil, fmt.Errorf("no root types (and nothing to -export)")
	}
	set := func(list string) map[string]bool {
		m := map[string]bool{}
		for _, name := range strings.Split(list, ",") {
			if name != "" {
				m[name] = true
			}
		}
		return m
	}
	return &options{out: *out, memo: set(*memo), export: set(*export), roots: fs.Args()}, nil
}

// generate returns the name and the content of the file that the
// arguments ask for, for the package in dir.
func generate(dir string, args []string) (string, []byte, error) {
	o, err := parseArgs(args)
	if err != nil {
		return "", nil, err
	}
	l, err := newLoader(dir)
	if err != nil {
		return "", nil, err
	}
	load := l.load
	if strings.HasSuffix(o.out, "_test.go") {
		load = l.loadTest
	}
	pkg, err := load(dir)
	if err != nil {
		return "", nil, err
	}
	g := &gen{l: l, pkg: pkg, memo: o.memo, export: o.export, decoders: map[*types.Named]bool{}, lists: map[*types.Named]bool{},
		memos: map[*types.Named]bool{}, imports: map[string]string{runtimePath: "recjson"}}
	lookup := func(name string) (*types.Named, error) {
		obj := pkg.Scope().Lookup(name)
		if obj == nil {
			return nil, fmt.Errorf("%s: no type %s", pkg.Path(), name)
		}
		n, ok := obj.Type().(*types.Named)
		if !ok {
			return nil, fmt.Errorf("%s is not a named type", name)
		}
		return n, nil
	}
	var roots []root
	for _, name := range o.roots {
		n, err := lookup(strings.TrimPrefix(name, "[]"))
		if err != nil {
			return "", nil, err
		}
		roots = append(roots, root{n, strings.HasPrefix(name, "[]")})
	}
	for _, r := range roots {
		if err := g.need(r.t, nil); err != nil {
			return "", nil, err
		}
		if r.list {
			g.lists[r.t] = true
		}
	}
	for _, name := range sortedKeys(o.export) {
		n, err := lookup(name)
		if err != nil {
			return "", nil, err
		}
		if !isStruct(n) || !n.Obj().Exported() {
			return "", nil, fmt.Errorf("-export %s: not an exported struct type", name)
		}
		if err := g.need(n, nil); err != nil {
			return "", nil, err
		}
	}
	g.placeExported()
	src, err := g.file(o.out, roots)
	return o.out, src, err
}

func sortedKeys(m map[string]bool) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

type root struct {
	t    *types.Named
	list bool
}

// ---------------------------------------------------------------------------
// Loading: the package's files as go build selects them for this
// platform, type-checked from source. Generated files are left out (they
// may be stale, even broken, which is why they are being generated), and
// so are the errors of the code that calls them.

type loader struct {
	fset    *token.FileSet
	modRoot string
	modPath string
	std     types.Importer
	pkgs    map[string]*types.Package
}

func newLoader(dir string) (*loader, error) {
	root := dir
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return nil, fmt.Errorf("%s is not in a Go module", dir)
		}
		root = parent
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	var path string
	for _, line := range strings.Split(string(mod), "\n") {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			path = strings.Trim(strings.TrimSpace(p), `"`)
		}
	}
	fset := token.NewFileSet()
	return &loader{fset: fset, modRoot: root, modPath: path, std: importer.ForCompiler(fset, "source", nil), pkgs: map[string]*types.Package{}}, nil
}

func (l *loader) Import(path string) (*types.Package, error) {
	if p, ok := l.pkgs[path]; ok {
		return p, nil
	}
	if l.inModule(path) {
		return l.load(l.dirOf(path))
	}
	p, err := l.std.Import(path)
	if err == nil {
		l.pkgs[path] = p
	}
	return p, err
}

func (l *loader) inModule(path string) bool {
	return path == l.modPath || strings.HasPrefix(path, l.modPath+"/")
}

// dirOf is the directory of package path, of the module.
func (l *loader) dirOf(path string) string {
	return filepath.Join(l.modRoot, filepath.FromSlash(strings.TrimPrefix(path, l.modPath)))
}

func (l *loader) load(dir string) (*types.Package, error) {
	path, err := l.path(dir)
	if err != nil {
		return nil, err
	}
	if p, ok := l.pkgs[path]; ok {
		return p, nil
	}
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	return l.check(path, dir, bp.GoFiles)
}

// loadTest loads the external test package of the package in dir.
func (l *loader) loadTest(dir string) (*types.Package, error) {
	path, err := l.path(dir)
	if err != nil {
		return nil, err
	}
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	return l.check(path+"_test", dir, bp.XTestGoFiles)
}

// path returns the import path of the package in dir.
func (l *loader) path(dir string) (string, error) {
	rel, err := filepath.Rel(l.modRoot, dir)
	if err != nil {
		return "", err
	}
	if rel == "." {
		return l.modPath, nil
	}
	return l.modPath + "/" + filepath.ToSlash(rel), nil
}

func (l *loader) check(path, dir string, names []string) (*types.Package, error) {
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_gen.go") || strings.HasSuffix(name, "_gen_test.go") {
			continue
		}
		f, err := parser.ParseFile(l.fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: l, Error: func(error) {}}
	p, _ := conf.Check(path, l.fset, files, nil)
	l.pkgs[path] = p
	return p, nil
}

// exports returns the types whose readers package path exports: the
// -export list of its go:generate line.
func (l *loader) exports(path string) (map[string]bool, error) {
	if !l.inModule(path) {
		return nil, fmt.Errorf("package %s has no generated decoders", path)
	}
	dir := l.dirOf(path)
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	for _, name := range bp.GoFiles {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(src), "\n") {
			if args, ok := strings.CutPrefix(line, directive); ok {
				o, err := parseArgs(strings.Fields(args))
				if err != nil {
					return nil, fmt.Errorf("%s: %v", filepath.Join(dir, name), err)
				}
				return o.export, nil
			}
		}
	}
	return nil, nil
}

// ---------------------------------------------------------------------------
// Generation.

type gen struct {
	l      *loader
	pkg    *types.Package
	memo   map[string]bool
	export map[string]bool // types whose readers are exported
	base   *types.Package  // the other package whose state is embedded
	// inner and innerScratch are what is on JSONState (placeExported):
	// readers, and "list"+ident and "memo"+ident of scratch space.
	inner        map[*types.Named]bool
	innerScratch map[string]bool
	decoders     map[*types.Named]bool // struct types that get a read method
	order        []*types.Named
	lists        map[*types.Named]bool // element types of slices: scratch space
	memos        map[*types.Named]bool // memo types used: what recjson.Memo keeps
	imports      map[string]string     // path -> name
	zero         []*types.Named        // memo types that need a zero test
	buf          bytes.Buffer
}

type field struct {
	name   string // JSON name
	goName string
	t      types.Type
}

// fields lists a struct's fields as encoding/json reads them.
func (g *gen) fields(n *types.Named) ([]field, error) {
	st := n.Underlying().(*types.Struct)
	var out []field
	seen := map[string]bool{}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		tag := reflect.StructTag(st.Tag(i)).Get("json")
		if f.Embedded() {
			return nil, fmt.Errorf("%s.%s: embedded fields are not supported", n.Obj().Name(), f.Name())
		}
		if !f.Exported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if !validTag(name) {
			name = f.Name()
		}
		for _, o := range strings.Split(opts, ",") {
			if o == "string" {
				return nil, fmt.Errorf("%s.%s: the \",string\" option is not supported", n.Obj().Name(), f.Name())
			}
		}
		if seen[name] {
			return nil, fmt.Errorf("%s: two fields named %q (encoding/json would hide both)", n.Obj().Name(), name)
		}
		seen[name] = true
		out = append(out, field{name, f.Name(), f.Type()})
	}
	return out, nil
}

// validTag is encoding/json's isValidTag.
func validTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

func isTime(t types.Type) bool {
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" && n.Obj().Name() == "Time"
}

// hasMethod reports whether *t has the method.
func hasMethod(t types.Type, name string) bool {
	return types.NewMethodSet(types.NewPointer(t)).Lookup(nil, name) != nil
}

// need checks that t can be decoded and records the decoders it takes;
// path holds the struct types being visited (recursion is not supported:
// scratch space is per type).
func (g *gen) need(t types.Type, path []*types.Named) error {
	switch {
	case isTime(t):
		return nil
	case hasMethod(t, "UnmarshalJSON"):
		return nil
	case hasMethod(t, "UnmarshalText"):
		return fmt.Errorf("%s: UnmarshalText is not supported", t)
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch u.Kind() {
		case types.String:
			return nil
		case types.Bool, types.Int, types.Float64:
			if _, named := t.(*types.Named); named {
				return fmt.Errorf("%s: named %s types are not supported", t, u)
			}
			return nil
		}
		return fmt.Errorf("%s: not supported", t)
	case *types.Pointer:
		return g.need(u.Elem(), path)
	case *types.Slice:
		if b, ok := u.Elem().(*types.Basic); ok && b.Kind() == types.String {
			return nil
		}
		n, ok := u.Elem().(*types.Named)
		if !ok || !isStruct(n) || isTime(n) || hasMethod(n, "UnmarshalJSON") {
			return fmt.Errorf("%s: only slices of strings and of structs are supported", t)
		}
		g.lists[n] = true
		return g.need(n, path)
	case *types.Map:
		k, kok := u.Key().(*types.Basic)
		e, eok := u.Elem().(*types.Basic)
		if !kok || !eok || k.Kind() != types.String || e.Kind() != types.String {
			return fmt.Errorf("%s: only map[string]string is supported", t)
		}
		return nil
	case *types.Struct:
		n, ok := t.(*types.Named)
		if !ok {
			return fmt.Errorf("%s: anonymous structs are not supported (name the type)", t)
		}
		if n.Obj().Pkg() != g.pkg {
			return g.other(n)
		}
		for _, p := range path {
			if p == n {
				return fmt.Errorf("%s: recursive types are not supported", n)
			}
		}
		if g.memo[n.Obj().Name()] {
			g.memos[n] = true
		}
		if g.decoders[n] {
			return nil
		}
		g.decoders[n] = true
		g.order = append(g.order, n)
		fs, err := g.fields(n)
		if err != nil {
			return err
		}
		for _, f := range fs {
			if err := g.need(f.t, append(path, n)); err != nil {
				return fmt.Errorf("%s.%s: %w", n.Obj().Name(), f.goName, err)
			}
		}
		return nil
	}
	return fmt.Errorf("%s: not supported", t)
}

// other checks that the package of struct type n, another package,
// exports its reader: the generated code calls that one.
func (g *gen) other(n *types.Named) error {
	p := n.Obj().Pkg()
	if g.base != nil && g.base != p {
		return fmt.Errorf("%s: the types hold those of two other packages (%s, %s): the state can embed one", n, g.base.Path(), p.Path())
	}
	exp, err := g.l.exports(p.Path())
	if err != nil {
		return err
	}
	if !exp[n.Obj().Name()] {
		return fmt.Errorf("%s: add %s to -export in the go:generate line of package %s, which owns its reader", n, n.Obj().Name(), p.Path())
	}
	g.base = p
	return nil
}

func isStruct(n *types.Named) bool {
	_, ok := n.Underlying().(*types.Struct)
	return ok
}

// typeString is t as reflect prints it (package names, not paths).
func typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

// expr is t as Go source in the generated file.
func (g *gen) expr(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == g.pkg {
			return ""
		}
		g.imports[p.Path()] = p.Name()
		return p.Name()
	})
}

// ident names what belongs to type n in the generated file: its name, with
// its package's in front when it is another package's.
func (g *gen) ident(n *types.Named) string {
	name := n.Obj().Name()
	if n.Obj().Pkg() != g.pkg {
		p := n.Obj().Pkg().Name()
		return strings.ToUpper(p[:1]) + p[1:] + name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// read is the method that reads struct type n: exported when other
// packages call it, including this package's call of another's.
func (g *gen) read(n *types.Named) string {
	if n.Obj().Pkg() != g.pkg || g.export[n.Obj().Name()] {
		return "Read" + n.Obj().Name()
	}
	return "read" + g.ident(n)
}

// placeExported finds what is on JSONState, the part of the state that
// other packages' states embed: the readers of the types named by -export
// and of those they hold (inner), and the scratch space those use.
func (g *gen) placeExported() {
	g.inner, g.innerScratch = map[*types.Named]bool{}, map[string]bool{}
	for _, n := range g.order {
		if g.export[n.Obj().Name()] {
			g.reach(n)
		}
	}
}

func (g *gen) reach(n *types.Named) {
	if g.inner[n] {
		return
	}
	g.inner[n] = true
	fs, _ := g.fields(n) // checked by need
	for _, f := range fs {
		t, scratch := f.t, "memo"
		for {
			p, ok := t.Underlying().(*types.Pointer)
			if !ok {
				break
			}
			t = p.Elem()
		}
		if s, ok := t.Underlying().(*types.Slice); ok {
			t, scratch = s.Elem(), "list"
		}
		if m, ok := t.(*types.Named); ok && isStruct(m) {
			g.innerScratch[scratch+g.ident(m)] = true
			if g.decoders[m] {
				g.reach(m)
			}
		}
	}
}

// state is the state type whose method reads n.
func (g *gen) state(n *types.Named) string {
	if g.inner[n] {
		return "JSONState"
	}
	return "jsonState"
}

func (g *gen) p(format string, args ...any) {
	fmt.Fprintf(&g.buf, format, args...)
	g.buf.WriteByte('\n')
}

// method is the method value that reads a value of type t into a *t
// (d.Int, d.readStep), or "" where it takes more than a call of one.
func (g *gen) method(t types.Type) string {
	switch {
	case isTime(t):
		return "d.Time"
	case hasMethod(t, "UnmarshalJSON"):
		return "" // d.Unmarshal takes an interface
	}
	if n, ok := t.(*types.Named); ok && isStruct(n) {
		return "d." + g.read(n)
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if _, named := t.(*types.Named); named {
			return "" // a named string: d.StringOf, with the name
		}
		switch u.Kind() {
		case types.String:
			return "d.String"
		case types.Bool:
			return "d.Bool"
		case types.Int:
			return "d.Int"
		case types.Float64:
			return "d.Float"
		}
	case *types.Slice:
		if b, ok := u.Elem().(*types.Basic); ok && b.Kind() == types.String {
			return "d.Strings"
		}
	case *types.Map:
		return "d.StringMap"
	}
	return ""
}

// value writes the statements that read the next JSON value into the
// variable addr points to (an expression of type *t).
func (g *gen) value(addr string, t types.Type) {
	if n, ok := t.(*types.Named); ok && g.memos[n] {
		g.p("recjson.MemoValue(&d.Decoder, %s, zero%s(%s), &d.memo%s, d.%s)", addr, g.ident(n), addr, g.ident(n), g.read(n))
		g.needZero(n)
		return
	}
	if m := g.method(t); m != "" {
		g.p("%s(%s)", m, addr)
		return
	}
	if hasMethod(t, "UnmarshalJSON") {
		g.p("d.Unmarshal(%s)", addr)
		return
	}
	switch u := t.Underlying().(type) {
	case *types.Basic: // a named string
		g.p("d.StringOf((*string)(%s), %q)", addr, typeString(t))
	case *types.Pointer:
		n, _ := u.Elem().(*types.Named)
		m := g.method(u.Elem())
		switch {
		case n != nil && g.memos[n]:
			g.p("recjson.MemoPointer(&d.Decoder, %s, &d.memo%s, %s)", addr, g.ident(n), m)
		case m != "":
			g.p("recjson.Pointer(&d.Decoder, %s, %s)", addr, m)
		default:
			// What recjson.Pointer does, for a value that a call of one
			// method does not read.
			lv := "*" + addr // the pointer, as an operand
			if strings.HasPrefix(addr, "&") {
				lv = addr[1:]
			}
			g.p("if d.Null() {")
			g.p("%s = nil", lv)
			g.p("} else {")
			if _, ptr := u.Elem().Underlying().(*types.Pointer); ptr {
				g.p("p := recjson.Ptr(%s)", addr)
				g.value("p", u.Elem())
			} else {
				g.value("recjson.Ptr("+addr+")", u.Elem())
			}
			g.p("}")
		}
	case *types.Slice: // of structs
		n := u.Elem().(*types.Named)
		g.p("recjson.Slice(&d.Decoder, %s, &d.list%s, %q, d.%s)", addr, g.ident(n), typeString(t), g.read(n))
	}
}

func (g *gen) needZero(n *types.Named) {
	for _, z := range g.zero {
		if z == n {
			return
		}
	}
	g.zero = append(g.zero, n)
}

// reader writes the read method of struct type n: recjson's loop over the
// keys of the object (see its Object), a switch on the key to the field's
// value (a string switch: a binary search, compiled), and recjson's
// Unknown for the keys that match no field exactly.
func (g *gen) reader(n *types.Named) error {
	fs, err := g.fields(n)
	if err != nil {
		return err
	}
	if g.export[n.Obj().Name()] {
		g.p("// %s is the reader of %s, which the generated decoders of other packages call too.", g.read(n), n.Obj().Name())
	}
	g.p("func (d *%s) %s(v *%s) {", g.state(n), g.read(n), g.expr(n))
	g.p("for lvl, k, ok := d.Object(%q); ok; k, ok = d.Next(lvl, k) {", typeString(n))
	if len(fs) == 0 {
		g.p("k = d.Unknown(k, \"\")")
	} else {
		var names []string
		g.p("switch k {")
		for _, f := range fs {
			g.p("case %q:", f.name)
			g.value("&v."+f.goName, f.t)
			names = append(names, f.name)
		}
		g.p("default:")
		g.p("k = d.Unknown(k, %q)", strings.Join(names, ","))
		g.p("}")
	}
	g.p("}")
	g.p("}")
	g.p("")
	return nil
}

// zeroFunc writes the test for the zero value of memo type n: a value
// field is shared only where nothing was decoded into it yet.
func (g *gen) zeroFunc(n *types.Named) error {
	st := n.Underlying().(*types.Struct)
	var conds []string
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		x := "v." + f.Name()
		switch u := f.Type().Underlying().(type) {
		case *types.Basic:
			switch {
			case u.Info()&types.IsString != 0:
				conds = append(conds, x+` == ""`)
			case u.Kind() == types.Bool:
				conds = append(conds, "!"+x)
			case u.Kind() == types.Float64:
				g.imports["math"] = "math"
				conds = append(conds, "math.Float64bits("+x+") == 0")
			default:
				conds = append(conds, x+" == 0")
			}
		case *types.Pointer, *types.Slice, *types.Map:
			conds = append(conds, x+" == nil")
		default:
			if isTime(f.Type()) {
				conds = append(conds, x+" == (time.Time{})")
				g.imports["time"] = "time"
				continue
			}
			return fmt.Errorf("%s.%s: a memo type's fields must be basic, pointers, slices, maps or times", n.Obj().Name(), f.Name())
		}
	}
	g.p("func zero%s(v *%s) bool {", g.ident(n), g.expr(n))
	g.p("return %s", strings.Join(conds, " &&\n"))
	g.p("}")
	g.p("")
	return nil
}

func (g *gen) file(out string, roots []root) ([]byte, error) {
	for _, r := range roots {
		id, what, read := g.ident(r.t), "*"+g.expr(r.t), "d."+g.read(r.t)+"(v)"
		if r.list {
			id, what = id+"List", "*[]"+g.expr(r.t)
			read = fmt.Sprintf("recjson.Slice(&d.Decoder, v, &d.list%s, %q, d.%s)", g.ident(r.t), "[]"+typeString(r.t), g.read(r.t))
		}
		g.p("// unmarshal%s is json.Unmarshal(data, v) for v of type %s, without reflection.", id, what)
		g.p("func unmarshal%s(data []byte, v %s) error {", id, what)
		g.p("d := new(jsonState)")
		g.p("return d.Run(data, func() { %s })", read)
		g.p("}")
		g.p("")
	}
	// The state: the runtime and scratch space per type. With -export,
	// what the exported readers use is in JSONState, which jsonState
	// embeds, and which the states of other packages embed.
	runtime := "recjson.Decoder"
	if g.base != nil {
		g.imports[g.base.Path()] = g.base.Name()
		runtime = g.base.Name() + ".JSONState"
	}
	if len(g.export) > 0 {
		g.p("// JSONState is the state of the readers of the types that other")
		g.p("// packages' types hold (go:generate -export): the %s, with", runtime)
		g.p("// the scratch space those readers use. The generated decoders of those")
		g.p("// packages embed it in their state and call its Read methods, so that")
		g.p("// a type has one reader.")
		g.stateType("JSONState", runtime, true)
		runtime = "JSONState"
	}
	if len(roots) > 0 { // else no reader is on it
		g.p("// jsonState is the %s with scratch space for the lists", runtime)
		g.p("// of each type, and what recjson.Memo keeps of the values it shares.")
		g.stateType("jsonState", runtime, false)
	}
	for _, n := range g.order {
		if err := g.reader(n); err != nil {
			return nil, err
		}
	}
	for _, n := range g.zero {
		if err := g.zeroFunc(n); err != nil {
			return nil, err
		}
	}
	var head bytes.Buffer
	fmt.Fprintf(&head, "// Code generated by internal/recjson/gen (go generate); DO NOT EDIT.\n\n")
	fmt.Fprintf(&head, "package %s\n\nimport (\n", g.pkg.Name())
	var paths []string
	for p := range g.imports {
		paths = append(paths, p)
	}
	sort.Slice(paths, func(i, j int) bool { // the standard library first
		si, sj := !strings.Contains(strings.Split(paths[i], "/")[0], "."), !strings.Contains(strings.Split(paths[j], "/")[0], ".")
		if si != sj {
			return si
		}
		return paths[i] < paths[j]
	})
	for i, p := range paths {
		if i > 0 && strings.Contains(strings.Split(p, "/")[0], ".") && !strings.Contains(strings.Split(paths[i-1], "/")[0], ".") {
			head.WriteString("\n")
		}
		fmt.Fprintf(&head, "%s\n", strconv.Quote(p))
	}
	head.WriteString(")\n\n")
	head.Write(g.buf.Bytes())
	src, err := format.Source(head.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", out, err, head.Bytes())
	}
	return src, nil
}

// stateType writes a state type: the one it embeds, and the scratch space of
// the types read on JSONState, or of the others.
func (g *gen) stateType(name, embed string, inner bool) {
	g.p("type %s struct {", name)
	g.p("%s", embed)
	for _, n := range g.sorted(g.lists) {
		if g.innerScratch["list"+g.ident(n)] == inner {
			g.p("list%s []%s", g.ident(n), g.expr(n))
		}
	}
	for _, n := range g.sorted(g.memos) {
		if g.innerScratch["memo"+g.ident(n)] == inner {
			g.p("memo%s recjson.Memos[%s]", g.ident(n), g.expr(n))
		}
	}
	g.p("}")
	g.p("")
}

func (g *gen) sorted(set map[*types.Named]bool) []*types.Named {
	var out []*types.Named
	for n := range set {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return g.ident(out[i]) < g.ident(out[j]) })
	return out
}
