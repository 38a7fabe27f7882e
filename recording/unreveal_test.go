package recording

import (
	"net/url"
	"strings"
	"testing"
)

func TestUnrevealerTakesRevealedValuesOut(t *testing.T) {
	red := NewRedactor([]byte("k"), true)
	long, longer, short := "Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4-and-more", "dark"
	enc := "a b+c/d=e&f"
	vl, vx, vs, ve := red.Value(long), red.Value(longer), red.Value(short), red.Value(enc)
	r := &Recording{
		Steps:    []Step{{Jar: []Cookie{{Name: "SID", Value: vl}}}},
		Requests: []Request{{CookiesSent: []SentCookie{{Name: "theme", Value: vs}}, SetCookies: []SetCookie{{Name: "X", Value: vx}}}},
		Events:   []CookieEvent{{Name: "q", Value: &ve}},
	}
	u := NewUnrevealer(r, nil)
	got := u.Scrub("https://a.test/;jsessionid=" + long + "?n=" + longer + "&q=" + url.QueryEscape(enc) + "&theme=" + short)
	for _, leaked := range []string{long, url.QueryEscape(enc), "-and-more"} {
		if strings.Contains(got, leaked) {
			t.Errorf("Scrub kept %q: %s", leaked, got)
		}
	}
	for _, want := range []string{ValuePlaceholder(vl.Short()), ValuePlaceholder(vx.Short()), ValuePlaceholder(ve.Short()), "theme=dark"} {
		if !strings.Contains(got, want) {
			t.Errorf("Scrub lacks %q: %s", want, got)
		}
	}
	// Nothing revealed: text is left as it is.
	plain := NewRedactor([]byte("k"), false)
	if got := NewUnrevealer(&Recording{Steps: []Step{{Jar: []Cookie{{Value: plain.Value(long)}}}}}).Scrub(long); got != long {
		t.Errorf("Scrub changed text with nothing revealed: %s", got)
	}
}
