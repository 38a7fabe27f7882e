package har

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The regular expressions the scanners of scan.go replace.
var (
	jsonPasswordRE = regexp.MustCompile(`(?i)"[a-z_]*(password|passwd|passphrase)[a-z_]*"\s*:`)
	logoutRE       = regexp.MustCompile(`(?i)(^|[/_.-])(log-?out|log_out|sign-?out|sign_out|log-?off|sign-?off)($|[/.;])`)
	uaProductRE    = regexp.MustCompile(`(Firefox|Edg|HeadlessChrome|Chrome|Version)/([0-9.]+)`)
)

var scanSeeds = []string{
	"",
	`{"user":"a","Password":"x"}`, `{"new_passphrase" :1}`, `{"pass":"x","passwd"}`, `{"user_PASSWD"` + "\t\n:", `"password"x:`,
	"/logout", "/auth/sign-out/", "/x_logoff.php", "/logouts", "/blog-out", "/LogOut;jsessionid=1", "/sign_out.",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.1 Safari/605.1.15", "Firefox/", "Edg/1..2Chrome/3",
}

func FuzzScannersMatchRegexps(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkScanners(t, asciiOnly(s))
	})
}

func TestScannersMatchRegexps(t *testing.T) {
	for _, s := range scanSeeds {
		checkScanners(t, s)
	}
}

// asciiOnly drops non-ASCII bytes: case-insensitive regexps fold a few
// non-ASCII letters into ASCII ones, which the scanners leave alone.
func asciiOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x80 {
			return -1
		}
		return r
	}, s)
}

func checkScanners(t *testing.T, s string) {
	t.Helper()
	if got, want := hasJSONPasswordKey(s), jsonPasswordRE.MatchString(s); got != want {
		t.Errorf("hasJSONPasswordKey(%q) = %v, regexp says %v", s, got, want)
	}
	if got, want := isLogoutPath(s), logoutRE.MatchString(s); got != want {
		t.Errorf("isLogoutPath(%q) = %v, regexp says %v", s, got, want)
	}
	var want [][2]string
	for _, m := range uaProductRE.FindAllStringSubmatch(s, -1) {
		want = append(want, [2]string{m[1], m[2]})
	}
	if got := uaProductVersions(s); !reflect.DeepEqual(got, want) {
		t.Errorf("uaProductVersions(%q) = %q, regexp says %q", s, got, want)
	}
}
