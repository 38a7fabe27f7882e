package recording

// These tests keep docs/recording.schema.json (and the examples in
// docs/recording.md) in step with the Go types: every JSON field of every
// type reachable from Recording and Index must be declared in the schema's
// $defs entry of the same name, with the same type, and "required" must list
// exactly the fields that are always written (no omitempty).

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	schemaFile = "../docs/recording.schema.json"
	formatDoc  = "../docs/recording.md"
)

// jsonSchema is the subset of JSON Schema that recording.schema.json uses.
type jsonSchema struct {
	Ref                  string                 `json:"$ref"`
	Type                 string                 `json:"type"`
	Format               string                 `json:"format"`
	Const                any                    `json:"const"`
	Enum                 []string               `json:"enum"`
	Required             []string               `json:"required"`
	Properties           map[string]*jsonSchema `json:"properties"`
	Items                *jsonSchema            `json:"items"`
	AdditionalProperties *jsonSchema            `json:"additionalProperties"`
	Defs                 map[string]*jsonSchema `json:"$defs"`
}

func loadSchema(t *testing.T) *jsonSchema {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var s jsonSchema
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	if s.Ref != "#/$defs/Recording" {
		t.Errorf("%s: the root must be {\"$ref\": \"#/$defs/Recording\"}, got $ref %q", schemaFile, s.Ref)
	}
	return &s
}

var (
	timeType = reflect.TypeOf(time.Time{})
	pkgPath  = reflect.TypeOf(Recording{}).PkgPath()
	roots    = []reflect.Type{reflect.TypeOf(Recording{}), reflect.TypeOf(Index{})}
)

// A goField is one JSON field of a Go struct.
type goField struct {
	GoName, JSON string
	Optional     bool // omitempty or omitzero: the field may be absent
	Type         reflect.Type
}

func jsonFields(t *testing.T, typ reflect.Type) []goField {
	var out []goField
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		if f.Anonymous {
			t.Errorf("%s.%s: embedded fields are not handled by this test", typ.Name(), f.Name)
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		optional := false
		for _, o := range strings.Split(opts, ",") {
			optional = optional || o == "omitempty" || o == "omitzero"
		}
		out = append(out, goField{GoName: f.Name, JSON: name, Optional: optional, Type: f.Type})
	}
	return out
}

// ownType reports whether typ is a named type of this package, which the
// schema must describe as a $defs entry of the same name.
func ownType(typ reflect.Type) bool {
	return typ.PkgPath() == pkgPath && typ.Name() != ""
}

// reachable lists the named types of this package that the JSON of
// Recording and Index can contain, roots first.
func reachable() []reflect.Type {
	var out []reflect.Type
	seen := map[reflect.Type]bool{}
	var visit func(typ reflect.Type)
	visit = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if !ownType(typ) || seen[typ] {
			return
		}
		seen[typ] = true
		out = append(out, typ)
		if typ.Kind() == reflect.Struct {
			for i := 0; i < typ.NumField(); i++ {
				if f := typ.Field(i); f.IsExported() && f.Tag.Get("json") != "-" {
					visit(f.Type)
				}
			}
		}
	}
	for _, r := range roots {
		visit(r)
	}
	return out
}

// basicType is the JSON Schema type of a Go kind that is not a container.
func basicType(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	}
	return "unsupported Go kind " + k.String()
}

