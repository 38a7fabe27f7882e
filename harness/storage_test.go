package harness

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

const (
	jwtToken     = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	refreshToken = "Rf7Qm2xWp9Lk4Vt8Zc1Bn6Hy3Ds5Ga0E"
)

// storageWrite is a binding report of the instrumentation's Storage
// wrappers, as the page sends it.
func storageWrite(op, area, key, value string) [2]string {
	payload, _ := json.Marshal(map[string]string{"op": op, "area": area, "origin": "https://spa.test",
		"name": key, "value": value, "url": "https://spa.test/", "loc": "https://spa.test/app.js:12:5"})
	ev, _ := json.Marshal(map[string]any{"name": "__bind", "payload": string(payload)})
	return [2]string{mBindingCalled, string(ev)}
}

// Web Storage writes become storage events, fingerprinted like cookie
// values (a JSON value's long string fields too); an Authorization header
// becomes its scheme and a fingerprint that joins the stored token; the
// raw tokens are nowhere in the recording, not even in a URL that carries
// one (a nested field's too).
func TestStorageAndAuthorizationRecorded(t *testing.T) {
	c := newCollector("__bind")
	blob := `{"access_token":"` + jwtToken + `","token_type":"Bearer","authority":"https://idp.spa.test","profile":{"sub":"alice","sid":"` + refreshToken + `"}}`
	feed(c,
		storageWrite("storage.set", "localStorage", "access_token", jwtToken),
		storageWrite("storage.set", "sessionStorage", "oidc.user:app", blob),
		storageWrite("storage.remove", "sessionStorage", "oidc.user:app", ""),
		storageWrite("storage.clear", "localStorage", "", ""),
		storageWrite("storage.set", "localStorage", "persist:token", `"`+jwtToken+`"`),
		[2]string{mRequestWillBeSent, `{"requestId":"A","request":{"url":"https://spa.test/api/me?t=` + jwtToken + `","method":"GET","headers":{"Authorization":"Bearer ` + jwtToken + `"}},"timestamp":1,"wallTime":1800000001,"type":"Fetch"}`},
		[2]string{mRequestWillBeSent, `{"requestId":"B","request":{"url":"https://spa.test/api/x?sid=` + refreshToken + `","method":"GET","headers":{}},"timestamp":1,"wallTime":1800000001,"type":"Fetch"}`},
		[2]string{mRequestWillBeSentExtraInfo, `{"requestId":"B","associatedCookies":[],"headers":{"authorization":"Basic YWxpY2U6bGFiLXBhc3N3b3Jk"}}`},
		[2]string{mRequestWillBeSent, `{"requestId":"C","request":{"url":"https://idp.spa.test/authorize?client_id=spa","method":"GET","headers":{}},"timestamp":1,"wallTime":1800000001,"type":"Document"}`},
	)
	rec := buildFrom(c)
	var got []string
	for _, e := range rec.Storage {
		s := string(e.Kind) + " " + string(e.Area) + " " + e.Origin + " " + e.Key + " " + e.Script
		if e.Value != nil {
			s += " len=" + strconv.Itoa(e.Value.Len) + " format=" + string(e.Value.Format)
		}
		for _, f := range e.Fields {
			s += " field:" + f.Name
		}
		got = append(got, s)
	}
	want := []string{
		"set localStorage https://spa.test access_token https://spa.test/app.js:12:5 len=" + strconv.Itoa(len(jwtToken)) + " format=jwt",
		"set sessionStorage https://spa.test oidc.user:app https://spa.test/app.js:12:5 len=" + strconv.Itoa(len(blob)) + " format= field:access_token field:authority field:profile.sid",
		"removed sessionStorage https://spa.test oidc.user:app https://spa.test/app.js:12:5",
		"cleared localStorage https://spa.test  https://spa.test/app.js:12:5",
		"set localStorage https://spa.test persist:token https://spa.test/app.js:12:5 len=" + strconv.Itoa(len(jwtToken)+2) + " format= field:value",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("storage:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(rec.Requests) != 3 || rec.Requests[0].Authorization == nil || rec.Requests[1].Authorization == nil {
		t.Fatalf("requests %+v, want 3, the first two with an authorization", rec.Requests)
	}
	// A stored URL (the client's authority) is no token: the provider's
	// URLs stay readable.
	if u := rec.Requests[2].URL; u != "https://idp.spa.test/authorize?client_id=spa" {
		t.Errorf("the provider's URL reads %q", u)
	}
	a, basic := rec.Requests[0].Authorization, rec.Requests[1].Authorization
	if a.Scheme != "Bearer" || a.Value.Fingerprint != rec.Storage[0].Value.Fingerprint || a.Value.Fingerprint != rec.Storage[1].Fields[0].Value.Fingerprint ||
		a.Value.Fingerprint != rec.Storage[4].Fields[0].Value.Fingerprint {
		t.Errorf("bearer %+v does not join the stored token %+v", a, rec.Storage[0].Value)
	}
	if basic.Scheme != "Basic" || basic.Value.Len != len("YWxpY2U6bGFiLXBhc3N3b3Jk") {
		t.Errorf("basic from the raw headers: %+v", basic)
	}
	out, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{jwtToken, refreshToken, "YWxpY2U6bGFiLXBhc3N3b3Jk"} {
		if strings.Contains(string(out), raw) {
			t.Errorf("the recording holds %q", raw)
		}
	}
}

// After a logout step the page's storage, as read, is the step's: sorted,
// fingerprinted, a secret value marked and never stored.
func TestStorageAfterLogoutItems(t *testing.T) {
	red := recording.NewRedactor([]byte("k"), true)
	red.AddSecret("lab-password-secret")
	b := &builder{c: newCollector("b"), red: red, steps: []stepRun{{
		rec: recording.Step{Start: time.Unix(1_700_000_000, 0)},
		storage: &storageRead{Origin: "https://spa.test",
			Local:   [][2]string{{"refresh_token", refreshToken}, {"access_token", jwtToken}},
			Session: [][2]string{{"pw", "lab-password-secret"}}},
	}}}
	rec := &recording.Recording{}
	b.build(rec)
	items := rec.Steps[0].Storage
	var got []string
	for _, it := range items {
		got = append(got, string(it.Area)+" "+it.Key)
	}
	if want := "localStorage access_token,localStorage refresh_token,sessionStorage pw"; strings.Join(got, ",") != want {
		t.Fatalf("items %q, want %q", strings.Join(got, ","), want)
	}
	if items[0].Value.Raw == nil || *items[0].Value.Raw != jwtToken {
		t.Errorf("with --reveal-values the token is stored: %+v", items[0].Value)
	}
	if pw := items[2].Value; !pw.Secret || pw.Raw != nil {
		t.Errorf("a secret value: %+v, want secret and no raw", pw)
	}
}
