package har

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/recording"
)

// hEntry is one HAR entry being imported.
type hEntry struct {
	idx        int // position in log.entries
	e          *entryIn
	url        string // raw
	start, end time.Time
	id         string
	parent     *hEntry // the hop that redirected here
	root       *hEntry // the first hop of its redirect chain (itself when none)
	hops       int     // hops so far on the chain (0 for a root)
	linked     bool    // a redirect already points here
	page       int
	step       int
	nav        bool // starts a navigation
	login      bool // a POST with a password field
	logout     bool // a request to a logout URL
}

// span is the time the entries cover: the earliest start, and the latest
// end (an entry's start when it has no end).
func span(entries []*hEntry) (start, end time.Time) {
	for _, he := range entries {
		if !he.start.IsZero() && (start.IsZero() || he.start.Before(start)) {
			start = he.start
		}
		e := he.end
		if e.IsZero() {
			e = he.start
		}
		if e.After(end) {
			end = e
		}
	}
	return start, end
}

// linkRedirects finds each redirect's next hop: in a sessiontrace HAR by
// "_redirectedFrom", otherwise the first later entry of the Location URL.
// It also gives every entry its id.
func (im *importer) linkRedirects() {
	if im.meta != nil {
		byID := map[string]*hEntry{}
		pos := map[*hEntry]int{}
		for i, he := range im.entries {
			pos[he] = i
			var id string
			if lenient(he.e.RequestID, &id, recjson.UnmarshalString) && id != "" && byID[id] == nil {
				he.id = id
				byID[id] = he
			}
		}
		for _, he := range im.entries {
			if he.id == "" {
				he.id = "e" + strconv.Itoa(he.idx+1)
				for byID[he.id] != nil {
					he.id += "'"
				}
				byID[he.id] = he
			}
		}
		// A hop follows the hop it was redirected from.
		for i, he := range im.entries {
			var from string
			if lenient(he.e.RedirectedFrom, &from, recjson.UnmarshalString) {
				if p := byID[from]; p != nil && pos[p] < i {
					he.parent, he.root, he.hops = p, p.root, p.hops+1
				}
			}
		}
		return
	}
	keys := make([]string, len(im.entries))
	for i, he := range im.entries {
		keys[i] = urlKey(he.url)
	}
	for i, he := range im.entries {
		if he.parent == nil {
			he.id = "e" + strconv.Itoa(he.idx+1)
		} else {
			he.id = he.root.id + "." + strconv.Itoa(he.hops)
		}
		st := int(he.e.Response.Status)
		loc := location(he.e)
		if st < 300 || st > 399 || loc == "" {
			continue
		}
		target := urlKey(resolveRef(he.url, loc))
		// The next hop starts soon after: look a bounded way ahead, so a
		// redirect whose hop is not in the HAR costs little.
		for j := i + 1; j < len(im.entries) && j <= i+maxHopDistance; j++ {
			next := im.entries[j]
			if next.linked || next.parent != nil || keys[j] != target {
				continue
			}
			if !he.start.IsZero() && !next.start.IsZero() && next.start.Before(he.start) {
				continue
			}
			next.linked = true
			next.parent, next.root, next.hops = he, he.root, he.hops+1
			break
		}
	}
}

