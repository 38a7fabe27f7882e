package report

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// parsed is an HTML report as a browser builds it: its text (white space
// collapsed), the elements by tag, and every attribute as tag[name]=value.
type parsed struct {
	text  string
	tags  map[string]int
	attrs []string
	style string
}

func parseHTML(t *testing.T, in *Input) parsed {
	t.Helper()
	var b bytes.Buffer
	if err := HTML.Write(&b, in); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	p := parsed{tags: map[string]int{}}
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			p.tags[n.Data]++
			for _, a := range n.Attr {
				p.attrs = append(p.attrs, n.Data+"["+a.Key+"]="+a.Val)
			}
			if n.Data == "style" && n.FirstChild != nil {
				p.style += n.FirstChild.Data
				return
			}
		case html.TextNode:
			text.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && !slices.Contains([]string{"span", "strong", "code", "a"}, n.Data) {
			text.WriteString(" ") // a block or a cell ends: as a browser's innerText
		}
	}
	walk(doc)
	p.text = strings.Join(strings.Fields(text.String()), " ")
	return p
}

func inputOf(recs ...*recording.Recording) *Input {
	var ls []runfolder.Loaded
	for _, r := range recs {
		ls = append(ls, runfolder.Loaded{Recording: r, Path: "run/recordings/x.json"})
	}
	return &Input{Recordings: ls, Report: analysis.AnalyzeAll(recs), Version: "test"}
}

// The report says what the run found: the overview's totals, and per
// scenario why the user was logged out, the findings with their evidence,
// the logged-in lane and the session table.
func TestHTMLShowsTheRun(t *testing.T) {
	lab := rectest.Lab(t)
	in := inputOf(lab["mixed"], lab["cluster"], lab["correct"])
	p := parseHTML(t, in)
	reset := in.Report.Resets()
	if len(reset) == 0 {
		t.Fatal("the lab's recordings have no reset")
	}
	want := []string{
		"Session report: 3 scenarios", "3 scenarios", "passed 3", "critical 1",
		"Lab: a plain http link logs the user out", "Lab: sessions not replicated across nodes", "Lab: correct session handling",
		"Why the user was logged out", reset[0].Summary, "node-switch 3",
		"Where it changed: step 0 out, step 3 in, step 5 out.",
		"AUTH-CLEARTEXT", "Password form over http",
		"Evidence: form #login-form method=POST action=http://mixed.test:36773/login",
		"Session cookie JSESSIONID", "how it ended", "end-of-journey",
		"No unexpected session reset",
	}
	for _, f := range in.Report.Findings {
		want = append(want, f.Message)
	}
	for _, w := range want {
		if !strings.Contains(p.text, w) {
			t.Errorf("the report lacks %q", w)
		}
	}
	// Worst first, as the text format orders them.
	if a, b := strings.Index(p.text, "Lab: a plain http link"), strings.Index(p.text, "Lab: correct session handling"); a > b {
		t.Errorf("scenarios not worst first")
	}
	if n := p.tags["section"]; n != 4 {
		t.Errorf("%d sections, want the overview and one per scenario", n)
	}
}

// A failure shows its message and where it is written in the scenario.
func TestHTMLLocatesTheFailure(t *testing.T) {
	p := parseHTML(t, failedRun(t))
	for _, w := range []string{"failed: scenarios/login.yaml:14:5: step 1 (expect): #welcome: no element matched after 3s",
		"failures/login-step-01.png", "failures/login-step-01.html", "SESSION-FIXATION"} {
		if !strings.Contains(p.text, w) {
			t.Errorf("the report lacks %q:\n%s", w, p.text)
		}
	}
}

// Markup in a recording's strings stays text: the document has only the
// elements and attributes of its template, and shows the markup as
// written.
func TestHTMLEscapesHostileRecordings(t *testing.T) {
	p := parseHTML(t, inputOf(rectest.Hostile(t)))
	allowed := []string{"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "p", "span", "strong",
		"section", "div", "table", "thead", "tbody", "tr", "th", "td", "a", "ul", "li", "code", "br", "footer"}
	for tag := range p.tags {
		if !slices.Contains(allowed, tag) {
			t.Errorf("element <%s> in the report (%v)", tag, slices.Sorted(maps.Keys(p.tags)))
		}
	}
	for _, a := range p.attrs {
		name := a[strings.Index(a, "[")+1 : strings.Index(a, "]")]
		if !slices.Contains([]string{"lang", "charset", "http-equiv", "content", "name", "class", "id", "href"}, name) {
			t.Errorf("attribute %s", a)
		}
	}
	for _, w := range []string{"Hostile " + rectest.XSSImg + rectest.XSSScript, rectest.XSSBreak + "hostile.yaml:7:3",
		rectest.XSSImg + "JSESSIONID", "Recording note: " + rectest.XSSScript, "no element matched " + rectest.XSSImg} {
		if !strings.Contains(p.text, w) {
			t.Errorf("the report does not show %q as text", w)
		}
	}
}

// The document stands alone: it names no other resource, and its policy
// lets it load nothing and run no script.
func TestHTMLIsSelfContained(t *testing.T) {
	p := parseHTML(t, inputOf(rectest.Hostile(t), rectest.Lab(t)["cluster"]))
	csp := ""
	for _, a := range p.attrs {
		switch {
		case strings.HasPrefix(a, "meta[content]=default-src"):
			csp = strings.TrimPrefix(a, "meta[content]=")
		case strings.HasPrefix(a, "a[href]=") && !strings.HasPrefix(a, "a[href]=#"):
			t.Errorf("a link out of the document: %s", a)
		case strings.Contains(a, "[src]") || strings.Contains(a, "[style]"):
			t.Errorf("attribute %s", a)
		}
	}
	if !strings.HasPrefix(csp, "default-src 'none'; style-src 'sha256-"+sha256Base64(p.style)+"'") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q does not allow the style sheet alone (its hash %s)", csp, sha256Base64(p.style))
	}
	for _, s := range []string{"url(", "@import", "@font-face", "http:", "https:"} {
		if strings.Contains(p.style, s) {
			t.Errorf("the style sheet has %q", s)
		}
	}
}

// A recording made with --reveal-values holds the session ID raw, and the
// analysis quotes it (a URL that carries it); the report shows its
// placeholder instead.
func TestHTMLShowsNoRevealedValue(t *testing.T) {
	in := inputOf(rectest.Revealed())
	var j bytes.Buffer
	JSON.Write(&j, in)
	if !strings.Contains(j.String(), rectest.RevealedID) {
		t.Fatal("the analysis does not quote the revealed ID: the test shows nothing")
	}
	var b bytes.Buffer
	if err := HTML.Write(&b, in); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), rectest.RevealedID) || strings.Contains(b.String(), rectest.RevealedID[:12]) {
		t.Errorf("the report holds the raw ID %s", rectest.RevealedID)
	}
	fp := in.Recordings[0].Recording.Steps[0].Jar[0].Value.Short()
	p := parseHTML(t, in)
	for _, w := range []string{";jsessionid=" + recording.ValuePlaceholder(fp), "raw cookie values (--reveal-values); this report shows none"} {
		if !strings.Contains(p.text, w) {
			t.Errorf("the report lacks %q", w)
		}
	}
	// Scrubbing works on the document's copies: the recording keeps its value.
	if v := in.Recordings[0].Recording.Steps[0].Jar[0].Value.Raw; v == nil || *v != rectest.RevealedID {
		t.Errorf("the recording was changed: %v", v)
	}
}
