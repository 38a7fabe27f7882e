package harness

import "strings"

// Protocol methods the recorder listens to.
const (
	mRequestWillBeSent          = "Network.requestWillBeSent"
	mRequestWillBeSentExtraInfo = "Network.requestWillBeSentExtraInfo"
	mResponseReceived           = "Network.responseReceived"
	mResponseReceivedExtraInfo  = "Network.responseReceivedExtraInfo"
	mLoadingFinished            = "Network.loadingFinished"
	mLoadingFailed              = "Network.loadingFailed"
	mIssueAdded                 = "Audits.issueAdded"
	mBindingCalled              = "Runtime.bindingCalled"
)

var recordedMethods = []string{
	mRequestWillBeSent, mRequestWillBeSentExtraInfo, mResponseReceived,
	mResponseReceivedExtraInfo, mLoadingFinished, mLoadingFailed,
	mIssueAdded, mBindingCalled,
}

// cdpCookie is a cookie as the protocol describes it (Network.Cookie).
type cdpCookie struct {
	Name, Value, Domain, Path string
	Expires                   float64 // seconds since the epoch; -1 or 0 for session cookies
	Size                      int
	HTTPOnly, Secure, Session bool
	SameSite, Priority        string
	SourceScheme              string
	SourcePort                int
	Partition                 string
}

func readCookie(o jobj) cdpCookie {
	return cdpCookie{
		Name: o.str("name"), Value: o.str("value"), Domain: o.str("domain"), Path: o.str("path"),
		Expires: o.num("expires"), Size: o.integer("size"),
		HTTPOnly: o.boolean("httpOnly"), Secure: o.boolean("secure"), Session: o.boolean("session"),
		SameSite: o.str("sameSite"), Priority: o.str("priority"),
		SourceScheme: o.str("sourceScheme"), SourcePort: o.integer("sourcePort"),
		Partition: o.partition("partitionKey"),
	}
}

// response is the part of Network.Response the recorder keeps.
type response struct {
	URL        string
	Status     int
	StatusText string
	Headers    map[string]string
	MimeType   string
	Protocol   string
	FromCache  bool
}

func readResponse(o jobj) *response {
	return &response{
		URL: o.str("url"), Status: o.integer("status"), StatusText: o.str("statusText"),
		Headers: o.headers("headers"), MimeType: o.str("mimeType"), Protocol: o.str("protocol"),
		FromCache: o.boolean("fromDiskCache") || o.boolean("fromPrefetchCache") || o.boolean("fromServiceWorker"),
	}
}

type evRequest struct {
	ID, LoaderID, FrameID    string
	URL, Method, Type        string
	Referrer                 string
	InitiatorType, Initiator string
	Timestamp, WallTime      float64
	Redirect                 *response // the response of the previous hop
	RedirectHasExtraInfo     bool
	DocumentURL              string
	// Authorization is the raw header: kept in memory only, recorded as a
	// scheme and a fingerprint.
	Authorization string
}

func readRequest(o jobj) evRequest {
	req := o.obj("request")
	hs := req.headers("headers")
	ini := o.obj("initiator")
	e := evRequest{
		ID: o.str("requestId"), LoaderID: o.str("loaderId"), FrameID: o.str("frameId"),
		URL: req.str("url") + req.str("urlFragment"), Method: req.str("method"), Type: o.str("type"),
		Referrer:      headerValue(hs, "referer"),
		Authorization: headerValue(hs, "authorization"),
		InitiatorType: ini.str("type"), Initiator: ini.str("url"),
		Timestamp: o.num("timestamp"), WallTime: o.num("wallTime"),
		DocumentURL:          o.str("documentURL"),
		RedirectHasExtraInfo: o.boolean("redirectHasExtraInfo"),
	}
	if o.has("redirectResponse") {
		e.Redirect = readResponse(o.obj("redirectResponse"))
	}
	return e
}

type associatedCookie struct {
	Cookie    cdpCookie
	Reasons   []string
	Exemption string
}

