package analysis

import (
	"fmt"
	"strings"
)

// RulesMarkdown renders the catalogue ([Rules] and [Causes]) as the
// Markdown of docs/rules.md. A test keeps the file equal to it.
func RulesMarkdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	rulesIntro(w)
	rulesSection(w)
	causesSection(w)
	reportSection(w)
	return b.String()
}

// A mdWriter writes formatted Markdown.
type mdWriter func(format string, args ...any)

// rulesIntro is the page's title and how findings are made.
func rulesIntro(w mdWriter) {
	w("# Rules and reset causes\n\n")
	w("<!-- Generated from analysis.Rules and analysis.Causes (analysis/rules.go).\n")
	w("     Regenerate with: go test ./analysis -run TestRulesDoc -update -->\n\n")
	w("`sessiontrace audit` (and `run`, after the suite) reads recordings and reports two things: **findings**,\n")
	w("each from one rule below, and **session lifecycles** with their **resets**, each with one cause below.\n")
	w("Everything is computed from the recording alone (package `analysis`), in the CLI and in the inspector.\n\n")
	w("## How findings are made\n\n")
	w("- **Severities**: `critical`, `high`, `medium`, `low`, `info`. `--fail-on SEVERITY` fails the run on a finding\n")
	w("  of that severity or worse. A rule has a default severity; where the severity depends on the cookie or the\n")
	w("  evidence, the rule says so.\n")
	w("- **Session cookies**: a cookie is a session ID when the scenario declares it (`session.cookies`; then only\n")
	w("  the declared names are), by name (`recording.IsSessionName`: framework defaults such as `PHPSESSID`,\n")
	w("  `JSESSIONID`, `connect.sid`, the `_*_session` pattern, any name containing `sess`; a prefix `__Host-` or\n")
	w("  `__Secure-` is ignored), or by behaviour (values of at least %d estimated bits that the server sets, the\n", MinSessionBits)
	w("  browser returns and the server replaces at a login step; in a scenario without a login step, at least two\n")
	w("  such values), or by structure (values the server issues and the browser returns that are signed session data:\n")
	w("  a JWT, an itsdangerous or Django signed payload, the Rails cookie store; see `Value.format`). The signature\n")
	w("  cookie of a pair (`NAME.sig` beside `NAME`: cookie-session, koa-session) is half of that session, not an ID of\n")
	w("  its own. A name that only ever held one short, low-entropy value (under %d characters or %d bits: `1`,\n", lowValueLen, lowValueBits)
	w("  `en`, `dark`) is not a session ID, and names containing `csrf` or `xsrf` are never taken for one. The\n")
	w("  session summary gives the reason for each detection.\n")
	w("- **Session tokens outside cookies**: single-page apps keep tokens in Web Storage and send them in an\n")
	w("  `Authorization` header. The recording has the pages' writes to `localStorage` and `sessionStorage` (`storage`),\n")
	w("  what the page held after an `as: logout` step (`steps[].storage`) and each request's `Authorization` credentials,\n")
	w("  all fingerprinted. A stored value, or a string field of its JSON, is a session token when it is the credentials\n")
	w("  of an `Authorization` header the journey sent, or when its name reads like a token's and its value looks like one\n")
	w("  (`SESSION-TOKEN-IN-STORAGE` says exactly how); the `SESSION-TOKEN-*` and `REFRESH-TOKEN-IN-STORAGE` findings\n")
	w("  name the item (`storageArea`, `storageOrigin`, `storageKey`, `storageField`) where cookie findings name a cookie.\n")
	w("- **Cookie values** are fingerprints with length, character classes and an entropy estimate; raw values are\n")
	w("  used only in recordings made with `--reveal-values`. Text in recordings has known cookie values replaced by\n")
	w("  `[value:FP8]` (the first 8 characters of the value's fingerprint), which the URL checks match against IDs.\n")
	w("- **Deletion cookies** (`Max-Age<=0` or an `Expires` in the past) are never flagged for missing attributes.\n")
	w("- **Localhost**: `localhost`, `*.localhost`, `127.0.0.1` and `::1` are secure origins for Chromium: Secure\n")
	w("  cookies are set and sent over `http://` there. Messages say so where it matters, and links to `http://localhost`\n")
	w("  are not mixed-scheme links.\n")
	w("- **One finding per rule, scenario and cookie identity** (name, domain, path; for Web Storage: area, origin and\n")
	w("  key; for `SESSION-TOKEN-NOT-REVOKED`: the credential): later occurrences are counted\n")
	w("  (`count`, and the evidence lists their steps); the finding keeps the earliest occurrence of its worst severity.\n")
	w("  `SESSION-RESET` is the exception: one finding per reset.\n\n")
}

