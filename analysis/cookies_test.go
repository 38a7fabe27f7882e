package analysis

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A line reports each rule once, however many rules fire for it (the
// first 16 are kept in an array, more in a slice).
func TestLineCheckFiresEachRuleOnce(t *testing.T) {
	a := &analyzer{findings: newCollector("s", "s.yaml")}
	q := &recording.Request{ID: "R1", Method: "GET", URL: "https://a.test/"}
	sc := &recording.SetCookie{Name: "SID"}
	c := &lineCheck{a: a, q: q, sc: sc, k: ckey{"SID", "a.test", "/"}}
	for round := 0; round < 2; round++ {
		for i := 0; i < 20; i++ {
			c.fire("RULE-"+strconv.Itoa(i), High, Low, func() string { return "m" })
		}
	}
	if n := len(a.findings.list()); n != 20 {
		t.Fatalf("%d findings, want 20 (one per rule)", n)
	}
}

// A name with more identities than manyIdents (a cookie set without Path
// from many directories) is looked up in maps instead of scanned: the
// result is the one the scans give.
func TestManyIdentitiesOfOneName(t *testing.T) {
	b := newRec("many paths", "SID")
	b.step("goto", "")
	b.get("https://app.test/login").set("SID", id("1"), secureAttrs)
	dirs := 3 * manyIdents
	for i := 0; i < dirs; i++ {
		dir := "https://app.test/d" + strconv.Itoa(i) + "/"
		b.get(dir+"page").send("SID", id("1")).set("pref", "v"+strconv.Itoa(i%7), "")
		b.get(dir+"other").send("SID", id("1")).send("pref", "v"+strconv.Itoa(i%7))
	}
	r := b.rec()
	withMaps, _ := json.Marshal(AnalyzeAll([]*recording.Recording{r}))
	defer func(n int) { manyIdents = n }(manyIdents)
	manyIdents = 1 << 30
	withScans, _ := json.Marshal(AnalyzeAll([]*recording.Recording{r}))
	if string(withMaps) != string(withScans) {
		t.Fatal("the analysis differs when identities are looked up in maps")
	}
	if n := strings.Count(string(withScans), `"cookie":"pref"`); n < dirs {
		t.Fatalf("%d findings name pref: the identities were not told apart", n)
	}
}
