package recjson

import "github.com/sessiontrace/sessiontrace/recording"

// One decoder per type of the recording format. The field lists name every
// JSON key of the type (a test checks them against the struct tags): a
// key that matches one only in another case falls back to encoding/json.

var recordingFields = []string{"schema", "scenario", "browser", "options", "start", "end", "status", "error", "steps", "requests", "events", "pages", "probe", "protocol", "warnings", "popups", "downloads"}

func (d *dec) recording(r *recording.Recording) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "schema":
			seen(&m, 0)
			r.Schema = d.str()
		case "scenario":
			seen(&m, 1)
			d.scenario(&r.Scenario)
		case "browser":
			seen(&m, 2)
			d.browser(&r.Browser)
		case "options":
			seen(&m, 3)
			d.options(&r.Options)
		case "start":
			seen(&m, 4)
			r.Start = d.time()
		case "end":
			seen(&m, 5)
			r.End = d.time()
		case "status":
			seen(&m, 6)
			r.Status = recording.Status(d.str())
		case "error":
			seen(&m, 7)
			r.Error = d.str()
		case "steps":
			seen(&m, 8)
			r.Steps = d.steps()
		case "requests":
			seen(&m, 9)
			r.Requests = d.requests()
		case "events":
			seen(&m, 10)
			r.Events = d.events()
		case "pages":
			seen(&m, 11)
			r.Pages = d.pages()
		case "probe":
			seen(&m, 12)
			if d.isNull() {
				r.Probe = nil
			} else {
				r.Probe = new(recording.ProbeResult)
				d.probe(r.Probe)
			}
		case "protocol":
			seen(&m, 13)
			d.protocol(&r.Protocol)
		case "warnings":
			seen(&m, 14)
			r.Warnings = d.strs()
		case "popups":
			seen(&m, 15)
			r.Popups = d.popups()
		case "downloads":
			seen(&m, 16)
			r.Downloads = d.downloads()
		default:
			d.unknown(k, recordingFields)
		}
		if !d.objNext() {
			return
		}
	}
}

var scenarioFields = []string{"name", "file", "target", "tags", "sessionCookies", "nodeHeader", "loggedIn", "loggedOut"}

func (d *dec) scenario(s *recording.ScenarioInfo) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "name":
			seen(&m, 0)
			s.Name = d.str()
		case "file":
			seen(&m, 1)
			s.File = d.str()
		case "target":
			seen(&m, 2)
			s.Target = d.str()
		case "tags":
			seen(&m, 3)
			s.Tags = d.strs()
		case "sessionCookies":
			seen(&m, 4)
			s.SessionCookies = d.strs()
		case "nodeHeader":
			seen(&m, 5)
			s.NodeHeader = d.str()
		case "loggedIn":
			seen(&m, 6)
			s.LoggedIn = d.str()
		case "loggedOut":
			seen(&m, 7)
			s.LoggedOut = d.str()
		default:
			d.unknown(k, scenarioFields)
		}
		if !d.objNext() {
			return
		}
	}
}

var browserFields = []string{"product", "userAgent", "protocol", "remote", "thirdPartyCookies", "hostRules"}

func (d *dec) browser(b *recording.BrowserInfo) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "product":
			seen(&m, 0)
			b.Product = d.str()
		case "userAgent":
			seen(&m, 1)
			b.UserAgent = d.str()
		case "protocol":
			seen(&m, 2)
			b.Protocol = d.str()
		case "remote":
			seen(&m, 3)
			b.Remote = d.bool()
		case "thirdPartyCookies":
			seen(&m, 4)
			b.ThirdPartyCookies = d.str()
		case "hostRules":
			seen(&m, 5)
			b.HostRules = d.str()
		default:
			d.unknown(k, browserFields)
		}
		if !d.objNext() {
			return
		}
	}
}

var optionsFields = []string{"revealValues", "fingerprintKey", "insecureCerts"}

func (d *dec) options(o *recording.Options) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "revealValues":
			seen(&m, 0)
			o.RevealValues = d.bool()
		case "fingerprintKey":
			seen(&m, 1)
			o.FingerprintKey = d.str()
		case "insecureCerts":
			seen(&m, 2)
			o.InsecureCerts = d.bool()
		default:
			d.unknown(k, optionsFields)
		}
		if !d.objNext() {
			return
		}
	}
}

