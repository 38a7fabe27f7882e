package har

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// describe fills the scenario and browser of a HAR that sessiontrace did
// not write, and says what the recording cannot know.
func (im *importer) describe(rec *recording.Recording) {
	lg := im.log
	name := path.Base(strings.ReplaceAll(im.file, "\\", "/"))
	if name == "." || name == "/" || name == "-" || name == "" {
		name = ""
		for _, p := range lg.Pages {
			if p.Title != "" && !isURL(p.Title) {
				name = p.Title
				break
			}
		}
		if name == "" {
			name = "HAR import"
		}
	}
	rec.Scenario = recording.ScenarioInfo{Name: name, File: im.file}
	for _, he := range im.entries {
		if u, err := url.Parse(he.url); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			rec.Scenario.Target = u.Scheme + "://" + u.Host
			break
		}
	}
	for _, he := range im.entries {
		if ua := firstHeader(he.e.Request.Headers, "user-agent"); ua != "" {
			rec.Browser.UserAgent = ua
			break
		}
	}
	switch {
	case lg.Browser != nil && lg.Browser.Name != "":
		rec.Browser.Product = lg.Browser.Name + "/" + lg.Browser.Version
	case productFromUA(rec.Browser.UserAgent) != "":
		rec.Browser.Product = productFromUA(rec.Browser.UserAgent)
	case lg.Creator != nil:
		rec.Browser.Product = lg.Creator.Name + "/" + lg.Creator.Version
	}
	rec.Start, rec.End = span(im.entries)
	creator := im.rep.Creator
	if creator == "" {
		creator = "an unnamed tool"
	}
	rec.Warnings = append(rec.Warnings, "This recording was made from a HAR file (written by "+creator+"). A HAR records the cookies each request sent and the Set-Cookie lines each response carried, but not the cookies the browser withheld from a request or refused to store (nor why), the cookies page script wrote, or the browser's cookie jar: those are unknown here, not absent (requestExtraInfo and responseExtraInfo are false, and the steps' jars are empty).")

	// What cookie data the HAR has.
	var httpEntries, cookieHeaders, setCookieHeaders, reqArrays, respArrays int
	for _, he := range im.entries {
		e := he.e
		if strings.HasPrefix(he.url, "http:") || strings.HasPrefix(he.url, "https:") {
			httpEntries++
		}
		if cookieHeader(e.Request.Headers) != "" {
			cookieHeaders++
		}
		if len(setCookieLines(e.Response.Headers)) > 0 {
			setCookieHeaders++
		}
		if len(e.Request.Cookies) > 0 {
			reqArrays++
		}
		if len(e.Response.Cookies) > 0 {
			respArrays++
		}
	}
	if httpEntries > 0 && cookieHeaders+setCookieHeaders+reqArrays+respArrays == 0 {
		im.rep.Sanitized = true
		im.rep.Message = sanitizedMessage(httpEntries, creator)
	}
}

// sanitizedMessage says what a HAR without cookies is missing and how to
// export one with them.
func sanitizedMessage(n int, creator string) string {
	return fmt.Sprintf("This HAR has no cookie data: none of its %d requests has a Cookie header or cookies, and no response has a Set-Cookie header or cookies, so no session can be followed. "+
		"Browsers' default HAR export leaves them out: Chrome's and Edge's DevTools export a \"sanitized\" HAR without the Cookie, Set-Cookie and Authorization headers and with empty cookies arrays. "+
		"Export it again with cookies: in Chrome or Edge DevTools open Settings (F1) > Preferences > Network, check \"Allow to generate HAR with sensitive data\", then in the Network panel use Export HAR > \"Export HAR (with sensitive data)...\"; "+
		"Firefox's \"Save All As HAR\" (right-click in the Network panel) keeps the cookie headers; Playwright's recordHar keeps them too (in mode \"minimal\" the cookies arrays are empty but the headers, which sessiontrace reads, are kept). "+
		"Such a HAR holds live session cookies: share it like a password. (This HAR was written by %s; if the site really set no cookie, ignore this message.)", n, creator)
}

// productFromUA names the browser a User-Agent header says it is.
func productFromUA(ua string) string {
	best := ""
	for _, m := range uaProductVersions(ua) {
		switch m[0] {
		case "Firefox", "Edg":
			return m[0] + "/" + m[1]
		case "HeadlessChrome", "Chrome":
			best = "Chrome/" + m[1]
		case "Version":
			if best == "" && strings.Contains(ua, "Safari/") {
				best = "Safari/" + m[1]
			}
		}
	}
	return best
}
