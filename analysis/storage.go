package analysis

import (
	"strconv"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// Session tokens outside cookies: what single-page apps keep in Web
// Storage and send in an Authorization header. The recording holds the
// pages' writes to Web Storage (recording.storage), what the page held
// after a logout step (steps[].storage) and each request's Authorization
// credentials, all fingerprinted: a token is told by its fingerprint, its
// name and its shape, never by its content.
//
// The code is written for size as much as for speed: it runs in the
// inspector's WebAssembly, whose budget is tight (docs/benchmarks.md).
// Messages are concatenated rather than formatted, word lists are
// strings, and the few items of a journey's storage are scanned.

// minTokenLen is the shortest value taken for a token by its shape.
const minTokenLen = 16

// Kinds of token, by what their name says; the index of tokenLabels.
const (
	kindNone = iota
	kindSession
	kindAccess
	kindID
	kindRefresh
	kindBearer // no name said it: only the Authorization header
)

var tokenLabels = [...]string{"", "a session token", "an access token", "an ID token", "a refresh token", "a bearer credential"}

// Word lists, space-separated. tokenWords name a token as whole words
// (auth, not authority or auth0), besides any word ending in token or jwt
// (accessToken, MSAL's "-accesstoken-" keys) or starting with sess.
// notTokenLast are last words that make a name one of a token's
// attributes: session_state (OIDC), token_type, expires_at, auth_time.
// holderWords name a field whose kind its neighbours say: MSAL keeps
// every credential in "secret", its kind in the key ("…-refreshtoken-…")
// and in credentialType.
const (
	tokenWords   = " token tokens jwt auth authorization bearer credential credentials sid "
	notTokenLast = " state type expiry expires expiration exp at in on time timestamp date scope scopes url uri endpoint count hint status "
	holderWords  = " secret value val data "
)

func listed(list, w string) bool { return strings.Contains(list, " "+w+" ") }

// kindOfName reads a key or field name by its words (nameWords), in any
// spelling: access_token, accessToken and auth.token read alike.
func kindOfName(name string) int {
	words := nameWords(name)
	if len(words) == 0 || listed(notTokenLast, words[len(words)-1]) {
		return kindNone
	}
	token, refresh, id, access := false, false, false, false
	for i, w := range words {
		if strings.Contains(w, "csrf") || strings.Contains(w, "xsrf") {
			return kindNone
		}
		refresh = refresh || strings.Contains(w, "refresh")
		token = token || listed(tokenWords, w) || strings.HasSuffix(w, "token") || strings.HasSuffix(w, "jwt") || strings.HasPrefix(w, "sess")
		id = id || w == "idtoken" || w == "id" && i+1 < len(words) && words[i+1] == "token"
		access = access || strings.HasPrefix(w, "access")
	}
	switch {
	case refresh:
		return kindRefresh
	case !token:
		return kindNone
	case id:
		return kindID
	case access:
		return kindAccess
	}
	return kindSession
}

// nameWords splits a name into lower-case words: at every byte that is
// not an ASCII letter or digit, and where a capital starts a word
// (accessToken, IDToken, auth0Client).
func nameWords(name string) []string {
	b := make([]byte, 0, len(name)+8)
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if i > 0 && (!isUpper(name[i-1]) || i+1 < len(name) && name[i+1] >= 'a' && name[i+1] <= 'z') {
				b = append(b, ' ')
			}
			c += 'a' - 'A'
		case !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9'):
			c = ' '
		}
		b = append(b, c)
	}
	return strings.Fields(string(b))
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// tokenShaped reports whether a value looks like a token: a JWT, or at
// least minTokenLen characters and MinSessionBits estimated bits in the
// alphabets of tokens (letters, digits, - _ . ~ + / = %). Any other
// character (a quote, a brace, a space) makes a JSON document or prose.
func tokenShaped(v *recording.Value) bool {
	if v.Format == recording.FormatJWT {
		return true
	}
	for _, c := range v.Classes {
		if c == "other" {
			return false
		}
	}
	return v.Len >= minTokenLen && v.Bits >= MinSessionBits
}

// A bearerUse is a credential of the journey's Authorization headers,
// with what the requests after the logout step being judged did with it.
type bearerUse struct {
	scheme    string
	value     recording.Value
	n         int // requests that sent it
	firstStep int
	// At the logout step being judged: requests up to it, after it, those
	// answered 2xx (the first of them) and 401 or 403.
	before, after, ok, denied int
	firstOK                   *recording.Request
}