// rulesSection is the table of rules, then each rule.
func rulesSection(w mdWriter) {
	w("| id | severity | checks |\n| --- | --- | --- |\n")
	for _, r := range Rules {
		w("| [`%s`](#%s) | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Severity, r.Title)
	}
	w("\n## Rules\n")
	for _, r := range Rules {
		w("\n### %s\n\n", r.ID)
		w("%s.\n\n", r.Title)
		sev := string(r.Severity)
		if r.SeverityNote != "" {
			sev += " (" + r.SeverityNote + ")"
		}
		w("- **Severity**: %s\n", sev)
		w("- **Criterion**: %s\n", r.Criterion)
		w("- **Why**: %s\n", r.Why)
		w("- **Remediation**: %s\n", r.Remediation)
		w("- **References**: %s\n", strings.Join(r.References, "; "))
	}
}

// causesSection is what a reset is, the table of causes, then each cause.
func causesSection(w mdWriter) {
	w("\n## Reset causes\n\n")
	w("A **reset** is the user losing the session without asking to. The truth is what the pages showed: every step that\n")
	w("loaded a page or sent a request has a logged-in state (`steps[].auth` of the recording: `in`, `out` or `unknown`, with\n")
	w("its evidence: the scenario's markers `session.probe.loggedIn` and `session.loggedOut` evaluated in the page, an\n")
	w("expectation that checked a marker, or heuristics: a 401/403, a redirect to the page that held the login form, a page\n")
	w("with a password field, the `as: login`/`as: logout` marks). The cookie trail explains why the state changed:\n\n")
	w("- **Observed**: the user was logged in, then a page showed them logged out, without an `as: logout` step in between.\n")
	w("  The cause is the first thing that broke the session's continuity between the two (the ID withheld, expired, deleted\n")
	w("  or cleared, a new ID from the server), or, when the ID kept being sent and no new one came, the server's behaviour\n")
	w("  (another node, an idle gap, a server that no longer knew it). This holds whether or not a new ID appeared: a server\n")
	w("  that answers a missing ID with an anonymous page and no Set-Cookie (express-session over http, Java containers)\n")
	w("  resets the session just the same. `observedStep` is the step whose page showed it; `step` is where the session broke.\n")
	w("- **Inferred**: where the pages do not tell (the user was not seen logged in before and logged out after), an ID the\n")
	w("  browser held that ends, or is replaced by a new one, anywhere other than where the journey expects it.\n\n")
	w("What is not a reset: the first replacement (or deletion by the server) of the ID held when an `as: login` or\n")
	w("`as: privilege` step begins (the expected rotation); any end at or after an `as: logout` step; a new ID issued when the\n")
	w("browser held none (a fresh session), and the journey after a logout; a Set-Cookie with the value already held (sliding\n")
	w("expiry); IDs the scenario itself sets (`setCookie`). And a **new value while the user stays logged in** (seen logged in\n")
	w("before and after it, or at the end of the login step that issued it): the ID ends `reissued`, not `replaced`. Client-side\n")
	w("sessions (Flask, the Rails cookie store, cookie-session, JWT cookies) re-sign their cookie whenever the session changes,\n")
	w("and some frameworks rotate the ID on every response. When no page showed the logged-in state at all, a new value of a\n")
	w("cookie whose format changes without a new session (a signed, timestamped or encrypted value: `Value.format`) is taken\n")
	w("as reissued too. An ID withheld by the browser from a request whose response starts a new session is a reset even at a\n")
	w("login step (the server never saw the old session, so nothing was rotated).\n\n")
	w("Each reset has exactly one cause, a basis (`observed` or `inferred`), evidence (the request, the reasons, the nodes, the\n")
	w("idle time, the link that led there), a one-sentence explanation (`detail`) and a plain sentence for a bug report\n")
	w("(`summary`, e.g. \"At step 6 the user was logged out: the browser did not send connect.sid to http://shop.example/account\n")
	w("because the cookie is Secure and the request was plain http.\"), and adds one `SESSION-RESET` finding.\n\n")
	w("Each session also lists its **continuity** gaps: the pages, fetches and XHRs the cookie applied to that did not carry\n")
	w("the ID, and why (`withheld` with the browser's reasons, `expired`, `deleted`, `cleared`, `rejected`); every other such\n")
	w("request carried it (the ID's `sent` list).\n\n")
	w("| cause | in short |\n| --- | --- |\n")
	for _, c := range Causes {
		w("| [`%s`](#%s) | %s |\n", c.ID, c.ID, c.Explanation)
	}
	for _, c := range Causes {
		w("\n### %s\n\n", c.ID)
		w("- **When**: %s\n", c.When)
		w("- **Explanation**: %s\n", c.Explanation)
	}
}

// reportSection points to the JSON report's own page.
func reportSection(w mdWriter) {
	w("\n## The report (`audit --format json`)\n\n")
	w("`sessiontrace audit --format json` prints the findings and resets above as JSON (Go: `analysis.Report`), with\n")
	w("`\"schema\": \"sessiontrace.audit/v1\"`; `run` writes the same as `findings.json`. Every field, and an example:\n")
	w("[audit-json.md](audit-json.md).\n")
}
