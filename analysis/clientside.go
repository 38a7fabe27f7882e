package analysis

import (
	"fmt"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// sigSuffix names the signature cookie of a keygrip pair (cookie-session,
// koa-session): "session" holds the data, "session.sig" its signature.
const sigSuffix = ".sig"

// sigOf reports whether name is the signature half of a pair whose data
// cookie the recording also names.
func (a *analyzer) sigOf(name string) bool {
	base, ok := strings.CutSuffix(name, sigSuffix)
	if !ok || base == "" {
		return false
	}
	_, has := a.nameIdx[base]
	return has
}

// clientSide says why the track's session is taken to live in the cookie
// itself, or "": a signature cookie beside it (a keygrip pair), values
// whose structure is signed session data (a JWT, Flask's itsdangerous,
// Django's signed cookies, the Rails cookie store), or its behaviour: a
// value the server had replaced while the user was logged in still opened
// the logged-in page after logout. Only the shape is used; no payload is
// decoded into the report.
func (a *analyzer) clientSide(t *track) string {
	// A signature cookie beside it says the value is signed, not what it
	// holds: koa signs every cookie it sets (oidc-provider's _session and
	// _session.sig hold a key into its store), and koa-session with a
	// store keeps an ID there. The data itself must be session data.
	_, pair := a.nameIdx[t.key.name+sigSuffix]
	for _, id := range t.ids {
		if f := id.value.Format; recording.ClientSideFormat(f) {
			if pair {
				return fmt.Sprintf("a signed pair: %s holds the session data (a %s) and %s%s its signature (cookie-session, koa-session)", t.key.name, formatName(f), t.key.name, sigSuffix)
			}
			return fmt.Sprintf("its value is a %s: signed session data, not an ID into a server store", formatName(f))
		}
	}
	if o := a.olderStillLoggedIn(); o != nil {
		if held := t.atEnd[o.Step]; held != nil && (held.out.Ended == EndReplaced || held.out.Ended == EndReissued) {
			return fmt.Sprintf("by behaviour: the value it held after the login step %d, which the server later replaced, still opened the logged-in page after logout (the logout probe's replay of older values): the server keeps nothing to revoke a value by, or does not revoke the IDs it replaces", o.Step)
		}
	}
	return ""
}

// olderStillLoggedIn returns the logout probe's replay of older values
// when it found the logged-in page.
func (a *analyzer) olderStillLoggedIn() *recording.OlderProbe {
	if p := a.r.Probe; p != nil && p.Older != nil && p.Older.LoggedIn && p.Older.Error == "" {
		return p.Older
	}
	return nil
}

func formatName(f recording.Format) string {
	switch f {
	case recording.FormatJWT:
		return "JWT"
	case recording.FormatItsdangerous:
		return "signed itsdangerous payload (Flask)"
	case recording.FormatDjangoSigned:
		return "Django signed payload"
	case recording.FormatRails:
		return "Rails cookie-store payload"
	case recording.FormatBase64JSON:
		return "base64 JSON payload"
	case recording.FormatSecurecookie:
		return "signed, timestamped securecookie envelope"
	case recording.FormatLaravel:
		return "Laravel encrypted envelope"
	case recording.FormatExpressSigned:
		return "signed express-session ID"
	}
	return "signed value"
}

// clientSideRule reports each session that lives in its cookie: logout
// cannot revoke a copy of it. When the logout probe showed an old value
// still logged in, the finding says so and points at SESSION-NOT-INVALIDATED.
func (a *analyzer) clientSideRule() {
	for _, t := range a.tracks {
		if t.clientSide == "" {
			continue
		}
		ev := t.clientSide
		msg := fmt.Sprintf("%s holds the session itself (%s): the server keeps nothing to delete, so logout cannot revoke a copied value unless the server keeps a deny list or short lifetimes; every new value of it is the same session re-signed (reissued), not a new one.",
			t.key.name, t.clientSide)
		if p := a.r.Probe; p != nil && p.LoggedIn {
			ev += fmt.Sprintf("; confirmed by the logout probe: the pre-logout cookies replayed on %s were still logged in (SESSION-NOT-INVALIDATED)", p.URL)
		}
		a.findings.add(Finding{Rule: RuleSessionClientSide, Severity: Info, Step: firstStep(t), Cookie: t.key.name, Domain: t.key.domain, Path: t.key.path,
			Message: msg, Evidence: ev}, "")
	}
}