func (d *dec) steps() []recording.Step {
	if d.isNull() {
		return nil
	}
	out := []recording.Step{}
	if d.arrStart() {
		for {
			out = append(out, recording.Step{})
			d.step(&out[len(out)-1])
			if !d.arrNext() {
				break
			}
		}
	}
	return out
}

var stepFields = []string{"index", "kind", "name", "as", "detail", "start", "end", "status", "error", "url", "jar", "screenshot", "auth", "probe"}

func (d *dec) step(s *recording.Step) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "index":
			seen(&m, 0)
			s.Index = d.int()
		case "kind":
			seen(&m, 1)
			s.Kind = d.str()
		case "name":
			seen(&m, 2)
			s.Name = d.str()
		case "as":
			seen(&m, 3)
			s.As = d.str()
		case "detail":
			seen(&m, 4)
			s.Detail = d.str()
		case "start":
			seen(&m, 5)
			s.Start = d.time()
		case "end":
			seen(&m, 6)
			s.End = d.time()
		case "status":
			seen(&m, 7)
			s.Status = recording.Status(d.str())
		case "error":
			seen(&m, 8)
			s.Error = d.str()
		case "url":
			seen(&m, 9)
			s.URL = d.str()
		case "jar":
			seen(&m, 10)
			s.Jar = d.cookies()
		case "screenshot":
			seen(&m, 11)
			s.Screenshot = d.str()
		case "auth":
			seen(&m, 12)
			if d.isNull() {
				s.Auth = nil
			} else {
				s.Auth = new(recording.AuthState)
				d.auth(s.Auth)
			}
		case "probe":
			seen(&m, 13)
			if d.isNull() {
				s.Probe = nil
			} else {
				s.Probe = new(recording.ProbeResult)
				d.probe(s.Probe)
			}
		default:
			d.unknown(k, stepFields)
		}
		if !d.objNext() {
			return
		}
	}
}

func (d *dec) cookies() []recording.Cookie {
	if d.isNull() {
		return nil
	}
	return list(d, &d.scratchCookie, (*dec).cookie)
}

var cookieFields = []string{"name", "domain", "path", "value", "expires", "size", "httpOnly", "secure", "sameSite", "session", "priority", "sourceScheme", "sourcePort", "partition"}

func (d *dec) cookie(c *recording.Cookie) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "name":
			seen(&m, 0)
			c.Name = d.str()
		case "domain":
			seen(&m, 1)
			c.Domain = d.str()
		case "path":
			seen(&m, 2)
			c.Path = d.str()
		case "value":
			seen(&m, 3)
			c.Value = *d.memoValue(c.Name)
		case "expires":
			seen(&m, 4)
			c.Expires = d.timePtr()
		case "size":
			seen(&m, 5)
			c.Size = d.int()
		case "httpOnly":
			seen(&m, 6)
			c.HTTPOnly = d.bool()
		case "secure":
			seen(&m, 7)
			c.Secure = d.bool()
		case "sameSite":
			seen(&m, 8)
			c.SameSite = d.str()
		case "session":
			seen(&m, 9)
			c.Session = d.bool()
		case "priority":
			seen(&m, 10)
			c.Priority = d.str()
		case "sourceScheme":
			seen(&m, 11)
			c.SourceScheme = d.str()
		case "sourcePort":
			seen(&m, 12)
			c.SourcePort = d.int()
		case "partition":
			seen(&m, 13)
			c.Partition = d.str()
		default:
			d.unknown(k, cookieFields)
		}
		if !d.objNext() {
			return
		}
	}
}

var valueFields = []string{"fp", "len", "classes", "bits", "raw", "secret", "format"}

