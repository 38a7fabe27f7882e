package harness

import (
	"net/url"
	"testing"
)

func TestScanPage(t *testing.T) {
	html := `<html><head><title> Account </title><meta http-equiv="Refresh" content="5; URL='http://shop.test/old'"></head>
<body><a id="plain" href="http://shop.test/account">plain</a> <a href="/logout">Log out</a>
<form action="/login" method="post"><input type="password" name="p"></form>
<form><input name="q"></form>
<p>debug: SECRETSESSIONVALUE123</p></body></html>`
	pf := scanPage(html, "https://shop.test/account", []cdpCookie{{Name: "SID", Value: "SECRETSESSIONVALUE123"}, {Name: "other", Value: "notinthepage12345"}})
	if pf.title != "Account" || pf.metaRefresh != "http://shop.test/old" {
		t.Fatalf("title %q, meta refresh %q", pf.title, pf.metaRefresh)
	}
	if len(pf.links) != 2 || pf.links[0].href != "http://shop.test/account" || pf.links[0].selector != "#plain" ||
		pf.links[1].href != "https://shop.test/logout" || pf.links[1].selector != `a[href="/logout"]` {
		t.Fatalf("links: %+v", pf.links)
	}
	if len(pf.forms) != 2 || pf.forms[0].action != "https://shop.test/login" || pf.forms[0].method != "POST" || !pf.forms[0].password ||
		pf.forms[1].method != "GET" || pf.forms[1].password || pf.forms[1].action != "https://shop.test/account" {
		t.Fatalf("forms: %+v", pf.forms)
	}
	if len(pf.valuesIn) != 1 || pf.valuesIn[0].Name != "SID" {
		t.Fatalf("values in page: %+v", pf.valuesIn)
	}
}

func TestHostRules(t *testing.T) {
	rs := parseHostRules("MAP *.test 127.0.0.1, MAP api.example 10.0.0.2, EXCLUDE localhost, MAP * ~NOTFOUND")
	cases := map[string]string{"shop.test": "127.0.0.1", "a.b.test": "127.0.0.1", "api.example": "10.0.0.2", "localhost": "", "example.org": ""}
	for host, want := range cases {
		if got, _ := rs.resolve(host); got != want {
			t.Errorf("resolve(%s) = %q, want %q", host, got, want)
		}
	}
}

func TestCookieApplies(t *testing.T) {
	u, _ := url.Parse("http://shop.test/account/x")
	cases := []struct {
		c    cdpCookie
		want bool
	}{
		{cdpCookie{Domain: "shop.test", Path: "/"}, true},
		{cdpCookie{Domain: "shop.test", Path: "/", Secure: true}, false},
		{cdpCookie{Domain: ".shop.test", Path: "/account"}, true},
		{cdpCookie{Domain: "www.shop.test", Path: "/"}, false},
		{cdpCookie{Domain: "shop.test", Path: "/acc"}, false},
	}
	for _, c := range cases {
		if got := cookieApplies(c.c, u); got != c.want {
			t.Errorf("cookieApplies(%+v) = %v", c.c, got)
		}
	}
}
