package analysis

// A Rule is one check of the catalogue.
type Rule struct {
	ID string
	// Severity is the default (and, for rules whose severity depends on
	// the cookie, the session-cookie) severity; SeverityNote says when a
	// finding gets another one.
	Severity     Severity
	SeverityNote string
	Title        string
	// Criterion is the exact condition under which the rule fires.
	Criterion   string
	Why         string
	Remediation string
	References  []string

	// What reports the rule, named here so that a rule and its check are
	// found together: lineCheck runs on every Set-Cookie line
	// (cookieRules), then check once per recording (analyzer.run), each
	// kind in the catalogue's order. refusals are the browser's reasons for
	// refusing a line that the rule reports (its line check sees
	// cookieLine.refused); COOKIE-REJECTED reports the reasons no rule
	// claims.
	check     func(*analyzer)
	lineCheck func(*cookieLine)
	refusals  []string
}

// Rule ids.
const (
	RuleCookieSecureMissing     = "COOKIE-SECURE-MISSING"
	RuleCookieHTTPOnlyMissing   = "COOKIE-HTTPONLY-MISSING"
	RuleCookieSameSiteMissing   = "COOKIE-SAMESITE-MISSING"
	RuleCookieSameSiteNone      = "COOKIE-SAMESITE-NONE"
	RuleCookieSameSiteInvalid   = "COOKIE-SAMESITE-INVALID"
	RuleCookieSameSiteNoneInsec = "COOKIE-SAMESITE-NONE-INSECURE"
	RuleCookieDomainLoose       = "COOKIE-DOMAIN-LOOSE"
	RuleCookiePrefixViolation   = "COOKIE-PREFIX-VIOLATION"
	RuleCookieHostPrefixAbsent  = "COOKIE-HOST-PREFIX-ABSENT"
	RuleCookieSessionPersistent = "COOKIE-SESSION-PERSISTENT"
	RuleCookieExpiryCapped      = "COOKIE-EXPIRY-CAPPED"
	RuleCookieSizeExceeded      = "COOKIE-SIZE-EXCEEDED"
	RuleCookieDuplicateSet      = "COOKIE-DUPLICATE-SET"
	RuleCookieOverwriteSecure   = "COOKIE-OVERWRITE-SECURE"
	RuleCookiePartitionedInsec  = "COOKIE-PARTITIONED-INSECURE"
	RuleCookieThirdParty        = "COOKIE-THIRD-PARTY-UNPARTITIONED"
	RuleCookieRejected          = "COOKIE-REJECTED"
	RuleSessIDInURL             = "SESSID-IN-URL"
	RuleSessIDInPage            = "SESSID-IN-PAGE"
	RuleSessIDNameFingerprint   = "SESSID-NAME-FINGERPRINT"
	RuleSessIDLowEntropy        = "SESSID-LOW-ENTROPY"
	RuleSessIDCacheable         = "SESSID-CACHEABLE"
	RuleSessionFixation         = "SESSION-FIXATION"
	RuleSessionNotInvalidated   = "SESSION-NOT-INVALIDATED"
	RuleSessionLogoutIncomplete = "SESSION-LOGOUT-INCOMPLETE"
	RuleSessionReset            = "SESSION-RESET"
	RuleSessionClientSide       = "SESSION-CLIENT-SIDE"
	RuleSessionTokenInStorage   = "SESSION-TOKEN-IN-STORAGE"
	RuleRefreshTokenInStorage   = "REFRESH-TOKEN-IN-STORAGE"
	RuleSessionTokenNotCleared  = "SESSION-TOKEN-NOT-CLEARED"
	RuleSessionTokenNotRevoked  = "SESSION-TOKEN-NOT-REVOKED"
	RuleLoginCookieWithheld     = "LOGIN-COOKIE-WITHHELD"
	RuleMixedSchemeLink         = "MIXED-SCHEME-LINK"
	RuleAuthCleartext           = "AUTH-CLEARTEXT"
	// RulePolicyViolation is reported by package policy, not by Analyze:
	// it is in the catalogue so that every report format knows it.
	RulePolicyViolation = "POLICY-VIOLATION"
)

