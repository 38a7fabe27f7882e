package analysis

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// Session tokens outside cookies: what single-page apps keep in Web
// Storage and send in an Authorization header. The recording holds the
// pages' writes to Web Storage (recording.storage), what the page held
// after a logout step (steps[].storage) and each request's Authorization
// credentials, all fingerprinted: a token is told by its fingerprint, its
// name and its shape, never by its content.

// minTokenLen is the shortest value taken for a token by its shape.
const minTokenLen = 16

// A nameClass is what a storage key or JSON field name says of its value.
type nameClass struct {
	token   bool   // it names a token
	refresh bool   // a refresh token
	holder  bool   // a generic holder ("secret", "value"): the key, or a credentialType beside it, says what it holds
	label   string // what it names, for messages: "an access token", ...
	by      string // what said so, for the evidence: `the name "access_token"`
}

// tokenWords are the words of a name that name a token: whole words
// (auth, not authority or auth0), besides any word ending in token or jwt
// (accessToken, MSAL's "-accesstoken-" keys) or starting with sess.
var tokenWords = map[string]bool{
	"token": true, "tokens": true, "jwt": true, "auth": true, "authorization": true, "bearer": true,
	"credential": true, "credentials": true, "sid": true,
}

// notTokenLast are last words that make a name one of a token's
// attributes, not the token: session_state (OIDC), token_type,
// expires_at, auth_time, token_url.
var notTokenLast = map[string]bool{
	"state": true, "type": true, "expiry": true, "expires": true, "expiration": true, "exp": true, "at": true, "in": true,
	"on": true, "time": true, "timestamp": true, "date": true, "scope": true, "scopes": true, "url": true, "uri": true,
	"endpoint": true, "count": true, "hint": true, "status": true,
}

// holderWords are field names that hold a value whose kind their
// neighbours say: MSAL keeps every credential's token in "secret", with
// its kind in the key ("…-refreshtoken-…") and in credentialType.
var holderWords = map[string]bool{"secret": true, "value": true, "val": true, "data": true}

// classifyName reads a key or field name: its words (nameWords) in any
// spelling, so access_token, accessToken and auth.token read alike.
func classifyName(name string) nameClass {
	words := nameWords(name)
	c := nameClass{holder: len(words) == 1 && holderWords[words[0]]}
	if len(words) == 0 || notTokenLast[words[len(words)-1]] {
		return c
	}
	id, access := false, false
	for i, w := range words {
		if strings.Contains(w, "csrf") || strings.Contains(w, "xsrf") {
			return nameClass{}
		}
		switch {
		case strings.Contains(w, "refresh"):
			c.refresh = true
		case tokenWords[w], strings.HasSuffix(w, "token"), strings.HasSuffix(w, "jwt"), strings.HasPrefix(w, "sess"):
			c.token = true
		}
		id = id || w == "idtoken" || w == "id" && i+1 < len(words) && words[i+1] == "token"
		access = access || strings.HasPrefix(w, "access")
	}
	c.token = c.token || c.refresh
	if c.token {
		c.label, c.by = labelOf(c.refresh, id, access), fmt.Sprintf("the name %q", name)
	}
	return c
}

func labelOf(refresh, id, access bool) string {
	switch {
	case refresh:
		return "a refresh token"
	case id:
		return "an ID token"
	case access:
		return "an access token"
	}
	return "a session token"
}

