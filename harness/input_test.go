package harness

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

func TestKeyName(t *testing.T) {
	for in, want := range map[string]string{
		"Enter": kb.Enter, "return": kb.Enter, "TAB": kb.Tab, "Esc": kb.Escape, "escape": kb.Escape,
		"Backspace": kb.Backspace, "Delete": kb.Delete, "Up": kb.ArrowUp, "ArrowDown": kb.ArrowDown,
		"left": kb.ArrowLeft, "ArrowRight": kb.ArrowRight, "Home": kb.Home, "End": kb.End,
		"PageUp": kb.PageUp, "pagedown": kb.PageDown, "Space": " ",
		"a": "a", "hello": "hello", // other text is typed as it is
	} {
		if got := keyName(in); got != want {
			t.Errorf("keyName(%q) = %q, want %q", in, got, want)
		}
	}
}

// The option's value is a string literal in the script, whatever it holds.
func TestSelectJSQuotesTheValue(t *testing.T) {
	js := selectJS("#country", `"; alert(1); "`)
	if !strings.Contains(js, jsQuery("#country")) || !strings.Contains(js, `const v = "\"; alert(1); \"";`) {
		t.Errorf("selectJS: %s", js)
	}
}
