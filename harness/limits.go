package harness

import (
	"strconv"
	"unicode/utf8"
)

// Limits that keep a hostile page from exhausting the harness's memory or
// bloating its recording. Each one that cuts something short says so in the
// recording (docs/recording.md lists them).
const (
	// maxBodyBytes is the largest response body the browser keeps for the
	// harness (Network.enable's maxResourceBufferSize): a bigger document
	// is never read into this process, only noted with its size.
	maxBodyBytes = 8 << 20
	// maxPageBytes bounds the HTML scanned per document: enough for any
	// real page, small enough that a hostile one cannot exhaust memory.
	maxPageBytes = 4 << 20
	// maxLinks and maxForms bound the facts kept per document.
	maxLinks = 2000
	maxForms = 200
	// maxURLBytes bounds every URL in a recording: a longer one keeps its
	// first maxURLBytes bytes and a marker. Servers refuse request lines
	// much shorter than this (8 kB is common), so a real journey's URLs fit.
	maxURLBytes = 8 << 10
	// maxPopups is how many popups a scenario may have; later ones are
	// closed as they open (a page can open windows without end).
	maxPopups = 20
	// maxDialogs is how many JavaScript dialogs are noted one by one.
	maxDialogs = 20
)

// clipURL shortens s, a URL as it will be recorded, to its first
// maxURLBytes bytes (on a character boundary) followed by a marker that
// gives the URL's full length, total. s shorter than that is returned as is
// unless total says the URL was longer.
func clipURL(s string, total int) string {
	if len(s) <= maxURLBytes && total <= maxURLBytes {
		return s
	}
	cut := min(len(s), maxURLBytes)
	for cut > 0 && cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "...[URL cut: " + strconv.Itoa(total) + " bytes]"
}
