package recording

import "strings"

// SplitAuthorization splits an Authorization header into its scheme and
// its credentials ("Bearer abc" → "Bearer", "abc"). A header of one word
// is credentials without a scheme: some APIs take the bare token.
func SplitAuthorization(h string) (scheme, credentials string) {
	h = strings.TrimSpace(h)
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok {
		return "", h
	}
	return scheme, strings.TrimSpace(cred)
}