func (u *bearerUse) header() string { return authHeader(u.scheme) }

// authHeader names an Authorization header by its scheme:
// "Authorization: Bearer".
func authHeader(scheme string) string {
	if scheme == "" {
		return "Authorization"
	}
	return "Authorization: " + scheme
}

// A tokenHit is a token in one Web Storage value: the value itself, or a
// field of its JSON.
type tokenHit struct {
	field  string // "" for the value itself
	kind   int
	by     string // what told it, for the evidence: `the name "access_token"`
	value  *recording.Value
	bearer *bearerUse // the Authorization credential it is; nil when no request sent it
}

// better reports whether h says more than o of the item they were both
// found in: a credential sent as Authorization beats one that was not,
// then an access token a session token, and that an ID token.
func (h *tokenHit) better(o *tokenHit) bool {
	if (h.bearer != nil) != (o.bearer != nil) {
		return h.bearer != nil
	}
	return h.rank() > o.rank()
}

func (h *tokenHit) rank() int {
	switch h.kind {
	case kindAccess:
		return 2
	case kindID:
		return 0
	}
	return 1
}

// how says how the token was told, for the evidence.
func (h *tokenHit) how() string {
	if h.bearer != nil {
		what := "its value"
		if h.field != "" {
			what = "the value of its field " + h.field
		}
		return what + " was sent as " + h.bearer.header() + " credentials in " + count(h.bearer.n, "request", "requests") +
			" (the strongest evidence that it is a session token)"
	}
	shape := "a JWT"
	if h.value.Format != recording.FormatJWT {
		shape = strconv.Itoa(h.value.Len) + " characters, about " + strconv.Itoa(int(h.value.Bits+0.5)) + " bits"
	}
	return "told by " + h.by + " and its shape (" + shape + "); no request sent it as an Authorization header"
}

func count(n int, one, many string) string { return strconv.Itoa(n) + " " + plural(n, one, many) }

// A storedToken is a Web Storage item (area, origin, key) that held
// session tokens, or refresh tokens, over the journey.
type storedToken struct {
	area        recording.StorageArea
	origin, key string
	refresh     bool
	best        *tokenHit               // the first one sent as Authorization, else the first
	fields      []string                // the JSON fields that held one, in order ("" the value itself)
	first       *recording.StorageEvent // the first write that held one; nil when only a read after a logout showed it
	step        int                     // first's step, or the read's
	writes      int                     // the writes that held one
	values      []*recording.Value      // its distinct token values
	bearer      int                     // requests that sent one of them as Authorization
}

// storageScan is what the Web Storage rules share, made once per
// recording by webStorage.
type storageScan struct {
	bearer map[valueKey]*bearerUse
	creds  []*bearerUse // in the order first sent
	kinds  map[string]int
	stored []*storedToken // in the order first seen
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
		if e := &a.r.Storage[i]; e.Kind == recording.StorageSet {
			s.note(e.Area, e.Origin, e.Key, s.hits(e.Key, e.Value, e.Fields), e, e.Step)
		}
	}
	// Reads come after every write: an item first seen in one was never
	// written with setItem.
	for _, st := range a.steps {
		for j := range st.Storage {
			it := &st.Storage[j]
			s.note(it.Area, it.Origin, it.Key, s.hits(it.Key, &it.Value, it.Fields), nil, st.Index)
		}
	}
	return s
}

func (s *storageScan) kind(name string) int {
	k, ok := s.kinds[name]
	if !ok {
		if s.kinds == nil {
			s.kinds = map[string]int{}
		}
		k = kindOfName(name)
		s.kinds[name] = k
	}
	return k
}

// hits finds the tokens of a value stored under key: the value itself,
// unless it has fields (a JSON object, or a JSON string whose inside is
// its field "value": the fields are judged), and each field.
func (s *storageScan) hits(key string, v *recording.Value, fields []recording.StorageField) []*tokenHit {
	var out []*tokenHit
	if v != nil && v.Len > 0 {
		if h := s.judge("", s.kind(key), v, len(fields) > 0); h != nil {
			h.by = "the name " + strconv.Quote(key)
			out = append(out, h)
		}
	}
	for i := range fields {
		f := &fields[i]
		kind, by := s.kind(f.Name), ""
		if kind == kindNone && listed(holderWords, strings.ToLower(f.Name)) {
			kind, by = s.kind(key), "the key "+strconv.Quote(key)
			// MSAL's credentialType says it when values are revealed.
			for j := range fields {
				if o := &fields[j]; strings.EqualFold(o.Name, "credentialType") && o.Value.Raw != nil && s.kind(*o.Value.Raw) != kindNone {
					kind, by = s.kind(*o.Value.Raw), "the credentialType "+strconv.Quote(*o.Value.Raw)+" beside it"
				}
			}
		}
		if h := s.judge(f.Name, kind, &f.Value, false); h != nil {
			if h.by = by; by == "" {
				h.by = "the name " + strconv.Quote(f.Name)
			}
			out = append(out, h)
		}
	}
	return out
}

