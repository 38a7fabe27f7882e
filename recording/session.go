package recording

import (
	"slices"
	"strings"
)

// SessionNames are cookie names that frameworks use for their session ID
// by default. A trailing "*" matches any suffix.
var SessionNames = []string{
	"PHPSESSID", "JSESSIONID", "ASP.NET_SessionId", "ASPSESSIONID*", "CFID", "CFTOKEN",
	"SITESERVER", "sid", "sessid", "sessionid", "session", "connect.sid", "laravel_session",
	"rack.session", "ci_session", "ZENID",
}

// IsSessionName reports whether a cookie name looks like a session ID's
// by name alone, and which rule matched: a framework default, the
// `_*_session` pattern (Rails and friends) or any name containing "sess".
// A __Host- or __Secure- prefix is ignored.
func IsSessionName(name string) (bool, string) {
	n := strings.TrimPrefix(strings.TrimPrefix(name, "__Host-"), "__Secure-")
	for _, s := range SessionNames {
		if p, ok := strings.CutSuffix(s, "*"); ok {
			if strings.HasPrefix(strings.ToUpper(n), strings.ToUpper(p)) {
				return true, "framework default name " + s
			}
		} else if strings.EqualFold(n, s) {
			return true, "framework default name " + s
		}
	}
	if strings.HasPrefix(n, "_") && strings.HasSuffix(n, "_session") && len(n) > len("__session") {
		return true, "name matches _*_session"
	}
	if strings.Contains(strings.ToLower(n), "sess") {
		return true, "name contains \"sess\""
	}
	return false, ""
}

// IsSessionCookie reports whether the cookie name is a session ID's for a
// scenario that declared the names declared: one of them when it declared
// any, else a name that IsSessionName recognises.
func IsSessionCookie(name string, declared []string) bool {
	if len(declared) > 0 {
		return slices.Contains(declared, name)
	}
	ok, _ := IsSessionName(name)
	return ok
}
