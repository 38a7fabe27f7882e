package harness

import (
	"strings"
	"testing"
)

// The click and submit scripts ask for the element the step names, and
// only for it: the selector is quoted once, never spliced in raw.
func TestNavigateScriptsQuoteTheSelector(t *testing.T) {
	sel := `form[action="/login"] button`
	for name, js := range map[string]string{"click": whenVisibleJS(sel, 0, navigatesExpr), "fill": whenVisibleJS(sel, 1, `"ok"`), "submitJS": submitJS(sel)} {
		if n := strings.Count(js, jsQuery(sel)); n != 1 {
			t.Errorf("%s: the element is queried %d times, want 1", name, n)
		}
		if strings.Contains(strings.Replace(js, jsQuery(sel), "", 1), `"/login"`) {
			t.Errorf("%s: the selector appears unquoted", name)
		}
	}
}