// Rules is the catalogue of checks; docs/rules.md is generated from it.
var Rules = []Rule{
	{
		ID: RuleCookieSecureMissing, Severity: High, SeverityNote: "high for a session cookie, low for any other cookie",
		lineCheck: checkSecureMissing,
		Title:     "Cookie set over https without Secure",
		Criterion: "A Set-Cookie line that the browser stored (not a deletion) was received on an https response, or on an http response " +
			"from localhost, a .localhost name or a loopback address (secure origins for Chromium, where a Secure cookie is set and sent), " +
			"without the Secure attribute.",
		Why: "Without Secure the browser also sends the cookie over plain http (a typed http:// address, an http link, a request an attacker " +
			"injects), where anyone on the network path can read it. A session ID read off the wire is the account.",
		Remediation: "Add Secure to the cookie, and serve the whole site over https with HSTS.",
		References: []string{"OWASP WSTG-SESS-02 (Testing for Cookies Attributes)", "RFC 6265bis §4.1.2.5 (The Secure Attribute), §8.3 (Clear Text)",
			"OWASP ASVS 4.0 V3.4.1", "ZAP 10011 (Cookie Without Secure Flag)"},
	},
	{
		ID: RuleCookieHTTPOnlyMissing, Severity: Medium, SeverityNote: "medium for a session cookie, info for any other cookie",
		lineCheck:   checkHTTPOnlyMissing,
		Title:       "Cookie without HttpOnly",
		Criterion:   "A Set-Cookie line that the browser stored (not a deletion) without the HttpOnly attribute.",
		Why:         "Any script running in the page, including one injected through XSS, can read the cookie with document.cookie and send the session ID elsewhere.",
		Remediation: "Add HttpOnly to session cookies and to every cookie that page scripts do not need to read.",
		References: []string{"OWASP WSTG-SESS-02", "RFC 6265bis §4.1.2.6 (The HttpOnly Attribute)", "OWASP ASVS 4.0 V3.4.2",
			"ZAP 10010 (Cookie No HttpOnly Flag)"},
	},
	{
		ID: RuleCookieSameSiteMissing, Severity: Low, SeverityNote: "low for a session cookie, info for any other cookie",
		lineCheck: checkSameSiteMissing,
		Title:     "Cookie without SameSite",
		Criterion: "A Set-Cookie line that the browser stored (not a deletion) with no SameSite attribute at all.",
		Why: "Chromium treats a missing SameSite as Lax, but other browsers (and older versions) send such a cookie on cross-site requests: " +
			"whether forged cross-site requests carry the session then depends on the user's browser (CSRF).",
		Remediation: "Set SameSite=Lax (or Strict) explicitly.",
		References: []string{"OWASP WSTG-SESS-02, WSTG-SESS-05 (Cross Site Request Forgery)", "RFC 6265bis §4.1.2.7 (The SameSite Attribute), §8.8 (SameSite Cookies)",
			"OWASP ASVS 4.0 V3.4.3", "ZAP 10054 (Cookie without SameSite Attribute)"},
	},
	{
		ID: RuleCookieSameSiteNone, Severity: Medium, SeverityNote: "medium for a session cookie, info for any other cookie",
		lineCheck:   checkSameSiteNone,
		Title:       "Cookie with SameSite=None",
		Criterion:   "A Set-Cookie line that the browser stored (not a deletion) with SameSite=None (the attribute's name and value in any ASCII case, as browsers compare them).",
		Why:         "The cookie rides on every cross-site request, forged ones included: for a session cookie that leaves CSRF protection entirely to the application.",
		Remediation: "Use SameSite=Lax or Strict for session cookies; keep None for cookies that must work in third-party contexts (with Secure, and Partitioned where possible).",
		References:  []string{"OWASP WSTG-SESS-02, WSTG-SESS-05", "RFC 6265bis §4.1.2.7, §8.8", "ZAP 10054 (Cookie without SameSite Attribute)"},
	},
	{
		ID: RuleCookieSameSiteInvalid, Severity: Low,
		lineCheck:   checkSameSiteInvalid,
		Title:       "Cookie with an invalid SameSite value",
		Criterion:   "A Set-Cookie line (not a deletion) with a SameSite attribute whose value is not Strict, Lax or None (in any ASCII case, as browsers compare them: \"ſtrict\", with U+017F, is none of them), including an empty value.",
		Why:         "Browsers ignore an unknown value and fall back to their default (Lax in Chromium, None in some others): the cookie does not get the protection its author meant.",
		Remediation: "Spell the value Strict, Lax or None.",
		References:  []string{"RFC 6265bis §4.1.2.7 and the user-agent processing of SameSite (§5)", "ZAP 10054 (Cookie without SameSite Attribute)"},
	},
	{
		ID: RuleCookieSameSiteNoneInsec, Severity: Medium, SeverityNote: "medium for a session cookie, low for any other cookie",
		lineCheck: checkSameSiteNoneInsecure, refusals: []string{"SameSiteNoneInsecure"},
		Title:       "SameSite=None without Secure",
		Criterion:   "A Set-Cookie line (not a deletion) with SameSite=None and no Secure attribute, or one the browser refused with SameSiteNoneInsecure.",
		Why:         "Chromium refuses such cookies: the cookie is never stored, so whatever depends on it breaks (for a session cookie, the session never starts).",
		Remediation: "Add Secure, or use SameSite=Lax or Strict.",
		References:  []string{"RFC 6265bis §4.1.2.7, §5 (SameSite=None requires Secure)", "OWASP WSTG-SESS-02"},
	},
	{
		ID: RuleCookieDomainLoose, Severity: Medium,
		lineCheck:    checkDomainLoose,
		SeverityNote: "medium for a session cookie and low for another when Domain names a parent of the host; one level lower (low, info) when Domain names the host itself",
		Title:        "Cookie Domain wider than the host",
		Criterion: "A Set-Cookie line (not a deletion) with a Domain attribute that names a parent domain of the responding host (Domain=example.test " +
			"from www.example.test), or the host itself (which also extends the cookie to every subdomain).",
		Why: "Every subdomain receives the cookie, and any of them (a forgotten staging host, a user-content host, a taken-over subdomain) can read it " +
			"or overwrite it (cookie tossing).",
		Remediation: "Leave Domain out so the cookie is host-only, ideally with the __Host- prefix.",
		References:  []string{"OWASP WSTG-SESS-02", "RFC 6265bis §4.1.2.3 (The Domain Attribute), §8.6 (Weak Integrity)", "ZAP 90033 (Loosely Scoped Cookie)"},
	},
	{
		ID: RuleCookiePrefixViolation, Severity: Medium, SeverityNote: "medium for a session cookie, low for any other cookie",
		lineCheck: checkPrefixViolation, refusals: []string{"InvalidPrefix"},
		Title: "Cookie breaks the rules of its name prefix",
		Criterion: "A Set-Cookie line (not a deletion) named __Secure-… (any case) without Secure or from an insecure origin; named __Host-… without Secure, " +
			"with a Domain attribute, with a Path other than /, or from an insecure origin; or any line the browser refused with InvalidPrefix.",
		Why:         "Browsers refuse such cookies, so the cookie the application relies on is never stored.",
		Remediation: "Give prefixed cookies the attributes their prefix demands (__Host-: Secure; Path=/; no Domain; set over https).",
		References:  []string{"RFC 6265bis §4.1.3 (Cookie Name Prefixes)", "OWASP WSTG-SESS-02"},
	},
	{
		ID: RuleCookieHostPrefixAbsent, Severity: Info,
		lineCheck: checkHostPrefixAbsent,
		Title:     "Session cookie without the __Host- prefix",
		Criterion: "A session-ID cookie that the browser stored (not a deletion) whose name does not start with __Host-.",
		Why: "With __Host- the browser guarantees the cookie is Secure, host-only and Path=/, so no subdomain and no http page can set or shadow it. " +
			"Defence in depth, not a vulnerability by itself.",
		Remediation: "Rename the session cookie __Host-NAME and set it with Secure; Path=/ and no Domain.",
		References:  []string{"RFC 6265bis §4.1.3.2 (The \"__Host-\" Prefix)", "OWASP ASVS 4.0 V3.4.4"},
	},
	{
		ID: RuleCookieSessionPersistent, Severity: High, SeverityNote: "high beyond 7 days, medium beyond 1 day, low beyond 1 hour",
		lineCheck: checkSessionPersistent,
		Title:     "Persistent session ID",
		Criterion: "A session-ID cookie set (not a deletion, not refused) with Max-Age or Expires more than 1 hour after the response.",
		Why: "A persistent session ID survives browser restarts and sits on disk: on a shared or stolen machine the session stays open long after " +
			"the user left.",
		Remediation: "Make session-ID cookies session cookies (no Expires or Max-Age) and enforce idle and absolute timeouts on the server; use a separate remember-me token if needed.",
		References:  []string{"OWASP WSTG-SESS-02, WSTG-SESS-07 (Session Timeout)", "RFC 6265bis §4.1.2.1 (Expires), §4.1.2.2 (Max-Age)", "OWASP ASVS 4.0 V3.3"},
	},
	{
		ID: RuleCookieExpiryCapped, Severity: Low,
		lineCheck:   checkExpiryCapped,
		Title:       "Cookie lifetime beyond 400 days",
		Criterion:   "A Set-Cookie line (not a deletion) whose Max-Age, or else Expires, lies more than 400 days after the response.",
		Why:         "Browsers cap cookie lifetimes at 400 days: the cookie expires earlier than the application expects.",
		Remediation: "Ask for at most 400 days and refresh the cookie when the user comes back.",
		References:  []string{"RFC 6265bis §4.1.2.1, §4.1.2.2 and the user-agent processing of Expires and Max-Age (400-day limit)"},
	},
	{
		ID: RuleCookieSizeExceeded, Severity: Medium, SeverityNote: "medium for a session cookie, low for any other cookie",
		lineCheck: checkSizeExceeded, refusals: []string{"NameValuePairExceedsMaxSize"},
		Title:       "Cookie larger than 4096 bytes",
		Criterion:   "A Set-Cookie line whose name and value together exceed 4096 bytes, or one the browser refused with NameValuePairExceedsMaxSize.",
		Why:         "Browsers refuse the cookie: it is never stored.",
		Remediation: "Keep cookies small: store the data on the server and keep only an ID in the cookie.",
		References:  []string{"RFC 6265bis §6.1 (Limits)"},
	},
	{
		ID: RuleCookieDuplicateSet, Severity: Low,
		lineCheck: checkDuplicateSet,
		Title:     "Same cookie set twice in one response",
		Criterion: "Two or more Set-Cookie lines with the same name in one response.",
		Why: "Only the last line for each identity survives (or, with different Domain or Path, both survive and the server then receives two values): " +
			"which value the application gets depends on header order.",
		Remediation: "Set each cookie at most once per response.",
		References:  []string{"RFC 6265bis §4.1.1 (servers SHOULD NOT include more than one Set-Cookie header field with the same cookie-name in a response)"},
	},
	{
		ID: RuleCookieOverwriteSecure, Severity: Medium, SeverityNote: "medium for a session cookie, low for any other cookie",
		lineCheck: checkOverwriteSecure, refusals: []string{"OverwriteSecure"},
		Title:     "Insecure Set-Cookie tried to overwrite a Secure cookie",
		Criterion: "The browser refused a Set-Cookie line with OverwriteSecure: a cookie without Secure, set over http, would have replaced a Secure cookie of the same name.",
		Why: "The http side of the site issues cookies that its https side owns; for a session cookie it means plain-http pages start sessions of their " +
			"own and users bounce between two sessions.",
		Remediation: "Serve everything over https (redirect http, HSTS) and always set the cookie with Secure.",
		References:  []string{"RFC 6265bis §5 storage model (a non-secure origin cannot overwrite a Secure cookie)", "OWASP WSTG-SESS-02"},
	},
	{
		ID: RuleCookiePartitionedInsec, Severity: Medium, SeverityNote: "medium for a session cookie, low for any other cookie",
		lineCheck: checkPartitionedInsecure,
		Title:     "Partitioned without Secure",
		Criterion: "A Set-Cookie line (not a deletion) with the Partitioned attribute and no Secure attribute.",
		Why: "Chromium refuses a partitioned (CHIPS) cookie without Secure, and its DevTools events give no reason for it (measured with Chromium 156): " +
			"the cookie is never stored, so the embedded service that needs it (a widget's session, an identity provider's frame) does not work.",
		Remediation: "Add Secure (partitioned cookies are for https embeds), with SameSite=None and ideally the __Host- prefix and Path=/.",
		References:  []string{"CHIPS (Cookies Having Independent Partitioned State): Partitioned requires Secure", "RFC 6265bis §4.1.2.5 (The Secure Attribute)"},
	},
	{
		ID: RuleCookieThirdParty, Severity: Medium, SeverityNote: "medium for a session cookie (for a withheld cookie of another site than the scenario's target, also one named like a session ID: an identity provider's session), info for any other cookie",
		lineCheck: checkThirdPartyUnpartitioned, refusals: thirdPartyReasons,
		check: (*analyzer).thirdPartyWithheld,
		Title: "Cookie blocked in a third-party context, not Partitioned",
		Criterion: "The browser refused a Set-Cookie line without Partitioned, or withheld a cookie from a request, as a third-party cookie: " +
			"UserPreferences (its third-party cookie settings, blocked by default in the Chromium sessiontrace drives), ThirdPartyPhaseout, ExcludeThirdPartyPhaseout, " +
			"or (for a withheld cookie) another reason the browser spells with ThirdParty.",
		Why: "Browsers block unpartitioned cookies in cross-site contexts (an iframe from another site, a request from another site's page): a session kept by such a cookie " +
			"(an embedded login, an identity provider's silent renewal in a hidden frame) is lost there, though the same site works when opened on its own.",
		Remediation: "For an embed that needs state per top-level site, set the cookie with Partitioned; Secure; SameSite=None (CHIPS). For state shared across sites, " +
			"ask for it with the Storage Access API, or keep the flow top-level (a redirect or a popup instead of a hidden iframe).",
		References: []string{"CHIPS (Cookies Having Independent Partitioned State)", "The Storage Access API", "RFC 6265bis §4.1.2.7 (The SameSite Attribute)"},
	},
	{
		ID: RuleCookieRejected, Severity: Medium, SeverityNote: "medium for a session cookie, low for any other cookie",
		lineCheck: checkRejected,
		Title:     "Set-Cookie refused by the browser",
		Criterion: "The browser refused a Set-Cookie line for a reason that no more specific rule reports (refusals for SameSiteNoneInsecure, InvalidPrefix, " +
			"NameValuePairExceedsMaxSize, OverwriteSecure and the third-party reasons are reported by COOKIE-SAMESITE-NONE-INSECURE, COOKIE-PREFIX-VIOLATION, COOKIE-SIZE-EXCEEDED, " +
			"COOKIE-OVERWRITE-SECURE and COOKIE-THIRD-PARTY-UNPARTITIONED), e.g. InvalidDomain or DisallowedCharacter. The evidence gives the browser's reasons.",
		Why:         "The cookie never reaches the jar, so what depends on it silently does not work.",
		Remediation: "Fix what the browser's reason names (recording.Reasons explains each one).",
		References:  []string{"RFC 6265bis §5 (User Agent Requirements)", "OWASP WSTG-SESS-02"},
	},
	{
		ID: RuleSessIDInURL, Severity: High, SeverityNote: "high when the value of a session ID is found, medium for a token-named parameter alone",
		check: (*analyzer).sessIDInURL,
		Title: "Session ID in a URL",
		Criterion: "In a request URL, a redirect Location, a Referer, the page URL after a step, or a link, form action or meta refresh of a page: " +
			"the value of a session ID of the journey (a \"[value:FP8]\" marker whose FP8 is the first 8 characters of the ID's fingerprint; or the " +
			"raw value, 8 characters or more, when values are revealed), or a path parameter (;name=) or query parameter named jsessionid, phpsessid, " +
			"sessionid, session_id, sid, sessid, session, token, access_token, auth_token or like a session cookie, with a value of 8 characters or more.",
		Why: "URLs end up in server and proxy logs, browser history, bookmarks, Referer headers sent to other sites and shared links: the ID leaks " +
			"to all of them, and a link can fix a victim's session.",
		Remediation: "Keep session IDs in cookies only and turn URL rewriting off (servlet tracking-mode COOKIE, PHP session.use_only_cookies=1 and use_trans_sid=0).",
		References: []string{"OWASP WSTG-SESS-04 (Exposed Session Variables)", "OWASP ASVS 4.0 V3.1.1", "RFC 6265bis §8.4 (Session Identifiers)",
			"ZAP 3 (Session ID in URL Rewrite)", "ZAP 10024, 10025 (Sensitive Information in URL, in Referrer)"},
	},
	{
		ID: RuleSessIDInPage, Severity: High,
		check:        (*analyzer).sessIDInPage,
		SeverityNote: "high when the value is in the HTML, medium when it is readable by the page's script",
		Title:        "Session ID in the page or readable by script",
		Criterion: "A page of the journey contains the value of a session cookie in its HTML (page facts: cookieValuesInPage); or a session cookie " +
			"without HttpOnly was held while page script on a host it applies to used the cookie APIs (a cookie event of source script).",
		Why: "A value in the page is readable by every script in it and by anything that stores or logs the page; a script that uses document.cookie " +
			"on that host can read a session ID without HttpOnly, and so can an injected one.",
		Remediation: "Never write session IDs into pages; set HttpOnly on the session cookie.",
		References:  []string{"OWASP WSTG-SESS-04", "OWASP ASVS 4.0 V3.2.3", "RFC 6265bis §4.1.2.6 (The HttpOnly Attribute)"},
	},
	{
		ID: RuleSessIDNameFingerprint, Severity: Info,
		check:       (*analyzer).sessIDNames,
		Title:       "Framework default session cookie name",
		Criterion:   "A session cookie's name is a framework default (recording.SessionNames, e.g. JSESSIONID, PHPSESSID, connect.sid) or the Rails-style _APP_session pattern.",
		Why:         "The name tells an attacker which framework runs the site and where to look for its known weaknesses.",
		Remediation: "Give the session cookie a neutral name (e.g. __Host-id).",
		References:  []string{"OWASP WSTG-INFO-08 (Fingerprint Web Application Framework)", "OWASP WSTG-SESS-01 (Session Management Schema)"},
	},
	{
		ID: RuleSessIDLowEntropy, Severity: High,
		check: (*analyzer).sessIDEntropy, // and crossRecordingFindings, across the recordings of a run
		Title: "Session ID with too little entropy",
		Criterion: "An ID whose estimated entropy is below 64 bits: recording.Value.bits, the length times log2 of the alphabet its character classes imply " +
			"(an upper bound: a counter or a timestamp scores high too). When values are revealed (--reveal-values), also the IDs of one cookie " +
			"(in a recording, and across the recordings of a run) that share a prefix of at least 4 characters and a quarter of their length, that are " +
			"integers within 2^20 of each other (a counter), or that contain a Unix time (10 or 13 digits) within a day of the recording (values with a recognised structure, Value.format such as a JWT, are left out: they share a header and carry a time by design). Without " +
			"revealed values only fingerprints and statistics exist: the per-ID estimate, all-digit IDs (called out in the message), and the same " +
			"ID value issued by servers to two separate browser sessions of one run (same fingerprint key).",
		Why:         "Guessable IDs let an attacker take over sessions by trying values.",
		Remediation: "Generate session IDs with a cryptographically secure generator and at least 64 bits of entropy (128 recommended): use the framework's session manager.",
		References: []string{"OWASP WSTG-SESS-01", "OWASP ASVS 4.0 V3.2.2", "RFC 6265bis §8.4 (Session Identifiers)",
			"OWASP Session Management Cheat Sheet (Session ID Entropy)"},
	},
	{
		ID: RuleSessIDCacheable, Severity: Medium,
		check: (*analyzer).sessIDCacheable,
		Title: "Response that sets the session ID may be cached",
		Criterion: "A response with a Set-Cookie for a session cookie (not a deletion) whose recorded headers have no Cache-Control, or a Cache-Control " +
			"without no-store, and that a cache may store (RFC 9111 §3): it has explicit freshness (max-age, s-maxage, public, Expires) or a " +
			"heuristically cacheable status (200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501). A redirect such as a login's 302 or 303 " +
			"without freshness is not stored by any cache. Responses whose headers were not recorded are not judged.",
		Why:         "A shared cache (proxy, CDN) may store the response with its Set-Cookie and hand the same session ID to other users.",
		Remediation: "Send Cache-Control: no-store on every response that sets a session cookie, and on authenticated pages.",
		References: []string{"OWASP WSTG-ATHN-06 (Browser Cache Weaknesses)", "OWASP ASVS 4.0 V8.2.1", "RFC 6265bis §3 (Set-Cookie does not stop caching)",
			"ZAP 10015 (Re-examine Cache-control Directives)"},
	},
	{
		ID: RuleLoginCookieWithheld, Severity: Medium,
		check: (*analyzer).loginCookiesWithheld,
		Title: "Login failed while the browser withheld one of its cookies",
		Criterion: "After a step marked as: login (not skipped), the user was logged out (steps[].auth: out), and during that step the browser withheld from a request " +
			"that the server answered with an error (4xx or 5xx) a cookie that is not a session ID, for a reason other than third-party blocking alone (NotOnPath, DomainMismatch, SameSiteStrict, SameSiteLax, " +
			"SecureOnly, ...). One finding per cookie and login step.",
		Why: "Login flows keep state in cookies besides the session: the OAuth state and nonce, the PKCE verifier, a CSRF token, the page to return to. " +
			"When the browser does not send such a cookie back (a Path or Domain that does not cover the callback, SameSite on the identity provider's " +
			"cross-site return, Secure over http), the callback rejects the login, and no session cookie changes: the user just is not logged in.",
		Remediation: "Scope the flow's cookies to every path and host of the flow (Path=/ and the callback's host); a cookie that must survive the identity " +
			"provider's cross-site redirect or form_post needs SameSite=Lax (redirect) or SameSite=None; Secure (form_post), or keep the state server-side.",
		References: []string{"RFC 6265bis (cookie Path, Domain and SameSite)", "OpenID Connect Core 1.0 §3.1.2.7 (state), §15.5.2 (nonce)", "OWASP ASVS 4.0 V3.5"},
	},
	{
		ID: RuleSessionFixation, Severity: High,
		check: (*analyzer).fixation,
		Title: "Session ID not replaced at login",
		Criterion: "With a login probe (the scenario declares session.probe: after each as: login step the harness replays the cookies held " +
			"before the step to the probe path, steps[].probe with kind login): the probe's loggedIn selector matched, so the pre-login session " +
			"was promoted to the logged-in one, whatever the cookie values did (observed). A probe that did not match refutes it: no finding, even " +
			"when a value stayed the same (the session report's ID says so in its note). Without a probe: a session cookie identity holds the same " +
			"ID when a step marked as: login (or as: privilege) begins and when it ends (inferred from cookie values). A new value at login is " +
			"taken for a rotation then, but when the value is a signed or timestamped envelope (recording Value.format), which changes without a " +
			"new session, the ID's note says the rotation is not proven.",
		Why:         "An attacker who planted the ID (a link, a subdomain cookie, a shared computer) or learned it before login is logged in as the victim afterwards.",
		Remediation: "Issue a new session ID on authentication and on every privilege change (session_regenerate_id(true), request.changeSessionId(), ...) and never adopt IDs the server did not issue.",
		References:  []string{"OWASP WSTG-SESS-03 (Session Fixation)", "OWASP ASVS 4.0 V3.2.1", "ZAP 40013 (Session Fixation, active scan)"},
	},
	{
		ID: RuleSessionNotInvalidated, Severity: High,
		check: (*analyzer).notInvalidated,
		Title: "Session still valid on the server after logout",
		Criterion: "The logout replay probe (recording.probe: the harness replays the cookies held before the as: logout step to the scenario's " +
			"session.probe path after logout) found the probe's loggedIn selector (probe.loggedIn = true).",
		Why:         "Logout only removed the cookie from this browser: anyone who copied the ID (a log, a proxy, malware) stays logged in.",
		Remediation: "Destroy the server-side session at logout (and on timeout); for cookie-held sessions keep a revocation list or short lifetimes.",
		References:  []string{"OWASP WSTG-SESS-06 (Logout Functionality)", "OWASP ASVS 4.0 V3.3.1"},
	},
	{
		ID: RuleSessionLogoutIncomplete, Severity: Medium,
		SeverityNote: "high when a page loaded with the kept ID after the logout showed the user logged in (the scenario's logged-in " +
			"marker, or an expect step that checked one); low when the server showed it had ended the session (the logout probe was not " +
			"logged in, or a response to a request that carried the kept ID replaced or deleted it); medium when nothing tells",
		check: (*analyzer).logoutIncomplete,
		Title: "Session cookie left in the browser at logout",
		Criterion: "After a step marked as: logout that passed, a session cookie that applies to a host the step reached still holds the ID it " +
			"held when the step began (the analysis of the cookie events and the jar: not deleted, not expired, not replaced by a new value), or " +
			"a request of a later step still sends that ID (as in a HAR, where a deletion that missed the cookie shows only in what the browser " +
			"sent). An ID deleted or expired by the logout's responses, or replaced by a new (anonymous) one, is not reported. It needs no probe. " +
			"When the logout replay probe of that step found the pre-logout cookies still logged in, SESSION-NOT-INVALIDATED reports the session " +
			"and its evidence names the kept cookie: the same logout is not reported twice.",
		Why: "The browser keeps presenting the session after the user logged out: on a shared computer the next person continues it if the " +
			"server did not end it, and a server that did end it still leaves a stale ID that frameworks may adopt again.",
		Remediation: "At logout, delete the session cookie (Set-Cookie with the same Name, Domain and Path and Max-Age=0) and destroy the " +
			"session on the server (session_destroy plus setcookie, req.session.destroy plus res.clearCookie, ...); declare session.probe " +
			"to have the server side tested.",
		References: []string{"OWASP WSTG-SESS-06 (Logout Functionality)", "OWASP ASVS 4.0 V3.3.1",
			"RFC 6265 §3.1 (a server removes a cookie with an expiration date in the past)"},
	},
	{
		ID: RuleSessionReset, Severity: Medium,
		// no check: the lifecycle reports each reset (analyzer.report)
		Title: "Unexpected session reset",
		Criterion: "One finding per reset. A reset is what the user lives through: the pages showed the user logged in, then logged out " +
			"(steps[].auth) without a logout step, whether or not a cookie changed (observed); its cause is the first break in the session's " +
			"continuity before it (the ID withheld, expired, deleted, cleared) or the server's behaviour (a new ID or an anonymous answer to the " +
			"ID it got). Where the pages do not tell (no step showed the user logged in before and logged out after), an ID the browser held " +
			"that ended or was replaced outside the expected places (the rotation of a login step, the end at a logout step), including one " +
			"withheld from a request whose response started a new session, is a reset inferred from the cookies. A new value while the user " +
			"stays logged in is no reset (the ID ends reissued). The cause is one of the reset causes below.",
		Why:         "The user is logged out or loses state (a cart, a half-filled form) without asking to.",
		Remediation: "See the cause: each cause below says what to fix.",
		References:  []string{"OWASP WSTG-SESS-07 (Session Timeout)", "Reset causes, below"},
	},
	{
		ID: RuleSessionClientSide, Severity: Info,
		check: (*analyzer).clientSideRule,
		Title: "Session held in the cookie (client-side session)",
		Criterion: "A session cookie whose value is signed session data rather than an ID into a server store, told by structure " +
			"(recording Value.format: a JWT, Flask's itsdangerous payload.timestamp.signature, Django's signed cookies, the Rails cookie store, " +
			"base64 JSON, which cookie-session and koa-session sign in a NAME.sig cookie beside it; a signed pair whose value is opaque is not " +
			"enough: koa signs every cookie, and oidc-provider's _session holds a key into its store), or by behaviour: the logout probe's replay of " +
			"older values (probe.older: the cookies held right after the login step, replayed after logout when a value has changed since) still " +
			"opened the logged-in page although the server had replaced that value while the user was logged in (an opaque encrypted ticket " +
			"with no known format is found this way). When the logout probe found the pre-logout value still logged in, the evidence says so " +
			"and SESSION-NOT-INVALIDATED is raised as well.",
		Why: "The server keeps nothing it could delete: logout only asks the browser to drop the cookie, and any copy of a value (a log, a proxy, " +
			"malware) stays valid until it expires. A new value on every response is normal for such sessions and is no reset.",
		Remediation: "Keep lifetimes short, rotate the signing key when needed, and keep a server-side deny list (or a session version in the " +
			"user record) checked on every request, so that logout and password changes revoke copies; or store the session on the server.",
		References: []string{"OWASP WSTG-SESS-06 (Logout Functionality)", "OWASP Session Management Cheat Sheet (Session ID Content)",
			"RFC 7519 (JSON Web Token)"},
	},
	{
		ID: RuleSessionTokenInStorage, Severity: Medium,
		check: (*analyzer).tokensInStorage,
		Title: "Session token in Web Storage",
		Criterion: "A page of the journey wrote a session token to localStorage or sessionStorage (setItem: recording.storage), or the harness read one " +
			"there after a logout step (steps[].storage). A stored value, or a string field of its JSON object, is a session token when its fingerprint " +
			"equals the credentials of an Authorization header the journey sent (any scheme: the strongest evidence), or when its name (the key, or the " +
			"field's name) reads like a token's and its value looks like one. A name reads like a token's when one of its words (split at punctuation " +
			"and capitals, any case: access_token, accessToken, auth.token) is token, jwt, auth, authorization, bearer, credential, sid, ends in token " +
			"or jwt (idtoken, MSAL's -accesstoken- keys) or starts with sess; never with csrf or xsrf in it, nor when its last word makes it an " +
			"attribute of a token (session_state, token_type, expires_at, auth_time, token_url). A field named secret, value or data (MSAL's secret) " +
			"takes its kind from a credentialType beside it, when values are revealed, or else from the key. A value looks like a token when it is a " +
			"JWT (Value.format), or has at least 16 characters, 64 estimated bits and only the characters of tokens (letters, digits, - _ . ~ + / = %: " +
			"not a JSON document or prose). A JWT under a neutral name that no Authorization header carried is not reported: signed data is not always " +
			"a credential. Names containing refresh are REFRESH-TOKEN-IN-STORAGE's. One finding per area, origin and key, naming the JSON fields, the " +
			"step and script of the first write, and the requests that sent the token as Authorization credentials.",
		Why: "Web Storage has no HttpOnly: every script running in the origin (one injected through XSS, a compromised third-party script) can " +
			"read the token and use it from anywhere until it expires. localStorage also keeps it on disk across browser restarts and shares it with " +
			"every tab of the origin.",
		Remediation: "Keep session tokens in HttpOnly, Secure, SameSite cookies (a backend-for-frontend that holds the OAuth tokens on the server), " +
			"or in memory only (auth0-spa-js's default cacheLocation memory, oidc-client-ts with an InMemoryWebStorage store, MSAL's " +
			"cacheLocation memoryStorage); keep access tokens short-lived, and bind them to the client (DPoP) where the server supports it.",
		References: []string{"OWASP WSTG-CLNT-12 (Testing Browser Storage)", "OWASP ASVS 4.0 V8.2.2 (no sensitive data in browser storage)",
			"OWASP HTML5 Security Cheat Sheet (Local Storage)", "OAuth 2.0 for Browser-Based Applications (IETF draft-ietf-oauth-browser-based-apps)"},
	},
	{
		ID: RuleRefreshTokenInStorage, Severity: High,
		SeverityNote: "high in localStorage, which keeps it on disk across browser restarts for as long as the token lives; medium in sessionStorage, which drops it with the tab",
		check:        (*analyzer).refreshInStorage,
		Title:        "Refresh token in Web Storage",
		Criterion: "As SESSION-TOKEN-IN-STORAGE, for a value or JSON field whose name contains refresh (refresh_token, refreshToken, MSAL's " +
			"-refreshtoken- keys, a credentialType RefreshToken) and whose value looks like a token, or is the credentials of an Authorization header. " +
			"One finding per area, origin and key.",
		Why: "A refresh token mints new access tokens: read by an injected script it keeps the attacker in the account for its whole lifetime " +
			"(days or months), long after the access token and the user's visit expired.",
		Remediation: "Keep refresh tokens out of the browser (a backend-for-frontend), or in memory, with refresh token rotation, reuse detection " +
			"and a short absolute lifetime.",
		References: []string{"RFC 9700 (OAuth 2.0 Security Best Current Practice) §4.14 (Refresh Token Protection)",
			"OAuth 2.0 for Browser-Based Applications (IETF draft-ietf-oauth-browser-based-apps)", "OWASP WSTG-CLNT-12", "OWASP ASVS 4.0 V8.2.2"},
	},
	{
		ID: RuleSessionTokenNotCleared, Severity: Medium,
		check: (*analyzer).tokensNotCleared,
		Title: "Session token left in Web Storage at logout",
		Criterion: "After a step marked as: logout that passed, the Web Storage of an origin the step reached (the hosts of its requests and of its " +
			"page) still holds a session or refresh token (as SESSION-TOKEN-IN-STORAGE and REFRESH-TOKEN-IN-STORAGE tell them), other than a new " +
			"value the logout step wrote itself (an anonymous token). The truth is what the harness read after the step (steps[].storage: the tab's page's origin, both areas). For the " +
			"items it did not read (and when the recording has no read: an empty one is left out of the file like none), the storage at the end of the step is reconstructed from the pages' writes (set, removed and cleared in order, " +
			"from the empty storage of a fresh browser context, emptied again by a restart step; sessionStorage per tab), and the evidence says so: " +
			"a write by property assignment or a delete is not seen. No logout step, no finding. One finding per area, origin and key.",
		Why: "The token outlives the logout in the browser: the next person at a shared computer, or a script injected on a later visit, finds " +
			"it and continues the session if the server did not revoke it.",
		Remediation: "At logout, remove the tokens (removeItem of their keys, or the library's logout: auth0-spa-js logout, oidc-client-ts " +
			"removeUser or signoutRedirect, MSAL logoutRedirect) and revoke them on the server (RFC 7009 token revocation, ending the session behind them).",
		References: []string{"OWASP WSTG-SESS-06 (Logout Functionality)", "OWASP ASVS 4.0 V3.3.1", "OWASP WSTG-CLNT-12",
			"RFC 7009 (OAuth 2.0 Token Revocation)"},
	},
	{
		ID: RuleSessionTokenNotRevoked, Severity: High,
		check: (*analyzer).tokensNotRevoked,
		Title: "Authorization credential still accepted after logout",
		Criterion: "A request of a step after a step marked as: logout that passed (and before the next as: login step) carried Authorization " +
			"credentials with the same fingerprint (any scheme) as a request of that step or an earlier one, and its response was 2xx (not failed); " +
			"or the harness's token probe (tokenProbe: after the logout step, the last GET before it that carried Authorization and was answered 2xx, " +
			"replayed alone) was answered 2xx. " +
			"When a login step comes before the logout, only credentials first sent at or after the first login step count (an API key the page " +
			"sends from the start is no session's). A public endpoint that ignores the header answers 2xx too, so the evidence names the request and counts the " +
			"requests after the logout that carried the credential and were answered 2xx, and 401 or 403 (or gives the probe's answer). One finding per credential.",
		Why: "A logout that only forgets the token in the browser leaves it valid: anyone who copied it (an injected script, a log, a proxy, the " +
			"storage of a shared computer) goes on using the API as the user until it expires.",
		Remediation: "Revoke the tokens at logout (RFC 7009 revocation, or end the session they stand for) and check every request against it; " +
			"keep access tokens short-lived.",
		References: []string{"OWASP WSTG-SESS-06 (Logout Functionality)", "OWASP ASVS 4.0 V3.3.1", "RFC 7009 (OAuth 2.0 Token Revocation)"},
	},
	{
		ID: RuleMixedSchemeLink, Severity: Medium,
		check: (*analyzer).mixedScheme,
		Title: "https page leads to http where the session cookie is Secure",
		Criterion: "An https page whose link, form action or meta refresh (page facts), or an https response whose redirect, leads to an http:// URL on a " +
			"host where a Secure session cookie of the journey applies (loopback hosts excepted: Chromium sends Secure cookies to http://localhost); " +
			"also a top-level navigation from an https page to such a URL observed on a click, submit or press step.",
		Why: "Following it the browser withholds the Secure session cookie: the user is logged out (one http link can log everyone out), and the " +
			"page and any form data travel in cleartext where they can be read and changed.",
		Remediation: "Use https (or relative) URLs, redirect http to https and enable HSTS.",
		References:  []string{"OWASP WSTG-CRYP-03 (Sensitive Information Sent via Unencrypted Channels)", "OWASP WSTG-SESS-02", "ZAP 10042 (HTTPS to HTTP Insecure Transition in Form Post)"},
	},
	{
		ID: RuleAuthCleartext, Severity: High, SeverityNote: "critical when the password is posted to http, high when the form is only shown on an http page",
		check: (*analyzer).authCleartext,
		Title: "Password form over http",
		Criterion: "A page form with a password field whose action resolves to http:// (critical) or that is shown on an http:// page (high), loopback " +
			"hosts excepted; also a POST document request over http during an as: login step (critical).",
		Why:         "The password crosses the network in cleartext, or the page that asks for it can be changed by anyone on the path.",
		Remediation: "Serve login pages and post credentials over https only; redirect http to https and enable HSTS.",
		References: []string{"OWASP WSTG-ATHN-01 (Credentials Transported over an Encrypted Channel)", "OWASP ASVS 4.0 V9.1.1",
			"ZAP 10041, 10042 (Insecure Transition in Form Post)"},
	},
	{
		ID: RulePolicyViolation, Severity: High, SeverityNote: "as the policy file sets it, for the file or per cookie entry (high by default)",
		// no check: package policy reports it
		Title: "Cookie policy violated",
		Criterion: "With run --policy FILE or audit --policy FILE: a clause of the cookie policy (docs/policy.md) is broken by what the recording shows, " +
			"for example a cookie the policy requires to be HttpOnly set without it, or a session ID the policy requires to rotate at login kept. " +
			"The finding names the policy file, the line of the clause and the step where it was broken.",
		Why: "A policy baseline records what a team already got right. A violation is a silent change that the other rules may rate low " +
			"or not see at all (a cookie that became persistent, a SameSite downgrade, a rotation that stopped).",
		Remediation: "Fix the regression, or, if the change is intended, edit the policy file (sessiontrace policy init RUN writes a new baseline from a good run).",
		References:  []string{"docs/policy.md"},
	},
}

