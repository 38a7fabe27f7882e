package recording

// Reasons maps the browser's cookie blocked and exclusion reasons (Chromium's
// DevTools protocol spelling) to a one-line explanation. Recordings keep
// reasons as the browser spelled them, so a reason missing here is still
// recorded; it is only unexplained.
var Reasons = map[string]string{
	"SecureOnly":                      "the cookie is Secure and the request is not over https",
	"NotOnPath":                       "the request path is outside the cookie's Path",
	"DomainMismatch":                  "the request host does not match the cookie's domain",
	"SameSiteStrict":                  "SameSite=Strict and the request is cross-site",
	"SameSiteLax":                     "SameSite=Lax and the request is a cross-site subresource or POST",
	"SameSiteUnspecifiedTreatedAsLax": "no SameSite (treated as Lax) and the request is cross-site",
	"SameSiteNoneInsecure":            "SameSite=None requires Secure",
	// Chromium reports the Schemeful variants whenever schemeful same-site
	// is on, also for a plain cross-site request between two https sites.
	"SchemefulSameSiteStrict":                  "SameSite=Strict and the request is cross-site (the scheme counts: http and https are different sites)",
	"SchemefulSameSiteLax":                     "SameSite=Lax and the request is a cross-site subresource or POST (the scheme counts)",
	"SchemefulSameSiteUnspecifiedTreatedAsLax": "no SameSite (treated as Lax) and the request is cross-site (the scheme counts)",
	"UserPreferences":                          "blocked by the browser's third-party cookie settings",
	"ThirdPartyPhaseout":                       "third-party cookies are being phased out",
	"UnknownError":                             "the browser gave no reason",
	"SchemeMismatch":                           "the cookie was set over a different scheme",
	"PortMismatch":                             "the cookie was set for a different port",
	"NameValuePairExceedsMaxSize":              "name and value together exceed 4096 bytes",
	"SyntaxError":                              "the Set-Cookie line is not valid",
	"SchemeNotSupported":                       "cookies are not supported on this URL scheme",
	"OverwriteSecure":                          "a non-Secure cookie cannot overwrite a Secure one",
	"InvalidDomain":                            "the Domain attribute does not cover the host that set it",
	"InvalidPrefix":                            "the cookie breaks the rules of its __Host- or __Secure- prefix",
	"NoCookieContent":                          "the line has no name and no value",
	"DisallowedCharacter":                      "the line contains a character cookies may not hold",
	"AnonymousContext":                         "cookies are not used in this anonymous context",
	"EnterprisePolicy":                         "blocked by an enterprise policy",
	"UserSetting":                              "blocked by the user's settings",
	"TopLevelStorageAccess":                    "allowed by top-level storage access",
	"StorageAccess":                            "allowed by the storage access API",
	"SameSiteNoneCookiesInSandbox":             "SameSite=None cookies are blocked in sandboxed frames",
	"ExcludeSameSiteUnspecifiedTreatedAsLax":   "no SameSite (treated as Lax) and the context is cross-site",
	"ExcludeSameSiteNoneInsecure":              "SameSite=None requires Secure",
	"ExcludeSameSiteLax":                       "SameSite=Lax and the context is cross-site",
	"ExcludeSameSiteStrict":                    "SameSite=Strict and the context is cross-site",
	"ExcludeDomainNonASCII":                    "the domain has non-ASCII characters",
	"ExcludeThirdPartyPhaseout":                "third-party cookies are being phased out",
	"ExcludePortMismatch":                      "the cookie was set for a different port",
	"ExcludeSchemeMismatch":                    "the cookie was set over a different scheme",
}

// ReasonText explains a browser reason, or says it is unknown.
func ReasonText(r string) string {
	if t, ok := Reasons[r]; ok {
		return t
	}
	return "a reason this version of sessiontrace does not know (kept as the browser reported it)"
}
