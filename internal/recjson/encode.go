package recjson

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/sessiontrace/sessiontrace/analysis"
)

// AppendReport appends rep as json.Marshal(rep) writes it (compact, HTML
// characters escaped): `sessiontrace audit --format json` prints the same
// value, indented.
func AppendReport(b []byte, rep *analysis.Report) ([]byte, error) {
	if rep == nil {
		return append(b, "null"...), nil
	}
	e := enc{b: b}
	e.b = append(e.b, `{"findings":`...)
	if rep.Findings == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i := range rep.Findings {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.finding(&rep.Findings[i])
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, `,"sessions":`...)
	if rep.Sessions == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i := range rep.Sessions {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.session(&rep.Sessions[i])
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, `,"auth":`...)
	if rep.Auth == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i := range rep.Auth {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.authReport(&rep.Auth[i])
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '}')
	return e.b, e.err
}

func (e *enc) authReport(a *analysis.AuthReport) {
	e.b = append(e.b, '{')
	e.strField(true, "scenario", a.Scenario)
	e.field(false, "steps")
	if a.Steps == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i, st := range a.Steps {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.b = append(e.b, '{')
			e.field(true, "step")
			e.b = strconv.AppendInt(e.b, int64(st.Step), 10)
			e.strField(false, "state", st.State)
			e.strField(false, "evidence", st.Evidence)
			e.optStr("source", st.Source)
			e.field(false, "checked")
			e.b = strconv.AppendBool(e.b, st.Checked)
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '}')
}

type enc struct {
	b   []byte
	err error
}

// field writes ,"name": (or "name": first).
func (e *enc) field(first bool, name string) {
	if !first {
		e.b = append(e.b, ',')
	}
	e.b = append(e.b, '"')
	e.b = append(e.b, name...)
	e.b = append(e.b, '"', ':')
}

func (e *enc) strField(first bool, name, v string) {
	e.field(first, name)
	e.b = AppendString(e.b, v)
}

func (e *enc) optStr(name, v string) {
	if v != "" {
		e.strField(false, name, v)
	}
}

func (e *enc) intField(name string, v int) {
	e.field(false, name)
	e.b = strconv.AppendInt(e.b, int64(v), 10)
}

func (e *enc) strs(v []string) {
	if v == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '[')
	for i, s := range v {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = AppendString(e.b, s)
	}
	e.b = append(e.b, ']')
}

func (e *enc) finding(f *analysis.Finding) {
	e.b = append(e.b, '{')
	e.strField(true, "rule", f.Rule)
	e.strField(false, "severity", string(f.Severity))
	e.strField(false, "scenario", f.Scenario)
	e.intField("step", f.Step)
	e.optStr("cookie", f.Cookie)
	e.optStr("domain", f.Domain)
	e.optStr("path", f.Path)
	e.optStr("url", f.URL)
	e.optStr("request", f.Request)
	e.strField(false, "message", f.Message)
	e.optStr("evidence", f.Evidence)
	e.optStr("remediation", f.Remediation)
	if f.Count != 0 {
		e.intField("count", f.Count)
	}
	e.optStr("file", f.File)
	e.b = append(e.b, '}')
}

func (e *enc) session(s *analysis.SessionReport) {
	e.b = append(e.b, '{')
	e.strField(true, "scenario", s.Scenario)
	e.strField(false, "cookie", s.Cookie)
	e.optStr("domain", s.Domain)
	e.optStr("path", s.Path)
	e.optStr("partition", s.Partition)
	e.strField(false, "detection", s.Detection)
	e.optStr("clientSide", s.ClientSide)
	e.field(false, "ids")
	if s.IDs == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i := range s.IDs {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.id(&s.IDs[i])
		}
		e.b = append(e.b, ']')
	}
	e.field(false, "resets")
	if s.Resets == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i := range s.Resets {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.reset(&s.Resets[i])
		}
		e.b = append(e.b, ']')
	}
	if len(s.Continuity) > 0 {
		e.field(false, "continuity")
		e.b = append(e.b, '[')
		for i := range s.Continuity {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			g := &s.Continuity[i]
			e.b = append(e.b, '{')
			e.field(true, "step")
			e.b = strconv.AppendInt(e.b, int64(g.Step), 10)
			e.strField(false, "request", g.Request)
			e.strField(false, "url", g.URL)
			e.strField(false, "reason", g.Reason)
			if len(g.Reasons) > 0 {
				e.field(false, "reasons")
				e.strs(g.Reasons)
			}
			e.strField(false, "detail", g.Detail)
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '}')
}

func (e *enc) id(id *analysis.ID) {
	e.b = append(e.b, '{')
	e.strField(true, "fingerprint", id.Fingerprint)
	e.intField("len", id.Len)
	e.field(false, "bits")
	e.float(id.Bits)
	e.intField("firstStep", id.FirstStep)
	e.intField("lastStep", id.LastStep)
	e.strField(false, "ended", id.Ended)
	e.optStr("note", id.Note)
	e.optStr("endedRequest", id.EndedRequest)
	e.optStr("issuedRequest", id.IssuedRequest)
	e.optStr("issuedBy", id.IssuedBy)
	e.optStr("node", id.Node)
	e.field(false, "sent")
	e.strs(id.Sent)
	e.field(false, "withheld")
	if id.Withheld == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i, w := range id.Withheld {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.b = append(e.b, '{')
			e.strField(true, "request", w.Request)
			e.field(false, "reasons")
			e.strs(w.Reasons)
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '}')
}

func (e *enc) reset(r *analysis.Reset) {
	e.b = append(e.b, '{')
	e.field(true, "step")
	e.b = strconv.AppendInt(e.b, int64(r.Step), 10)
	e.optStr("request", r.Request)
	e.strField(false, "cause", r.Cause)
	e.strField(false, "detail", r.Detail)
	e.optStr("fingerprint", r.Fingerprint)
	e.optStr("url", r.URL)
	if len(r.Evidence) > 0 {
		e.field(false, "evidence")
		keys := make([]string, 0, len(r.Evidence))
		for k := range r.Evidence {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		e.b = append(e.b, '{')
		for i, k := range keys {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.b = AppendString(e.b, k)
			e.b = append(e.b, ':')
			e.b = AppendString(e.b, r.Evidence[k])
		}
		e.b = append(e.b, '}')
	}
	e.strField(false, "basis", r.Basis)
	if r.ObservedStep != nil {
		e.intField("observedStep", *r.ObservedStep)
	}
	e.strField(false, "summary", r.Summary)
	e.b = append(e.b, '}')
}

// float writes f as encoding/json does (ES6 number formatting).
func (e *enc) float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		if e.err == nil {
			e.err = errors.New("json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64))
		}
		e.b = append(e.b, '0')
		return
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.b = strconv.AppendFloat(e.b, f, format, -1, 64)
	if format == 'e' {
		n := len(e.b)
		if n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
			e.b[n-2] = e.b[n-1]
			e.b = e.b[:n-1]
		}
	}
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string, escaped as encoding/json does
// by default (HTML characters too).
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
