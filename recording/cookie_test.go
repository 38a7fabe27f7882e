package recording

import (
	"reflect"
	"testing"
	"time"
)

func TestParseSetCookie(t *testing.T) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	r := NewRedactor([]byte("k"), true)
	cases := []struct {
		line string
		want func(SetCookie) bool
		desc string
	}{
		{"__Host-sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax", func(c SetCookie) bool {
			return c.Name == "__Host-sid" && c.Path == "/" && c.Secure && c.HTTPOnly && c.SameSite == "Lax" && !c.Deletion && c.MaxAge == nil
		}, "full attributes"},
		{"sid=; Max-Age=0; Path=/", func(c SetCookie) bool { return c.Deletion && c.MaxAge != nil && *c.MaxAge == 0 }, "Max-Age=0 deletes"},
		{"sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT", func(c SetCookie) bool { return c.Deletion && c.Expires != nil }, "past Expires deletes"},
		{"sid=x; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT", func(c SetCookie) bool { return !c.Deletion && *c.MaxAge == 60 }, "Max-Age wins over Expires"},
		{"a=1; SameSite=Sloppy", func(c SetCookie) bool { return c.SameSite == "Sloppy" }, "invalid SameSite kept raw"},
		{"a=1; Priority=High; Foo", func(c SetCookie) bool { return reflect.DeepEqual(c.Unparsed, []string{"Priority=High", "Foo"}) }, "unmodelled attributes kept"},
		{`a=x\y; Secure`, func(c SetCookie) bool { return c.ParseError != "" && c.Secure && c.Value.Len == 3 }, "value net/http refuses still read"},
		{"a=1; Domain=.example.test; Partitioned; Secure", func(c SetCookie) bool { return c.Domain == ".example.test" && c.Partitioned }, "domain and partitioned"},
		{"novalue", func(c SetCookie) bool { return c.Name == "" && c.Value.Len == 7 }, "no = is an empty name"},
		{"a=1; Max-Age=abc", func(c SetCookie) bool { return c.MaxAge == nil }, "bad Max-Age ignored"},
		{"a=1; Max-Age=-5", func(c SetCookie) bool { return c.Deletion && *c.MaxAge == -5 }, "negative Max-Age deletes"},
	}
	for _, c := range cases {
		got := ParseSetCookie(c.line, now, r)
		if !c.want(got) {
			t.Errorf("%s: ParseSetCookie(%q) = %+v", c.desc, c.line, got)
		}
	}
}

func TestSplitSetCookie(t *testing.T) {
	got := SplitSetCookie("a=1; Path=/\n\nb=2\n")
	if !reflect.DeepEqual(got, []string{"a=1; Path=/", "b=2"}) {
		t.Fatalf("SplitSetCookie = %q", got)
	}
}

