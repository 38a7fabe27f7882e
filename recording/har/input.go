package har

// The HAR as read. Standard fields are typed (a wrong type is an error with
// its position); the browsers' own "_" fields are kept raw and read
// leniently, so that a tool's custom field never makes a HAR unreadable.
//
// The generated decoder reads these types as encoding/json's Unmarshal
// does, keys in any case among them: the HARs of Chrome, Firefox and
// Playwright spell the keys exactly, but a HAR written by another tool
// with "Log" or "StartedDateTime" was readable, and stays so.
//
//go:generate go run github.com/sessiontrace/sessiontrace/internal/recjson/gen -out decode_gen.go fileIn metaObject pageStep initiatorIn []blocked []rejected

// rawJSON is a value kept as its JSON text (json.RawMessage): an absent
// key leaves it empty, null is "null". It shares memory with the HAR's
// bytes, which Import never modifies.
type rawJSON []byte

func (m *rawJSON) UnmarshalJSON(b []byte) error {
	*m = b
	return nil
}

type fileIn struct {
	Log    *logIn  `json:"log"`
	Schema rawJSON `json:"schema"`
}

type logIn struct {
	Version string       `json:"version"`
	Creator *nameVersion `json:"creator"`
	Browser *nameVersion `json:"browser"`
	Pages   []pageIn     `json:"pages"`
	Entries *[]entryIn   `json:"entries"`
	Meta    rawJSON      `json:"_sessiontrace"`
}

type nameVersion struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type pageIn struct {
	StartedDateTime string  `json:"startedDateTime"`
	ID              string  `json:"id"`
	Title           string  `json:"title"`
	Step            rawJSON `json:"_step"`
}

type entryIn struct {
	Pageref         string     `json:"pageref"`
	StartedDateTime string     `json:"startedDateTime"`
	Time            float64    `json:"time"`
	Request         requestIn  `json:"request"`
	Response        responseIn `json:"response"`
	ResourceType    rawJSON    `json:"_resourceType"`
	Initiator       rawJSON    `json:"_initiator"`
	Step            rawJSON    `json:"_step"`
	RequestID       rawJSON    `json:"_requestId"`
	RedirectedFrom  rawJSON    `json:"_redirectedFrom"`
	Target          rawJSON    `json:"_target"`
	RequestExtra    rawJSON    `json:"_requestExtraInfo"`
	ResponseExtra   rawJSON    `json:"_responseExtraInfo"`
	BlockedReasons  rawJSON    `json:"_blockedReasons"`
	RejectedCookies rawJSON    `json:"_rejectedCookies"`
}

type requestIn struct {
	Method      string     `json:"method"`
	URL         string     `json:"url"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []cookieIn `json:"cookies"`
	Headers     []header   `json:"headers"`
	PostData    *postData  `json:"postData"`
}

type responseIn struct {
	Status      float64    `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []cookieIn `json:"cookies"`
	Headers     []header   `json:"headers"`
	RedirectURL string     `json:"redirectURL"`
	Error       rawJSON    `json:"_error"`       // Chrome
	FailureText rawJSON    `json:"_failureText"` // Playwright
}

type header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type postData struct {
	MimeType string      `json:"mimeType"`
	Text     string      `json:"text"`
	Params   []postParam `json:"params"`
}

type postParam struct {
	Name string `json:"name"`
}

// cookieIn is a cookie of a cookies array. Chrome adds sameSite; Firefox
// writes only name and value.
type cookieIn struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	Path       *string `json:"path"`
	Domain     *string `json:"domain"`
	Expires    rawJSON `json:"expires"`
	HTTPOnly   *bool   `json:"httpOnly"`
	Secure     *bool   `json:"secure"`
	SameSite   rawJSON `json:"sameSite"`
	Exemption  rawJSON `json:"_exemption"`
	ParseError rawJSON `json:"_parseError"`
}

// initiatorIn is Chrome's _initiator: {type, url, stack: {callFrames}}.
type initiatorIn struct {
	Type  string     `json:"type"`
	URL   string     `json:"url"`
	Stack *callStack `json:"stack"`
}

type callStack struct {
	CallFrames []callFrame `json:"callFrames"`
}

type callFrame struct {
	URL string `json:"url"`
}

// lenient reads a browser's custom field into v with unmarshal (a
// generated decoder, or one of recjson's for strings, booleans and
// numbers); false when it is absent, null or of another type.
func lenient[T any](raw rawJSON, v *T, unmarshal func([]byte, *T) error) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return false
	}
	return unmarshal(raw, v) == nil
}