// A Cause is why a session reset happened.
type Cause struct {
	ID CauseID
	// When is the exact condition.
	When string
	// Explanation is a sentence for a QA engineer, and what to fix.
	Explanation string
}

// A CauseID names a reset cause ([Cause.ID], [Reset.Cause]).
type CauseID string

const (
	CauseSecureOverHTTP CauseID = "secure-over-http" // the Secure ID was withheld from an http request
	CauseSameSite       CauseID = "samesite"         // the ID was withheld for a SameSite reason
	CauseScopeMismatch  CauseID = "scope-mismatch"   // the ID's Domain or Path did not cover the URL
	CauseSetRejected    CauseID = "set-rejected"     // the browser refused the Set-Cookie of the ID
	CauseNodeSwitch     CauseID = "node-switch"      // a node other than the one that issued the ID answered it
	CauseIdleTimeout    CauseID = "idle-timeout"     // the server forgot the ID after a long idle gap
	CauseServerDropped  CauseID = "server-dropped"   // the server replaced or refused the ID for no reason seen
	CauseServerEnded    CauseID = "server-ended"     // the server deleted the ID outside a logout step
	CauseExpired        CauseID = "expired"          // the ID's own expiry passed in the browser
	CauseClientCleared  CauseID = "client-cleared"   // something on the client removed the ID
	CauseBrowserRestart CauseID = "browser-restart"  // a restart step dropped the session cookie
	CauseStorageCleared CauseID = "storage-cleared"  // the page's script removed the session token from Web Storage
	CauseStorageTab     CauseID = "storage-per-tab"  // the token was in another tab's sessionStorage
)

