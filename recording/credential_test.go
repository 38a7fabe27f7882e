package recording

import "testing"

func TestSplitAuthorization(t *testing.T) {
	for _, c := range []struct{ in, scheme, cred string }{
		{"Bearer abc.def", "Bearer", "abc.def"},
		{"  Basic   YWxpY2U6cHc=  ", "Basic", "YWxpY2U6cHc="},
		{"abc123", "", "abc123"},
		{"", "", ""},
		{"Digest username=\"a\", realm=\"r\"", "Digest", "username=\"a\", realm=\"r\""},
	} {
		s, cr := SplitAuthorization(c.in)
		if s != c.scheme || cr != c.cred {
			t.Errorf("SplitAuthorization(%q) = %q, %q; want %q, %q", c.in, s, cr, c.scheme, c.cred)
		}
	}
}
