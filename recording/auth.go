package recording

import (
	"fmt"
	"strings"
)

// InferAuth returns the logged-in state after each step of r (one entry
// per r.Steps entry, in that order) that the recording's own facts can
// tell: a step's recorded [Step.Auth] is kept as it is; a step that sent
// no request and has none gets nil (not checked: the state is the one
// before it); any other step that ran gets a state from what its requests
// and pages show, strongest evidence first:
//
//   - the page's response was 401, 403 or 440 (a 401 or 440 of a fetch);
//   - the page was redirected to a page that held a login form (a form
//     with a password field seen anywhere in the journey);
//   - the page shows a password field (a login form; a change-password
//     page would fool it, so the evidence says it is a guess);
//   - the step is marked as: logout (out) or as: login (in);
//   - else unknown.
//
// Every state but a recorded one is a heuristic, and its evidence says so.
// The harness records the stronger evidence itself: the scenario's
// logged-in markers evaluated in the page, and expectations that checked
// them.
func InferAuth(r *Recording) []*AuthState {
	out := make([]*AuthState, len(r.Steps))
	if len(r.Steps) == 0 {
		return out
	}
	loginPages := map[string]bool{}
	// Pages name the request that loaded them by the id of its redirect
	// chain's first hop; they are found by that id and their URL.
	pageOf := make(map[string]*PageFacts, len(r.Pages))
	for i := range r.Pages {
		p := &r.Pages[i]
		pageOf[chainID(p.Request)+" "+p.URL] = p
		for _, f := range p.Forms {
			if f.HasPassword {
				loginPages[pageKey(p.URL)] = true
			}
		}
	}
	byStep := map[int][]*Request{}
	byID := make(map[string]*Request, len(r.Requests))
	for i := range r.Requests {
		q := &r.Requests[i]
		byStep[q.Step] = append(byStep[q.Step], q)
		if _, dup := byID[q.ID]; !dup {
			byID[q.ID] = q
		}
	}
	var prev LoginState
	for i := range r.Steps {
		st := &r.Steps[i]
		if st.Auth != nil {
			out[i] = st.Auth
			prev = st.Auth.State
			continue
		}
		reqs := byStep[st.Index]
		if st.Status == StatusSkipped || len(reqs) == 0 {
			continue
		}
		a := inferStep(st, reqs, byID, pageOf, loginPages, prev)
		out[i] = a
		prev = a.State
	}
	return out
}

func inferStep(st *Step, reqs []*Request, byID map[string]*Request, pageOf map[string]*PageFacts, loginPages map[string]bool, prev LoginState) *AuthState {
	doc := finalDocument(st, reqs)
	if doc == nil {
		for _, q := range reqs {
			if (q.Status == 401 || q.Status == 440) && (q.ResourceType == "XHR" || q.ResourceType == "Fetch") {
				return &AuthState{State: AuthOut, Source: AuthByStatus,
					Evidence: fmt.Sprintf("%s %s answered %d (heuristic: the server asked for a login)", q.Method, q.URL, q.Status)}
			}
		}
		return byStepMark(st, "the step loaded no page")
	}
	switch doc.Status {
	case 401, 403, 440:
		return &AuthState{State: AuthOut, Source: AuthByStatus,
			Evidence: fmt.Sprintf("%s %s answered %d (heuristic: the server refused an anonymous user)", doc.Method, doc.URL, doc.Status)}
	}
	if first := chainStart(doc, byID); first != doc && loginPages[pageKey(doc.URL)] && !loginPages[pageKey(first.URL)] {
		return &AuthState{State: AuthOut, Source: AuthByLoginRedirect,
			Evidence: fmt.Sprintf("%s %s was redirected to %s, a page with a login form (heuristic)", first.Method, first.URL, doc.URL)}
	}
	if p := pageOf[chainID(doc.ID)+" "+doc.URL]; p != nil {
		for _, f := range p.Forms {
			if !f.HasPassword {
				continue
			}
			why := "a page with a password field: most likely a login form"
			switch {
			case st.As == BoundaryLogin:
				why = "the login step ended on a page with a password field: most likely the login did not take"
			case prev == AuthIn:
				why = "a password field after having been logged in: most likely a login form"
			}
			return &AuthState{State: AuthOut, Source: AuthByPasswordForm,
				Evidence: fmt.Sprintf("%s shows %s (heuristic)", doc.URL, why)}
		}
	}
	return byStepMark(st, "no sign either way on "+doc.URL)
}

// byStepMark is the state a step's as: marks give, else unknown.
func byStepMark(st *Step, none string) *AuthState {
	switch st.As {
	case BoundaryLogin:
		return &AuthState{State: AuthIn, Source: AuthByStep, Evidence: fmt.Sprintf("step %d is marked as: login and nothing showed the login failing (heuristic)", st.Index)}
	case BoundaryLogout:
		return &AuthState{State: AuthOut, Source: AuthByStep, Evidence: fmt.Sprintf("step %d is marked as: logout", st.Index)}
	}
	return &AuthState{State: AuthUnknown, Evidence: none}
}

// finalDocument is the document the step left the page on: the Document
// request whose URL is the step's URL, else the last Document request of
// the step.
func finalDocument(st *Step, reqs []*Request) *Request {
	var last *Request
	want := pageKey(st.URL)
	for _, q := range reqs {
		if q.ResourceType != "Document" || q.Location != "" {
			continue
		}
		if st.URL != "" && pageKey(q.URL) == want {
			last = q // the latest match: a step may load the same page twice
			continue
		}
		if last == nil || pageKey(last.URL) != want {
			last = q
		}
	}
	return last
}

// chainID is the id of a redirect chain's first hop: hop n > 0 has the
// suffix ".n".
func chainID(id string) string {
	if i := strings.LastIndexByte(id, '.'); i > 0 {
		if n := id[i+1:]; n != "" && strings.Trim(n, "0123456789") == "" {
			return id[:i]
		}
	}
	return id
}

// chainStart follows a request's redirect chain back to its first hop.
func chainStart(q *Request, byID map[string]*Request) *Request {
	for n := 0; q.RedirectedFrom != "" && n < 64; n++ {
		p := byID[q.RedirectedFrom]
		if p == nil {
			break
		}
		q = p
	}
	return q
}

// pageKey is a URL without its query and fragment: a login page is the
// same page whatever return_to it carries.
func pageKey(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}
