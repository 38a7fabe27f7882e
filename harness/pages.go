package harness

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"
)

// pageFacts is what the harness learns from one HTML document, with raw
// URLs (the builder scrubs them).
type pageFacts struct {
	request     string // request id of the document (the final hop)
	step        int
	url, title  string
	links       []linkFact
	forms       []formFact
	metaRefresh string
	valuesIn    []cdpCookie // cookies whose value occurs in the HTML
	truncated   bool
	truncation  string // which limit made the facts partial
	size        int    // the body's size as received, when it was too big to scan whole
}

type linkFact struct{ href, text, selector string }

type formFact struct {
	action, method, selector string
	password                 bool
}

// collectPages reads the body of every HTML document that finished loading
// since the last call and extracts its facts. It runs between steps, while
// the page that loaded the documents is still open (the browser keeps
// bodies only for a while).
func (r *runner) collectPages(ctx context.Context, step int, jar []cdpCookie) {
	r.scanPages(step, jar, r.fetchPages(ctx))
}

// A fetchedPage is a document of the step with its body, or why it was
// not scanned.
type fetchedPage struct {
	doc  docRef
	html string
	why  string // not scanned, and why; "" when html holds its body
}

// fetchPages reads the bodies of the documents that arrived since the
// last call; readState does it while the jar is read (the round trips
// overlap), and scanPages looks at them once the jar is known.
func (r *runner) fetchPages(ctx context.Context) []fetchedPage {
	var out []fetchedPage
	for _, id := range r.col.newDocuments() {
		if id.size > maxBodyBytes {
			// The browser was told not to keep it, and this process does
			// not want it: note the document, scan nothing.
			out = append(out, fetchedPage{doc: id, why: fmt.Sprintf("not scanned: over the %d MiB of a body the browser keeps for the harness", maxBodyBytes>>20)})
			continue
		}
		// Decoded straight into the struct: a body of up to maxBodyBytes is
		// copied as few times as the driver allows.
		var body struct {
			Body          string `json:"body"`
			Base64Encoded bool   `json:"base64Encoded"`
		}
		err := r.withTimeout(ctx, 5*time.Second, func(c context.Context) error {
			return chromedp.FromContext(r.tab).Target.Call(c, "Network.getResponseBody", map[string]any{"requestId": id.id}, &body)
		})
		if err != nil && strings.Contains(err.Error(), "evicted") {
			// Bigger than maxBodyBytes once decompressed, or pushed out by
			// later responses.
			out = append(out, fetchedPage{doc: id, why: "not scanned: the browser no longer kept the body (" + err.Error() + ")"})
			continue
		}
		if err != nil {
			continue // gone with its page, not a body the browser kept, or not the shape expected: no facts, nothing invented
		}
		html := body.Body
		if body.Base64Encoded {
			b, err := base64.StdEncoding.DecodeString(html)
			if err != nil {
				continue
			}
			html = string(b)
		}
		out = append(out, fetchedPage{doc: id, html: html})
	}
	return out
}

// scanPages adds the facts of the fetched pages of step: links, forms,
// and the cookie values of jar (and of the jars before it) they show.
func (r *runner) scanPages(step int, jar []cdpCookie, pages []fetchedPage) {
	var values []cdpCookie
	for k, p := range pages {
		if p.why != "" {
			r.pages = append(r.pages, unscanned(p.doc, step, p.why))
			continue
		}
		if k == 0 || values == nil {
			var held []cdpCookie
			for _, s := range r.steps {
				held = append(held, s.jar...)
			}
			values = cookieValues(jar, held)
		}
		pf := scanPage(p.html, p.doc.url, values)
		pf.request, pf.step = p.doc.id, step
		r.pages = append(r.pages, pf)
	}
}

// unscanned is the entry of a document whose body the harness did not read.
func unscanned(d docRef, step int, why string) pageFacts {
	return pageFacts{request: d.id, step: step, url: d.url, truncated: true, size: d.size, truncation: why}
}