func (d *dec) value(v *recording.Value) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "fp":
			seen(&m, 0)
			v.Fingerprint = d.str()
		case "len":
			seen(&m, 1)
			v.Len = d.int()
		case "classes":
			seen(&m, 2)
			v.Classes = d.strs()
		case "bits":
			seen(&m, 3)
			v.Bits = d.float()
		case "raw":
			seen(&m, 4)
			if d.isNull() {
				v.Raw = nil
			} else {
				s := d.str()
				v.Raw = &s
			}
		case "secret":
			seen(&m, 5)
			v.Secret = d.bool()
		case "format":
			seen(&m, 6)
			v.Format = d.str()
		default:
			d.unknown(k, valueFields)
		}
		if !d.objNext() {
			return
		}
	}
}

func (d *dec) requests() []recording.Request {
	if d.isNull() {
		return nil
	}
	return array(d, (*dec).request)
}

var requestFields = []string{"id", "step", "method", "url", "resourceType", "start", "end", "status", "statusText", "protocol", "initiator", "initiatorUrl", "referrer", "redirectedFrom", "redirectChain", "location", "node", "nodeHeader", "headers", "cookiesSent", "cookiesWithheld", "setCookies", "failed", "requestExtraInfo", "responseExtraInfo"}

func (d *dec) request(q *recording.Request) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "id":
			seen(&m, 0)
			q.ID = d.str()
		case "step":
			seen(&m, 1)
			q.Step = d.int()
		case "method":
			seen(&m, 2)
			q.Method = d.str()
		case "url":
			seen(&m, 3)
			q.URL = d.str()
		case "resourceType":
			seen(&m, 4)
			q.ResourceType = d.str()
		case "start":
			seen(&m, 5)
			q.Start = d.time()
		case "end":
			seen(&m, 6)
			q.End = d.time()
		case "status":
			seen(&m, 7)
			q.Status = d.int()
		case "statusText":
			seen(&m, 8)
			q.StatusText = d.str()
		case "protocol":
			seen(&m, 9)
			q.Protocol = d.str()
		case "initiator":
			seen(&m, 10)
			q.Initiator = d.str()
		case "initiatorUrl":
			seen(&m, 11)
			q.InitiatorURL = d.str()
		case "referrer":
			seen(&m, 12)
			q.Referrer = d.str()
		case "redirectedFrom":
			seen(&m, 13)
			q.RedirectedFrom = d.str()
		case "redirectChain":
			seen(&m, 14)
			q.RedirectChain = d.strs()
		case "location":
			seen(&m, 15)
			q.Location = d.str()
		case "node":
			seen(&m, 16)
			q.Node = d.str()
		case "nodeHeader":
			seen(&m, 17)
			q.NodeHeader = d.str()
		case "headers":
			seen(&m, 18)
			q.Headers = d.strMap()
		case "cookiesSent":
			seen(&m, 19)
			q.CookiesSent = d.sentCookies()
		case "cookiesWithheld":
			seen(&m, 20)
			q.CookiesWithheld = d.sentCookies()
		case "setCookies":
			seen(&m, 21)
			q.SetCookies = d.setCookies()
		case "failed":
			seen(&m, 22)
			q.Failed = d.str()
		case "requestExtraInfo":
			seen(&m, 23)
			q.RequestExtraInfo = d.bool()
		case "responseExtraInfo":
			seen(&m, 24)
			q.ResponseExtraInfo = d.bool()
		default:
			d.unknown(k, requestFields)
		}
		if !d.objNext() {
			return
		}
	}
}

func (d *dec) sentCookies() []recording.SentCookie {
	if d.isNull() {
		return nil
	}
	return list(d, &d.scratchSentCookie, (*dec).sentCookie)
}

var sentCookieFields = []string{"name", "domain", "path", "value", "reasons", "exemption"}

func (d *dec) sentCookie(c *recording.SentCookie) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "name":
			seen(&m, 0)
			c.Name = d.str()
		case "domain":
			seen(&m, 1)
			c.Domain = d.str()
		case "path":
			seen(&m, 2)
			c.Path = d.str()
		case "value":
			seen(&m, 3)
			c.Value = *d.memoValue(c.Name)
		case "reasons":
			seen(&m, 4)
			c.Reasons = d.strs()
		case "exemption":
			seen(&m, 5)
			c.Exemption = d.str()
		default:
			d.unknown(k, sentCookieFields)
		}
		if !d.objNext() {
			return
		}
	}
}