// resolveRef resolves a Location against the URL that sent it.
func resolveRef(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// maxHopDistance is how many entries after a redirect its next hop is
// looked for.
const maxHopDistance = 500

// urlKey is a URL for comparison: without its fragment, the scheme and
// host in lower case.
func urlKey(raw string) string {
	raw, _, _ = strings.Cut(raw, "#")
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + u.EscapedPath() + "?" + u.RawQuery
}

// placeEntries gives each entry its page: its pageref, else the last
// page started before it (as Firefox attributes them); and marks the
// first hops that navigate, log in or log out.
func (im *importer) placeEntries() {
	pages := im.log.Pages
	pageIdx := map[string]int{}
	pageStart := make([]time.Time, len(pages))
	for i, p := range pages {
		if _, dup := pageIdx[p.ID]; !dup {
			pageIdx[p.ID] = i
		}
		pageStart[i], _ = parseHARTime(p.StartedDateTime)
	}
	unpaged := 0
	for _, he := range im.entries {
		if i, ok := pageIdx[he.e.Pageref]; ok {
			he.page = i
			continue
		}
		he.page = -1
		for i := range pages {
			if !pageStart[i].IsZero() && !he.start.IsZero() && !pageStart[i].After(he.start) {
				he.page = i
			}
		}
		if he.page < 0 && len(pages) > 0 {
			he.page = 0
		}
		unpaged++
	}
	if unpaged > 0 && len(pages) > 0 {
		im.note(fmt.Sprintf("%d entries name no page of the HAR: each was put with the last page started before it", unpaged))
	}
	for _, he := range im.entries {
		if he.parent != nil {
			continue
		}
		he.nav = isNavigation(he.e)
		he.login = isLogin(he.e)
		he.logout = isLogout(he.url)
	}
}

// harSteps makes the steps of any other HAR: one per navigation of each
// page (a page of Chrome's is one navigation; Firefox's and Playwright's
// pages span the whole tab), and one more at each login (a POST with a
// password field) and logout (a request to a logout URL).
func (im *importer) harSteps() []recording.Step {
	pages := im.log.Pages
	im.placeEntries()
	var steps []recording.Step
	type stepState struct {
		page    int
		hasNav  bool
		entries []*hEntry
	}
	var states []*stepState
	cur := map[int]*stepState{} // the current step of each page
	var logins, logouts []int
	for _, he := range im.entries {
		if he.parent != nil && he.root.step < len(states) {
			he.step = he.root.step
			states[he.step].entries = append(states[he.step].entries, he)
			continue
		}
		st := cur[he.page]
		boundary := he.login || he.logout || he.nav && st != nil && st.hasNav
		if st == nil || boundary {
			st = &stepState{page: he.page}
			cur[he.page] = st
			states = append(states, st)
		}
		he.step = len(states) - 1
		st.entries = append(st.entries, he)
		if he.nav {
			st.hasNav = true
		}
		if he.login && !containsInt(logins, he.step) {
			logins = append(logins, he.step)
		}
		if he.logout && !he.login && !containsInt(logouts, he.step) {
			logouts = append(logouts, he.step)
		}
	}
	stepsOfPage := map[int]int{}
	for _, st := range states {
		stepsOfPage[st.page]++
	}
	for i, st := range states {
		s := recording.Step{Index: i, Kind: recording.StepPage, Status: recording.StatusPassed, Jar: []recording.Cookie{}}
		first, last, nav := stepHops(st.entries)
		if nav {
			s.Kind = recording.StepNavigation
		}
		s.Detail = first.e.Request.Method + " " + im.scrub(first.url)
		s.URL = im.scrub(last.url)
		s.Start, s.End = span(st.entries)
		// A page's title names the step only when the page is that one
		// step (Playwright's page title is the tab's last title).
		if st.page >= 0 && st.page < len(pages) && stepsOfPage[st.page] == 1 && !isURL(pages[st.page].Title) {
			s.Name = pages[st.page].Title
		}
		switch {
		case containsInt(logins, i):
			s.As = recording.BoundaryLogin
			s.Detail += " (taken as the login: a POST with a password field)"
		case containsInt(logouts, i):
			s.As = recording.BoundaryLogout
			s.Detail += " (taken as the logout: a logout URL)"
		}
		steps = append(steps, s)
	}
	if len(logins)+len(logouts) > 0 {
		im.note("The HAR does not say where the user logged in or out: a POST with a password field was taken as the login (as: login) and a request to a logout URL as the logout (as: logout), so the analysis expects the session ID to be replaced at the login and to end at the logout.")
	}
	if steps == nil {
		steps = []recording.Step{}
	}
	return steps
}

// stepHops returns the entry a step is named by, its first navigation,
// login or logout (nav), else its first entry; and the page after the
// step, the end of that entry's redirect chain.
func stepHops(entries []*hEntry) (first, last *hEntry, nav bool) {
	first = entries[0]
	for _, he := range entries {
		if he.parent == nil && (he.nav || he.login || he.logout) {
			first, nav = he, true
			break
		}
	}
	last = first
	for _, he := range entries {
		if he.root == first && he.hops > last.hops {
			last = he
		}
	}
	return first, last, nav
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}

// isNavigation reports whether an entry is a top-level document request:
// its Sec-Fetch-Dest is document; without that header (Chromium sends it
// only to secure origins), Chrome's _resourceType is document; without
// either, it asks for HTML.
func isNavigation(e *entryIn) bool {
	if d := firstHeader(e.Request.Headers, "sec-fetch-dest"); d != "" {
		return strings.EqualFold(d, "document")
	}
	if t := lenientString(e.ResourceType); t != "" {
		return strings.EqualFold(t, "document")
	}
	m := e.Request.Method
	return (m == "GET" || m == "POST") && strings.HasPrefix(firstHeader(e.Request.Headers, "accept"), "text/html")
}

func passwordField(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "password") || strings.Contains(n, "passwd") || strings.Contains(n, "passphrase") ||
		n == "pwd" || n == "pass" || strings.HasSuffix(n, "[pwd]") || strings.HasSuffix(n, "_pwd")
}

// isLogin reports whether an entry posts a password (a form field or a
// JSON member whose name says so) and the server accepted it (a status
// below 400: a refused login changes no session).
func isLogin(e *entryIn) bool {
	if !strings.EqualFold(e.Request.Method, "POST") || e.Request.PostData == nil || e.Response.Status <= 0 || e.Response.Status >= 400 {
		return false
	}
	pd := e.Request.PostData
	for _, p := range pd.Params {
		if passwordField(p.Name) {
			return true
		}
	}
	if strings.Contains(strings.ToLower(pd.MimeType), "json") || strings.HasPrefix(strings.TrimSpace(pd.Text), "{") {
		return hasJSONPasswordKey(pd.Text)
	}
	if len(pd.Params) == 0 {
		if vals, err := url.ParseQuery(pd.Text); err == nil {
			for k := range vals {
				if passwordField(k) {
					return true
				}
			}
		}
	}
	return false
}

// isLogout reports whether a URL's path names a logout.
func isLogout(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	return isLogoutPath(u.Path)
}
