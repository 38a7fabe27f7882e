package analysis

import (
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// The identity recording gives a Set-Cookie line (for recordings made from
// HARs) is the one the analysis gives it.
func TestSetCookieKeyMatchesRecordingIdentity(t *testing.T) {
	for _, u := range []string{"https://Shop.Example./a/b/c?x=1", "https://shop.example", "http://[::1]:8080/x/", "not a url", "", "https://h/a%2Fb/c"} {
		for _, sc := range []recording.SetCookie{{Name: "a"}, {Name: "b", Domain: ".Example.COM"}, {Name: "c", Path: "/p"}, {Name: "d", Path: "rel"}, {Name: "e", Domain: " x.test "}} {
			k := setCookieKey(u, &sc)
			d, p := sc.Identity(u)
			if k.domain != d || k.path != p {
				t.Errorf("%q %+v: analysis says %s %s, recording says %s %s", u, sc, k.domain, k.path, d, p)
			}
		}
	}
}