// nameWords splits a name into lower-case words: at every byte that is
// not an ASCII letter or digit, and where a capital starts a word
// (accessToken, IDToken, auth0Client).
func nameWords(name string) []string {
	var words []string
	start := -1
	for i := 0; i <= len(name); i++ {
		c := byte(0)
		if i < len(name) {
			c = name[i]
		}
		if !isAlnum(c) {
			if start >= 0 {
				words = append(words, strings.ToLower(name[start:i]))
				start = -1
			}
			continue
		}
		if start >= 0 && isUpper(c) {
			if p := name[i-1]; !isUpper(p) || i+1 < len(name) && isLower(name[i+1]) {
				words = append(words, strings.ToLower(name[start:i]))
				start = i
			}
		}
		if start < 0 {
			start = i
		}
	}
	return words
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isAlnum(c byte) bool { return isUpper(c) || isLower(c) || c >= '0' && c <= '9' }

// tokenShaped reports whether a value looks like a token: a JWT, or at
// least minTokenLen characters and MinSessionBits estimated bits in the
// alphabets of tokens (letters, digits, - _ . ~ + / = %). Any other
// character (a quote, a brace, a space) makes a JSON document or prose.
func tokenShaped(v recording.Value) bool {
	if v.Format == recording.FormatJWT {
		return true
	}
	return v.Len >= minTokenLen && v.Bits >= MinSessionBits && !slices.Contains(v.Classes, "other")
}

func shapeText(v recording.Value) string {
	if v.Format == recording.FormatJWT {
		return "a JWT"
	}
	return fmt.Sprintf("%d characters, about %.0f bits", v.Len, v.Bits)
}

// A bearerUse is a credential of the journey's Authorization headers.
type bearerUse struct {
	scheme    string
	value     recording.Value
	n         int // requests that sent it
	firstStep int
}

func (u *bearerUse) schemeText() string {
	if u.scheme == "" {
		return "Authorization"
	}
	return "Authorization: " + u.scheme
}

// A tokenHit is a token in one Web Storage value: the value itself, or a
// field of its JSON.
type tokenHit struct {
	field  string // "" for the value itself
	class  nameClass
	value  recording.Value
	bearer *bearerUse // the Authorization credential it is; nil when no request sent it
}

// better reports whether h says more than o of the item they were both
// found in: a credential sent as Authorization beats one that was not,
// then an access token a session token, and that an ID token.
func (h tokenHit) better(o tokenHit) bool {
	if (h.bearer != nil) != (o.bearer != nil) {
		return h.bearer != nil
	}
	return h.rank() > o.rank()
}

func (h tokenHit) rank() int {
	switch h.label() {
	case "an access token":
		return 2
	case "an ID token":
		return 0
	}
	return 1
}

func (h tokenHit) label() string {
	if h.class.token {
		return h.class.label
	}
	return "a bearer credential"
}

// how says how the token was told, for the evidence.
func (h tokenHit) how() string {
	if h.bearer != nil {
		what := "its value"
		if h.field != "" {
			what = "the value of its field " + h.field
		}
		return fmt.Sprintf("%s was sent as %s credentials in %d %s (the strongest evidence that it is a session token)",
			what, h.bearer.schemeText(), h.bearer.n, plural(h.bearer.n, "request", "requests"))
	}
	return fmt.Sprintf("told by %s and its shape (%s); no request sent it as an Authorization header", h.class.by, shapeText(h.value))
}

// A storedToken is a Web Storage item (area, origin, key) that held
// session tokens, or refresh tokens, over the journey.
type storedToken struct {
	area        recording.StorageArea
	origin, key string
	refresh     bool
	best        tokenHit                // the first one sent as Authorization, else the first
	fields      []string                // the JSON fields that held one, in order ("" the value itself)
	first       *recording.StorageEvent // the first write that held one; nil when only a read after a logout showed it
	step        int                     // first's step, or the read's
	steps       []int                   // the steps of the writes that held one
	values      []valueKey              // its distinct token values
	bearer      int                     // requests that sent one of them as Authorization
}

// storageScan is what the Web Storage rules share, made once per
// recording by webStorage.
type storageScan struct {
	bearer map[valueKey]*bearerUse
	creds  []*bearerUse // in the order first sent
	names  map[string]nameClass
	stored []*storedToken // in the order first seen
	index  map[storedID]int
}

type storedID struct {
	area        recording.StorageArea
	origin, key string
	refresh     bool
}

// webStorage reads the recording's Authorization credentials and the
// tokens its Web Storage held. A recording without either costs one pass
// over the requests and the steps, with no allocation per request.
func (a *analyzer) webStorage() *storageScan {
	if a.store != nil {
		return a.store
	}
	s := &storageScan{}
	a.store = s
	for _, q := range a.reqs {
		c := q.Authorization
		if c == nil || c.Value.Len == 0 {
			continue
		}
		if s.bearer == nil {
			s.bearer = map[valueKey]*bearerUse{}
		}
		k := valueKey{c.Value.Fingerprint, c.Value.Len}
		u := s.bearer[k]
		if u == nil {
			u = &bearerUse{scheme: c.Scheme, value: c.Value, firstStep: q.Step}
			s.bearer[k] = u
			s.creds = append(s.creds, u)
		}
		u.n++
		u.firstStep = min(u.firstStep, q.Step)
	}
	for i := range a.r.Storage {
		e := &a.r.Storage[i]
		if e.Kind == recording.StorageSet {
			for _, h := range s.hits(e.Key, e.Value, e.Fields) {
				s.add(e.Area, e.Origin, e.Key, h, e, e.Step)
			}
		}
	}
	for _, st := range a.steps {
		for j := range st.Storage {
			it := &st.Storage[j]
			for _, h := range s.hits(it.Key, &it.Value, it.Fields) {
				s.add(it.Area, it.Origin, it.Key, h, nil, st.Index)
			}
		}
	}
	return s
}

func (s *storageScan) class(name string) nameClass {
	if c, ok := s.names[name]; ok {
		return c
	}
	if s.names == nil {
		s.names = map[string]nameClass{}
	}
	c := classifyName(name)
	s.names[name] = c
	return c
}

// hits finds the tokens of a value stored under key: the value itself,
// unless it is a JSON object (it has fields), and each field.
func (s *storageScan) hits(key string, v *recording.Value, fields []recording.StorageField) []tokenHit {
	var out []tokenHit
	if v != nil && v.Len > 0 {
		if h, ok := s.judge("", s.class(key), *v, len(fields) > 0); ok {
			out = append(out, h)
		}
	}
	for i := range fields {
		f := &fields[i]
		c := s.class(f.Name)
		if !c.token && c.holder {
			c = s.holderClass(key, fields)
		}
		if h, ok := s.judge(f.Name, c, f.Value, false); ok {
			out = append(out, h)
		}
	}
	return out
}

// judge decides whether a value named as c says is a token: the
// credentials of an Authorization header, whatever its name; or a name
// that reads like a token's and a value shaped like one. A JSON object
// (container) is a token only by the first: its fields are judged.
func (s *storageScan) judge(field string, c nameClass, v recording.Value, container bool) (tokenHit, bool) {
	h := tokenHit{field: field, class: c, value: v}
	if v.Len == 0 {
		return h, false
	}
	if s.bearer != nil {
		h.bearer = s.bearer[valueKey{v.Fingerprint, v.Len}]
	}
	return h, h.bearer != nil || !container && c.token && tokenShaped(v)
}

// holderClass says what a holder field holds: what a credentialType field
// beside it says when its value is revealed (MSAL: AccessToken,
// RefreshToken, IdToken), else what the key says.
func (s *storageScan) holderClass(key string, fields []recording.StorageField) nameClass {
	for _, f := range fields {
		if !strings.EqualFold(f.Name, "credentialType") || f.Value.Raw == nil {
			continue
		}
		t := strings.ToLower(*f.Value.Raw)
		c := nameClass{token: true, refresh: strings.Contains(t, "refresh"), by: fmt.Sprintf("the credentialType %q beside it", *f.Value.Raw)}
		c.label = labelOf(c.refresh, strings.Contains(t, "idtoken"), strings.Contains(t, "accesstoken"))
		if c.refresh || strings.Contains(t, "token") {
			return c
		}
	}
	c := s.class(key)
	c.holder = true
	if c.token {
		c.by = fmt.Sprintf("the key %q", key)
	}
	return c
}

// add notes a token hit of the item (area, origin, key): written by e at
// step, or (e nil) read by the harness after step.
func (s *storageScan) add(area recording.StorageArea, origin, key string, h tokenHit, e *recording.StorageEvent, step int) {
	id := storedID{area, origin, key, h.class.refresh}
	i, ok := s.index[id]
	if !ok {
		if s.index == nil {
			s.index = map[storedID]int{}
		}
		i = len(s.stored)
		s.index[id] = i
		s.stored = append(s.stored, &storedToken{area: area, origin: origin, key: key, refresh: h.class.refresh, best: h, first: e, step: step})
	}
	t := s.stored[i] // reads come after every write: a read never precedes a write here
	if h.better(t.best) {
		t.best = h
	}
	if !slices.Contains(t.fields, h.field) {
		t.fields = append(t.fields, h.field)
	}
	if e != nil && (len(t.steps) == 0 || t.steps[len(t.steps)-1] != step) {
		t.steps = append(t.steps, step)
	}
	if k := (valueKey{h.value.Fingerprint, h.value.Len}); !slices.Contains(t.values, k) {
		t.values = append(t.values, k)
		if h.bearer != nil {
			t.bearer += h.bearer.n
		}
	}
}

// storedWith returns the stored item that held the value k, or nil.
func (s *storageScan) storedWith(k valueKey) *storedToken {
	for _, t := range s.stored {
		if slices.Contains(t.values, k) {
			return t
		}
	}
	return nil
}

// where names a stored item for messages: `localStorage of https://app.test
// under the key "k" (JSON field f)`.
func where(area recording.StorageArea, origin, key string, fields []string) string {
	s := fmt.Sprintf("%s of %s under the key %q", area, origin, key)
	var fs []string
	for _, f := range fields {
		if f != "" {
			fs = append(fs, f)
		}
	}
	if len(fs) > 0 {
		s += fmt.Sprintf(" (JSON %s %s)", plural(len(fs), "field", "fields"), strings.Join(fs, ", "))
	}
	return s
}

// storageFinding is a finding about the item (area, origin, key), field
// its best hit's.
func storageFinding(rule string, sev Severity, step int, area recording.StorageArea, origin, key, field string) Finding {
	return Finding{Rule: rule, Severity: sev, Step: step, StorageArea: area, StorageOrigin: origin, StorageKey: key, StorageField: field}
}

// storageIdentity is what storage findings are de-duplicated on.
func storageIdentity(area recording.StorageArea, origin, key string) string {
	return "storage|" + string(area) + "|" + origin + "|" + key
}

// writtenBy says where a write came from: "setItem at step 2 by
// https://app.test/app.js:10:5 on https://app.test/callback".
func writtenBy(e *recording.StorageEvent) string {
	s := fmt.Sprintf("setItem at step %d", e.Step)
	if e.Script != "" {
		s += " by " + e.Script
	}
	if e.URL != "" {
		s += " on " + e.URL
	}
	if e.Target != "" {
		s += " (in " + e.Target + ")"
	}
	return s
}

// tokensInStorage: SESSION-TOKEN-IN-STORAGE.
func (a *analyzer) tokensInStorage() { a.storedTokens(false) }

// refreshInStorage: REFRESH-TOKEN-IN-STORAGE.
func (a *analyzer) refreshInStorage() { a.storedTokens(true) }

func (a *analyzer) storedTokens(refresh bool) {
	for _, t := range a.webStorage().stored {
		if t.refresh != refresh {
			continue
		}
		rule, sev := RuleSessionTokenInStorage, Medium
		msg := fmt.Sprintf("The page keeps %s in %s: any script running in the origin, an injected one included, can read it and use it elsewhere.",
			t.best.label(), where(t.area, t.origin, t.key, t.fields))
		if refresh {
			rule = RuleRefreshTokenInStorage
			msg = fmt.Sprintf("The page keeps %s in %s: a script that reads it (an XSS) can mint new access tokens for as long as it lives, ",
				t.best.label(), where(t.area, t.origin, t.key, t.fields))
			if t.area == recording.SessionStorage {
				sev = Medium
				msg += "though sessionStorage drops it with the tab."
			} else {
				sev = High
				msg += "and localStorage keeps it on disk across browser restarts."
			}
		}
		f := storageFinding(rule, sev, t.step, t.area, t.origin, t.key, t.best.field)
		f.Message = msg
		var ev []string
		if t.first != nil {
			ev = append(ev, "written with "+writtenBy(t.first))
			f.URL = t.first.URL
			if len(t.steps) > 1 {
				ev = append(ev, fmt.Sprintf("%d writes that held one (steps %s)", len(t.steps), joinInts(t.steps)))
			}
		} else {
			ev = append(ev, fmt.Sprintf("read by the harness after the logout step %d (steps[].storage); no setItem of it was recorded (a write by property assignment, or one before the recording)", t.step))
		}
		ev = append(ev, t.best.how())
		if t.bearer > t.best.bearerN() {
			ev = append(ev, fmt.Sprintf("its values were sent as Authorization credentials in %d requests in all", t.bearer))
		}
		f.Evidence = strings.Join(ev, "; ")
		a.findings.add(f, storageIdentity(t.area, t.origin, t.key))
	}
}

func (h tokenHit) bearerN() int {
	if h.bearer == nil {
		return 0
	}
	return h.bearer.n
}

// A slot is one item of Web Storage: sessionStorage is one per tab
// (target), localStorage one per origin.
type slot struct {
	area                recording.StorageArea
	origin, key, target string
}

func slotOf(e *recording.StorageEvent) slot {
	k := slot{area: e.Area, origin: e.Origin, key: e.Key}
	if e.Area == recording.SessionStorage {
		k.target = e.Target
	}
	return k
}

// storageState is what Web Storage held at the end of a step, replayed
// from the pages' writes: each item's last set, in the order items were
// first set.
type storageState struct {
	held  map[slot]*recording.StorageEvent
	order []slot
}

// storageAt replays the writes of the steps up to upto: set, removed and
// cleared in order, from the empty storage of a fresh browser context,
// emptied again by a restart step (a fresh context too).
func (a *analyzer) storageAt(upto int) storageState {
	s := storageState{held: map[slot]*recording.StorageEvent{}}
	seen := map[slot]bool{}
	restarted := func(from, to int) bool {
		for _, st := range a.steps {
			if st.Kind == recording.StepRestart && st.Status != recording.StatusSkipped && st.Index > from && st.Index <= to {
				return true
			}
		}
		return false
	}
	cur := -1
	for i := range a.r.Storage {
		e := &a.r.Storage[i]
		if e.Step > upto {
			continue
		}
		if restarted(cur, e.Step) {
			clear(s.held)
		}
		cur = max(cur, e.Step)
		k := slotOf(e)
		switch e.Kind {
		case recording.StorageSet:
			s.held[k] = e
			if !seen[k] {
				seen[k] = true
				s.order = append(s.order, k)
			}
		case recording.StorageRemoved:
			delete(s.held, k)
		case recording.StorageCleared:
			for o := range s.held {
				if o.area == k.area && o.origin == k.origin && o.target == k.target {
					delete(s.held, o)
				}
			}
		}
	}
	if restarted(cur, upto) {
		clear(s.held)
	}
	return s
}

// newAt reports whether the logout step st itself wrote the value v to
// the item k (a new, anonymous token): the state at its end holds a write
// of st with v, and the state before it did not hold v.
func newAt(before, after storageState, k slot, v recording.Value, st int) bool {
	e := after.held[k]
	if e == nil || e.Step != st || e.Value == nil || !e.Value.Same(v) {
		return false
	}
	b := before.held[k]
	return b == nil || b.Value == nil || !b.Value.Same(v)
}

// originOf is the origin of URL u as Web Storage spells it
// (scheme://host[:port], without the scheme's default port).
func originOf(u string) string {
	p := parseURL(u)
	if p == nil || p.Scheme == "" || p.Host == "" {
		return ""
	}
	scheme, host := strings.ToLower(p.Scheme), strings.ToLower(p.Host)
	if scheme == "https" {
		host = strings.TrimSuffix(host, ":443")
	} else if scheme == "http" {
		host = strings.TrimSuffix(host, ":80")
	}
	return scheme + "://" + host
}

// tokensNotCleared: SESSION-TOKEN-NOT-CLEARED. The storage the harness
// read after the logout step is the truth for its origin (the tab's
// page); other items are replayed from the writes.
func (a *analyzer) tokensNotCleared() {
	s := a.webStorage()
	if len(s.stored) == 0 {
		return
	}
	for _, st := range a.steps {
		if st.As != recording.BoundaryLogout || st.Status != recording.StatusPassed {
			continue
		}
		hosts := a.reached(st)
		applies := func(origin string) bool {
			return len(hosts) == 0 || hosts[hostOf(origin)]
		}
		before, after := a.storageAt(st.Index-1), a.storageAt(st.Index)
		read := map[string]bool{} // origins whose storage the harness read after the step
		if st.Storage != nil {
			read[originOf(st.URL)] = true
			for _, it := range st.Storage {
				read[originOf(it.Origin)] = true
			}
			delete(read, "")
		}
		for j := range st.Storage {
			it := &st.Storage[j]
			k := slot{area: it.Area, origin: it.Origin, key: it.Key}
			hits := s.hits(it.Key, &it.Value, it.Fields)
			if len(hits) == 0 || !applies(it.Origin) || newAt(before, after, k, it.Value, st.Index) {
				continue
			}
			ev := fmt.Sprintf("read by the harness after step %d (steps[].storage)", st.Index)
			switch b, e := before.held[k], after.held[k]; {
			case b != nil && b.Value != nil && b.Value.Same(it.Value):
				ev += "; the value it held before the logout, written with " + writtenBy(b)
			case e != nil:
				ev += "; last written with " + writtenBy(e)
			default:
				ev += "; no setItem of it was recorded (a write by property assignment, or one before the recording)"
			}
			a.notCleared(st, it.Area, it.Origin, it.Key, hits, ev)
		}
		for _, k := range after.order {
			e := after.held[k]
			if e == nil || e.Value == nil || k.target == "" && read[originOf(k.origin)] || !applies(k.origin) {
				continue
			}
			hits := s.hits(e.Key, e.Value, e.Fields)
			if len(hits) == 0 || newAt(before, after, k, *e.Value, st.Index) {
				continue
			}
			why := fmt.Sprintf("the harness did not read the storage after step %d", st.Index)
			if len(read) > 0 {
				why = fmt.Sprintf("the harness read only the tab's page's storage after step %d", st.Index)
			}
			ev := fmt.Sprintf("reconstructed from the writes the page made with setItem, removeItem and clear (%s; a write by property assignment or a delete is not seen): "+
				"set with %s, and no removeItem or clear of it followed up to the end of step %d", why, writtenBy(e), st.Index)
			a.notCleared(st, e.Area, e.Origin, e.Key, hits, ev)
		}
	}
}

// notCleared reports an item that held tokens (hits) after the logout
// step st.
func (a *analyzer) notCleared(st *recording.Step, area recording.StorageArea, origin, key string, hits []tokenHit, ev string) {
	best := hits[0]
	var fields, labels []string
	for _, h := range hits {
		if h.better(best) {
			best = h
		}
		fields = append(fields, h.field)
		if !slices.Contains(labels, h.label()) {
			labels = append(labels, h.label())
		}
	}
	f := storageFinding(RuleSessionTokenNotCleared, Medium, st.Index, area, origin, key, best.field)
	f.URL = st.URL
	f.Message = fmt.Sprintf("After the logout step %d (%s), %s %s still in %s: the logout left %s for any script in the origin, or the next user of this browser, to read and use.",
		st.Index, stepAction(st), strings.Join(labels, " and "), plural(len(labels), "was", "were"), where(area, origin, key, fields),
		plural(len(labels), "it", "them"))
	f.Evidence = ev + "; " + best.how()
	a.findings.add(f, storageIdentity(area, origin, key))
}

// credentialAfter is what the requests after a logout step did with one
// credential.
type credentialAfter struct {
	n, ok, denied int
	first         *recording.Request // the first answered 2xx
}

// tokensNotRevoked: SESSION-TOKEN-NOT-REVOKED, from the journey's own
// requests after a logout step (the logout probe replays cookies only).
func (a *analyzer) tokensNotRevoked() {
	s := a.webStorage()
	if len(s.creds) == 0 {
		return
	}
	firstLogin := -1
	for _, st := range a.steps {
		if st.As == recording.BoundaryLogin && st.Status != recording.StatusSkipped {
			firstLogin = st.Index
			break
		}
	}
	for _, st := range a.steps {
		if st.As != recording.BoundaryLogout || st.Status != recording.StatusPassed {
			continue
		}
		// Up to the next login: a token sent after it may be one the
		// server handed out again.
		until := a.lastStep + 1
		for _, o := range a.steps {
			if o.Index > st.Index && o.As == recording.BoundaryLogin {
				until = o.Index
				break
			}
		}
		before := map[valueKey]int{}
		after := map[valueKey]*credentialAfter{}
		for _, q := range a.reqs {
			c := q.Authorization
			if c == nil || c.Value.Len == 0 || q.Step >= until {
				continue
			}
			k := valueKey{c.Value.Fingerprint, c.Value.Len}
			if q.Step <= st.Index {
				before[k]++
				continue
			}
			u := after[k]
			if u == nil {
				u = &credentialAfter{}
				after[k] = u
			}
			u.n++
			switch {
			case q.Failed == "" && q.Status >= 200 && q.Status < 300:
				u.ok++
				if u.first == nil {
					u.first = q
				}
			case q.Status == 401 || q.Status == 403:
				u.denied++
			}
		}
		for _, c := range s.creds {
			k := valueKey{c.value.Fingerprint, c.value.Len}
			u := after[k]
			// A credential sent before the first login is no session's
			// (an API key the page sends from the start).
			if before[k] == 0 || u == nil || u.ok == 0 || firstLogin >= 0 && firstLogin <= st.Index && c.firstStep < firstLogin {
				continue
			}
			a.notRevoked(st, c, before[k], u, s.storedWith(k))
		}
	}
}

func (a *analyzer) notRevoked(st *recording.Step, c *bearerUse, before int, u *credentialAfter, t *storedToken) {
	q := u.first
	f := Finding{Rule: RuleSessionTokenNotRevoked, Severity: High, Step: st.Index, URL: q.URL, Request: q.ID}
	f.Message = fmt.Sprintf("The %s credential the journey sent up to the logout step %d (%s) was sent again after it, on %s %s at step %d, and the server answered %d: the logout did not revoke it.",
		c.schemeText(), st.Index, stepAction(st), q.Method, q.URL, q.Step, q.Status)
	if t != nil {
		f.StorageArea, f.StorageOrigin, f.StorageKey, f.StorageField = t.area, t.origin, t.key, t.best.field
		f.Message += fmt.Sprintf(" It is %s kept in %s.", t.best.label(), where(t.area, t.origin, t.key, t.fields))
	}
	f.Evidence = fmt.Sprintf("credential %s (%s, %d characters) sent in %d %s up to step %d; after the logout %d %s carried it: %d answered 2xx, %d answered 401 or 403 "+
		"(a public endpoint that ignores the header answers 2xx too: check that %s needs the credential)",
		short(c.value.Fingerprint), c.schemeText(), c.value.Len, before, plural(before, "request", "requests"), st.Index,
		u.n, plural(u.n, "request", "requests"), u.ok, u.denied, q.URL)
	a.findings.add(f, "authorization|"+c.value.Fingerprint)
}
