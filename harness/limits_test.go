package harness

import (
	"strconv"
	"strings"
	"testing"
)

func TestClipURL(t *testing.T) {
	short := "https://a.test/" + strings.Repeat("x", 100)
	if got := clipURL(short, len(short)); got != short {
		t.Errorf("a short URL changed: %q", got)
	}
	long := "https://a.test/?q=" + strings.Repeat("é", maxURLBytes) // 2 bytes per rune: the cut must not split one
	got := clipURL(long, len(long))
	head, marker, ok := strings.Cut(got, "...[URL cut: ")
	if !ok || len(head) > maxURLBytes || !strings.HasPrefix(long, head) || marker != strconv.Itoa(len(long))+" bytes]" {
		t.Fatalf("clipped to %d bytes, marker %q", len(head), marker)
	}
	if !strings.HasSuffix(head, "é") {
		t.Errorf("cut inside a character: %q", head[len(head)-4:])
	}
	// A URL that scrubbing shortened still says how long it was.
	if got := clipURL("https://a.test/[value:abcdefgh]", 20000); !strings.HasSuffix(got, "...[URL cut: 20000 bytes]") {
		t.Errorf("got %q", got)
	}
}

func TestScanPageCapsLinksAndForms(t *testing.T) {
	html := "<title>t</title>" + strings.Repeat(`<a href="/x">x</a>`, maxLinks+10) + strings.Repeat(`<form action="/f"></form>`, 3)
	pf := scanPage(html, "https://a.test/", nil)
	if len(pf.links) != maxLinks || len(pf.forms) != 3 || !pf.truncated || !strings.Contains(pf.truncation, "links") {
		t.Fatalf("%d links, %d forms, truncated %v (%q)", len(pf.links), len(pf.forms), pf.truncated, pf.truncation)
	}
	big := "<title>t</title>" + strings.Repeat(" ", maxPageBytes) + `<a href="/late">late</a>`
	pf = scanPage(big, "https://a.test/", nil)
	if len(pf.links) != 0 || pf.size != len(big) || !strings.Contains(pf.truncation, "only the first 4 MiB") {
		t.Fatalf("%d links, size %d, truncation %q", len(pf.links), pf.size, pf.truncation)
	}
}

func TestControlChar(t *testing.T) {
	for s, want := range map[string]rune{"a=b": -1, "a=\x01": 1, "a\tb": '\t', "x\x7f": 0x7f, "é=ü": -1} {
		if got := controlChar(s); got != want {
			t.Errorf("controlChar(%q) = %U, want %U", s, got, want)
		}
	}
}