// checkType checks that s describes values of Go type typ; where names the
// field in messages.
func checkType(t *testing.T, where string, typ reflect.Type, s *jsonSchema) {
	t.Helper()
	if s == nil {
		t.Errorf("%s: no schema", where)
		return
	}
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem() // nil pointers are omitempty: the schema never needs null
	}
	switch {
	case typ == timeType:
		if s.Type != "string" || s.Format != "date-time" {
			t.Errorf("%s: Go time.Time needs {\"type\": \"string\", \"format\": \"date-time\"}, schema has type %q format %q", where, s.Type, s.Format)
		}
	case ownType(typ):
		if want := "#/$defs/" + typ.Name(); s.Ref != want {
			t.Errorf("%s: Go type %s needs {\"$ref\": %q}, schema has $ref %q type %q", where, typ.Name(), want, s.Ref, s.Type)
		}
	case typ.Kind() == reflect.Slice:
		if s.Type != "array" {
			t.Errorf("%s: Go %s needs type \"array\", schema has %q", where, typ, s.Type)
			return
		}
		checkType(t, where+"[]", typ.Elem(), s.Items)
	case typ.Kind() == reflect.Map:
		if s.Type != "object" || typ.Key().Kind() != reflect.String {
			t.Errorf("%s: Go %s needs type \"object\" (with string keys), schema has %q", where, typ, s.Type)
			return
		}
		checkType(t, where+"{}", typ.Elem(), s.AdditionalProperties)
	default:
		if want := basicType(typ.Kind()); s.Type != want {
			t.Errorf("%s: Go %s needs type %q, schema has %q", where, typ, want, s.Type)
		}
	}
}

// TestSchemaMatchesTypes compares each Go type with its $defs entry: the
// same JSON field names, the same types, and required = not omitempty.
func TestSchemaMatchesTypes(t *testing.T) {
	s := loadSchema(t)
	described := map[string]bool{}
	for _, typ := range reachable() {
		name := typ.Name()
		described[name] = true
		def := s.Defs[name]
		if def == nil {
			t.Errorf("Go type %s has no entry $defs/%s in %s", name, name, schemaFile)
			continue
		}
		if typ.Kind() != reflect.Struct {
			if want := basicType(typ.Kind()); def.Type != want {
				t.Errorf("$defs/%s: Go type %s needs type %q, schema has %q", name, name, want, def.Type)
			}
			continue
		}
		if def.Type != "object" {
			t.Errorf("$defs/%s: Go struct %s needs type \"object\", schema has %q", name, name, def.Type)
		}
		fields := jsonFields(t, typ)
		byJSON := map[string]goField{}
		var always []string
		for _, f := range fields {
			byJSON[f.JSON] = f
			if !f.Optional {
				always = append(always, f.JSON)
			}
			prop, ok := def.Properties[f.JSON]
			if !ok {
				t.Errorf("%s.%s: JSON field %q is missing from $defs/%s.properties", name, f.GoName, f.JSON, name)
				continue
			}
			checkType(t, name+"."+f.GoName+" ($defs/"+name+".properties."+f.JSON+")", f.Type, prop)
		}
		for p := range def.Properties {
			if _, ok := byJSON[p]; !ok {
				t.Errorf("$defs/%s.properties.%s: Go type %s has no field with JSON name %q", name, p, name, p)
			}
		}
		onlyGo, onlySchema := diff(always, def.Required)
		for _, p := range onlyGo {
			t.Errorf("%s.%s: JSON field %q has no omitempty (always written) but is not in $defs/%s.required", name, byJSON[p].GoName, p, name)
		}
		for _, p := range onlySchema {
			if f, ok := byJSON[p]; ok {
				t.Errorf("%s.%s: JSON field %q is omitempty (may be absent) but is in $defs/%s.required", name, f.GoName, p, name)
			} else {
				t.Errorf("$defs/%s.required lists %q, which Go type %s does not have", name, p, name)
			}
		}
	}
	for name := range s.Defs {
		if !described[name] {
			t.Errorf("$defs/%s describes no Go type reachable from Recording or Index", name)
		}
	}
}

