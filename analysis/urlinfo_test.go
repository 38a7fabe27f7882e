package analysis

import "testing"

func checkInfo(t *testing.T, u string) {
	t.Helper()
	// The slow path alone: what infoOf read before simpleURL.
	if got, want := infoOf(u), parsedInfo(u, parseURL(u)); got != want {
		t.Errorf("infoOf(%q) = %+v, url.Parse gives %+v", u, got, want)
	}
}

func TestInfoOfMatchesURLParse(t *testing.T) {
	for _, u := range []string{
		"https://shop.test/p/1/2", "http://app.test", "http://app.test/", "https://App.Test:8443/a/b?x=1#f",
		"http://127.0.0.1:8080/x;jsessionid=abc", "https://a.test./x", "http://[::1]:80/", "https://u:p@h.test/",
		"https://h.test:/x", "https://h.test:x/", "https://h.test:1:2/", "https:///x", "https://", "http://h.test?q#f",
		"http://h.test#f/x", "https://h.test/a%20b", "https://h.test/a b", " https://h.test/ ", "HTTPS://h.test/",
		"https://h.test/[value:abcd1234]", "https://h_x.test/~a/$&+,:;=@", "https://h.test/a?b=%zz", "https://h.test/a#%zz",
		"https://h.test/é", "https://É.test./x", "https://A.ſ.K.test/", "ftp://h.test/", "/relative", "", "https:h.test", "https://h.test\t/",
	} {
		checkInfo(t, u)
	}
	// Every printable byte in the host, the port, the path, the query and
	// the fragment.
	for c := 0x20; c < 0x80; c++ {
		s := string(rune(c))
		for _, u := range []string{"https://h" + s + ".test/p", "https://h.test:8" + s + "/p", "https://h.test/p" + s + "q",
			"https://h.test/p?" + s, "https://h.test/p#" + s, "http://" + s + "/"} {
			checkInfo(t, u)
		}
	}
}

func FuzzInfoOf(f *testing.F) {
	for _, u := range []string{"https://shop.test/p/1/2", "http://127.0.0.1:8080/x;a=b?c#d", "https://h.test./"} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, u string) { checkInfo(t, u) })
}

// The host keeps a final dot (recording.CanonicalHost, as Chromium's jar
// does), so isLoopback takes "localhost." for localhost itself.
func TestIsLoopbackWithFinalDot(t *testing.T) {
	for h, want := range map[string]bool{"localhost.": true, "LocalHost": true, "a.localhost.": true, "[::1]": true,
		"127.0.0.1": true, "localhost.test.": false, "app.test.": false} {
		if got := isLoopback(h); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", h, got, want)
		}
	}
}