type evRequestExtra struct {
	ID      string
	Cookies []associatedCookie
	Headers map[string]string
}

func readRequestExtra(o jobj) evRequestExtra {
	e := evRequestExtra{ID: o.str("requestId"), Headers: o.headers("headers")}
	for _, ac := range o.objs("associatedCookies") {
		e.Cookies = append(e.Cookies, associatedCookie{
			Cookie:    readCookie(ac.obj("cookie")),
			Reasons:   ac.strs("blockedReasons"),
			Exemption: ac.str("exemptionReason"),
		})
	}
	return e
}

type evResponse struct {
	ID, Type     string
	Timestamp    float64
	Response     *response
	HasExtraInfo bool
}

func readResponseEv(o jobj) evResponse {
	return evResponse{
		ID: o.str("requestId"), Type: o.str("type"), Timestamp: o.num("timestamp"),
		Response: readResponse(o.obj("response")), HasExtraInfo: o.boolean("hasExtraInfo"),
	}
}

type blockedSetCookie struct {
	Reasons []string
	Line    string
}

type evResponseExtra struct {
	ID          string
	Blocked     []blockedSetCookie
	Headers     map[string]string
	Status      int
	HeadersText string
	Partition   string
}

func readResponseExtra(o jobj) evResponseExtra {
	e := evResponseExtra{
		ID: o.str("requestId"), Headers: o.headers("headers"), Status: o.integer("statusCode"),
		HeadersText: o.str("headersText"), Partition: o.partition("cookiePartitionKey"),
	}
	for _, b := range o.objs("blockedCookies") {
		e.Blocked = append(e.Blocked, blockedSetCookie{Reasons: b.strs("blockedReasons"), Line: b.str("cookieLine")})
	}
	return e
}

type evLoading struct {
	ID        string
	Timestamp float64
	// EncodedDataLength is the bytes received for the request, headers
	// included (the body's size as sent, compressed or not).
	EncodedDataLength float64
	ErrorText         string
	Canceled          bool
	BlockedReason     string
	Failed            bool
}

func readLoading(o jobj, failed bool) evLoading {
	e := evLoading{ID: o.str("requestId"), Timestamp: o.num("timestamp"), Failed: failed}
	if failed {
		e.ErrorText, e.Canceled, e.BlockedReason = o.str("errorText"), o.boolean("canceled"), o.str("blockedReason")
	} else {
		e.EncodedDataLength = o.num("encodedDataLength")
	}
	return e
}

// evCookieIssue is an Audits CookieIssue: the browser's exclusion reasons
// for a cookie, which is the only report of a cookie rejected when set from
// script.
type evCookieIssue struct {
	Name, Domain, Path string
	RawLine            string
	Exclusions         []string
	Warnings           []string
	Operation          string
	URL                string
	RequestID          string
}

func readIssue(o jobj) (evCookieIssue, bool) {
	is := o.obj("issue")
	if is.str("code") != "CookieIssue" {
		return evCookieIssue{}, false
	}
	d := is.obj("details").obj("cookieIssueDetails")
	c := d.obj("cookie")
	return evCookieIssue{
		Name: c.str("name"), Domain: c.str("domain"), Path: c.str("path"),
		RawLine: d.str("rawCookieLine"), Exclusions: d.strs("cookieExclusionReasons"),
		Warnings: d.strs("cookieWarningReasons"), Operation: d.str("operation"),
		URL: d.str("cookieUrl"), RequestID: d.obj("request").str("requestId"),
	}, true
}

type evBinding struct {
	Name, Payload string
}

func readBinding(o jobj) evBinding {
	return evBinding{Name: o.str("name"), Payload: o.str("payload")}
}

// headerValue returns a header by case-insensitive name (HTTP/2 sends lower
// case names, HTTP/1.1 the server's spelling).
func headerValue(h map[string]string, name string) string {
	if v, ok := h[name]; ok {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