// TestSchemaEnums checks the schema ids and the closed sets of values
// against the constants of the package.
func TestSchemaEnums(t *testing.T) {
	s := loadSchema(t)
	prop := func(def, p string) *jsonSchema {
		if d := s.Defs[def]; d != nil && d.Properties[p] != nil {
			return d.Properties[p]
		}
		t.Fatalf("schema has no $defs/%s.properties.%s", def, p)
		return nil
	}
	if got := prop("Recording", "schema").Const; got != Schema {
		t.Errorf("$defs/Recording.properties.schema.const = %v, want %q", got, Schema)
	}
	if got := prop("Index", "schema").Const; got != IndexSchema {
		t.Errorf("$defs/Index.properties.schema.const = %v, want %q", got, IndexSchema)
	}

	consts := packageConsts(t)
	var statuses, kinds, sources []string
	for _, c := range consts {
		switch {
		case c.typ == "Status":
			statuses = append(statuses, c.value)
		case strings.HasPrefix(c.name, "Event"):
			kinds = append(kinds, c.value)
		case strings.HasPrefix(c.name, "Source"):
			sources = append(sources, c.value)
		}
	}
	var classes []string
	for _, v := range []string{"aZ9-\x01", "c0ffee"} { // every class Stats can report
		cs, _ := Stats(v)
		classes = append(classes, cs...)
	}
	checkEnum(t, "$defs/Status", "the Status constants", statuses, s.Defs["Status"])
	checkEnum(t, "$defs/EventKind", "the Event* constants", kinds, s.Defs["EventKind"])
	checkEnum(t, "$defs/EventSource", "the Source* constants", sources, s.Defs["EventSource"])
	checkEnum(t, "$defs/Value.properties.classes.items", "the classes Stats reports", classes, prop("Value", "classes").Items)
}

func checkEnum(t *testing.T, where, what string, want []string, s *jsonSchema) {
	t.Helper()
	if s == nil {
		t.Errorf("%s: missing", where)
		return
	}
	missing, extra := diff(want, s.Enum)
	if len(missing) > 0 {
		t.Errorf("%s.enum lacks %q, from %s", where, missing, what)
	}
	if len(extra) > 0 {
		t.Errorf("%s.enum has %q, which is not among %s", where, extra, what)
	}
}

type constDecl struct{ name, typ, value string }

// packageConsts returns the string constants declared in the package's
// non-test files, with the name of their declared type ("" if untyped).
func packageConsts(t *testing.T) []constDecl {
	t.Helper()
	fset := token.NewFileSet()
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []constDecl
	for _, fi := range files {
		if !strings.HasSuffix(fi.Name(), ".go") || strings.HasSuffix(fi.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, fi.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				typ := ""
				if id, ok := vs.Type.(*ast.Ident); ok {
					typ = id.Name
				}
				for i, n := range vs.Names {
					if i >= len(vs.Values) {
						break
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v, _ := strconv.Unquote(lit.Value)
					out = append(out, constDecl{name: n.Name, typ: typ, value: v})
				}
			}
		}
	}
	return out
}

// TestSchemaDeclaresEncodedFields encodes a recording and an index with
// every field filled and checks the JSON against the schema: each property
// declared, each required one present, each value of the declared type.
func TestSchemaDeclaresEncodedFields(t *testing.T) {
	s := loadSchema(t)
	rec, ix := fullRecording(), fullIndex()
	checkFilled(t, rec, ix)

	data, err := Encode(rec)
	if err != nil {
		t.Fatal(err)
	}
	validateJSON(t, "encoded Recording", data, s, "Recording")
	data, err = EncodeIndex(ix)
	if err != nil {
		t.Fatal(err)
	}
	validateJSON(t, "encoded Index", data, s, "Index")
}

// TestFormatDocExamples checks that the JSON examples in docs/recording.md
// that carry a schema id are valid: for the schema and for Decode.
func TestFormatDocExamples(t *testing.T) {
	s := loadSchema(t)
	doc, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllSubmatch(doc, -1)
	found := map[string]bool{}
	for i, b := range blocks {
		var head struct {
			Schema string `json:"schema"`
		}
		if json.Unmarshal(b[1], &head) != nil {
			continue // a fragment, not a whole document
		}
		what := formatDoc + " json example " + strconv.Itoa(i+1)
		switch head.Schema {
		case Schema:
			validateJSON(t, what, b[1], s, "Recording")
			if _, err := Decode(what, b[1]); err != nil {
				t.Errorf("%s: Decode: %v", what, err)
			}
		case IndexSchema:
			validateJSON(t, what, b[1], s, "Index")
			if _, err := DecodeIndex(what, b[1]); err != nil {
				t.Errorf("%s: DecodeIndex: %v", what, err)
			}
		default:
			continue
		}
		found[head.Schema] = true
	}
	for _, id := range []string{Schema, IndexSchema} {
		if !found[id] {
			t.Errorf("%s has no complete ```json example with \"schema\": %q", formatDoc, id)
		}
	}
}

