package analysis

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// maxGaps bounds the continuity gaps kept per session identity: a journey
// that lost its cookie early would otherwise list every later request.
const maxGaps = 500

// continuityRequest reports whether q is a request whose session matters:
// a page (Document) or a fetch or XHR. Images, scripts and styles are left
// out: a session cookie missing there logs nobody out.
func continuityRequest(q *recording.Request) bool {
	switch strings.ToLower(q.ResourceType) {
	case "document", "xhr", "fetch":
		return true
	}
	return false
}

// heldAt returns the ID the track held at time at, or nil. A track holds
// one ID at a time and issues them in time order, so it is the last one
// born by then, if it had not ended.
func (t *track) heldAt(at time.Time) *idState {
	i := sort.Search(len(t.ids), func(i int) bool { return t.ids[i].born.After(at) })
	if i == 0 {
		return nil
	}
	if id := t.ids[i-1]; id.died.IsZero() || at.Before(id.died) {
		return id
	}
	return nil
}

// lastEndedBefore returns the last ID that ended before at, when no ID was
// held at at.
func (t *track) lastEndedBefore(at time.Time) *idState {
	var last *idState
	for _, id := range t.ids {
		if !id.died.IsZero() && !id.died.After(at) && (last == nil || id.died.After(last.died)) {
			last = id
		}
	}
	return last
}

// continuity lists the requests to which the track's cookie applied (same
// domain; pages, fetches and XHRs) that did not present its ID, and why.
func (a *analyzer) continuity(t *track) []Gap {
	var gaps []Gap
	for i, q := range a.reqs {
		if len(gaps) >= maxGaps {
			break
		}
		if !continuityRequest(q) || q.Start.IsZero() {
			continue
		}
		g := Gap{Step: q.Step, Request: q.ID, URL: q.URL}
		id := t.heldAt(q.Start)
		if !domainMatches(t.key.domain, a.reqInfo[i].host) {
			// Out of the cookie's domain: a gap only when the browser says
			// it held the cookie for this request (DomainMismatch).
			if id == nil {
				continue
			}
			if _, ok := id.withheldFrom(q.ID); !ok {
				continue
			}
		}
		if id == nil {
			if id = t.lastEndedBefore(q.Start); id == nil {
				if !t.rejectedAt.IsZero() && t.rejectedAt.Before(q.Start) {
					g.Reason = GapRejected
					g.Detail = fmt.Sprintf("the browser refused the Set-Cookie for %s, so it never held one to send", t.key.name)
					gaps = append(gaps, g)
				}
				continue
			}
			switch id.out.Ended {
			case EndExpired:
				g.Reason, g.Detail = GapExpired, fmt.Sprintf("%s had expired at step %d", t.key.name, id.out.LastStep)
			case EndDeleted:
				g.Reason, g.Detail = GapDeleted, fmt.Sprintf("%s had been deleted at step %d", t.key.name, id.out.LastStep)
				if id.out.EndedRequest == "" {
					g.Reason = GapCleared
				}
			case EndCleared, EndRestart:
				g.Reason, g.Detail = GapCleared, fmt.Sprintf("%s had left the jar at step %d (%s)", t.key.name, id.out.LastStep, id.out.Ended)
			default:
				continue // logged out, or replaced by an ID not yet issued: nothing was lost
			}
			gaps = append(gaps, g)
			continue
		}
		if id.sentOn(q.ID) {
			continue
		}
		if reasons, ok := id.withheldFrom(q.ID); ok {
			g.Reason, g.Reasons = GapWithheld, reasons
			g.Detail = fmt.Sprintf("the browser held %s but did not send it (%s)", t.key.name, reasonsText(reasons))
			gaps = append(gaps, g)
		}
	}
	return gaps
}
