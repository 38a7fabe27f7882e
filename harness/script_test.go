package harness

import "testing"

// A selector or value from a scenario cannot end the string literal it is
// put in, nor the script.
func TestJSQueryQuotes(t *testing.T) {
	for sel, want := range map[string]string{
		`#a`:               `document.querySelector("#a")`,
		`a[href="/x"]`:     `document.querySelector("a[href=\"/x\"]")`,
		`"); alert(1); ("`: `document.querySelector("\"); alert(1); (\"")`,
		`a\b`:              `document.querySelector("a\\b")`,
		"</script>\u2028":  `document.querySelector("\u003c/script\u003e\u2028")`,
	} {
		if got := jsQuery(sel); got != want {
			t.Errorf("jsQuery(%q) = %s, want %s", sel, got, want)
		}
	}
}