// cookieValues lists the cookies whose values are worth looking for in a
// page: long enough not to match by chance.
func cookieValues(jar []cdpCookie, seen []cdpCookie) []cdpCookie {
	var out []cdpCookie
	have := map[string]bool{}
	for _, c := range append(append([]cdpCookie(nil), jar...), seen...) {
		if len(c.Value) < minValueInPage || have[c.Name+"\x00"+c.Value] {
			continue
		}
		have[c.Name+"\x00"+c.Value] = true
		out = append(out, c)
	}
	return out
}

const minValueInPage = 12

// scanPage extracts links, forms, meta refresh and cookie values from an
// HTML document served at pageURL.
func scanPage(html, pageURL string, cookies []cdpCookie) pageFacts {
	pf := pageFacts{url: pageURL}
	if len(html) > maxPageBytes {
		pf.size = len(html)
		html, pf.truncated = html[:maxPageBytes], true
		pf.truncation = fmt.Sprintf("only the first %d MiB were scanned", maxPageBytes>>20)
	}
	for _, c := range cookies {
		if strings.Contains(html, c.Value) {
			pf.valuesIn = append(pf.valuesIn, c)
		}
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		return pf
	}
	base, _ := url.Parse(pageURL)
	if b, ok := doc.Find("base[href]").First().Attr("href"); ok && base != nil {
		if bu, err := base.Parse(b); err == nil {
			base = bu
		}
	}
	abs := func(ref string) string {
		ref = strings.TrimSpace(ref)
		if base == nil {
			return ref
		}
		u, err := base.Parse(ref)
		if err != nil {
			return ref
		}
		return u.String()
	}
	pf.title = strings.TrimSpace(doc.Find("title").First().Text())
	links, forms := doc.Find("a[href], area[href]"), doc.Find("form")
	if links.Length() > maxLinks || forms.Length() > maxForms {
		pf.truncated = true
		pf.truncation = joinNote(pf.truncation, fmt.Sprintf("more than %d links or %d forms: the rest were left out", maxLinks, maxForms))
		links, forms = links.Slice(0, min(links.Length(), maxLinks)), forms.Slice(0, min(forms.Length(), maxForms))
	}
	links.Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		pf.links = append(pf.links, linkFact{href: abs(href), text: clipText(s.Text()), selector: selectorOf(s, goquery.NodeName(s), "href", href)})
	})
	forms.Each(func(_ int, s *goquery.Selection) {
		action, ok := s.Attr("action")
		if !ok {
			action = ""
		}
		method := strings.ToUpper(strings.TrimSpace(s.AttrOr("method", "GET")))
		if method == "" {
			method = "GET"
		}
		pf.forms = append(pf.forms, formFact{action: abs(action), method: method, selector: selectorOf(s, "form", "action", action),
			password: s.Find(`input[type="password" i]`).Length() > 0})
	})
	doc.Find(`meta[http-equiv]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if !strings.EqualFold(s.AttrOr("http-equiv", ""), "refresh") {
			return true
		}
		if t := refreshTarget(s.AttrOr("content", "")); t != "" {
			pf.metaRefresh = abs(t)
		}
		return false
	})
	return pf
}

// refreshTarget reads the URL of a meta refresh content value such as
// "0; url=http://example.test/".
func refreshTarget(content string) string {
	_, rest, ok := strings.Cut(content, ";")
	if !ok {
		return ""
	}
	rest = strings.TrimSpace(rest)
	if len(rest) >= 4 && strings.EqualFold(rest[:3], "url") {
		rest = strings.TrimSpace(rest[3:])
		rest = strings.TrimSpace(strings.TrimPrefix(rest, "="))
	}
	return strings.Trim(rest, `'"`)
}

// selectorOf names an element with a CSS selector a person can paste into
// DevTools: by id when it has one, else by the attribute that matters.
func selectorOf(s *goquery.Selection, tag, attr, val string) string {
	if id, ok := s.Attr("id"); ok && id != "" && !strings.ContainsAny(id, " \t\n\"'") {
		return "#" + id
	}
	return tag + "[" + attr + "=" + strconv.Quote(val) + "]"
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func clipText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
