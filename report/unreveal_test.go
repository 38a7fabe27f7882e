package report

import (
	"net/url"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

func TestUnrevealerTakesRevealedValuesOut(t *testing.T) {
	red := recording.NewRedactor([]byte("k"), true)
	long, longer, short := "Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4-and-more", "dark"
	enc := "a b+c/d=e&f"
	vl, vx, vs, ve := red.Value(long), red.Value(longer), red.Value(short), red.Value(enc)
	r := &recording.Recording{
		Steps: []recording.Step{{Jar: []recording.Cookie{{Name: "SID", Value: vl}}}},
		Requests: []recording.Request{{CookiesSent: []recording.SentCookie{{Name: "theme", Value: vs}},
			SetCookies: []recording.SetCookie{{Name: "X", Value: vx}}}},
		Events: []recording.CookieEvent{{Name: "q", Value: &ve}},
	}
	u := newUnrevealer(r, nil)
	got := u.Scrub("https://a.test/;jsessionid=" + long + "?n=" + longer + "&q=" + url.QueryEscape(enc) + "&theme=" + short)
	for _, leaked := range []string{long, url.QueryEscape(enc), "-and-more"} {
		if strings.Contains(got, leaked) {
			t.Errorf("Scrub kept %q: %s", leaked, got)
		}
	}
	for _, want := range []string{recording.ValuePlaceholder(vl.Short()), recording.ValuePlaceholder(vx.Short()),
		recording.ValuePlaceholder(ve.Short()), "theme=dark"} {
		if !strings.Contains(got, want) {
			t.Errorf("Scrub lacks %q: %s", want, got)
		}
	}
	// Nothing revealed: text is left as it is.
	plain := recording.NewRedactor([]byte("k"), false)
	if got := newUnrevealer(&recording.Recording{Steps: []recording.Step{{Jar: []recording.Cookie{{Value: plain.Value(long)}}}}}).Scrub(long); got != long {
		t.Errorf("Scrub changed text with nothing revealed: %s", got)
	}
}
