package rundiff

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/recording/har"
)

func diffOf(a, b *recording.Recording) *Diff { return Runs(one(a), one(b)) }

func notes(d *Diff) []string {
	var out []string
	for _, sd := range d.Scenarios {
		out = append(out, sd.Notes...)
	}
	return out
}

// Two runs of the same journey, with their own fingerprint keys, IDs,
// times and hosts (staging and production), show no change.
func TestSameJourneyInTwoEnvironmentsHasNoChange(t *testing.T) {
	for _, s := range []site{
		{},
		{attrs: "Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600"},
		{attrs: "Path=/; Domain=app.test; Secure; HttpOnly; SameSite=Lax"},
		{keep: true, stay: true, probe: "accepted"},
		{failAt: "login"},
	} {
		a, b := s, s
		a.host = "staging.app.test"
		if strings.Contains(s.attrs, "Domain=") {
			a.attrs = strings.Replace(s.attrs, "app.test", "staging.app.test", 1)
		}
		d := diffOf(journey(a), journey(b))
		if got := lines(d); len(got) != 0 || len(notes(d)) != 0 {
			t.Errorf("%+v: changes %q, notes %q", s, got, notes(d))
		}
		if d.Totals != (Totals{Scenarios: 1}) {
			t.Errorf("%+v: totals %+v", s, d.Totals)
		}
	}
}

