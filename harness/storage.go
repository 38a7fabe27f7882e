package harness

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/recording"
)

// Single-page apps keep their session tokens in Web Storage and send them
// as Authorization headers: the writes come from the instrumentation
// script (cookieWriteScript), the headers from the requests, and what is
// left after a logout from a read of the page's storage.

// maxStorageFields bounds the fields kept of one JSON value: a token blob
// has a handful; a page caching a big object in storage must not make
// the recording grow with it.
const maxStorageFields = 32

// minFieldLen is the shortest JSON string field kept: shorter strings
// ("Bearer", a user name, a flag) are no tokens.
const minFieldLen = 16

// storageRead is what the tab's page held in Web Storage when read.
type storageRead struct {
	Origin  string      `json:"origin"`
	Local   [][2]string `json:"local"`
	Session [][2]string `json:"session"`
}

// readStorageJS reads both areas of the page's origin; an area the page
// may not use (an opaque origin, storage disabled) reads as empty.
const readStorageJS = `(() => {
  const read = (name) => { try { return Object.entries(globalThis[name]).map(([k, v]) => [k, String(v)]); } catch (e) { return []; } };
  let origin = ""; try { origin = location.origin; } catch (e) {}
  return JSON.stringify({origin, local: read("localStorage"), session: read("sessionStorage")});
})()`

// storageAfter reads the tab page's Web Storage after an as: logout
// step, unless readState read it already, alongside the jar: what the app
// left there, whichever way it was written.
func (r *runner) storageAfter(ctx context.Context, as recording.Boundary) {
	if as != recording.BoundaryLogout || len(r.steps) == 0 || r.opts.Bare || r.steps[len(r.steps)-1].storage != nil {
		return
	}
	sr, err := r.readStorage(ctx)
	if err != nil {
		r.rec.Warnings = appendOnce(r.rec.Warnings, "the page's Web Storage could not be read after the logout step: what it kept is reconstructed from the writes seen")
		return
	}
	r.steps[len(r.steps)-1].storage = sr
}

// readStorage reads both areas of the page's origin, in the window the
// step acted in.
func (r *runner) readStorage(ctx context.Context) (*storageRead, error) {
	var raw string
	err := r.withTimeoutIn(r.winCtx(), ctx, 2*time.Second, func(c context.Context) error {
		var err error
		raw, err = chromedp.Run(c, chromedp.Evaluate[string](readStorageJS))
		return err
	})
	if err != nil {
		return nil, err
	}
	var sr storageRead
	if err := json.Unmarshal([]byte(raw), &sr); err != nil {
		return nil, err
	}
	return &sr, nil
}

// storageValue fingerprints a stored value and its fields (storageFields):
// a token inside a JSON blob is found by its field's name and joins the
// Authorization headers by fingerprint.
func (b *builder) storageValue(raw string) (recording.Value, []recording.StorageField) {
	var fields []recording.StorageField
	for _, f := range storageFields(raw) {
		fields = append(fields, recording.StorageField{Name: f[0], Value: b.red.Value(f[1])})
	}
	return b.red.Value(raw), fields
}

// storageFields returns the long strings inside a stored value, by name:
// a value that is a JSON string (JSON.stringify(token), as state
// libraries write it) has one, "value", the string inside the quotes; a
// JSON object its string fields, one level deep and one more under an
// object field ({"token": {"access_token": ...}}), at most
// maxStorageFields.
func storageFields(raw string) [][2]string {
	t := strings.TrimSpace(raw)
	var out [][2]string
	add := func(name, s string) {
		if len(s) >= minFieldLen && len(out) < maxStorageFields {
			out = append(out, [2]string{name, s})
		}
	}
	switch {
	case strings.HasPrefix(t, `"`):
		var s string
		if json.Unmarshal([]byte(t), &s) == nil {
			add("value", s)
		}
	case strings.HasPrefix(t, "{"):
		var obj map[string]any
		if json.Unmarshal([]byte(t), &obj) != nil {
			return nil
		}
		for _, k := range sortedKeys(obj) {
			switch x := obj[k].(type) {
			case string:
				add(k, x)
			case map[string]any:
				for _, k2 := range sortedKeys(x) {
					if s, ok := x[k2].(string); ok {
						add(k+"."+k2, s)
					}
				}
			}
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// noteStorage tells the redactor the stored values and their fields, so
// that a token that also travels in a URL is scrubbed there. A stored URL
// (an OIDC client's authority and redirect_uri, the issuer in a profile)
// is no token, and scrubbing it would hide every URL of its site.
func (b *builder) noteStorage() {
	note := func(raw string) {
		if !strings.Contains(raw, "://") {
			b.red.Note(raw)
		}
		for _, f := range storageFields(raw) {
			if !strings.Contains(f[1], "://") {
				b.red.Note(f[1])
			}
		}
	}
	for _, w := range b.c.scripts {
		if w.v.Op == "storage.set" {
			note(w.v.Value)
		}
	}
	for _, s := range b.steps {
		if s.storage != nil {
			for _, kv := range append(append([][2]string(nil), s.storage.Local...), s.storage.Session...) {
				note(kv[1])
			}
		}
	}
}

// addStorageWrite records a Web Storage write of the instrumentation.
func (b *builder) addStorageWrite(tw timed[scriptWrite]) {
	w := tw.v
	ev := recording.StorageEvent{Time: tw.at, Step: b.stepFor(tw.at), Target: b.targetLabel(w.tg),
		Area: recording.StorageArea(w.Area), Origin: w.Origin, URL: b.url(w.URL), Script: b.url(w.Loc)}
	switch w.Op {
	case "storage.set":
		ev.Kind, ev.Key = recording.StorageSet, w.Name
		v, fields := b.storageValue(w.Value)
		ev.Value, ev.Fields = &v, fields
	case "storage.remove":
		ev.Kind, ev.Key = recording.StorageRemoved, w.Name
	default:
		ev.Kind = recording.StorageCleared
	}
	b.storage = append(b.storage, ev)
}

// storageItems turns a read of the page's storage into the step's items.
func (b *builder) storageItems(sr *storageRead) []recording.StorageItem {
	out := []recording.StorageItem{}
	for _, area := range []struct {
		name recording.StorageArea
		kvs  [][2]string
	}{{recording.LocalStorage, sr.Local}, {recording.SessionStorage, sr.Session}} {
		for _, kv := range area.kvs {
			v, fields := b.storageValue(kv[1])
			out = append(out, recording.StorageItem{Area: area.name, Origin: sr.Origin, Key: kv[0], Value: v, Fields: fields})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Area != out[j].Area {
			return out[i].Area < out[j].Area
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// credential splits an Authorization header into its scheme and its
// fingerprinted credentials.
func (b *builder) credential(h string) *recording.Credential {
	scheme, cred := recording.SplitAuthorization(h)
	if cred == "" && scheme == "" {
		return nil
	}
	return &recording.Credential{Scheme: scheme, Value: b.red.Value(cred)}
}

// noteCredential tells the redactor an Authorization header's
// credentials, so that they are scrubbed wherever else they show.
func (b *builder) noteCredential(h string) {
	if _, cred := recording.SplitAuthorization(h); cred != "" {
		b.red.Note(cred)
	}
}
