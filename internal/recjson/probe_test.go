package recjson_test

// The probe types use every kind of field the generator supports; their
// decoder (probe_gen_test.go) is generated like those of recording, and
// the tests hold it to encoding/json on them. They are test types: the
// generator writes a decoder to a _test.go file for the types of the
// external test package.

//lint:file-ignore SA5008 the odd tags are on purpose: read as encoding/json reads them

import (
	"bytes"
	"errors"
	"time"
)

//go:generate go run github.com/sessiontrace/sessiontrace/internal/recjson/gen -out probe_gen_test.go -memo Shared Probe []Probe Shared

// Kind is a named string.
type Kind string

// Note has an UnmarshalJSON method that fails on some input.
type Note struct{ Raw string }

func (n *Note) UnmarshalJSON(b []byte) error {
	if bytes.Contains(b, []byte("fail")) {
		return errors.New("note: fail")
	}
	n.Raw = string(b)
	return nil
}

// Raw keeps a value's JSON text, as json.RawMessage does.
type Raw []byte

func (r *Raw) UnmarshalJSON(b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}

// Shared is a memo type, as a cookie value is.
type Shared struct {
	FP      string   `json:"fp"`
	Len     int      `json:"len"`
	Classes []string `json:"classes"`
	Bits    float64  `json:"bits"`
	Raw     *string  `json:"raw"`
	Secret  bool     `json:"secret"`
	At      time.Time
}

// Inner is a struct in lists and pointers.
type Inner struct {
	A      int               `json:"a"`
	B      string            `json:"b,omitempty"`
	M      map[string]string `json:"m"`
	Tags   []string          `json:"tags"`
	Value  Shared            `json:"value"`
	Values []Shared          `json:"values"`
}

// Empty has no field.
type Empty struct{}

// Probe uses every kind of field.
type Probe struct {
	S       string            `json:"s"`
	K       Kind              `json:"k"`
	B       bool              `json:"b"`
	I       int               `json:"i"`
	F       float64           `json:"f"`
	T       time.Time         `json:"t"`
	TP      *time.Time        `json:"tp"`
	SP      *string           `json:"sp"`
	IP      *int              `json:"ip"`
	BP      *bool             `json:"bp"`
	FP      *float64          `json:"fp"`
	KP      *Kind             `json:"kp"`
	PP      **string          `json:"pp"`
	Strs    []string          `json:"strs"`
	StrsP   *[]string         `json:"strsP"`
	M       map[string]string `json:"m"`
	MP      *map[string]string
	Note    Note    `json:"note"`
	NoteP   *Note   `json:"noteP"`
	Raw     Raw     `json:"raw"`
	Inner   Inner   `json:"inner"`
	InnerP  *Inner  `json:"innerP"`
	Inners  []Inner `json:"inners"`
	InnersP *[]Inner
	Empty   Empty   `json:"empty"`
	Value   Shared  `json:"value"`
	ValueP  *Shared `json:"valueP"`
	Untag   string
	Dash    string `json:"-"`
	DashC   string `json:"-,"`
	BadTag  string `json:"a\\b"`
	Long    string `json:"ſtatus"`
	Kelvin  string `json:"k2"`
	Opts    string `json:"opts,omitempty,omitzero"`
	//lint:ignore U1000 unexported: encoding/json and the generator leave it alone
	hidden string
}
