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
