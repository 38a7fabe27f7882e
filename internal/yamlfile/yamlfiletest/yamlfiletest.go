// Package yamlfiletest holds the files of parsers built on yamlfile (the
// scenarios, the policy) to what yamlfile promises their users: a file
// that does not parse gives an ErrorList whose every entry points at a
// line of the file and says what is wrong, the same on every run.
package yamlfiletest

import (
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/yamlfile"
)

// A Parser reads the file called name; Parse of scenarios and of policy.
type Parser[T any] func(name string, data []byte) (*T, error)

// MustParse returns what parse makes of src, or fails t.
func MustParse[T any](t testing.TB, parse Parser[T], name, src string) *T {
	t.Helper()
	v, err := parse(name, []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	return v
}

// Errors returns the lines of the error parse gives for data, read as
// the file called name, and fails t unless that error keeps the promise:
// no result beside it, an ErrorList of entries that each point at a line
// of name and say something, and the same list when parsed again (no map
// order shows).
func Errors[T any](t testing.TB, parse Parser[T], name string, data []byte) []string {
	t.Helper()
	v, err := parse(name, data)
	if err == nil {
		t.Fatalf("%s parsed, want errors", name)
	}
	if v != nil {
		t.Errorf("Parse returned %+v along with errors", v)
	}
	list, ok := err.(yamlfile.ErrorList)
	if !ok || len(list) == 0 {
		t.Fatalf("error %T %v, want an ErrorList", err, err)
	}
	for _, e := range list {
		if e.Pos.File != name || e.Pos.Line < 1 || e.Msg == "" {
			t.Fatalf("bad error entry %#v", e)
		}
	}
	if _, again := parse(name, data); again == nil || again.Error() != err.Error() {
		t.Fatalf("second Parse gave different errors:\n%v\nthen:\n%v", err, again)
	}
	return strings.Split(err.Error(), "\n")
}
