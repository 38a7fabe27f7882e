package recording

// DeriveEvents returns the cookie events that requests show by themselves:
// for each request in order, a sent event per cookie it carried, a
// withheld event per cookie it is known to have gone without (with the
// reasons), then a set, deleted or rejected event per Set-Cookie line of
// its response. It is what a recording made from a HAR has for events: a
// HAR cannot tell script writes, expiries or the jar, so none of those
// are made up.
func DeriveEvents(reqs []Request) []CookieEvent {
	n := 0
	for i := range reqs {
		n += len(reqs[i].CookiesSent) + len(reqs[i].CookiesWithheld) + len(reqs[i].SetCookies)
	}
	out := make([]CookieEvent, 0, n)
	for i := range reqs {
		q := &reqs[i]
		for _, c := range q.CookiesSent {
			v := c.Value
			out = append(out, CookieEvent{Time: q.Start, Step: q.Step, Kind: EventSent, Source: SourceHTTP,
				Name: c.Name, Domain: c.Domain, Path: c.Path, Value: &v, Request: q.ID, URL: q.URL})
		}
		for _, c := range q.CookiesWithheld {
			v := c.Value
			out = append(out, CookieEvent{Time: q.Start, Step: q.Step, Kind: EventWithheld, Source: SourceHTTP,
				Name: c.Name, Domain: c.Domain, Path: c.Path, Value: &v, Request: q.ID, URL: q.URL, Reasons: c.Reasons})
		}
		end := q.End
		if end.IsZero() {
			end = q.Start
		}
		for j := range q.SetCookies {
			sc := &q.SetCookies[j]
			kind := EventSet
			switch {
			case sc.Rejected:
				kind = EventRejected
			case sc.Deletion:
				kind = EventDeleted
			}
			domain, path := sc.Identity(q.URL)
			v := sc.Value
			out = append(out, CookieEvent{Time: end, Step: q.Step, Kind: kind, Source: SourceHTTP,
				Name: sc.Name, Domain: domain, Path: path, Value: &v, Request: q.ID, URL: q.URL, Reasons: sc.Reasons})
		}
	}
	return out
}
