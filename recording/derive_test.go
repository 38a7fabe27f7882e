package recording

import (
	"testing"
	"time"
)

func TestDeriveEvents(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	v := Value{Fingerprint: "fp", Len: 3}
	reqs := []Request{{
		ID: "1", Step: 2, URL: "https://shop.test/a/b", Start: t0, End: t0.Add(time.Second),
		CookiesSent:     []SentCookie{{Name: "s", Value: v}},
		CookiesWithheld: []SentCookie{{Name: "w", Value: v, Reasons: []string{"SecureOnly"}}},
		SetCookies: []SetCookie{{Name: "n", Value: v}, {Name: "d", Deletion: true, Domain: ".Shop.test", Path: "/"},
			{Name: "r", Rejected: true, Reasons: []string{"SameSiteNoneInsecure"}}},
	}, {ID: "2", Step: 3, URL: "https://shop.test/", Start: t0.Add(2 * time.Second)}}
	evs := DeriveEvents(reqs)
	want := []struct {
		kind               EventKind
		name, domain, path string
	}{
		{EventSent, "s", "", ""}, {EventWithheld, "w", "", ""},
		{EventSet, "n", "shop.test", "/a"}, {EventDeleted, "d", ".shop.test", "/"}, {EventRejected, "r", "shop.test", "/a"},
	}
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(evs), len(want), evs)
	}
	for i, w := range want {
		e := evs[i]
		if e.Kind != w.kind || e.Name != w.name || e.Domain != w.domain || e.Path != w.path || e.Step != 2 || e.Request != "1" || e.Source != SourceHTTP {
			t.Errorf("event %d: %+v, want %+v", i, e, w)
		}
	}
	if !evs[0].Time.Equal(t0) || !evs[2].Time.Equal(t0.Add(time.Second)) {
		t.Errorf("times: sent %v, set %v", evs[0].Time, evs[2].Time)
	}
	if len(evs[1].Reasons) != 1 || len(evs[4].Reasons) != 1 {
		t.Errorf("reasons lost: %+v", evs)
	}
}