// judge returns the token hit of a value named as kind says, or nil: the
// credentials of an Authorization header, whatever its name; or a name
// that reads like a token's and a value shaped like one. A JSON object
// (container) is a token only by the first.
func (s *storageScan) judge(field string, kind int, v *recording.Value, container bool) *tokenHit {
	if v.Len == 0 {
		return nil
	}
	var u *bearerUse
	if s.bearer != nil {
		u = s.bearer[valueKey{v.Fingerprint, v.Len}]
	}
	if u == nil && (container || kind == kindNone || !tokenShaped(v)) {
		return nil
	}
	if kind == kindNone {
		kind = kindBearer
	}
	return &tokenHit{field: field, kind: kind, value: v, bearer: u}
}

// note adds the hits of the item (area, origin, key): written by e at
// step, or (e nil) read by the harness after step.
func (s *storageScan) note(area recording.StorageArea, origin, key string, hits []*tokenHit, e *recording.StorageEvent, step int) {
	var wrote [2]bool // by refresh
	for _, h := range hits {
		refresh := h.kind == kindRefresh
		var t *storedToken
		for _, o := range s.stored {
			if o.area == area && o.origin == origin && o.key == key && o.refresh == refresh {
				t = o
				break
			}
		}
		if t == nil {
			t = &storedToken{area: area, origin: origin, key: key, refresh: refresh, best: h, first: e, step: step}
			s.stored = append(s.stored, t)
		}
		if h.better(t.best) {
			t.best = h
		}
		if !hasString(t.fields, h.field) {
			t.fields = append(t.fields, h.field)
		}
		if e != nil && !wrote[b2i(refresh)] {
			wrote[b2i(refresh)] = true
			t.writes++
		}
		seen := false
		for _, v := range t.values {
			seen = seen || v.Same(*h.value)
		}
		if !seen {
			t.values = append(t.values, h.value)
			if h.bearer != nil {
				t.bearer += h.bearer.n
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func hasString(ss []string, s string) bool {
	for _, o := range ss {
		if o == s {
			return true
		}
	}
	return false
}

// storedWith returns the stored item that held the value v, or nil.
func (s *storageScan) storedWith(v *recording.Value) *storedToken {
	for _, t := range s.stored {
		for _, o := range t.values {
			if o.Same(*v) {
				return t
			}
		}
	}
	return nil
}

// where names a stored item for messages: `localStorage of https://app.test
// under the key "k" (JSON field f)`.
func where(area recording.StorageArea, origin, key string, fields []string) string {
	s := string(area) + " of " + origin + " under the key " + strconv.Quote(key)
	var fs []string
	for _, f := range fields {
		if f != "" {
			fs = append(fs, f)
		}
	}
	if len(fs) > 0 {
		s += " (JSON " + plural(len(fs), "field ", "fields ") + strings.Join(fs, ", ") + ")"
	}
	return s
}

// addStorage adds f, a finding about the item (area, origin, key), whose
// best hit is h; findings are de-duplicated on the item.
func (a *analyzer) addStorage(f Finding, area recording.StorageArea, origin, key string, h *tokenHit) {
	f.StorageArea, f.StorageOrigin, f.StorageKey, f.StorageField = area, origin, key, h.field
	a.findings.add(f, "storage|"+string(area)+"|"+origin+"|"+key)
}

// writtenBy says where a write came from: "setItem at step 2 by
// https://app.test/app.js:10:5 on https://app.test/callback".
func writtenBy(e *recording.StorageEvent) string {
	s := "setItem at step " + strconv.Itoa(e.Step)
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
		f := Finding{Rule: RuleSessionTokenInStorage, Severity: Medium, Step: t.step,
			Message: "The page keeps " + tokenLabels[t.best.kind] + " in " + where(t.area, t.origin, t.key, t.fields) + ": "}
		switch {
		case !refresh:
			f.Message += "any script running in the origin, an injected one included, can read it and use it elsewhere."
		case t.area == recording.SessionStorage:
			f.Rule, f.Message = RuleRefreshTokenInStorage, f.Message+"a script that reads it (an XSS) can mint new access tokens for as long as it lives, though sessionStorage drops it with the tab."
		default:
			f.Rule, f.Severity = RuleRefreshTokenInStorage, High
			f.Message += "a script that reads it (an XSS) can mint new access tokens for as long as it lives, and localStorage keeps it on disk across browser restarts."
		}
		ev := "read by the harness after the logout step " + strconv.Itoa(t.step) + " (steps[].storage); no setItem of it was recorded (a write by property assignment, or one before the recording)"
		if t.first != nil {
			ev, f.URL = "written with "+writtenBy(t.first), t.first.URL
			if t.writes > 1 {
				ev += "; " + count(t.writes, "write", "writes") + " held one"
			}
		}
		ev += "; " + t.best.how()
		if t.best.bearer != nil && t.bearer > t.best.bearer.n {
			ev += "; its values were sent as Authorization credentials in " + strconv.Itoa(t.bearer) + " requests in all"
		}
		f.Evidence = ev
		a.addStorage(f, t.area, t.origin, t.key, t.best)
	}
}

// A slot is one item of Web Storage: sessionStorage is one per tab
// (target), localStorage one per origin.
type slot struct {
	area                recording.StorageArea
	origin, key, target string
}

// slotOf is the slot a write went to.
func slotOf(e *recording.StorageEvent) slot {
	k := slot{area: e.Area, origin: e.Origin, key: e.Key}
	if e.Area == recording.SessionStorage {
		k.target = e.Target
	}
	return k
}

// restartSteps are the indexes of the restart steps that ran: each
// starts a fresh browser context, with empty storage.
func (a *analyzer) restartSteps() []int {
	var out []int
	for _, st := range a.steps {
		if st.Kind == recording.StepRestart && st.Status != recording.StatusSkipped {
			out = append(out, st.Index)
		}
	}
	return out
}

// A heldItem is what a slot held when the logout step being judged began
// and when it ended (its last set; nil: nothing).
type heldItem struct {
	slot
	before, after *recording.StorageEvent
}

// replay replays the pages' writes up to the end of step st: set,
// removed and cleared in order, from the empty storage of a fresh browser
// context, emptied again by a restart step (a fresh context too). It
// returns every slot ever set, with what it held when st began and
// ended, and their index.
func (a *analyzer) replay(st int) ([]heldItem, map[slot]int) {
	restarts := a.restartSteps()
	var items []heldItem
	index := map[slot]int{}
	cur, began := -1, false
	// advance moves the replay to step to: a restart in between empties
	// the storage; reaching st keeps what was held when it began.
	advance := func(to int) {
		for _, r := range restarts {
			if r > cur && r <= to {
				for j := range items {
					items[j].after = nil
				}
			}
		}
		cur = max(cur, to)
		if !began && to >= st {
			began = true
			for j := range items {
				items[j].before = items[j].after
			}
		}
	}
	for i := range a.r.Storage {
		e := &a.r.Storage[i]
		if e.Step > st {
			continue
		}
		if e.Step != cur {
			advance(e.Step)
		}
		k := slotOf(e)
		switch e.Kind {
		case recording.StorageSet:
			j, ok := index[k]
			if !ok {
				j = len(items)
				index[k] = j
				items = append(items, heldItem{slot: k})
			}
			items[j].after = e
		case recording.StorageRemoved:
			if j, ok := index[k]; ok {
				items[j].after = nil
			}
		case recording.StorageCleared:
			for j := range items {
				if o := &items[j].slot; o.area == k.area && o.origin == k.origin && o.target == k.target {
					items[j].after = nil
				}
			}
		}
	}
	advance(st)
	return items, index
}

// wroteAnew reports whether the logout step st itself wrote v to the
// item h (a new, anonymous token): it ended with a set of st holding v,
// and did not hold v before.
func (h *heldItem) wroteAnew(v *recording.Value, st int) bool {
	e, b := h.after, h.before
	return e != nil && e.Step == st && e.Value != nil && e.Value.Same(*v) && (b == nil || b.Value == nil || !b.Value.Same(*v))
}

// originOf is the origin of URL u as Web Storage spells it
// (scheme://host[:port], without the scheme's default port).
func originOf(u string) string {
	p := parseURL(u)
	if p == nil || p.Scheme == "" || p.Host == "" {
		return ""
	}
	o := strings.ToLower(p.Scheme + "://" + p.Host)
	if strings.HasPrefix(o, "https:") {
		return strings.TrimSuffix(o, ":443")
	}
	return strings.TrimSuffix(o, ":80")
}

// tokensNotCleared: SESSION-TOKEN-NOT-CLEARED. What the harness read
// after the logout step is the truth for the tab's page's origin; other
// items are replayed from the writes.
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
		items, index := a.replay(st.Index)
		at := strconv.Itoa(st.Index)
		read := "" // the origin whose storage the harness read after the step, when it did
		if st.Storage != nil {
			read = originOf(st.URL)
		}
		for j := range st.Storage {
			it := &st.Storage[j]
			read = originOf(it.Origin)
			h := &heldItem{}
			if i, ok := index[slot{area: it.Area, origin: it.Origin, key: it.Key}]; ok {
				h = &items[i]
			}
			if (len(hosts) > 0 && !hosts[hostOf(it.Origin)]) || h.wroteAnew(&it.Value, st.Index) {
				continue
			}
			ev := "read by the harness after step " + at + " (steps[].storage)"
			switch {
			case h.before != nil && h.before.Value != nil && h.before.Value.Same(it.Value):
				ev += "; the value it held before the logout, written with " + writtenBy(h.before)
			case h.after != nil:
				ev += "; last written with " + writtenBy(h.after)
			default:
				ev += "; no setItem of it was recorded (a write by property assignment, or one before the recording)"
			}
			a.notCleared(st, it.Area, it.Origin, it.Key, s.hits(it.Key, &it.Value, it.Fields), ev)
		}
		// An empty read is left out of the file like no read at all.
		why := "the recording has no read of the storage after step " + at + " (steps[].storage is left out when it was not read)"
		if st.Storage != nil {
			why = "the harness read only the tab's page's storage after step " + at
		}
		for i := range items {
			h := &items[i]
			e := h.after
			if e == nil || e.Value == nil || h.target == "" && read != "" && originOf(h.origin) == read ||
				len(hosts) > 0 && !hosts[hostOf(h.origin)] || h.wroteAnew(e.Value, st.Index) {
				continue
			}
			a.notCleared(st, e.Area, e.Origin, e.Key, s.hits(e.Key, e.Value, e.Fields),
				"reconstructed from the writes the page made with setItem, removeItem and clear ("+why+
					"; a write by property assignment or a delete is not seen): set with "+writtenBy(e)+
					", and no removeItem or clear of it followed up to the end of step "+at)
		}
	}
}

// notCleared reports an item that held tokens (hits) after the logout
// step st.
func (a *analyzer) notCleared(st *recording.Step, area recording.StorageArea, origin, key string, hits []*tokenHit, ev string) {
	if len(hits) == 0 {
		return
	}
	best := hits[0]
	var fields []string
	labels := ""
	for _, h := range hits {
		if h.better(best) {
			best = h
		}
		fields = append(fields, h.field)
		if l := tokenLabels[h.kind]; !strings.Contains(labels, l) {
			labels += " and " + l
		}
	}
	labels = labels[len(" and "):]
	was, it := "was", "it"
	if strings.Contains(labels, " and ") {
		was, it = "were", "them"
	}
	a.addStorage(Finding{Rule: RuleSessionTokenNotCleared, Severity: Medium, Step: st.Index, URL: st.URL,
		Message: "After the logout step " + strconv.Itoa(st.Index) + " (" + stepAction(st) + "), " + labels + " " + was + " still in " +
			where(area, origin, key, fields) + ": the logout left " + it + " for any script in the origin, or the next user of this browser, to read and use.",
		Evidence: ev + "; " + best.how()}, area, origin, key, best)
}

// tokensNotRevoked: SESSION-TOKEN-NOT-REVOKED, from the journey's own
// requests after a logout step, and from the harness's token probe (the
// last accepted Authorization header before the logout, replayed alone
// after it).
func (a *analyzer) tokensNotRevoked() {
	s := a.webStorage()
	if len(s.creds) == 0 {
		return
	}
	defer a.tokenProbed(s)
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
		until := int(^uint(0) >> 1)
		for _, o := range a.steps {
			if o.Index > st.Index && o.As == recording.BoundaryLogin {
				until = o.Index
				break
			}
		}
		for _, u := range s.creds {
			u.before, u.after, u.ok, u.denied, u.firstOK = 0, 0, 0, 0, nil
		}
		for _, q := range a.reqs {
			c := q.Authorization
			if c == nil || c.Value.Len == 0 || q.Step >= until {
				continue
			}
			u := s.bearer[valueKey{c.Value.Fingerprint, c.Value.Len}]
			switch {
			case q.Step <= st.Index:
				u.before++
			case q.Failed == "" && q.Status >= 200 && q.Status < 300:
				u.after++
				u.ok++
				if u.firstOK == nil {
					u.firstOK = q
				}
			case q.Status == 401 || q.Status == 403:
				u.denied++
				fallthrough
			default:
				u.after++
			}
		}
		for _, u := range s.creds {
			// A credential sent before the first login is no session's
			// (an API key the page sends from the start).
			if u.before == 0 || u.ok == 0 || firstLogin >= 0 && firstLogin <= st.Index && u.firstStep < firstLogin {
				continue
			}
			a.notRevoked(st, u, s.storedWith(&u.value))
		}
	}
}