func (d *dec) setCookies() []recording.SetCookie {
	if d.isNull() {
		return nil
	}
	return list(d, &d.scratchSetCookie, (*dec).setCookie)
}

var setCookieFields = []string{"name", "value", "attributes", "domain", "path", "expires", "maxAge", "secure", "httpOnly", "sameSite", "partitioned", "unparsed", "parseError", "deletion", "rejected", "reasons", "size"}

func (d *dec) setCookie(c *recording.SetCookie) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "name":
			seen(&m, 0)
			c.Name = d.str()
		case "value":
			seen(&m, 1)
			c.Value = *d.memoValue(c.Name)
		case "attributes":
			seen(&m, 2)
			c.Attributes = d.str()
		case "domain":
			seen(&m, 3)
			c.Domain = d.str()
		case "path":
			seen(&m, 4)
			c.Path = d.str()
		case "expires":
			seen(&m, 5)
			c.Expires = d.timePtr()
		case "maxAge":
			seen(&m, 6)
			if d.isNull() {
				c.MaxAge = nil
			} else {
				n := d.int()
				c.MaxAge = &n
			}
		case "secure":
			seen(&m, 7)
			c.Secure = d.bool()
		case "httpOnly":
			seen(&m, 8)
			c.HTTPOnly = d.bool()
		case "sameSite":
			seen(&m, 9)
			c.SameSite = d.str()
		case "partitioned":
			seen(&m, 10)
			c.Partitioned = d.bool()
		case "unparsed":
			seen(&m, 11)
			c.Unparsed = d.strs()
		case "parseError":
			seen(&m, 12)
			c.ParseError = d.str()
		case "deletion":
			seen(&m, 13)
			c.Deletion = d.bool()
		case "rejected":
			seen(&m, 14)
			c.Rejected = d.bool()
		case "reasons":
			seen(&m, 15)
			c.Reasons = d.strs()
		case "size":
			seen(&m, 16)
			c.Size = d.int()
		default:
			d.unknown(k, setCookieFields)
		}
		if !d.objNext() {
			return
		}
	}
}

func (d *dec) events() []recording.CookieEvent {
	if d.isNull() {
		return nil
	}
	return array(d, (*dec).event)
}

var eventFields = []string{"time", "step", "kind", "source", "name", "domain", "path", "value", "request", "url", "reasons", "location", "detail"}

func (d *dec) event(e *recording.CookieEvent) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "time":
			seen(&m, 0)
			e.Time = d.time()
		case "step":
			seen(&m, 1)
			e.Step = d.int()
		case "kind":
			seen(&m, 2)
			e.Kind = d.str()
		case "source":
			seen(&m, 3)
			e.Source = d.str()
		case "name":
			seen(&m, 4)
			e.Name = d.str()
		case "domain":
			seen(&m, 5)
			e.Domain = d.str()
		case "path":
			seen(&m, 6)
			e.Path = d.str()
		case "value":
			seen(&m, 7)
			if d.isNull() {
				e.Value = nil
			} else {
				e.Value = d.memoValue(e.Name)
			}
		case "request":
			seen(&m, 8)
			e.Request = d.str()
		case "url":
			seen(&m, 9)
			e.URL = d.str()
		case "reasons":
			seen(&m, 10)
			e.Reasons = d.strs()
		case "location":
			seen(&m, 11)
			e.Location = d.str()
		case "detail":
			seen(&m, 12)
			e.Detail = d.str()
		default:
			d.unknown(k, eventFields)
		}
		if !d.objNext() {
			return
		}
	}
}

func (d *dec) pages() []recording.PageFacts {
	if d.isNull() {
		return nil
	}
	out := []recording.PageFacts{}
	if d.arrStart() {
		for {
			out = append(out, recording.PageFacts{})
			d.page(&out[len(out)-1])
			if !d.arrNext() {
				break
			}
		}
	}
	return out
}

var pageFields = []string{"request", "step", "url", "title", "links", "forms", "metaRefresh", "cookieValuesInPage", "truncated", "truncation", "size"}

