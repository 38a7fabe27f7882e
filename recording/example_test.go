package recording_test

import (
	"fmt"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// Parse a Set-Cookie line as a browser does. The value is kept as a keyed
// fingerprint (equal values match within a run, nothing can be reversed)
// with its length and, when it has one, its structure.
func ExampleParseSetCookie() {
	red := recording.NewRedactor([]byte("a key per run"), false)
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	sc := recording.ParseSetCookie("__Host-sid=Zx81kQ2mP0aL7cR4tW9yB3; Path=/; Secure; HttpOnly; SameSite=Lax", now, red)
	fmt.Println(sc.Name, sc.Path, sc.Secure, sc.HTTPOnly, sc.SameSite, sc.Value.Len, sc.Value.Raw == nil)

	gone := recording.ParseSetCookie("session=; Path=/; Max-Age=0", now, red)
	fmt.Println(gone.Name, "deletion:", gone.Deletion)

	jwt := recording.ParseSetCookie("token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl; Path=/", now, red)
	fmt.Println(jwt.Name, "format:", jwt.Value.Format)
	// Output:
	// __Host-sid / true true Lax 22 true
	// session deletion: true
	// token format: jwt
}

// InferAuth tells whether the user was logged in after each step from the
// recording's own facts: here a redirect to the page that held the login
// form.
func ExampleInferAuth() {
	r := &recording.Recording{
		Steps: []recording.Step{
			{Index: 0, Kind: "goto", Status: recording.StatusPassed, URL: "https://shop.test/login"},
			{Index: 1, Kind: "click", Status: recording.StatusPassed, URL: "http://shop.test/login"},
		},
		Requests: []recording.Request{
			{ID: "1", Step: 0, Method: "GET", URL: "https://shop.test/login", ResourceType: "Document", Status: 200},
			{ID: "2", Step: 1, Method: "GET", URL: "http://shop.test/account", ResourceType: "Document", Status: 302, Location: "/login"},
			{ID: "2.1", Step: 1, Method: "GET", URL: "http://shop.test/login", ResourceType: "Document", Status: 200, RedirectedFrom: "2"},
		},
		Pages: []recording.PageFacts{
			{Request: "1", Step: 0, URL: "https://shop.test/login", Forms: []recording.Form{{Action: "/login", HasPassword: true}}},
			{Request: "2", Step: 1, URL: "http://shop.test/login", Forms: []recording.Form{{Action: "/login", HasPassword: true}}},
		},
	}
	for i, a := range recording.InferAuth(r) {
		fmt.Printf("step %d: %s (%s)\n", i, a.State, a.Source)
	}
	// Output:
	// step 0: out (password-form)
	// step 1: out (login-redirect)
}