func TestParseCookieHeader(t *testing.T) {
	got := ParseCookieHeader("a=1; b=two; c=")
	want := [][2]string{{"a", "1"}, {"b", "two"}, {"c", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
	got = ParseCookieHeader(`a=1; bad pair; b="x y"`)
	if len(got) != 3 || got[0] != [2]string{"a", "1"} {
		t.Fatalf("lenient fallback = %q", got)
	}
}

// Attribute names are compared ASCII case-insensitively, as browsers
// compare them: "ſameSite" (U+017F, which strings.EqualFold folds to "s")
// is an attribute no browser knows, so the line sets no SameSite, as
// net/http reads it too. Only ASCII white space is trimmed.
func TestAttrValue(t *testing.T) {
	for _, c := range []struct {
		attrs, name, val string
		ok               bool
	}{
		{"Path=/; SameSite=Lax", "samesite", "Lax", true},
		{"SAMESITE = none ;", "samesite", "none", true},
		{"SameSite=Strict; samesite=Lax", "samesite", "Lax", true},
		{"SameSite", "samesite", "", true},
		{"SameSite=None; ſameSite=Lax", "samesite", "None", true},
		{"ſameSite=None", "samesite", "", false},
		{"\u00a0SameSite=None", "samesite", "", false},
		{"SameSite=\u00a0None\u00a0", "samesite", "\u00a0None\u00a0", true},
		{"\tMax-Age\t=\t5\t", "max-age", "5", true},
		{"", "samesite", "", false},
	} {
		if val, ok := AttrValue(c.attrs, c.name); val != c.val || ok != c.ok {
			t.Errorf("AttrValue(%q, %q) = %q, %v, want %q, %v", c.attrs, c.name, val, ok, c.val, c.ok)
		}
	}
	if n := testing.AllocsPerRun(100, func() { AttrValue("Path=/; Secure; HttpOnly; SameSite=Lax", "samesite") }); n != 0 {
		t.Errorf("AttrValue allocates %v times", n)
	}
	now := time.Unix(0, 0)
	r := NewRedactor([]byte("k"), false)
	if sc := ParseSetCookie("pref=abc; ſameSite=None", now, r); sc.SameSite != "" || sc.Attributes != "ſameSite=None" {
		t.Errorf("ſameSite=None: SameSite %q, attributes %q", sc.SameSite, sc.Attributes)
	}
	if sc := ParseSetCookie("pref=abc; SameSite=None; Max-Age=5", now, r); sc.SameSite != "None" || sc.MaxAge == nil || *sc.MaxAge != 5 {
		t.Errorf("SameSite %q, Max-Age %v", sc.SameSite, sc.MaxAge)
	}
}

// checkEach holds f, called name, to want for every input of want.
func checkEach(t *testing.T, name string, f func(string) string, want map[string]string) {
	t.Helper()
	for in, w := range want {
		if got := f(in); got != w {
			t.Errorf("%s(%q) = %q, want %q", name, in, got, w)
		}
	}
}

// A SameSite value is one of three, in any ASCII case; "ſtrict" is none
// of them (strings.EqualFold says it is Strict).
func TestSameSiteMode(t *testing.T) {
	checkEach(t, "SameSiteMode", SameSiteMode, map[string]string{
		"Strict": "Strict", "STRICT": "Strict", "lax": "Lax", "nOnE": "None", "ſtrict": "", "": "", "Bogus": "", " Lax": "", "Laxx": "",
	})
	if n := testing.AllocsPerRun(100, func() { SameSiteMode("lax") }); n != 0 {
		t.Errorf("SameSiteMode allocates %v times", n)
	}
}

func TestCookiePrefix(t *testing.T) {
	checkEach(t, "CookiePrefix", CookiePrefix, map[string]string{
		"__Host-sid": "__Host-", "__HOST-sid": "__Host-", "__host-": "__Host-", "__Secure-x": "__Secure-", "__sECURE-x": "__Secure-",
		"__Hoſt-sid": "", "__ſecure-x": "", "_Host-sid": "", "__Host": "", "sid": "", "": "",
	})
}

// The name and the value are trimmed of ASCII white space only: a no-break
// space belongs to them, as to the browser.
func TestSetCookieParts(t *testing.T) {
	for _, c := range []struct{ line, name, value, attrs string }{
		{"a=1; Path=/", "a", "1", "Path=/"},
		{" a = 1 ;\tSecure ", "a", "1", "Secure"},
		{"novalue; Secure", "", "novalue", "Secure"},
		{"\u00a0a=1\u00a0", "\u00a0a", "1\u00a0", ""},
		{"=v", "", "v", ""},
	} {
		if n, v, a := SetCookieParts(c.line); n != c.name || v != c.value || a != c.attrs {
			t.Errorf("SetCookieParts(%q) = %q, %q, %q, want %q, %q, %q", c.line, n, v, a, c.name, c.value, c.attrs)
		}
	}
	if got := SplitSetCookie("a=1\n\u00a0b=2\u00a0\n \n"); !reflect.DeepEqual(got, []string{"a=1", "\u00a0b=2\u00a0"}) {
		t.Errorf("SplitSetCookie = %q", got)
	}
	if got := ParseCookieHeader("a=1; \u00a0b=2"); !reflect.DeepEqual(got, [][2]string{{"a", "1"}, {"\u00a0b", "2"}}) {
		t.Errorf("ParseCookieHeader = %q", got)
	}
}

func FuzzParseSetCookie(f *testing.F) {
	for _, s := range []string{"a=b", "__Host-sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax", "x=; Max-Age=0", ";;;=", "a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "a=\"q\"; Domain=.x.test"} {
		f.Add(s)
	}
	r := NewRedactor([]byte("k"), false)
	f.Fuzz(func(t *testing.T, line string) {
		sc := ParseSetCookie(line, time.Unix(0, 0), r)
		if sc.Size != len(sc.Name)+sc.Value.Len {
			t.Fatalf("size %d != %d+%d", sc.Size, len(sc.Name), sc.Value.Len)
		}
		ParseCookieHeader(line)
	})
}
