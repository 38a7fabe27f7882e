package policy

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// hostOf returns the lower-case host of an absolute URL, or "".
func hostOf(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return ""
	}
	return strings.ToLower(p.Hostname())
}

// responseTime is when a request's response arrived, as well as the
// recording knows.
func responseTime(q *recording.Request) time.Time {
	if !q.End.IsZero() {
		return q.End
	}
	return q.Start
}

// stepText names a step for a message: "step 4 (submit #login-form)".
func stepText(st *recording.Step) string {
	if st == nil {
		return "a step"
	}
	s := "step " + strconv.Itoa(st.Index)
	if d := st.Detail; d != "" {
		s += " (" + d + ")"
	} else if st.Kind != "" {
		s += " (" + string(st.Kind) + ")"
	}
	return s
}

func short(fp string) string {
	if len(fp) > 8 {
		return fp[:8]
	}
	return fp
}