func TestCookieAttributeChanges(t *testing.T) {
	cases := []struct {
		name  string
		attrs string
		want  []string
	}{
		{"httpOnly lost", "Path=/; Secure; SameSite=Lax", []string{
			"cookie SID httpOnly: true -> false REGRESSION", "finding COOKIE-HTTPONLY-MISSING new REGRESSION"}},
		{"secure lost", "Path=/; HttpOnly; SameSite=Lax", []string{
			"cookie SID secure: true -> false REGRESSION", "finding COOKIE-SECURE-MISSING new REGRESSION"}},
		{"SameSite None", "Path=/; Secure; HttpOnly; SameSite=None", []string{
			"cookie SID sameSite: Lax -> None REGRESSION", "finding COOKIE-SAMESITE-NONE new REGRESSION"}},
		{"SameSite unset", "Path=/; Secure; HttpOnly", []string{
			"cookie SID sameSite: Lax -> unset REGRESSION", "finding COOKIE-SAMESITE-MISSING new REGRESSION"}},
		{"SameSite Strict", "Path=/; Secure; HttpOnly; SameSite=Strict", []string{
			"cookie SID sameSite: Lax -> Strict improvement"}},
		{"persistent session ID", rectest.SecureAttrs + "; Max-Age=86400", []string{
			"cookie SID lifetime: session -> 1d REGRESSION", "finding COOKIE-SESSION-PERSISTENT new REGRESSION"}},
		{"Domain attribute", rectest.SecureAttrs + "; Domain=app.test", []string{
			"cookie SID hostOnly: true -> false REGRESSION", "finding COOKIE-DOMAIN-LOOSE new REGRESSION"}},
		{"path", "Path=/app; Secure; HttpOnly; SameSite=Lax", []string{
			"cookie SID path: / -> /app"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := diffOf(journey(site{}), journey(site{attrs: c.attrs}))
			if got := lines(d); !reflect.DeepEqual(got, c.want) {
				t.Errorf("changes:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// The reverse of a regression is an improvement.
func TestFixIsAnImprovement(t *testing.T) {
	d := diffOf(journey(site{attrs: "Path=/; Secure; SameSite=Lax", keep: true}), journey(site{}))
	want := []string{
		"cookie SID httpOnly: false -> true improvement",
		"session SID rotation at login (step 1): no -> yes improvement",
		"finding SESSION-FIXATION fixed improvement",
		"finding COOKIE-HTTPONLY-MISSING fixed improvement",
	}
	if got := lines(d); !reflect.DeepEqual(got, want) {
		t.Errorf("changes:\n got %q\nwant %q", got, want)
	}
	if d.Totals.Regressions != 0 || d.Totals.Improvements != 4 || len(d.Regressions()) != 0 {
		t.Errorf("totals %+v", d.Totals)
	}
}

func TestLifetimeTolerance(t *testing.T) {
	theme := func(maxAge string) func(b *rectest.Builder) {
		return func(b *rectest.Builder) {
			b.Get("https://app.test/prefs").Set("theme", "dark", "Path=/; Secure; SameSite=Lax; Max-Age="+maxAge)
		}
	}
	cases := []struct {
		a, b   string // the session cookie's Max-Age
		ta, tb string
		want   []string
	}{
		{"7200", "7201", "86400", "86400", nil},
		{"7200", "7700", "86400", "86400", nil}, // 7%: jitter and clock skew, not a change
		{"7200", "259200", "86400", "86400", []string{
			"cookie SID lifetime: 2h -> 3d REGRESSION", "finding COOKIE-SESSION-PERSISTENT severity: low -> medium REGRESSION"}},
		{"259200", "7200", "86400", "86400", []string{
			"cookie SID lifetime: 3d -> 2h improvement", "finding COOKIE-SESSION-PERSISTENT severity: medium -> low improvement"}},
		{"5", "10", "86400", "86400", []string{"cookie SID lifetime: 5s -> 10s REGRESSION"}},
		// Not a session ID: a change, neither better nor worse.
		{"7200", "7200", "86400", "2592000", []string{"cookie theme lifetime: 1d -> 30d"}},
	}
	for _, c := range cases {
		a := journey(site{attrs: rectest.SecureAttrs + "; Max-Age=" + c.a, extra: theme(c.ta)})
		b := journey(site{attrs: rectest.SecureAttrs + "; Max-Age=" + c.b, extra: theme(c.tb)})
		if got := lines(diffOf(a, b)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v:\n got %q", c, got)
		}
	}
}

// A persistent cookie's lifetime is measured from when it was set, so a
// cookie set long before a later snapshot has the same lifetime.
func TestLifetimeMeasuredFromTheSet(t *testing.T) {
	slow := journey(site{attrs: rectest.SecureAttrs + "; Max-Age=600", extra: func(b *rectest.Builder) { b.Wait(5 * time.Minute) }})
	fast := journey(site{attrs: rectest.SecureAttrs + "; Max-Age=600"})
	if got := lines(diffOf(fast, slow)); len(got) != 0 {
		t.Errorf("changes %q", got)
	}
}

func TestSizeChangesOnlyWhenMaterial(t *testing.T) {
	with := func(v string) *recording.Recording {
		return journey(site{extra: func(b *rectest.Builder) {
			b.Get("https://app.test/x").Set("cart", v, "Path=/; Secure; HttpOnly; SameSite=Lax")
		}})
	}
	if got := lines(diffOf(with(strings.Repeat("a", 40)), with(strings.Repeat("a", 52)))); len(got) != 0 {
		t.Errorf("12 bytes more: %q", got)
	}
	if got := lines(diffOf(with(strings.Repeat("a", 200)), with(strings.Repeat("a", 240)))); len(got) != 0 {
		t.Errorf("20%% more: %q", got)
	}
	want := []string{"cookie cart size: 44 -> 104"}
	if got := lines(diffOf(with(strings.Repeat("a", 40)), with(strings.Repeat("a", 100)))); !reflect.DeepEqual(got, want) {
		t.Errorf("60 bytes more: %q", got)
	}
}

func TestCookiesAddedAndGone(t *testing.T) {
	a := journey(site{extra: func(b *rectest.Builder) {
		b.Get("https://app.test/t").Set("tracker", "1", "Path=/; Secure; SameSite=Lax")
	}})
	b := journey(site{extra: func(b *rectest.Builder) {
		b.Get("https://app.test/t").Set("theme", "dark", "Path=/; Secure; SameSite=Lax")
	}})
	d := diffOf(a, b)
	// The info findings about them are changes, not regressions.
	want := []string{"cookie tracker gone", "cookie theme added",
		"finding COOKIE-HTTPONLY-MISSING fixed", "finding COOKIE-HTTPONLY-MISSING new"}
	if got := lines(d); !reflect.DeepEqual(got, want) {
		t.Fatalf("changes %q", got)
	}
	c := d.Scenarios[0].Cookies
	if c[0].A == nil || c[0].B != nil || c[1].A != nil || c[1].B.Scope != "{target}" || c[1].B.Source != "jar" {
		t.Errorf("rows %+v", c)
	}
}

// A renamed cookie that lost its prefix is the same cookie, with the
// prefix as a changed attribute.
func TestPrefixLost(t *testing.T) {
	a := journey(site{cookie: "__Host-sid"})
	b := journey(site{cookie: "sid"})
	want := []string{"cookie sid prefix: __Host- -> none REGRESSION", "finding COOKIE-HOST-PREFIX-ABSENT new"}
	if got := lines(diffOf(a, b)); !reflect.DeepEqual(got, want) {
		t.Errorf("changes %q", got)
	}
}

func TestDomainRelationChange(t *testing.T) {
	// www.app.test's cookie moves from host-only to the parent domain.
	a := journey(site{host: "www.app.test"})
	b := journey(site{host: "www.app.test", attrs: rectest.SecureAttrs + "; Domain=app.test"})
	want := []string{
		"cookie SID hostOnly: true -> false REGRESSION",
		"cookie SID domain: {target} -> {target-1} REGRESSION",
		"finding COOKIE-DOMAIN-LOOSE new REGRESSION",
	}
	if got := lines(diffOf(a, b)); !reflect.DeepEqual(got, want) {
		t.Errorf("changes %q", got)
	}
	if got := lines(diffOf(b, a)); !slices.Contains(got, "cookie SID domain: {target-1} -> {target} improvement") {
		t.Errorf("reverse: %q", got)
	}
}

func TestRotationLost(t *testing.T) {
	want := []string{
		"session SID rotation at login (step 1): yes -> no REGRESSION",
		"finding SESSION-FIXATION new REGRESSION",
	}
	if got := lines(diffOf(journey(site{}), journey(site{keep: true}))); !reflect.DeepEqual(got, want) {
		t.Errorf("changes %q", got)
	}
}

func TestLogoutInvalidation(t *testing.T) {
	cases := []struct {
		a, b site
		want []string
		note string
	}{
		{site{}, site{stay: true}, []string{"session SID invalidated at logout (step 2): yes -> no REGRESSION",
			"finding SESSION-LOGOUT-INCOMPLETE new REGRESSION"}, ""},
		// The ID survived the logout step and the server replaced it on
		// the next page: not invalidated at logout either.
		{site{}, site{stay: true, then: func(b *rectest.Builder) {
			b.Step("goto", "")
			b.Get("https://app.test/").SendHeld("SID").Set("SID", b.ID("anon"), rectest.SecureAttrs)
		}}, []string{"session SID invalidated at logout (step 2): yes -> no REGRESSION",
			"finding SESSION-LOGOUT-INCOMPLETE new REGRESSION"}, "step 3 ran only in B"},
		{site{probe: "refused"}, site{probe: "accepted"}, []string{
			"session SID invalidated at logout (step 2): yes -> browser only REGRESSION",
			"finding SESSION-NOT-INVALIDATED new REGRESSION"}, ""},
		{site{probe: "accepted"}, site{probe: "refused"}, []string{
			"session SID invalidated at logout (step 2): browser only -> yes improvement",
			"finding SESSION-NOT-INVALIDATED fixed improvement"}, ""},
		// A probe in one run only: server-side invalidation is not compared.
		{site{probe: "refused"}, site{}, nil, "the logout probe ran (with a result) only in A"},
	}
	for _, c := range cases {
		d := diffOf(journey(c.a), journey(c.b))
		if got := lines(d); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v -> %+v:\n got %q\nwant %q", c.a, c.b, got, c.want)
		}
		if n := strings.Join(notes(d), "\n"); c.note != "" && !strings.Contains(n, c.note) || c.note == "" && n != "" {
			t.Errorf("%+v -> %+v: notes %q", c.a, c.b, n)
		}
	}
}

func TestNewResetIsARegression(t *testing.T) {
	// In B the server replaces the ID on a plain page: a reset.
	replaced := func(b *rectest.Builder) {
		b.Get("https://app.test/page").SendHeld("SID").Set("SID", b.ID("other"), rectest.SecureAttrs)
	}
	mk := func(extra func(b *rectest.Builder)) *recording.Recording {
		b := newRun("reset", "reset.yaml", "https://app.test", "SID")
		b.Step("goto", "")
		b.Get("https://app.test/").Set("SID", b.ID("a"), rectest.SecureAttrs)
		b.Step("goto", "")
		if extra != nil {
			extra(b)
		} else {
			b.Get("https://app.test/page").SendHeld("SID")
		}
		return b.Rec()
	}
	d := diffOf(mk(nil), mk(replaced))
	// SESSION-RESET findings are not listed: the session row says it.
	want := []string{"session SID resets (server-dropped): 0 -> 1 REGRESSION"}
	if got := lines(d); !reflect.DeepEqual(got, want) {
		t.Errorf("changes %q", got)
	}
}

// B failed at its first step: only that step is compared, and a note says
// what was not.
func TestStepsOnlyOneRunRanAreNotCompared(t *testing.T) {
	a := journey(site{})
	b := journey(site{attrs: "Path=/; Secure; SameSite=Lax", failAt: "goto"})
	d := diffOf(a, b)
	want := []string{
		"scenario status: passed -> failed REGRESSION",
		"cookie SID httpOnly: true -> false REGRESSION",
		"finding COOKIE-HTTPONLY-MISSING new REGRESSION",
	}
	if got := lines(d); !reflect.DeepEqual(got, want) {
		t.Errorf("changes %q", got)
	}
	wantNote := "steps 1-2 ran only in A (B failed at step 0): what happened there is not compared, including the login step 1 and the logout step 2"
	if n := notes(d); len(n) != 1 || n[0] != wantNote {
		t.Errorf("notes %q", n)
	}
	// Both failed, at different steps.
	c := journey(site{failAt: "login"})
	if got := lines(diffOf(b, c)); !slices.Contains(got, "scenario failed step: 0 -> 1") {
		t.Errorf("both failed: %q", got)
	}
}

func TestStepsThatDifferAreNoted(t *testing.T) {
	a := journey(site{})
	b := journey(site{extra: func(b *rectest.Builder) { b.Step("wait", "") }})
	d := diffOf(a, b)
	if n := strings.Join(notes(d), "\n"); !strings.Contains(n, "step 1 is submit (as login) in A, wait in B") {
		t.Errorf("notes %q", n)
	}
}

func TestScenarioMatching(t *testing.T) {
	rec := func(name, file string, attrs string) *recording.Recording {
		b := newRun(name, file, "https://app.test", "SID")
		b.Step("goto", "")
		b.Get("https://app.test/").Set("SID", b.ID("x"), attrs)
		return b.Rec()
	}
	weak := "Path=/; Secure; SameSite=Lax"
	a := []*recording.Recording{rec("x", "suite/x.yaml", rectest.SecureAttrs), rec("y", "suite/y.yaml", rectest.SecureAttrs),
		rec("dup", "suite/d1.yaml", rectest.SecureAttrs), rec("dup", "suite/d2.yaml", rectest.SecureAttrs)}
	b := []*recording.Recording{rec("y", "/ci/checkout/suite/y.yaml", rectest.SecureAttrs), rec("dup", "suite/d2.yaml", rectest.SecureAttrs),
		rec("dup", "suite/d1.yaml", weak), nil, rec("z", "suite/z.yaml", rectest.SecureAttrs)}
	d := Runs(a, b)
	var got []string
	for _, sd := range d.Scenarios {
		got = append(got, sd.Label()+" "+sd.Change)
	}
	want := []string{"x.yaml gone", "y.yaml unchanged", "d1.yaml changed", "d2.yaml unchanged", "z.yaml new"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("scenarios %q", got)
	}
	if d.Totals != (Totals{Scenarios: 5, Changed: 3, Changes: 4, Regressions: 3}) {
		t.Errorf("totals %+v", d.Totals)
	}
	if d.A.Scenarios != 4 || d.B.Scenarios != 4 {
		t.Errorf("run info %+v %+v", d.A, d.B)
	}
	var regs []string
	for _, c := range d.Regressions() {
		regs = append(regs, c.Scenario+": "+c.Kind+" "+c.Subject+" "+c.What)
	}
	wantRegs := []string{"x: scenario  scenario", "dup: cookie SID httpOnly", "dup: finding COOKIE-HTTPONLY-MISSING new"}
	if !reflect.DeepEqual(regs, wantRegs) {
		t.Errorf("regressions %q", regs)
	}
}

func TestSingleRecordingsAreComparedWhateverTheirNames(t *testing.T) {
	a := journey(site{})
	b := journey(site{})
	b.Scenario.Name = "renamed"
	d := diffOf(a, b)
	if len(d.Scenarios) != 1 || d.Scenarios[0].Change != Unchanged {
		t.Fatalf("%+v", d.Scenarios)
	}
	if n := notes(d); len(n) != 1 || !strings.Contains(n[0], "names differ (A: login journey, B: renamed)") {
		t.Errorf("notes %q", n)
	}
}

// A HAR import has no jar: attributes come from the Set-Cookie lines.
func TestRecordingsWithoutJarUseSetCookieLines(t *testing.T) {
	noJar := func(r *recording.Recording) *recording.Recording {
		for i := range r.Steps {
			r.Steps[i].Jar = []recording.Cookie{}
		}
		return r
	}
	a := noJar(journey(site{attrs: rectest.SecureAttrs + "; Max-Age=3600"}))
	b := noJar(journey(site{attrs: "Path=/; Secure; SameSite=Lax; Max-Age=3600"}))
	d := diffOf(a, b)
	if got := lines(d); !slices.Contains(got, "cookie SID httpOnly: true -> false REGRESSION") {
		t.Fatalf("changes %q", got)
	}
	if c := d.Scenarios[0].Cookies[0]; c.A.Source != "set-cookie" || c.A.Lifetime != 3600 {
		t.Errorf("row %+v", c.A)
	}
}

func TestEmptyAndNilRuns(t *testing.T) {
	d := Runs(nil, []*recording.Recording{nil})
	if len(d.Scenarios) != 0 || d.Totals != (Totals{}) || d.A.Status != "" {
		t.Fatalf("%+v", d)
	}
	// A recording that never started (no steps) compares without panic.
	r := &recording.Recording{Schema: recording.Schema, Scenario: recording.ScenarioInfo{Name: "x"}, Status: recording.StatusErrored}
	d = diffOf(journey(site{}), r)
	if got := lines(d); len(got) == 0 || got[0] != "scenario status: passed -> errored REGRESSION" {
		t.Errorf("changes %q", got)
	}
}

// Findings that need the whole run (the same ID in two recordings) belong
// to the scenario they name.
func TestCrossRecordingFindings(t *testing.T) {
	copyOf := func(r *recording.Recording, name, file string) *recording.Recording {
		data, err := recording.Encode(r)
		if err != nil {
			t.Fatal(err)
		}
		c, err := recording.Decode("copy", data)
		if err != nil {
			t.Fatal(err)
		}
		c.Scenario.Name, c.Scenario.File = name, file
		return c
	}
	first := journey(site{})
	// B's second scenario got the very IDs of its first one: a cache.
	a := []*recording.Recording{journey(site{}), copyOf(journey(site{}), "again", "again.yaml")}
	b := []*recording.Recording{first, copyOf(first, "again", "again.yaml")}
	d := Runs(a, b)
	var got []string
	for _, c := range d.Changes() {
		got = append(got, c.Scenario+": "+c.Kind+" "+c.Subject+" "+c.What+" "+c.Delta.Mark())
	}
	// One finding per repeated ID (the pre-login and the logged-in one), as
	// audit reports them.
	want := []string{"again: finding SESSID-LOW-ENTROPY new REGRESSION", "again: finding SESSID-LOW-ENTROPY new REGRESSION"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes %q", got)
	}
}

// Findings on Web Storage items are matched by area and key, whatever
// the origin's host and port: a token moved to another key is one fixed
// and one new, the same key on another host is no change.
func TestStorageFindingsMatchByKey(t *testing.T) {
	withToken := func(host, origin, key string) *recording.Recording {
		return journey(site{host: host, extra: func(b *rectest.Builder) {
			b.StorageSet(recording.LocalStorage, origin, key, b.ID("token"))
		}})
	}
	// The logout leaves it too (SESSION-TOKEN-NOT-CLEARED).
	d := diffOf(withToken("app.test", "https://app.test", "access_token"), withToken("app.test", "https://app.test", "auth_token"))
	want := []string{"finding SESSION-TOKEN-IN-STORAGE fixed improvement", "finding SESSION-TOKEN-NOT-CLEARED fixed improvement",
		"finding SESSION-TOKEN-IN-STORAGE new REGRESSION", "finding SESSION-TOKEN-NOT-CLEARED new REGRESSION"}
	if got := lines(d); !reflect.DeepEqual(got, want) {
		t.Errorf("another key: changes %q, want %q", got, want)
	}
	d = diffOf(withToken("staging.app.test", "https://staging.app.test:8443", "access_token"), withToken("app.test", "https://app.test", "access_token"))
	if got := lines(d); len(got) != 0 {
		t.Errorf("the same key on another host: changes %q", got)
	}
}

func TestNoCookieDataIsNoted(t *testing.T) {
	b := newRun("login journey", "login.yaml", "https://app.test")
	b.Step("goto", "")
	b.Get("https://app.test/login")
	d := diffOf(journey(site{}), b.Rec())
	if n := strings.Join(notes(d), "\n"); !strings.Contains(n, "B holds no cookie data at all") {
		t.Errorf("notes %q", n)
	}
}

// HARs of the lab written by three browsers (recording/har/testdata/har): the
// same journey compares equal whatever the browser, and correct.test
// against fixation.test shows the fixation.
func TestRealHARs(t *testing.T) {
	load := func(name string) *recording.Recording {
		t.Helper()
		data, err := os.ReadFile("../recording/har/testdata/har/" + name)
		if err != nil {
			t.Fatal(err)
		}
		r, _, err := har.Import(name, data, recording.NewRedactor([]byte(name), false))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if got := lines(diffOf(load("playwright-correct.har"), load("chrome-correct.har"))); len(got) != 0 {
		t.Errorf("Playwright vs Chrome: %q", got)
	}
	if got := lines(diffOf(load("firefox-fixation.har"), load("chrome-fixation.har"))); len(got) != 0 {
		t.Errorf("Firefox vs Chrome: %q", got)
	}
	want := []string{
		"cookie __Host-sid gone",
		"cookie PHPSESSID added",
		"finding SESSION-FIXATION new REGRESSION",
		"finding COOKIE-HTTPONLY-MISSING new REGRESSION",
		"finding COOKIE-HOST-PREFIX-ABSENT new",
		"finding SESSID-NAME-FINGERPRINT new",
	}
	if got := lines(diffOf(load("chrome-correct.har"), load("chrome-fixation.har"))); !reflect.DeepEqual(got, want) {
		t.Errorf("correct vs fixation:\n got %q\nwant %q", got, want)
	}
}
