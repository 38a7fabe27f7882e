package lab

import (
	"testing"
	"time"
)

func TestStoreIdleAndBound(t *testing.T) {
	st := newStore(time.Hour)
	st.max = 10
	for range 25 {
		st.put(newID(idBase64URL), "", nil)
	}
	if n := len(st.m); n > 10 {
		t.Fatalf("store holds %d sessions, bound 10", n)
	}
	id := newID(idHexLower)
	st.put(id, "u", map[string]string{"k": "v"})
	s, ok := st.get(id)
	if !ok || s.user != "u" || s.data["k"] != "v" {
		t.Fatalf("get: %+v %v", s, ok)
	}
	s.data["k"] = "changed" // a copy: the store is unaffected
	if s2, _ := st.get(id); s2.data["k"] != "v" {
		t.Fatal("get returned shared data")
	}
	st.idle = time.Nanosecond
	time.Sleep(time.Millisecond)
	if _, ok := st.get(id); ok {
		t.Fatal("idle session still returned")
	}
	if _, ok := st.m[id]; ok {
		t.Fatal("idle session not deleted")
	}
}

func TestIDFormats(t *testing.T) {
	for _, f := range []idFormat{idBase64URL, idHexLower, idHexUpper} {
		a, b := newID(f), newID(f)
		if a == b || !idPattern.MatchString(a) {
			t.Errorf("format %d: %q %q", f, a, b)
		}
	}
	for id, want := range map[string]bool{
		"attackerchosen0123456789ab":  true,
		"short":                       false,
		"has space 0123456789012345":  false,
		"a,b-c0123456789012345678901": true,
	} {
		if wellFormedID(id) != want {
			t.Errorf("wellFormedID(%q) != %v", id, want)
		}
	}
}
