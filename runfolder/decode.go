package runfolder

import (
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/recording/har"
)

// DecodeRecording reads a file of kind k (what Sniff said of it) as a
// recording: a HAR through har.Import, with red fingerprinting its cookie
// values, and rep its import report; a scenario file is refused with what
// to do instead (run it); any other kind as a recording (rep nil), whose
// decoder says what is wrong with a file that is not one.
// Strings of a recording share memory with data: the caller must not
// modify data afterwards.
func DecodeRecording(name string, data []byte, k Kind, red *recording.Redactor) (rec *recording.Recording, rep *har.Report, err error) {
	switch k {
	case KindHAR:
		return har.Import(name, data, red)
	case KindScenario:
		return nil, nil, &recording.DecodeError{File: name,
			Msg: "this is a scenario file, not a recording: run it first (sessiontrace run -o DIR " + name + "), then give the run folder DIR"}
	}
	rec, err = recording.Decode(name, data)
	return rec, nil, err
}

// DecodeIndex reads a run index (a file Sniff says is KindIndex).
func DecodeIndex(name string, data []byte) (*recording.Index, error) {
	return recording.DecodeIndex(name, data)
}
