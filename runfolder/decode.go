package runfolder

import (
	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/recording"
)

// DecodeRecording reads a file of kind k (what Sniff said of it) as a
// recording: a HAR through recording.ImportHAR, with har fingerprinting
// its cookie values, and rep its import report; any other kind as a
// recording (rep nil), whose decoder says what is wrong with a file that
// is not one. Strings of a recording share memory with data: the caller
// must not modify data afterwards.
func DecodeRecording(name string, data []byte, k Kind, har *recording.Redactor) (rec *recording.Recording, rep *recording.HARReport, err error) {
	if k == KindHAR {
		return recording.ImportHAR(name, data, har)
	}
	rec, err = recjson.DecodeRecording(name, data)
	return rec, nil, err
}

// DecodeIndex reads a run index (a file Sniff says is KindIndex).
func DecodeIndex(name string, data []byte) (*recording.Index, error) {
	return recjson.DecodeIndex(name, data)
}