func (d *dec) page(p *recording.PageFacts) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "request":
			seen(&m, 0)
			p.Request = d.str()
		case "step":
			seen(&m, 1)
			p.Step = d.int()
		case "url":
			seen(&m, 2)
			p.URL = d.str()
		case "title":
			seen(&m, 3)
			p.Title = d.str()
		case "links":
			seen(&m, 4)
			p.Links = d.links()
		case "forms":
			seen(&m, 5)
			p.Forms = d.forms()
		case "metaRefresh":
			seen(&m, 6)
			p.MetaRefresh = d.str()
		case "cookieValuesInPage":
			seen(&m, 7)
			p.CookieValuesInPage = d.cookieKeys()
		case "truncated":
			seen(&m, 8)
			p.Truncated = d.bool()
		case "truncation":
			seen(&m, 9)
			p.Truncation = d.str()
		case "size":
			seen(&m, 10)
			p.Size = d.int()
		default:
			d.unknown(k, pageFields)
		}
		if !d.objNext() {
			return
		}
	}
}

var linkFields = []string{"href", "text", "selector"}

func (d *dec) links() []recording.Link {
	if d.isNull() {
		return nil
	}
	out := []recording.Link{}
	if d.arrStart() {
		for {
			var l recording.Link
			var m uint64
			if d.objStart() {
				for {
					switch k := d.key(); k {
					case "href":
						seen(&m, 0)
						l.Href = d.str()
					case "text":
						seen(&m, 1)
						l.Text = d.str()
					case "selector":
						seen(&m, 2)
						l.Selector = d.str()
					default:
						d.unknown(k, linkFields)
					}
					if !d.objNext() {
						break
					}
				}
			}
			out = append(out, l)
			if !d.arrNext() {
				break
			}
		}
	}
	return out
}

var formFields = []string{"action", "method", "selector", "hasPassword"}

func (d *dec) forms() []recording.Form {
	if d.isNull() {
		return nil
	}
	out := []recording.Form{}
	if d.arrStart() {
		for {
			var f recording.Form
			var m uint64
			if d.objStart() {
				for {
					switch k := d.key(); k {
					case "action":
						seen(&m, 0)
						f.Action = d.str()
					case "method":
						seen(&m, 1)
						f.Method = d.str()
					case "selector":
						seen(&m, 2)
						f.Selector = d.str()
					case "hasPassword":
						seen(&m, 3)
						f.HasPassword = d.bool()
					default:
						d.unknown(k, formFields)
					}
					if !d.objNext() {
						break
					}
				}
			}
			out = append(out, f)
			if !d.arrNext() {
				break
			}
		}
	}
	return out
}

var cookieKeyFields = []string{"name", "domain", "path", "partition"}

func (d *dec) cookieKeys() []recording.CookieKey {
	if d.isNull() {
		return nil
	}
	out := []recording.CookieKey{}
	if d.arrStart() {
		for {
			var c recording.CookieKey
			var m uint64
			if d.objStart() {
				for {
					switch k := d.key(); k {
					case "name":
						seen(&m, 0)
						c.Name = d.str()
					case "domain":
						seen(&m, 1)
						c.Domain = d.str()
					case "path":
						seen(&m, 2)
						c.Path = d.str()
					case "partition":
						seen(&m, 3)
						c.Partition = d.str()
					default:
						d.unknown(k, cookieKeyFields)
					}
					if !d.objNext() {
						break
					}
				}
			}
			out = append(out, c)
			if !d.arrNext() {
				break
			}
		}
	}
	return out
}

var popupFields = []string{"time", "step", "url", "closed"}

func (d *dec) popups() []recording.Popup {
	if d.isNull() {
		return nil
	}
	out := []recording.Popup{}
	if d.arrStart() {
		for {
			var p recording.Popup
			var m uint64
			if d.objStart() {
				for {
					switch k := d.key(); k {
					case "time":
						seen(&m, 0)
						p.Time = d.time()
					case "step":
						seen(&m, 1)
						p.Step = d.int()
					case "url":
						seen(&m, 2)
						p.URL = d.str()
					case "closed":
						seen(&m, 3)
						p.Closed = d.bool()
					default:
						d.unknown(k, popupFields)
					}
					if !d.objNext() {
						break
					}
				}
			}
			out = append(out, p)
			if !d.arrNext() {
				break
			}
		}
	}
	return out
}