// validateJSON checks data against $defs/def of s.
func validateJSON(t *testing.T, what string, data []byte, s *jsonSchema, def string) {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	validate(t, what, "$", v, s.Defs, &jsonSchema{Ref: "#/$defs/" + def})
}

func validate(t *testing.T, what, path string, v any, defs map[string]*jsonSchema, s *jsonSchema) {
	t.Helper()
	def := ""
	if s.Ref != "" {
		def = strings.TrimPrefix(s.Ref, "#/$defs/")
		if s = defs[def]; s == nil {
			t.Errorf("%s: %s: $ref to unknown $defs/%s", what, path, def)
			return
		}
	}
	if s.Const != nil && v != s.Const {
		t.Errorf("%s: %s = %v, schema wants %v", what, path, v, s.Const)
	}
	if len(s.Enum) > 0 {
		if str, _ := v.(string); !contains(s.Enum, str) {
			t.Errorf("%s: %s = %v, not one of %q", what, path, v, s.Enum)
		}
	}
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: %s is %T, schema wants an object", what, path, v)
			return
		}
		for _, r := range s.Required {
			if _, ok := m[r]; !ok {
				t.Errorf("%s: %s lacks %q, required by $defs/%s", what, path, r, def)
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			x, p := m[k], s.AdditionalProperties
			if s.Properties != nil {
				if p = s.Properties[k]; p == nil {
					t.Errorf("%s: %s has property %q, which $defs/%s does not declare", what, path, k, def)
					continue
				}
			}
			if p != nil {
				validate(t, what, path+"."+k, x, defs, p)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			t.Errorf("%s: %s is %T, schema wants an array", what, path, v)
			return
		}
		for i, x := range a {
			validate(t, what, path+"["+strconv.Itoa(i)+"]", x, defs, s.Items)
		}
	case "string", "boolean", "number", "integer":
		ok := false
		switch x := v.(type) {
		case string:
			ok = s.Type == "string"
			if ok && s.Format == "date-time" {
				_, err := time.Parse(time.RFC3339Nano, x)
				ok = err == nil
			}
		case bool:
			ok = s.Type == "boolean"
		case float64:
			ok = s.Type == "number" || s.Type == "integer" && x == float64(int64(x))
		}
		if !ok {
			t.Errorf("%s: %s = %#v, schema wants %s", what, path, v, strings.TrimSpace(s.Type+" "+s.Format))
		}
	}
}

// checkFilled fails when a field of a reachable type is zero everywhere in
// the samples: the encoding test would then not cover it.
func checkFilled(t *testing.T, samples ...any) {
	t.Helper()
	filled := map[string]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			if !ownType(v.Type()) {
				return
			}
			for i := 0; i < v.NumField(); i++ {
				if f := v.Type().Field(i); f.IsExported() && !v.Field(i).IsZero() {
					filled[v.Type().Name()+"."+f.Name] = true
					walk(v.Field(i))
				}
			}
		}
	}
	for _, s := range samples {
		walk(reflect.ValueOf(s))
	}
	for _, typ := range reachable() {
		if typ.Kind() != reflect.Struct {
			continue
		}
		for _, f := range jsonFields(t, typ) {
			if !filled[typ.Name()+"."+f.GoName] {
				t.Errorf("%s.%s is empty in every sample: fill it in fullRecording or fullIndex so that its encoding is checked", typ.Name(), f.GoName)
			}
		}
	}
}