// Causes lists the reset causes; a reset has exactly one.
var Causes = []Cause{
	{CauseSecureOverHTTP,
		"The ID was withheld with SecureOnly from an http request whose response started a new session (a new Set-Cookie of that name, even one the browser then refused), or after which a page showed the user logged out with no new cookie at all (express-session and many servers set none over http); the evidence names the link, form, redirect or step that led there.",
		"The cookie is Secure, so the browser does not send it over plain http: a page reached over http sees no session. Link with https and redirect http to https."},
	{CauseSameSite,
		"The ID was withheld for a SameSite reason (SameSiteStrict, SameSiteLax, SameSiteUnspecifiedTreatedAsLax or their Schemeful variants; also third-party blocking) and the response started a new session, or a page then showed the user logged out.",
		"The cookie's SameSite setting kept it off a cross-site request (a POST back from an identity provider, a link from another site). Use Lax, or keep the state the flow needs elsewhere."},
	{CauseScopeMismatch,
		"The ID was withheld for DomainMismatch, NotOnPath, PortMismatch, SchemeMismatch (or another scope reason) and the response started a new session, or a page then showed the user logged out.",
		"The cookie's Domain or Path does not cover the URL the user went to, so the server there sees no session. Widen the scope deliberately or keep users on one host and path."},
	{CauseSetRejected,
		"The browser refused the Set-Cookie that would have replaced or created the ID (not as part of a withheld reset); the stale ID the browser keeps sending is not reported again.",
		"The browser threw the new session cookie away (see the reason: SameSite=None without Secure, a bad Domain, a broken prefix, too large), so the server's session never reached the user."},
	{CauseNodeSwitch,
		"The ID was sent, the server answered with a new one (or, the user having been logged in, with a logged-out page), and the serving node (Request.node) differs from the node that issued the ID.",
		"The load balancer sent the user to another server, which does not know sessions created on the first: share sessions between nodes (a common store) or use sticky sessions."},
	{CauseIdleTimeout,
		"The ID was sent and the server answered with a new one, or with a logged-out page (401, 440 or a redirect to a login page) and no new one, after the journey's long idle gap: at least 1 s since the ID was last used, after a wait step or at least 5 times the median gap between requests, and at least half the longest gap; same node.",
		"The user was inactive longer than the server's idle timeout and the server forgot the session. Check the timeout against real usage, or warn users before it runs out."},
	{CauseServerDropped,
		"The ID was sent and the server replaced it with a new one outside an expected rotation (and not while the user stayed logged in), or answered it with a page that showed the logged-in user logged out, and none of node-switch, idle-timeout or set-rejected applies.",
		"The server no longer knew an ID it had issued shortly before: a restart, a cache eviction, a bug in session storage or a proxy stripping the cookie."},
	{CauseServerEnded,
		"The server deleted the ID (a Set-Cookie with Max-Age<=0 or a past Expires) at a step not marked as: logout (nor, for the ID held when it began, as: login).",
		"The application itself reset the session (an error handler, a role change done wrong) although the user did not log out."},
	{CauseExpired,
		"The cookie left the jar because its own expiry (Expires or Max-Age) passed in the browser.",
		"The cookie's lifetime is shorter than the user's visit; make the ID a session cookie or renew it while the user is active."},
	{CauseClientCleared,
		"The ID left the jar (or was overwritten) with no Set-Cookie from the server and before its expiry: page script, a clearCookies step, or an unexplained change.",
		"Something on the client removed the session: a script (its location is in the evidence), the user clearing storage, or the test itself."},
	{CauseBrowserRestart,
		"A session cookie (no Expires or Max-Age) was dropped by a restart step.",
		"Session cookies end with the browser: the user is logged out after a restart, which is expected unless the product promises otherwise (then use a remember-me token)."},
	{CauseStorageCleared,
		"A session token kept in Web Storage (TokenReport) was removed by the page's script (removeItem, clear, or a setItem of its item without it: recording.storage) at a step not marked as: logout, after which a page showed the user logged out; no session cookie explains the logout.",
		"The app threw its own session away: an error handler or a start-up check that clears storage, a logout routine run by mistake. The evidence names the script and the page."},
	{CauseStorageTab,
		"The session token was in the sessionStorage of one window (the tab, or a popup) and a page of another window, whose own sessionStorage never held it, showed the user logged out (steps[].target names the window a step ran in).",
		"sessionStorage belongs to one tab: a link opened in a new tab (target=_blank implies noopener) or a window opened with noopener starts without it, so the user must log in again there. Keep the session where every tab sees it (an HttpOnly cookie, or localStorage with its risks), or hand it over explicitly."},
}

var (
	ruleByID  = map[string]*Rule{}
	causeByID = map[CauseID]*Cause{}
	// The catalogue's checks of each kind, in its order: a Set-Cookie
	// line goes through its line checks, not the whole catalogue.
	lineChecks      []*Rule
	recordingChecks []func(*analyzer)
)

func init() {
	for i := range Rules {
		r := &Rules[i]
		ruleByID[r.ID] = r
		if r.lineCheck != nil {
			lineChecks = append(lineChecks, r)
		}
		if r.check != nil {
			recordingChecks = append(recordingChecks, r.check)
		}
	}
	for i := range Causes {
		causeByID[Causes[i].ID] = &Causes[i]
	}
}

// RuleByID returns the rule with the id, or nil.
func RuleByID(id string) *Rule { return ruleByID[id] }

// CauseByID returns the reset cause with the id, or nil.
func CauseByID(id CauseID) *Cause { return causeByID[id] }