var downloadFields = []string{"time", "step", "url", "filename"}

func (d *dec) downloads() []recording.Download {
	if d.isNull() {
		return nil
	}
	out := []recording.Download{}
	if d.arrStart() {
		for {
			var dl recording.Download
			var m uint64
			if d.objStart() {
				for {
					switch k := d.key(); k {
					case "time":
						seen(&m, 0)
						dl.Time = d.time()
					case "step":
						seen(&m, 1)
						dl.Step = d.int()
					case "url":
						seen(&m, 2)
						dl.URL = d.str()
					case "filename":
						seen(&m, 3)
						dl.Filename = d.str()
					default:
						d.unknown(k, downloadFields)
					}
					if !d.objNext() {
						break
					}
				}
			}
			out = append(out, dl)
			if !d.arrNext() {
				break
			}
		}
	}
	return out
}

var probeFields = []string{"url", "status", "loggedIn", "error", "kind", "cookies"}

func (d *dec) probe(p *recording.ProbeResult) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "url":
			seen(&m, 0)
			p.URL = d.str()
		case "status":
			seen(&m, 1)
			p.Status = d.int()
		case "loggedIn":
			seen(&m, 2)
			p.LoggedIn = d.bool()
		case "error":
			seen(&m, 3)
			p.Error = d.str()
		case "kind":
			seen(&m, 4)
			p.Kind = d.str()
		case "cookies":
			seen(&m, 5)
			p.Cookies = d.int()
		default:
			d.unknown(k, probeFields)
		}
		if !d.objNext() {
			return
		}
	}
}

var protocolFields = []string{"events", "decodeErrors", "decodeIssues", "driverDropped", "driverErrors", "unknownReasons", "missingExtraInfo"}

func (d *dec) protocol(p *recording.ProtocolStats) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "events":
			seen(&m, 0)
			p.Events = d.int()
		case "decodeErrors":
			seen(&m, 1)
			p.DecodeErrors = d.int()
		case "decodeIssues":
			seen(&m, 2)
			p.DecodeIssues = d.decodeIssues()
		case "driverDropped":
			seen(&m, 3)
			p.DriverDropped = d.int()
		case "driverErrors":
			seen(&m, 4)
			p.DriverErrors = d.strs()
		case "unknownReasons":
			seen(&m, 5)
			p.UnknownReasons = d.strs()
		case "missingExtraInfo":
			seen(&m, 6)
			p.MissingExtraInfo = d.int()
		default:
			d.unknown(k, protocolFields)
		}
		if !d.objNext() {
			return
		}
	}
}

var decodeIssueFields = []string{"method", "field", "error", "count"}

func (d *dec) decodeIssues() []recording.DecodeIssue {
	if d.isNull() {
		return nil
	}
	out := []recording.DecodeIssue{}
	if d.arrStart() {
		for {
			var x recording.DecodeIssue
			var m uint64
			if d.objStart() {
				for {
					switch k := d.key(); k {
					case "method":
						seen(&m, 0)
						x.Method = d.str()
					case "field":
						seen(&m, 1)
						x.Field = d.str()
					case "error":
						seen(&m, 2)
						x.Error = d.str()
					case "count":
						seen(&m, 3)
						x.Count = d.int()
					default:
						d.unknown(k, decodeIssueFields)
					}
					if !d.objNext() {
						break
					}
				}
			}
			out = append(out, x)
			if !d.arrNext() {
				break
			}
		}
	}
	return out
}

var authFields = []string{"state", "evidence", "source"}

func (d *dec) auth(a *recording.AuthState) {
	var m uint64
	if !d.objStart() {
		return
	}
	for {
		switch k := d.key(); k {
		case "state":
			seen(&m, 0)
			a.State = d.str()
		case "evidence":
			seen(&m, 1)
			a.Evidence = d.str()
		case "source":
			seen(&m, 2)
			a.Source = d.str()
		default:
			d.unknown(k, authFields)
		}
		if !d.objNext() {
			return
		}
	}
}