// fullRecording is a recording in which every field is set somewhere.
func fullRecording() *Recording {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	red := NewRedactor([]byte("schema test key"), true)
	red.AddSecret("hunter2-hunter2")
	oldSID, newSID := red.Value("eyJ1c2VyIjoiYWxpY2UifQ.Z1RbxA.mX0r4nK3bV7qP2sT9wY1cE5uJ8h"), red.Value("q7Lw2Vn9Xc4Rt6Yp1Ka0Zs")
	expires := at(3_600_000)
	jar := []Cookie{
		{Name: "SID", Domain: "shop.test", Path: "/", Value: newSID, Size: 25, HTTPOnly: true, Secure: true,
			SameSite: "Lax", Session: true, Priority: "Medium", SourceScheme: "Secure", SourcePort: 8443},
		{Name: "prefs", Domain: ".shop.test", Path: "/", Value: red.Value("hunter2-hunter2"), Expires: &expires,
			Size: 20, Secure: true, SameSite: "None", Priority: "Low", SourceScheme: "Secure", SourcePort: 8443,
			Partition: "https://shop.test"},
	}
	login := ParseSetCookie("SID=q7Lw2Vn9Xc4Rt6Yp1Ka0Zs; Domain=shop.test; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax; Partitioned; Priority=High", at(400), red)
	bad := ParseSetCookie(`tracker=a"b; Path=/`, at(400), red)
	bad.Rejected, bad.Reasons = true, []string{"DisallowedCharacter"}
	gone := ParseSetCookie("old=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT", at(400), red)
	return &Recording{
		Schema: Schema,
		Scenario: ScenarioInfo{Name: "Login rotates the session ID", File: "scenarios/login.yaml",
			Target: "https://shop.test:8443", Tags: []string{"auth"}, SessionCookies: []string{"SID"}, NodeHeader: "X-Backend",
			LoggedIn: "#welcome", LoggedOut: "#login-form"},
		Browser: BrowserInfo{Product: "Chrome/156.0.8078.79", UserAgent: "Mozilla/5.0 HeadlessChrome/156.0.0.0",
			Protocol: "1.3", Remote: true, ThirdPartyCookies: "blocked", HostRules: "MAP *.test 127.0.0.1"},
		Options: Options{RevealValues: true, FingerprintKey: red.KeyID(), InsecureCerts: true},
		Start:   t0, End: at(2000), Status: StatusFailed, Error: "login.yaml:9:5: step 1 (submit #login-form): timeout",
		Steps: []Step{
			{Index: 0, Kind: "goto", Detail: "goto /login", Start: at(0), End: at(300), Status: StatusPassed,
				URL: "https://shop.test:8443/login", Jar: jar[:1],
				Auth: &AuthState{State: AuthOut, Evidence: "#login-form matched", Source: AuthByMarker}},
			{Index: 1, Kind: "submit", Name: "log in", As: "login", Detail: "submit #login-form", Line: 9, Column: 5, Start: at(300),
				End: at(1900), Status: StatusFailed, Error: "timeout", URL: "https://shop.test:8443/account", Target: "popup 1",
				Jar: jar, Screenshot: "failures/login-step-01.png", Snapshot: "failures/login-step-01.html",
				Probe: &ProbeResult{Kind: "login", URL: "https://shop.test:8443/account", Status: 303, Cookies: 1},
				Storage: []StorageItem{{Area: LocalStorage, Origin: "https://shop.test:8443", Key: "auth", Value: newSID,
					Fields: []StorageField{{Name: "access_token", Value: oldSID}}}}},
		},
		Requests: []Request{{
			ID: "1000.1", Step: 1, Target: "popup 1", Method: "POST", URL: "https://shop.test:8443/login", ResourceType: "Document",
			Start: at(350), End: at(400), Status: 303, StatusText: "See Other", Protocol: "h2", Initiator: "parser",
			InitiatorURL: "https://shop.test:8443/login", Referrer: "https://shop.test:8443/login",
			RedirectedFrom: "1000", RedirectChain: []string{"https://shop.test:8443/start"}, Location: "/account",
			Node: "app-2", NodeHeader: "X-Backend", Headers: map[string]string{"Cache-Control": "no-store"},
			CookiesSent:     []SentCookie{{Name: "SID", Domain: "shop.test", Path: "/", Value: oldSID}},
			CookiesWithheld: []SentCookie{{Name: "cross", Domain: "shop.test", Path: "/", Value: oldSID, Reasons: []string{"SameSiteStrict"}, Exemption: "None"}},
			SetCookies:      []SetCookie{login, bad, gone},
			Failed:          "net::ERR_ABORTED", RequestExtraInfo: true, ResponseExtraInfo: true,
			Authorization: &Credential{Scheme: "Bearer", Value: newSID},
		}},
		Events: []CookieEvent{
			{Time: at(400), Step: 1, Kind: EventSet, Source: SourceHTTP, Name: "SID", Domain: "shop.test", Path: "/",
				Value: &newSID, Request: "1000.1", URL: "https://shop.test:8443/login"},
			{Time: at(500), Step: 1, Kind: EventRejected, Source: SourceScript, Name: "js", Domain: "shop.test", Path: "/",
				URL: "https://shop.test:8443/account", Reasons: []string{"InvalidDomain"},
				Location: "https://shop.test:8443/app.js:12:7", Detail: "document.cookie"},
		},
		Pages: []PageFacts{{Request: "1000.1", Step: 1, URL: "https://shop.test:8443/account", Title: "Account",
			Links:              []Link{{Href: "/logout", Text: "Log out", Selector: "#logout"}},
			Forms:              []Form{{Action: "/login", Method: "post", Selector: "#login-form", HasPassword: true}},
			MetaRefresh:        "/home",
			CookieValuesInPage: []CookieKey{{Name: "SID", Domain: "shop.test", Path: "/", Partition: "https://shop.test"}},
			Truncated:          true, Truncation: "more than 2000 links: the rest were left out", Size: 5 << 20}},
		Probe: &ProbeResult{URL: "https://shop.test:8443/account", Status: 200, LoggedIn: true, Error: "none",
			Older: &OlderProbe{Step: 1, URL: "https://shop.test:8443/account", Status: 200, LoggedIn: true, Cookies: 2, Error: "none"}},
		TokenProbe: &TokenProbe{Step: 1, Request: "1000.1", URL: "https://shop.test:8443/api/me", Scheme: "Bearer", Value: newSID,
			Status: 200, Accepted: true, Error: "none"},
		Popups:    []Popup{{Time: at(600), Step: 1, URL: "https://shop.test:8443/help", Closed: true}},
		Downloads: []Download{{Time: at(700), Step: 1, URL: "https://shop.test:8443/export", Filename: "orders.csv"}},
		Storage: []StorageEvent{{Time: at(450), Step: 1, Target: "popup 1", Kind: StorageSet, Area: SessionStorage,
			Origin: "https://shop.test:8443", Key: "oidc.user:app", Value: &newSID,
			Fields: []StorageField{{Name: "access_token", Value: oldSID}},
			URL:    "https://shop.test:8443/account", Script: "https://shop.test:8443/app.js:3:9"}},
		Protocol: ProtocolStats{Events: 42, DecodeErrors: 1,
			DecodeIssues:  []DecodeIssue{{Method: "Network.responseReceivedExtraInfo", Field: "blockedCookies[0].blockedReasons", Error: "expected an array", Count: 1}},
			DriverDropped: 1, DriverErrors: []string{"could not unmarshal event: unknown value"},
			UnknownReasons: []string{"SomeFutureReason"}, MissingExtraInfo: 1},
		Warnings: []string{"1 requests had no cookie details from the browser (ExtraInfo events missing)"},
	}
}

// fullIndex is an index in which every field is set.
func fullIndex() *Index {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	return &Index{Schema: IndexSchema, Tool: "sessiontrace 0.1.0", Start: t0, End: t0.Add(3 * time.Second),
		Status: StatusFailed,
		Scenarios: []IndexEntry{{Name: "Login rotates the session ID", File: "scenarios/login.yaml",
			Recording: "recordings/login.json", Status: StatusFailed, Error: "step 1: timeout", Start: t0,
			End: t0.Add(2 * time.Second), Steps: 2, Requests: 1, Events: 2, Tags: []string{"auth"},
			Attempts: []string{"recordings/login.attempt-1.json"}, Flaky: true, Shard: "1/2"}},
		Totals: Totals{Passed: 1, Failed: 1, Errored: 1, Interrupted: 1, Flaky: 1}}
}

// diff returns the strings only in a and those only in b, sorted.
func diff(a, b []string) (onlyA, onlyB []string) {
	for _, x := range a {
		if !contains(b, x) {
			onlyA = append(onlyA, x)
		}
	}
	for _, x := range b {
		if !contains(a, x) {
			onlyB = append(onlyB, x)
		}
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	return onlyA, onlyB
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