// tokenProbed reports the token probe's replay that the server accepted,
// unless the credential is no session's (first sent before the first
// login). When the journey's own requests already showed it, that finding
// stays, and the probe counts as one more occurrence of it.
func (a *analyzer) tokenProbed(s *storageScan) {
	p := a.r.TokenProbe
	if p == nil || !p.Accepted {
		return
	}
	u := s.bearer[valueKey{p.Value.Fingerprint, p.Value.Len}]
	st := a.stepByIdx[p.Step]
	if u == nil || st == nil || st.As != recording.BoundaryLogout || st.Status != recording.StatusPassed {
		return
	}
	for _, o := range a.steps {
		if o.As == recording.BoundaryLogin && o.Status != recording.StatusSkipped {
			if o.Index <= st.Index && u.firstStep < o.Index {
				return // an API key the page sent from the start
			}
			break
		}
	}
	f := Finding{Rule: RuleSessionTokenNotRevoked, Severity: High, Step: st.Index, URL: p.URL, Request: p.Request,
		Message: "After the logout step " + strconv.Itoa(st.Index) + " (" + stepAction(st) + "), the harness sent the " + u.header() +
			" credential of GET " + p.URL + " again, alone, and the server answered " + strconv.Itoa(p.Status) + ": the logout did not revoke it.",
		Evidence: "token probe (tokenProbe): credential " + short(u.value.Fingerprint) + " (" + u.header() + ", " + strconv.Itoa(u.value.Len) +
			" characters) of request " + p.Request + ", answered 2xx before the logout, replayed after it with no cookie: " + strconv.Itoa(p.Status)}
	if t := s.storedWith(&u.value); t != nil {
		f.StorageArea, f.StorageOrigin, f.StorageKey, f.StorageField = t.area, t.origin, t.key, t.best.field
		f.Message += " It is " + tokenLabels[t.best.kind] + " kept in " + where(t.area, t.origin, t.key, t.fields) + "."
	}
	a.findings.add(f, "authorization|"+u.value.Fingerprint)
}

func (a *analyzer) notRevoked(st *recording.Step, u *bearerUse, t *storedToken) {
	q := u.firstOK
	f := Finding{Rule: RuleSessionTokenNotRevoked, Severity: High, Step: st.Index, URL: q.URL, Request: q.ID,
		Message: "The " + u.header() + " credential the journey sent up to the logout step " + strconv.Itoa(st.Index) + " (" + stepAction(st) +
			") was sent again after it, on " + q.Method + " " + q.URL + " at step " + strconv.Itoa(q.Step) + ", and the server answered " +
			strconv.Itoa(q.Status) + ": the logout did not revoke it.",
		Evidence: "credential " + short(u.value.Fingerprint) + " (" + u.header() + ", " + strconv.Itoa(u.value.Len) + " characters) sent in " +
			count(u.before, "request", "requests") + " up to step " + strconv.Itoa(st.Index) + "; after the logout " + count(u.after, "request", "requests") +
			" carried it: " + strconv.Itoa(u.ok) + " answered 2xx, " + strconv.Itoa(u.denied) + " answered 401 or 403 (a public endpoint that ignores the header answers 2xx too: check that " +
			q.URL + " needs the credential)"}
	if t == nil {
		a.findings.add(f, "authorization|"+u.value.Fingerprint)
		return
	}
	f.StorageArea, f.StorageOrigin, f.StorageKey, f.StorageField = t.area, t.origin, t.key, t.best.field
	f.Message += " It is " + tokenLabels[t.best.kind] + " kept in " + where(t.area, t.origin, t.key, t.fields) + "."
	a.findings.add(f, "authorization|"+u.value.Fingerprint)
}
